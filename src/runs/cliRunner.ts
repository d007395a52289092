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
import { runInTerminal, sendToTerminal } from './terminals';
import { phaseName, settings } from '../settings';
import { RunGit } from '../git/runGit';
import { readProjectFile } from '../core/project/safeFiles';
import { chantStatusError, cliRunOutcome, isChantWatchCommandLine, lastLogLine, watchPidOf, type CliRunOutcome } from '../core/runs/cliOutcome';
import { oneLine } from '../core/present/plainText';
import { mergeSpec } from './merge';
import { reviewChanges } from './review';


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
 * The `chant work` flags a run needs: `--no-watch` always (chant would otherwise start a `chant
 * watch` daemon that outlives VS Code, which the user never asked for), `--skip-deps` when the user
 * chose "Work Anyway" over unmet dependencies (chant would refuse otherwise), `--allow-no-commits`
 * for a research spec in silent mode (its document is git-excluded, so there is nothing to commit),
 * plus any asked for.
 */
export function cliFlagsFor(index: SpecIndex, spec: Spec, blocked: boolean, options: CliWorkOptions): string[] {
  const flags = new Set<string>(['--no-watch']);
  if (blocked && options.workAnyway !== false) flags.add('--skip-deps');
  if (index.silent && spec.type === 'research') flags.add('--allow-no-commits');
  for (const flag of options.cliFlags ?? []) if (/^--[a-z][a-z-]*(=[\w.-]+)?$/.test(flag)) flags.add(flag);
  return [...flags];
}

/** Starts `chant work <id>`; the registry follows it until the wrapper reports its exit. */
export async function startCliRun(
  ctx: RunContext,
  index: SpecIndex,
  spec: Spec,
  flags: string[],
  run: RunInfo,
): Promise<RunInfo> {
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
  const { line } = await writeShellScript(
    shellScript({
      cwd: root,
      label: 'chant work' /* l10n-exempt: the script's comment */,
      steps: [{ line: wrapAgentRun({ agentLine, env: { CHANT_SPEC_ID: spec.id }, statusFile }) }],
    }),
    'chant-work',
    runDir,
  );
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
  const statusBefore = spec.status;
  void runInTerminal({ terminal, line, statusFile }).then(async (result) => {
    await fs.rm(statusFile, { force: true });
    await ctx.logs.settle(run);
    // Pause and Take Over ended it already (handToCli).
    if (run.state === 'stopped') return;
    const outcome = await cliOutcomeOf(ctx, index, spec, statusBefore, run, result.exitCode);
    void showChantWatch(index.paths.root, index.paths.chantDir);
    ctx.registry.update(run, { exitCode: result.exitCode, reason: outcome.reason });
    ctx.registry.finish(run, outcome.state, outcome.need);
    // A phase chain asks what comes next itself.
    if (outcome.state === 'completed' && run.quietOnSuccess) return;
    await noticeCliRunEnded(ctx, index, spec, run, outcome);
  });
  return run;
}

/** What the run left: the spec's status, chant's status file and log, the branch's unmerged commits. */
async function cliOutcomeOf(
  ctx: RunContext,
  index: SpecIndex,
  spec: Spec,
  statusBefore: string,
  run: RunInfo,
  exitCode: number | undefined,
): Promise<CliRunOutcome> {
  await ctx.projects.refresh([spec.path]).catch(() => undefined);
  const after = ctx.projects.findSpec(spec.id)?.spec;
  const mtime = await fs.stat(spec.path).then(
    (st) => st.mtimeMs,
    () => 0,
  );
  const branch = run.branch ?? `${index.config.branchPrefix}${spec.id}`;
  const git = await RunGit.open(index.paths.root).catch(() => undefined);
  const unmerged =
    git && (await git.branchExists(branch)) ? (await git.commitsAhead(branch, index.config.mainBranch)).length : 0;
  // chant's files, read only through real folders: a link the repository placed is not chant's.
  const root = index.paths.root;
  const chantStatus = await readProjectFile(root, path.join(index.paths.specsDir, `.chant-status-${spec.id}.json`)).catch(() => undefined);
  const log = run.logFile ? await readTail(root, run.logFile) : undefined;
  return cliRunOutcome({
    exitCode,
    statusBefore,
    statusAfter: after?.status,
    specWritten: mtime >= run.startedAt,
    chantError: chantStatusError(chantStatus),
    branch,
    unmergedCommits: unmerged,
    logTail: log === undefined ? undefined : lastLogLine(log),
  });
}

