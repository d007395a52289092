// Every file the extension writes is written whole or not at all: the new bytes go to a temporary
// file in the same folder (same file system, so the rename is atomic), flushed to disk, then renamed
// over the old one. A crash, a kill or a full disk mid-save leaves the old file or the new one,
// never a truncated spec (in silent mode nothing could restore it). The file's mode is kept. A
// symlink in the file's place is replaced, not followed: a spec file linked to `~/.bashrc` by a
// hostile repository is never written through. No `vscode` import.
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface AtomicWriteOptions {
  /** Mode for a new file (default 0o666 before umask); an existing file keeps its own. */
  mode?: number;
  /** Fail with EEXIST when the file exists (like the `wx` flag), still never leaving half a file. */
  exclusive?: boolean;
}

/** The temporary name: hidden, and ending in `.tmp`, which the spec index and watchers ignore. */
function tempNameFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** writeFileAtomic's temporary names: `.<name>.<12 hex>.tmp`. */
const TEMP_NAME = /^\..+\.[0-9a-f]{12}\.tmp$/;

/**
 * Removes the temporary files a killed save left in `dir` (a process killed between the write and
 * the rename): regular files with writeFileAtomic's names, untouched for `minAgeMs` (a save in
 * progress is younger). Never follows a link. Returns the names removed.
 */
export async function removeTempLeftovers(dir: string, minAgeMs = 60_000, now = Date.now()): Promise<string[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (!TEMP_NAME.test(name)) continue;
    const stat = await fs.lstat(path.join(dir, name)).catch(() => undefined);
    if (!stat?.isFile() || now - stat.mtimeMs < minAgeMs) continue;
    await fs.unlink(path.join(dir, name)).then(() => removed.push(name), () => undefined);
  }
  return removed;
}

export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const existing = await fs.lstat(file).catch(() => undefined);
  if (existing && options.exclusive)
    throw Object.assign(new Error(`EEXIST: file already exists, open '${file}'`), { code: 'EEXIST' });
  const mode = existing?.isFile() ? existing.mode & 0o7777 : (options.mode ?? 0o666);
  const temp = tempNameFor(file);
  const handle = await fs.open(temp, 'wx', mode);
  try {
    try {
      await handle.writeFile(data);
      // The umask applies at creation; an existing file's mode is restored exactly.
      if (existing?.isFile()) await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.exclusive) {
      // link() fails when the name exists, so a file created meanwhile is never replaced. File
      // systems without hard links get an exclusive copy of the complete temporary file instead.
      await fs.link(temp, file).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') throw error;
        await fs.copyFile(temp, file, fsConstants.COPYFILE_EXCL);
      });
      await fs.unlink(temp);
    } else {
      await fs.rename(temp, file);
    }
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
}
