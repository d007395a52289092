// The one notification a run gets when it ends (direct, CLI or GitHub Actions), with its next action.
import * as vscode from 'vscode';
import { oneLine } from '../core/present/plainText';
import type { RunContext } from './context';
import { mergeSpec } from './merge';
import { reviewChanges } from './review';
import type { RunInfo } from './runRegistry';

const shownNotices = new Set<string>();

/**
 * One notification for a run that ended, carrying its next action. The run also waits in the Runs
 * view (Needs you), so dismissing the notification loses nothing; an action clicked after the run
 * moved on (merged from the view) is checked again before it does anything.
 */
export async function noticeRunEnded(ctx: RunContext, run: RunInfo): Promise<void> {
  const event = `${run.key}:${run.state}`;
  if (shownNotices.has(event)) return;
  shownNotices.add(event);
  const result = run.result;
  const branch = run.branch ?? run.plan?.branch ?? '';
  const name = run.title ? `"${oneLine(run.title, 60)}"` : run.id;
  const review = vscode.l10n.t('Review Changes');
  const merge = vscode.l10n.t('Merge');
  const showLog = vscode.l10n.t('Open Log');
  let choice: string | undefined;
  if (run.state === 'completed') {
    const commits = result?.commits.length ?? 0;
    const sentences = [
      run.reason
        ? vscode.l10n.t('{0} completed with {1} commit(s) on {2} ({3}).', name, commits, branch, run.reason)
        : vscode.l10n.t('{0} completed with {1} commit(s) on {2}.', name, commits, branch),
      result?.uncheckedCriteria.length ? vscode.l10n.t('{0} criterion(s) left unchecked.', result.uncheckedCriteria.length) : '',
      result?.copiedBack.length ? vscode.l10n.t('Copied back: {0}.', result.copiedBack.join(', ')) : '',
    ];
    const actions = commits > 0 ? [review, merge, showLog] : [showLog];
    choice = await vscode.window.showInformationMessage(sentences.filter(Boolean).join(' '), ...actions);
  } else {
    choice = await vscode.window.showWarningMessage(vscode.l10n.t('{0} failed: {1}. The branch {2} and its worktree are kept; work the spec again to continue.', name, run.reason ?? result?.reason ?? vscode.l10n.t('the agent did not finish'), branch), showLog, review);
  }
  const found = ctx.projects.findSpec(run.id);
  if (choice === review && found) await reviewChanges(ctx, found.index, found.spec);
  else if (choice === merge && found) {
    if (run.need !== 'merge' && run.state === 'completed') void vscode.window.showInformationMessage(vscode.l10n.t('{0} was merged already.', run.id));
    else await mergeSpec(ctx, found.index, found.spec);
  } else if (choice === showLog) await ctx.logs.open(run);
}
