// Reading many small files fast. The index and the benchmark's floors share this, so a floor
// measures exactly the reads the index does and nothing else.
import { readFileSync } from 'node:fs';

/** How long one synchronous slice may hold the thread before the reader yields to the event loop. */
const SLICE_MS = 8;

/**
 * Reads files as UTF-8 one after the other and hands each text to `visit` right away (undefined
 * when a file cannot be read). Small files are read synchronously in slices of a few milliseconds
 * with a yield between them: for spec-sized files one `readFileSync` costs a fraction of
 * `fs.promises.readFile` (open, fstat, read and close as four trips through the thread pool), and
 * the slices keep the extension host responsive. Visiting each text at once, instead of collecting
 * them all first, lets the texts die young: a young-generation GC copies every live text, so
 * holding 10,000 of them while parsing costs more than the parsing.
 */
export async function forEachTextFile(
  files: readonly string[],
  visit: (text: string | undefined, index: number) => void,
): Promise<void> {
  let sliceStart = performance.now();
  for (let i = 0; i < files.length; i++) {
    let text: string | undefined;
    try {
      text = readFileSync(files[i], 'utf8');
    } catch {
      text = undefined;
    }
    visit(text, i);
    if ((i & 15) === 15 && performance.now() - sliceStart > SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}

/** Reads files as UTF-8; a file that cannot be read gives undefined. */
export async function readTextFiles(files: readonly string[]): Promise<(string | undefined)[]> {
  const out: (string | undefined)[] = new Array(files.length);
  await forEachTextFile(files, (text, i) => {
    out[i] = text;
  });
  return out;
}
