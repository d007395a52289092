// Drift as `chant drift` computes it (CHANT-FORMAT §8.1), without writing anything: a completed
// spec has drifted when a file it tracks, came from or was informed by changed after its
// `completed_at`. chant cannot even report drift (it fails on an invalid status change at the first
// drifted spec), so the editor shows it instead.
//
// chant compares filesystem mtimes, so a fresh clone, a copy or a `touch` marks everything drifted.
// Given a DriftHistory (git, src/git/driftHistory.ts) we do what §8.1 calls better: a file git tracks
// and has unmodified changed when its last commit did (committer date). Untracked, ignored and
// locally modified files, and every file when there is no repository or no git, keep chant's mtime.
// Git is asked only about files whose mtime is later than `completed_at`: a file not written since
// then has not changed since, whatever the date of the commit that recorded it. In a checkout that
// is not fresh that is usually no file at all, and no git process runs.
//
// Patterns with `*`, `?` or `[` are expanded like Rust's `glob` crate: one path component at a time,
// relative to the project root, `**` as a whole component for any number of directories.
//
// Unlike chant, drift never leaves the project (containment.ts): an absolute path or `..` outside
// it, or a symlink to a place outside it, is reported in `outside` and never stat'ed or walked; and
// each spec's globs stop after a budget of directory entries and time, so `tracks: ["/**"]` or a
// `**` over a huge tree cannot walk the disk (this runs in Restricted Mode too).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { relativeBelow } from './insideFolder';
import type { Spec } from '../spec/types';
import { globBase, isUrl, ProjectFiles, relativeInside } from './containment';

/** The file-system calls drift needs; tests and remote workspaces can pass their own. */
export interface DriftFs {
  /** Follows symlinks, like Rust's `fs::metadata`. Rejects when the path does not exist. */
  stat(file: string): Promise<{ mtimeMs: number; isDirectory(): boolean }>;
  readdir(dir: string): Promise<Array<{ name: string; isDirectory(): boolean; isSymbolicLink(): boolean }>>;
  /** Resolves symlinks (containment); a file system without links may leave it out. */
  realpath?(file: string): Promise<string>;
}

export const nodeDriftFs: DriftFs = {
  stat: (file) => fs.stat(file),
  readdir: (dir) => fs.readdir(dir, { withFileTypes: true }),
  realpath: (file) => fs.realpath(file),
};

/** How much of the disk one spec's globs may look at: directory entries listed, and time. */
export interface GlobBudget {
  entries: number;
  deadline: number;
  /** Set when the budget ran out: the expansion stopped early. */
  exhausted?: boolean;
}

export const GLOB_ENTRY_BUDGET = 50_000;
export const GLOB_TIME_BUDGET_MS = 750;

export function newGlobBudget(entries = GLOB_ENTRY_BUDGET, ms = GLOB_TIME_BUDGET_MS): GlobBudget {
  return { entries, deadline: Date.now() + ms };
}

function spend(budget: GlobBudget, entries: number): boolean {
  budget.entries -= entries;
  if (budget.entries < 0 || Date.now() > budget.deadline) budget.exhausted = true;
  return !budget.exhausted;
}

/** The containment rule over a DriftFs (identity realpath for file systems without links). */
function containmentOf(projectRoot: string, fsApi: DriftFs): ProjectFiles {
  const realpath = fsApi.realpath?.bind(fsApi);
  return new ProjectFiles(projectRoot, { realpath: realpath ?? (async (file) => path.resolve(file)) });
}

/**
 * What version control knows about when files last changed. Only the answers after `since` matter.
 */
export interface DriftHistory {
  /**
   * For those of `files` (absolute paths) that git tracks and has unmodified in the index and the
   * working tree: the committer date of the last commit that touched them. A date not after `since`
   * only says "not changed after `since`" (the history walk may stop there). Files left out
   * (untracked, ignored, modified, outside the repository, no git) are judged by their mtime.
   */
  lastCommits(files: readonly string[], since: Date): Promise<ReadonlyMap<string, Date>>;
}

export interface DriftedFile {
  /** Relative to the project root, `/`-separated (absolute when the pattern was absolute). */
  path: string;
  /** The filesystem mtime. */
  mtime: Date;
  /**
   * The committer date of the file's last commit when git vouched for it (tracked, unmodified);
   * then this, not `mtime`, is when it changed. Absent when the mtime decided.
   */
  committedAt?: Date;
  /** Which field named it. */
  field: DriftField;
}

