// What the Runs view knows of an agent run, live or past, and how it sorts runs into its groups.
// A record is plain data: the registry (src/runs/runRegistry.ts) keeps the live ones and saves the
// finished ones in the extension's workspace storage, so the history survives a window reload.
// Saved records come back through `recordsFromSaved`, which drops anything malformed.
// No `vscode` import.
import * as l10n from '@vscode/l10n';
import type { AgentUsage } from './agentStream';
import { isAgentFormatId, type AgentFormatId } from './agents';
import { formatCost, formatDuration, usageSummary } from './agentStream';
import { actionsRunLabel, actionsRunRefFrom, type ActionsRunRef } from './actionsRun';

/** Where the agent runs: the extension's terminal, chant's CLI, or a GitHub Actions job. */
export type RunnerKind = 'direct' | 'cli' | 'actions';
export const RUNNER_KINDS: readonly RunnerKind[] = ['direct', 'cli', 'actions'];
// Getters: translated when read (the extension configures the translations after this module loaded).
const RUNNER_NAMES: Readonly<Record<RunnerKind, string>> = {
  get direct() {
    return l10n.t('direct');
  },
  cli: 'chant CLI',
  actions: 'GitHub Actions',
};
export const RUN_STATES = ['queued', 'starting', 'running', 'finishing', 'completed', 'failed', 'stopped'] as const;
export const RUN_NEEDS = ['merge', 'failed', 'conflict', 'attention'] as const;
export type RunState = (typeof RUN_STATES)[number];

/**
 * Why a finished run waits for the user: its branch to review and merge, a failure to look at, a
 * merge that stopped on a conflict. Cleared when the user acts (merge, dismiss, work again).
 */
export type RunNeed = (typeof RUN_NEEDS)[number];

export interface RunRecord {
  /** Unique per run (`<id>@<startedAt>`): a spec worked three times has three records. */
  key: string;
  id: string;
  /** The project root (the folder holding `.chant/`). */
  root: string;
  runner: RunnerKind;
  state: RunState;
  startedAt: number;
  endedAt?: number;
  title?: string;
  /** The spec's investigation phase, when it has one (Root cause, Fork fix, …). */
  phase?: string;
  /** The investigation key (`issue-1234`) of the spec, if any. */
  investigation?: string;
  /** The agent program (first word of its command line) and the model passed to it (or the one it reported). */
  agent?: string;
  model?: string;
  /**
   * How its output is read (./agents/): saved with the run, so a reloaded window reads an old run's
   * stream in its own format. Runs saved before formats existed were claude's (or plain text).
   */
  format?: AgentFormatId | 'auto';
  branch?: string;
  workDir?: string;
  /** chant's text log of the spec, and this run's raw agent stream (stream-json), when captured. */
  logFile?: string;
  streamFile?: string;
  usage?: AgentUsage;
  /** The agent's latest text line or tool call. */
  lastActivity?: string;
  /** Why the run ended as it did, when that is not simply "the agent exited 0" (or why it failed). */
  reason?: string;
  need?: RunNeed;
  /** Queued: the spec it waits for (overlapping target files) or the agent limit. */
  waitsFor?: string;
  /** The parallel batch it belongs to. */
  batch?: string;
  /** The key of the Work Phase Chain that started it, if one did (its cost counts toward that chain only). */
  chain?: string;
  exitCode?: number;
  /** The GitHub Actions run working it (runner `actions`). */
  actions?: ActionsRunRef;
}

/** A Work Phase Chain: a run group with its own row. */
export interface ChainRecord {
  key: string;
  root: string;
  /** `issue-1234`. */
  investigation: string;
  state: 'running' | 'waiting' | 'done';
  /** The phase being worked, or (waiting) the completed phase to merge before the next. */
  current?: string;
  currentTitle?: string;
  startedAt: number;
  endedAt?: number;
  /** Why it ended (all phases done, stopped by the user, a phase failed). */
  outcome?: string;
}

