// Which queued specs of a parallel batch start next. Two agents that write the same files would
// fight over them (and their branches would conflict at merge), so specs whose `target_files`
// overlap never run at the same time: the later one waits for the earlier, and the view says so.
// Overlap is judged conservatively from the patterns alone, without the file system: a glob is
// taken to touch anything under its static prefix. Queue order is kept: a spec never overtakes an
// earlier queued spec it overlaps, and specs that overlap nothing start in order as slots free.
// No `vscode` import.

export interface BatchItem {
  id: string;
  targetFiles: readonly string[];
}

export interface ScheduleStep {
  /** Ids to start now, in queue order. */
  start: string[];
  /**
   * queued id -> id of the running or earlier queued item it waits for (overlapping targets). Items waiting only for a
   * free slot are not listed.
   */
  waits: Map<string, string>;
}

const GLOB_CHARS = ['*', '?', '[', '{'];

interface Target {
  /** The path, or a glob's static prefix (the folders before its first pattern segment; '' for the whole project). */
  path: string;
  glob: boolean;
}

function isUrl(entry: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(entry);
}

/**
 * A target entry as a comparable path: `/` separators, no `./`, `.` or empty segments, `..`
 * resolved where possible, no trailing `/`, lower case (a case-insensitive file system makes
 * `Src/A.ts` and `src/a.ts` one file; treating them as one only makes the schedule safer).
 */
function toTarget(entry: string): Target | undefined {
  const trimmed = entry.trim();
  if (!trimmed || isUrl(trimmed)) return undefined;
  const segments: string[] = [];
  for (const segment of trimmed.replace(/\\/g, '/').toLowerCase().split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..' && segments.length > 0 && segments[segments.length - 1] !== '..') segments.pop();
    else segments.push(segment);
  }
  const firstGlob = segments.findIndex((s) => GLOB_CHARS.some((c) => s.includes(c)));
  if (firstGlob < 0) return { path: segments.join('/'), glob: false };
  return { path: segments.slice(0, firstGlob).join('/'), glob: true };
}

/** `a` is `b`, or a folder holding it ('' holds everything). */
function contains(a: string, b: string): boolean {
  return a === '' || a === b || b.startsWith(`${a}/`);
}

function overlapOne(a: Target, b: Target): boolean {
  // Two plain paths: the same file, or one a folder of the other. With a glob, its static prefix
  // stands for everything under it, so the test is the same in both directions.
  return contains(a.path, b.path) || contains(b.path, a.path);
}

/** Same path, one a folder prefix of the other, or glob patterns that can match the same file (conservatively). */
export function targetsOverlap(a: readonly string[], b: readonly string[]): boolean {
  const left = a.map(toTarget).filter((t): t is Target => t !== undefined);
  if (left.length === 0) return false;
  const right = b.map(toTarget).filter((t): t is Target => t !== undefined);
  for (const x of left) for (const y of right) if (overlapOne(x, y)) return true;
  return false;
}

/**
 * The queued items to start now, given what runs and the agent limit: in queue order, each unless
 * it overlaps a running item or an earlier queued item (which goes first), while slots last.
 */
export function nextToStart(
  queued: readonly BatchItem[],
  running: readonly BatchItem[],
  maxAgents: number,
): ScheduleStep {
  const limit = Number.isFinite(maxAgents) ? Math.max(1, Math.floor(maxAgents)) : 1;
  let slots = limit - running.length;
  const start: string[] = [];
  const waits = new Map<string, string>();
  const seen = new Set<string>();
  for (let i = 0; i < queued.length; i++) {
    const item = queued[i];
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    const blocker =
      running.find((r) => r.id !== item.id && targetsOverlap(item.targetFiles, r.targetFiles)) ??
      queued
        .slice(0, i)
        .find((earlier) => earlier.id !== item.id && targetsOverlap(item.targetFiles, earlier.targetFiles));
    if (blocker) {
      waits.set(item.id, blocker.id);
      continue;
    }
    if (slots > 0) {
      start.push(item.id);
      slots--;
    }
  }
  return { start, waits };
}
