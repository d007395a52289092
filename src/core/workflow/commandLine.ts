// Shell command lines for agent runs. Every value that comes from a spec (its id, title, paths,
// branch) is either single-quoted here or passed through the environment: a title containing
// `$(…)`, backticks, quotes, `;` or a newline must never execute anything. No `vscode` import.

/** POSIX single-quoting: the result is one word whose value is exactly `value`. */
export function shQuote(value: string): string {
  if (value.length > 0 && /^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Joins arguments into one shell line, each quoted. */
export function shJoin(args: readonly string[]): string {
  return args.map(shQuote).join(' ');
}

/** Variables `chant.agent.command` may use. Each is substituted as one quoted word. */
export interface AgentCommandVars {
  promptFile: string;
  specId: string;
  specFile: string;
  worktree: string;
  branch: string;
  model: string;
}

export const AGENT_VARIABLES: ReadonlyArray<keyof AgentCommandVars> = ['promptFile', 'specId', 'specFile', 'worktree', 'branch', 'model'];

/**
 * chant's claude command line (CHANT-FORMAT §7.2), except that the stub message names the prompt
 * file by its absolute path inside the worktree, so the agent finds it (chant's relative path
 * points at a file that does not exist there).
 */
export const DEFAULT_AGENT_COMMAND =
  'claude --print --output-format stream-json --verbose --model ${model} --dangerously-skip-permissions "Read and execute the task in ${promptFile}"';

export class CommandTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandTemplateError';
  }
}

/**
 * Expands `${name}` in a command template. A variable standing alone becomes one single-quoted
 * word. A variable inside a double-quoted string of the template (as in the default's stub
 * message) is replaced by a reference to an environment variable (`${CHANT_VAR_<NAME>}`), whose
 * value the shell inserts without evaluating it; `env` lists those variables for the caller to
 * set. Inside single quotes variables are rejected, because nothing can be substituted safely there.
 */
export function expandCommandTemplate(template: string, vars: AgentCommandVars): { line: string; env: Record<string, string> } {
  if (/[\r\n]/.test(template)) throw new CommandTemplateError('chant.agent.command must be a single line.');
  const env: Record<string, string> = {};
  let out = '';
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch === '\\' && quote !== "'" && i + 1 < template.length) {
      out += ch + template[i + 1];
      i++;
      continue;
    }
    if (ch === '$' && template[i + 1] === '{') {
      const end = template.indexOf('}', i);
      const name = end > 0 ? template.slice(i + 2, end) : '';
      if ((AGENT_VARIABLES as readonly string[]).includes(name)) {
        const value = vars[name as keyof AgentCommandVars];
        if (quote === "'") throw new CommandTemplateError(`\${${name}} cannot be used inside single quotes in chant.agent.command.`);
        if (quote === '"') {
          const envName = `CHANT_VAR_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
          env[envName] = value;
          out += '${' + envName + '}';
        } else {
          out += shQuote(value);
        }
        i = end;
        continue;
      }
    }
    if (ch === '"' || ch === "'") {
      if (quote === undefined) quote = ch;
      else if (quote === ch) quote = undefined;
    }
    out += ch;
  }
  if (quote) throw new CommandTemplateError(`chant.agent.command has an unterminated ${quote} quote.`);
  return { line: out, env };
}

/** The model chant would pass (§7.2): CHANT_MODEL, ANTHROPIC_MODEL, defaults.model, "haiku". */
export function agentModel(env: Record<string, string | undefined>, defaultModel: string | undefined): string {
  for (const candidate of [env.CHANT_MODEL, env.ANTHROPIC_MODEL, defaultModel]) {
    if (candidate && candidate.trim()) return candidate.trim();
  }
  return 'haiku';
}

/**
 * Wraps an agent command so that its output goes to the terminal and is appended to the log file,
 * and its exit code is written to a status file (read when the terminal has no shell integration,
 * like chant's `.chant-status-<id>.json`). Spec-derived values travel as `env NAME='value'`
 * assignments (each quoted) and are referenced inside the script as variables, so the line works
 * the same in bash, zsh and fish, and a reused terminal gets this run's values.
 */
export function wrapAgentRun(options: {
  agentLine: string;
  env: Record<string, string>;
  /** Append output here too (`tee`). Omitted for interactive programs that need a TTY (the chant CLI). */
  logFile?: string;
  statusFile: string;
  /**
   * A Node script the output passes through before `tee` (stream-json → text). `node` may be the
   * editor's Electron binary: ELECTRON_RUN_AS_NODE (set for the filter alone, not the agent) makes
   * it plain Node; if it cannot start, `cat` passes the output unchanged.
   */
  filter?: { script: string; node: string };
}): string {
  const env: Record<string, string> = { ...options.env, CHANT_STATUS_FILE: options.statusFile };
  if (options.logFile) env.CHANT_LOG_FILE = options.logFile;
  if (options.filter) {
    env.CHANT_FILTER_SCRIPT = options.filter.script;
    env.CHANT_NODE = options.filter.node;
  }
  for (const name of Object.keys(env)) {
    if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new CommandTemplateError(`Invalid environment variable name: ${name}`);
  }
  const script = [
    'printf \'{"status":"working","pid":%s}\\n\' "$$" > "$CHANT_STATUS_FILE"',
    options.logFile
      ? `{ ( ${options.agentLine} ) ; echo $? > "$CHANT_STATUS_FILE.code"; } 2>&1 | ${options.filter ? '{ ELECTRON_RUN_AS_NODE=1 "$CHANT_NODE" "$CHANT_FILTER_SCRIPT" || cat; } | ' : ''}tee -a "$CHANT_LOG_FILE"`
      : `( ${options.agentLine} ) ; echo $? > "$CHANT_STATUS_FILE.code"`,
    'code=$(cat "$CHANT_STATUS_FILE.code" 2>/dev/null || echo 1); rm -f "$CHANT_STATUS_FILE.code"',
    'printf \'{"status":"done","exit_code":%s}\\n\' "$code" > "$CHANT_STATUS_FILE"',
    'exit "$code"',
  ].join('; ');
  const assignments = Object.entries(env).map(([name, value]) => `${name}=${shQuote(value)}`);
  return ['env', ...assignments, 'sh', '-c', shQuote(script)].join(' ');
}

/** Reads the status file the wrapper writes; undefined while it is missing or unreadable. */
export function parseStatusFile(text: string | undefined): { status: 'working' | 'done'; exitCode?: number; pid?: number } | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as { status?: unknown; exit_code?: unknown; pid?: unknown };
    if (value.status === 'done') return { status: 'done', exitCode: typeof value.exit_code === 'number' ? value.exit_code : 1 };
    if (value.status === 'working') return { status: 'working', pid: typeof value.pid === 'number' ? value.pid : undefined };
  } catch {
    // A half-written file: read again later.
  }
  return undefined;
}

/** `YYYY-MM-DDTHH:MM:SSZ` in UTC, as chant writes `completed_at` (§2.2). */
export function formatCompletedAt(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Header chant writes at the top of `.chant/logs/<id>.log` or before a re-run (§7.5). */
export function logHeader(id: string, prompt: string, now: Date, existing: boolean): string {
  const stamp = formatCompletedAt(now);
  if (!existing) return `# Agent Log: ${id}\n# Started: ${stamp}\n# Prompt: ${prompt}\n\n`;
  const rule = '='.repeat(80);
  return `\n${rule}\n# New Run: ${stamp}\n# Prompt: ${prompt}\n${rule}\n\n`;
}