export type DriftField = 'tracks' | 'origin' | 'informed_by';

export interface DriftReport {
  /** False for specs drift does not look at (not completed, archived, no parseable completed_at). */
  checked: boolean;
  drifted: boolean;
  /** Files changed after `completed_at`, in pattern order. */
  files: DriftedFile[];
  /** Literal paths that do not exist and glob patterns that match nothing. */
  missing: string[];
  /** Patterns that point outside the project: never looked at. */
  outside: string[];
  /** Glob patterns whose expansion ran out of budget (the files found so far still count). */
  incomplete: string[];
  /** The parsed `completed_at`, when there is one. */
  completedAt?: Date;
}

/** `tracks`, `origin` and `informed_by` in the order chant reads them. */
export function driftPatterns(spec: Spec): Array<{ field: DriftField; pattern: string }> {
  return [
    ...spec.tracks.map((pattern) => ({ field: 'tracks' as const, pattern })),
    ...spec.origin.map((pattern) => ({ field: 'origin' as const, pattern })),
    ...spec.informedBy.map((pattern) => ({ field: 'informed_by' as const, pattern })),
  ];
}

/** True when `spec` is one `chant drift` checks: active, completed, with a parseable `completed_at`. */
export function isDriftCandidate(spec: Spec): boolean {
  return !spec.archived && spec.status === 'completed' && parseCompletedAt(spec.completedAt) !== undefined;
}

/**
 * Checks one spec. `projectRoot` is the directory that contains `.chant/`; relative patterns are
 * resolved against it (chant resolves them against its cwd, which must be that directory). Without
 * `history` drift is decided by mtime alone, as chant does.
 */
export async function detectDrift(
  spec: Spec,
  projectRoot: string,
  fsApi: DriftFs = nodeDriftFs,
  history?: DriftHistory,
): Promise<DriftReport> {
  const completedAt = parseCompletedAt(spec.completedAt);
  if (spec.archived || spec.status !== 'completed' || completedAt === undefined) {
    return { checked: false, drifted: false, files: [], missing: [], outside: [], incomplete: [], completedAt };
  }
  const inputs = await resolveInputs(spec, projectRoot, fsApi);
  const commits = await askHistory(history, writtenAfter(inputs, completedAt), completedAt);
  return judge(inputs, projectRoot, completedAt, commits);
}

/** The files one pattern named, with their mtimes; none when it matched nothing. */
interface ResolvedInput {
  field: DriftField;
  pattern: string;
  files: Array<{ file: string; mtimeMs: number }>;
  outside?: boolean;
  incomplete?: boolean;
}

async function resolveInputs(spec: Spec, projectRoot: string, fsApi: DriftFs): Promise<ResolvedInput[]> {
  const inputs: ResolvedInput[] = [];
  const contained = containmentOf(projectRoot, fsApi);
  const budget = newGlobBudget();
  for (const { field, pattern } of driftPatterns(spec)) {
    // chant treats a URL as a path that does not exist; it is an input, not a file to watch.
    if (isUrl(pattern) || pattern.trim() === '') continue;
    const base = await contained.resolve(globBase(pattern));
    if (base.kind !== 'inside') {
      inputs.push({ field, pattern, files: [], outside: true });
      continue;
    }
    const exhaustedBefore = budget.exhausted === true;
    const matches = hasGlobMeta(pattern)
      ? exhaustedBefore
        ? []
        : await expandGlob(pattern, projectRoot, fsApi, budget)
      : [base.real];
    const files: ResolvedInput['files'] = [];
    for (const file of matches) {
      try {
        files.push({ file, mtimeMs: (await fsApi.stat(file)).mtimeMs });
      } catch {
        // gone, or never there
      }
    }
    inputs.push({ field, pattern, files, incomplete: hasGlobMeta(pattern) && budget.exhausted === true });
  }
  return inputs;
}

/** The files written after `completedAt`: the only ones git might clear. */
function writtenAfter(inputs: readonly ResolvedInput[], completedAt: Date): string[] {
  const limit = completedAt.getTime();
  return inputs.flatMap((input) => input.files.filter((f) => f.mtimeMs > limit).map((f) => f.file));
}

const NO_COMMITS: ReadonlyMap<string, Date> = new Map();

/** The history's answer, or none: when git cannot answer, mtimes decide, as in chant. */
async function askHistory(
  history: DriftHistory | undefined,
  files: readonly string[],
  since: Date,
): Promise<ReadonlyMap<string, Date>> {
  if (!history || files.length === 0) return NO_COMMITS;
  try {
    return await history.lastCommits([...new Set(files)], since);
  } catch {
    return NO_COMMITS;
  }
}

