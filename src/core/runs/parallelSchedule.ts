// Which queued specs of a parallel batch may start now: at most `maxAgents` at once, in queue order,
// and never two whose target_files overlap (they would edit the same files on two branches and
// conflict at merge). No `vscode` import.

export interface BatchItem {
  id: string;
  targetFiles: readonly string[];
}

export interface ScheduleStep {
  start: string[];
  /** Queued id -> the id of the running or earlier-starting item it waits for. */
  waits: Map<string, string>;
}

const norm = (p: string): string => p.trim().replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');

/** The part of a pattern before its first glob character (a folder every match lies under). */
function staticPrefix(p: string): { prefix: string; glob: boolean } {
  const at = p.search(/[*?[{]/);
  if (at < 0) return { prefix: p, glob: false };
  const head = p.slice(0, at);
  return { prefix: head.slice(0, head.lastIndexOf('/') + 1).replace(/\/$/, ''), glob: true };
}

function under(path: string, folder: string): boolean {
  return folder === '' || path === folder || path.startsWith(`${folder}/`);
}

function pathsOverlap(a: string, b: string): boolean {
  const x = staticPrefix(norm(a));
  const y = staticPrefix(norm(b));
  // A glob may match anything under its static prefix: conservative, never misses an overlap.
  if (x.glob || y.glob) return under(x.prefix, y.prefix) || under(y.prefix, x.prefix);
  // A path and a folder holding it overlap too.
  return under(x.prefix, y.prefix) || under(y.prefix, x.prefix);
}

/** Same path, one inside the other, or glob patterns that can match the same file. */
export function targetsOverlap(a: readonly string[], b: readonly string[]): boolean {
  return a.some((x) => b.some((y) => pathsOverlap(x, y)));
}

/**
 * The items to start now, in queue order: each must overlap neither a running item nor one started
 * before it in this step, and the limit holds. Queued items that cannot start say what they wait for.
 */
export function nextToStart(queued: readonly BatchItem[], running: readonly BatchItem[], maxAgents: number): ScheduleStep {
  const start: string[] = [];
  const waits = new Map<string, string>();
  const busy: BatchItem[] = [...running];
  for (const item of queued) {
    const blocker = busy.find((b) => targetsOverlap(item.targetFiles, b.targetFiles));
    if (blocker) {
      waits.set(item.id, blocker.id);
      continue;
    }
    if (busy.length >= maxAgents) continue;
    start.push(item.id);
    busy.push(item);
  }
  return { start, waits };
}
