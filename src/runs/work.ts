// Work Spec and Work Next Ready: the checks before a run, the runner (direct or chant CLI), and for
// the direct runner the branch, the agent in the spec's terminal, and finishing when it exits. The
// git and file work is in directRun.ts (no vscode); this flow adds the questions and notifications.
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { readinessOf } from '../core/project/readiness';
import { runChecks } from '../core/workflow/runChecks';
import { outsideEntries, ProjectFiles } from '../core/project/containment';
import type { SpecIndex } from '../core/project/specIndex';
import type { Spec } from '../core/spec/types';
import { RunGit, RunGitError, type Isolation } from '../git/runGit';
import { log, showError } from '../log';
import { rewriteSpecFile } from '../workspace/specWriter';
import { cliAvailable, cliCommand, cliFlagsFor, startCliRun, type CliWorkOptions } from './cliRunner';
import type { RunContext } from './context';
import { finishDirectRun, prepareDirectRun, sensitiveInputs, specBranch, type RunPlan } from './directRun';
import { isActive, planFields, runProcessAlive, type RunInfo, type RunnerKind, type RunStart } from './runRegistry';
import { readStatus, runInTerminal, type TerminalRunResult } from './terminals';
import { findOnPath } from '../workspace/executables';
import { phaseName, settings } from '../settings';
import { investigationKeyOf } from '../core/workflow/phases';
import type { AgentPick } from '../core/runs/agents/presets';
import { followRestoredActions, startActions } from './actionsRunner';
import { noticeRunEnded } from './runNotices';
import { chooseSecond } from '../views/questions';

export interface WorkOptions extends CliWorkOptions {
  /** Skip the questions with these answers (tests, chains, other commands). */
  rerun?: boolean;
  startOver?: boolean;
  stashDirty?: boolean;
  runner?: RunnerKind;
  /** Resolve when the run has finished rather than when it has started. */
  waitForFinish?: boolean;
  /** Work even though some entries point outside the project (they are left out of the prompt). */
  withoutOutside?: boolean;
  /** Send inputs that are git-ignored or named like secrets without asking (the user agreed). */
  withSensitive?: boolean;
  /** Work a spec chant grades 🔴 Refine without asking. */
  despiteGrade?: boolean;
  /** Files of an old worktree Start Over may delete (the user was asked). */
  confirmedDeletes?: readonly string[];
  /** A run registered as queued (parallel work): it is started instead of a new one. */
  queuedRun?: RunInfo;
  /** The parallel batch: its runs' ends are reported once for the batch, not one by one. */
  batch?: string;
  /** The agent and model for this run (a batch's pick); default: the workspace's pick. */
  agent?: AgentPick;
  /** The key of the Work Phase Chain that starts the run. */
  chain?: string;
  /** Overrides chant.isolation (a parallel batch always uses worktrees). */
  isolation?: Isolation;
}

/** What the registry and the Runs view know of a run from its spec: title, phase, investigation. */
export function runStartOf(spec: Spec, options: WorkOptions): RunStart {
  return {
    quietOnSuccess: options.quietOnSuccess ?? false,
    title: spec.title,
    phase: phaseName(spec),
    investigation: investigationKeyOf(spec),
    batch: options.batch,
    chain: options.chain,
  };
}

/** The registered queued run made live, or a new run. */
export function beginRun(ctx: RunContext, root: string, spec: Spec, runner: RunnerKind, options: WorkOptions): RunInfo {
  const queued = options.queuedRun;
  if (queued && queued.state === 'queued') {
    ctx.registry.update(queued, { state: 'starting', runner, startedAt: Date.now(), waitsFor: undefined });
    return queued;
  }
  return ctx.registry.begin(root, spec.id, runner, runStartOf(spec, options));
}

/** Specs Work Spec offers in its picker. */
export function isWorkable(spec: Spec): boolean {
  return !spec.archived && spec.status !== 'completed' && spec.status !== 'cancelled';
}

let claimCount = 0;

/**
 * `chant.workSpec` on a resolved spec. The spec is claimed (synchronously, before the first await)
 * until the run ends: a second Work, Continue or Start Over meanwhile is refused and changes nothing.
 */
