// Reading what an agent prints: one JSON event per line in the agent's own format (claude's
// stream-json, codex's `exec --json`, gemini's stream-json, opencode's `run --format json`: each
// read by its file in ./agents/, which turns a line into common events) or, from any other agent,
// plain text lines. The reader turns the events into a readable transcript (the agent's text, one
// short line per tool call, errors) and keeps the run's usage, cost, model and latest activity. It is fed chunks as
// they arrive (a chunk may end mid-line)
// and never throws on what it reads: the output is untrusted and versions add event types.
//
// Cost matters here: an agent may print 100 lines a second for an hour. Each line is handled once,
// with JSON.parse and linear scans only (no regex that can backtrack), and every string kept is
// bounded, so a 10 MB tool result costs its parse and nothing more.
// No `vscode` import.
import { agentFormat, formatOfEvent, type AgentEvent, type AgentFormat, type AgentFormatId, type FormatReader, type TokenCounts } from './agents';
import { isObject } from './agents/agentFormat';

export interface AgentUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  costUsd?: number;
  /** The cost was computed from the price table (chant.agent.prices), not reported by the agent. */
  costFromPrices?: boolean;
  turns?: number;
  durationMs?: number;
}

export type TranscriptKind = 'text' | 'tool' | 'error' | 'plain' | 'result';

export interface TranscriptLine {
  kind: TranscriptKind;
  text: string;
}

/** Longest transcript line kept (the agent's prose wraps in an editor; a tool line is shorter). */
const MAX_LINE = 2000;
/** A tool call's one line: name and main argument. */
const MAX_TOOL = 160;
/** lastActivity is one short line for a tree row. */
const MAX_ACTIVITY = 120;
/** The result event's final text, kept for the run's summary. */
const MAX_RESULT_TEXT = 20_000;
/** A partial line longer than this is dropped up to its newline (no event is that long in practice). */
const MAX_PENDING = 32 * 1024 * 1024;


/**
 * `text` without terminal escapes and control characters (tabs become spaces), at most `max`
 * characters. Only a bounded prefix is looked at, so a huge line costs no more than a short one.
 */
export function cleanLine(text: string, max = MAX_LINE): string {
  const source = text.length > max * 2 ? text.slice(0, max * 2) : text;
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const code = source.charCodeAt(i);
    if (code === 0x1b) {
      // CSI (ESC [ params final) or a two-character escape: skip it whole.
      if (source[i + 1] === '[') {
        let j = i + 2;
        while (j < source.length && source.charCodeAt(j) >= 0x20 && source.charCodeAt(j) <= 0x3f) j++;
        while (j < source.length && source.charCodeAt(j) >= 0x20 && source.charCodeAt(j) <= 0x2f) j++;
        i = j;
      } else if (source[i + 1] === ']') {
        // OSC (a terminal title, a hyperlink): up to BEL or ESC \.
        let j = i + 2;
        while (j < source.length && source.charCodeAt(j) !== 0x07 && source.charCodeAt(j) !== 0x1b) j++;
        i = source.charCodeAt(j) === 0x1b ? j + 1 : j;
      } else {
        i++;
      }
      continue;
    }
    if (code === 0x09) out += ' ';
    else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) || code === 0x2028 || code === 0x2029)
      continue;
    else out += source[i];
    if (out.length > max) break;
  }
  out = out.trimEnd();
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

/** The first non-empty line of `text`, cleaned and bounded. */
function firstLine(text: string, max: number): string {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = cleanLine(text.slice(start, Math.min(end, start + max * 2)), max).trim();
    if (line) return line;
    start = end + 1;
  }
  return '';
}

/** Splits a text block into its non-empty lines (each cleaned); a carriage return keeps what follows it. */
function textLines(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const cr = raw.lastIndexOf('\r', raw.length - 2);
    const line = cleanLine(cr >= 0 ? raw.slice(cr + 1) : raw);
    if (line.trim()) out.push(line);
  }
  return out;
}

/** The arguments that say what a tool call does, in the order they are looked for. */
const MAIN_ARGUMENTS = ['file_path', 'absolute_path', 'filePath', 'notebook_path', 'command', 'pattern', 'path', 'url', 'query', 'description', 'prompt', 'skill', 'subject'];

