// Locating chant projects and their files on disk. Only asynchronous fs calls: this runs during
// activation and must never block the extension host.
import { promises as fs } from 'node:fs';
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
  const files: SpecFileEntry[] = [];
  await walk(paths.specsDir, (file) => files.push({ id: path.basename(file, '.md'), path: file, archived: false }));
  return files;
}

/** Archived specs live in `archive/<YYYY-MM-DD>/<id>.md`; older projects used a flat `archive/*.md`. */
export async function listArchivedSpecFiles(paths: ProjectPaths): Promise<SpecFileEntry[]> {
  const files: SpecFileEntry[] = [];
  await walk(paths.archiveDir, (file) => {
    const parent = path.basename(path.dirname(file));
    files.push({
      id: path.basename(file, '.md'),
      path: file,
      archived: true,
      archiveFolder: /^\d{4}-\d{2}-\d{2}$/.test(parent) ? parent : undefined,
    });
  });
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

async function walk(dir: string, onFile: (file: string) => void): Promise<void> {
  const entries = await readDirSafe(dir);
  await Promise.all(
    entries.map(async (entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full, onFile);
      else if (entry.isFile() && !isIgnoredSpecFileName(entry.name)) onFile(full);
    }),
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
