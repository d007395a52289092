// Editor glue around the core index: finds the chant projects in the workspace, keeps one SpecIndex
// per project, and feeds it from one file-system watcher. It is the only writer of the indexes:
// code that has just written spec files and must read them back calls `refresh(files)` rather than
// updating an index itself, so every change reaches the views through the same event. Discovery
// and indexing run after activation returns, so opening VS Code never waits for them. With a
// snapshot store, each index starts from the index saved by the last session (only changed files
// are read) and is saved again a few seconds after it changes.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { removeProjectTempLeftovers } from '../core/project/safeFiles';
import { isInsideFolder } from '../core/project/insideFolder';
import { findChantRoots, CHANT_DIR } from '../core/project/project';
import type { IndexSnapshotStore } from '../core/project/snapshotStore';
import { SpecIndex, type IndexChange } from '../core/project/specIndex';
import type { Spec } from '../core/spec/types';
import { Disposable } from '../lifecycle';
import { log } from '../log';

export interface ProjectChange {
  index: SpecIndex;
  changes: IndexChange[];
}

export interface ProjectsChangeEvent {
  /** True when the set of projects or a whole project changed (views rebuild everything). */
  structural: boolean;
  projects: ProjectChange[];
}

/** Delay that folds a burst of file events (an agent run, a `git checkout`) into one update. */
const DEBOUNCE_MS = 75;
/** Delay before saving an index after it changed: a run or a checkout changes many files in a row. */
const SAVE_DELAY_MS = 3000;

export class ProjectService extends Disposable {
  private readonly indexes = new Map<string, SpecIndex>();
  private readonly changeEmitter = this._register(new vscode.EventEmitter<ProjectsChangeEvent>());
  readonly onDidChange = this.changeEmitter.event;
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  /** Updates run one after another, so two flushes never interleave on one index. */
  private flushing: Promise<void> = Promise.resolve();
  private loading: Promise<void> | undefined;
  private loaded = false;
  private readonly unsaved = new Set<SpecIndex>();
  private saveTimer: NodeJS.Timeout | undefined;

