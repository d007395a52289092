// The in-memory model of one chant project. Built once, then kept current one file at a time:
// a watcher event re-reads that file alone, and computed state (readiness, cycles) is derived
// lazily from the maps, so an update costs a parse plus a few map operations, never a rescan.
import { promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import { relativeBelow } from './insideFolder';
import { parseConfig } from './config';
import { findDependencyCycles } from './cycles';
import { isFullSpecId, sortSpecIds } from '../spec/ids';
import {
  archiveFolderOf,
  isIgnoredSpecFileName,
  listFolders,
  isSilentMode,
  ProjectPaths,
  readTextIfExists,
  specFileEntries,
  type FolderListing,
  type SpecFileEntry,
} from './project';
import { stampOf, type FileStamp } from './fileStamp';
import {
  SavedPart,
  savedFolders,
  type IndexSnapshot,
  type SnapshotContent,
  type SnapshotPart,
  type StampedFolder,
} from './indexSnapshot';
import { forEachTextFile, inSlices, readRegularFile } from './readFiles';
import {
  isShownReady,
  readinessAffectedBy,
  readinessOf,
  RelationIndex,
  verdictOf,
  type Readiness,
  type Verdict,
} from './readiness';
import { parseSpec } from '../spec/specParser';
import type { ChantConfig, Spec } from '../spec/types';

export interface IndexChange {
  kind: 'added' | 'changed' | 'removed' | 'unchanged' | 'ignored';
  id?: string;
  archived?: boolean;
  /** The spec before the change (for the views: which group it left). */
  previous?: Spec;
  spec?: Spec;
  /** Ids whose computed state may differ now: the spec, its dependents, its driver and members. */
  affected: string[];
}

export interface LoadOptions {
  /** Read `archive/` right away instead of on first request. */
  includeArchive?: boolean;
  /** Injected for tests and the benchmark. Files read this way have no stamp and are never saved. */
  readFile?: (file: string) => Promise<string>;
  /** A saved index (see indexSnapshot.ts): files whose stamp is unchanged are restored, not read. */
  snapshot?: IndexSnapshot;
}

/** How the last load went: how many specs came from the snapshot and how many files were parsed. */
export interface LoadReport {
  snapshot: 'none' | 'used' | 'unreadable';
  restored: number;
  parsed: number;
}

export class SpecIndex {
  readonly paths: ProjectPaths;
  config: ChantConfig = parseConfig(undefined);
  silent = false;
  /** Active specs (below `specs/`), by id. */
  readonly specs = new Map<string, Spec>();
  /** Archived specs, by id; undefined until loaded (they are shown in a collapsed node). */
  archived: Map<string, Spec> | undefined;
  /** A file that names the same id as another (e.g. specs/x.md and specs/sub/x.md). */
  readonly duplicates = new Map<string, string[]>();
  /** The specs of those files, by path: one takes over when the file in `specs` is deleted. */
  private readonly shadowed = new Map<string, Spec>();
  /** Reverse `depends_on` and membership, kept in step with `specs` so readiness stays linear. */
  private relations = new RelationIndex();
  private readonly pathToId = new Map<string, string>();
  private readinessCache = new Map<string, Readiness>();
  /** Each spec's verdict (effective status, ready): what the tree and the badge read of every spec. */
  private verdictCache = new Map<string, Verdict>();
  /**
   * How many active specs are ready (the view's badge), kept while every active spec's readiness
   * is cached: a change then recomputes only the specs it affects and adjusts the count, so the
   * badge never costs a pass over the project after the first one.
   */
  private readySet: Set<string> | undefined;
  /** Specs whose `depends_on` names a short id: their message hints at ids that end with it. */
  private readonly shortDependents = new Set<string>();
  /** Active ids in chant's order, kept until an id comes or goes (an edit keeps the set). */
  private sortedIdsCache: string[] | undefined;
  private cyclesCache: string[][] | undefined;
  private generationValue = 0;
  private readonly readFile: (file: string) => Promise<string>;
  private readonly injectedReadFile: boolean;
  /**
   * For each file whose content the index holds as read from disk: when it was read (Date.now()
   * before the read), or the stamp a snapshot proved. A read takes no stamp of its own: the save
   * stats the file later and keeps it only when its times are older than the read (see
   * snapshotContent), which proves the same as a stamp taken at the read. A file absent here was
   * given from an editor buffer and is never saved.
   */
  private readonly stamps = new Map<string, FileStamp | number>();
  /** The loaded snapshot's archive, kept undecoded until the archive is loaded (or saved again). */
  private savedArchive: SnapshotPart | undefined;
  private snapshot: IndexSnapshot | undefined;
  /** The folders each part was listed from, and when (Date.now() before the listing), for the next save. */
  private readonly listings: Partial<Record<'active' | 'archive', { listedAt: number; listings: FolderListing[] }>> = {};
  readonly lastLoad: LoadReport = { snapshot: 'none', restored: 0, parsed: 0 };
  /** Folders the last load listed from the snapshot (unchanged since it was saved) and folders it read. */
  readonly lastListing = { reused: 0, read: 0 };

  private constructor(root: string, options: LoadOptions) {
    this.paths = new ProjectPaths(root);
    this.readFile = options.readFile ?? ((file) => fs.readFile(file, 'utf8'));
    this.injectedReadFile = options.readFile !== undefined;
    this.snapshot = options.snapshot?.root === root ? options.snapshot : undefined;
  }

  static async load(root: string, options: LoadOptions = {}): Promise<SpecIndex> {
    const index = new SpecIndex(root, options);
    await index.reload(options.includeArchive ?? false);
    return index;
  }

  /** Increases on every change; views use it to drop stale caches. */
  get generation(): number {
    return this.generationValue;
  }

  async reload(includeArchive = this.archived !== undefined): Promise<void> {
    this.specs.clear();
    this.duplicates.clear();
    this.shadowed.clear();
    this.relations = new RelationIndex();
    this.pathToId.clear();
    this.stamps.clear();
    this.archived = undefined;
    // A snapshot serves the first load only; a reload (the Refresh command) reads everything.
    const snapshot = this.snapshot;
    this.snapshot = undefined;
    this.savedArchive = snapshot?.archive;
    this.lastLoad.snapshot = snapshot ? 'used' : 'none';
    this.lastLoad.restored = 0;
    this.lastLoad.parsed = 0;
    this.lastListing.reused = 0;
    this.lastListing.read = 0;
    const [configText, silent, entries] = await Promise.all([
      readTextIfExists(this.paths.configFile),
      isSilentMode(this.paths.root),
      this.list('active', this.paths.specsDir, snapshot?.active),
    ]);
    this.config = parseConfig(configText);
    this.silent = silent;
    const { specs, saved } = await this.readAll(entries, snapshot?.active);
    for (const spec of specs) this.insertActive(spec);
    if (includeArchive) await this.loadArchive();
    this.invalidate();
    if (saved) this.sortedIdsCache = this.savedOrder(saved);
  }

  /**
   * The active ids in chant's order as the snapshot saved them, when this load restored exactly the
   * files it saved (none changed, added or removed): the same ids then sort the same way.
   */
  private savedOrder(saved: SavedPart): string[] | undefined {
    if (this.lastLoad.parsed > 0 || saved.size !== this.specs.size + this.shadowed.size) return undefined;
    // A saved path is `specs/…/<id>.md` below the `.chant` folder; the active spec of that id must
    // be that very file (a shadowed duplicate names the same id from another one).
    const prefixLength = this.paths.chantDir.length + 1;
    const order: string[] = [];
    for (const rel of saved.paths()) {
      const id = rel.slice(rel.lastIndexOf(path.sep) + 1, -3);
      const file = this.specs.get(id)?.path;
      if (file !== undefined && file.length === prefixLength + rel.length && file.endsWith(rel)) order.push(id);
    }
    return order.length === this.specs.size ? order : undefined;
  }

  async loadArchive(): Promise<Map<string, Spec>> {
    if (this.archived) return this.archived;
    const archived = new Map<string, Spec>();
    const saved = this.savedArchive;
    this.savedArchive = undefined;
    const entries = await this.list('archive', this.paths.archiveDir, saved);
    for (const spec of (await this.readAll(entries, saved)).specs) {
      archived.set(spec.id, spec);
      this.pathToId.set(spec.path, spec.id);
    }
    this.archived = archived;
    return archived;
  }

  /**
   * Lists a part's spec files, reusing the saved part's folder listings whose folder did not
   * change, and keeps the listings (with when they were made) for the next save.
   */
  private async list(part: 'active' | 'archive', top: string, saved: SnapshotPart | undefined): Promise<SpecFileEntry[]> {
    const listedAt = Date.now();
    const folders = saved && !this.injectedReadFile ? savedFolders(saved, this.paths.chantDir) : undefined;
    const { listings, reused } = await listFolders(top, folders);
    this.listings[part] = { listedAt, listings };
    this.lastListing.reused += reused;
    this.lastListing.read += listings.length - reused;
    return specFileEntries(listings, part === 'archive');
  }

  async reloadConfig(): Promise<void> {
    const [text, silent] = await Promise.all([readTextIfExists(this.paths.configFile), isSilentMode(this.paths.root)]);
    this.config = parseConfig(text);
    this.silent = silent;
    this.invalidate();
  }

  /** Re-reads one file after a watcher event: it was created, changed or deleted. */
  async updateFile(file: string): Promise<IndexChange> {
    const entry = this.classify(file);
    if (!entry) return { kind: 'ignored', affected: [] };
    if (!this.injectedReadFile) {
      const readAt = Date.now();
      const text = readRegularFile(this.topOf(entry), file);
      return text === undefined ? this.removeFile(file) : this.applyRead(file, text, readAt);
    }
    let text: string | undefined;
    try {
      text = await this.readFile(file);
    } catch {
      text = undefined;
    }
    return text === undefined ? this.removeFile(file) : this.applyRead(file, text, undefined);
  }

  /** Re-reads several files at once (a checkout, an agent run): parallel reads, one change each. */
  async updateFiles(files: readonly string[]): Promise<IndexChange[]> {
    const wanted = files.filter((file) => this.classify(file) !== undefined);
    const changes = files.filter((file) => !wanted.includes(file)).map((): IndexChange => ({ kind: 'ignored', affected: [] }));
    if (this.injectedReadFile) {
      const texts = await Promise.all(wanted.map((file) => this.readFile(file).catch(() => undefined)));
      wanted.forEach((file, i) => {
        const text = texts[i];
        changes.push(text === undefined ? this.removeFile(file) : this.applyRead(file, text, undefined));
      });
      return changes;
    }
    const readAt = Date.now();
    await inSlices(wanted.length, (i) => {
      const text = readRegularFile(this.topOf(this.classify(wanted[i])!), wanted[i]);
      changes.push(text === undefined ? this.removeFile(wanted[i]) : this.applyRead(wanted[i], text, readAt));
    });
    return changes;
  }

  /** The folder a part's listing starts from: the watcher's files are read as that listing would find them. */
  private topOf(entry: SpecFileEntry): string {
    return entry.archived ? this.paths.archiveDir : this.paths.specsDir;
  }

  /**
   * Applies new content for a file (from disk or from an editor buffer). Content that did not come
   * from a read of the file with its stamp is never saved in a snapshot.
   */
  applyText(file: string, text: string): IndexChange {
    return this.applyRead(file, text, undefined);
  }

  /** `readAt`: when `text` was read from the file (undefined: it came from somewhere else). */
  private applyRead(file: string, text: string, readAt: number | undefined): IndexChange {
    const entry = this.classify(file);
    if (!entry) return { kind: 'ignored', affected: [] };
    if (readAt !== undefined) this.stamps.set(file, readAt);
    else this.stamps.delete(file);
    const spec = parseSpec(text, entry);
    if (entry.archived) {
      if (!this.archived) return { kind: 'ignored', affected: [] };
      const previous = this.archived.get(spec.id);
      this.archived.set(spec.id, spec);
      this.pathToId.set(file, spec.id);
      // Readiness reads active specs only (an archived dependency counts as missing either way).
      this.generationValue++;
      return { kind: previous ? 'changed' : 'added', id: spec.id, archived: true, previous, spec, affected: [spec.id] };
    }
    if (this.shadowed.has(file)) this.forgetDuplicate(file);
    const previous = this.specs.get(spec.id);
    if (previous && previous.path !== file) {
      // Two files claim one id: the one whose path sorts first is active (activeOfDuplicates), the
      // same in a fresh load and in the live index, whatever order the files arrive in.
      if (!activeOfDuplicates(file, previous.path)) {
        this.noteDuplicate(spec);
        return { kind: 'ignored', id: spec.id, affected: [] };
      }
      this.removeActive(previous);
      this.noteDuplicate(previous);
      this.insertActive(spec);
      this.invalidate();
      return { kind: 'changed', id: spec.id, archived: false, previous, spec, affected: this.affectedBy(spec, previous) };
    }
    if (previous) this.removeActive(previous);
    this.insertActive(spec);
    const affected = this.affectedBy(spec, previous);
    // Only the specs that read this one can change (readinessAffectedBy covers an edit, an added and
    // a removed id): forget their readiness alone, and the cycles only when the dependencies changed.
    // Keeping the rest is what keeps an update of a 10,000-spec project in the sub-millisecond range.
    this.forget(affected, !previous || !sameList(previous.dependsOn, spec.dependsOn), !previous);
    return { kind: previous ? 'changed' : 'added', id: spec.id, archived: false, previous, spec, affected };
  }

  removeFile(file: string): IndexChange {
    this.stamps.delete(file);
    if (this.shadowed.has(file)) {
      this.forgetDuplicate(file);
      return { kind: 'unchanged', affected: [] };
    }
    const id = this.pathToId.get(file);
    if (id === undefined) return { kind: 'unchanged', affected: [] };
    this.pathToId.delete(file);
    const archivedSpec = this.archived?.get(id);
    if (archivedSpec && archivedSpec.path === file) {
      this.archived!.delete(id);
      this.generationValue++;
      return { kind: 'removed', id, archived: true, previous: archivedSpec, affected: [id] };
    }
    const previous = this.specs.get(id);
    if (!previous || previous.path !== file) return { kind: 'unchanged', affected: [] };
    this.removeActive(previous);
    // Another file claims the same id: it takes over, so deleting one of two never hides both.
    const heir = [...this.shadowed.values()]
      .filter((other) => other.id === id)
      .sort((a, b) => (activeOfDuplicates(a.path, b.path) ? -1 : 1))[0];
    if (heir) {
      this.forgetDuplicate(heir.path);
      this.insertActive(heir);
      this.invalidate();
      return { kind: 'changed', id, archived: false, previous, spec: heir, affected: this.affectedBy(heir, previous) };
    }
    const affected = this.affectedBy(undefined, previous);
    this.forget(affected, true, true);
    return { kind: 'removed', id, archived: false, previous, affected };
  }

  /** Every active file that claims `id`: more than one means a duplicate id (runs refuse it). */
  filesOf(id: string): string[] {
    const active = this.specs.get(id);
    return active ? [active.path, ...(this.duplicates.get(id) ?? [])] : [];
  }

  get(id: string): Spec | undefined {
    return this.specs.get(id) ?? this.archived?.get(id);
  }

  byPath(file: string): Spec | undefined {
    const id = this.pathToId.get(file);
    return id === undefined ? undefined : this.get(id);
  }

  /** Active specs in chant's id order (sorted once per set of ids, not per call). */
  sorted(): Spec[] {
    this.sortedIdsCache ??= sortSpecIds([...this.specs.keys()]);
    return this.sortedIdsCache.map((id) => this.specs.get(id)!);
  }

  readiness(id: string): Readiness | undefined {
    const cached = this.readinessCache.get(id);
    if (cached) return cached;
    const spec = this.specs.get(id);
    if (!spec) return undefined;
    const readiness = readinessOf(spec, this.specs, this.relations);
    this.readinessCache.set(id, readiness);
    return readiness;
  }

  /** The spec's effective status and whether it is ready, without the reasons (see `verdictOf`). */
  verdict(id: string): Verdict | undefined {
    const cached = this.verdictCache.get(id);
    if (cached) return cached;
    const spec = this.specs.get(id);
    if (!spec) return undefined;
    const found = this.readinessCache.get(id) ?? verdictOf(spec, this.specs, this.relations);
    this.verdictCache.set(id, found);
    return found;
  }

  readyIds(): string[] {
    return this.sorted()
      .filter((spec) => this.readiness(spec.id)?.ready)
      .map((spec) => spec.id);
  }

  /**
   * Active specs shown as ready (`ready` and not failed: the Specs view's badge). The first call
   * computes every spec's readiness; after that each change recomputes only the specs it affects.
   */
  readyCount(): number {
    if (this.readySet === undefined) {
      const ready = new Set<string>();
      for (const spec of this.specs.values()) if (isShownReady(spec, this.verdict(spec.id))) ready.add(spec.id);
      this.readySet = ready;
    }
    return this.readySet.size;
  }

  cycles(): string[][] {
    this.cyclesCache ??= findDependencyCycles(this.specs);
    return this.cyclesCache;
  }

  dependentsOf(id: string): readonly string[] {
    return this.relations.dependentsOf(id);
  }

  membersOf(id: string): readonly string[] {
    return this.relations.membersOf(id);
  }

  /**
   * What a snapshot of this index holds: each spec with the stamp of the content it was parsed
   * from, and the archive (or, when this session never loaded it, the loaded snapshot's archive).
   */
  async snapshotContent(producer: string): Promise<SnapshotContent> {
    const stamped = async (specs: Iterable<Spec>) => {
      // Each spec with what the index holds for its file now, before the stats yield: a watcher
      // update in between replaces both, never pairs one spec with another content's read time.
      const list = [...specs].map((spec) => ({ spec, held: this.stamps.get(spec.path) }));
      const out: { spec: Spec; stamp: FileStamp | undefined }[] = new Array(list.length);
      await inSlices(list.length, (i) => {
        const { spec, held } = list[i];
        out[i] = { spec, stamp: provenStamp(spec.path, held) };
      });
      return out;
    };
    // In chant's order, which a warm open that finds the same files takes instead of sorting again;
    // shadowed duplicates are files of the active part too, and a warm open must find them again.
    const active = await stamped([...this.sorted(), ...this.shadowed.values()]);
    return {
      root: this.paths.root,
      producer,
      chantDir: this.paths.chantDir,
      active,
      activeFolders: this.stampedFolders('active'),
      archive: this.archived ? await stamped(this.archived.values()) : this.savedArchive,
      archiveFolders: this.archived ? this.stampedFolders('archive') : undefined,
    };
  }

  /**
   * A part's folder listings with their folders' stamps now, `seenAt` the listing's time: the
   * snapshot keeps a listing only when its folder's times are older than the listing (isRacy),
   * that is, when no entry came or went since it was listed.
   */
  private stampedFolders(part: 'active' | 'archive'): StampedFolder[] {
    const listed = this.listings[part];
    if (!listed) return [];
    return listed.listings.map(({ dir, files, folders }) => {
      const stats = statSync(dir, { throwIfNoEntry: false });
      return { dir, files, folders, stamp: stats?.isDirectory() ? stampOf(stats, listed.listedAt) : undefined };
    });
  }

  /**
   * Parses the listed files, in order. With a saved part, a file whose stamp on disk equals the
   * saved one is restored from it (one stat, no read, no parse); the rest are read as usual.
   */
  private async readAll(
    entries: SpecFileEntry[],
    savedPart: SnapshotPart | undefined,
  ): Promise<{ specs: Spec[]; saved?: SavedPart }> {
    let saved: SavedPart | undefined;
    if (savedPart && !this.injectedReadFile) {
      try {
        saved = new SavedPart(savedPart);
      } catch {
        this.lastLoad.snapshot = 'unreadable';
      }
    }
    if (saved) return { specs: await this.restoreAll(entries, saved), saved };
    this.lastLoad.parsed += entries.length;
    const specs: Spec[] = [];
    if (this.injectedReadFile) {
      const batch = 64;
      for (let i = 0; i < entries.length; i += batch) {
        const chunk = entries.slice(i, i + batch);
        const texts = await Promise.all(chunk.map((e) => this.readFile(e.path).catch(() => undefined)));
        chunk.forEach((entry, j) => {
          const text = texts[j];
          if (text !== undefined) specs.push(parseSpec(text, entry));
        });
      }
      return { specs };
    }
    const readAt = Date.now();
    await forEachTextFile(
      entries.map((e) => e.path),
      (text, j) => {
        if (text === undefined) return;
        specs.push(parseSpec(text, entries[j]));
        this.stamps.set(entries[j].path, readAt);
      },
    );
    return { specs };
  }

  private async restoreAll(entries: SpecFileEntry[], saved: SavedPart): Promise<Spec[]> {
    const found: (Spec | undefined)[] = new Array(entries.length);
    const changed: number[] = [];
    const prefix = this.paths.chantDir.length + 1;
    await inSlices(entries.length, (i) => {
      const file = entries[i].path;
      const entry = saved.get(file.slice(prefix));
      const stats = entry && statSync(file, { throwIfNoEntry: false });
      if (entry && stats && saved.isCurrent(entry, stats)) {
        found[i] = saved.restore(entry, entries[i]);
        this.stamps.set(file, saved.stampOf(entry));
      } else {
        changed.push(i);
      }
    });
    const readAt = Date.now();
    await forEachTextFile(
      changed.map((i) => entries[i].path),
      (text, j) => {
        if (text === undefined) return;
        const entry = entries[changed[j]];
        found[changed[j]] = parseSpec(text, entry);
        this.stamps.set(entry.path, readAt);
      },
    );
    this.lastLoad.restored += entries.length - changed.length;
    this.lastLoad.parsed += changed.length;
    return found.filter((spec): spec is Spec => spec !== undefined);
  }

  /** The spec `file` is in this project (active below `specs/`, or archived), or undefined for any other file. */
  classify(file: string): SpecFileEntry | undefined {
    const name = path.basename(file);
    if (isIgnoredSpecFileName(name)) return undefined;
    const id = name.slice(0, -3);
    if (relativeBelow(this.paths.specsDir, file) !== undefined) return { id, path: file, archived: false };
    if (relativeBelow(this.paths.archiveDir, file) !== undefined) {
      return { id, path: file, archived: true, archiveFolder: archiveFolderOf(path.dirname(file)) };
    }
    return undefined;
  }

  private insertActive(spec: Spec): void {
    const existing = this.specs.get(spec.id);
    if (existing && existing.path !== spec.path) {
      if (!activeOfDuplicates(spec.path, existing.path)) {
        this.noteDuplicate(spec);
        return;
      }
      this.removeActive(existing);
      this.noteDuplicate(existing);
    }
    if (!existing) this.sortedIdsCache = undefined;
    this.specs.set(spec.id, spec);
    this.pathToId.set(spec.path, spec.id);
    this.relations.add(spec);
    if (spec.dependsOn.length > 0 && !spec.dependsOn.every(isFullSpecId)) this.shortDependents.add(spec.id);
  }

  private removeActive(spec: Spec): void {
    this.specs.delete(spec.id);
    this.sortedIdsCache = undefined;
    this.relations.remove(spec);
    this.shortDependents.delete(spec.id);
  }

  /**
   * Forgets the readiness of `ids` after a change, and the cycles when dependencies changed. While
   * the ready count is kept, the forgotten specs are computed again at once to adjust it. An id
   * that came or went also changes the "did you mean" hint of specs that name a short id.
   */
  private forget(ids: readonly string[], dependenciesChanged: boolean, idsChanged: boolean): void {
    this.generationValue++;
    if (dependenciesChanged) this.cyclesCache = undefined;
    const all = idsChanged && this.shortDependents.size > 0 ? new Set([...ids, ...this.shortDependents]) : ids;
    const ready = this.readySet;
    for (const id of all) {
      this.readinessCache.delete(id);
      this.verdictCache.delete(id);
      if (!ready) continue;
      ready.delete(id);
      const spec = this.specs.get(id);
      if (spec && isShownReady(spec, this.verdict(id))) ready.add(id);
    }
  }

  private noteDuplicate(spec: Spec): void {
    const list = this.duplicates.get(spec.id) ?? [];
    if (!list.includes(spec.path)) list.push(spec.path);
    this.duplicates.set(spec.id, list);
    this.shadowed.set(spec.path, spec);
  }

  private forgetDuplicate(file: string): void {
    const spec = this.shadowed.get(file);
    this.shadowed.delete(file);
    if (!spec) return;
    const rest = (this.duplicates.get(spec.id) ?? []).filter((other) => other !== file);
    if (rest.length > 0) this.duplicates.set(spec.id, rest);
    else this.duplicates.delete(spec.id);
  }

  private affectedBy(spec: Spec | undefined, previous: Spec | undefined): string[] {
    const id = (spec ?? previous)!.id;
    const affected = new Set(readinessAffectedBy(id, this.specs, this.relations));
    // Dependencies that were dropped by this edit lose a dependent; their own state is unchanged,
    // but views that list dependents (tooltips, the graph) must refresh them.
    for (const dep of previous?.dependsOn ?? []) if (this.specs.has(dep)) affected.add(dep);
    return [...affected];
  }

  private invalidate(): void {
    this.generationValue++;
    this.readinessCache = new Map();
    this.verdictCache = new Map();
    this.readySet = undefined;
    this.sortedIdsCache = undefined;
    this.cyclesCache = undefined;
  }
}

/**
 * The one rule for two files that claim one id: the path that sorts first (by code unit) is the
 * active spec, the other a duplicate. True when `a` wins over `b`.
 */
export function activeOfDuplicates(a: string, b: string): boolean {
  return a < b;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/**
 * The stamp that lets a snapshot trust the content held for `file`: a stamp a snapshot proved stays.
 * For content read at `held` (a time), the file is stat'ed now; the stamp's `seenAt` is the read
 * time, so the snapshot keeps it only when the file's modification and change times are older than
 * the read (isRacy), that is, when nothing changed the file since before the read.
 */
function provenStamp(file: string, held: FileStamp | number | undefined): FileStamp | undefined {
  if (held === undefined || typeof held !== 'number') return held;
  try {
    const stats = statSync(file, { throwIfNoEntry: false });
    return stats?.isFile() ? stampOf(stats, held) : undefined;
  } catch {
    return undefined;
  }
}
