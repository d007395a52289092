// The one owner of agent-run state. Every run the extension starts is registered here, and runs the
// chant CLI makes in any terminal are noticed through the status files it writes
// (`.chant/specs/.chant-status-<id>.json`). The tree, the CodeLens and the status bar subscribe to
// `onDidChange`, so a run shows as running the moment it starts, not when a spec file is rewritten.
// Live runs are saved in the workspace state, so after a window reload a run whose agent still
// works is known again (and a second agent on the same spec is refused) until its status file
// says it is done.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FinishResult, RunPlan } from './directRun';
import { parseStatusFile } from '../core/workflow/commandLine';
import { canProveProcesses, isRunProcess } from '../core/runs/processIdentity';
import {
  batchesFromSaved,
  chainsFromSaved,
  groupOfRun,
  HISTORY_LIMIT,
  isLive,
  recordsFromSaved,
  type BatchRecord,
  type ChainRecord,
  type RunNeed,
  type RunnerKind,
  type RunRecord,
  type RunState,
} from '../core/runs/runRecord';
import { Disposable } from '../lifecycle';
import { actionsRunRefFrom } from '../core/runs/actionsRun';

export type { BatchRecord, RunnerKind, RunState, RunNeed, ChainRecord, RunRecord } from '../core/runs/runRecord';

export interface RunInfo extends RunRecord {
  plan?: RunPlan;
  result?: FinishResult;
  /** The caller reports a completed run itself (a phase chain asks what next). */
  quietOnSuccess?: boolean;
  /** The wrapper's status file (`working` with the shell's pid, then `done` with the exit code). */
  statusFile?: string;
  /** Re-attached after a window reload (its terminal belongs to the restored window). */
  restored?: boolean;
  /** Resolves when the run is over (finished, failed or stopped). */
  done: Promise<RunInfo>;
}

/** What a run is started with, beside its spec and runner. */
export interface RunStart {
  quietOnSuccess?: boolean;
  title?: string;
  phase?: string;
  investigation?: string;
  batch?: string;
  /** The Work Phase Chain that starts it. */
  chain?: string;
  /** Registered as queued (parallel work): `start` makes it live later. */
  queued?: boolean;
  waitsFor?: string;
}

/** What the user decided for a chain waiting between phases. */
export type ChainDecision = 'continue' | 'stop';

/** What is saved of a live run (workspace state), to find it again after a reload. */
interface SavedRun {
  id: string;
  root: string;
  runner: RunnerKind;
  startedAt: number;
  statusFile: string;
  plan?: RunPlan;
  /** A run on GitHub Actions: what finds it there again. */
  actions?: unknown;
  /** The parallel batch it belongs to: a restored run stays in it. */
  batch?: string;
}

/** workspaceState key of the live runs. */
export const LIVE_RUNS_KEY = 'chant.runs.live';

export interface RunChange {
  root: string;
  id: string;
  run?: RunInfo;
}

export function isActive(run: RunInfo): boolean {
  return isLive(run.state);
}

const key = (root: string, id: string): string => `${root}\0${id}`;

/** workspaceState keys of the past runs and of the phase chains. */
export const RUN_HISTORY_KEY = 'chant.runs.history';
export const CHAINS_KEY = 'chant.runs.chains';
export const BATCHES_KEY = 'chant.runs.batches';
/** Saving waits this long for more changes (a live run reports activity several times a second). */
const SAVE_DELAY_MS = 300;