function judge(
  inputs: readonly ResolvedInput[],
  projectRoot: string,
  completedAt: Date,
  commits: ReadonlyMap<string, Date>,
): DriftReport {
  const limit = completedAt.getTime();
  const files: DriftedFile[] = [];
  const missing: string[] = [];
  const outside: string[] = [];
  const incomplete: string[] = [];
  const seen = new Set<string>();
  for (const { field, pattern, files: found, outside: isOutside, incomplete: isIncomplete } of inputs) {
    if (isOutside) {
      if (!outside.includes(pattern)) outside.push(pattern);
      continue;
    }
    if (isIncomplete && !incomplete.includes(pattern)) incomplete.push(pattern);
    if (found.length === 0 && !isIncomplete && !missing.includes(pattern)) missing.push(pattern);
    for (const { file, mtimeMs } of found) {
      if (mtimeMs <= limit) continue;
      const committedAt = commits.get(file);
      if (committedAt && committedAt.getTime() <= limit) continue;
      const shown = displayPath(file, projectRoot);
      if (seen.has(shown)) continue;
      seen.add(shown);
      files.push(
        committedAt
          ? { path: shown, mtime: new Date(mtimeMs), committedAt, field }
          : { path: shown, mtime: new Date(mtimeMs), field },
      );
    }
  }
  return { checked: true, drifted: files.length > 0, files, missing, outside, incomplete, completedAt };
}

/** True when drift has something to look at: a candidate with `tracks`, `origin` or `informed_by`. */
export function hasDriftInputs(spec: Spec): boolean {
  return isDriftCandidate(spec) && driftPatterns(spec).some(({ pattern }) => !isUrl(pattern) && pattern.trim() !== '');
}

/** How many drifted files `describeDrift` names before it sums up the rest. */
export const MAX_DRIFT_LINES = 8;

/**
 * A report as lines a person reads, one per drifted file, saying which clock decided:
 * `src/foo.rs changed after completion (committed 2026-03-01 09:30 UTC, tracks)` or
 * `… (modified on disk 2026-03-01 09:30 UTC, tracks)`. Empty when nothing drifted; past `max` files
 * the last line says how many more there are.
 */
export function describeDrift(report: DriftReport, max = MAX_DRIFT_LINES): string[] {
  const lines = report.files
    .slice(0, max)
    .map((file) => `${file.path} changed after completion (${file.committedAt ? `committed ${utcMinute(file.committedAt)}` : `modified on disk ${utcMinute(file.mtime)}`}, ${file.field})`);
  const rest = report.files.length - lines.length;
  if (rest > 0) lines.push(`… and ${rest} more file${rest === 1 ? '' : 's'}`);
  return lines;
}

