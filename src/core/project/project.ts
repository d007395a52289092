// Locating chant projects and their files on disk. Only asynchronous fs calls, but for one stat
// per folder: this runs during activation and must never block the extension host.
import { promises as fs, statSync } from 'node:fs';
import type { FileStamp } from './fileStamp';
import * as path from 'node:path';

export const CHANT_DIR = '.chant';

/** Folders never worth descending into when looking for `.chant/` below a workspace folder. */
const SKIP_DIRS = new Set(['node_modules', '.git', 'target', 'dist', 'out', 'build', '.vscode-test', '.venv']);

export interface SpecFileEntry {
  id: string;
  path: string;
  archived: boolean;
  archiveFolder?: string;
}

/** Directory names and paths of one project. `root` is the folder that contains `.chant/`. */
export class ProjectPaths {
  readonly chantDir: string;
  readonly specsDir: string;
  readonly archiveDir: string;
  readonly promptsDir: string;
  readonly configFile: string;
  constructor(readonly root: string) {
    this.chantDir = path.join(root, CHANT_DIR);
    this.specsDir = path.join(this.chantDir, 'specs');
    this.archiveDir = path.join(this.chantDir, 'archive');
    this.promptsDir = path.join(this.chantDir, 'prompts');
    this.configFile = path.join(this.chantDir, 'config.md');
  }
  specFile(id: string): string {
    return path.join(this.specsDir, `${id}.md`);
  }
  promptFile(name: string): string {
    return path.join(this.promptsDir, `${name}.md`);
  }
  /** Relative path with forward slashes, as spec files write paths. */
  relative(absolute: string): string {
    return path.relative(this.root, absolute).split(path.sep).join('/');
  }
}

/**
 * Finds every folder at or below `folder` (up to `maxDepth` levels) that holds a `.chant/` directory.
 * The chant CLI itself never walks up or down, but a maintainer may open a parent folder.
 */
export async function findChantRoots(folder: string, maxDepth = 3): Promise<string[]> {
  const roots: string[] = [];
  let level = [folder];
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    const next: string[] = [];
    await Promise.all(
      level.map(async (dir) => {
        const entries = await readDirSafe(dir);
        for (const entry of entries) {
          if (!entry.isDirectory()) continue;
          if (entry.name === CHANT_DIR) roots.push(dir);
          else if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) next.push(path.join(dir, entry.name));
        }
      }),
    );
    level = next;
  }
  return roots.sort();
}

/** True for names the watcher and the loader must ignore (chant's temp and status files). */
export function isIgnoredSpecFileName(name: string): boolean {
  return !name.endsWith('.md') || name.startsWith('.chant-status-') || name.endsWith('.tmp');
}

/** chant loads every `*.md` below `specs/`, recursively, with the file stem as the id. */
export async function listSpecFiles(paths: ProjectPaths): Promise<SpecFileEntry[]> {
  return specFileEntries((await listFolders(paths.specsDir)).listings, false);
}

/** Archived specs live in `archive/<YYYY-MM-DD>/<id>.md`; older projects used a flat `archive/*.md`. */
export async function listArchivedSpecFiles(paths: ProjectPaths): Promise<SpecFileEntry[]> {
  return specFileEntries((await listFolders(paths.archiveDir)).listings, true);
}

/** The `YYYY-MM-DD` name of an archive folder (`archive/<date>/<id>.md`), or undefined for any other folder. */
export function archiveFolderOf(dir: string): string | undefined {
  const name = path.basename(dir);
  return /^\d{4}-\d{2}-\d{2}$/.test(name) ? name : undefined;
}

/** The spec files of listed folders, as the index reads them. */
export function specFileEntries(listings: readonly FolderListing[], archived: boolean): SpecFileEntry[] {
  const files: SpecFileEntry[] = [];
  for (const listing of listings) {
    const archiveFolder = archived ? archiveFolderOf(listing.dir) : undefined;
    for (const name of listing.files) {
      const file = path.join(listing.dir, name);
      const id = name.slice(0, -3);
      files.push(archived ? { id, path: file, archived, archiveFolder } : { id, path: file, archived });
    }
  }
  return files;
}

/** Top-level file names of `specs/`, which is all chant's next-id rule looks at. */
export async function listTopLevelSpecNames(paths: ProjectPaths): Promise<string[]> {
  return (await readDirSafe(paths.specsDir)).filter((e) => e.isFile()).map((e) => e.name);
}

export async function listPromptNames(paths: ProjectPaths): Promise<string[]> {
  return (await readDirSafe(paths.promptsDir))
    .filter((e) => e.isFile() && e.name.endsWith('.md'))
    .map((e) => e.name.slice(0, -3))
    .sort();
}

