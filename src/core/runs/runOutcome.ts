// How a run ends (README "How a run ends"): from what the run left behind, not only from the
// agent's exit status. chant marks a run failed on any non-zero exit and on "No commits found"
// (CHANT-FORMAT §6.2, §7.2); that fails a research run in silent mode whose document was written
// and copied back but whose closing `git add -A && git commit` had nothing to commit. The rules
// here keep chant's for code and make the research document the evidence for research.
// No `vscode` import.

export interface RunFacts {
  /** undefined: the agent was stopped (Pause, Take Over, a closed terminal) before it reported one. */
  exitCode: number | undefined;
  /** The run's `chant(<id>):` commits on the spec's branch. */
  commits: string[];
  /**
   * The spec's target files (no globs, no URLs), each written = created or changed by this run where the user gets it.
   */
  targetFiles: Array<{ path: string; written: boolean }>;
  /** Acceptance criteria in the agent's copy of the spec. */
  criteria: { total: number; checked: number };
  /** `type: research`, or every target file under `.chant/` (see isResearchRun). */
  isResearch: boolean;
  /** The agent's own final word (claude's result event: `is_error`, or an `error_…` subtype). */
  agentSaysError?: boolean;
}

export interface RunOutcome {
  status: 'completed' | 'failed';
  /** Why a run failed, in a sentence. */
  reason?: string;
  /** Set when the outcome differs from what the agent's exit status said, with why. */
  overridesExit?: string;
}

/** A research run: `type: research`, or a spec whose target files are all under `.chant/` (documents, not code). */
export function isResearchRun(type: string | undefined, targetFiles: readonly string[]): boolean {
  if (type === 'research') return true;
  const files = targetFiles.map((t) => t.trim().replace(/^\.\//, '')).filter(Boolean);
  return files.length > 0 && files.every((t) => t.startsWith('.chant/'));
}

export const STOPPED_REASON = 'The agent was stopped before it finished.';
export const NOTHING_DONE_REASON = 'No commits found: the agent changed nothing (no commit on the branch and no target file written).';
export const AGENT_ERROR_REASON = 'The agent reported an error in its final result although it exited with status 0.';

/**
 * The rules, in order (the first that applies decides):
 * 1. No exit status (stopped): failed.
 * 2. A research run whose target documents were all written, and whose agent did not report an
 *    error: completed, whatever the exit status (a non-zero one is recorded in `overridesExit`).
 * 3. A non-zero exit status: failed ("Agent exited with status: N", chant's words).
 * 4. The agent's result says it failed: failed.
 * 5. At least one commit, or at least one target file written: completed.
 * 6. Otherwise: failed, the agent changed nothing.
 * Ticked criteria are reported, never decisive: a box ticked with nothing done is not work, and
 * chant itself ticks the remaining boxes of a finished run.
 */
export function judgeRunOutcome(facts: RunFacts): RunOutcome {
  const { exitCode } = facts;
  if (exitCode === undefined) return { status: 'failed', reason: STOPPED_REASON };
  const written = facts.targetFiles.filter((t) => t.written);
  if (
    facts.isResearch &&
    !facts.agentSaysError &&
    facts.targetFiles.length > 0 &&
    written.length === facts.targetFiles.length
  ) {
    if (exitCode === 0) return { status: 'completed' };
    const documents =
      written.length === 1
        ? `the research document ${written[0].path} was written`
        : `the research documents (${written.map((t) => t.path).join(', ')}) were written`;
    return { status: 'completed', overridesExit: `${documents}; the agent's exit status ${exitCode} is ignored` };
  }
  if (exitCode !== 0) return { status: 'failed', reason: `Agent exited with status: ${exitCode}` };
  if (facts.agentSaysError) return { status: 'failed', reason: AGENT_ERROR_REASON, overridesExit: 'the agent exited with status 0 but its result reports an error' };
  if (facts.commits.length > 0 || written.length > 0) return { status: 'completed' };
  return { status: 'failed', reason: NOTHING_DONE_REASON };
}
