// "Initialize chant": the files `chant init` writes (CHANT-FORMAT §1.1, §5), plus one prompt per
// phase of the research-first workflow (§12) so a new project can run the OSS maintainer workflow
// straight away. The prompt texts live here, as data, in one place. Existing files are never
// overwritten: like `chant init`, the scaffold only adds what is missing.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { yamlLibrary } from '../spec/yamlLoader';
import { todayLocal } from '../spec/ids';
import { findGitCommonDir, ProjectPaths, readTextIfExists } from '../project/project';
import { writeFileAtomic } from '../project/atomicWrite';
import { appendProjectFile, ensureProjectDir, readProjectFile, writeProjectFile } from '../project/safeFiles';

/** The default `.chant/.gitignore` `chant init` writes. */
export const CHANT_GITIGNORE = `# Local state (not shared)
.locks/
.store/
store/
logs/
processes/

# Agent configuration (contains API keys, not shared)
agents.md
`;

// ---------------------------------------------------------------------------------------------
// Project name

/**
 * The name `chant init` detects: package.json `name`, Cargo.toml `[package] name`, the last
 * segment of go.mod's module path, else the folder name.
 */
export async function detectProjectName(root: string): Promise<string> {
  const pkg = await readTextIfExists(path.join(root, 'package.json'));
  if (pkg) {
    try {
      const name = (JSON.parse(pkg) as { name?: unknown }).name;
      if (typeof name === 'string' && name.trim()) return name.trim();
    } catch {
      // A broken package.json is not ours to report; fall through to the next source.
    }
  }
  const cargo = await readTextIfExists(path.join(root, 'Cargo.toml'));
  if (cargo) {
    const name = cargoPackageName(cargo);
    if (name) return name;
  }
  const goMod = await readTextIfExists(path.join(root, 'go.mod'));
  if (goMod) {
    const module = /^\s*module\s+("?)([^\s"]+)\1\s*$/m.exec(goMod)?.[2];
    const last = module?.split('/').filter(Boolean).pop();
    if (last) return last;
  }
  return path.basename(path.resolve(root));
}

/** `name` in Cargo.toml's `[package]` table (a line-based read is enough for this one key). */
export function cargoPackageName(toml: string): string | undefined {
  let inPackage = false;
  for (const raw of toml.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      inPackage = line === '[package]';
      continue;
    }
    if (!inPackage) continue;
    const match = /^name\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(line);
    if (match) return (match[1] ?? match[2]).trim() || undefined;
  }
  return undefined;
}

/**
 * The name as a YAML scalar. `chant init` writes it unquoted, which breaks the config for names such
 * as `@scope/pkg` or `yes`; we quote whenever a plain scalar would not read back as the same string.
 * `---` cannot appear at all (chant's splitter would end the frontmatter there).
 */
export function yamlScalar(value: string): string {
  const clean = value.replace(/[\r\n]+/g, ' ').replace(/-{3,}/g, '-');
  if (/^[A-Za-z0-9_][A-Za-z0-9_.\-]*$/.test(clean)) {
    try {
      if (yamlLibrary().parse(clean) === clean) return clean;
    } catch {
      // Quote below.
    }
  }
  return JSON.stringify(clean);
}

// ---------------------------------------------------------------------------------------------
// config.md

/** `config.md` in the shape `chant init` writes (CHANT-FORMAT §5). */
export function configText(projectName: string, now: Date): string {
  return `---
project:
  name: ${yamlScalar(projectName)}

defaults:
  prompt: standard
---

# Chant Configuration

Project initialized on ${todayLocal(now)}.
`;
}

// ---------------------------------------------------------------------------------------------
// Prompts

export { promptTexts, SCAFFOLD_PROMPTS } from './scaffoldPrompts';
import { promptTexts, SCAFFOLD_PROMPTS } from './scaffoldPrompts';

export interface ScaffoldOptions {
  silent: boolean;
  /** Defaults to the detected name. */
  projectName?: string;
  now?: Date;
}

export interface ScaffoldResult {
  projectName: string;
  /** Files written, relative to the project root with `/`. */
  created: string[];
  /** Files that already existed and were left alone. */
  kept: string[];
  /** The exclude file silent mode edited (or found already listing `.chant/`). */
  excludeFile?: string;
  /** Where the merge-driver line for spec files is (`.gitattributes`, or git's own attributes file in silent mode). */
  attributesFile?: string;
}

/**
 * The line `chant init` appends to `.gitattributes` (CHANT-FORMAT §1.2, §6.6): spec files merge with
 * chant's driver. Where git has no `merge.chant-spec.driver` configured it merges them as text, so
 * the line is harmless without the CLI.
 */