export class RunRegistry extends Disposable {
  /** The latest run of each spec (live or finished), by project and id. */
  private readonly runs = new Map<string, RunInfo>();
  /** Every run this window knows, oldest first: the history read back, then this window's runs. */
  private readonly records: RunRecord[] = [];
  private readonly chainList: ChainRecord[] = [];
  private readonly chainDeciders = new Map<string, (decision: ChainDecision) => void>();
  private readonly batchList: BatchRecord[] = [];
  /** Wakes the scheduler of a batch this window runs (a pause, resume or cancel). */
  private readonly batchWakers = new Map<string, () => void>();
  private readonly finishers = new Map<RunInfo, (run: RunInfo) => void>();
  /** Specs a chant process in some terminal is working (its status file says `working`). */
  private readonly external = new Map<string, { root: string; id: string }>();
  private readonly changeEmitter = this._register(new vscode.EventEmitter<RunChange>());
  /** A run started, changed state or ended. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly countEmitter = this._register(new vscode.EventEmitter<number>());
  /** The number of running agents changed (fires with every change; cheap to listen to). */
  readonly onDidChangeRunningCount = this.countEmitter.event;
  private readonly listEmitter = this._register(new vscode.EventEmitter<void>());
  /** Anything the Runs view shows changed: a run, its activity, a chain. */
  readonly onDidChangeList = this.listEmitter.event;
  private saveTimer: NodeJS.Timeout | undefined;
  /**
   * Specs being started or worked, by project and id: who holds each (a Work call, a batch). Held
   * from the first check to the run's end, so two quick Work calls never both get past the checks.
   */
  private readonly claims = new Map<string, string>();

  constructor(private readonly state?: vscode.Memento) {
    super();
    this.records.push(...recordsFromSaved(state?.get<unknown>(RUN_HISTORY_KEY)));
    this.chainList.push(...chainsFromSaved(state?.get<unknown>(CHAINS_KEY)));
    this.batchList.push(...batchesFromSaved(state?.get<unknown>(BATCHES_KEY)));
    const watcher = this._register(vscode.workspace.createFileSystemWatcher('**/.chant/specs/.chant-status-*.json'));
    this._register(watcher.onDidCreate((uri) => void this.externalStatus(uri)));
    this._register(watcher.onDidChange((uri) => void this.externalStatus(uri)));
    this._register(watcher.onDidDelete((uri) => void this.externalStatus(uri)));
    this._register({ dispose: () => void this.flushSave() });
  }

  get runningCount(): number {
    const active = new Set(this.external.keys());
    for (const [k, run] of this.runs) if (isActive(run)) active.add(k);
    return active.size;
  }

  /** Runs and chains that wait for the user (the Runs view's badge). */
  get needsYouCount(): number {
    return this.records.filter((r) => groupOfRun(r) === 'needs-you').length + this.chainList.filter((c) => c.state === 'waiting').length;
  }

  /** The run of spec `id` (in `root`, or in any project when no root is given). */
  get(id: string, root?: string): RunInfo | undefined {
    if (root !== undefined) return this.runs.get(key(root, id));
    for (const run of this.runs.values()) if (run.id === id) return run;
    return undefined;
  }

  /** Whether an agent works spec `id` now: a run started here, or a chant process elsewhere. */
  isRunning(id: string, root?: string): boolean {
    const run = this.get(id, root);
    if (run && isActive(run)) return true;
    if (root !== undefined) return this.external.has(key(root, id));
    for (const ext of this.external.values()) if (ext.id === id) return true;
    return false;
  }

  /** Whether a chant CLI process (not a run of ours) works spec `id`. */
  isExternal(id: string, root: string): boolean {
    return this.external.has(key(root, id)) && this.runs.get(key(root, id))?.runner !== 'direct';
  }

  /** The latest run of each spec this window started or restored. */
  all(): RunInfo[] {
    return [...this.runs.values()];
  }

  /** Every run record, live and past, oldest first (the Runs view). */
  history(): readonly RunRecord[] {
    return this.records;
  }

  /** The record with this key, live or past. */
  record(runKey: string): RunRecord | undefined {
    return this.records.find((r) => r.key === runKey);
  }

  chains(): readonly ChainRecord[] {
    return this.chainList;
  }

