// Work Phase Chain: work an investigation's ready phases in order, merging each before the next.
// The chain is a run group of its own in the Runs view. Between phases (chant.chain.pauseBetweenPhases,
// on by default) it waits in Needs you with Merge and Continue / Review / Stop; the notification
// that says so carries the same actions, and dismissing it decides nothing. A chain parked when the
// window reloads comes back in Needs you, and Merge and Continue resumes it there.
import * as vscode from 'vscode';
import { specsOfInvestigation } from '../core/workflow/investigationSpecs';
import type { InvestigationTarget } from '../views/pickers';
import type { RunContext } from '../runs/context';
import { mergeSpec } from '../runs/merge';
import { reviewChanges } from '../runs/review';
import type { ChainDecision, ChainRecord } from '../runs/runRegistry';
import { workSpec } from '../runs/work';
import { settings } from '../settings';

export interface ChainOptions {
  pauseBetweenPhases?: boolean;
  /** Stop after this many phases (tests). */
  maxPhases?: number;
}

/** The ids of the phases it worked. */
export async function workPhaseChain(ctx: RunContext, target: InvestigationTarget, options: ChainOptions, resumed?: ChainRecord): Promise<string[]> {
  const { index, key } = target;
  const root = index.paths.root;
  const pause = options.pauseBetweenPhases ?? settings.pauseBetweenPhases.value;
  const chain = resumed ?? ctx.registry.beginChain(root, key);
  const worked: string[] = [];
  const end = (outcome: string): string[] => {
    if (chain.state !== 'done') ctx.registry.endChain(chain, outcome);
    return worked;
  };
  for (;;) {
    if (chain.state === 'done') return worked; // stopped from the Runs view
    if (options.maxPhases !== undefined && worked.length >= options.maxPhases) return end(`stopped after ${worked.length} phase(s)`);
    const phases = specsOfInvestigation(index.sorted(), key);
    const next = phases.find((spec) => index.readiness(spec.id)?.ready && !ctx.registry.isRunning(spec.id, root));
    if (!next) {
      const open = phases.filter((s) => s.status !== 'completed' && s.status !== 'cancelled');
      const message = open.length === 0 ? `Every phase of ${key} is completed.` : `No phase of ${key} is ready: ${open.map((s) => `${s.id} (${index.readiness(s.id)?.effective ?? s.status})`).join(', ')}.`;
      void vscode.window.showInformationMessage(message);
      return end(open.length === 0 ? 'every phase completed' : 'no phase ready');
    }
    ctx.registry.updateChain(chain, { state: 'running', current: next.id, currentTitle: next.title });
    const info = await workSpec(ctx, index, next, { startOver: false, waitForFinish: true, quietOnSuccess: pause, chain: chain.key });
    if (!info) return end(`${next.id} did not start`);
    worked.push(next.id);
    if (info.state !== 'completed') {
      void vscode.window.showWarningMessage(vscode.l10n.t('The chain stopped: {0} {1}.', next.id, info.state));
      return end(`${next.id} ${info.state}`);
    }
    if (pause) {
      const decision = await askBetweenPhases(ctx, chain, next.id, next.title, info.runner !== 'cli');
      if (decision !== 'continue') {
        // The phase's branch is still to merge: its run waits in Needs you on its own now.
        const run = ctx.registry.get(next.id, root);
        if (run?.result?.commits.length && ctx.registry.isRunning(next.id, root) === false) ctx.registry.setNeed(run, 'merge');
        return end('stopped between phases');
      }
    }
    if (info.runner !== 'cli' && !(await mergePhase(ctx, target, next.id))) return end(`merging ${next.id} did not complete`);
    // The next phase's readiness depends on this one being completed in the index.
    await ctx.projects.refresh([next.path]);
    await ctx.projects.waitUntil(() => index.get(next.id)?.status === 'completed', 10_000);
  }
}