/** "Read src/x.ts", "Bash cargo test concurrent", "TodoWrite 3 todos": one short line. */
export function describeToolCall(name: unknown, input: unknown): string {
  const tool = cleanLine(typeof name === 'string' && name ? name : 'tool', 60);
  let argument = '';
  if (isObject(input)) {
    for (const key of MAIN_ARGUMENTS) {
      const value = input[key];
      if (typeof value === 'string' && value.trim()) {
        argument = firstLine(value, MAX_TOOL);
        break;
      }
    }
    if (!argument && Array.isArray(input.todos)) argument = `${input.todos.length} todo${input.todos.length === 1 ? '' : 's'}`;
  }
  return toolLine(tool, argument);
}

/** "apply_patch src/a.rs": a tool's name and an argument already chosen, one short line. */
export function toolLine(name: string, argument: string): string {
  const tool = cleanLine(name || 'tool', 60);
  const main = firstLine(argument, MAX_TOOL);
  const line = main ? `${tool} ${main}` : tool;
  return line.length > MAX_TOOL ? `${line.slice(0, MAX_TOOL - 1)}…` : line;
}

export class AgentStreamReader {
  private pending = '';
  private skipping = false;
  private chosen: AgentFormat | undefined;
  private formatReader: FormatReader | undefined;
  /** The run's totals, when the agent reports them (claude's result, codex's turn, gemini's result). */
  private totalUsage: TokenCounts | undefined;
  /** Usage per message id: claude repeats a message's usage on each of its content events. */
  private readonly messageUsage = new Map<string, TokenCounts>();
  /** Usage of steps reported one by one (opencode), summed. */
  private stepUsage: TokenCounts | undefined;
  private totalCost: number | undefined;
  private stepCost: number | undefined;
  private turnCount: number | undefined;
  private duration: number | undefined;
  private activity: string | undefined;
  private modelName: string | undefined;
  private sessionName: string | undefined;
  private error = false;
  private finished = false;
  private finalText: string | undefined;
  private lastText: string | undefined;

  /**
   * `format`: the agent's output format; `auto` (a program the extension does not know) takes the
   * first that recognizes one of its lines. Lines that are not JSON are shown as they are, whatever the format.
   */
  constructor(format: AgentFormatId | 'auto' = 'auto') {
    if (format !== 'auto' && format !== 'plain') this.use(agentFormat(format));
    this.plainOnly = format === 'plain';
  }

  private readonly plainOnly: boolean;

  /** The format read so far (`plain` until a line of a known format arrives). */
  get format(): AgentFormatId {
    return this.chosen?.id ?? 'plain';
  }

  /** Feeds a chunk (may end mid-line; partial lines are kept until completed). Returns the new transcript lines. */
  push(chunk: string): TranscriptLine[] {
    const out: TranscriptLine[] = [];
    let start = 0;
    for (;;) {
      const end = chunk.indexOf('\n', start);
      if (end < 0) break;
      const piece = chunk.slice(start, end);
      start = end + 1;
      if (this.skipping) {
        this.skipping = false;
        this.pending = '';
        continue;
      }
      const line = this.pending ? this.pending + piece : piece;
      this.pending = '';
      this.readLine(line, out);
    }
    if (start < chunk.length && !this.skipping) {
      const rest = chunk.slice(start);
      if (this.pending.length + rest.length > MAX_PENDING) {
        this.pending = '';
        this.skipping = true;
        out.push({ kind: 'plain', text: '… (a line too long to read was skipped)' });
      } else {
        this.pending += rest;
      }
    }
    return out;
  }

  /** Flushes a last partial line and whatever the format still holds. */
  end(): TranscriptLine[] {
    const out: TranscriptLine[] = [];
    const line = this.pending;
    this.pending = '';
    this.skipping = false;
    if (line) this.readLine(line, out);
    if (this.formatReader?.end) this.apply(this.formatReader.end(), out);
    return out;
  }

  /**
   * The run's usage: its reported totals, else the sum of what its messages or steps reported
   * (before a final event, or when the run died without one). The cost only when the agent reported one.
   */
  get usage(): AgentUsage | undefined {
    let tokens = this.totalUsage;
    if (!tokens) {
      let sum: TokenCounts | undefined = this.stepUsage;
      for (const usage of this.messageUsage.values()) sum = addTokens(sum, usage);
      tokens = sum;
    }
    const cost = this.totalCost ?? this.stepCost;
    if (!tokens && cost === undefined) return undefined;
    const usage: AgentUsage = { ...(tokens ?? ZERO) };
    if (cost !== undefined) usage.costUsd = cost;
    if (this.turnCount !== undefined) usage.turns = this.turnCount;
    if (this.duration !== undefined) usage.durationMs = this.duration;
    return usage;
  }