export async function workSpec(
  ctx: RunContext,
  index: SpecIndex,
  spec: Spec,
  options: WorkOptions = {},
): Promise<RunInfo | undefined> {
  const root = index.paths.root;
  const owner = options.batch ?? `work#${++claimCount}`;
  if (!ctx.registry.claim(root, spec.id, owner)) {
    const running = ctx.registry.isRunning(spec.id, root);
    const show = vscode.l10n.t('Show Terminal');
    const message = running
      ? vscode.l10n.t('{0} is already running.', spec.id)
      : vscode.l10n.t('{0} is being started already.', spec.id);
    void vscode.window
      .showInformationMessage(message, ...(running ? [show] : []))
      .then((choice) => choice === show && ctx.terminals.of(spec.id, root)?.show());
    return ctx.registry.get(spec.id, root);
  }
  let run: RunInfo | undefined;
  try {
    run = await claimedWork(ctx, index, spec, options);
  } finally {
    // Held until the run ends; given back at once when nothing started.
    const started = run;
    if (started && isActive(started)) void started.done.then(() => ctx.registry.release(root, spec.id, owner));
    else ctx.registry.release(root, spec.id, owner);
  }
  if (run && options.waitForFinish) await run.done;
  return run;
}

async function claimedWork(
  ctx: RunContext,
  index: SpecIndex,
  spec: Spec,
  options: WorkOptions,
): Promise<RunInfo | undefined> {
  const runner = options.runner ?? (await chooseRunner());
  if (!(await passesChecks(index, spec, runner, options))) return undefined;
  const root = index.paths.root;
  let run: RunInfo | undefined;
  if (runner === 'cli') {
    if (!(await cliAvailable())) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t(
          'The chant CLI was not found ({0}). Install chant, set chant.cliPath to its executable, or set chant.runner to "direct" to run the agent without it.',
          cliCommand(),
        ),
      );
      return undefined;
    }
    const blocked = (index.readiness(spec.id) ?? readinessOf(spec, index.specs)).workBlockers.length > 0;
    run = await startCliRun(
      ctx,
      index,
      spec,
      cliFlagsFor(index, spec, blocked, options),
      beginRun(ctx, root, spec, 'cli', options),
    );
  } else if (runner === 'actions') {
    run = await startActions(ctx, index, spec, beginRun(ctx, root, spec, 'actions', options), options);
  } else {
    run = await startDirect(ctx, index, spec, options);
  }
  return run;
}

/** `chant.workNextReady`: the first ready spec, in id order across projects. */
export async function workNextReady(ctx: RunContext, options: WorkOptions = {}): Promise<RunInfo | undefined> {
  await ctx.projects.ready();
  for (const index of ctx.projects.projects()) {
    for (const spec of index.sorted()) {
      if (index.readiness(spec.id)?.ready && spec.type !== 'group' && !ctx.registry.isRunning(spec.id, index.paths.root) && spec.title) {
        return workSpec(ctx, index, spec, options);
      }
    }
  }
  void vscode.window.showInformationMessage(vscode.l10n.t('No spec is ready to work: every pending spec waits for a dependency, approval or an earlier sibling.'));
  return undefined;
}

/**
 * After a window reload: the runs an earlier window started whose agents still work are registered
 * again (so nobody starts a second agent on them), followed through their status files, and
 * finished as if they had never been left.
 */
export async function reattachRuns(ctx: RunContext): Promise<void> {
  // Finishing a run runs git: not in Restricted Mode (the runs stay saved for a trusted window).
  if (!vscode.workspace.isTrusted) return;
  await ctx.projects.ready();
  for (const run of await ctx.registry.restore()) void (run.runner === 'actions' ? followRestoredActions(ctx, run) : followRestored(ctx, run));
}

const RESTORED_POLL_MS = 1000;

async function followRestored(ctx: RunContext, run: RunInfo): Promise<void> {
  log.info(`Run ${run.id}: re-attached after a reload (${run.statusFile})`);
  void ctx.logs.follow(run);
  let exitCode: number | undefined;
  for (;;) {
    if (run.state === 'stopped') return ctx.registry.finish(run);
    const status = await readStatus(run.statusFile);
    if (status?.status === 'done') {
      exitCode = status.exitCode;
      break;
    }
    // The agent's process is gone without a word: it did not finish.
    if (status?.status !== 'working' || !runProcessAlive(status)) break;
    await new Promise((resolve) => setTimeout(resolve, RESTORED_POLL_MS));
  }
  const found = ctx.projects.findSpec(run.id);
  if (run.runner === 'direct' && run.plan && found) return finishDirect(ctx, run, found.index, { exitCode, via: 'status-file' });
  await ctx.logs.settle(run);
  ctx.registry.update(run, { exitCode });
  ctx.registry.finish(run, exitCode === 0 ? 'completed' : 'failed');
}