/** Watches already shown, by pid: said once per window. */
const shownWatches = new Set<number>();

/**
 * A `chant watch` daemon of this project (one started earlier without `--no-watch`, or by hand)
 * finalizes and merges specs and marks runs it thinks stale as failed, out of sight: say that it runs.
 * chant records it in `.chant/watch.pid`; as chant does, the pid counts only while its process is a
 * `chant watch` (Linux: /proc/<pid>/cmdline), so a reused pid is not mistaken for it.
 */
async function showChantWatch(root: string, chantDir: string): Promise<void> {
  const pid = watchPidOf(await readProjectFile(root, path.join(chantDir, 'watch.pid')).catch(() => undefined));
  if (pid === undefined || shownWatches.has(pid)) return;
  const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  if (cmdline === undefined || !isChantWatchCommandLine(cmdline)) return;
  shownWatches.add(pid);
  const stop = vscode.l10n.t('Stop chant watch');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('A chant watch daemon (pid {0}) runs in the background for this project: it finalizes and merges specs and marks runs it thinks stale as failed. Runs started here use --no-watch.', String(pid)),
    stop,
  );
  if (choice === stop) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch (error) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Could not stop chant watch (pid {0}): {1}', String(pid), error instanceof Error ? error.message : String(error)));
    }
  }
}

/** The last 8 kB of a run's log, read only through real folders (a log can be large; read once, as the run ends). */
async function readTail(root: string, file: string): Promise<string | undefined> {
  const text = await readProjectFile(root, file).catch(() => undefined);
  return text === undefined ? undefined : text.slice(-8192);
}

/** One notification, with the actions that fit: merge only a completed spec with unmerged commits. */
async function noticeCliRunEnded(
  ctx: RunContext,
  index: SpecIndex,
  spec: Spec,
  run: RunInfo,
  outcome: CliRunOutcome,
): Promise<void> {
  const name = spec.title ? `"${oneLine(spec.title, 60)}"` : spec.id;
  const review = vscode.l10n.t('Review Changes');
  const merge = vscode.l10n.t('Merge');
  const showLog = vscode.l10n.t('Open Log');
  const actions = outcome.mergeable ? [review, merge, showLog] : outcome.state === 'stopped' ? [] : [showLog];
  const message =
    outcome.state === 'completed'
      ? outcome.mergeable
        ? vscode.l10n.t('chant work completed {0}; {1} waits for review and merge.', name, run.branch ?? '')
        : vscode.l10n.t('chant work completed {0}.', name)
      : outcome.state === 'stopped'
        ? vscode.l10n.t('chant work on {0}: {1}.', name, outcome.reason ?? '')
        : vscode.l10n.t('chant work on {0} failed: {1}', name, outcome.reason ?? '');
  const show = outcome.state === 'failed' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const choice = await show(message, ...actions);
  if (choice === review) await reviewChanges(ctx, index, spec);
  else if (choice === merge) {
    const current = ctx.projects.findSpec(spec.id);
    if (current) await mergeSpec(ctx, current.index, current.spec);
  } else if (choice === showLog) await ctx.logs.open(run);
}

/**
 * `chant <args>` in the project root, from the spec's terminal. The command goes into a script run
 * by `sh`, so the terminal line holds only the script's path, whatever the user's shell.
 */
export async function sendToCli(ctx: RunContext, root: string, spec: Spec, args: string[]): Promise<void> {
  if (!isRunnableSpecId(spec.id)) throw new Error(`${JSON.stringify(spec.id)} is not a chant spec id, so it is never passed to chant.`);
  const cli = await cliExecutable();
  if (!cli) throw new Error(`The chant CLI was not found (${cliCommand()}).`);
  const { line } = await writeShellScript(shellScript({ cwd: root, label: `chant ${args[0]}` /* l10n-exempt: the script's comment */, steps: [[cli, ...args]] }), 'chant');
  const terminal = ctx.terminals.forSpec(root, spec.id, spec.title, root, phaseName(spec));
  terminal.show(true);
  sendToTerminal(terminal, line, `chant ${args[0]} ${spec.id}`);
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