  /** One short line: the agent's last text line or tool call ("Read src/x.ts"). */
  get lastActivity(): string | undefined {
    return this.activity;
  }

  get model(): string | undefined {
    return this.modelName;
  }

  /** The agent's session (claude) or thread (codex) id, for resuming a conversation. */
  get sessionId(): string | undefined {
    return this.sessionName;
  }

  /**
   * The agent's final event said the run failed (claude's `is_error`, codex's `turn.failed`, gemini's error status).
   */
  get isError(): boolean {
    return this.error;
  }

  /** The agent gave its final word (a result event), whatever it was. */
  get hasResult(): boolean {
    return this.finished;
  }

  get resultText(): string | undefined {
    return this.finalText;
  }

  private use(format: AgentFormat | undefined): void {
    if (!format) return;
    this.chosen = format;
    this.formatReader = format.reader();
  }

  private readLine(raw: string, out: TranscriptLine[]): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    let first = 0;
    while (first < line.length && (line[first] === ' ' || line[first] === '\t')) first++;
    if (this.plainOnly || line[first] !== '{') {
      this.plain(line, out);
      return;
    }
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      this.plain(line, out);
      return;
    }
    if (!isAgentEvent(event)) {
      this.plain(line, out);
      return;
    }
    out.push(...this.readEvent(event));
  }

  /** The transcript lines of one parsed event line (`{"type": …}`); the stream filter parses lines itself. */
  readEvent(event: Record<string, unknown>): TranscriptLine[] {
    const out: TranscriptLine[] = [];
    if (!this.chosen) this.use(formatOfEvent(event));
    if (!this.formatReader) return out; // JSON of no known agent, before any was recognized: nothing to show.
    let events: AgentEvent[];
    try {
      events = this.formatReader.read(event);
    } catch {
      return out; // the output is untrusted: a shape no reader expected shows nothing
    }
    this.apply(events, out);
    return out;
  }

  private apply(events: readonly AgentEvent[], out: TranscriptLine[]): void {
    for (const event of events) {
      switch (event.kind) {
        case 'text': {
          const lines = textLines(event.text);
          for (const text of lines) out.push({ kind: 'text', text });
          if (lines.length > 0) {
            this.activity = bounded(lines[lines.length - 1].trim(), MAX_ACTIVITY);
            this.lastText = event.text;
          }
          break;
        }
        case 'tool': {
          const text =
            event.argument !== undefined
              ? toolLine(event.name, event.argument)
              : describeToolCall(event.name, event.input);
          out.push({ kind: 'tool', text });
          this.activity = bounded(text, MAX_ACTIVITY);
          break;
        }
        case 'toolError':
        case 'error': {
          const text = firstLine(event.text, MAX_TOOL) || (event.kind === 'toolError' ? 'tool call failed' : 'error');
          out.push({ kind: 'error', text });
          this.activity = bounded(`✗ ${text}`, MAX_ACTIVITY);
          break;
        }
        case 'usage':
          if (event.scope === 'total') this.totalUsage = { ...event.usage };
          else if (event.scope === 'message' && event.key !== undefined)
            this.messageUsage.set(event.key, { ...event.usage });
          else this.stepUsage = addTokens(this.stepUsage, event.usage);
          break;
        case 'cost':
          if (event.scope === 'total') this.totalCost = event.usd;
          else this.stepCost = (this.stepCost ?? 0) + event.usd;
          break;
        case 'model':
          // The first one named (claude's init) is the run's; later messages repeat it.
          this.modelName ??= cleanLine(event.model, 200);
          break;
        case 'session':
          this.sessionName = cleanLine(event.id, 200);
          break;
        case 'result':
          this.result(event, out);
          break;
      }
    }
  }

  private plain(line: string, out: TranscriptLine[]): void {
    const cr = line.lastIndexOf('\r');
    const text = cleanLine(cr >= 0 ? line.slice(cr + 1) : line);
    if (!text.trim()) return;
    out.push({ kind: 'plain', text });
    this.activity = bounded(text.trim(), MAX_ACTIVITY);
  }

  private result(event: Extract<AgentEvent, { kind: 'result' }>, out: TranscriptLine[]): void {
    this.finished = true;
    this.error = event.isError;
    const text = event.text ?? (event.isError ? undefined : this.lastText);
    if (text !== undefined)
      this.finalText = text.length > MAX_RESULT_TEXT ? `${text.slice(0, MAX_RESULT_TEXT - 1)}…` : text;
    if (event.turns !== undefined) this.turnCount = event.turns;
    if (event.durationMs !== undefined) this.duration = event.durationMs;
    const usage = this.usage ?? { ...ZERO };
    const facts = [usageSummary(usage)];
    if (usage.turns !== undefined) facts.unshift(`${usage.turns} turn${usage.turns === 1 ? '' : 's'}`);
    if (usage.durationMs !== undefined) facts.unshift(formatDuration(usage.durationMs));
    if (this.error) {
      const why = (event.text && firstLine(event.text, MAX_TOOL)) || event.subtype || 'error';
      out.push({ kind: 'error', text: `The agent ended with an error: ${why}` });
      out.push({ kind: 'result', text: `Failed · ${facts.join(' · ')}` });
      this.activity = bounded(`✗ ${why}`, MAX_ACTIVITY);
    } else {
      out.push({ kind: 'result', text: `Finished · ${facts.join(' · ')}` });
    }
  }
}

