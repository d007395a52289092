// Work Specs in Parallel: a batch of ready specs, each in its own worktree, at most
// `chant.parallel.maxAgents` agents at once; the rest wait in the Runs view's Queued group, and two
// specs whose target_files overlap never run at the same time (core/runs/parallelSchedule.ts). With
// the chant CLI runner the batch is chant's own `chant work --parallel=N <ids>`.
import * as vscode from 'vscode';
import { nextToStart, type BatchItem } from '../core/runs/parallelSchedule';
import type { SpecIndex } from '../core/project/specIndex';
import type { Spec } from '../core/spec/types';
import { isRunnableSpecId } from '../core/spec/ids';
import { shellScript, writeShellScript } from '../core/workflow/commandLine';
import { investigationKeysOf } from '../core/workflow/phases';
import { pickSpecs } from '../views/pickers';
import { actionsSettings, phaseName, settings } from '../settings';
import { cliCommand, cliExecutable } from './cliRunner';
import type { RunContext } from './context';
import { pauseRun } from './pause';
import { isActive, type RunInfo, type RunRegistry } from './runRegistry';
import { RunGit } from '../git/runGit';
import { sendToTerminal } from './terminals';
import { chooseRunner, runStartOf, workSpec } from './work';

export interface ParallelOptions {
  /** The specs (ids) to work, skipping the pickers (tests, other commands). */
  ids?: string[];
  maxAgents?: number;
  runner?: 'direct' | 'cli' | 'actions';
}

/** Ready, workable specs of a project (what a batch may hold). */
function readySpecs(ctx: RunContext, index: SpecIndex): Spec[] {
  return index.sorted().filter((s) => index.readiness(s.id)?.ready && s.type !== 'group' && !s.archived && s.title && !ctx.registry.isRunning(s.id, index.paths.root));
}

/** Asks which specs: all ready ones, those of a phase, label or investigation, or a hand-picked set. */
async function pickBatch(ctx: RunContext): Promise<{ index: SpecIndex; specs: Spec[] } | undefined> {
  await ctx.projects.ready();
  const index = ctx.projects.projects().find((p) => readySpecs(ctx, p).length > 0);
  if (!index) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No spec is ready to work: every pending spec waits for a dependency, approval or an earlier sibling.'));
    return undefined;
  }
  const ready = readySpecs(ctx, index);
  type Scope = vscode.QuickPickItem & { specs?: Spec[] };
  const scopes: Scope[] = [{ label: vscode.l10n.t('$(checklist) Choose specs…'), description: vscode.l10n.t('{0} ready', ready.length) }, { label: vscode.l10n.t('$(run-all) All ready specs'), description: String(ready.length), specs: ready }];
  type KeysOf = (s: Spec) => readonly string[];
  const byKind = (separator: string, scopeLabel: (key: string) => string, keyOf: KeysOf): void => {
    const groups = new Map<string, Spec[]>();
    for (const s of ready) for (const k of keyOf(s)) groups.set(k, [...(groups.get(k) ?? []), s]);
    if (groups.size === 0) return;
    scopes.push({ label: separator, kind: vscode.QuickPickItemKind.Separator });
    for (const [k, specs] of groups) scopes.push({ label: scopeLabel(k), description: String(specs.length), specs });
  };
  byKind(vscode.l10n.t('Phase'), (k) => vscode.l10n.t('All ready specs of phase {0}', k), (s) => {
    const phase = phaseName(s);
    return phase ? [phase] : [];
  });
  byKind(vscode.l10n.t('Investigation'), (k) => vscode.l10n.t('All ready specs of investigation {0}', k), (s) => investigationKeysOf(s));
  byKind(vscode.l10n.t('Label'), (k) => vscode.l10n.t('All ready specs of label {0}', k), (s) => s.labels);
  const scope = await vscode.window.showQuickPick(scopes, { placeHolder: vscode.l10n.t('Work which specs in parallel?') });
  if (!scope) return undefined;
  if (scope.specs) return { index, specs: scope.specs };
  const picked = await pickSpecs(index, ready, { placeHolder: vscode.l10n.t('Specs to work in parallel') });
  return picked && picked.length > 0 ? { index, specs: picked } : undefined;
}

