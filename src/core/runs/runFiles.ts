// Where a run's raw agent output is kept: `.chant/logs/runs/<spec id>-<UTC yyyymmddThhmmssZ>.jsonl`,
// one file per run (it records its format, so it is read right later), beside chant's own
// `.chant/logs/<id>.log` (which keeps the assistant's text only, CHANT-FORMAT §7.5). chant's
// `.chant/.gitignore` lists `logs/`, silent mode excludes all of `.chant/`, and the folder holds its
// own `.gitignore` (`*`), so no `git add -A` ever commits it.
// No `vscode` import.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AgentStreamReader, type TranscriptLine } from './agentStream';
import type { AgentFormatId } from './agents';

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

/**
 * Reads the end of a run's stream file (at most `maxBytes`, from the first whole line): the
 * transcript's last lines and a reader holding the result event (the last line of a claude run),
 * read in the run's format,
 * so usage, cost and isError are known without reading a long run's whole output. Usage summed from
 * assistant messages covers the tail only; the result event carries the run's totals. Undefined
 * when the file is missing.
 */
export async function readStreamTail(file: string, format: AgentFormatId | 'auto' = 'auto', maxBytes = 1024 * 1024): Promise<{ reader: AgentStreamReader; lines: TranscriptLine[]; truncated: boolean } | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - maxBytes);
    const buffer = Buffer.alloc(size - start);
    let read = 0;
    while (read < buffer.length) {
      const { bytesRead } = await handle.read(buffer, read, buffer.length - read, start + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    let bytes = buffer.subarray(0, read);
    if (start > 0) {
      const newline = bytes.indexOf(0x0a);
      bytes = newline < 0 ? bytes.subarray(bytes.length) : bytes.subarray(newline + 1);
    }
    const reader = new AgentStreamReader(format);
    const lines = [...reader.push(bytes.toString('utf8')), ...reader.end()];
    return { reader, lines, truncated: start > 0 };
  } finally {
    await handle.close();
  }
}
