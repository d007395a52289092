// Agent presets for the direct runner, one per chant provider that runs as a subprocess with chant's
// claude-style command line (CHANT-FORMAT §7.1, §7.2), plus a template for any other agent. `ollama`
// and `openai` are not subprocesses (chant talks to their HTTP APIs itself, and openai has no tools),
// so only the chant CLI runner can use them. No `vscode` import.
import { CommandTemplateError, DEFAULT_AGENT_COMMAND, expandCommandTemplate } from './commandLine';

export interface AgentPreset {
  id: 'claude' | 'kiro' | 'custom';
  label: string;
  detail: string;
  /** The `chant.agent.command` it stands for; empty means the built-in default (claude). */
  command: string;
  /** How to install the program when it is missing. */
  install?: string;
}

export const AGENT_PRESETS: readonly AgentPreset[] = [
  {
    id: 'claude',
    label: 'Claude Code (claude)',
    detail: "chant's default provider, with the command line chant uses",
    command: '',
    install: 'npm install -g @anthropic-ai/claude-code, then run `claude` once to sign in',
  },
  {
    id: 'kiro',
    label: 'Kiro (kiro)',
    detail: "chant's kirocli provider: kiro with the same flags as claude",
    command: DEFAULT_AGENT_COMMAND.replace(/^claude /, 'kiro '),
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
  return AGENT_PRESETS.find((p) => p.id !== 'custom' && (p.command === trimmed || (p.command === '' && trimmed === DEFAULT_AGENT_COMMAND))) ?? AGENT_PRESETS[2];
}

/** The program a preset starts (`claude`, `kiro`); undefined for "Another agent…". */
export function presetExecutable(preset: AgentPreset): string | undefined {
  return preset.id === 'custom' ? undefined : agentExecutableOf(preset.command);
}

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
