// The chant CLI runner: `chant work <id>` in the spec's terminal with cwd = the project root, and
// the chant commands that follow a run (merge, finalize, log, pause, takeover). Every word of every
// line is quoted; chant owns the process, the registry only watches it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { shQuote, wrapAgentRun } from '../core/workflow/commandLine';
import type { SpecIndex } from '../core/project/specIndex';
import type { Spec } from '../core/spec/types';
import { findOnPath } from '../workspace/executables';
import type { RunContext } from './context';
import type { RunInfo } from './runRegistry';
import { runInTerminal } from './terminalRun';

export interface CliWorkOptions {
  /** The user chose "Work Anyway" over unmet dependencies (false: they did not). */
  workAnyway?: boolean;
  /** Extra `chant work` flags (e.g. `--skip-deps`). */
  cliFlags?: string[];
  quietOnSuccess?: boolean;
}

/** The chant executable: `chant.cliPath`, else `chant` from PATH. */
export function cliCommand(): string {
  return vscode.workspace.getConfiguration('chant').get<string>('cliPath', '').trim() || 'chant';
}

/** Whether the configured chant CLI can be run. */
export async function cliAvailable(): Promise<boolean> {
  const cli = cliCommand();
  return path.isAbsolute(cli) ? fs.access(cli, 1).then(() => true, () => false) : (await findOnPath(cli)) !== undefined;
}

/**
 * The `chant work` flags a run needs: `--skip-deps` when the user chose "Work Anyway" over unmet
 * dependencies (chant would refuse otherwise), `--allow-no-commits` for a research spec in silent
 * mode (its document is git-excluded, so there is nothing to commit), plus any asked for.
 */
export function cliFlagsFor(index: SpecIndex, spec: Spec, blocked: boolean, options: CliWorkOptions): string[] {
  const flags = new Set<string>();
  if (blocked && options.workAnyway !== false) flags.add('--skip-deps');
  if (index.silent && spec.type === 'research') flags.add('--allow-no-commits');
  for (const flag of options.cliFlags ?? []) if (/^--[a-z][a-z-]*(=[\w.-]+)?$/.test(flag)) flags.add(flag);
  return [...flags];
}

/** Starts `chant work <id>`; the registry follows it until the wrapper reports its exit. */
export async function startCliRun(ctx: RunContext, index: SpecIndex, spec: Spec, flags: string[], quietOnSuccess: boolean): Promise<RunInfo> {
  const root = index.paths.root;
  const run = ctx.registry.begin(root, spec.id, 'cli', quietOnSuccess);
  const statusFile = path.join(index.paths.chantDir, 'tmp', `vscode-run-${spec.id}.json`);
  await fs.mkdir(path.dirname(statusFile), { recursive: true });
  await fs.rm(statusFile, { force: true });
  const chantLine = [shQuote(cliCommand()), 'work', shQuote(spec.id), ...flags.map(shQuote)].join(' ');
  const line = `cd ${shQuote(root)} && ${wrapAgentRun({ agentLine: chantLine, env: { CHANT_SPEC_ID: spec.id }, statusFile })}`;
  const terminal = ctx.terminals.forSpec(root, spec.id, spec.title, root);
  terminal.show(true);
  ctx.registry.update(run, { state: 'running' });
  void runInTerminal({ terminal, line, statusFile }).then(async (result) => {
    await fs.rm(statusFile, { force: true });
    ctx.registry.update(run, { exitCode: result.exitCode });
    ctx.registry.finish(run, result.exitCode === 0 ? 'completed' : 'failed');
    if (run.state === 'stopped') return;
    // A phase chain asks what comes next itself.
    if (result.exitCode === 0 && run.quietOnSuccess) return;
    const merge = 'chant merge';
    const finalize = 'chant finalize';
    const showLog = 'chant log';
    const message = result.exitCode === 0 ? `chant work ${spec.id} finished.` : `chant work ${spec.id} exited with ${result.exitCode ?? 'no exit code'}.`;
    const choice = await vscode.window.showInformationMessage(message, merge, finalize, showLog);
    const args = choice === merge ? ['merge', spec.id] : choice === finalize ? ['finalize', spec.id] : choice === showLog ? ['log', spec.id, '--no-follow'] : undefined;
    if (args) sendToCli(ctx, root, spec, args);
  });
  return run;
}

/** `cd <root> && chant <args>` in the spec's terminal, every word quoted. */
export function sendToCli(ctx: RunContext, root: string, spec: Spec, args: string[]): void {
  const terminal = ctx.terminals.forSpec(root, spec.id, spec.title, root);
  terminal.show(true);
  terminal.sendText(`cd ${shQuote(root)} && ${[cliCommand(), ...args].map(shQuote).join(' ')}`, true);
}

/**
 * Stops the run's terminal (the agent with it) and runs `chant <args>` in a fresh one in the
 * project root: how Pause and Take Over hand a CLI run back to chant.
 */
export function handToCli(ctx: RunContext, root: string, spec: Spec, args: string[]): void {
  ctx.terminals.close(root, spec.id);
  const run = ctx.registry.get(spec.id, root);
  if (run) {
    ctx.registry.update(run, { state: 'stopped' });
    ctx.registry.finish(run);
  }
  sendToCli(ctx, root, spec, args);
}
