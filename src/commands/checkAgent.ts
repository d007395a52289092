// "Chant: Check Agent": which runner Work Spec will use, and whether the program it hands the spec to
// is there. It finds the agent (or the chant CLI and the agent chant runs) on PATH, asks each for its
// `--version`, and says exactly what is missing and how to get it. "Choose Agent…" sets
// `chant.agent.command` from a preset (src/core/runs/agents/presets.ts: one per agent the extension
// reads, each listed with the version installed here), or to a command line the user types for
// another agent (checked before it is written, never a placeholder), and checks again: every path
// ends with an agent Check Agent confirms or a message saying what to install. A workspace's own
// pick (Work Spec with Agent…) wins over the setting while it is there; Choose Agent clears it.
import * as vscode from 'vscode';
import { agentExecutableOf, AGENT_PRESETS, customAgentCommandProblem, presetOf, type AgentPreset } from '../core/runs/agents/presets';
import type { AgentChoices } from '../runs/agentChoice';
import { findOnPath } from '../workspace/executables';
import type { ProjectService } from '../workspace/projectService';
import { inspectAgent, type AgentCheck, type ProgramCheck } from '../workspace/agentCheck';
import { settings } from '../settings';
import { revealSetting } from '../workspace/settingsTab';

export interface CheckAgentOptions {
  /** Press this button of the report instead of asking (tests). */
  answer?: string;
  /** With "Choose Agent…": the preset id to pick instead of asking (tests). */
  preset?: string;
  /** With "Another agent…": the command line to use instead of asking (tests). */
  command?: string;
}

const CHOOSE = vscode.l10n.t('Choose Agent…');
const SETTINGS = vscode.l10n.t('Open Settings');

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
    if (await chooseAgent(choices, options)) return checkAgent(projects, choices, { ...options, answer: options.answer === CHOOSE ? 'none' : options.answer });
  } else if (choice === SETTINGS) {
    await revealSetting(result.runner === 'cli' ? settings.cliPath.id : settings.agentCommand.id);
  }
  return result;
}

function describe(check: AgentCheck): string {
  const shown = (p: ProgramCheck | undefined): string => (p?.path ? vscode.l10n.t('{0} {1} at {2}', p.name, p.version ?? vscode.l10n.t('(no version answer)'), p.path) : '');
  const found = [check.runner === 'cli' ? shown(check.chant) : '', shown(check.agent)].filter(Boolean);
  if (check.model && check.runner === 'direct' && found.length > 0) found[found.length - 1] += vscode.l10n.t(' (model {0})', check.model);
  const parts = [check.runner === 'cli' ? vscode.l10n.t('Work Spec uses the chant CLI runner (chant work).') : vscode.l10n.t('Work Spec uses the direct runner (chant.agent.command).')];
  if (found.length > 0) parts.push(vscode.l10n.t('Found: {0}.', found.join('; ')));
  if (check.missing.length > 0) parts.push(vscode.l10n.t('Missing: {0}.', check.missing.join('; ')));
  else parts.push(vscode.l10n.t('Ready to run.'));
  parts.push(...check.notes);
  return parts.join(' ');
}

/**
 * Sets chant.agent.command (the user's settings: VS Code puts this machine setting on the Remote tab in a
 * remote window) from a preset or a typed command line; true when one was set.
 */
async function chooseAgent(choices: AgentChoices, options: CheckAgentOptions): Promise<boolean> {
  const current = settings.agentCommand.value;
  const preset = AGENT_PRESETS.find((p) => p.id === options.preset) ?? (await pickPreset(choices, presetOf(current)));
  if (!preset) return false;
  let command = preset.command;
  if (preset.id === 'custom') {
    const typed = options.command ?? (await askCommandLine(presetOf(current).id === 'custom' ? current : ''));
    if (typed === undefined) return false;
    const problem = await commandLineProblem(typed);
    if (problem) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Chant: {0}', problem));
      return false;
    }
    command = typed.trim();
  }
  await settings.agentCommand.setForUser(command);
  // The choice is what runs from now on: a workspace's earlier pick (Work Spec with Agent…) would hide it.
  await choices.remember(undefined);
  // A typed command line is the user's to read and edit later: show where it lives.
  if (preset.id === 'custom') await revealSetting(settings.agentCommand.id);
  return true;
}

/** The presets, each saying whether its program is on PATH and its version (src/runs/agentChoice.ts). */
async function pickPreset(choices: AgentChoices, current: AgentPreset): Promise<AgentPreset | undefined> {
  const items = (await choices.detect()).map(({ preset, path, version }) => {
    const state = preset.program
      ? path
        ? version
          ? vscode.l10n.t('found at {0} ({1})', path, version)
          : vscode.l10n.t('found at {0}', path)
        : vscode.l10n.t('not installed: {0}', preset.install ?? vscode.l10n.t('install {0}', preset.program))
      : '';
    return { label: preset.label, description: [preset.id === current.id ? vscode.l10n.t('current') : '', state].filter(Boolean).join(' · '), detail: preset.detail, preset };
  });
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Agent for the direct runner'),
    placeHolder: vscode.l10n.t('ollama and openai run only through the chant CLI (chant talks to them itself)'),
  });
  return picked?.preset;
}

function askCommandLine(value: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t('Command line of your agent'),
    prompt: vscode.l10n.t('Runs in the spec\'s worktree. {0} is the task; {1}, {2}, {3}, {4} and {5} are there too.', '${promptFile}', '${model}', '${specId}', '${specFile}', '${worktree}', '${branch}'),
    placeHolder: 'my-agent --model ${model} --prompt-file ${promptFile}', // l10n-exempt: a command line
    value,
    ignoreFocusOut: true,
    validateInput: (text) => commandLineProblem(text),
  });
}

/** What is wrong with a typed command line: its text, or a program that is not there. */
async function commandLineProblem(text: string): Promise<string | undefined> {
  const problem = customAgentCommandProblem(text);
  if (problem) return problem;
  const program = agentExecutableOf(text);
  if (program && !(await findOnPath(program))) return vscode.l10n.t('`{0}` is not on PATH: install it, or give its full path.', program);
  return undefined;
}