  /** Registers a new run in state `starting` (or `queued`); `finish` ends it. */
  begin(root: string, id: string, runner: RunnerKind, start: RunStart | boolean = {}): RunInfo {
    const options: RunStart = typeof start === 'boolean' ? { quietOnSuccess: start } : start;
    let resolve!: (r: RunInfo) => void;
    const done = new Promise<RunInfo>((r) => (resolve = r));
    const startedAt = Date.now();
    // A spec worked again in the same millisecond (tests) still gets its own key.
    let runKey = `${id}@${startedAt}`;
    while (this.records.some((r) => r.key === runKey)) runKey += '+';
    const run: RunInfo = {
      key: runKey,
      id,
      root,
      runner,
      state: options.queued ? 'queued' : 'starting',
      startedAt,
      quietOnSuccess: options.quietOnSuccess,
      done,
    };
    for (const field of ['title', 'phase', 'investigation', 'batch', 'waitsFor', 'chain'] as const) if (options[field] !== undefined) run[field] = options[field];
    // A new run of a spec settles what its earlier runs waited for (work again, start over).
    for (const earlier of this.records)
      if (earlier.id === id && earlier.root === root && earlier.need) delete earlier.need;
    this.runs.set(key(root, id), run);
    this.records.push(run);
    this.finishers.set(run, resolve);
    this.fire(run);
    return run;
  }

  /** Changes a run's fields and tells the listeners. */
  update(run: RunInfo, change: Partial<Omit<RunInfo, 'id' | 'root' | 'done' | 'key'>>): void {
    Object.assign(run, change);
    this.fire(run);
  }

  /**
   * The agent's latest activity or usage: only the Runs view listens, and it is told at most a few
   * times a second; nothing is saved until the run ends.
   */
  activity(run: RunRecord, change: Pick<Partial<RunRecord>, 'lastActivity' | 'usage' | 'model'>): void {
    Object.assign(run, change);
    this.listEmitter.fire();
  }

  /** Ends a run in `state` (unless it was stopped already) and resolves its `done`. */
  finish(run: RunInfo, state?: RunState, need?: RunNeed): void {
    if (state && run.state !== 'stopped') run.state = state;
    if (isActive(run) || run.state === 'queued') run.state = run.state === 'queued' ? 'stopped' : 'failed';
    run.endedAt ??= Date.now();
    if (need) run.need = need;
    else if (run.state === 'failed' && !run.quietOnSuccess) run.need = 'failed';
    this.fire(run);
    this.finishers.get(run)?.(run);
    this.finishers.delete(run);
  }

  /** Sets or clears what a finished run waits for (merge, conflict, …). */
  setNeed(run: RunRecord, need: RunNeed | undefined): void {
    if (need) run.need = need;
    else delete run.need;
    this.fireRecord(run);
  }

  /** The spec's branch was merged: its runs no longer wait for anything. */
  merged(root: string, id: string): void {
    let changed = false;
    for (const r of this.records) {
      if (r.id === id && r.root === root && r.need) {
        delete r.need;
        changed = true;
      }
    }
    if (changed) this.fireRecord(this.runs.get(key(root, id)) ?? { root, id });
  }

  /**
   * Claims spec `id` for `owner` (one Work call, or a batch for its queued runs). Synchronous: of
   * two quick calls only the first wins. False when someone else holds it or an agent works it;
   * true again for the same owner (a batch starting the run it queued).
   */
  claim(root: string, id: string, owner: string): boolean {
    const holder = this.claims.get(key(root, id));
    if (holder !== undefined) return holder === owner;
    if (this.isRunning(id, root)) return false;
    this.claims.set(key(root, id), owner);
    return true;
  }

  /** Gives the claim back (only its owner can). */
  release(root: string, id: string, owner: string): void {
    if (this.claims.get(key(root, id)) === owner) this.claims.delete(key(root, id));
  }

  /** Whether a start of spec `id` is under way (its checks or questions), or a run holds it. */
  isClaimed(id: string, root: string): boolean {
    return this.claims.has(key(root, id));
  }