/**
 * A Work Specs in Parallel batch: its runs carry its key. Its scheduler lives in the window that
 * started it; the record outlives a reload, so the runs stay one batch (Cancel Batch still reaches them).
 */
export interface BatchRecord {
  key: string;
  root: string;
  state: 'running' | 'paused' | 'cancelled' | 'done';
  startedAt: number;
  endedAt?: number;
  /** Why it ended otherwise than by working its queue (the window closed under it). */
  outcome?: string;
}

export const isLive = (state: RunState): boolean => state === 'starting' || state === 'running' || state === 'finishing';

export type RunGroup = 'needs-you' | 'running' | 'queued' | 'done';

export const RUN_GROUP_LABELS: Readonly<Record<RunGroup, string>> = {
  get 'needs-you'() {
    return l10n.t('Needs you');
  },
  get running() {
    return l10n.t('Running');
  },
  get queued() {
    return l10n.t('Queued');
  },
  get done() {
    return l10n.t('Done');
  },
};

export function groupOfRun(run: RunRecord): RunGroup {
  if (run.state === 'queued') return 'queued';
  if (isLive(run.state)) return 'running';
  return run.need ? 'needs-you' : 'done';
}

export function groupOfChain(chain: ChainRecord): RunGroup {
  return chain.state === 'waiting' ? 'needs-you' : chain.state === 'running' ? 'running' : 'done';
}

const NEED_LABELS: Readonly<Record<RunNeed, string>> = {
  get merge() {
    return l10n.t('review and merge');
  },
  get failed() {
    return l10n.t('failed');
  },
  get conflict() {
    return l10n.t('merge conflict');
  },
  get attention() {
    return l10n.t('needs attention');
  },
};

const STATE_WORDS: Readonly<Record<RunState, string>> = {
  get queued() {
    return l10n.t('queued');
  },
  get starting() {
    return l10n.t('starting');
  },
  get running() {
    return l10n.t('running');
  },
  get finishing() {
    return l10n.t('finishing');
  },
  get completed() {
    return l10n.t('completed');
  },
  get failed() {
    return l10n.t('failed');
  },
  get stopped() {
    return l10n.t('stopped');
  },
};

/** The state a row shows: what the user would say about the run. */
export function runStateLabel(run: RunRecord): string {
  // While GitHub works it, the row says what GitHub says: `GitHub Actions #123 · queued`.
  if (run.actions && (run.state === 'starting' || run.state === 'running')) return actionsRunLabel(run.actions);
  if (run.need) return NEED_LABELS[run.need];
  if (run.state === 'queued' && run.waitsFor) return l10n.t('waits for {0}', run.waitsFor);
  return STATE_WORDS[run.state] ?? run.state;
}

/** The row's description: short id, phase, state, time, cost, agent and model. */
export function runDescription(run: RunRecord, shortId: string, now: number): string {
  const parts = [shortId];
  if (run.phase) parts.push(run.phase);
  parts.push(runStateLabel(run));
  if (run.state !== 'queued') parts.push(formatDuration((run.endedAt ?? now) - run.startedAt));
  if (run.usage?.costUsd !== undefined) parts.push(`${run.usage.costFromPrices ? '~' : ''}${formatCost(run.usage.costUsd)}`);
  // Which agent and model ran it (the program for a custom command line).
  const agent = [run.agent, run.model].filter(Boolean).join(' ');
  if (agent) parts.push(agent);
  return parts.join(' · ');
}

