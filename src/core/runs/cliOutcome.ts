// How a `chant work` run in the CLI runner ended. chant owns the process, so its exit status alone
// says little: it exits 0 after "Work cancelled." (its quality question answered no) and 1 both when
// it refused the spec before any agent ran and when the agent's run failed. What the run left
// decides, as for the direct runner (runOutcome.ts): the spec's status before and after, chant's own
// status file (`.chant/specs/.chant-status-<id>.json`, whose `error` is chant's reason), and the
// commits the spec's branch has that the main branch lacks. No `vscode` import.
import type { RunNeed } from './runRecord';

export interface CliRunFacts {
  /** The wrapper's exit status of `chant work`; undefined when the terminal closed first. */
  exitCode: number | undefined;
  /** The spec's `status` when the run began and when it ended (undefined: the file is gone or broken). */
  statusBefore: string;
  statusAfter: string | undefined;
  /** Whether chant wrote the spec file during the run (it marks it in_progress before the agent starts). */
  specWritten: boolean;
  /** `error` of chant's status file for the spec, when it wrote one. */
  chantError?: string;
  /** The spec's branch, and how many commits it has that the main branch lacks (0: none, or no branch). */
  branch: string;
  unmergedCommits: number;
  /**
   * The last line chant's log of the spec ends with (`.chant/logs/<id>.log`), for a failure chant gave no reason for.
   */
  logTail?: string;
}

export interface CliRunOutcome {
  state: 'completed' | 'failed' | 'stopped';
  need?: RunNeed;
  /** Why, in chant's words where chant gave them. */
  reason?: string;
  /** Whether `chant merge` (or Merge) makes sense: a completed spec whose branch holds unmerged commits. */
  mergeable: boolean;
}

const exitText = (exitCode: number | undefined): string => (exitCode === undefined ? 'without an exit status' : `with status ${exitCode}`);

/** The outcome of one `chant work <id>`, from what it left. */
export function cliRunOutcome(facts: CliRunFacts): CliRunOutcome {
  const { exitCode, statusBefore, statusAfter, chantError, branch, unmergedCommits } = facts;
  const mergeable = statusAfter === 'completed' && unmergedCommits > 0;
  if (statusAfter === 'completed') {
    // chant finalized the spec: like a direct run, it waits for review and merge while its branch is unmerged.
    const reason = exitCode === 0 ? undefined : `chant completed the spec, then exited ${exitText(exitCode)}`;
    return { state: 'completed', need: mergeable ? 'merge' : undefined, reason, mergeable };
  }
  if (statusAfter === 'failed' && (facts.specWritten || statusBefore !== 'failed')) {
    const why = chantError ?? (facts.logTail ? `its log ends with "${facts.logTail}"` : undefined);
    const commits = unmergedCommits === 0 ? ` No commits on ${branch}.` : '';
    return { state: 'failed', need: 'failed', reason: `chant marked the spec failed${why ? `: ${why}` : ''}.${commits}`, mergeable };
  }
  if (statusAfter === 'in_progress') {
    return { state: 'failed', need: 'failed', reason: `chant work ended ${exitText(exitCode)} while the spec was still in progress`, mergeable };
  }
  if (exitCode === 0) {
    // chant asked "Continue anyway?" about a 🔴 spec and was told no, or had nothing to do.
    return { state: 'stopped', reason: 'chant work ended without running the agent (its question was answered no)', mergeable };
  }
  // Refused before any agent ran (lint errors, dependencies, approval, quality without a terminal):
  // chant printed why in the terminal.
  const why = chantError ? `: ${chantError}` : '; its reason is in the terminal';
  return { state: 'failed', need: 'failed', reason: `chant work refused the spec ${exitText(exitCode)} before running the agent${why}`, mergeable };
}

/** The last non-empty line of chant's log, without chant's `#` header lines; at most 200 characters. */
export function lastLogLine(log: string): string | undefined {
  const lines = log.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#') && !/^=+$/.test(l));
  const last = lines.at(-1);
  return last === undefined ? undefined : last.length > 200 ? `${last.slice(0, 199)}…` : last;
}

/** `error` of chant's status file (`{"spec_id", "status", "updated_at", "error", "commits"}`), if any. */
export function chantStatusError(text: string | undefined): string | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as { error?: unknown };
    return typeof value.error === 'string' && value.error.trim() ? value.error.trim().slice(0, 500) : undefined;
  } catch {
    return undefined;
  }
}

/** The pid in chant's `.chant/watch.pid`, when it holds one. */
export function watchPidOf(text: string | undefined): number | undefined {
  const pid = Number((text ?? '').trim());
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

/** Whether a process's command line (`/proc/<pid>/cmdline`, NUL-separated) is a `chant watch`, as chant checks it. */
export function isChantWatchCommandLine(cmdline: string): boolean {
  return cmdline.includes('chant') && cmdline.split('\0').includes('watch');
}