  /**
   * Drops a run that never really started: this run only. A losing attempt must never touch the
   * record of another run of the same spec (the live one), so the run itself is named.
   */
  forget(run: RunInfo): void {
    const { root, id } = run;
    if (this.runs.get(key(root, id)) === run) this.runs.delete(key(root, id));
    const at = this.records.indexOf(run);
    if (at >= 0) this.records.splice(at, 1);
    this.finishers.get(run)?.(run);
    this.finishers.delete(run);
    this.changeEmitter.fire({ root, id });
    this.countEmitter.fire(this.runningCount);
    this.listEmitter.fire();
    this.scheduleSave();
  }

  /** Starts a chain record (state running). */
  beginChain(root: string, investigation: string): ChainRecord {
    // One chain per investigation: an earlier one that waits is replaced (it was answered by starting again).
    for (const old of this.chainList) if (old.root === root && old.investigation === investigation && old.state !== 'done') this.endChain(old, 'replaced by a new chain');
    const chain: ChainRecord = { key: `${investigation}@${Date.now()}`, root, investigation, state: 'running', startedAt: Date.now() };
    this.chainList.push(chain);
    this.changed();
    return chain;
  }

  updateChain(chain: ChainRecord, change: Partial<Omit<ChainRecord, 'key' | 'root' | 'investigation'>>): void {
    Object.assign(chain, change);
    this.changed();
  }

  endChain(chain: ChainRecord, outcome: string): void {
    chain.state = 'done';
    chain.outcome = outcome;
    chain.endedAt = Date.now();
    this.chainDeciders.get(chain.key)?.('stop');
    this.chainDeciders.delete(chain.key);
    this.changed();
  }

  /**
   * Parks a chain between phases (Needs you) until the user decides: from the Runs view, a
   * notification, or a command. Dismissing a notification decides nothing.
   */
  waitForDecision(chain: ChainRecord, current: string, currentTitle: string | undefined): Promise<ChainDecision> {
    this.updateChain(chain, { state: 'waiting', current, currentTitle });
    return new Promise((resolve) => this.chainDeciders.set(chain.key, resolve));
  }

  /**
   * The user's decision for a waiting chain. False when no chain loop listens (the window was
   * reloaded since): the caller resumes the chain itself.
   */
  decide(chainKey: string, decision: ChainDecision): boolean {
    const decider = this.chainDeciders.get(chainKey);
    if (!decider) return false;
    this.chainDeciders.delete(chainKey);
    const chain = this.chainList.find((c) => c.key === chainKey);
    if (chain && decision === 'continue') this.updateChain(chain, { state: 'running' });
    decider(decision);
    return true;
  }

  chain(chainKey: string): ChainRecord | undefined {
    return this.chainList.find((c) => c.key === chainKey);
  }

  /** Starts a batch record (state running); its runs are begun with its key. */
  beginBatch(root: string): BatchRecord {
    let batchKey = `batch@${Date.now()}`;
    while (this.batchList.some((b) => b.key === batchKey)) batchKey += '+';
    const batch: BatchRecord = { key: batchKey, root, state: 'running', startedAt: Date.now() };
    this.batchList.push(batch);
    this.changed();
    return batch;
  }

  batch(batchKey: string): BatchRecord | undefined {
    return this.batchList.find((b) => b.key === batchKey);
  }

  /** Resolves at the batch's next pause, resume or cancel (its scheduler waits on this and its runs). */
  batchSignal(batch: BatchRecord): Promise<void> {
    return new Promise((resolve) => this.batchWakers.set(batch.key, resolve));
  }

  /**
   * Pause (no new run starts), resume, or cancel (nothing more starts) a batch and wake its
   * scheduler. False when no scheduler runs it: it is over, or the window was reloaded since.
   */
  controlBatch(batchKey: string, action: 'pause' | 'resume' | 'cancel'): boolean {
    const batch = this.batch(batchKey);
    if (!batch || batch.state === 'done') return false;
    if (batch.state !== 'cancelled') batch.state = action === 'pause' ? 'paused' : action === 'resume' ? 'running' : 'cancelled';
    this.changed();
    const wake = this.batchWakers.get(batchKey);
    this.batchWakers.delete(batchKey);
    wake?.();
    return wake !== undefined;
  }

