// Which of a setting's values count, by what the setting can do. `src/settings.ts` hands in what VS Code's
// `inspect()` answers; this part knows no editor, so the rules are tested in plain Node.
//
// A repository's `.vscode/settings.json` arrives with every pull request and branch, so a workspace value is
// untrusted (README, Threat model):
// - `user`: a setting that names a program or a folder is read from the user's (or the remote machine's)
//   settings only. package.json also scopes it `machine`, but an older VS Code or a hand-written settings file
//   must not be able to override it either, so the workspace values are never looked at.
// - `lowerOnly`: a limit the workspace may lower, never raise; for a limit where 0 means "off" (a budget),
//   a workspace can turn it on or lower it, never turn the user's limit off.
// - `any`: presentation and workflow preferences the repository may set like any other.
import { normalizePhases, type PhaseDefinition } from '../workflow/phases';
import { ACTIONS_AGENTS } from './agents/actions';

/** What VS Code's `WorkspaceConfiguration.inspect()` answers for one setting (the parts read here). */
export interface SettingValues {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

export type SettingTrust = 'user' | 'lowerOnly' | 'any';

export interface SettingRule<T> {
  /** The key under `chant.` (package.json's `contributes.configuration` names it `chant.<key>`). */
  readonly key: string;
  readonly trust: SettingTrust;
  /** The value when no usable one is set; equals package.json's `default` (a unit test checks). */
  readonly fallback: T;
  /** The usable value, or undefined for a value of the wrong kind (which then counts as not set). */
  readonly read: (raw: unknown) => T | undefined;
  /** For `lowerOnly` limits: the value that means "no limit" (0 for a budget). */
  readonly off?: number;
}

export type RunnerSetting = 'auto' | 'cli' | 'direct' | 'actions';
export type IsolationSetting = 'worktree' | 'checkout';

const text = (raw: unknown): string | undefined => (typeof raw === 'string' ? raw : undefined);
const oneOf =
  <T extends string>(...values: T[]) =>
  (raw: unknown): T | undefined =>
    values.find((value) => value === raw);
const bool = (raw: unknown): boolean | undefined => (typeof raw === 'boolean' ? raw : undefined);

/** Every `chant.*` setting: its key, whose value counts, its default and how a raw value is read. */
export const SETTING_RULES = {
  phases: {
    key: 'phases',
    trust: 'any',
    fallback: normalizePhases(undefined),
    read: (raw: unknown): PhaseDefinition[] | undefined => (Array.isArray(raw) ? normalizePhases(raw) : undefined),
  } satisfies SettingRule<PhaseDefinition[]>,
  runner: { key: 'runner', trust: 'user', fallback: 'auto', read: oneOf('auto', 'cli', 'direct', 'actions') } satisfies SettingRule<RunnerSetting>,
  cliPath: { key: 'cliPath', trust: 'user', fallback: '', read: (raw) => text(raw)?.trim() } satisfies SettingRule<string>,
  isolation: { key: 'isolation', trust: 'any', fallback: 'worktree', read: oneOf('worktree', 'checkout') } satisfies SettingRule<IsolationSetting>,
  worktreeFolder: { key: 'worktreeFolder', trust: 'user', fallback: '', read: (raw) => text(raw)?.trim() } satisfies SettingRule<string>,
  agentCommand: { key: 'agent.command', trust: 'user', fallback: '', read: text } satisfies SettingRule<string>,
  pauseBetweenPhases: {
    key: 'chain.pauseBetweenPhases',
    trust: 'any',
    fallback: true,
    read: bool,
  } satisfies SettingRule<boolean>,
  maxAgents: {
    key: 'parallel.maxAgents',
    trust: 'lowerOnly',
    fallback: 2,
    // package.json bounds it to 1..16; a hand-written 0.5 or 99 is brought inside rather than ignored.
    read: (raw) =>
      typeof raw === 'number' && Number.isFinite(raw) ? Math.min(16, Math.max(1, Math.floor(raw))) : undefined,
  } satisfies SettingRule<number>,
  budgetUsd: {
    key: 'runs.budgetUsd',
    trust: 'lowerOnly',
    fallback: 0,
    off: 0,
    read: (raw) => (typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? raw : undefined),
  } satisfies SettingRule<number>,
  // The hard stop a repository could turn off, the prices it could zero (both would lift cost
  // control), and desktop notifications: the user's alone.
  budgetStop: { key: 'runs.budgetStop', trust: 'user', fallback: false, read: bool } satisfies SettingRule<boolean>,
  agentPrices: {
    key: 'agent.prices',
    trust: 'user',
    fallback: {},
    // The entries are checked by core/runs/prices.ts (parsePriceTable).
    read: (raw): Readonly<Record<string, unknown>> | undefined => (typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined),
  } satisfies SettingRule<Readonly<Record<string, unknown>>>,
  desktopNotifications: { key: 'notifications.desktop', trust: 'user', fallback: false, read: bool } satisfies SettingRule<boolean>,
  // GitHub Actions (the `actions` runner). Where runs go (labels, remote) and which agent the job
  // installs decide where code runs with the repository's secrets: the user's settings only.
  actionsMaxRuns: {
    key: 'actions.maxRuns',
    trust: 'lowerOnly',
    fallback: 5,
    read: (raw) => (typeof raw === 'number' && Number.isFinite(raw) ? Math.min(50, Math.max(1, Math.floor(raw))) : undefined),
  } satisfies SettingRule<number>,
  actionsRunsOn: { key: 'actions.runsOn', trust: 'user', fallback: 'ubuntu-latest', read: (raw) => text(raw)?.trim() || undefined } satisfies SettingRule<string>,
  actionsAgent: { key: 'actions.agent', trust: 'user', fallback: 'claude', read: oneOf(...ACTIONS_AGENTS.map((agent) => agent.id)) } satisfies SettingRule<string>,
  actionsRemote: { key: 'actions.remote', trust: 'user', fallback: 'origin', read: (raw) => (typeof raw === 'string' && /^[A-Za-z0-9._-]+$/.test(raw.trim()) ? raw.trim() : undefined) } satisfies SettingRule<string>,
  actionsQueueWarningMinutes: {
    key: 'actions.queueWarningMinutes',
    trust: 'any',
    fallback: 10,
    read: (raw) => (typeof raw === 'number' && Number.isFinite(raw) && raw >= 1 ? raw : undefined),
  } satisfies SettingRule<number>,
  actionsTimeoutMinutes: {
    key: 'actions.timeoutMinutes',
    trust: 'lowerOnly',
    fallback: 120,
    read: (raw) => (typeof raw === 'number' && Number.isFinite(raw) ? Math.min(360, Math.max(5, Math.floor(raw))) : undefined),
  } satisfies SettingRule<number>,
  actionsPollMs: { key: 'actions.pollMs', trust: 'any', fallback: 3000, read: (raw) => (typeof raw === 'number' && Number.isFinite(raw) ? Math.max(200, raw) : undefined) } satisfies SettingRule<number>,
} as const;

/** The value that counts, by the setting's trust rule (see the top of this file). */
export function resolveSetting<T>(rule: SettingRule<T>, values: SettingValues | undefined): T {
  const user = rule.read(values?.globalValue);
  if (rule.trust === 'user') return user ?? rule.fallback;
  // A folder's value is the more specific one, as in VS Code; a wrong kind falls through to the next.
  const workspace = rule.read(values?.workspaceFolderValue) ?? rule.read(values?.workspaceValue);
  if (rule.trust === 'any') return workspace ?? user ?? rule.fallback;
  const base = user ?? rule.fallback;
  if (workspace === undefined || typeof base !== 'number' || typeof workspace !== 'number') return base;
  const limit = (value: number): number => (value === rule.off ? Infinity : value);
  return limit(workspace) < limit(base) ? workspace : base;
}
