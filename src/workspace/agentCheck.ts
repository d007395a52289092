// What Check Agent reports, without showing anything: the runner Work Spec will use and whether the
// programs it needs are on PATH, with their versions. The command (commands/checkAgent.ts) shows it; the
// walkthrough (views/walkthrough.ts) ticks its agent step by it.
import * as vscode from 'vscode';
import { agentExecutableOf, AGENT_PRESETS, CLI_ONLY_PROVIDERS, presetOf, providerExecutable } from '../core/workflow/agentPresets';
import { findChantCli } from '../language/chantCliLint';
import { settings } from '../settings';
import { findOnPath, relativePathEntries, versionOf } from './executables';
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
}

/** What Check Agent reports, without showing anything. */
export async function inspectAgent(projects: ProjectService | undefined): Promise<AgentCheck> {
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
  if (runner === 'cli') {
    chant = { name: cliSetting || 'chant', path: chantPath, version: chantPath ? await versionOf(chantPath) : undefined };
    if (!chantPath) missing.push(vscode.l10n.t('the chant CLI ({0}) was not found: install chant, set chant.cliPath, or set chant.runner to "direct"', cliSetting || vscode.l10n.t('`chant` on PATH')));
    const provider = projects?.projects()[0]?.config.provider ?? 'claude';
    agentName = providerExecutable(provider);
    if (!agentName) notes.push(`defaults.provider is ${provider}: ${CLI_ONLY_PROVIDERS[provider] ?? 'chant runs it itself'}.`);
    install = AGENT_PRESETS.find((p) => agentExecutableOf(p.command) === agentName)?.install;
  } else {
    const command = settings.agentCommand.value;
    agentName = agentExecutableOf(command);
    install = presetOf(command).install;
    if (chantPath === undefined) notes.push(vscode.l10n.t('The chant CLI is not installed: the extension runs the agent itself (direct runner).'));
  }

  let agent: ProgramCheck | undefined;
  if (agentName) {
    agent = await program(agentName);
    if (!agent.path) missing.push(install ? vscode.l10n.t('the agent `{0}` is not on PATH: {1}', agentName, install) : vscode.l10n.t('the agent `{0}` is not on PATH', agentName));
  }
  const git = await findOnPath('git');
  if (!git) missing.push(vscode.l10n.t('git is not on PATH: every run works on a git branch'));
  const relative = relativePathEntries();
  if (relative.length > 0) {
    notes.push(
      vscode.l10n.t(
        'PATH has relative entries ({0}): Chant ignores them and runs programs only from the absolute folders of PATH, since a relative entry would pick a program the repository ships.',
        relative.join(', '),
      ),
    );
  }
  return { runner, agent, chant, missing, notes };
}
