// The one way the extension creates, writes, appends to and reads its own files under a project
// (logs, run streams, prompts, `.gitignore` files, drafts, review copies, reports). A repository
// can commit symbolic links anywhere: `.chant/logs/<id>.log -> ~/.bashrc`, `.chant/tmp -> ../../x`,
// `.chant/tmp/staging-pr-42.md -> ~/.ssh/id_rsa`. So every folder from the project root down to the
// file is checked with lstat (a link or anything but a folder is refused, never followed; missing
// folders are created one by one), and the file itself is opened with O_NOFOLLOW and checked to be
// a regular file with a single name (a hard link shares its bytes with a file elsewhere). A refusal
// is a LinkRefusedError that names the path and what to do. The root itself is the user's choice
// and is not judged. No `vscode` import.
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { removeTempLeftovers, writeFileAtomic, type AtomicWriteOptions } from './atomicWrite';
import { relativeInside } from './containment';

export class LinkRefusedError extends Error {
  readonly code = 'ELINKREFUSED';
  constructor(
    /** The refused path, relative to the root. */
    readonly relative: string,
    what: string,
  ) {
    super(`Refusing to use ${relative}: it is ${what}, which the repository may have placed there. Chant never writes or reads its own files through one. Remove it, then try again.`);
    this.name = 'LinkRefusedError';
  }
}

const O_NOFOLLOW = fsConstants.O_NOFOLLOW ?? 0;

function describe(stat: { isSymbolicLink(): boolean; isDirectory(): boolean; isFile(): boolean }): string {
  if (stat.isSymbolicLink()) return 'a symbolic link';
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFile()) return 'a file';
  return 'a special file';
}

/** `file` relative to `root`, `/`-separated; throws when it is not below the root. */
function relativeOf(root: string, file: string): string {
  const relative = relativeInside(path.resolve(root), path.resolve(file));
  if (relative === undefined || relative === '') throw new Error(`${file} is not inside ${root}.`);
  return relative.split(path.sep).join('/');
}

/**
 * Makes `dir` (below `root`) exist, every folder from the root down a real folder: an existing
 * link or file on the way is refused, a missing folder is created (never through a link).
 */
export async function ensureProjectDir(root: string, dir: string): Promise<void> {
  if (path.resolve(dir) === path.resolve(root)) return;
  const parts = relativeOf(root, dir).split('/');
  let current = path.resolve(root);
  for (let i = 0; i < parts.length; i++) {
    current = path.join(current, parts[i]);
    let stat = await fs.lstat(current).catch(() => undefined);
    if (!stat) {
      await fs.mkdir(current).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
      stat = await fs.lstat(current);
    }
    if (!stat.isDirectory() || stat.isSymbolicLink()) throw new LinkRefusedError(parts.slice(0, i + 1).join('/'), describe(stat));
  }
}

/** Checks the folders above `file` (creating missing ones); returns its root-relative path. */
async function parentChecked(root: string, file: string): Promise<string> {
  const relative = relativeOf(root, file);
  await ensureProjectDir(root, path.dirname(path.resolve(file)));
  return relative;
}

/** What is at `file` now, without following a link: missing, a regular file, or something else. */
export async function entryKind(file: string): Promise<'missing' | 'file' | 'link' | 'other'> {
  const stat = await fs.lstat(file).catch(() => undefined);
  if (!stat) return 'missing';
  if (stat.isSymbolicLink()) return 'link';
  return stat.isFile() ? 'file' : 'other';
}

/** Opens `file` with `flags` plus O_NOFOLLOW and checks it is a regular file with one name. */
async function openChecked(relative: string, file: string, flags: number, mode?: number): Promise<fs.FileHandle> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, flags | O_NOFOLLOW | fsConstants.O_NONBLOCK, mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') throw new LinkRefusedError(relative, 'a symbolic link');
    throw error;
  }
  const stat = await handle.stat();
  if (!stat.isFile() || stat.nlink > 1) {
    await handle.close();
    throw new LinkRefusedError(relative, stat.isFile() ? 'a hard link to another file' : describe(stat));
  }
  return handle;
}

/**
 * Checks, before anything else changes, that `file` could be written: its folders are real (missing
 * ones are created) and it is missing or a regular file. A LinkRefusedError otherwise.
 */
export async function checkProjectFile(root: string, file: string): Promise<void> {
  const relative = await parentChecked(root, file);
  const kind = await entryKind(file);
  if (kind === 'link') throw new LinkRefusedError(relative, 'a symbolic link');
  if (kind === 'other') throw new LinkRefusedError(relative, 'not a regular file');
}

/** Appends to `file` (created when missing), never through a link at the file or any folder above it. */
export async function appendProjectFile(root: string, file: string, data: string): Promise<void> {
  const relative = await parentChecked(root, file);
  const handle = await openChecked(
    relative,
    file,
    fsConstants.O_WRONLY | fsConstants.O_APPEND | fsConstants.O_CREAT,
    0o666,
  );
  try {
    await handle.appendFile(data, 'utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Writes `file` atomically (a temporary file renamed over it) after checking the folders above it.
 * A link or special file in the file's own place is refused rather than replaced: it is not ours.
 */
export async function writeProjectFile(
  root: string,
  file: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  await checkProjectFile(root, file);
  await writeFileAtomic(file, data, options);
}

/** Creates `file` new (O_EXCL: an existing file or link of that name fails with EEXIST). */
export async function createProjectFile(root: string, file: string, data = '', mode = 0o666): Promise<void> {
  await parentChecked(root, file);
  const handle = await fs.open(
    file,
    fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | O_NOFOLLOW,
    mode,
  );
  try {
    if (data) await handle.writeFile(data, 'utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Reads `file` as text when it is a regular file reached through real folders; undefined when it
 * is missing; a LinkRefusedError when it (or a folder above it) is a link or not a regular file.
 */
export async function readProjectFile(root: string, file: string): Promise<string | undefined> {
  const relative = relativeOf(root, file);
  const parts = relative.split('/');
  let current = path.resolve(root);
  for (let i = 0; i < parts.length - 1; i++) {
    current = path.join(current, parts[i]);
    const stat = await fs.lstat(current).catch(() => undefined);
    if (!stat) return undefined;
    if (!stat.isDirectory() || stat.isSymbolicLink()) throw new LinkRefusedError(parts.slice(0, i + 1).join('/'), describe(stat));
  }
  let handle: fs.FileHandle;
  try {
    handle = await openChecked(relative, file, fsConstants.O_RDONLY);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Removes the temporary files killed saves left in `dir` (below `root`), only when every folder from
 * the root down is a real one: through a folder link the repository placed, nothing is listed or
 * deleted. Returns the names removed.
 */
export async function removeProjectTempLeftovers(
  root: string,
  dir: string,
  minAgeMs?: number,
  now?: number,
): Promise<string[]> {
  const parts = path.resolve(dir) === path.resolve(root) ? [] : relativeOf(root, dir).split('/');
  let current = path.resolve(root);
  for (const part of parts) {
    current = path.join(current, part);
    const stat = await fs.lstat(current).catch(() => undefined);
    if (!stat?.isDirectory() || stat.isSymbolicLink()) return [];
  }
  return removeTempLeftovers(dir, minAgeMs, now);
}
