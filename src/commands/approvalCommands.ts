// Approve, Reject and Re-research from here: chant's approval gate (CHANT-FORMAT §9 `approve` /
// `reject`) and the guide's "re-research, don't improvise", as editor commands. The edits are the
// core's (core/workflow/approval.ts, reResearch.ts); this file asks the questions (who approves,
// why it is rejected, what to re-research) and writes through the spec writer, so the rest of the
// file keeps its bytes and an editor with unsaved changes gets the edit in its buffer.
import * as vscode from 'vscode';
import { listPromptNames, listTopLevelSpecNames } from '../core/project/project';
import { applyApproval, ApprovalError, type ApprovalDecision } from '../core/workflow/approval';
import { investigationKeyOf, type PhaseDefinition } from '../core/workflow/phases';
import { reResearchSpec, ReResearchError } from '../core/workflow/reResearch';
import { specsOfInvestigation } from '../core/workflow/investigationSpecs';
import type { Spec } from '../core/spec/types';
import { RunGit } from '../git/runGit';
import type { ProjectService } from '../workspace/projectService';
import { rewriteSpecFile } from '../workspace/specWriter';
import type { SpecTarget } from './target';
import { createProjectFile } from '../core/project/safeFiles';

export interface ApprovalOptions {
  /** The approver; asked (default: git `user.name`) when absent. */
  by?: string;
  /** The rejection reason; asked when absent. */
  reason?: string;
  /** The time written (tests). */
  now?: Date;
}

/** Specs Approve / Reject offer: active ones that have not started (chant approves any, but only these wait on it). */
export function isApprovable(spec: Spec): boolean {
  return !spec.archived && (spec.status === 'pending' || spec.status === 'blocked' || spec.status === 'ready');
}

/** Approve or Reject; returns the decision written, or undefined when the user backed out or nothing changed. */
export async function decideApproval(target: SpecTarget, kind: ApprovalDecision['kind'], options: ApprovalOptions = {}): Promise<ApprovalDecision['kind'] | undefined> {
  const { spec, index } = target;
  const name = spec.title?.trim() || spec.id;
  const by = options.by ?? (await askApprover(index.paths.root, kind, name));
  if (by === undefined) return undefined;
  let decision: ApprovalDecision = { kind: 'approve' };
  if (kind === 'reject') {
    const reason =
      options.reason ??
      (await vscode.window.showInputBox({
        title: vscode.l10n.t('Reject "{0}"', name),
        prompt: vscode.l10n.t('Why it is rejected (written to the spec\'s Approval Discussion)'),
        ignoreFocusOut: true,
        validateInput: (value) => (value.trim() ? undefined : 'A rejection needs a reason'),
      }));
    if (reason === undefined) return undefined;
    decision = { kind: 'reject', reason };
  }
  const now = options.now ?? new Date();
  let result;
  try {
    result = await rewriteSpecFile(spec.path, (text) => applyApproval(text, decision, { by, now }));
  } catch (error) {
    if (error instanceof ApprovalError) {
      void vscode.window.showErrorMessage(error.message);
      return undefined;
    }
    throw error;
  }
  if (!result.changed) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} is already approved.', spec.id));
    return undefined;
  }
  const done = kind === 'approve' ? 'approved' : 'rejected';
  void vscode.window.showInformationMessage(
    result.leftUnsaved ? `${spec.id} is ${done} in the open editor, which has unsaved changes: save it to keep the decision.` : `${spec.id} ${done} by ${by}.`,
  );
  return kind;
}

/** Who approves: a real input box, filled with git's `user.name` (chant's `--by`). */
async function askApprover(root: string, kind: ApprovalDecision['kind'], name: string): Promise<string | undefined> {
  const gitName = await RunGit.open(root).then(
    (git) => git.userName(),
    () => undefined,
  );
  const by = await vscode.window.showInputBox({
    title: `${kind === 'approve' ? 'Approve' : 'Reject'} "${name}"`,
    prompt: vscode.l10n.t('Who decides (chant --by; git user.name by default)'),
    value: gitName ?? '',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() && !/[\r\n]/.test(value) ? undefined : 'One line, not empty'),
  });
  return by?.trim() || undefined;
}

export interface ReResearchOptions {
  /** What the new research should answer; asked when absent. */
  question?: string;
  now?: Date;
  /** Open the new spec (default true). */
  open?: boolean;
}

/** Specs Re-research from here offers: those of an investigation. */
export function isReResearchable(spec: Spec): boolean {
  return investigationKeyOf(spec) !== undefined;
}

/** Writes a research spec for the phase of `target`; returns its id, or undefined when the user backed out. */
export async function reResearch(
  projects: ProjectService,
  phases: readonly PhaseDefinition[],
  target: SpecTarget,
  options: ReResearchOptions = {},
): Promise<string | undefined> {
  const { spec, index } = target;
  const key = investigationKeyOf(spec);
  if (!key) {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} belongs to no investigation (no issue-<n> label): there is no chain to re-research in.', spec.id));
    return undefined;
  }
  const question =
    options.question ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('Re-research from "{0}"', spec.title?.trim() || spec.id),
      prompt: vscode.l10n.t('What the new research should answer (one line)'),
      placeHolder: vscode.l10n.t('does the lock also cover the compaction path?'),
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() && !/[\r\n]/.test(value) && !value.includes('---') ? undefined : "One line, not empty, without '---'"),
    }));
  if (!question) return undefined;
  const investigation = specsOfInvestigation([...index.sorted(), ...(index.archived?.values() ?? [])], key);
  let made;
  try {
    made = reResearchSpec({
      from: spec,
      investigation,
      question,
      phases,
      existingSpecNames: await listTopLevelSpecNames(index.paths),
      availablePrompts: await listPromptNames(index.paths),
      now: options.now ?? new Date(),
    });
  } catch (error) {
    if (error instanceof ReResearchError) {
      void vscode.window.showErrorMessage(error.message);
      return undefined;
    }
    throw error;
  }
  const file = index.paths.specFile(made.id);
  // New (O_EXCL): a spec of that id written meanwhile is never overwritten; never through a link.
  await createProjectFile(index.paths.root, file, made.text);
  await projects.refresh([file]);
  if (options.open !== false) await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
  void vscode.window.showInformationMessage(vscode.l10n.t('Created {0}: it writes {1} and comes after {2} in {3}.', made.id, made.document, spec.id, key));
  return made.id;
}
