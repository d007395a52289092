// Containment: the one rule for every path that comes from the repository (a spec's informed_by,
// context, origin, tracks and target_files, a prompt name, `extends`, config.md's
// prompt_extensions, glob patterns). Specs, config.md and prompts arrive in pull requests and forks,
// so such a path is resolved against the project root, symbolic links followed (realpath), and it
// is used only when the real location lies inside the project: a `../../.ssh/id_rsa`, an absolute
// `/proc/self/environ` or a committed symlink `docs/design.md -> ~/.ssh/id_rsa` is refused, never
// read, copied, inlined, globbed or posted. URLs are recognized here so that callers list them; no
// caller fetches one. No `vscode` import.
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isInsideFolder } from './insideFolder';
import { fieldDef, PATH_FIELDS } from '../spec/fields';

/** `scheme://…`: listed as a link, never read and never fetched. */
export function isUrl(entry: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(entry.trim());
}

/**
 * A prompt name (`prompt:`, `extends:`, `defaults.prompt`, `prompt_extensions`) names a file
 * `.chant/prompts/<name>.md`: letters, digits, `.`, `_`, `-`, not starting with `.` or `-`, so it can never
 * hold a `/` or `..` that walks out of the prompts folder.
 */
export function isSafePromptName(name: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(name);
}

/** The relative path of `file` under `dir` (`''` for `dir` itself), or undefined when outside. */
export function relativeInside(dir: string, file: string): string | undefined {
  return isInsideFolder(dir, file) ? path.relative(dir, file) : undefined;
}

export type Resolved =
  | {
      kind: 'inside';
      entry: string;
      /** Where the entry really is (symlinks resolved); read this, not the text of the entry. */
      real: string;
      /** The entry's path relative to the project root, `/`-separated. */
      relative: string;
      exists: boolean;
    }
  | { kind: 'url'; entry: string }
  | { kind: 'outside'; entry: string; /** Why, as the end of a sentence naming the entry. */ why: string };

/** The file-system calls containment needs (tests may pass their own). */
export interface ContainmentFs {
  realpath(file: string): Promise<string>;
}

export const nodeContainmentFs: ContainmentFs = { realpath: (file) => fs.realpath(file) };

/** The sentence the editor, the pre-run checks and the prompt use for a refused entry. */
export function outsideMessage(field: string, resolved: Extract<Resolved, { kind: 'outside' }>, consequence = 'not sent to the agent'): string {
  return `${field} entry ${resolved.entry} points outside the project (${resolved.why}): ${consequence}`;
}

/**
 * The project's files as the repository may name them. Every read goes through `resolve`, so the
 * rule lives in one place; the project root's own real path is computed once.
 */
export class ProjectFiles {
  private realRootPromise: Promise<string> | undefined;

  constructor(
    readonly root: string,
    private readonly fsApi: ContainmentFs = nodeContainmentFs,
  ) {}

  private realRoot(): Promise<string> {
    this.realRootPromise ??= this.fsApi.realpath(this.root).catch(() => path.resolve(this.root));
    return this.realRootPromise;
  }

  /**
   * Where `entry` (relative to the project root, or absolute) really is, and whether that is inside
   * the project. A path that does not exist yet is judged by its nearest existing folder, so
   * `linked-folder/new.md` is outside when `linked-folder` links outside.
   */
  async resolve(entry: string): Promise<Resolved> {
    const text = entry.trim();
    if (isUrl(text)) return { kind: 'url', entry };
    if (text === '' || text.includes('\0')) return { kind: 'outside', entry, why: 'not a path' };
    const lexical = path.resolve(this.root, text);
    const relative = relativeInside(path.resolve(this.root), lexical);
    if (relative === undefined) {
      return { kind: 'outside', entry, why: path.isAbsolute(text) ? 'an absolute path elsewhere on this machine' : 'it leaves the project folder' };
    }
    // The repository's own git folder holds remote URLs with tokens, hooks and config: never an input.
    if (isGitInternal(relative)) return { kind: 'outside', entry, why: "inside the repository's .git folder" };
    const realRoot = await this.realRoot();
    let existing = lexical;
    const missing: string[] = [];
    for (;;) {
      try {
        const real = path.join(await this.fsApi.realpath(existing), ...missing);
        const realRelative = relativeInside(realRoot, real);
        if (realRelative === undefined) {
          return { kind: 'outside', entry, why: missing.length === 0 ? 'a symbolic link to a place outside the project' : 'inside a folder that links outside the project' };
        }
        if (isGitInternal(realRelative)) return { kind: 'outside', entry, why: "inside the repository's .git folder" };
        return { kind: 'inside', entry, real, relative: relative.split(path.sep).join('/'), exists: missing.length === 0 };
      } catch {
        const parent = path.dirname(existing);
        if (parent === existing) return { kind: 'outside', entry, why: 'not found on this machine' };
        missing.unshift(path.basename(existing));
        existing = parent;
      }
    }
  }

