// Run in a child process (`node --expose-gc`) by the benchmark so that the heap it reports holds
// one index and nothing else: the suite's own process is full of other projects' garbage.
import { IndexSnapshotStore } from '../src/core/project/snapshotStore';
import { SpecIndex } from '../src/core/project/specIndex';

/** With `snapshotDir`, the index is opened from the snapshot the suite saved there. */
export async function probeHeap(root: string, snapshotDir?: string): Promise<{ retainedMB: number; usedMB: number; specs: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('heap probe needs node --expose-gc');
  const snapshot = snapshotDir ? await new IndexSnapshotStore(snapshotDir, 'chant-bench').load(root) : undefined;
  if (snapshotDir && !snapshot) throw new Error(`no snapshot of ${root} in ${snapshotDir}`);
  gc();
  const before = process.memoryUsage().heapUsed;
  const index = await SpecIndex.load(root, { includeArchive: true, snapshot });
  for (const spec of index.specs.values()) index.readiness(spec.id);
  index.cycles();
  gc();
  const after = process.memoryUsage().heapUsed;
  const specs = index.specs.size + (index.archived?.size ?? 0);
  return { retainedMB: (after - before) / 2 ** 20, usedMB: after / 2 ** 20, specs };
}
