// Approve, Reject and Re-research from here: chant's approval gate (CHANT-FORMAT §9 `approve` /
// `reject`) and the guide's "re-research, don't improvise", as editor commands. The edits are the
// core's (core/workflow/approval.ts, reResearch.ts); this file asks the questions (who approves,
// why it is rejected, what to re-research) and writes through the spec writer, so the rest of the
// file keeps its bytes and an editor with unsaved changes gets the edit in its buffer.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { listPromptNames, listTopLevelSpecNames } from '../core/project/project';
import { applyApproval, ApprovalError, type ApprovalDecision } from '../core/workflow/approval';
import { investigationKeyOf, type PhaseDefinition } from '../core/workflow/phases';
import { requiresApproval } from '../core/project/readiness';
import { log } from '../log';
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

/**
 * Specs the Approve / Reject pickers offer: those that wait on an approval (`approval.required` and
 * not approved yet, a rejected one included) and are not finished. chant approves any spec named to
 * it, and so do the commands given a spec; the picker lists only the ones where it matters.
 */
export function isApprovable(spec: Spec): boolean {
  return !spec.archived && requiresApproval(spec) && spec.status !== 'completed' && spec.status !== 'cancelled';
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
  const committed = result.leftUnsaved ? undefined : await commitDecision(index.paths.root, spec.path, spec.id, kind);
  void vscode.window.showInformationMessage(
    result.leftUnsaved
      ? vscode.l10n.t('{0} is {1} in the open editor, which has unsaved changes: save it to keep the decision.', spec.id, done)
      : committed
        ? vscode.l10n.t('{0} {1} by {2} (committed as {3}).', spec.id, done, by, committed)
        : vscode.l10n.t('{0} {1} by {2}.', spec.id, done, by),
  );
  return kind;
}

/**
 * As `chant approve` / `chant reject` do: the spec file committed as `chant(<id>): approve spec` (or
 * `reject spec`) when git tracks it. Only that file goes into the commit, whatever else is staged;
 * an untracked spec (silent mode, or never added) is left as it is. The short SHA, or undefined.
 */
async function commitDecision(root: string, file: string, id: string, kind: ApprovalDecision['kind']): Promise<string | undefined> {
  try {
    const git = await RunGit.open(root);
    const top = await git.topLevel();
    // The folder's real path (git's top level is one); the file itself is named, never followed.
    const relative = path.relative(top, path.join(await fs.realpath(path.dirname(file)), path.basename(file)));
    if (relative.startsWith('..') || path.isAbsolute(relative) || !(await git.isTracked(relative, top))) return undefined;
    return await git.commitPaths(top, [relative], `chant(${id}): ${kind} spec`);
  } catch (error) {
    log.warn(`Committing the ${kind} of ${id} failed: ${error instanceof Error ? error.message : String(error)}`);
    void vscode.window.showWarningMessage(vscode.l10n.t('The decision is written in {0}, but committing it failed: {1}', id, error instanceof Error ? error.message : String(error)));
    return undefined;
  }
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