/**
 * Merges a phase as a plain Merge with "Merge and Delete Branch" does (one merge path): the merged
 * branch goes (`git branch -d`, which refuses an unmerged one). The Fork Fix's branch stays: it is
 * what Create Staging PR and Create Upstream PR push to the fork.
 */
async function mergePhase(ctx: RunContext, target: InvestigationTarget, id: string): Promise<boolean> {
  const current = target.index.get(id);
  if (!current) return false;
  // The fix is the investigation's (last) code spec, whether its branch exists yet or not.
  const fix = [...specsOfInvestigation(target.index.sorted(), target.key)].reverse().find((s) => s.type === 'code');
  return mergeSpec(ctx, target.index, current, { confirmed: true, deleteBranch: fix?.id !== id });
}

/**
 * Parks the chain in Needs you and asks. The notification's Review opens the review and asks again;
 * closing it leaves the chain waiting in the Runs view, where the same actions are.
 */
function askBetweenPhases(ctx: RunContext, chain: ChainRecord, id: string, title: string | undefined, merges: boolean): Promise<ChainDecision> {
  const decision = ctx.registry.waitForDecision(chain, id, title);
  const review = vscode.l10n.t('Review Changes');
  const go = merges ? 'Merge and Continue' : 'Continue';
  const stop = vscode.l10n.t('Stop');
  const ask = (): void => {
    void vscode.window.showInformationMessage((merges ? vscode.l10n.t('{0} is completed. Review it, then merge it and work the next phase?', title ?? id) : vscode.l10n.t('{0} is completed. Review it, then work the next phase?', title ?? id)), review, go, stop).then(async (choice) => {
      if (chain.state !== 'waiting' || chain.current !== id) return; // answered elsewhere meanwhile
      if (choice === go) ctx.registry.decide(chain.key, 'continue');
      else if (choice === stop) ctx.registry.decide(chain.key, 'stop');
      else if (choice === review) {
        await reviewChain(ctx, chain);
        ask();
      }
    });
  };
  ask();
  return decision;
}

/** Review Changes on the phase a waiting chain would merge. */
export async function reviewChain(ctx: RunContext, chain: ChainRecord): Promise<void> {
  const found = chain.current ? ctx.projects.findSpec(chain.current) : undefined;
  if (found) await reviewChanges(ctx, found.index, found.spec);
}

/**
 * Merge and Continue from the Runs view. A chain whose loop still waits is told; one parked before
 * a window reload (no loop listens) is resumed here: its completed phase merged, the loop restarted.
 */
export async function continueChain(ctx: RunContext, chain: ChainRecord): Promise<void> {
  if (chain.state !== 'waiting') {
    void vscode.window.showInformationMessage((chain.state === 'running' ? vscode.l10n.t('The chain of {0} is working already.', chain.investigation) : vscode.l10n.t('The chain of {0} is over.', chain.investigation)));
    return;
  }
  if (ctx.registry.decide(chain.key, 'continue')) return;
  const index = ctx.projects.projects().find((p) => p.paths.root === chain.root);
  if (!index) throw new Error(`The project of the chain of ${chain.investigation} is not open.`);
  const target = { index, key: chain.investigation };
  const current = chain.current ? index.get(chain.current) : undefined;
  if (current && ctx.registry.isRunning(current.id, chain.root)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} is still running; the chain continues when it is done.', current.id));
    return;
  }
  ctx.registry.updateChain(chain, { state: 'running' });
  if (current && current.status === 'completed' && !(await mergePhase(ctx, target, current.id))) {
    ctx.registry.updateChain(chain, { state: 'waiting' });
    return;
  }
  if (current) {
    await ctx.projects.refresh([current.path]);
  }
  await workPhaseChain(ctx, target, {}, chain);
}

export function stopChain(ctx: RunContext, chain: ChainRecord): void {
  if (!ctx.registry.decide(chain.key, 'stop') && chain.state !== 'done') ctx.registry.endChain(chain, 'stopped');
}