// The spec folders as listed (their spec files and subfolders), and listing them again on the next
// open without reading a folder that did not change. Adding, removing or renaming an entry changes
// its folder's modification and change times; a saved listing is reused only while the folder's
// stamp is the one it had when it was saved, and was saved only when the folder's times were older
// than the listing (see fileStamp.ts): then no entry can have come or gone since.

/** One folder's listing: what the index reads in it (spec files) and below it (folders). */
export interface FolderListing {
  /** Absolute path of the folder. */
  dir: string;
  /** Names of the spec files (`*.md`, not the ignored ones) that are regular files. */
  files: string[];
  /** Names of the subfolders (real folders, not links). */
  folders: string[];
}

/** A listing a saved index holds, with the folder's stamp when it was saved. */
export interface SavedFolder {
  files: string[];
  folders: string[];
  stamp: Pick<FileStamp, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino'>;
}

/**
 * Lists `top` and the folders below it, as chant walks them: every regular `*.md` file at any
 * depth; links are neither followed nor read. A folder whose saved listing (by absolute path)
 * still has its stamp is not read again. Missing folders list as empty.
 */
export async function listFolders(
  top: string,
  saved?: ReadonlyMap<string, SavedFolder>,
): Promise<{ listings: FolderListing[]; reused: number }> {
  const listings: FolderListing[] = [];
  let reused = 0;
  const visit = async (dir: string): Promise<void> => {
    const old = saved?.get(dir);
    let listing: FolderListing | undefined;
    if (old) {
      const stats = statSync(dir, { throwIfNoEntry: false });
      if (stats?.isDirectory() && sameStamp(old.stamp, stats)) {
        listing = { dir, files: old.files, folders: old.folders };
        reused++;
      }
    }
    listing ??= await readFolder(dir);
    listings.push(listing);
    await Promise.all(listing.folders.map((name) => visit(path.join(dir, name))));
  };
  await visit(top);
  return { listings, reused };
}

async function readFolder(dir: string): Promise<FolderListing> {
  const listing: FolderListing = { dir, files: [], folders: [] };
  for (const entry of await readDirSafe(dir)) {
    if (entry.isDirectory()) listing.folders.push(entry.name);
    else if (entry.isFile() && !isIgnoredSpecFileName(entry.name)) listing.files.push(entry.name);
  }
  return listing;
}

function sameStamp(
  saved: SavedFolder['stamp'],
  stats: { size: number; mtimeMs: number; ctimeMs: number; ino: number },
): boolean {
  return (
    saved.size === stats.size &&
    saved.mtimeMs === stats.mtimeMs &&
    saved.ctimeMs === stats.ctimeMs &&
    saved.ino === stats.ino
  );
}

async function readDirSafe(dir: string): Promise<import('node:fs').Dirent[]> {
  try {
    return await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

export async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The git directory of the checkout containing `start` (for a linked worktree, its own
 * `.git/worktrees/<name>` folder, which holds that worktree's HEAD), or undefined outside git.
 * Found without spawning git: `.git` is a folder, or a file `gitdir: …`.
 */
export async function findGitDir(start: string): Promise<string | undefined> {
  let dir = path.resolve(start);
  for (;;) {
    const dotGit = path.join(dir, '.git');
    const stat = await fs.stat(dotGit).catch(() => undefined);
    if (stat?.isDirectory()) return dotGit;
    if (stat?.isFile()) {
      const match = /^gitdir:\s*(.+)$/m.exec((await readTextIfExists(dotGit)) ?? '');
      return match ? path.resolve(dir, match[1].trim()) : undefined;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The git directory shared by all worktrees (`git rev-parse --git-common-dir`): a linked worktree's
 * git dir names it in its `commondir` file.
 */
export async function findGitCommonDir(start: string): Promise<string | undefined> {
  const gitDir = await findGitDir(start);
  if (!gitDir) return undefined;
  const common = await readTextIfExists(path.join(gitDir, 'commondir'));
  return common ? path.resolve(gitDir, common.trim()) : gitDir;
}

/** Silent mode = `.chant/` listed in the common git dir's `info/exclude` (CHANT-FORMAT §6.7). */
export async function isSilentMode(root: string): Promise<boolean> {
  const common = await findGitCommonDir(root);
  if (!common) return false;
  const exclude = await readTextIfExists(path.join(common, 'info', 'exclude'));
  if (!exclude) return false;
  return exclude
    .split(/\r?\n/)
    .map((line) => line.trim())
    .some((line) => line === '.chant/' || line === '.chant' || line === '/.chant/' || line === '/.chant');
}