  endBatch(batch: BatchRecord): void {
    batch.state = 'done';
    batch.endedAt = Date.now();
    this.batchWakers.delete(batch.key);
    this.changed();
  }

  /** Moves a run out of Needs you (the user looked at it), saying why when there is more to say. */
  dismiss(runKey: string, reason?: string): void {
    const record = this.record(runKey);
    if (record && reason !== undefined) record.reason = reason;
    if (record?.need) this.setNeed(record, undefined);
    else if (record && reason !== undefined) this.fireRecord(record);
    const chain = this.chain(runKey);
    if (chain && chain.state === 'waiting') this.endChain(chain, 'dismissed');
  }

  /** Forgets the finished runs and chains (Clear History). */
  clearHistory(): void {
    const keep = this.records.filter((r) => isLive(r.state) || r.state === 'queued' || r.need);
    this.records.splice(0, this.records.length, ...keep);
    const chains = this.chainList.filter((c) => c.state !== 'done');
    this.chainList.splice(0, this.chainList.length, ...chains);
    this.changed();
  }

  private fire(run: RunInfo): void {
    if (!isActive(run)) this.external.delete(key(run.root, run.id));
    this.changeEmitter.fire({ root: run.root, id: run.id, run });
    this.countEmitter.fire(this.runningCount);
    this.changed();
  }

  private fireRecord(run: { root: string; id: string }): void {
    this.changeEmitter.fire({ root: run.root, id: run.id, run: this.runs.get(key(run.root, run.id)) });
    this.countEmitter.fire(this.runningCount);
    this.changed();
  }

  private changed(): void {
    this.listEmitter.fire();
    this.scheduleSave();
  }

  private scheduleSave(): void {
    if (!this.state || this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.flushSave(), SAVE_DELAY_MS);
  }

  private flushSave(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    return this.save();
  }

  /** Saves now what would be saved shortly (tests, before a reload). */
  whenSaved(): Promise<void> {
    return this.flushSave();
  }

  private async save(): Promise<void> {
    if (!this.state) return;
    const live: SavedRun[] = [];
    for (const run of this.runs.values()) {
      const statusFile = run.statusFile ?? run.plan?.statusFile;
      if (isActive(run) && statusFile) {
        live.push({
          id: run.id,
          root: run.root,
          runner: run.runner,
          startedAt: run.startedAt,
          statusFile,
          plan: run.plan,
          ...(run.actions ? { actions: run.actions } : {}),
          ...(run.batch ? { batch: run.batch } : {}),
        });
      }
    }
    await this.state.update(LIVE_RUNS_KEY, live);
    // The history: plain records (no plan, no promise), newest kept. A batch's queued runs are kept
    // too: read back, they are stopped runs of their batch that the closed window never started.
    const past = this.records.filter((r) => !isLive(r.state)).slice(-HISTORY_LIMIT).map(plainRecord);
    await this.state.update(RUN_HISTORY_KEY, past);
    await this.state.update(CHAINS_KEY, this.chainList.slice(-100));
    await this.state.update(BATCHES_KEY, this.batchList.slice(-100));
  }

