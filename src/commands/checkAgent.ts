// "Chant: Check Agent": which runner Work Spec will use, and whether the program it hands the spec to
// is there. It finds the agent (or the chant CLI and the agent chant runs) on PATH, asks each for its
// `--version`, and says exactly what is missing and how to get it. "Choose Agent…" lists the agents
// installed here with their versions and remembers the pick (and model) for the workspace
// (src/runs/agentChoice.ts), then checks again.
import * as vscode from 'vscode';
import { agentExecutableOf, AGENT_PRESETS, CLI_ONLY_PROVIDERS, providerExecutable, type AgentPresetId } from '../core/runs/agents/presets';
import { pickAgent, type AgentChoices } from '../runs/agentChoice';
import { findChantCli } from '../language/chantCliLint';
import { findOnPath, versionOf } from '../workspace/executables';
import type { ProjectService } from '../workspace/projectService';
import { settings } from '../settings';

export interface CheckAgentOptions {
  /** Press this button of the report instead of asking (tests). */
  answer?: string;
  /** With "Choose Agent…": the preset id (and model) to pick instead of asking (tests). */
  preset?: AgentPresetId;
  model?: string;
}

export interface ProgramCheck {
  name: string;
  /** Absolute path found on PATH. */
  path?: string;
  version?: string;
}

export interface AgentCheck {
  runner: 'cli' | 'direct';
  /** The program the spec is handed to (for the CLI runner: the one chant starts). */
  agent?: ProgramCheck;
  /** The model passed to it, when the direct runner passes one. */
  model?: string;
  chant?: ProgramCheck;
  /** Sentences naming what is missing; empty when Work Spec can run. */
  missing: string[];
  /** Other things worth knowing (a provider the direct runner cannot use, …). */
  notes: string[];
}

const CHOOSE = 'Choose Agent…';
const SETTINGS = 'Open Settings';

export async function checkAgent(projects: ProjectService | undefined, choices: AgentChoices, options: CheckAgentOptions = {}): Promise<AgentCheck> {
  const result = await inspectAgent(projects, choices);
  const summary = describe(result);
  const buttons = [CHOOSE, SETTINGS];
  const choice =
    options.answer ??
    (result.missing.length > 0
      ? await vscode.window.showWarningMessage(summary, ...buttons)
      : await vscode.window.showInformationMessage(summary, ...buttons));
  if (choice === CHOOSE) {
    if (await pickAgent(choices, { agent: options.preset, model: options.preset ? (options.model ?? '') : undefined })) return checkAgent(projects, choices, { ...options, answer: options.answer === CHOOSE ? 'none' : options.answer });
  } else if (choice === SETTINGS) {
    await vscode.commands.executeCommand('workbench.action.openSettings', result.runner === 'cli' ? settings.cliPath.id : settings.agentCommand.id);
  }
  return result;
}

/** What Check Agent reports, without showing anything. */
export async function inspectAgent(projects: ProjectService | undefined, choices: AgentChoices): Promise<AgentCheck> {
  const setting = settings.runner.value;
  const cliSetting = settings.cliPath.value;
  const chantPath = await findChantCli();
  const runner: 'cli' | 'direct' = setting === 'cli' || setting === 'direct' ? setting : cliSetting || chantPath ? 'cli' : 'direct';
  const missing: string[] = [];
  const notes: string[] = [];
  const program = async (name: string): Promise<ProgramCheck> => {
    const found = await findOnPath(name);
    return { name, path: found, version: found ? await versionOf(found) : undefined };
  };

  let chant: ProgramCheck | undefined;
  let agentName: string | undefined;
  let install: string | undefined;
  let model: string | undefined;
  if (runner === 'cli') {
    chant = { name: cliSetting || 'chant', path: chantPath, version: chantPath ? await versionOf(chantPath) : undefined };
    if (!chantPath) missing.push(`the chant CLI (${cliSetting || '`chant` on PATH'}) was not found: install chant, set chant.cliPath, or set chant.runner to "direct"`);
    const provider = projects?.projects()[0]?.config.provider ?? 'claude';
    agentName = providerExecutable(provider);
    if (!agentName) notes.push(`defaults.provider is ${provider}: ${CLI_ONLY_PROVIDERS[provider] ?? 'chant runs it itself'}.`);
    install = AGENT_PRESETS.find((p) => agentExecutableOf(p.command) === agentName)?.install;
  } else {
    const resolved = choices.resolve(choices.pick(), projects?.projects()[0]?.config.defaultModel);
    agentName = agentExecutableOf(resolved.template);
    install = AGENT_PRESETS.find((p) => p.program !== undefined && p.program === agentName)?.install;
    model = resolved.model;
    if (chantPath === undefined) notes.push('The chant CLI is not installed: the extension runs the agent itself (direct runner).');
  }

  let agent: ProgramCheck | undefined;
  if (agentName) {
    agent = await program(agentName);
    if (!agent.path) missing.push(`the agent \`${agentName}\` is not on PATH${install ? `: ${install}` : ''}`);
  }
  const git = await findOnPath('git');
  if (!git) missing.push('git is not on PATH: every run works on a git branch');
  return { runner, agent, ...(model ? { model } : {}), chant, missing, notes };
}

function describe(check: AgentCheck): string {
  const runner = check.runner === 'cli' ? 'chant CLI runner (chant work)' : 'direct runner (chant.agent.command)';
  const shown = (p: ProgramCheck | undefined): string => (p?.path ? `${p.name} ${p.version ?? '(no version answer)'} at ${p.path}` : '');
  const found = [check.runner === 'cli' ? shown(check.chant) : '', shown(check.agent)].filter(Boolean);
  if (check.model && found.length > 0) found[found.length - 1] += ` (model ${check.model})`;
  const parts = [`Work Spec uses the ${runner}.`];
  if (found.length > 0) parts.push(`Found: ${found.join('; ')}.`);
  if (check.missing.length > 0) parts.push(`Missing: ${check.missing.join('; ')}.`);
  else parts.push('Ready to run.');
  parts.push(...check.notes);
  return parts.join(' ');
}
