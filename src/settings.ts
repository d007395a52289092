// Typed access to the extension's settings; one place knows their names and defaults.
import * as vscode from 'vscode';
import { normalizePhases, phaseOf, UNPHASED, type PhaseDefinition } from './core/workflow/phases';
import type { Spec } from './core/spec/types';
import { parsePriceTable, type PriceTable } from './core/runs/prices';

export function configuredPhases(): readonly PhaseDefinition[] {
  return normalizePhases(vscode.workspace.getConfiguration('chant').get<unknown>('phases'));
}

/** The spec's phase by the configured phases; undefined when it has none (terminal names, run rows). */
export function phaseName(spec: Pick<Spec, 'labels'>): string | undefined {
  const phase = phaseOf(spec, configuredPhases());
  return phase === UNPHASED ? undefined : phase;
}

/** `chant.agent.prices`: dollars per million tokens per model, for agents that report no cost. */
export function agentPrices(): PriceTable {
  return parsePriceTable(vscode.workspace.getConfiguration('chant').get<unknown>('agent.prices'));
}

/** `chant.notifications.desktop`: needs-you events also as desktop notifications (opt-in). */
export function desktopNotifications(): boolean {
  return vscode.workspace.getConfiguration('chant').get<boolean>('notifications.desktop', false) === true;
}

/** `chant.runs.budgetUsd` (0 = off) and `chant.runs.budgetStop` (pause a run past it, opt-in). */
export function runBudget(): { usd: number; stop: boolean } {
  const config = vscode.workspace.getConfiguration('chant');
  const usd = config.get<number>('runs.budgetUsd', 0);
  return { usd: typeof usd === 'number' && Number.isFinite(usd) && usd > 0 ? usd : 0, stop: config.get<boolean>('runs.budgetStop', false) === true };
}
