// Run in a child process (`node --expose-gc`) by the benchmark so that the heap it reports holds
// one index and nothing else: the suite's own process is full of other projects' garbage.
import { SpecIndex } from '../src/core/project/specIndex';

export async function probeHeap(root: string): Promise<{ retainedMB: number; usedMB: number; specs: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('heap probe needs node --expose-gc');
  gc();
  const before = process.memoryUsage().heapUsed;
  const index = await SpecIndex.load(root, { includeArchive: true });
  for (const spec of index.specs.values()) index.readiness(spec.id);
  index.cycles();
  gc();
  const after = process.memoryUsage().heapUsed;
  const specs = index.specs.size + (index.archived?.size ?? 0);
  return { retainedMB: (after - before) / 2 ** 20, usedMB: after / 2 ** 20, specs };
}
