// What stands between "Work this spec" and a run, in the order a maintainer should hear it: each
// check either refuses (with the way forward) or asks a question the user may answer yes to. The
// facts that need I/O (git, the prompt file) come in as plain values, so the rules are plain
// functions here and the Work Spec flow (runs/work.ts) only shows the result. Workspace trust is checked before
// this, by the editor glue.
import * as l10n from '@vscode/l10n';
import { qualityGrade, specBody, TRAFFIC_LIGHT_LABELS } from '../project/chantLint';
import type { OutsideEntry, SensitiveEntry } from '../project/containment';
import type { Readiness } from '../project/readiness';
import { requiresApproval } from '../project/readiness';
import { isRunnableSpecId } from '../spec/ids';
import type { Spec } from '../spec/types';

export type RunCheck =
  | { kind: 'refuse'; code: RefusalCode; message: string }
  | { kind: 'confirm'; code: 'rerun' | 'not-ready' | 'quality' | 'outside-project' | 'sensitive-inputs'; message: string; detail?: string; action: string };

export type RefusalCode = 'no-git' | 'no-commits' | 'invalid-id' | 'duplicate-id' | 'not-loadable' | 'no-title' | 'no-prompt' | 'needs-approval';

export interface RunCheckFacts {
  spec: Spec;
  readiness: Readiness;
  /** The repository could not be opened: git missing, not a repository (the message says which). */
  gitProblem?: string;
  hasCommits: boolean;
  /** Whether `.chant/prompts/<spec.prompt>.md` exists (ignored when the spec names no prompt). */
  promptExists: boolean;
  /** Answers given in advance (tests, chains): a re-run of a finished spec, work despite blockers. */
  rerun?: boolean;
  workAnyway?: boolean;
  /** Every file of the project that claims this id (SpecIndex.filesOf); more than one refuses the run. */
  filesWithId?: readonly string[];
  /** Entries that point outside the project (containment.ts `outsideEntries`): they are left out. */
  outside?: readonly OutsideEntry[];
  /** The user already agreed to work without the entries outside the project. */
  withoutOutside?: boolean;
  /** Inputs that are git-ignored or named like secrets (`.env`, keys): sent only when the user says yes. */
  sensitive?: readonly SensitiveEntry[];
  /** The user already agreed to send them. */
  withSensitive?: boolean;
  /** The spec file's text, whose body chant grades before `chant work`; without it the grade is not checked. */
  text?: string;
  /** The user already agreed to work a spec chant grades 🔴 Refine. */
  despiteGrade?: boolean;
  /** Who runs it: `chant work` (the CLI runner) asks its own quality question in the run's terminal. */
  runner?: string;
}


