// The benchmark's measuring code, bundled and run under plain Node by scripts/bench.mjs. It uses
// the same core the extension uses, on any folder that holds a `.chant/`.
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { findChantRoots } from '../src/core/project/project';
import { IndexSnapshotStore } from '../src/core/project/snapshotStore';
import { SpecIndex } from '../src/core/project/specIndex';

export interface IndexBenchResult {
  workspace: string;
  root: string;
  specs: number;
  archived: number;
  parseErrors: number;
  rejectedByChant: number;
  byStatus: Record<string, number>;
  byType: Record<string, number>;
  ready: number;
  blocked: number;
  cycles: number;
  indexMs: number;
  /** Opening from the saved index (saved by this run after the cold index, or by an earlier run). */
  warmIndexMs: number;
  /** Specs the warm open restored from the snapshot and files it parsed (changed since, or racy). */
  warmRestored: number;
  warmParsed: number;
  snapshotBytes: number;
  snapshotFile: string;
  updateMs: number;
  heapMB: number;
}

/** Values exactly as written; a missing key is counted as `(none)`, a non-scalar as `(invalid)`. */
function tally(target: Record<string, number>, value: unknown): void {
  const key = value === undefined || value === null ? '(none)' : typeof value === 'object' ? '(invalid)' : String(value);
  target[key] = (target[key] ?? 0) + 1;
}

export async function benchWorkspace(workspace: string): Promise<IndexBenchResult> {
  const roots = await findChantRoots(workspace, 3);
  if (roots.length === 0) throw new Error(`No .chant/ folder found in ${workspace} (looked 3 levels deep).`);
  const root = roots[0];

  const treeState = (index: SpecIndex): { ready: number; blocked: number; cycles: number } => {
    let ready = 0;
    let blocked = 0;
    for (const spec of index.specs.values()) {
      const verdict = index.verdict(spec.id);
      if (verdict?.ready) ready++;
      if (verdict?.effective === 'blocked') blocked++;
    }
    return { ready, blocked, cycles: index.cycles().length };
  };
  const start = performance.now();
  const index = await SpecIndex.load(root, { includeArchive: true });
  const { ready, blocked, cycles } = treeState(index);
  const indexMs = performance.now() - start;

  // The saved index lives outside the workspace (a benchmark never writes into it), where a later
  // run finds it too. Files changed within 2 s of the read are not saved (see fileStamp.ts).
  const store = new IndexSnapshotStore(path.join(os.tmpdir(), 'chant-bench-snapshots'), 'chant-bench');
  const snapshotBytes = await store.save(index);
  const warmStart = performance.now();
  const warm = await SpecIndex.load(root, { includeArchive: true, snapshot: await store.load(root) });
  treeState(warm);
  const warmIndexMs = performance.now() - warmStart;

  const byStatus: Record<string, number> = {};
  const byType: Record<string, number> = {};
  let parseErrors = 0;
  let rejectedByChant = 0;
  const all = [...index.specs.values(), ...(index.archived?.values() ?? [])];
  for (const spec of all) {
    tally(byStatus, spec.frontmatter.status);
    tally(byType, spec.frontmatter.type);
    if (spec.problems.some((p) => p.code === 'yaml' || p.code === 'unterminated-frontmatter')) parseErrors++;
    if (spec.chantWouldReject) rejectedByChant++;
  }

  // Re-index after one file changes: the watcher path (read one file, parse, update maps, recompute
  // what the tree asks for). The file is re-read, not rewritten: a benchmark never edits the workspace.
  const sample = index.sorted()[Math.floor(index.specs.size / 2)];
  let updateMs = 0;
  if (sample) {
    const t0 = performance.now();
    await index.updateFile(sample.path);
    for (const id of index.dependentsOf(sample.id)) index.readiness(id);
    index.readiness(sample.id);
    updateMs = performance.now() - t0;
  }

  const heapMB = process.memoryUsage().heapUsed / (1024 * 1024);
  return {
    workspace,
    root,
    specs: index.specs.size,
    archived: index.archived?.size ?? 0,
    parseErrors,
    rejectedByChant,
    byStatus,
    byType,
    ready,
    blocked,
    cycles,
    indexMs: round(indexMs),
    warmIndexMs: round(warmIndexMs),
    warmRestored: warm.lastLoad.restored,
    warmParsed: warm.lastLoad.parsed,
    snapshotBytes,
    snapshotFile: store.fileFor(root),
    updateMs: round(updateMs),
    heapMB: round(heapMB),
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
