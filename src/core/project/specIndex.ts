// The in-memory model of one chant project. Built once, then kept current one file at a time:
// a watcher event re-reads that file alone, and computed state (readiness, cycles) is derived
// lazily from the maps, so an update costs a parse plus a few map operations, never a rescan.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from './config';
import { findDependencyCycles } from './cycles';
import { compareSpecIds } from '../spec/ids';
import {
  isIgnoredSpecFileName,
  isSilentMode,
  listArchivedSpecFiles,
  listSpecFiles,
  ProjectPaths,
  readTextIfExists,
  type SpecFileEntry,
} from './project';
import { forEachTextFile, readTextFiles } from './readFiles';
import { readinessAffectedBy, readinessOf, RelationIndex, type Readiness } from './readiness';
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
  /** Injected for tests and the benchmark. */
  readFile?: (file: string) => Promise<string>;
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
  private cyclesCache: string[][] | undefined;
  private generationValue = 0;
  private readonly readFile: (file: string) => Promise<string>;
  private readonly injectedReadFile: boolean;

  private constructor(root: string, options: LoadOptions) {
    this.paths = new ProjectPaths(root);
    this.readFile = options.readFile ?? ((file) => fs.readFile(file, 'utf8'));
    this.injectedReadFile = options.readFile !== undefined;
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
    this.archived = undefined;
    const [configText, silent, entries] = await Promise.all([
      readTextIfExists(this.paths.configFile),
      isSilentMode(this.paths.root),
      listSpecFiles(this.paths),
    ]);
    this.config = parseConfig(configText);
    this.silent = silent;
    const specs = await this.readAll(entries);
    for (const spec of specs) this.insertActive(spec);
    if (includeArchive) await this.loadArchive();
    this.invalidate();
  }

  async loadArchive(): Promise<Map<string, Spec>> {
    if (this.archived) return this.archived;
    const archived = new Map<string, Spec>();
    for (const spec of await this.readAll(await listArchivedSpecFiles(this.paths))) {
      archived.set(spec.id, spec);
      this.pathToId.set(spec.path, spec.id);
    }
    this.archived = archived;
    return archived;
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
    let text: string | undefined;
    try {
      text = await this.readFile(file);
    } catch {
      text = undefined;
    }
    return text === undefined ? this.removeFile(file) : this.applyText(file, text);
  }

  /** Re-reads several files at once (a checkout, an agent run): parallel reads, one change each. */
  async updateFiles(files: readonly string[]): Promise<IndexChange[]> {
    const wanted = files.filter((file) => this.classify(file) !== undefined);
    const texts = this.injectedReadFile
      ? await Promise.all(wanted.map((file) => this.readFile(file).catch(() => undefined)))
      : await readTextFiles(wanted);
    const changes = files.filter((file) => !wanted.includes(file)).map((): IndexChange => ({ kind: 'ignored', affected: [] }));
    wanted.forEach((file, i) => {
      const text = texts[i];
      changes.push(text === undefined ? this.removeFile(file) : this.applyText(file, text));
    });
    return changes;
  }

  /** Applies new content for a file (from disk or from an editor buffer). */
  applyText(file: string, text: string): IndexChange {
    const entry = this.classify(file);
    if (!entry) return { kind: 'ignored', affected: [] };
    const spec = parseSpec(text, entry);
    if (entry.archived) {
      if (!this.archived) return { kind: 'ignored', affected: [] };
      const previous = this.archived.get(spec.id);
      this.archived.set(spec.id, spec);
      this.pathToId.set(file, spec.id);
      this.invalidate();
      return { kind: previous ? 'changed' : 'added', id: spec.id, archived: true, previous, spec, affected: [spec.id] };
    }
    if (this.shadowed.has(file)) this.forgetDuplicate(file);
    const previous = this.specs.get(spec.id);
    if (previous && previous.path !== file) {
      // Two files claim one id; the first one loaded stays, like a file-system order would decide.
      this.noteDuplicate(spec);
      return { kind: 'ignored', id: spec.id, affected: [] };
    }
    if (previous) this.removeActive(previous);
    this.insertActive(spec);
    const affected = this.affectedBy(spec, previous);
    if (previous) {
      // An edit keeps the set of ids, so only the specs that read this one can change: forget their
      // readiness alone, and the cycles only when the dependencies changed. Keeping the rest is what
      // keeps an update of a 10,000-spec project in the sub-millisecond range.
      this.generationValue++;
      for (const id of affected) this.readinessCache.delete(id);
      if (!sameList(previous.dependsOn, spec.dependsOn)) this.cyclesCache = undefined;
    } else {
      this.invalidate();
    }
    return { kind: previous ? 'changed' : 'added', id: spec.id, archived: false, previous, spec, affected };
  }

  removeFile(file: string): IndexChange {
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
      this.invalidate();
      return { kind: 'removed', id, archived: true, previous: archivedSpec, affected: [id] };
    }
    const previous = this.specs.get(id);
    if (!previous || previous.path !== file) return { kind: 'unchanged', affected: [] };
    this.removeActive(previous);
    // Another file claims the same id: it takes over, so deleting one of two never hides both.
    const heir = [...this.shadowed.values()].find((other) => other.id === id);
    if (heir) {
      this.forgetDuplicate(heir.path);
      this.insertActive(heir);
      this.invalidate();
      return { kind: 'changed', id, archived: false, previous, spec: heir, affected: this.affectedBy(heir, previous) };
    }
    this.invalidate();
    return { kind: 'removed', id, archived: false, previous, affected: this.affectedBy(undefined, previous) };
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

  /** Active specs in chant's id order. */
  sorted(): Spec[] {
    return [...this.specs.values()].sort((a, b) => compareSpecIds(a.id, b.id));
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

  readyIds(): string[] {
    return this.sorted()
      .filter((spec) => this.readiness(spec.id)?.ready)
      .map((spec) => spec.id);
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

  private async readAll(entries: SpecFileEntry[]): Promise<Spec[]> {
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
      return specs;
    }
    await forEachTextFile(
      entries.map((e) => e.path),
      (text, j) => {
        if (text !== undefined) specs.push(parseSpec(text, entries[j]));
      },
    );
    return specs;
  }

  private classify(file: string): SpecFileEntry | undefined {
    const name = path.basename(file);
    if (isIgnoredSpecFileName(name)) return undefined;
    const id = name.slice(0, -3);
    if (isInside(this.paths.specsDir, file)) return { id, path: file, archived: false };
    if (isInside(this.paths.archiveDir, file)) {
      const parent = path.basename(path.dirname(file));
      return { id, path: file, archived: true, archiveFolder: /^\d{4}-\d{2}-\d{2}$/.test(parent) ? parent : undefined };
    }
    return undefined;
  }

  private insertActive(spec: Spec): void {
    const existing = this.specs.get(spec.id);
    if (existing && existing.path !== spec.path) {
      this.noteDuplicate(spec);
      return;
    }
    this.specs.set(spec.id, spec);
    this.pathToId.set(spec.path, spec.id);
    this.relations.add(spec);
  }

  private removeActive(spec: Spec): void {
    this.specs.delete(spec.id);
    this.relations.remove(spec);
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
    this.cyclesCache = undefined;
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel.length > 0 && !rel.startsWith('..') && !path.isAbsolute(rel);
}
