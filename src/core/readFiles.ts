// Reading many small files fast. The index and the benchmark's read floor share this, so the floor
// measures exactly the reads the index does and nothing else.
import { readFileSync } from 'node:fs';

/** How long one synchronous slice may hold the thread before the reader yields to the event loop. */
const SLICE_MS = 8;

/**
 * Reads files as UTF-8; a file that cannot be read gives undefined. Small files are read
 * synchronously in slices of a few milliseconds with a yield between them: for spec-sized files
 * one `readFileSync` costs a fraction of `fs.promises.readFile` (which is open, fstat, read and
 * close as four trips through the thread pool), and the slices keep the extension host responsive.
 */
export async function readTextFiles(files: readonly string[]): Promise<(string | undefined)[]> {
  const out: (string | undefined)[] = new Array(files.length);
  let sliceStart = performance.now();
  for (let i = 0; i < files.length; i++) {
    try {
      out[i] = readFileSync(files[i], 'utf8');
    } catch {
      out[i] = undefined;
    }
    if ((i & 15) === 15 && performance.now() - sliceStart > SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  return out;
}
