// What Choose Agent offers and what a run's command line is: a preset per agent format (./claude.ts,
// ./codex.ts, …), chant's kiro provider (claude's flags on kiro, CHANT-FORMAT §7.1), and a template
// for any other agent. `ollama` and `openai` are not subprocesses (chant talks to their HTTP APIs
// itself, and openai has no tools), so only the chant CLI runner can use them. No `vscode` import.
import { CommandTemplateError, DEFAULT_AGENT_COMMAND, expandCommandTemplate } from '../../workflow/commandLine';
import { AGENT_FORMATS, agentFormat, formatOfProgram, type AgentFormatId } from './index';

export type AgentPresetId = Exclude<AgentFormatId, 'plain'> | 'kiro' | 'custom';

export interface AgentPreset {
  id: AgentPresetId;
  label: string;
  detail: string;
  /** The program it runs (looked up on PATH); none for the custom template. */
  program?: string;
  /** The `chant.agent.command` it stands for; empty means the built-in default (claude). */
  command: string;
  /** How to install the program when it is missing. */
  install?: string;
}

const KIRO_COMMAND = DEFAULT_AGENT_COMMAND.replace(/^claude /, 'kiro ');

export const AGENT_PRESETS: readonly AgentPreset[] = [
  ...AGENT_FORMATS.map((format) => ({
    id: format.id as AgentPresetId,
    label: `${format.label} (${format.program})`,
    detail: format.id === 'claude' ? "chant's default provider, with the command line chant uses" : `${format.program}'s machine-readable output: live activity, usage${format.reportsCost ? ' and cost' : ' (cost from chant.agent.prices)'}`,
    program: format.program,
    command: format.id === 'claude' ? '' : format.command(false),
    install: format.install,
  })),
  {
    id: 'kiro',
    label: 'Kiro (kiro)',
    detail: "chant's kirocli provider: kiro with the same flags as claude",
    program: 'kiro',
    command: KIRO_COMMAND,
    install: 'install the Kiro CLI and sign in (https://kiro.dev)',
  },
  {
    id: 'custom',
    label: 'Another agent…',
    detail: 'A program of your own: you type its command line, with ${promptFile} where the task goes',
    // Never written as it is: Choose Agent asks for the command line (customAgentCommandProblem checks it).
    command: '',
  },
];

/**
 * Why a command line typed for "Another agent…" cannot be the agent, or undefined when it can (as far
 * as its text tells: whether the program exists is the caller's question). The prompt file holds the
 * whole task; the agent must commit as `chant(<id>): …` (README, "How a run ends").
 */
export function customAgentCommandProblem(template: string): string | undefined {
  const trimmed = template.trim();
  if (!trimmed) return 'Type the command that starts your agent.';
  if (!trimmed.includes('${promptFile}') && !trimmed.includes('CHANT_PROMPT_FILE')) {
    return 'Pass the task: put ${promptFile} where your agent takes its prompt file (or have it read $CHANT_PROMPT_FILE).';
  }
  try {
    expandCommandTemplate(trimmed, { promptFile: 'p', specId: 'i', specFile: 's', worktree: 'w', branch: 'b', model: 'm' });
  } catch (error) {
    if (error instanceof CommandTemplateError) return error.message;
    throw error;
  }
  return undefined;
}

/** The program a preset starts (`claude`, `codex`, `kiro`); undefined for "Another agent…". */
export function presetExecutable(preset: AgentPreset): string | undefined {
  return preset.id === 'custom' ? undefined : preset.program;
}

/** Providers chant has that the direct runner cannot run, and why (for Check Agent's report). */
export const CLI_ONLY_PROVIDERS: Readonly<Record<string, string>> = {
  ollama: 'chant talks to Ollama over HTTP itself (http://localhost:11434), so only the chant CLI runner can use it',
  openai: 'chant calls the OpenAI API itself, without tools: the agent cannot edit files or commit, so runs end with "No commits found"',
};

/** The executable a provider in config.md (`defaults.provider`) runs, when it runs one. */
export function providerExecutable(provider: string): string | undefined {
  if (provider === 'claude' || provider === '') return 'claude';
  if (provider === 'kirocli') return 'kiro';
  return undefined;
}

