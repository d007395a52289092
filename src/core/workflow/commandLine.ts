// Shell command lines for agent runs. Every value that comes from a spec (its id, title, paths,
// branch) is either single-quoted here or passed through the environment: a title containing
// `$(…)`, backticks, quotes, `;` or a newline must never execute anything. That quoting is POSIX
// quoting, and a terminal's shell may be fish (where `\'` inside single quotes is an escaped
// quote), PowerShell or anything else; so nothing quoted goes on an interactive terminal line.
// The commands go into a script file executed by an explicit `sh` (writeShellScript), and the
// terminal line is `sh <path>`, a path made of characters no shell treats specially.
// No `vscode` import.
import { accessSync, constants as fsConstants, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** POSIX single-quoting: the result is one word whose value is exactly `value`. */
export function shQuote(value: string): string {
  if (value.length > 0 && /^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Joins arguments into one shell line, each quoted. */
export function shJoin(args: readonly string[]): string {
  return args.map(shQuote).join(' ');
}

/**
 * True for an absolute path every shell reads as one literal word: letters, digits, `_`, `.`, `-`
 * and `/` only (no `~`, `=`, `%`, `{`, quotes, spaces or anything else bash, zsh, fish or
 * PowerShell give a meaning).
 */
export function isShellSafePath(file: string): boolean {
  return /^\/[A-Za-z0-9_./-]*$/.test(file) && !file.includes('/-');
}

export class UnsafePathError extends Error {
  constructor(file: string) {
    super(`Refusing to put ${JSON.stringify(file)} on a terminal line: it has characters some shells interpret.`);
    this.name = 'UnsafePathError';
  }
}

let shellProgram: string | undefined;

/**
 * `sh` by its absolute path, from the absolute entries of PATH only (else /bin/sh): the terminal's
 * cwd is the project, so a relative PATH entry (`.`, `bin`) would run a `sh` the repository ships.
 */
export function absoluteSh(envPath = process.env.PATH ?? ''): string {
  if (shellProgram) return shellProgram;
  for (const dir of envPath.split(':')) {
    if (!dir.startsWith('/')) continue;
    const candidate = path.posix.join(dir, 'sh');
    try {
      accessSync(candidate, fsConstants.X_OK);
      if (isShellSafePath(candidate)) return (shellProgram = candidate);
    } catch {
      // not here
    }
  }
  return (shellProgram = '/bin/sh');
}

/** The terminal line that runs a script file: `/bin/sh <path>` (sh by absolute path), the same in every shell. */
export function scriptRunLine(scriptFile: string): string {
  if (!isShellSafePath(scriptFile)) throw new UnsafePathError(scriptFile);
  return `${absoluteSh()} ${scriptFile}`;
}

/**
 * The first line of every script: PATH keeps only its absolute entries. The script runs in the
 * project (or its worktree), where a relative entry such as `.` or `node_modules/.bin` would make
 * `git`, `chant`, `env`, `tee` or the agent's program one the repository ships. Only sh builtins.
 */
export const ABSOLUTE_PATH_LINE =
  'chant_p=; chant_ifs=$IFS; IFS=:; set -f; for chant_d in $PATH; do case $chant_d in /*) chant_p=${chant_p:+$chant_p:}$chant_d;; esac; done; set +f; IFS=$chant_ifs; PATH=$chant_p; export PATH';

/** One step of a script: a program and its arguments (each quoted), or a line built by this module. */
export type ScriptStep = readonly string[] | { line: string };

/**
 * A POSIX sh script: `cd` to `cwd`, then the steps in order, stopping at the first that fails (like
 * `a && b`), exiting with its status. Every word is single-quoted, which is exact under `sh`.
 */
export function shellScript(options: { cwd?: string; steps: readonly ScriptStep[]; label?: string }): string {
  const lines = ['#!/bin/sh', `# ${(options.label ?? 'command').replace(/[^\w .:,()-]/g, '_')}: written by Chant for VS Code`];
  lines.push(ABSOLUTE_PATH_LINE);
  if (options.cwd !== undefined) lines.push(`cd ${shQuote(options.cwd)} || exit 1`);
  for (const step of options.steps) {
    // A quoted word may hold a line break: inside single quotes sh keeps it literally.
    lines.push(`${'line' in step ? step.line : shJoin(step)} || exit $?`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Folders for scripts, newest first: the OS temp folder, then `/tmp`; only one whose path is safe on
 * a terminal line (a user's TMPDIR may hold spaces).
 */
function scriptBase(): string {
  for (const candidate of [os.tmpdir(), '/tmp']) if (isShellSafePath(candidate)) return candidate;
  throw new UnsafePathError(os.tmpdir());
}

/**
 * Writes `script` to a new private folder (mode 0700, random name) under a shell-safe temp folder
 * (or into `folder`, one made by privateRunDir) and returns its path and the terminal line that
 * runs it (`/bin/sh <path>`). The file name is fixed
 * (`name`, letters and digits only), so no repository text is on the line.
 */
export async function writeShellScript(script: string, name = 'run', folder?: string): Promise<{ file: string; line: string }> {
  const safeName = name.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^-/, '_') || 'run';
  const dir = folder ?? (await privateRunDir());
  const file = path.join(dir, `${safeName}.sh`);
  await fs.writeFile(file, script, { encoding: 'utf8', mode: 0o700, flag: 'wx' });
  return { file, line: scriptRunLine(file) };
}

/**
 * A new private folder (mode 0700, random name) under a shell-safe temp folder, outside every
 * project: a run's script, its status file and exit code live here, where no repository can have
 * placed a link for the wrapper to write through.
 */
export function privateRunDir(): Promise<string> {
  return fs.mkdtemp(path.join(scriptBase(), 'chant-run-'));
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
export function expandCommandTemplate(
  template: string,
  vars: AgentCommandVars,
): { line: string; env: Record<string, string> } {
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
        if (quote === "'")
          throw new CommandTemplateError(`\${${name}} cannot be used inside single quotes in chant.agent.command.`);
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
   * A Node script the output passes through before `tee` (the agent's JSON events → text, read in
   * `format`; src/core/runs/streamFilter.ts). `node` may be the
   * editor's Electron binary: ELECTRON_RUN_AS_NODE (set for the filter alone, not the agent) makes
   * it plain Node; if it cannot start, `cat` passes the output unchanged.
   */
  filter?: { script: string; node: string; format?: string };
  /** The filter also appends the agent's raw output here (the run's stream file); only with `filter`. */
  streamFile?: string;
}): string {
  const env: Record<string, string> = { ...options.env, CHANT_STATUS_FILE: options.statusFile };
  if (options.logFile) env.CHANT_LOG_FILE = options.logFile;
  if (options.filter) {
    env.CHANT_FILTER_SCRIPT = options.filter.script;
    env.CHANT_NODE = options.filter.node;
    if (options.filter.format) env.CHANT_AGENT_FORMAT = options.filter.format;
    if (options.streamFile) env.CHANT_STREAM_FILE = options.streamFile;
  }
  for (const name of Object.keys(env)) {
    if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new CommandTemplateError(`Invalid environment variable name: ${name}`);
  }
  // The status file and its `.code` belong in a private folder (privateRunDir); the log and the
  // stream file are under the project, so a link or special file in their place (the extension
  // checked them a moment ago) stops the run before anything is written through it.
  const refuseLinks =
    'for chant_f in "${CHANT_LOG_FILE:-}" "${CHANT_STREAM_FILE:-}"; do if [ -n "$chant_f" ] && { [ -L "$chant_f" ] || { [ -e "$chant_f" ] && [ ! -f "$chant_f" ]; }; }; then echo "chant: refusing to write through $chant_f: it is not a regular file" >&2; printf \'{"status":"done","exit_code":1}\\n\' > "$CHANT_STATUS_FILE"; exit 1; fi; done';
  const script = [
    refuseLinks,
    // The shell's start time (field 22 of /proc/$$/stat, where there is one) beside its pid: Pause
    // signals the pid later only while that very process lives (core/runs/processIdentity.ts).
    'chant_started=$( { read -r chant_s < /proc/$$/stat && set -f && set -- ${chant_s##*") "} && shift 19 && printf %s "$1"; } 2>/dev/null )',
    'printf \'{"status":"working","pid":%s,"started":"%s"}\\n\' "$$" "$chant_started" > "$CHANT_STATUS_FILE"',
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
export function parseStatusFile(text: string | undefined): { status: 'working' | 'done'; exitCode?: number; pid?: number; started?: string } | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as { status?: unknown; exit_code?: unknown; pid?: unknown; started?: unknown };
    if (value.status === 'done') return { status: 'done', exitCode: typeof value.exit_code === 'number' ? value.exit_code : 1 };
    if (value.status === 'working') {
      // Only a real process id: never 0 (our own group), 1 (init; kill(-1) is every process) or less.
      const pid = typeof value.pid === 'number' && Number.isInteger(value.pid) && value.pid > 1 ? value.pid : undefined;
      const started = typeof value.started === 'string' && /^\d+$/.test(value.started) ? value.started : undefined;
      return { status: 'working', pid, ...(started ? { started } : {}) };
    }
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
