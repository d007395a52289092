// Reading many small files fast. The index and the benchmark's floors share this, so a floor
// measures exactly the reads the index does and nothing else.
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

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
  await inSlices(files.length, (i) => visit(readTextFile(files[i]), i));
}

/**
 * One listed file's text, or undefined when it cannot be read. For files a folder listing found
 * to be regular files (`listFolders`: links are never listed); a file named by anything else goes
 * through `readRegularFile`.
 */
function readTextFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The text of `file`, below `top`, when it is a regular file reached without a link: undefined for
 * a link (a pull request can commit one anywhere under `.chant/`, pointing at a secret or a
 * device), a folder, a pipe or a device, or a file inside a linked folder, as a folder listing
 * would never have found it. For the files the watcher names, which no listing vouched for. The file
 * itself is also opened with O_NOFOLLOW where the system has it, and the open does not wait on a pipe.
 */
export function readRegularFile(top: string, file: string): string | undefined {
  const parts = path.relative(top, file).split(path.sep);
  if (parts.length === 0 || parts.includes('..') || path.isAbsolute(parts[0])) return undefined;
  let current = top;
  for (let i = 0; i < parts.length; i++) {
    current = path.join(current, parts[i]);
    const stat = lstatSync(current, { throwIfNoEntry: false });
    if (!(i === parts.length - 1 ? stat?.isFile() : stat?.isDirectory())) return undefined;
  }
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    return fstatSync(fd).isFile() ? readFileSync(fd, 'utf8') : undefined;
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
