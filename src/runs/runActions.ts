// The Runs view's own actions, on a run record rather than a spec: open its log or terminal,
// dismiss it from Needs you, discard what it left behind. (Review, Merge, Pause, Take Over, Continue
// and Start Over are the spec commands; commands/target.ts turns a run's row into its spec, and an
// argument into the run these act on.)
import * as vscode from 'vscode';
import type { RunRecord } from '../core/runs/runRecord';
import { isLive } from '../core/runs/runRecord';
import type { RunContext } from './context';
import { removeRunWorktree } from './directRun';
import { offerWorktreeRemoval } from './merge';

export async function openRunLog(ctx: RunContext, run: RunRecord): Promise<void> {
  await ctx.logs.open(run);
}

export function openRunTerminal(ctx: RunContext, run: RunRecord): void {
  const terminal = ctx.terminals.of(run.id, run.root);
  if (terminal) terminal.show();
  else void vscode.window.showInformationMessage(vscode.l10n.t('The terminal of {0} is closed. Open Log shows what the agent did.', run.id));
}

/** Moves a finished run out of Needs you, without touching its branch or files. */
export function dismissRun(ctx: RunContext, run: RunRecord): void {
  ctx.registry.dismiss(run.key);
}

/**
 * Discard: the run's worktree is removed (only the run's own outputs go without asking; anything
 * else is listed first) and the run leaves Needs you. The branch and its commits are kept: nothing
 * a run did is deleted; Start Over later renames the branch to a backup.
 */
export async function discardRun(ctx: RunContext, run: RunRecord): Promise<void> {
  if (isLive(run.state)) {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} is still running: pause it first.', run.id));
    return;
  }
  const index = ctx.projects.projects().find((p) => p.paths.root === run.root);
  if (!index) throw new Error(`The project of ${run.id} is not open.`);
  const confirm = vscode.l10n.t('Discard');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Discard the run of {0}?', run.id),
    { modal: true, detail: run.workDir ? vscode.l10n.t('Its worktree ({0}) is removed. The branch {1} and its commits are kept.', run.workDir, run.branch ?? '') : vscode.l10n.t('Its worktree is removed. The branch {0} and its commits are kept.', run.branch ?? '') },
    confirm,
  );
  if (choice !== confirm) return;
  if (run.workDir) {
    // The same removal as Merge's: the run's outputs are kept, anything else is asked about first.
    const removal = await removeRunWorktree(index.paths, run.workDir, run.id);
    for (const notice of removal.notices) void vscode.window.showInformationMessage(notice);
    if (!removal.removed && removal.needsConfirmation.length > 0) await offerWorktreeRemoval(index, run.id, { dir: run.workDir, files: removal.needsConfirmation });
  }
  if (!ctx.registry.isRunning(run.id, run.root)) ctx.terminals.close(run.root, run.id);
  ctx.registry.dismiss(run.key, `discarded${run.branch ? `; ${run.branch} kept` : ''}`);
}
