// Merge: the spec's branch into main_branch (fast-forward when possible), then its worktree is
// removed and, if asked, the branch deleted. A conflict leaves the merge in progress with its files
// open; nothing is reset.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SpecIndex } from '../core/project/specIndex';
import type { Spec } from '../core/spec/types';
import { pickSpecFrom, specPickItem, type SpecTarget } from '../views/pickers';
import type { ProjectService } from '../workspace/projectService';
import { RunGit, RunGitError } from '../git/runGit';
import type { RunContext } from './context';
import { mergeSpecBranch, removeRunWorktree, specBranch } from './directRun';

export interface MergeOptions {
  deleteBranch?: boolean;
  /** Skip the confirmation. */
  confirmed?: boolean;
}

/**
 * The merge kept the run's worktree because removing it would delete files no run produced: list
 * them and remove the worktree only when the user says so.
 */
export async function offerWorktreeRemoval(index: SpecIndex, id: string, kept: { dir: string; files: string[] }): Promise<void> {
  const remove = vscode.l10n.t('Delete Them and Remove Worktree');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('The worktree {0} was kept: removing it would delete {1} file(s) that no run produced.', kept.dir, kept.files.length),
    { modal: true, detail: kept.files.slice(0, 20).join('\n') + (kept.files.length > 20 ? `\n… and ${kept.files.length - 20} more` : '') },
    remove,
  );
  if (choice !== remove) return;
  const removal = await removeRunWorktree(index.paths, kept.dir, id, kept.files);
  for (const notice of removal.notices) void vscode.window.showInformationMessage(notice);
}

/**
 * The Merge picker: only specs whose branch has commits the main branch lacks, most recently
 * committed first, the active editor's spec pre-selected.
 */
export async function pickSpecToMerge(projects: ProjectService, active: SpecTarget | undefined): Promise<SpecTarget | undefined> {
  await projects.ready();
  const items: Array<vscode.QuickPickItem & { target: SpecTarget }> = [];
  for (const index of projects.projects()) {
    const git = await RunGit.open(index.paths.root).catch(() => undefined);
    if (!git) continue;
    const prefix = index.config.branchPrefix;
    for (const branch of await git.unmergedBranches(prefix, index.config.mainBranch)) {
      const spec = index.get(branch.slice(prefix.length));
      if (spec && !spec.archived) items.push({ ...specPickItem(index, spec), detail: vscode.l10n.t('{0} · not merged into {1}', branch, index.config.mainBranch) });
    }
  }
  if (items.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No spec branch has unmerged commits.'));
    return undefined;
  }
  return pickSpecFrom(items, vscode.l10n.t('Spec branch to merge (newest first)'), active);
}

export async function mergeSpec(ctx: RunContext, index: SpecIndex, spec: Spec, options: MergeOptions = {}): Promise<boolean> {
  const id = spec.id;
  if (ctx.registry.isRunning(id, index.paths.root)) {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} is still running; pause it or wait for it to finish before merging.', id));
    return false;
  }
  const branch = spec.branch ?? specBranch(index.config, id);
  let deleteBranch = options.deleteBranch;
  if (!options.confirmed) {
    const merge = vscode.l10n.t('Merge');
    const mergeDelete = vscode.l10n.t('Merge and Delete Branch');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Merge {0} into {1}?', branch, index.config.mainBranch),
      { modal: true, detail: vscode.l10n.t('Fast-forward when possible, otherwise a merge commit. The worktree is removed afterwards.') },
      merge,
      mergeDelete,
    );
    if (!choice) return false;
    deleteBranch = choice === mergeDelete;
  }
  try {
    // Only the spec's own branch (or the one this session's run worked on) is ever merged: a
    // `branch:` field naming anything else is refused by mergeSpecBranch.
    const recordedBranch = ctx.registry.get(id, index.paths.root)?.plan?.branch;
    const result = await mergeSpecBranch(index.paths, index.config, id, { branch, recordedBranch, deleteBranch });
    for (const notice of result.notices) void vscode.window.showInformationMessage(notice);
    if (result.worktreeKept) void offerWorktreeRemoval(index, id, result.worktreeKept);
    const merged =
      result.kind === 'fast-forward'
        ? vscode.l10n.t('{0} merged into {1} (fast-forward).', branch, result.into)
        : result.kind === 'merge-commit'
          ? vscode.l10n.t('{0} merged into {1} with a merge commit.', branch, result.into)
          : vscode.l10n.t('{0} had nothing {1} lacks: nothing to merge.', branch, result.into);
    const after = [result.worktreeRemoved ? vscode.l10n.t('Its worktree was removed.') : '', result.branchDeleted ? vscode.l10n.t('The branch was deleted.') : ''].filter(Boolean).join(' ');
    void vscode.window.showInformationMessage(after ? `${merged} ${after}` : merged);
    ctx.registry.merged(index.paths.root, id);
    // The run's terminal sat in the worktree just removed: it goes too (the next run opens a fresh one).
    if (result.worktreeRemoved && !ctx.registry.isRunning(id, index.paths.root)) ctx.terminals.close(index.paths.root, id);
    // The merge rewrote the spec file: have the index read it before anyone asks for it.
    await ctx.projects.refresh([spec.path]);
    return true;
  } catch (error) {
    if (error instanceof RunGitError && error.reason === 'conflict') {
      const run = ctx.registry.get(id, index.paths.root);
      if (run) ctx.registry.setNeed(run, 'conflict');
      // Nothing is reset: the merge stays in progress and its files open for resolving.
      void vscode.window.showErrorMessage(vscode.l10n.t('{0}. The merge is left in progress: resolve the files and commit, or run git merge --abort.', error.message));
      const topLevel = await (await RunGit.open(index.paths.root)).topLevel();
      for (const file of error.files) {
        const uri = vscode.Uri.file(path.join(topLevel, file));
        // The merge editor needs the git extension to know the repository; a text editor always works.
        await vscode.commands.executeCommand('git.openMergeEditor', uri).then(undefined, () => vscode.window.showTextDocument(uri, { preview: false }));
      }
      return false;
    }
    if (error instanceof RunGitError) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not merge {0}: {1}', branch, error.message));
      return false;
    }
    throw error;
  }
}