/** `chant.workParallel`. Resolves when the batch is over (every run ended, or the batch was cancelled). */
export async function workParallel(ctx: RunContext, options: ParallelOptions = {}): Promise<RunInfo[]> {
  let chosen: { index: SpecIndex; specs: Spec[] } | undefined;
  if (options.ids) {
    await ctx.projects.ready();
    const found = options.ids.map((id) => ctx.projects.findSpec(id)).filter((f): f is NonNullable<typeof f> => !!f);
    if (found.length > 0)
      chosen = { index: found[0].index, specs: found.filter((f) => f.index === found[0].index).map((f) => f.spec) };
  } else {
    chosen = await pickBatch(ctx);
  }
  if (!chosen || chosen.specs.length === 0) return [];
  const runner = options.runner ?? (await chooseRunner());
  // Runs on GitHub Actions have their own limit; the overlap rule holds for them too.
  const limit = runner === 'actions' ? actionsSettings().maxRuns : settings.maxAgents.value;
  const maxAgents = Math.max(1, Math.floor(options.maxAgents ?? limit));
  if (runner === 'cli') {
    await workParallelWithCli(ctx, chosen.index, chosen.specs, maxAgents);
    return [];
  }
  return runBatch(ctx, chosen.index, chosen.specs, maxAgents, runner);
}

async function runBatch(ctx: RunContext, index: SpecIndex, specs: Spec[], maxAgents: number, runner: 'direct' | 'actions'): Promise<RunInfo[]> {
  const root = index.paths.root;
  // The registry owns the batch (its state, saved with the runs); this loop is its scheduler.
  const batch = ctx.registry.beginBatch(root);
  const item = (run: RunInfo): BatchItem => ({ id: run.id, targetFiles: index.get(run.id)?.targetFiles ?? [] });
  // The batch claims its specs first: one already being started or worked (a Work call, a run
  // restored after a reload) is left to it, never queued again nor its Runs view entry replaced.
  const claimed = specs.filter((spec) => ctx.registry.claim(root, spec.id, batch.key));
  const refused = specs.filter((spec) => !claimed.includes(spec));
  if (refused.length > 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Not in the batch, already being worked: {0}', refused.map((spec) => spec.title ?? spec.id).join(', ')),
    );
  }
  // Every claimed spec is in the Runs view at once, queued; the scheduler makes them live in turn.
  const queue: RunInfo[] = claimed.map((spec) =>
    ctx.registry.begin(root, spec.id, runner, { ...runStartOf(spec, {}), batch: batch.key, queued: true }),
  );
  const all = [...queue];
  if (settings.isolation.value === 'checkout') {
    // One working tree cannot hold two branches at once: agents would commit on each other's.
    void vscode.window.showInformationMessage(vscode.l10n.t('Work Specs in Parallel runs each spec in its own worktree; chant.isolation "checkout" applies to single runs only.'));
  }
  const running: RunInfo[] = [];
  try {
    while (queue.length > 0 || running.length > 0) {
      if (batch.state === 'cancelled') {
        for (const run of queue.splice(0)) {
          ctx.registry.update(run, { reason: 'the batch was cancelled' });
          ctx.registry.finish(run, 'stopped');
        }
      }
      if (batch.state === 'running' && queue.length > 0) {
        const step = nextToStart(queue.map(item), running.map(item), maxAgents);
        if (step.start.length === 0 && running.length === 0) {
          // Nothing runs and nothing may start: a schedule that can never move. Say so, do not hang.
          for (const run of queue.splice(0)) {
            ctx.registry.update(run, { reason: 'could not be scheduled' });
            ctx.registry.finish(run, 'stopped');
          }
          break;
        }
        for (const run of queue) {
          const waits = step.waits.get(run.id);
          if (run.waitsFor !== waits) ctx.registry.update(run, { waitsFor: waits });
        }
        for (const id of step.start) {
          const run = queue.splice(queue.findIndex((r) => r.id === id), 1)[0];
          const spec = index.get(id);
          const started = spec ? await workSpec(ctx, index, spec, { queuedRun: run, batch: batch.key, runner, startOver: false, isolation: 'worktree' }) : undefined;
          if (started === run && isActive(run)) running.push(run);
          else if (run.state === 'queued') {
            ctx.registry.update(run, { reason: spec ? 'did not start' : 'the spec is gone' });
            ctx.registry.finish(run, 'stopped');
          }
        }
      }
      if (running.length === 0 && queue.length === 0) break;
      if (running.length === 0 && batch.state === 'running') continue;
      // Wait for a run to end or for the batch to be paused, resumed or cancelled.
      await Promise.race([ctx.registry.batchSignal(batch), ...running.map((run) => run.done)]);
      for (let i = running.length - 1; i >= 0; i--) if (!isActive(running[i])) running.splice(i, 1);
    }
  } finally {
    ctx.registry.endBatch(batch);
    for (const run of all) ctx.registry.release(root, run.id, batch.key);
  }
  const misplaced = await commitsOnOtherBranches(ctx.registry, index, all);
  const completed = all.filter((r) => r.state === 'completed').length;
  const failed = all.filter((r) => r.state === 'failed').length;
  const stopped = all.length - completed - failed;
  const open = vscode.l10n.t('Open Runs View');
  const summary = `Parallel batch done: ${completed} completed, ${failed} failed${stopped ? `, ${stopped} stopped` : ''}.`;
  const report = misplaced.length > 0 ? `${summary} ${misplaced.join(' ')}` : summary;
  void (
    misplaced.length > 0
      ? vscode.window.showWarningMessage(report, open)
      : vscode.window.showInformationMessage(report, open)
  ).then((choice) => choice && vscode.commands.executeCommand('chant.runs.focus'));
  return all;
}

