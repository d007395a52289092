// The hard stop of cost control (chant.runs.budgetStop, opt-in): a run whose cost passes
// chant.runs.budgetUsd is paused as Pause would (the branch and its commits kept), waits in Needs
// you with the reason, and the user is told. The cost is the agent's, or the price table's estimate.
import * as vscode from 'vscode';
import { formatCost } from '../core/runs/agentStream';
import type { RunContext } from './context';
import { pauseRun } from './pause';

export function registerBudgetStop(ctx: RunContext): vscode.Disposable {
  return ctx.logs.onDidPassBudget(async ({ run, cost, budget }) => {
    const found = ctx.projects.findSpec(run.id);
    const live = ctx.registry.get(run.id, run.root);
    if (!found || !live || live.key !== run.key) return;
    const reason = vscode.l10n.t('Paused: its cost {0} passed the budget of {1} (chant.runs.budgetUsd).', formatCost(cost), formatCost(budget));
    try {
      await pauseRun(ctx, found.index, found.spec, { quiet: true });
    } catch (error) {
      // Not paused (gh missing, a GitHub run not listed yet): said, never an unhandled rejection.
      const why = error instanceof Error ? error.message : String(error);
      ctx.registry.setNeed(live, 'attention');
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} passed the budget of {1}, but could not be paused: {2}', run.title ?? run.id, formatCost(budget), why));
      return;
    }
    ctx.registry.update(live, { reason });
    ctx.registry.setNeed(live, 'attention');
    const open = vscode.l10n.t('Open Log');
    if ((await vscode.window.showWarningMessage(vscode.l10n.t('{0} was paused: its cost {1} passed the budget of {2}. Its branch is kept; work the spec again to continue.', run.title ?? run.id, formatCost(cost), formatCost(budget)), open)) === open) {
      await ctx.logs.open(live);
    }
  });
}
