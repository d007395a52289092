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
