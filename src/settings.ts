// Typed access to the extension's settings: the one place that reads (or writes) a `chant.*` setting.
// Whose value counts (the user's only, a workspace that may only lower a limit, or any) is decided by
// core/runs/settingValues.ts from what `inspect()` answers, never by `get()`, which would let a
// repository's .vscode/settings.json pick the programs we run.
import * as vscode from 'vscode';
import { phaseOf, UNPHASED, type PhaseDefinition } from './core/workflow/phases';
import { resolveSetting, SETTING_RULES, type SettingRule } from './core/runs/settingValues';
import type { Spec } from './core/spec/types';
import { parsePriceTable, type PriceTable } from './core/runs/prices';

/** One `chant.*` setting: its id, its value now by its trust rule, and whether a change touches it. */
export class Setting<T> {
  constructor(protected readonly rule: SettingRule<T>) {}

  /** `chant.<key>`, as package.json and the Settings editor name it. */
  get id(): string {
    return `chant.${this.rule.key}`;
  }

  /** The value that counts now (read on every call: settings change while the window is open). */
  get value(): T {
    return resolveSetting(this.rule, vscode.workspace.getConfiguration('chant').inspect(this.rule.key));
  }

  affectedBy(event: vscode.ConfigurationChangeEvent): boolean {
    return event.affectsConfiguration(this.id);
  }
}

/** A setting read from the user's (or the remote machine's) settings only, and written there. */
export class UserSetting<T> extends Setting<T> {
  /** Writes the user's value (undefined removes it); VS Code puts a `machine` setting in the Remote tab when remote. */
  async setForUser(value: T | undefined): Promise<void> {
    await vscode.workspace.getConfiguration('chant').update(this.rule.key, value, vscode.ConfigurationTarget.Global);
  }
}

export const settings = {
  /** `chant.phases`: the workflow phases in order. */
  phases: new Setting(SETTING_RULES.phases),
  /** `chant.runner`: auto, cli or direct (user only). */
  runner: new UserSetting(SETTING_RULES.runner),
  /** `chant.cliPath`: the chant executable, trimmed; empty = `chant` from PATH (user only). */
  cliPath: new UserSetting(SETTING_RULES.cliPath),
  /** `chant.isolation`: a worktree per spec, or this checkout. */
  isolation: new Setting(SETTING_RULES.isolation),
  /** `chant.worktreeFolder`: where worktrees go; empty = the system temp folder (user only). */
  worktreeFolder: new UserSetting(SETTING_RULES.worktreeFolder),
  /** `chant.agent.command`: the direct runner's agent command line; empty = chant's claude line (user only). */
  agentCommand: new UserSetting(SETTING_RULES.agentCommand),
  /** `chant.chain.pauseBetweenPhases`. */
  pauseBetweenPhases: new Setting(SETTING_RULES.pauseBetweenPhases),
  /** `chant.parallel.maxAgents`: 1..16; a workspace may lower it, never raise it. */
  maxAgents: new Setting(SETTING_RULES.maxAgents),
  /** `chant.runs.budgetUsd`: 0 = off; a workspace may lower it (or turn it on), never raise it or turn it off. */
  budgetUsd: new Setting(SETTING_RULES.budgetUsd),
  /** `chant.runs.budgetStop`: pause a run past the budget instead of only warning (user only). */
  budgetStop: new UserSetting(SETTING_RULES.budgetStop),
  /** `chant.agent.prices`: the raw price table; read it through agentPrices() (user only). */
  agentPrices: new UserSetting(SETTING_RULES.agentPrices),
  /** `chant.notifications.desktop`: needs-you events as desktop notifications too (user only). */
  desktopNotifications: new UserSetting(SETTING_RULES.desktopNotifications),
  /** `chant.actions.maxRuns`: runs on GitHub Actions at once; a workspace may lower it, never raise it. */
  actionsMaxRuns: new Setting(SETTING_RULES.actionsMaxRuns),
  /** `chant.actions.runsOn`: the workflow's runner labels (user only). */
  actionsRunsOn: new UserSetting(SETTING_RULES.actionsRunsOn),
  /** `chant.actions.agent`: the agent CLI the job installs and runs (user only). */
  actionsAgent: new UserSetting(SETTING_RULES.actionsAgent),
  /** `chant.actions.remote`: the git remote that is the GitHub repository (user only). */
  actionsRemote: new UserSetting(SETTING_RULES.actionsRemote),
  /** `chant.actions.queueWarningMinutes`. */
  actionsQueueWarningMinutes: new Setting(SETTING_RULES.actionsQueueWarningMinutes),
  /** `chant.actions.timeoutMinutes`: the job's time limit; a workspace may lower it, never raise it. */
  actionsTimeoutMinutes: new Setting(SETTING_RULES.actionsTimeoutMinutes),
  /** `chant.actions.pollMs`: how often to ask GitHub about a running job. */
  actionsPollMs: new Setting(SETTING_RULES.actionsPollMs),
} as const;

export function configuredPhases(): readonly PhaseDefinition[] {
  return settings.phases.value;
}

/** The spec's phase by the configured phases; undefined when it has none (terminal names, run rows). */
export function phaseName(spec: Pick<Spec, 'labels'>): string | undefined {
  const phase = phaseOf(spec, configuredPhases());
  return phase === UNPHASED ? undefined : phase;
}

/** `chant.agent.prices`, each entry checked: dollars per million tokens per model, for agents that report no cost. */
export function agentPrices(): PriceTable {
  return parsePriceTable(settings.agentPrices.value);
}

/** The `actions` runner's settings (GitHub Actions). */
export interface ActionsSettings {
  /** Runs on GitHub Actions at once (a batch's limit there), separate from chant.parallel.maxAgents. */
  maxRuns: number;
  /** `runs-on` labels: `ubuntu-latest`, or `self-hosted, linux`. */
  runsOn: string;
  /** The agent the job runs (an id of ACTIONS_AGENTS, core/runs/agents/actions.ts). */
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

/** The `actions` runner's settings, each by its trust rule. */
export function actionsSettings(): ActionsSettings {
  return {
    maxRuns: settings.actionsMaxRuns.value,
    runsOn: settings.actionsRunsOn.value,
    agent: settings.actionsAgent.value,
    remote: settings.actionsRemote.value,
    queueWarningMinutes: settings.actionsQueueWarningMinutes.value,
    timeoutMinutes: settings.actionsTimeoutMinutes.value,
    pollMs: settings.actionsPollMs.value,
  };
}
