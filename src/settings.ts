// Typed access to the extension's settings; one place knows their names and defaults.
import * as vscode from 'vscode';
import { normalizePhases, phaseOf, UNPHASED, type PhaseDefinition } from './core/workflow/phases';
import type { Spec } from './core/spec/types';

export function configuredPhases(): readonly PhaseDefinition[] {
  return normalizePhases(vscode.workspace.getConfiguration('chant').get<unknown>('phases'));
}

/** The spec's phase by the configured phases; undefined when it has none (terminal names, run rows). */
export function phaseName(spec: Pick<Spec, 'labels'>): string | undefined {
  const phase = phaseOf(spec, configuredPhases());
  return phase === UNPHASED ? undefined : phase;
}

/** The `actions` runner's settings (GitHub Actions). */
export interface ActionsSettings {
  /** Runs on GitHub Actions at once (a batch's limit there), separate from chant.parallel.maxAgents. */
  maxRuns: number;
  /** `runs-on` labels: `ubuntu-latest`, or `self-hosted, linux`. */
  runsOn: string;
  /** The agent the job runs (an id of ACTIONS_AGENTS). */
  agent: string;
  /** The git remote that is the GitHub repository. */
  remote: string;
  /** Warn when a run waits in GitHub's queue longer than this. */
  queueWarningMinutes: number;
  /** The job's time limit (written into the workflow). */
  timeoutMinutes: number;
  /** How often to ask GitHub while a job runs (backing off while queued). */
  pollMs: number;
}

/** A limit a workspace may lower but never raise above the user's own (or the default). */
function lowerOnly(key: string, fallback: number): number {
  const inspected = vscode.workspace.getConfiguration('chant').inspect<number>(key);
  const own = inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
  const workspace = inspected?.workspaceFolderValue ?? inspected?.workspaceValue;
  const value = typeof workspace === 'number' ? Math.min(own, workspace) : own;
  return Number.isFinite(value) ? value : fallback;
}

export function actionsSettings(): ActionsSettings {
  const config = vscode.workspace.getConfiguration('chant');
  return {
    maxRuns: Math.max(1, Math.floor(lowerOnly('actions.maxRuns', 5))),
    runsOn: config.get<string>('actions.runsOn', 'ubuntu-latest'),
    agent: config.get<string>('actions.agent', 'claude'),
    remote: config.get<string>('actions.remote', 'origin') || 'origin',
    queueWarningMinutes: Math.max(1, config.get<number>('actions.queueWarningMinutes', 10)),
    timeoutMinutes: Math.max(5, Math.floor(lowerOnly('actions.timeoutMinutes', 120))),
    pollMs: Math.max(200, config.get<number>('actions.pollMs', 3000)),
  };
}
