// What Check Agent reports, without showing anything: the runner Work Spec will use and whether the
// programs it needs are on PATH, with their versions. The command (commands/checkAgent.ts) shows it; the
// walkthrough (views/walkthrough.ts) ticks its agent step by it.
import * as vscode from 'vscode';
import { agentExecutableOf, AGENT_PRESETS, CLI_ONLY_PROVIDERS, presetOf, providerExecutable } from '../core/runs/agents/presets';
import type { AgentChoices } from '../runs/agentChoice';
import { findChantCli } from '../language/chantCliLint';
import { findOnPath, relativePathEntries, terminalEnvKey, terminalPathOf, versionOf } from './executables';
import { settings } from '../settings';
import type { ProjectService } from './projectService';

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
  chant?: ProgramCheck;
  /** Sentences naming what is missing; empty when Work Spec can run. */
  missing: string[];
  /** Other things worth knowing (a provider the direct runner cannot use, …). */
  notes: string[];
  /** The model the direct runner passes, when it passes one. */
  model?: string;
  /** The PATH searched: the one a new terminal gets, where runs start (see terminalPathOf). */
  searchedPath: string;
}

/** What Check Agent reports, without showing anything. */
export async function inspectAgent(projects: ProjectService | undefined, choices: AgentChoices): Promise<AgentCheck> {
  const setting = settings.runner.value;
  const cliSetting = settings.cliPath.value;
  const chantOnHost = await findChantCli();
  const runner: 'cli' | 'direct' = setting === 'cli' || setting === 'direct' ? setting : cliSetting || chantOnHost ? 'cli' : 'direct';
  const missing: string[] = [];
  const notes: string[] = [];
  // Runs start in an integrated terminal, whose PATH may differ from the extension host's (in
  // code-server `terminal.integrated.env.linux` decides it): look where the run will look.
  // Only the user's (and code-server's Machine) settings: a PATH from the repository's
  // .vscode/settings.json names folders anyone can fill, and Check Agent runs what it finds.
  const envKey = terminalEnvKey();
  const terminal = terminalPathOf(process.env.PATH ?? '', vscode.workspace.getConfiguration('terminal.integrated.env').inspect<Record<string, unknown>>(envKey)?.globalValue);
  if (terminal.fromSetting) notes.push(`Looked on the terminal's PATH (terminal.integrated.env.${envKey} sets it), where runs start.`);
  const program = async (name: string): Promise<ProgramCheck> => {
    const found = await findOnPath(name, terminal.path);
    return { name, path: found, version: found ? await versionOf(found) : undefined };
  };
  const chantPath = cliSetting ? chantOnHost : await findOnPath('chant', terminal.path);

  let chant: ProgramCheck | undefined;
  let agentName: string | undefined;
  let install: string | undefined;
  let model: string | undefined;
  if (runner === 'cli') {
    chant = { name: cliSetting || 'chant', path: chantPath, version: chantPath ? await versionOf(chantPath) : undefined };
    if (!chantPath) missing.push(vscode.l10n.t('the chant CLI ({0}) was not found: install chant, set chant.cliPath, or set chant.runner to "direct"', cliSetting || vscode.l10n.t('`chant` on PATH')));
    const provider = projects?.projects()[0]?.config.provider ?? 'claude';
    agentName = providerExecutable(provider);
    if (!agentName) notes.push(`defaults.provider is ${provider}: ${CLI_ONLY_PROVIDERS[provider] ?? 'chant runs it itself'}.`);
    install = AGENT_PRESETS.find((p) => agentExecutableOf(p.command) === agentName)?.install;
  } else {
    // What a run would start: the workspace's pick, else the setting (src/core/runs/agents/presets.ts).
    const resolved = choices.resolve(choices.pick(), projects?.projects()[0]?.config.defaultModel);
    agentName = agentExecutableOf(resolved.template);
    install =
      AGENT_PRESETS.find((p) => p.program !== undefined && p.program === agentName)?.install ??
      presetOf(resolved.template).install;
    model = resolved.model;
    if (chantPath === undefined) notes.push(vscode.l10n.t('The chant CLI is not installed: the extension runs the agent itself (direct runner).'));
  }

  let agent: ProgramCheck | undefined;
  if (agentName) {
    agent = await program(agentName);
    if (!agent.path) missing.push(install ? vscode.l10n.t('the agent `{0}` is not on PATH: {1}', agentName, install) : vscode.l10n.t('the agent `{0}` is not on PATH', agentName));
  }
  const git = await findOnPath('git');
  if (!git) missing.push(vscode.l10n.t('git is not on PATH: every run works on a git branch'));
  const relative = relativePathEntries(terminal.path);
  if (relative.length > 0) {
    notes.push(
      vscode.l10n.t(
        'PATH has relative entries ({0}): Chant ignores them and runs programs only from the absolute folders of PATH, since a relative entry would pick a program the repository ships.',
        relative.join(', '),
      ),
    );
  }
  return { runner, agent, chant, missing, notes, searchedPath: terminal.path, ...(model ? { model } : {}) };
}
