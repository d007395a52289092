// Reading many small files fast. The index and the benchmark's floors share this, so a floor
// measures exactly the reads the index does and nothing else.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { stampOf, type FileStamp } from './fileStamp';

/** How long one synchronous slice may hold the thread before the reader yields to the event loop. */
const SLICE_MS = 8;

/**
 * Calls `step(i)` for i in 0..count-1, synchronously in slices of a few milliseconds with a yield
 * to the event loop between them, so that thousands of small synchronous file calls never hold
 * the extension host for long.
 */
export async function inSlices(count: number, step: (index: number) => void): Promise<void> {
  let sliceStart = performance.now();
  for (let i = 0; i < count; i++) {
    step(i);
    if ((i & 15) === 15 && performance.now() - sliceStart > SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}

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
  await inSlices(files.length, (i) => {
    let text: string | undefined;
    try {
      text = readFileSync(files[i], 'utf8');
    } catch {
      text = undefined;
    }
    visit(text, i);
  });
}

/**
 * `forEachTextFile` that also hands over each file's stamp, taken with fstat on the open file
 * before its content is read: the same open, fstat, read and close `readFileSync` makes, so the
 * stamp costs no extra system call. A change after the fstat leaves a stamp older than the
 * content, which only makes the next open re-read the file.
 */
export async function forEachStampedTextFile(
  files: readonly string[],
  visit: (text: string | undefined, index: number, stamp: FileStamp | undefined) => void,
): Promise<void> {
  await inSlices(files.length, (i) => {
    const read = readStamped(files[i]);
    visit(read?.text, i, read?.stamp);
  });
}

let buffer = Buffer.allocUnsafe(64 * 1024);

/** One file's text and stamp, or undefined when it cannot be read. */
export function readStamped(file: string): { text: string; stamp: FileStamp } | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const seenAt = Date.now();
    const stats = fstatSync(fd);
    if (!stats.isFile()) return undefined;
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return { text: buffer.toString('utf8', 0, length), stamp: stampOf(stats, seenAt) };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
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