export const MERGE_DRIVER_ATTRIBUTE = '.chant/specs/*.md merge=chant-spec';
/** The git config chant init sets for that driver (set only where `chant` is installed, see initProject). */
export const MERGE_DRIVER_CONFIG = { 'merge.chant-spec.name': 'chant spec merge driver', 'merge.chant-spec.driver': 'chant merge-driver %O %A %B' } as const;

export class ScaffoldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScaffoldError';
  }
}

/**
 * Creates `.chant/` in `root` as `chant init` would: config.md, specs/, prompts/, .gitignore. In
 * silent mode `.chant/` is also added to `<git common dir>/info/exclude`; that needs a git
 * repository, and nothing is written without one. A project that already has `config.md` is
 * refused ("already initialized"), as chant does.
 */
export async function scaffoldProject(root: string, options: ScaffoldOptions): Promise<ScaffoldResult> {
  const paths = new ProjectPaths(root);
  if ((await readTextIfExists(paths.configFile)) !== undefined) {
    throw new ScaffoldError(`chant is already initialized in ${root} (.chant/config.md exists).`);
  }
  const gitCommonDir = options.silent ? await findGitCommonDir(root) : undefined;
  if (options.silent && !gitCommonDir) {
    throw new ScaffoldError(`Silent mode keeps .chant/ out of git through .git/info/exclude, but ${root} is not inside a git repository. Run 'git init' first, or initialize without silent mode.`);
  }
  const projectName = options.projectName ?? (await detectProjectName(root));
  const result: ScaffoldResult = { projectName, created: [], kept: [] };
  const write = async (file: string, text: string): Promise<void> => {
    const rel = paths.relative(file);
    try {
      // Never through a link the repository placed (a linked `.chant/` or prompts folder is refused).
      await writeProjectFile(root, file, text, { exclusive: true });
      result.created.push(rel);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      result.kept.push(rel);
    }
  };
  await ensureProjectDir(root, paths.specsDir);
  await ensureProjectDir(root, paths.promptsDir);
  const prompts = promptTexts({ silent: options.silent });
  for (const name of SCAFFOLD_PROMPTS) await write(paths.promptFile(name), prompts[name]);
  await write(path.join(paths.chantDir, '.gitignore'), CHANT_GITIGNORE);
  // config.md last: its appearance is what tells the watcher a project now exists.
  await write(paths.configFile, configText(projectName, options.now ?? new Date()));
  if (gitCommonDir) result.excludeFile = await addSilentExclude(gitCommonDir);
  // chant init appends the line to the project's .gitattributes. In silent mode that tracked file
  // would show up in the contributor's pull request, so git's own (untracked) attributes file of
  // the repository carries it instead, with the same effect.
  result.attributesFile = gitCommonDir
    ? await addMergeDriverAttribute(path.join(gitCommonDir, 'info', 'attributes'))
    : await addMergeDriverAttribute(path.join(root, '.gitattributes'), root);
  return result;
}

/**
 * Appends `MERGE_DRIVER_ATTRIBUTE` to an attributes file unless a line already says it; returns the
 * file. With `root` (the project's `.gitattributes`, which the repository supplies) the file is read
 * and appended only as a regular file, never through a link (`.gitattributes -> ~/.bashrc`).
 */
export async function addMergeDriverAttribute(file: string, root?: string): Promise<string> {
  const existing = (root ? await readProjectFile(root, file) : await readTextIfExists(file)) ?? '';
  const listed = existing.split(/\r?\n/).some((line) => line.trim().replace(/\s+/g, ' ') === MERGE_DRIVER_ATTRIBUTE);
  if (!listed) {
    const separator = existing.length > 0 && !existing.endsWith('\n') ? '\n' : '';
    if (root) {
      await appendProjectFile(root, file, `${separator}${MERGE_DRIVER_ATTRIBUTE}\n`);
    } else {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.appendFile(file, `${separator}${MERGE_DRIVER_ATTRIBUTE}\n`);
    }
  }
  return file;
}

/** Appends `.chant/` to `<common dir>/info/exclude` unless it is listed already; returns the file. */
export async function addSilentExclude(gitCommonDir: string): Promise<string> {
  const file = path.join(gitCommonDir, 'info', 'exclude');
  const existing = (await readTextIfExists(file)) ?? '';
  const listed = existing.split(/\r?\n/).some((line) => ['.chant/', '.chant', '/.chant/', '/.chant'].includes(line.trim()));
  if (!listed) {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const separator = existing.length > 0 && !existing.endsWith('\n') ? '\n' : '';
    await writeFileAtomic(file, `${existing}${separator}.chant/\n`);
  }
  return file;
}
