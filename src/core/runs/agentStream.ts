// Reading what an agent prints: claude's `--output-format stream-json` (one JSON event per line:
// system init, assistant messages with text and tool_use blocks, user tool_result events, a final
// result with usage and cost) or, from any other agent, plain text lines. The reader turns either
// into a readable transcript (the agent's text, one short line per tool call, errors) and keeps the
// run's usage, model and latest activity. It is fed chunks as they arrive (a chunk may end mid-line)
// and never throws on what it reads: the output is untrusted and versions add event types.
//
// Cost matters here: an agent may print 100 lines a second for an hour. Each line is handled once,
// with JSON.parse and linear scans only (no regex that can backtrack), and every string kept is
// bounded, so a 10 MB tool result costs its parse and nothing more.
// No `vscode` import.

export interface AgentUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  costUsd?: number;
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

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined);

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
    else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) || code === 0x2028 || code === 0x2029) continue;
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
const MAIN_ARGUMENTS = ['file_path', 'notebook_path', 'command', 'pattern', 'path', 'url', 'query', 'description', 'prompt', 'skill', 'subject'];

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
  const line = argument ? `${tool} ${argument}` : tool;
  return line.length > MAX_TOOL ? `${line.slice(0, MAX_TOOL - 1)}…` : line;
}

/** A tool result's content (a string or text blocks): its first non-empty line. */
function toolResultLine(content: unknown): string {
  if (typeof content === 'string') return firstLine(content, MAX_TOOL);
  if (Array.isArray(content)) {
    for (const block of content) {
      if (isObject(block) && typeof block.text === 'string') {
        const line = firstLine(block.text, MAX_TOOL);
        if (line) return line;
      }
    }
  }
  return '';
}

function readUsage(value: unknown): AgentUsage | undefined {
  if (!isObject(value)) return undefined;
  return {
    inputTokens: num(value.input_tokens) ?? 0,
    outputTokens: num(value.output_tokens) ?? 0,
    cacheReadTokens: num(value.cache_read_input_tokens) ?? 0,
    cacheCreationTokens: num(value.cache_creation_input_tokens) ?? 0,
  };
}

export class AgentStreamReader {
  private pending = '';
  private skipping = false;
  private resultUsage: AgentUsage | undefined;
  /** Usage per assistant message id: claude repeats a message's usage on each of its content events. */
  private readonly messageUsage = new Map<string, AgentUsage>();
  private anonymousUsage: AgentUsage | undefined;
  private activity: string | undefined;
  private modelName: string | undefined;
  private sessionName: string | undefined;
  private error = false;
  private finalText: string | undefined;

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

  /** Flushes a last partial line. */
  end(): TranscriptLine[] {
    const out: TranscriptLine[] = [];
    const line = this.pending;
    this.pending = '';
    this.skipping = false;
    if (line) this.readLine(line, out);
    return out;
  }

  /** From the `result` event; before it (or when the run died without one), the assistant messages' sum, without cost. */
  get usage(): AgentUsage | undefined {
    if (this.resultUsage) return this.resultUsage;
    let total = this.anonymousUsage;
    for (const usage of this.messageUsage.values()) total = sumUsage(total, usage);
    return total;
  }

  /** One short line: the agent's last text line or tool call ("Read src/x.ts"). */
  get lastActivity(): string | undefined {
    return this.activity;
  }

  get model(): string | undefined {
    return this.modelName;
  }

  /** claude's session id (from system init or the result), for resuming a conversation. */
  get sessionId(): string | undefined {
    return this.sessionName;
  }

  /** The result event said the run failed (`is_error`, or an `error_…` subtype). */
  get isError(): boolean {
    return this.error;
  }

  get resultText(): string | undefined {
    return this.finalText;
  }

  private readLine(raw: string, out: TranscriptLine[]): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    let first = 0;
    while (first < line.length && (line[first] === ' ' || line[first] === '\t')) first++;
    if (line[first] !== '{') {
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
    if (!isObject(event) || typeof event.type !== 'string') {
      this.plain(line, out);
      return;
    }
    switch (event.type) {
      case 'system':
        this.system(event);
        break;
      case 'assistant':
        this.assistant(event, out);
        break;
      case 'user':
        this.user(event, out);
        break;
      case 'result':
        this.result(event, out);
        break;
      default:
        // Event types of newer versions (stream_event, …): nothing to show.
        break;
    }
  }

  private plain(line: string, out: TranscriptLine[]): void {
    const cr = line.lastIndexOf('\r');
    const text = cleanLine(cr >= 0 ? line.slice(cr + 1) : line);
    if (!text.trim()) return;
    out.push({ kind: 'plain', text });
    this.activity = bounded(text.trim(), MAX_ACTIVITY);
  }