/** The pre-run checks (core/workflow/runChecks.ts) with their facts gathered; false when the run must not start. */
async function passesChecks(index: SpecIndex, spec: Spec, runner: RunnerKind, options: WorkOptions): Promise<boolean> {
  const git = await RunGit.open(index.paths.root).catch((error: unknown) => error as Error);
  const promptExists = spec.prompt
    ? await fs.stat(index.paths.promptFile(spec.prompt)).then(
        () => true,
        () => false,
      )
    : true;
  const checks = runChecks({
    spec,
    readiness: index.readiness(spec.id) ?? readinessOf(spec, index.specs),
    gitProblem: git instanceof Error ? git.message : undefined,
    hasCommits: git instanceof Error ? false : await git.hasCommits(),
    promptExists,
    rerun: options.rerun,
    workAnyway: options.workAnyway,
    filesWithId: index.filesOf(spec.id),
    outside: await outsideEntries(spec, index.config.promptExtensions, new ProjectFiles(index.paths.root)),
    withoutOutside: options.withoutOutside,
    sensitive: git instanceof Error ? [] : await sensitiveInputs(index.paths.root, spec, git),
    withSensitive: options.withSensitive,
    text: await fs.readFile(spec.path, 'utf8').catch(() => undefined),
    despiteGrade: options.despiteGrade,
    runner,
  });
  for (const check of checks) {
    if (check.kind === 'refuse') {
      void vscode.window.showWarningMessage(check.message);
      return false;
    }
    const choice = await vscode.window.showWarningMessage(
      check.message,
      { modal: true, detail: check.detail },
      check.action,
    );
    if (choice !== check.action) return false;
  }
  return true;
}

export async function chooseRunner(): Promise<RunnerKind> {
  const setting = settings.runner.value;
  if (setting === 'cli' || setting === 'direct' || setting === 'actions') return setting;
  if (settings.cliPath.value) return 'cli';
  return (await findOnPath('chant')) ? 'cli' : 'direct';
}