/** The detail lines under a run's row (and its tooltip), each `label: value`. */
export function runDetails(run: RunRecord): Array<{ label: string; value: string }> {
  const lines: Array<{ label: string; value: string }> = [];
  const agent = [run.agent, run.model].filter(Boolean).join(' · ');
  lines.push({ label: l10n.t('Runner'), value: `${RUNNER_NAMES[run.runner] ?? run.runner}${agent ? ` · ${agent}` : ''}` });
  if (run.actions) lines.push({ label: 'GitHub', value: `${actionsRunLabel(run.actions)}${run.actions.url ? ` · ${run.actions.url}` : ` · ${run.actions.repo}`}` });
  if (run.branch || run.workDir) {
    const value = run.branch && run.workDir ? l10n.t('{0} in {1}', run.branch, run.workDir) : run.branch ? run.branch : l10n.t('in {0}', run.workDir!);
    lines.push({ label: l10n.t('Branch'), value });
  }
  if (run.lastActivity) lines.push({ label: l10n.t('Latest'), value: run.lastActivity });
  // An agent that reports no cost, with no price for its model: said, not guessed.
  if (run.usage) lines.push({ label: l10n.t('Usage'), value: `${usageSummary(run.usage)}${run.usage.costUsd === undefined && !isLive(run.state) ? ` · ${l10n.t('cost unknown')}` : ''}` });
  if (run.reason) lines.push({ label: l10n.t('Outcome'), value: run.reason });
  return lines;
}

/**
 * Today's spending: the cost of the runs started since local midnight of `now` (an estimate from
 * the price table counts; unknown costs are counted apart, since a sum that leaves them out would
 * read as the whole).
 */
export function todaysCost(runs: readonly RunRecord[], now: number): { usd: number; runs: number; unknown: number; estimated: boolean } {
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  const today = { usd: 0, runs: 0, unknown: 0, estimated: false };
  for (const run of runs) {
    if (run.startedAt < midnight.getTime() || run.state === 'queued') continue;
    today.runs++;
    if (run.usage?.costUsd === undefined) today.unknown++;
    else {
      today.usd += run.usage.costUsd;
      if (run.usage.costFromPrices) today.estimated = true;
    }
  }
  return today;
}

/** "today $1.24 · 3 runs (1 cost unknown)" (or "today · 1 run, cost unknown"), the Runs view's description; empty before the first run of the day. */
export function todaysCostLabel(today: ReturnType<typeof todaysCost>): string {
  if (today.runs === 0) return '';
  const cost = `${today.estimated ? '~' : ''}${formatCost(today.usd)}`;
  const runs = today.runs === 1 ? l10n.t('1 run') : l10n.t('{0} runs', today.runs);
  // No run reported a cost: a "$0.00" would read as free.
  if (today.unknown === today.runs) return l10n.t('today · {0}, cost unknown', runs);
  return today.unknown > 0 ? l10n.t('today {0} · {1} ({2} cost unknown)', cost, runs, today.unknown) : l10n.t('today {0} · {1}', cost, runs);
}

/** Sums the reported usage of runs (per spec, per investigation). */
export function totalCost(runs: readonly RunRecord[]): number | undefined {
  let sum: number | undefined;
  for (const run of runs) if (run.usage?.costUsd !== undefined) sum = (sum ?? 0) + run.usage.costUsd;
  return sum;
}

const STATES: readonly RunState[] = RUN_STATES;
const NEEDS: readonly RunNeed[] = RUN_NEEDS;

const str = (v: unknown, max = 4096): string | undefined => (typeof v === 'string' && v.length <= max ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function usageFrom(v: unknown): AgentUsage | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const u = v as Record<string, unknown>;
  const usage: AgentUsage = {
    inputTokens: num(u.inputTokens) ?? 0,
    outputTokens: num(u.outputTokens) ?? 0,
    cacheReadTokens: num(u.cacheReadTokens) ?? 0,
    cacheCreationTokens: num(u.cacheCreationTokens) ?? 0,
  };
  if (num(u.costUsd) !== undefined) usage.costUsd = num(u.costUsd);
  if (u.costFromPrices === true) usage.costFromPrices = true;
  if (num(u.turns) !== undefined) usage.turns = num(u.turns);
  if (num(u.durationMs) !== undefined) usage.durationMs = num(u.durationMs);
  return usage;
}

