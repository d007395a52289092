// Work Phase Chain: work an investigation's ready phases in order, merging each before the next.
// Between phases it asks (Review Changes / Merge and Continue) unless chant.chain.pauseBetweenPhases
// is off. It reads the next phase's readiness from the index after each merge, waiting for the
// index's change event, not polling.
import * as vscode from 'vscode';
import { specsOfInvestigation } from '../core/workflow/investigationSpecs';
import type { InvestigationTarget } from '../commands/pickers';
import type { RunContext } from '../runs/context';
import { mergeSpec } from '../runs/merge';
import { reviewChanges } from '../runs/review';
import { workSpec } from '../runs/work';

export interface ChainOptions {
  pauseBetweenPhases?: boolean;
  /** Stop after this many phases (tests). */
  maxPhases?: number;
}

/** The ids of the phases it worked. */
export async function workPhaseChain(ctx: RunContext, target: InvestigationTarget, options: ChainOptions): Promise<string[]> {
  const worked: string[] = [];
  const { index, key } = target;
  const root = index.paths.root;
  const pause = options.pauseBetweenPhases ?? vscode.workspace.getConfiguration('chant').get<boolean>('chain.pauseBetweenPhases', true);
  for (;;) {
    if (options.maxPhases !== undefined && worked.length >= options.maxPhases) break;
    const phases = specsOfInvestigation(index.sorted(), key);
    const next = phases.find((spec) => index.readiness(spec.id)?.ready && !ctx.registry.isRunning(spec.id, root));
    if (!next) {
      const open = phases.filter((s) => s.status !== 'completed' && s.status !== 'cancelled');
      void vscode.window.showInformationMessage(
        open.length === 0 ? `Every phase of ${key} is completed.` : `No phase of ${key} is ready: ${open.map((s) => `${s.id} (${index.readiness(s.id)?.effective ?? s.status})`).join(', ')}.`,
      );
      break;
    }
    const info = await workSpec(ctx, index, next, { startOver: false, waitForFinish: true, quietOnSuccess: pause });
    if (!info) break;
    worked.push(next.id);
    if (info.state !== 'completed') {
      void vscode.window.showWarningMessage(`The chain stopped: ${next.id} ${info.state}.`);
      break;
    }
    if (info.runner === 'direct') {
      if (pause) {
        const review = 'Review Changes';
        const go = 'Merge and Continue';
        let choice: string | undefined;
        do {
          choice = await vscode.window.showInformationMessage(`${next.title ?? next.id} is completed. Review it, then merge it and work the next phase?`, review, go);
          const current = index.get(next.id);
          if (choice === review && current) await reviewChanges(ctx, index, current);
        } while (choice === review);
        if (choice !== go) break;
      }
      const current = index.get(next.id) ?? next;
      if (!(await mergeSpec(ctx, index, current, { confirmed: true, deleteBranch: false }))) break;
    } else if (pause) {
      const go = 'Continue';
      if ((await vscode.window.showInformationMessage(`${next.id} finished. Work the next phase?`, go)) !== go) break;
    }
    // The next phase's readiness depends on this one being completed in the index.
    await ctx.projects.refresh([next.path]);
    await ctx.projects.waitUntil(() => index.get(next.id)?.status === 'completed', 10_000);
  }
  return worked;
}
