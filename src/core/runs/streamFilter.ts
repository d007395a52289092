// What the agent's output looks like in the terminal and in `.chant/logs/<id>.log`. The wrapper runs
// this filter (bundled as out/streamFilter.js, entry src/streamFilter.ts) between the agent and
// `tee`, with the editor's own Node. For an agent that prints JSON events, chant logs only the
// assistant's text (CHANT-FORMAT §7.5): text goes to stdout (terminal and log), a short line per tool
// call and errors go to stderr (terminal only), an error result to stdout as `Error: …`, and other
// events are dropped. Lines that are not JSON events pass unchanged (any other agent, a wrapper's
// own lines). The format is the run's (CHANT_AGENT_FORMAT), `auto` when the program is unknown.
// When a stream file is given, every byte read is also appended there unchanged: the run's stream
// file (`.chant/logs/runs/<id>-<stamp>.jsonl`), from which the extension reads the live transcript,
// usage and cost. Its writes are synchronous so the file is complete when the filter exits; a file
// that cannot be written is given up without touching the output. No `vscode` import.
import * as fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { AgentStreamReader, isAgentEvent, type TranscriptLine } from './agentStream';
import { isAgentFormatId } from './agents';

const MAX_PENDING = 32 * 1024 * 1024;

export interface StreamFilterOptions {
  input: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** An agent format id, or anything else for `auto`. */
  format?: string;
  streamFile?: string;
}

/** Filters `input` until it ends; resolves when everything is written. */
export function runStreamFilter(options: StreamFilterOptions): Promise<void> {
  const { input, stdout, stderr } = options;
  const reader = new AgentStreamReader(isAgentFormatId(options.format) ? options.format : 'auto');
  const decoder = new StringDecoder('utf8');
  let sink: number | undefined;
  if (options.streamFile) {
    try {
      // Never through a link: O_NOFOLLOW refuses a link put in the file's place (even a dangling one).
      sink = fs.openSync(
        options.streamFile,
        fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | (fs.constants.O_NOFOLLOW || 0),
        0o666,
      );
    } catch {
      sink = undefined;
    }
  }
  let pending = '';

  const route = (lines: readonly TranscriptLine[]): void => {
    for (const line of lines) {
      if (line.kind === 'text' || line.kind === 'plain') stdout.write(`${line.text}\n`);
      else if (line.kind === 'tool') stderr.write(`› ${line.text}\n`);
      else if (line.kind === 'result') stderr.write(`${line.text}\n`);
      else if (reader.isError && line.text.startsWith('The agent ended with an error: ')) stdout.write(`Error: ${line.text.slice('The agent ended with an error: '.length)}\n`);
      else stderr.write(`✗ ${line.text}\n`);
    }
  };

  const handle = (line: string): void => {
    const trimmed = line.trim();
    if (trimmed.startsWith('{')) {
      let event: unknown;
      try {
        event = JSON.parse(trimmed);
      } catch {
        event = undefined;
      }
      if (isAgentEvent(event)) {
        route(reader.readEvent(event));
        return;
      }
    }
    stdout.write(`${line}\n`);
  };

  return new Promise((resolve) => {
    input.on('data', (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (sink !== undefined) {
        try {
          fs.writeSync(sink, bytes);
        } catch {
          try {
            fs.closeSync(sink);
          } catch {
            // already closed
          }
          sink = undefined;
        }
      }
      pending += decoder.write(bytes);
      let start = 0;
      for (;;) {
        const end = pending.indexOf('\n', start);
        if (end < 0) break;
        const line = pending.slice(start, end);
        handle(line.endsWith('\r') ? line.slice(0, -1) : line);
        start = end + 1;
      }
      pending = pending.slice(start);
      // A "line" this long is no event: pass it on rather than hold it.
      if (pending.length > MAX_PENDING) {
        stdout.write(pending);
        pending = '';
      }
    });
    input.on('end', () => {
      pending += decoder.end();
      if (pending) handle(pending);
      route(reader.end());
      if (sink !== undefined) {
        try {
          fs.closeSync(sink);
        } catch {
          // nothing to do
        }
      }
      resolve();
    });
  });
}