  private system(event: Json): void {
    if (event.subtype !== undefined && event.subtype !== 'init') return;
    if (typeof event.model === 'string' && event.model) this.modelName = cleanLine(event.model, 200);
    if (typeof event.session_id === 'string') this.sessionName = cleanLine(event.session_id, 200);
  }

  private assistant(event: Json, out: TranscriptLine[]): void {
    const message = event.message;
    if (!isObject(message)) return;
    if (!this.modelName && typeof message.model === 'string' && message.model) this.modelName = cleanLine(message.model, 200);
    const usage = readUsage(message.usage);
    if (usage) {
      if (typeof message.id === 'string') this.messageUsage.set(message.id, usage);
      else this.anonymousUsage = sumUsage(this.anonymousUsage, usage);
    }
    if (!Array.isArray(message.content)) return;
    for (const block of message.content) {
      if (!isObject(block)) continue;
      if (block.type === 'text' && typeof block.text === 'string') {
        const lines = textLines(block.text);
        for (const text of lines) out.push({ kind: 'text', text });
        if (lines.length > 0) this.activity = bounded(lines[lines.length - 1].trim(), MAX_ACTIVITY);
      } else if (block.type === 'tool_use') {
        const text = describeToolCall(block.name, block.input);
        out.push({ kind: 'tool', text });
        this.activity = bounded(text, MAX_ACTIVITY);
      }
      // thinking and redacted_thinking blocks: not part of the transcript.
    }
  }

  private user(event: Json, out: TranscriptLine[]): void {
    const message = event.message;
    if (!isObject(message) || !Array.isArray(message.content)) return;
    for (const block of message.content) {
      // Successful tool results are long and repeat what the agent goes on to say; errors matter.
      if (isObject(block) && block.type === 'tool_result' && block.is_error === true) {
        const text = toolResultLine(block.content) || 'tool call failed';
        out.push({ kind: 'error', text });
        this.activity = bounded(`✗ ${text}`, MAX_ACTIVITY);
      }
    }
  }

  private result(event: Json, out: TranscriptLine[]): void {
    const subtype = typeof event.subtype === 'string' ? event.subtype : '';
    this.error = event.is_error === true || subtype.startsWith('error');
    if (typeof event.session_id === 'string') this.sessionName = cleanLine(event.session_id, 200);
    if (typeof event.result === 'string') this.finalText = event.result.length > MAX_RESULT_TEXT ? `${event.result.slice(0, MAX_RESULT_TEXT - 1)}…` : event.result;
    const usage = readUsage(event.usage) ?? this.usage ?? { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0 };
    const cost = num(event.total_cost_usd);
    this.resultUsage = {
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cacheReadTokens: usage.cacheReadTokens,
      cacheCreationTokens: usage.cacheCreationTokens,
      ...(cost !== undefined ? { costUsd: cost } : {}),
      ...(num(event.num_turns) !== undefined ? { turns: num(event.num_turns) } : {}),
      ...(num(event.duration_ms) !== undefined ? { durationMs: num(event.duration_ms) } : {}),
    };
    const facts = [usageSummary(this.resultUsage)];
    if (this.resultUsage.turns !== undefined) facts.unshift(`${this.resultUsage.turns} turn${this.resultUsage.turns === 1 ? '' : 's'}`);
    if (this.resultUsage.durationMs !== undefined) facts.unshift(formatDuration(this.resultUsage.durationMs));
    if (this.error) {
      const why = (this.finalText && firstLine(this.finalText, MAX_TOOL)) || subtype || 'error';
      out.push({ kind: 'error', text: `The agent ended with an error: ${why}` });
      out.push({ kind: 'result', text: `Failed · ${facts.join(' · ')}` });
      this.activity = bounded(`✗ ${why}`, MAX_ACTIVITY);
    } else {
      out.push({ kind: 'result', text: `Finished · ${facts.join(' · ')}` });
    }
  }
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
  const optional = (x: number | undefined, y: number | undefined): number | undefined => (x === undefined && y === undefined ? undefined : (x ?? 0) + (y ?? 0));
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

/** "12.3k in · 4.1k out · $0.42": input counts the cache reads and writes, the cost when known. */
export function usageSummary(u: AgentUsage): string {
  const parts = [`${formatTokens(u.inputTokens + u.cacheReadTokens + u.cacheCreationTokens)} in`, `${formatTokens(u.outputTokens)} out`];
  if (u.costUsd !== undefined) parts.push(formatCost(u.costUsd));
  return parts.join(' · ');
}

const PREFIX: Record<TranscriptKind, string> = { text: '', plain: '', tool: '› ', error: '✗ ', result: '' };

/** The readable transcript: text as is, tool calls as "› Read src/x.ts", errors as "✗ …", the result line as is. */
export function transcriptText(lines: readonly TranscriptLine[]): string {
  let out = '';
  for (const line of lines) out += `${PREFIX[line.kind]}${line.text}\n`;
  return out;
}