/** An output line that is an agent event: a JSON object with a string `type`. */
export function isAgentEvent(value: unknown): value is Record<string, unknown> {
  return isObject(value) && typeof value.type === 'string';
}

const ZERO: TokenCounts = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0 };

function addTokens(a: TokenCounts | undefined, b: TokenCounts): TokenCounts {
  if (!a) return { ...b };
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheCreationTokens: a.cacheCreationTokens + b.cacheCreationTokens,
  };
}

function bounded(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** "16.0 s", "2 min 5 s", "1 h 3 min". */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

/**
 * Adds two usages (a spec's runs, an investigation's specs). Either may be unknown (a run that died
 * before its result): the sum is then what is known. Cost, turns and duration are summed where known.
 */
export function sumUsage(a: AgentUsage | undefined, b: AgentUsage | undefined): AgentUsage | undefined {
  if (!a) return b ? { ...b } : undefined;
  if (!b) return { ...a };
  const optional = (x: number | undefined, y: number | undefined): number | undefined =>
    x === undefined && y === undefined ? undefined : (x ?? 0) + (y ?? 0);
  const sum: AgentUsage = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheCreationTokens: a.cacheCreationTokens + b.cacheCreationTokens,
  };
  const cost = optional(a.costUsd, b.costUsd);
  const turns = optional(a.turns, b.turns);
  const duration = optional(a.durationMs, b.durationMs);
  if (cost !== undefined) sum.costUsd = cost;
  if (a.costFromPrices || b.costFromPrices) sum.costFromPrices = true;
  if (turns !== undefined) sum.turns = turns;
  if (duration !== undefined) sum.durationMs = duration;
  return sum;
}

/** "$0.42", "$12.30", "<$0.01" (a cost above zero that rounds to nothing), "$0.00". */
export function formatCost(usd: number): string {
  if (!Number.isFinite(usd) || usd <= 0) return '$0.00';
  if (usd < 0.005) return '<$0.01';
  return `$${usd.toFixed(2)}`;
}

/** "950", "12.3k", "123k", "1.2M": three significant digits at most. */
export function formatTokens(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '0';
  const value = Math.round(n);
  if (value < 1000) return String(value);
  for (const [unit, size] of [['k', 1e3], ['M', 1e6], ['B', 1e9]] as const) {
    const scaled = value / size;
    const text = scaled < 100 ? scaled.toFixed(1) : String(Math.round(scaled));
    // 999,960 is "1.0M", not "1000k".
    if (Number(text) < 1000 || unit === 'B') return `${text}${unit}`;
  }
  return String(value);
}

/**
 * "12.3k in · 4.1k out · $0.42": input counts the cache reads and writes, the cost when known ("~$0.42" from the price
 * table).
 */
export function usageSummary(u: AgentUsage): string {
  const parts = [`${formatTokens(u.inputTokens + u.cacheReadTokens + u.cacheCreationTokens)} in`, `${formatTokens(u.outputTokens)} out`];
  // "~": computed from the price table, not reported by the agent.
  if (u.costUsd !== undefined) parts.push(`${u.costFromPrices ? '~' : ''}${formatCost(u.costUsd)}`);
  return parts.join(' · ');
}

const PREFIX: Record<TranscriptKind, string> = { text: '', plain: '', tool: '› ', error: '✗ ', result: '' };

/** The readable transcript: text as is, tool calls as "› Read src/x.ts", errors as "✗ …", the result line as is. */
export function transcriptText(lines: readonly TranscriptLine[]): string {
  let out = '';
  for (const line of lines) out += `${PREFIX[line.kind]}${line.text}\n`;
  return out;
}
