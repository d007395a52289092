// Where a run's raw agent output is kept: `.chant/logs/runs/<spec id>-<UTC yyyymmddThhmmssZ>.jsonl`,
// one file per run, beside chant's own `.chant/logs/<id>.log` (which keeps the assistant's text
// only, CHANT-FORMAT §7.5). chant's `.chant/.gitignore` lists `logs/`, silent mode excludes all of
// `.chant/`, and the folder holds its own `.gitignore` (`*`), so no `git add -A` ever commits it.
// No `vscode` import.
import * as path from 'node:path';

/** The folder of run stream files, under a project's `.chant/`. */
export function runStreamDir(chantDir: string): string {
  return path.join(chantDir, 'logs', 'runs');
}

/** `yyyymmddThhmmssZ` in UTC (sorts by time as text). */
export function runStamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** `<id>-<stamp>.jsonl`. */
export function runStreamFileName(id: string, date: Date): string {
  return `${id}-${runStamp(date)}.jsonl`;
}

/** The spec id and start time a stream file's name records, or undefined for any other name. */
export function parseRunStreamFileName(name: string): { id: string; started: Date } | undefined {
  const match = /^(.+)-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z(?:-\d+)?\.jsonl$/.exec(name);
  if (!match) return undefined;
  const [, id, y, mo, d, h, mi, s] = match;
  const started = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s));
  return Number.isNaN(started.getTime()) ? undefined : { id, started };
}