async function startDirect(
  ctx: RunContext,
  index: SpecIndex,
  spec: Spec,
  options: WorkOptions,
): Promise<RunInfo | undefined> {
  const isolation: Isolation = options.isolation ?? settings.isolation.value;
  const git = await RunGit.open(index.paths.root);
  const branch = specBranch(index.config, spec.id);
  let startOver = options.startOver;
  if (startOver === undefined && (await git.branchExists(branch))) {
    startOver = await chooseSecond(
      vscode.l10n.t(
        '{0} already exists (an earlier run). Continue on it, or start over from {1}?',
        branch,
        index.config.mainBranch,
      ),
      vscode.l10n.t('Start over keeps the old branch under a backup name; no commit is deleted.'),
      vscode.l10n.t('Continue'),
      vscode.l10n.t('Start Over'),
    );
    if (startOver === undefined) return undefined;
  }
  let stashDirty = options.stashDirty;
  if (isolation === 'checkout' && stashDirty === undefined && (await git.dirtyPaths(undefined, true)).length > 0) {
    const stash = vscode.l10n.t('Stash and Continue');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        'Checkout isolation switches this working tree to the spec branch, and it has uncommitted changes.',
      ),
      {
        modal: true,
        detail: vscode.l10n.t(
          'Stash them (git stash push), or cancel and commit them first. Worktree isolation (chant.isolation) leaves this checkout alone.',
        ),
      },
      stash,
    );
    if (choice !== stash) return undefined;
    stashDirty = true;
  }
  const root = index.paths.root;
  const run = beginRun(ctx, root, spec, 'direct', options);
  let plan: RunPlan;
  try {
    plan = await prepareDirectRun({
      paths: index.paths,
      config: index.config,
      spec,
      silent: index.silent,
      isolation,
      worktreeFolder: settings.worktreeFolder.value,
      agentCommand: settings.agentCommand.value,
      agent: options.agent ?? ctx.agents.pick(),
      startOver,
      confirmedDeletes: options.confirmedDeletes,
      stashDirty,
      env: process.env,
      writeSpec: rewriteSpecFile,
    });
  } catch (error) {
    ctx.registry.finish(run, 'failed');
    ctx.registry.forget(run);
    if (error instanceof RunGitError && error.reason === 'would-delete') {
      // Start Over would delete files of the old worktree that are not the run's outputs: ask.
      const remove = vscode.l10n.t('Delete Them and Start Over');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('Starting {0} over would delete files in its old worktree that no run produced.', spec.id),
        {
          modal: true,
          detail:
            error.files.slice(0, 20).join('\n') +
            (error.files.length > 20 ? `\n… and ${error.files.length - 20} more` : ''),
        },
        remove,
      );
      return choice === remove
        ? startDirect(ctx, index, spec, { ...options, startOver: true, confirmedDeletes: error.files })
        : undefined;
    }
    if (error instanceof RunGitError)
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not start {0}: {1}', spec.id, error.message));
    else void showError(vscode.l10n.t('Could not start {0}', spec.id), error);
    return undefined;
  }
  for (const notice of plan.notices) void vscode.window.showInformationMessage(notice);
  log.info(`Run ${spec.id}: ${plan.continued ? 'continuing' : 'new'} branch ${plan.branch} in ${plan.workDir}`);
  const terminal = ctx.terminals.forSpec(root, spec.id, spec.title, plan.workDir, run.phase);
  if (!options.batch) terminal.show(true);
  ctx.registry.update(run, { plan, state: 'running', ...planFields(plan) });
  void ctx.logs.follow(run);
  // The line is `sh <script>` only: the script changes to the work folder itself, so no path or
  // other repository text is on the interactive line, whatever the user's shell.
  void runInTerminal({ terminal, line: plan.commandLine, statusFile: plan.statusFile }).then(
    (result) => finishDirect(ctx, run, index, result),
    (error: unknown) => {
      ctx.registry.finish(run, 'failed');
      void showError(vscode.l10n.t('The run of {0} could not be tracked', spec.id), error);
    },
  );
  return run;
}

async function finishDirect(
  ctx: RunContext,
  run: RunInfo,
  index: SpecIndex,
  outcome: TerminalRunResult,
): Promise<void> {
  const plan = run.plan!;
  await ctx.logs.settle(run);
  if (run.state === 'stopped') {
    ctx.registry.finish(run);
    return;
  }
  ctx.registry.update(run, { state: 'finishing', exitCode: outcome.exitCode });
  try {
    const result = await finishDirectRun(plan, outcome.exitCode, {
      writeSpec: rewriteSpecFile,
      projectPaths: index.paths,
    });
    // The file watcher misses changes under some folder names (`$(`, `?`): read the spec now.
    await ctx.projects.refresh([plan.specFile]).catch(() => undefined);
    // The row says why when the outcome differs from what the agent's exit status said.
    ctx.registry.update(run, { result, reason: result.status === 'failed' ? result.reason : result.overridesExit });
    // A completed run with commits waits for review and merge (a chain's row asks for its phases).
    const need =
      result.status === 'completed' && result.commits.length > 0 && !run.quietOnSuccess ? 'merge' : undefined;
    ctx.registry.finish(run, result.status, need);
    log.info(
      `Run ${run.id} ${result.status}${result.reason ? `: ${result.reason}` : ''}; commits ${result.commits.join(', ') || 'none'}; copied back ${result.copiedBack.join(', ') || 'nothing'}`,
    );
    // Files kept beside a newer main copy, criteria that no longer exist: the user must know.
    for (const notice of result.notices) void vscode.window.showWarningMessage(notice);
    if (result.status === 'completed' && run.quietOnSuccess) return; // the caller (a chain) asks what next
    if (run.batch) return; // the batch reports once for all its runs
    await noticeRunEnded(ctx, run);
  } catch (error) {
    ctx.registry.finish(run, 'failed');
    void showError(vscode.l10n.t('Finishing the run of {0} failed', run.id), error);
  }
}

/** The notices already shown, by run and event: one notification per event, never two. */
