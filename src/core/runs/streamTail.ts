// Reads a growing output file from where it was read last and turns the new bytes into transcript
// lines (core/runs/agentStream.ts): what the Runs view does for a live run every few hundred ms, and
// what the benchmark measures at 100 stream lines a second. Reads at most `maxRead` bytes a time, so
// a burst never holds the event loop; a character split across two reads stays whole.
// No `vscode` import.
import { promises as fs } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { AgentStreamReader, type TranscriptLine } from './agentStream';
import type { AgentFormatId } from './agents';

export class StreamTail {
  readonly reader: AgentStreamReader;
  private readonly decoder = new StringDecoder('utf8');
  private reading = false;

  constructor(
    readonly file: string,
    /** Where to start: 0 for a run's own stream file, the current size for chant's appended log. */
    private offset = 0,
    private readonly maxRead = 1 << 20,
    /** The run's agent format (recorded with the run); `auto` tells it from the output. */
    format: AgentFormatId | 'auto' = 'auto',
  ) {
    this.reader = new AgentStreamReader(format);
  }

  /** The transcript lines the file gained since the last read (none while it is missing). */
  async poll(): Promise<TranscriptLine[]> {
    return (await this.read()).lines;
  }

  private async read(): Promise<{ bytes: number; lines: TranscriptLine[] }> {
    const none = { bytes: 0, lines: [] };
    if (this.reading) return none;
    this.reading = true;
    try {
      const handle = await fs.open(this.file, 'r').catch(() => undefined);
      if (!handle) return none;
      try {
        const size = (await handle.stat()).size;
        if (size < this.offset) this.offset = 0; // truncated or replaced: read it again
        if (size === this.offset) return none;
        const length = Math.min(size - this.offset, this.maxRead);
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, this.offset);
        this.offset += bytesRead;
        return { bytes: bytesRead, lines: this.reader.push(this.decoder.write(buffer.subarray(0, bytesRead))) };
      } finally {
        await handle.close();
      }
    } finally {
      this.reading = false;
    }
  }

  /** Everything left, including a last line without a line break. */
  async drain(): Promise<TranscriptLine[]> {
    const lines: TranscriptLine[] = [];
    // A poll in flight (the follower's timer) finishes first, so nothing after it is skipped.
    while (this.reading) await new Promise((resolve) => setTimeout(resolve, 10));
    for (;;) {
      const more = await this.read();
      if (more.bytes === 0) break;
      lines.push(...more.lines);
    }
    return [...lines, ...this.reader.push(this.decoder.end()), ...this.reader.end()];
  }
}