  /**
   * Registers again the runs saved by an earlier window whose agent still works (the status file
   * says `working` and its process is alive), in state `running`, marked `restored`. The caller
   * follows them to their end (work.ts `reattachRuns`).
   */
  async restore(): Promise<RunInfo[]> {
    const saved = this.state?.get<unknown>(LIVE_RUNS_KEY);
    if (!Array.isArray(saved)) return [];
    const restored: RunInfo[] = [];
    for (const entry of saved as SavedRun[]) {
      if (typeof entry?.id !== 'string' || typeof entry.root !== 'string' || typeof entry.statusFile !== 'string') continue;
      if (this.runs.has(key(entry.root, entry.id))) continue;
      if (entry.runner === 'actions') {
        // Its agent works on GitHub, not here: no status file; its follower asks GitHub again.
        const actions = actionsRunRefFrom(entry.actions);
        if (!actions || !entry.plan) continue;
        const run = this.begin(entry.root, entry.id, 'actions', { batch: batchOf(entry) });
        this.update(run, { state: 'running', startedAt: entry.startedAt, plan: entry.plan, actions, restored: true, ...planFields(entry.plan) });
        restored.push(run);
        continue;
      }
      const status = parseStatusFile(await fs.readFile(entry.statusFile, 'utf8').catch(() => undefined));
      const alive = status?.status === 'done' || (status?.status === 'working' && runProcessAlive(status));
      if (!alive) continue;
      const run = this.begin(entry.root, entry.id, entry.runner === 'cli' ? 'cli' : 'direct', { batch: batchOf(entry) });
      this.update(run, { state: 'running', startedAt: entry.startedAt, plan: entry.plan, statusFile: entry.statusFile, restored: true, ...planFields(entry.plan) });
      restored.push(run);
    }
    await this.save();
    return restored;
  }

  private async externalStatus(uri: vscode.Uri): Promise<void> {
    const id = /\.chant-status-(.+)\.json$/.exec(uri.fsPath)?.[1];
    if (!id) return;
    // <root>/.chant/specs/.chant-status-<id>.json
    const root = path.dirname(path.dirname(path.dirname(uri.fsPath)));
    // The direct runner's wrapper writes the same file; those runs are tracked already.
    if (this.runs.get(key(root, id))?.runner === 'direct') return;
    const text = await fs.readFile(uri.fsPath, 'utf8').catch(() => undefined);
    const working = text !== undefined && /"status"\s*:\s*"working"/.test(text);
    const had = this.external.has(key(root, id));
    if (working) this.external.set(key(root, id), { root, id });
    else this.external.delete(key(root, id));
    if (had !== working) {
      this.changeEmitter.fire({ root, id, run: this.runs.get(key(root, id)) });
      this.countEmitter.fire(this.runningCount);
      this.listEmitter.fire();
    }
  }
}

const batchOf = (entry: SavedRun): string | undefined => (typeof entry.batch === 'string' ? entry.batch : undefined);

/** The record fields a run plan knows (branch, folders, files, model). */
export function planFields(plan: RunPlan | undefined): Partial<RunRecord> {
  if (!plan) return {};
  const fields: Partial<RunRecord> = {
    branch: plan.branch,
    logFile: plan.logFile,
    model: plan.model,
    agent: plan.agent,
    format: plan.format,
  };
  if (plan.workDir !== plan.root) fields.workDir = plan.workDir;
  // Plans saved before stream capture existed have none.
  if (plan.streamFile) fields.streamFile = plan.streamFile;
  return fields;
}

function plainRecord(r: RunRecord): RunRecord {
  const out: RunRecord = {
    key: r.key,
    id: r.id,
    root: r.root,
    runner: r.runner,
    state: r.state,
    startedAt: r.startedAt,
  };
  for (const field of ['endedAt', 'title', 'phase', 'investigation', 'agent', 'model', 'format', 'branch', 'workDir', 'logFile', 'streamFile', 'usage', 'lastActivity', 'reason', 'need', 'batch', 'exitCode', 'actions'] as const) {
    if (r[field] !== undefined) (out as unknown as Record<string, unknown>)[field] = r[field];
  }
  return out;
}

/**
 * Whether the status file's process still runs and is the run's own: where /proc can tell, its
 * start time must be the one the wrapper recorded (a pid reused after a reboot is not the run).
 */
export function runProcessAlive(status: { pid?: number; started?: string }): boolean {
  if (status.pid === undefined) return false;
  if (canProveProcesses()) return isRunProcess(status.pid, status.started);
  return processAlive(status.pid);
}

/** Whether a process with this pid exists (signal 0 only asks). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