function utcMinute(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * A DriftFs that asks `base` once per path: specs that track the same files or the same `**` glob
 * share the work within one pass. Make a new one for each pass, or changes are never seen.
 */
export function memoDriftFs(base: DriftFs = nodeDriftFs): DriftFs {
  const stats = new Map<string, ReturnType<DriftFs['stat']>>();
  const dirs = new Map<string, ReturnType<DriftFs['readdir']>>();
  return {
    stat(file) {
      let result = stats.get(file);
      if (!result) stats.set(file, (result = base.stat(file)));
      return result;
    },
    readdir(dir) {
      let result = dirs.get(dir);
      if (!result) dirs.set(dir, (result = base.readdir(dir)));
      return result;
    },
    realpath: base.realpath?.bind(base),
  };
}

/**
 * The drift lines of specs, kept between passes so a redraw can show what the last pass found while
 * the next one runs. An entry counts only while the spec's drift inputs (`completed_at` and the
 * patterns) are the ones it was computed from.
 */
export class DriftCache {
  private readonly entries = new Map<string, { key: string; lines: string[] }>();

  /** The lines of the last pass over `spec`; undefined when never checked or its inputs changed. */
  get(spec: Spec): string[] | undefined {
    const entry = this.entries.get(spec.id);
    return entry && entry.key === inputsKey(spec) ? entry.lines : undefined;
  }

  /**
   * Checks `specs` again (those without drift inputs are dropped). A spec whose check throws is
   * reported to `onError` and forgotten; the others still count. True when any spec's lines changed.
   * `history` is asked once for the whole pass, about every file any spec needs it for.
   */
  async refresh(
    specs: Iterable<Spec>,
    projectRoot: string,
    options: {
      fsApi?: DriftFs;
      history?: DriftHistory;
      concurrency?: number;
      onError?: (spec: Spec, error: unknown) => void;
    } = {},
  ): Promise<boolean> {
    const fsApi = memoDriftFs(options.fsApi);
    const queue = [...specs];
    // The file system first, `concurrency` specs at a time: the files each spec names and their mtimes.
    const resolved: Array<{ inputs: ResolvedInput[]; completedAt: Date } | undefined> = new Array(queue.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < queue.length) {
        const at = next++;
        const spec = queue[at];
        const completedAt = parseCompletedAt(spec.completedAt);
        if (!hasDriftInputs(spec) || completedAt === undefined) continue;
        try {
          resolved[at] = { inputs: await resolveInputs(spec, projectRoot, fsApi), completedAt };
        } catch (error) {
          options.onError?.(spec, error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker));

    // Then one question to git for every file written after its spec's completion.
    const wanted = new Set<string>();
    let since: Date | undefined;
    for (const entry of resolved) {
      const files = entry ? writtenAfter(entry.inputs, entry.completedAt) : [];
      for (const file of files) wanted.add(file);
      if (entry && files.length > 0 && (!since || entry.completedAt < since)) since = entry.completedAt;
    }
    const commits = since ? await askHistory(options.history, [...wanted], since) : NO_COMMITS;

    let changed = false;
    queue.forEach((spec, at) => {
      const entry = resolved[at];
      const before = this.entries.get(spec.id)?.lines;
      const lines = entry && describeDrift(judge(entry.inputs, projectRoot, entry.completedAt, commits));
      if (lines) this.entries.set(spec.id, { key: inputsKey(spec), lines });
      else this.entries.delete(spec.id);
      if (!sameLines(before, lines)) changed = true;
    });
    return changed;
  }
}

function inputsKey(spec: Spec): string {
  return JSON.stringify([spec.status, spec.archived, spec.completedAt, spec.tracks, spec.origin, spec.informedBy]);
}

function sameLines(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const left = a ?? [];
  const right = b ?? [];
  return left.length === right.length && left.every((line, i) => line === right[i]);
}

/**
 * `completed_at` as chant parses it (`DateTime::parse_from_rfc3339`): chant writes
 * `YYYY-MM-DDTHH:MM:SSZ`, and any RFC 3339 time with an offset and optional fraction is accepted.
 */
export function parseCompletedAt(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone, sign, oh, om] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(Number(y), month)) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  let ms = Date.UTC(Number(y), month - 1, day, hour, minute, Math.min(second, 59));
  if (fraction) ms += Math.floor(Number(`0${fraction}`) * 1000);
  if (zone !== 'Z' && zone !== 'z') {
    const offset = (Number(oh) * 60 + Number(om)) * 60_000;
    ms -= sign === '+' ? offset : -offset;
  }
  return new Date(ms);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** chant's test for "expand this with glob". */
export function hasGlobMeta(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

function displayPath(file: string, projectRoot: string): string {
  return relativeBelow(projectRoot, file)?.split(path.sep).join('/') ?? file;
}

// ---------------------------------------------------------------------------------------------
// Glob expansion

/**
 * One glob component as a regular expression: `*` any run of characters, `?` one character,
 * `[abc]`, `[a-z]` and `[!abc]` classes (`]` first in a class is literal). Everything else is
 * literal, including an unclosed `[`.
 */
export function globComponentToRegExp(component: string): RegExp {
  let source = '';
  for (let i = 0; i < component.length; i++) {
    const c = component[i];
    if (c === '*') {
      while (component[i + 1] === '*') i++;
      source += '.*';
    } else if (c === '?') {
      source += '.';
    } else if (c === '[') {
      const close = findClassEnd(component, i);
      if (close < 0) {
        source += '\\[';
        continue;
      }
      let body = component.slice(i + 1, close);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      source += `[${negate ? '^' : ''}${body.replace(/[\\^\]]/g, (ch) => `\\${ch}`)}]`;
      i = close;
    } else {
      source += c.replace(/[.*+?^${}()|[\]\\/]/g, (ch) => `\\${ch}`);
    }
  }
  return new RegExp(`^${source}$`, 's');
}

/** Index of the `]` closing the class that opens at `open`, or -1. */
function findClassEnd(component: string, open: number): number {
  let i = open + 1;
  if (component[i] === '!') i++;
  if (component[i] === ']') i++; // a leading `]` is part of the class
  for (; i < component.length; i++) if (component[i] === ']') return i;
  return -1;
}

/**
 * Absolute paths of every file and directory inside the project matching `pattern`, relative to
 * `projectRoot` unless absolute. Directories are walked only as far as the pattern needs and never
 * outside the project (an absolute pattern elsewhere matches nothing, `..` stops at the root, a
 * symlink out is left out); `**` does not follow symlinked directories, so a link loop cannot make
 * it run forever; and the walk stops when `budget` runs out (`budget.exhausted` says so).
 */
export async function expandGlob(
  pattern: string,
  projectRoot: string,
  fsApi: DriftFs = nodeDriftFs,
  budget: GlobBudget = newGlobBudget(),
): Promise<string[]> {
  const root = path.resolve(projectRoot);
  const normalized = pattern.replace(/\\/g, '/');
  const absolute = path.isAbsolute(pattern) || normalized.startsWith('/');
  // An absolute pattern counts only below the project root, as the same pattern made relative.
  const relative = absolute ? relativeInside(root, path.resolve(globBase(normalized))) : '';
  if (relative === undefined) return [];
  const inRoot = absolute ? path.relative(root, path.resolve(normalized)).split(path.sep).join('/') : normalized;
  const components = inRoot.split('/').filter((part) => part !== '' && part !== '.');
  const contained = containmentOf(root, fsApi);
  const isInside = async (file: string): Promise<boolean> => (await contained.resolve(file)).kind === 'inside';
  // Containment first: a symlink out is never stat'ed, so not even the mtime of its target is read.
  const isInsideDirectory = async (file: string): Promise<boolean> =>
    (await isInside(file)) && (await isDirectory(file, fsApi));
  const listDir = async (
    dir: string,
  ): Promise<Array<{ name: string; isDirectory(): boolean; isSymbolicLink(): boolean }>> => {
    if (budget.exhausted || !(await isInside(dir))) return [];
    const entries = await listDirRaw(dir, fsApi);
    return spend(budget, entries.length) ? entries : [];
  };

  let current: string[] = [root];
  for (let index = 0; index < components.length; index++) {
    const component = components[index];
    const last = index === components.length - 1;
    const next: string[] = [];
    if (component === '**') {
      for (const dir of current) {
        if (!last) next.push(dir); // `a/**/b` also matches `a/b`
        await walk(dir, listDir, next);
      }
    } else if (component === '..') {
      // Never above the project root.
      for (const dir of current) if (dir !== root) next.push(path.dirname(dir));
    } else if (!hasGlobMeta(component)) {
      for (const dir of current) {
        const candidate = path.join(dir, component);
        if (last || (await isInsideDirectory(candidate))) next.push(candidate);
      }
    } else {
      const matcher = globComponentToRegExp(component);
      for (const dir of current) {
        for (const entry of await listDir(dir)) {
          if (!matcher.test(entry.name)) continue;
          const candidate = path.join(dir, entry.name);
          if (last || entry.isDirectory() || (entry.isSymbolicLink() && (await isInsideDirectory(candidate)))) {
            next.push(candidate);
          }
        }
      }
    }
    current = [...new Set(next)];
    if (current.length === 0) break;
  }
  // A literal final component was added without checking that it exists; keep only real paths, and
  // only those really inside (a symlink to a file outside is outside).
  const existing: string[] = [];
  for (const file of current) {
    if (Date.now() > budget.deadline) {
      budget.exhausted = true;
      break;
    }
    try {
      if (!(await isInside(file))) continue;
      await fsApi.stat(file);
      existing.push(file);
    } catch {
      // not there
    }
  }
  return existing.sort();
}

/** Every entry below `dir`, depth first, without following symlinked directories. */
async function walk(dir: string, listDir: (dir: string) => ReturnType<DriftFs['readdir']>, out: string[]): Promise<void> {
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const entry of await listDir(current)) {
      const child = path.join(current, entry.name);
      out.push(child);
      if (entry.isDirectory() && !entry.isSymbolicLink()) pending.push(child);
    }
  }
}

async function listDirRaw(
  dir: string,
  fsApi: DriftFs,
): Promise<Array<{ name: string; isDirectory(): boolean; isSymbolicLink(): boolean }>> {
  try {
    return await fsApi.readdir(dir);
  } catch {
    return [];
  }
}

async function isDirectory(file: string, fsApi: DriftFs): Promise<boolean> {
  try {
    return (await fsApi.stat(file)).isDirectory();
  } catch {
    return false;
  }
}