/** Every check that applies, in the order they are put to the user. */
export function runChecks(facts: RunCheckFacts): RunCheck[] {
  const { spec } = facts;
  const checks: RunCheck[] = [];
  if (facts.gitProblem !== undefined) {
    return [{ kind: 'refuse', code: 'no-git', message: facts.gitProblem }];
  }
  if (!facts.hasCommits) {
    checks.push({
      kind: 'refuse',
      code: 'no-commits',
      message: l10n.t('This repository has no commits yet. Agent runs branch from a commit: make a first commit (git add -A && git commit), then work the spec.'),
    });
  }
  if (!isRunnableSpecId(spec.id)) {
    checks.push({
      kind: 'refuse',
      code: 'invalid-id',
      message: l10n.t('{0} is not a chant spec id (YYYY-MM-DD-SSS-RRR), so it is never passed to a program. Rename the file to a chant id to work it.', JSON.stringify(spec.id)),
    });
  }
  if (facts.filesWithId && facts.filesWithId.length > 1) {
    checks.push({
      kind: 'refuse',
      code: 'duplicate-id',
      message: l10n.t('{0} is claimed by {1} files ({2}); a run would not know which one it works. Rename or delete all but one.', spec.id, facts.filesWithId.length, facts.filesWithId.join(', ')),
    });
  }
  if (spec.chantWouldReject || !spec.statusKnown) {
    checks.push({ kind: 'refuse', code: 'not-loadable', message: l10n.t('{0} has problems chant cannot load (see the Problems view); fix them first.', spec.id) });
  }
  if ((spec.status === 'completed' || spec.status === 'cancelled') && !facts.rerun) {
    checks.push({
      kind: 'confirm',
      code: 'rerun',
      message: l10n.t('{0} is {1}. Work it again? Its branch is continued, nothing is discarded.', spec.id, spec.status),
      action: l10n.t('Work Again'),
    });
  }
  if (!spec.title?.trim()) {
    checks.push({ kind: 'refuse', code: 'no-title', message: l10n.t('{0} has no title (a `# Title` line after the frontmatter). chant work refuses specs without one.', spec.id) });
  }
  // `standard` is chant's built-in default: it works without a file.
  if (spec.prompt && spec.prompt !== 'standard' && !facts.promptExists) {
    checks.push({
      kind: 'refuse',
      code: 'no-prompt',
      message: l10n.t("The spec's prompt '{0}' does not exist: create .chant/prompts/{0}.md or change the spec's prompt field.", spec.prompt ?? ''),
    });
  }
  if (requiresApproval(spec)) {
    checks.push({
      kind: 'refuse',
      code: 'needs-approval',
      message: l10n.t('{0} requires approval (approval.required) and is {1}. Approve it first (chant approve {0} --by <name>).', spec.id, spec.approval?.status ?? 'pending'), // l10n-exempt: chant's approval status
    });
  }
  const blockers = facts.readiness.workBlockers;
  if (blockers.length > 0 && !facts.workAnyway) {
    checks.push({
      kind: 'confirm',
      code: 'not-ready',
      message: `${l10n.t('{0} is not ready:', spec.id)}\n${blockers.map((b) => `• ${b.message}`).join('\n')}`,
      detail: l10n.t('chant work would refuse (use --skip-deps).'),
      action: l10n.t('Work Anyway'),
    });
  }
  // `chant work` grades the spec first (with its own copy of the criteria, see GradeFor): on 🔴 Refine
  // it asks "Continue anyway? [y/N]" when its input is a terminal, and refuses otherwise. The CLI
  // runner's terminal is one, so chant asks there; the direct runner asks here in its place.
  const grade = facts.text === undefined || facts.despiteGrade || facts.runner === 'cli' ? undefined : qualityGrade(spec, specBody(facts.text), 'work');
  if (grade?.trafficLight === 'refine') {
    checks.push({
      kind: 'confirm',
      code: 'quality',
      message: l10n.t("\"{0}\" grades {1} in chant's quality check (Complexity {2}, Confidence {3}, Criteria {4}).", spec.title?.trim() || spec.id, TRAFFIC_LIGHT_LABELS.refine, grade.complexity, grade.confidence, grade.acQuality),
      detail: `${grade.suggestions.map((s) => `• ${s}`).join('\n')}\n\n${l10n.t('chant work asks "Continue anyway?" before working such a spec, and refuses it when no terminal can answer (unless --skip-criteria).')}`,
      action: l10n.t('Work Anyway'),
    });
  }
  if (facts.outside && facts.outside.length > 0 && !facts.withoutOutside) {
    checks.push({
      kind: 'confirm',
      code: 'outside-project',
      message: `${l10n.t('{0} names files outside the project:', spec.id)}\n${facts.outside.map((o) => `• ${l10n.t('{0} entry {1} points outside the project ({2}): not sent to the agent', o.field, o.entry, o.why)}`).join('\n')}`,
      detail: l10n.t('Specs and prompts come from the repository; only files inside the project are ever read, copied or sent.'),
      action: l10n.t('Work Without Them'),
    });
  }
  if (facts.sensitive && facts.sensitive.length > 0 && !facts.withSensitive) {
    checks.push({
      kind: 'confirm',
      code: 'sensitive-inputs',
      message: `${l10n.t('{0} would send the agent files that may hold secrets:', spec.id)}\n${facts.sensitive.map((s) => `• ${l10n.t('{0} entry {1}: {2}', s.field, s.entry, s.why)}`).join('\n')}`,
      detail: l10n.t('They are inlined in the prompt or copied into the worktree only if you agree. Cancel to keep them home, and remove them from the spec.'),
      action: l10n.t('Send Them'),
    });
  }
  // Refusals first: there is no point asking "work anyway?" about a spec that cannot run.
  return [...checks.filter((c) => c.kind === 'refuse'), ...checks.filter((c) => c.kind === 'confirm')];
}