  constructor(private readonly snapshots?: IndexSnapshotStore) {
    super();
    // One watcher for the whole workspace; events outside specs/, archive/ and config.md are
    // dropped in `enqueue`. `*.tmp` and `.chant-status-*` are chant's scratch files.
    const watcher = this._register(
      vscode.workspace.createFileSystemWatcher(`**/${CHANT_DIR}/{specs/**,archive/**,config.md}`),
    );
    this._register(watcher.onDidCreate((uri) => this.enqueue(uri)));
    this._register(watcher.onDidChange((uri) => this.enqueue(uri)));
    this._register(watcher.onDidDelete((uri) => this.enqueue(uri)));
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reload()));
    this._register({ dispose: () => this.timer && clearTimeout(this.timer) });
    this._register({ dispose: () => this.saveTimer && clearTimeout(this.saveTimer) });
  }

  /** Resolves when the first discovery and indexing have finished. */
  ready(): Promise<void> {
    this.loading ??= this.discover();
    return this.loading;
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  projects(): SpecIndex[] {
    return [...this.indexes.values()].sort((a, b) => a.paths.root.localeCompare(b.paths.root));
  }

  projectFor(file: string): SpecIndex | undefined {
    for (const index of this.indexes.values()) {
      if (isInsideFolder(index.paths.chantDir, file)) return index;
    }
    return undefined;
  }

  specAt(file: string): { index: SpecIndex; spec: Spec } | undefined {
    const index = this.projectFor(file);
    const spec = index?.byPath(file);
    return index && spec ? { index, spec } : undefined;
  }

  findSpec(id: string): { index: SpecIndex; spec: Spec } | undefined {
    for (const index of this.indexes.values()) {
      const spec = index.get(id);
      if (spec) return { index, spec };
    }
    return undefined;
  }

  async reload(): Promise<void> {
    this.loading = this.discover();
    await this.loading;
  }

  private async discover(): Promise<void> {
    const started = Date.now();
    const folders = vscode.workspace.workspaceFolders ?? [];
    const roots = new Set<string>();
    for (const folder of folders) {
      if (folder.uri.scheme !== 'file') continue;
      for (const root of await findChantRoots(folder.uri.fsPath)) roots.add(root);
    }
    const loaded = await Promise.all(
      [...roots].map(async (root) => {
        try {
          const snapshot = await this.snapshots?.load(root).catch(() => undefined);
          return await SpecIndex.load(root, { snapshot });
        } catch (error) {
          log.error(`Could not index ${root}: ${String(error)}`);
          return undefined;
        }
      }),
    );
    this.indexes.clear();
    for (const index of loaded) if (index) this.indexes.set(index.paths.root, index);
    this.loaded = true;
    await vscode.commands.executeCommand('setContext', 'chant.hasProject', this.indexes.size > 0);
    const total = [...this.indexes.values()].reduce((n, i) => n + i.specs.size, 0);
    const restored = [...this.indexes.values()].reduce((n, i) => n + i.lastLoad.restored, 0);
    log.info(
      `Indexed ${this.indexes.size} chant project(s), ${total} spec(s) in ${Date.now() - started} ms` +
        (this.snapshots ? ` (${restored} restored from the saved index)` : ''),
    );
    this.changeEmitter.fire({ structural: true, projects: [] });
    // Saved again when the load read anything the snapshot did not give: files, or folders' listings.
    for (const index of this.indexes.values()) {
      if (index.lastLoad.parsed > 0 || index.lastListing.read > 0) this.scheduleSave(index);
    }
    // Saves killed midway leave `.<name>.<hex>.tmp` files beside specs and documents: cleaned
    // (a write, so only in a trusted workspace), after the index is up, never in its way.
    if (vscode.workspace.isTrusted) {
      for (const index of this.indexes.values()) {
        for (const dir of [index.paths.specsDir, path.join(index.paths.chantDir, 'research')]) void removeProjectTempLeftovers(index.paths.root, dir).catch(() => undefined);
      }
    }
  }

  /**
   * Resolves true once `probe` holds, checking now and after every index change; false after
   * `timeoutMs`. For flows that wait for a spec to reach a state (a phase chain after a merge).
   */
  waitUntil(probe: () => boolean, timeoutMs: number): Promise<boolean> {
    if (probe()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (value: boolean): void => {
        clearTimeout(timer);
        listener.dispose();
        resolve(value);
      };
      const timer = setTimeout(() => done(probe()), timeoutMs);
      const listener = this.onDidChange(() => probe() && done(true));
    });
  }

  /**
   * Reads `files` again now, without waiting for the watcher, and resolves once the indexes hold
   * them and `onDidChange` has fired (for a caller that just wrote them and reads them next).
   */
  refresh(files: readonly string[]): Promise<void> {
    for (const file of files) this.pending.add(file);
    return this.scheduleFlush();
  }

  private enqueue(uri: vscode.Uri): void {
    if (uri.scheme !== 'file') return;
    this.pending.add(uri.fsPath);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.scheduleFlush(), DEBOUNCE_MS);
  }

  private scheduleFlush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.flushing.then(() => this.flush()).catch((error: unknown) => log.error(`Index update failed: ${String(error)}`));
    return this.flushing;
  }

  private async flush(): Promise<void> {
    const files = [...this.pending];
    this.pending = new Set();
    if (files.length === 0) return;
    await this.ready();
    let structural = false;
    const byProject = new Map<SpecIndex, IndexChange[]>();
    for (const file of files) {
      const index = this.projectFor(file);
      if (!index) {
        // A `.chant/` appeared where there was none (e.g. "Initialize chant" or a checkout).
        structural = true;
        continue;
      }
      if (file === index.paths.configFile) {
        await index.reloadConfig();
        structural = true;
        continue;
      }
      const change = await index.updateFile(file);
      if (change.kind === 'ignored' || change.kind === 'unchanged') continue;
      const list = byProject.get(index) ?? [];
      list.push(change);
      byProject.set(index, list);
    }
    if (structural && files.some((f) => !this.projectFor(f))) {
      await this.reload();
      return;
    }
    if (byProject.size === 0 && !structural) return;
    for (const index of byProject.keys()) this.scheduleSave(index);
    this.changeEmitter.fire({
      structural,
      projects: [...byProject].map(([index, changes]) => ({ index, changes })),
    });
  }

  /** Saves the index's snapshot once changes have settled; best effort (a failure means a cold open). */
  private scheduleSave(index: SpecIndex): void {
    if (!this.snapshots) return;
    this.unsaved.add(index);
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.saveSnapshots(), SAVE_DELAY_MS);
  }

  private async saveSnapshots(): Promise<void> {
    this.saveTimer = undefined;
    const indexes = [...this.unsaved].filter((index) => this.indexes.get(index.paths.root) === index);
    this.unsaved.clear();
    for (const index of indexes) {
      try {
        const bytes = await this.snapshots!.save(index);
        log.info(`Saved the index of ${index.paths.root} (${Math.round(bytes / 1024)} KB)`);
      } catch (error) {
        log.warn(`Could not save the index of ${index.paths.root}: ${String(error)}`);
      }
    }
  }
}