  /**
   * Reads a regular file the repository names, or says why not. At most `maxBytes` are read (a
   * committed file can be huge); `bytes` is the file's full size. Special files (devices, pipes,
   * `/proc`) are never read, even inside the project.
   */
  async read(entry: string, maxBytes = 1_000_000): Promise<ReadResult> {
    const resolved = await this.resolve(entry);
    if (resolved.kind !== 'inside') return resolved;
    if (!resolved.exists) return { kind: 'missing', entry, relative: resolved.relative };
    let handle: fs.FileHandle | undefined;
    try {
      // O_NONBLOCK: opening a named pipe must not wait for a writer; fstat then refuses it.
      handle = await fs.open(resolved.real, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
      const stat = await handle.stat();
      if (!stat.isFile()) return { kind: 'not-a-file', entry, relative: resolved.relative };
      const size = Math.min(stat.size, maxBytes);
      const buffer = Buffer.alloc(size);
      let filled = 0;
      while (filled < size) {
        const { bytesRead } = await handle.read(buffer, filled, size - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return { kind: 'read', entry, relative: resolved.relative, real: resolved.real, text: buffer.subarray(0, filled).toString('utf8'), bytes: stat.size, truncated: stat.size > filled };
    } catch {
      return { kind: 'missing', entry, relative: resolved.relative };
    } finally {
      await handle?.close();
    }
  }
}

export type ReadResult =
  | { kind: 'read'; entry: string; relative: string; real: string; text: string; bytes: number; truncated: boolean }
  | { kind: 'missing' | 'not-a-file'; entry: string; relative: string }
  | Extract<Resolved, { kind: 'url' | 'outside' }>;

/** Whether a project-relative path lies in a `.git` folder (or is a worktree's `.git` file). */
export function isGitInternal(relative: string): boolean {
  return relative.split(/[\\/]/).some((part) => part.toLowerCase() === '.git');
}

/**
 * Why a file's name looks like a secret (`.env*`, `*.pem`, `*.key`, `id_*` keys, `.npmrc`,
 * `.netrc`, `.pypirc`, credentials files, key stores), or undefined.
 */
export function secretLookingName(relative: string): string | undefined {
  const name = path.basename(relative).toLowerCase();
  if (name === '.env' || name.startsWith('.env.')) return 'an environment file';
  if (/\.(pem|key|p12|pfx|jks|keystore|kdbx)$/.test(name)) return 'a key file';
  if (name.startsWith('id_') && !name.endsWith('.pub')) return 'a key file';
  if (['.npmrc', '.netrc', '_netrc', '.pypirc', '.pgpass', '.htpasswd', '.git-credentials', '.dockercfg'].includes(name)) return 'a credentials file';
  if (name.includes('credentials')) return 'a credentials file';
  return undefined;
}

/** An input the pre-run check names before it is sent: git-ignored, or named like a secret. */
export interface SensitiveEntry {
  field: 'informed_by' | 'context';
  entry: string;
  why: string;
}

/** A path field of a spec whose entries name files (the field registry's `items: 'path'`). */
export type SpecPathField = (typeof PATH_FIELDS)[number];

export interface OutsideEntry {
  field: SpecPathField | 'prompt' | 'prompt_extensions';
  entry: string;
  why: string;
}

/**
 * Every entry of a spec (and the project's prompt settings) that points outside the project, for
 * the pre-run checks. Globs are judged by the folder they start from. `context` entries of the
 * form `derived_<key>=<value>` are data, not paths.
 */
export async function outsideEntries(
  spec: {
    informedBy: readonly string[];
    context: readonly string[];
    origin: readonly string[];
    tracks: readonly string[];
    targetFiles: readonly string[];
    prompt?: string;
  },
  promptExtensions: readonly string[],
  files: ProjectFiles,
): Promise<OutsideEntry[]> {
  const out: OutsideEntry[] = [];
  for (const field of PATH_FIELDS) {
    const entries = (spec as unknown as Record<string, readonly string[]>)[fieldDef(field)!.model!];
    for (const entry of field === 'context' ? entries.filter((c) => !isDerivedContext(c)) : entries) {
      const resolved = await files.resolve(globBase(entry));
      if (resolved.kind === 'outside') out.push({ field, entry, why: resolved.why });
    }
  }
  if (spec.prompt !== undefined && spec.prompt.trim() !== '' && !isSafePromptName(spec.prompt.trim())) {
    out.push({ field: 'prompt', entry: spec.prompt, why: 'a prompt name is a file name in .chant/prompts' });
  }
  for (const name of promptExtensions) {
    if (!isSafePromptName(name))
      out.push({ field: 'prompt_extensions', entry: name, why: 'a prompt name is a file name in .chant/prompts' });
  }
  return out;
}

/** Derived enterprise fields are stored in `context` as `derived_<key>=<value>` (CHANT-FORMAT §2.2). */
export function isDerivedContext(entry: string): boolean {
  return /^derived_[^=\s]+=/.test(entry);
}

/**
 * The folder a glob pattern starts walking from: its components up to the first with `*`, `?` or
 * `[` (the whole pattern when it has none). Containment of a glob is containment of this base plus
 * a walk that never leaves it (see drift's expandGlob).
 */
export function globBase(pattern: string): string {
  const parts = pattern.replace(/\\/g, '/').split('/');
  const first = parts.findIndex((part) => /[*?[]/.test(part));
  if (first < 0) return pattern;
  const base = parts.slice(0, first).join('/');
  return base === '' ? (pattern.startsWith('/') ? '/' : '.') : base;
}