/**
 * Records read back from storage: each field checked, anything malformed dropped, runs that were
 * live when saved (the window closed under them) marked stopped: their end is unknown.
 */
export function recordsFromSaved(saved: unknown): RunRecord[] {
  if (!Array.isArray(saved)) return [];
  const out: RunRecord[] = [];
  for (const entry of saved) {
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as Record<string, unknown>;
    const key = str(e.key, 600);
    const id = str(e.id, 300);
    const root = str(e.root);
    const startedAt = num(e.startedAt);
    const state = STATES.find((s) => s === e.state);
    if (!key || !id || !root || startedAt === undefined || !state) continue;
    const record: RunRecord = { key, id, root, runner: RUNNER_KINDS.find((r) => r === e.runner) ?? 'direct', state: isLive(state) || state === 'queued' ? 'stopped' : state, startedAt };
    // A batch's queued run saved when the window closed: its batch's scheduler went with the window.
    if (state === 'queued' && e.reason === undefined) record.reason = 'not started: the window closed first';
    const need = NEEDS.find((n) => n === e.need);
    if (need) record.need = need;
    for (const field of ['title', 'phase', 'investigation', 'agent', 'model', 'branch', 'workDir', 'logFile', 'streamFile', 'lastActivity', 'reason', 'batch', 'chain'] as const) {
      const value = str(e[field]);
      if (value !== undefined) record[field] = value;
    }
    if (isAgentFormatId(e.format) || e.format === 'auto') record.format = e.format;
    const endedAt = num(e.endedAt);
    if (endedAt !== undefined) record.endedAt = endedAt;
    const exitCode = num(e.exitCode);
    if (exitCode !== undefined) record.exitCode = exitCode;
    const usage = usageFrom(e.usage);
    if (usage) record.usage = usage;
    const actions = actionsRunRefFrom(e.actions);
    if (actions) record.actions = actions;
    out.push(record);
  }
  return out;
}

export function chainsFromSaved(saved: unknown): ChainRecord[] {
  if (!Array.isArray(saved)) return [];
  const out: ChainRecord[] = [];
  for (const entry of saved) {
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as Record<string, unknown>;
    const key = str(e.key, 600);
    const root = str(e.root);
    const investigation = str(e.investigation, 300);
    const startedAt = num(e.startedAt);
    if (!key || !root || !investigation || startedAt === undefined) continue;
    // A chain that was running when the window closed lost its loop: it waits for the user now.
    const state = e.state === 'done' ? 'done' : 'waiting';
    const chain: ChainRecord = { key, root, investigation, state, startedAt };
    for (const field of ['current', 'currentTitle', 'outcome'] as const) {
      const value = str(e[field]);
      if (value !== undefined) chain[field] = value;
    }
    const endedAt = num(e.endedAt);
    if (endedAt !== undefined) chain.endedAt = endedAt;
    out.push(chain);
  }
  return out;
}

export function batchesFromSaved(saved: unknown): BatchRecord[] {
  if (!Array.isArray(saved)) return [];
  const out: BatchRecord[] = [];
  for (const entry of saved) {
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as Record<string, unknown>;
    const key = str(e.key, 600);
    const root = str(e.root);
    const startedAt = num(e.startedAt);
    if (!key || !root || startedAt === undefined) continue;
    const batch: BatchRecord = { key, root, state: 'done', startedAt };
    const endedAt = num(e.endedAt);
    if (endedAt !== undefined) batch.endedAt = endedAt;
    const outcome = str(e.outcome);
    if (outcome !== undefined) batch.outcome = outcome;
    // A batch not over when saved lost its scheduler with the window: what it had not started stays so.
    if (e.state !== 'done') batch.outcome ??= 'the window closed: its queued specs were not started';
    out.push(batch);
  }
  return out;
}

/** The most past runs kept in storage (newest kept). */
export const HISTORY_LIMIT = 1000;
