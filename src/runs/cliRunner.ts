// The chant CLI runner: `chant work <id>` in the spec's terminal with cwd = the project root, and
// the chant commands that follow a run (merge, finalize, log, pause, takeover). Every word of every
// line is quoted; chant owns the process, the registry only watches it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { privateRunDir, shellScript, shJoin, wrapAgentRun, writeShellScript } from '../core/workflow/commandLine';
import { isRunnableSpecId } from '../core/spec/ids';
import type { SpecIndex } from '../core/project/specIndex';
import type { Spec } from '../core/spec/types';
import { findOnPath } from '../workspace/executables';
import type { RunContext } from './context';
import type { RunInfo } from './runRegistry';
import { runInTerminal } from './terminalRun';
import { phaseName, settings } from '../settings';


export interface CliWorkOptions {
  /** The user chose "Work Anyway" over unmet dependencies (false: they did not). */
  workAnyway?: boolean;
  /** Extra `chant work` flags (e.g. `--skip-deps`). */
  cliFlags?: string[];
  quietOnSuccess?: boolean;
}

/** The chant executable: `chant.cliPath`, else `chant` from PATH. */
export function cliCommand(): string {
  return settings.cliPath.value || 'chant';
}

/**
 * The configured chant CLI as the absolute path that runs (PATH's absolute entries only, so a `chant`
 * the repository ships is never picked from the terminal's cwd); undefined when there is none.
 */
export function cliExecutable(): Promise<string | undefined> {
  return findOnPath(cliCommand());
}

/** Whether the configured chant CLI can be run. */
export async function cliAvailable(): Promise<boolean> {
  return (await cliExecutable()) !== undefined;
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
export async function startCliRun(ctx: RunContext, index: SpecIndex, spec: Spec, flags: string[], run: RunInfo): Promise<RunInfo> {
  // The checks refuse other ids already; this is the last line before a program sees one.
  if (!isRunnableSpecId(spec.id)) {
    ctx.registry.forget(run);
    throw new Error(`${JSON.stringify(spec.id)} is not a chant spec id, so it is never passed to chant.`);
  }
  const root = index.paths.root;
  const cli = await cliExecutable();
  if (!cli) {
    ctx.registry.forget(run);
    throw new Error(`The chant CLI was not found (${cliCommand()}).`);
  }
  // The wrapper's status file lives in the script's private folder, outside the project: a link
  // the repository commits under .chant/ is never written through.
  const runDir = await privateRunDir();
  const statusFile = path.join(runDir, 'status.json');
  const agentLine = shJoin([cli, 'work', ...flags, spec.id]);
  const { line } = await writeShellScript(shellScript({ cwd: root, label: 'chant work', steps: [{ line: wrapAgentRun({ agentLine, env: { CHANT_SPEC_ID: spec.id }, statusFile }) }] }), 'chant-work', runDir);
  const terminal = ctx.terminals.forSpec(root, spec.id, spec.title, root, run.phase);
  terminal.show(true);
  // chant writes its own log (assistant text only): the Runs view follows it from here on.
  const logFile = path.join(index.paths.chantDir, 'logs', `${spec.id}.log`);
  // chant picks the agent from config.md (claude, kirocli, ollama, openai): the row names that provider and model.
  const provider = index.config.provider || 'claude';
  ctx.registry.update(run, {
    state: 'running',
    statusFile,
    logFile,
    agent: `chant work · ${provider}`,
    format: 'plain',
    ...(index.config.defaultModel ? { model: index.config.defaultModel } : {}),
    branch: `${index.config.branchPrefix}${spec.id}`,
  });
  void ctx.logs.follow(run);
  void runInTerminal({ terminal, line, statusFile }).then(async (result) => {
    await fs.rm(statusFile, { force: true });
    await ctx.logs.settle(run);
    ctx.registry.update(run, { exitCode: result.exitCode, reason: result.exitCode === 0 ? undefined : `chant work exited with ${result.exitCode ?? 'no exit code'}` });
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
    if (args) await sendToCli(ctx, root, spec, args);
  });
  return run;
}

/**
 * `chant <args>` in the project root, from the spec's terminal. The command goes into a script run
 * by `sh`, so the terminal line holds only the script's path, whatever the user's shell.
 */
export async function sendToCli(ctx: RunContext, root: string, spec: Spec, args: string[]): Promise<void> {
  if (!isRunnableSpecId(spec.id)) throw new Error(`${JSON.stringify(spec.id)} is not a chant spec id, so it is never passed to chant.`);
  const cli = await cliExecutable();
  if (!cli) throw new Error(`The chant CLI was not found (${cliCommand()}).`);
  const { line } = await writeShellScript(shellScript({ cwd: root, label: `chant ${args[0]}`, steps: [[cli, ...args]] }), 'chant');
  const terminal = ctx.terminals.forSpec(root, spec.id, spec.title, root, phaseName(spec));
  terminal.show(true);
  terminal.sendText(line, true);
}

/**
 * Stops the run's terminal (the agent with it) and runs `chant <args>` in a fresh one in the
 * project root: how Pause and Take Over hand a CLI run back to chant.
 */
export function handToCli(ctx: RunContext, root: string, spec: Spec, args: string[]): Promise<void> {
  ctx.terminals.close(root, spec.id);
  const run = ctx.registry.get(spec.id, root);
  if (run) {
    ctx.registry.update(run, { state: 'stopped' });
    ctx.registry.finish(run);
  }
  return sendToCli(ctx, root, spec, args);
}
