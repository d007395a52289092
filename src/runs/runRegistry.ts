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
import { Disposable } from '../lifecycle';

export type RunnerKind = 'direct' | 'cli';
export type RunState = 'starting' | 'running' | 'finishing' | 'completed' | 'failed' | 'stopped';

export interface RunInfo {
  id: string;
  /** The project root (the folder holding `.chant/`). */
  root: string;
  runner: RunnerKind;
  state: RunState;
  plan?: RunPlan;
  result?: FinishResult;
  exitCode?: number;
  startedAt: number;
  /** The caller reports a completed run itself (a phase chain asks what next). */
  quietOnSuccess?: boolean;
  /** The wrapper's status file (`working` with the shell's pid, then `done` with the exit code). */
  statusFile?: string;
  /** Re-attached after a window reload (its terminal belongs to the restored window). */
  restored?: boolean;
  /** Resolves when the run is over (finished, failed or stopped). */
  done: Promise<RunInfo>;
}

/** What is saved of a live run (workspace state), to find it again after a reload. */
interface SavedRun {
  id: string;
  root: string;
  runner: RunnerKind;
  startedAt: number;
  statusFile: string;
  plan?: RunPlan;
}

/** workspaceState key of the live runs. */
export const LIVE_RUNS_KEY = 'chant.runs.live';

export interface RunChange {
  root: string;
  id: string;
  run?: RunInfo;
}

export function isActive(run: RunInfo): boolean {
  return run.state === 'starting' || run.state === 'running' || run.state === 'finishing';
}

const key = (root: string, id: string): string => `${root}\0${id}`;

export class RunRegistry extends Disposable {
  private readonly runs = new Map<string, RunInfo>();
  private readonly finishers = new Map<RunInfo, (run: RunInfo) => void>();
  /** Specs a chant process in some terminal is working (its status file says `working`). */
  private readonly external = new Map<string, { root: string; id: string }>();
  private readonly changeEmitter = this._register(new vscode.EventEmitter<RunChange>());
  /** A run started, changed state or ended. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly countEmitter = this._register(new vscode.EventEmitter<number>());
  /** The number of running agents changed (fires with every change; cheap to listen to). */
  readonly onDidChangeRunningCount = this.countEmitter.event;

  constructor(private readonly state?: vscode.Memento) {
    super();
    const watcher = this._register(vscode.workspace.createFileSystemWatcher('**/.chant/specs/.chant-status-*.json'));
    this._register(watcher.onDidCreate((uri) => void this.externalStatus(uri)));
    this._register(watcher.onDidChange((uri) => void this.externalStatus(uri)));
    this._register(watcher.onDidDelete((uri) => void this.externalStatus(uri)));
  }

  get runningCount(): number {
    const active = new Set(this.external.keys());
    for (const [k, run] of this.runs) if (isActive(run)) active.add(k);
    return active.size;
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

  all(): RunInfo[] {
    return [...this.runs.values()];
  }

  /** Registers a new run in state `starting`; `finish` ends it. */
  begin(root: string, id: string, runner: RunnerKind, quietOnSuccess = false): RunInfo {
    let resolve!: (r: RunInfo) => void;
    const done = new Promise<RunInfo>((r) => (resolve = r));
    const run: RunInfo = { id, root, runner, state: 'starting', startedAt: Date.now(), quietOnSuccess, done };
    this.runs.set(key(root, id), run);
    this.finishers.set(run, resolve);
    this.fire(run);
    return run;
  }

  /** Changes a run's fields and tells the listeners. */
  update(run: RunInfo, change: Partial<Omit<RunInfo, 'id' | 'root' | 'done'>>): void {
    Object.assign(run, change);
    this.fire(run);
  }

  /** Ends a run in `state` (unless it was stopped already) and resolves its `done`. */
  finish(run: RunInfo, state?: RunState): void {
    if (state && run.state !== 'stopped') run.state = state;
    if (isActive(run)) run.state = 'failed';
    this.fire(run);
    this.finishers.get(run)?.(run);
    this.finishers.delete(run);
  }

  /** Drops a run that never really started, or one whose branch was merged. */
  forget(root: string, id: string): void {
    const run = this.runs.get(key(root, id));
    if (!run) return;
    this.runs.delete(key(root, id));
    this.finishers.get(run)?.(run);
    this.finishers.delete(run);
    this.changeEmitter.fire({ root, id });
    this.countEmitter.fire(this.runningCount);
  }

  private fire(run: RunInfo): void {
    if (!isActive(run)) this.external.delete(key(run.root, run.id));
    this.changeEmitter.fire({ root: run.root, id: run.id, run });
    this.countEmitter.fire(this.runningCount);
    void this.save();
  }

  private async save(): Promise<void> {
    if (!this.state) return;
    const live: SavedRun[] = [];
    for (const run of this.runs.values()) {
      const statusFile = run.statusFile ?? run.plan?.statusFile;
      if (isActive(run) && statusFile) live.push({ id: run.id, root: run.root, runner: run.runner, startedAt: run.startedAt, statusFile, plan: run.plan });
    }
    await this.state.update(LIVE_RUNS_KEY, live);
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
      const status = parseStatusFile(await fs.readFile(entry.statusFile, 'utf8').catch(() => undefined));
      const alive = status?.status === 'done' || (status?.status === 'working' && status.pid !== undefined && processAlive(status.pid));
      if (!alive) continue;
      const run = this.begin(entry.root, entry.id, entry.runner === 'cli' ? 'cli' : 'direct');
      this.update(run, { state: 'running', startedAt: entry.startedAt, plan: entry.plan, statusFile: entry.statusFile, restored: true });
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
    }
  }
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