/**
 * The batch's report checks that each run's commits are on its own branch: a `chant(<id>):` commit
 * of one spec on another's branch (agents sharing a tree) is named, and that run is marked.
 */
async function commitsOnOtherBranches(
  registry: RunRegistry,
  index: SpecIndex,
  runs: readonly RunInfo[],
): Promise<string[]> {
  const ids = new Set(runs.map((r) => r.id));
  const problems: string[] = [];
  const git = await RunGit.open(index.paths.root).catch(() => undefined);
  if (!git) return problems;
  for (const run of runs) {
    const plan = run.plan;
    if (!plan) continue;
    const subjects = await git.commitSubjects(plan.branch, plan.base).catch(() => []);
    const foreign = subjects.filter((c) => {
      const owner = /^chant\(([^)]+)\):/.exec(c.subject)?.[1];
      return owner !== undefined && owner !== run.id && ids.has(owner);
    });
    if (foreign.length === 0) continue;
    const message = vscode.l10n.t(
      "{0}'s branch {1} holds commits of other specs of the batch ({2}): check it before merging.",
      run.id,
      plan.branch,
      foreign.map((c) => `${c.sha} ${c.subject}`).join('; '),
    );
    problems.push(message);
    registry.update(run, { reason: message });
  }
  return problems;
}

/**
 * Pause (no new run starts; running ones go on), resume, or cancel (the queue is dropped, running
 * agents paused). After a window reload the batch has no scheduler left, but Cancel still pauses its
 * restored runs.
 */
export async function controlBatch(ctx: RunContext, batchKey: string | undefined, action: 'pause' | 'resume' | 'cancel'): Promise<void> {
  const batch = batchKey ? ctx.registry.batch(batchKey) : undefined;
  const scheduled = batch ? ctx.registry.controlBatch(batch.key, action) : false;
  const live = batch ? ctx.registry.all().filter((run) => run.batch === batch.key && isActive(run)) : [];
  if (!batch || (!scheduled && (action !== 'cancel' || live.length === 0))) {
    void vscode.window.showInformationMessage(vscode.l10n.t('That batch is over.'));
    return;
  }
  if (action !== 'cancel') return;
  for (const run of live) {
    const found = ctx.projects.findSpec(run.id);
    if (found) await pauseRun(ctx, found.index, found.spec);
  }
}

/**
 * chant's own parallel mode, in one terminal (no `chant watch` daemon left behind); the registry notices each spec's
 * status file.
 */
async function workParallelWithCli(ctx: RunContext, index: SpecIndex, specs: Spec[], maxAgents: number): Promise<void> {
  const cli = await cliExecutable();
  if (!cli) {
    void vscode.window.showErrorMessage(vscode.l10n.t('The chant CLI was not found ({0}). Set chant.runner to "direct" to run the agents without it.', cliCommand()));
    return;
  }
  const ids = specs.map((s) => s.id).filter(isRunnableSpecId);
  const { line } = await writeShellScript(shellScript({ cwd: index.paths.root, label: 'chant work --parallel' /* l10n-exempt: the script's comment */, steps: [[cli, 'work', `--parallel=${maxAgents}`, '--no-watch', ...ids]] }), 'chant-parallel');
  const terminal = ctx.terminals.named('parallel work', index.paths.root);
  terminal.show(true);
  sendToTerminal(terminal, line, 'chant work --parallel');
}