/** The preset a `chant.agent.command` value is, or `custom`. */
export function presetOf(command: string): AgentPreset {
  const trimmed = command.trim();
  return (
    AGENT_PRESETS.find((p) => p.id !== 'custom' && (p.command === trimmed || (p.command === '' && trimmed === DEFAULT_AGENT_COMMAND))) ??
    AGENT_PRESETS[AGENT_PRESETS.length - 1]
  );
}

/** The agent and model picked for a workspace (Choose Agent, a Work or a batch); remembered there. */
export interface AgentPick {
  agent: AgentPresetId;
  /** Passed as `${model}`; empty: the agent's own default (chant's model for claude). */
  model?: string;
}

/** What a run starts: the command template, the format to read its output with, the model and the agent's name. */
export interface ResolvedAgent {
  template: string;
  format: AgentFormatId | 'auto';
  /** The model `${model}` stands for, when the template uses it; undefined when the agent picks its own. */
  model?: string;
  /** The program, as the Runs view names the agent (`codex`, `node scriptedAgent.js`). */
  name: string;
}

/**
 * The command a run uses. A pick (per workspace) names a preset; without one, `chant.agent.command`
 * (empty: chant's claude command line). `chantModel` is chant's choice (CHANT_MODEL,
 * ANTHROPIC_MODEL, defaults.model, haiku), a Claude model: other agents get a model only when one
 * was picked, else their own default.
 */
export function resolveAgent(setting: string, pick: AgentPick | undefined, chantModel: string): ResolvedAgent {
  const preset = pick && pick.agent !== 'custom' && pick.agent !== 'kiro' ? agentFormat(pick.agent) : undefined;
  const model = pick?.model?.trim() || undefined;
  if (preset) {
    const claudeLike = preset.id === 'claude';
    return {
      template: preset.command(claudeLike || model !== undefined),
      format: preset.id,
      model: model ?? (claudeLike ? chantModel : undefined),
      name: preset.program,
    };
  }
  const template = pick?.agent === 'kiro' ? KIRO_COMMAND : setting.trim() || DEFAULT_AGENT_COMMAND;
  const format = formatOfProgram(agentExecutableOf(template))?.id ?? 'auto';
  // chant records its model whatever the command does with it; a known non-Claude agent whose
  // command passes none picks its own (and reports it, or the row says none).
  const ownModel = format !== 'auto' && format !== 'claude' && !template.includes('${model}');
  return { template, format, model: ownModel ? undefined : (model ?? chantModel), name: agentName(template) };
}

const INTERPRETERS = new Set(['node', 'python', 'python3', 'sh', 'bash', 'deno', 'bun', 'npx']);

/**
 * The agent as the Runs view names it: `claude`, `codex`, and for an interpreter the script it runs (`node
 * scriptedAgent.js`).
 */
export function agentName(template: string): string {
  const words = shellWords(template.trim() || DEFAULT_AGENT_COMMAND);
  let i = 0;
  while (i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]) || ['env', 'exec', 'command'].includes(words[i]))) i++;
  const program = baseName(words[i] ?? 'agent');
  const script = words[i + 1];
  if (INTERPRETERS.has(program) && script && !script.startsWith('-')) return `${program} ${baseName(script)}`;
  return program;
}

const baseName = (word: string): string => word.split(/[\\/]/).pop() || word;

/**
 * The program a command template starts: its first word, unquoted, after any `NAME=value`
 * assignments (`env`, `exec` and `command` prefixes are skipped too). Undefined for an empty template.
 */
export function agentExecutableOf(template: string): string | undefined {
  const words = shellWords(template.trim() || DEFAULT_AGENT_COMMAND);
  let i = 0;
  while (i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]) || ['env', 'exec', 'command'].includes(words[i]))) i++;
  return words[i];
}

/** Splits a command line into words as sh would for plain words and '…' / "…" quotes (no expansion). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: '"' | "'" | undefined;
  let inWord = false;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
