// The seam between an agent program and the rest of the extension. Each agent chant can hand a spec
// to (Claude Code, Codex, Gemini CLI, opencode, …) is one file in this folder describing: its preset
// command line, how to find the program and read its version, and how to turn one line of its
// machine-readable output into the common events below. Everything else (the Runs view, the live
// log, the stream filter the wrapper runs, how a run ends) reads only these events, so adding an
// agent is one new file and its tests. No `vscode` import.

/** The formats the extension reads; `plain` is any other program's text output. */
export const AGENT_FORMAT_IDS = ['claude', 'codex', 'gemini', 'opencode', 'plain'] as const;
export type AgentFormatId = (typeof AGENT_FORMAT_IDS)[number];

/** Token counts as the agent reports them; input excludes the cache reads and writes. */
export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
}

/**
 * What one output line means. A format returns zero or more of these per line; the reader
 * (../agentStream.ts) turns them into the transcript, the latest activity, usage, cost and outcome.
 */
export type AgentEvent =
  /** Prose from the agent (may span lines). */
  | { kind: 'text'; text: string }
  /** A tool call: the tool's name and its input (the reader picks the main argument). */
  | { kind: 'tool'; name: string; input?: unknown; argument?: string }
  /** A tool call that failed: its first line. */
  | { kind: 'toolError'; text: string }
  /**
   * Token usage. `scope`: `message` (a message's usage, repeated on each of its events: keyed by
   * `key`, counted once), `step` (one step's usage, added), `total` (the run's totals so far).
   */
  | { kind: 'usage'; usage: TokenCounts; scope: 'message' | 'step' | 'total'; key?: string }
  /** Cost in US dollars, as the agent reports it: one step's (`step`, added) or the run's (`total`). */
  | { kind: 'cost'; usd: number; scope: 'step' | 'total' }
  | { kind: 'model'; model: string }
  | { kind: 'session'; id: string }
  /** An error the agent reports (the run may still go on). */
  | { kind: 'error'; text: string }
  /**
   * The agent's final word: whether it failed, its final text, turns and duration when known.
   * Some agents (Codex) have no final event: the reader treats the end of a turn as one.
   */
  | { kind: 'result'; isError: boolean; text?: string; subtype?: string; turns?: number; durationMs?: number };

export type Json = Record<string, unknown>;

export interface AgentFormat {
  id: AgentFormatId;
  /** "Claude Code", as the Runs view and Choose Agent name it. */
  label: string;
  /** The executable the preset runs (looked up on PATH). */
  program: string;
  /**
   * The preset `chant.agent.command`. `${model}` is substituted quoted; presets other than claude's
   * put `--model ${model}` in only when a model was chosen (`withModel`), since chant's default
   * model (haiku) names a Claude model.
   */
  command(withModel: boolean): string;
  /** How to install the program when it is missing. */
  install: string;
  /**
   * How a GitHub Actions job (../../workflow/actionsWorkflow.ts) gets the program and its API key:
   * the npm package that provides `program`, the repository secret holding the key, and the
   * environment variables the program reads the key from (the secret is passed to each).
   */
  ci: { npmPackage: string; secret: string; keyEnv: readonly string[] };
  /** Where its output format is documented (for the README and Check Agent). */
  docs: string;
  /** Whether its output reports cost in dollars (else the price table, or "cost unknown"). */
  reportsCost: boolean;
  /** True for an event only this format prints (used to tell formats apart when a run's agent is unknown). */
  recognizes(event: Json): boolean;
  /** A reader for one run's output (a format may keep state across lines, e.g. streamed text deltas). */
  reader(): FormatReader;
}

export interface FormatReader {
  /** The events one JSON line of the agent's output means. Unknown types give none; never throws. */
  read(event: Json): AgentEvent[];
  /** What is still held when the output ends. */
  end?(): AgentEvent[];
}

export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
export const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined);
export const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/** The version in a program's `--version` answer: the first `x.y` or `x.y.z` (with a pre-release tag). */
export function parseVersion(output: string): string | undefined {
  const match = /\b(\d+\.\d+(?:\.\d+)?(?:-[0-9A-Za-z.]+)?)\b/.exec(output);
  return match?.[1];
}
