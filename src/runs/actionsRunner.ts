// The `actions` runner in the editor: Set Up GitHub Actions (the workflow, shown as a diff to
// commit and push), Work on GitHub Actions (the checks, the dispatch, following the run on GitHub
// with backoff while it is queued, finishing it as a local run when it ends), Cancel, Open on
// GitHub and the job log. The git, gh and file steps are in actionsDispatch.ts (no vscode); the
// workflow itself in core/workflow/actionsWorkflow.ts.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SpecIndex } from '../core/project/specIndex';
import type { Spec } from '../core/spec/types';
import { ACTIONS_AGENTS, actionsAgent } from '../core/runs/agents/actions';
import { ACTIONS_WORKFLOW_PATH, actionsWorkflow, runnerLabels, workflowState } from '../core/workflow/actionsWorkflow';
import { currentStep, logTail, nextPollMs, RequestTooLargeError, type ActionsStatus } from '../core/runs/actionsRun';
import { isUrl } from '../core/project/containment';
import { readProjectFile, writeProjectFile } from '../core/project/safeFiles';
import { findGh, cancelWorkflowRun, runLog } from '../github/gh';
import { RunGit, RunGitError } from '../git/runGit';
import { log, showError } from '../log';
import { actionsSettings, settings as allSettings } from '../settings';
import { rewriteSpecFile } from '../workspace/specWriter';
import { ActionsSetupError, checkActionsSetup, finishActionsRun, findRun, startActionsRun, viewRemoteRun, type ActionsTarget } from './actionsDispatch';
import type { RunContext } from './context';
import { specBranch } from './directRun';
import { isActive, planFields, type RunInfo } from './runRegistry';
import type { RunRecord } from '../core/runs/runRecord';
import { noticeRunEnded } from './runNotices';

/**
 * The workflow the current settings would write (every agent the extension knows, so switching agents needs no
 * rewrite).
 */
export function expectedWorkflow(): string {
  const settings = actionsSettings();
  return actionsWorkflow({
    runsOn: runnerLabels(settings.runsOn),
    agents: ACTIONS_AGENTS,
    timeoutMinutes: settings.timeoutMinutes,
  });
}

/** `chant.actions.setUp`: writes the workflow into the project and shows what changed, to commit and push. */
export async function setUpActions(
  ctx: RunContext,
  options: { confirmed?: boolean } = {},
): Promise<string | undefined> {
  await ctx.projects.ready();
  const index = ctx.projects.projects()[0];
  if (!index) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('No chant project in this workspace: initialize chant first.'),
    );
    return undefined;
  }
  const git = await RunGit.open(index.paths.root);
  const top = await git.topLevel();
  const file = path.join(top, ...ACTIONS_WORKFLOW_PATH.split('/'));
  const text = expectedWorkflow();
  // Read and written through safeFiles: a link the repository placed (at the file or a folder above it) is refused.
  const before = await readProjectFile(top, file);
  const state = workflowState(before, text);
  if (state.kind === 'current') {
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        "{0} is up to date. Once it is pushed to {1} and the agent's secret is set, Work on GitHub Actions can dispatch it.",
        ACTIONS_WORKFLOW_PATH,
        index.config.mainBranch,
      ),
    );
    return file;
  }
  if (!options.confirmed) {
    const write = state.kind === 'missing' ? vscode.l10n.t('Write Workflow') : vscode.l10n.t('Update Workflow');
    const detail =
      state.kind === 'foreign'
        ? vscode.l10n.t(
            '{0} exists and was not written by Chant; it will be replaced (the diff shows it).',
            ACTIONS_WORKFLOW_PATH,
          )
        : vscode.l10n.t(
            'Runners: {0} (chant.actions.runsOn). Agents: {1}.',
            runnerLabels(actionsSettings().runsOn).join(', '),
            ACTIONS_AGENTS.map((a) => vscode.l10n.t('{0} with the secret {1}', a.label, a.secret)).join('; '),
          );
    const question =
      state.kind === 'missing'
        ? vscode.l10n.t('Write {0} so specs can be worked on GitHub Actions?', ACTIONS_WORKFLOW_PATH)
        : vscode.l10n.t('Update {0} so specs can be worked on GitHub Actions?', ACTIONS_WORKFLOW_PATH);
    const choice = await vscode.window.showInformationMessage(question, { modal: true, detail }, write);
    if (choice !== write) return undefined;
  }
  await writeProjectFile(top, file, text);
  // The diff: the file as it was (empty when new) against the one written.
  const old = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'chant-workflow-')), 'chant-work.yml');
  await fs.writeFile(old, before ?? '');
  await vscode.commands.executeCommand(
    'vscode.diff',
    vscode.Uri.file(old),
    vscode.Uri.file(file),
    before === undefined
      ? vscode.l10n.t('{0} (new)', ACTIONS_WORKFLOW_PATH)
      : vscode.l10n.t('{0} (updated)', ACTIONS_WORKFLOW_PATH),
  );
  const agent = actionsAgent(actionsSettings().agent) ?? ACTIONS_AGENTS[0];
  void vscode.window.showInformationMessage(
    vscode.l10n.t(
      'Wrote {0}. Commit it and push it to {1}; then set the secret {2} (gh secret set {2}). Chant never reads the secret.',
      ACTIONS_WORKFLOW_PATH,
      index.config.mainBranch,
      agent.secret,
    ),
  );
  return file;
}

/** The Runs view rows a batch may still start on Actions: runs live there now. */
export function liveActionsRuns(ctx: RunContext): number {
  return ctx.registry.all().filter((r) => r.runner === 'actions' && isActive(r)).length;
}

export interface ActionsWorkOptions {
  startOver?: boolean;
  confirmedDeletes?: readonly string[];
  quietOnSuccess?: boolean;
  batch?: string;
  /** The public-repository question, answered (tests, batches after the first). */
  publicConfirmed?: boolean;
}

/**
 * Starts a run of `spec` on GitHub Actions for `run` (registered by the caller, state starting):
 * the checks, then the dispatch; the run is followed in the background. Undefined when it did
 * not start (the reason was shown, the registered run forgotten).
 */
export async function startActions(
  ctx: RunContext,
  index: SpecIndex,
  spec: Spec,
  run: RunInfo,
  options: ActionsWorkOptions,
): Promise<RunInfo | undefined> {
  const root = index.paths.root;
  const settings = actionsSettings();
  const drop = (): undefined => {
    ctx.registry.finish(run, 'failed');
    ctx.registry.forget(run);
    return undefined;
  };
  if (!options.batch && liveActionsRuns(ctx) > settings.maxRuns) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        '{0} runs are on GitHub Actions already (chant.actions.maxRuns). Wait for one to end, or raise the limit.',
        settings.maxRuns,
      ),
    );
    return drop();
  }
  let target: ActionsTarget;
  try {
    target = await checkActionsSetup({
      ghPath: await findGh(),
      root,
      config: index.config,
      remote: settings.remote,
      agent: settings.agent,
      expectedWorkflow: expectedWorkflow(),
    });
  } catch (error) {
    drop();
    // Not awaited: the command returns while the notification waits for the user.
    void explainSetupProblem(ctx, error);
    return undefined;
  }
  if (target.public && index.silent && !options.publicConfirmed) {
    const send = vscode.l10n.t('Send Anyway');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        "{0} is public: the run's inputs (the prompt and {1}'s text) and its log are visible to anyone, though this project keeps .chant/ out of git (silent mode).",
        target.repo,
        spec.id,
      ),
      { modal: true, detail: vscode.l10n.t('Work the spec locally to keep it private.') },
      send,
    );
    if (choice !== send) return drop();
  }
  let startOver = options.startOver;
  const git = await RunGit.open(root);
  const branch = specBranch(index.config, spec.id);
  if (startOver === undefined && (await git.branchExists(branch))) {
    const cont = vscode.l10n.t('Continue');
    const over = vscode.l10n.t('Start Over');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t(
        '{0} already exists (an earlier run). Continue on it, or start over from {1}?',
        branch,
        index.config.mainBranch,
      ),
      {
        modal: true,
        detail: vscode.l10n.t('Start over keeps the old branch under a backup name; no commit is deleted.'),
      },
      cont,
      over,
    );
    if (!choice) return drop();
    startOver = choice === over;
  }
  try {
    const { plan, remote } = await startActionsRun({
      paths: index.paths,
      config: index.config,
      spec,
      silent: index.silent,
      target,
      agent: settings.agent,
      worktreeFolder: allSettings.worktreeFolder.value,
      startOver,
      confirmedDeletes: options.confirmedDeletes,
      env: process.env,
      writeSpec: rewriteSpecFile,
    });
    ctx.registry.update(run, {
      plan,
      state: 'running',
      agent: actionsAgent(settings.agent)?.program ?? settings.agent,
      actions: remote,
      ...planFields(plan),
    });
    log.info(
      `Run ${spec.id}: dispatched ${ACTIONS_WORKFLOW_PATH} on ${target.repo} (${remote.dispatchId}), branch ${plan.branch}`,
    );
    void ctx.logs.follow(run);
    void followActions(ctx, run, index, target.gh);
    return run;
  } catch (error) {
    drop();
    if (error instanceof RequestTooLargeError || error instanceof ActionsSetupError)
      void vscode.window.showErrorMessage(error.message);
    else if (error instanceof RunGitError)
      void vscode.window.showErrorMessage(
        vscode.l10n.t('Could not send {0} to GitHub Actions: {1}', spec.id, error.message),
      );
    else void showError(vscode.l10n.t('Could not send {0} to GitHub Actions', spec.id), error);
    return undefined;
  }
}

/** The notification for a set-up problem, with the action that fixes it. */
async function explainSetupProblem(ctx: RunContext, error: unknown): Promise<void> {
  if (!(error instanceof ActionsSetupError)) {
    void showError(vscode.l10n.t('GitHub Actions cannot be used'), error);
    return;
  }
  const setUp = vscode.l10n.t('Set Up GitHub Actions');
  const actions = error.problem === 'workflow-missing' || error.problem === 'workflow-outdated' || error.problem === 'workflow-foreign' ? [setUp] : [];
  const choice = await vscode.window.showErrorMessage(error.message, ...actions);
  if (choice === setUp) await setUpActions(ctx);
}

const FIND_TIMEOUT_MS = 3 * 60_000;

/** Follows a dispatched run on GitHub until it ends, then finishes it as a local run. */
export async function followActions(ctx: RunContext, run: RunInfo, index: SpecIndex, ghPath: string): Promise<void> {
  const settings = actionsSettings();
  const began = Date.now();
  let polls = 0;
  let warnedQueue = false;
  let failures = 0;
  for (;;) {
    if (run.state === 'stopped') break;
    // The registry replaces `run.actions` on each update: read it afresh.
    const remote = run.actions!;
    try {
      if (remote.runId === undefined) {
        const found = await findRun(ghPath, remote);
        if (found) {
          ctx.registry.update(run, {
            actions: {
              ...remote,
              runId: found.runId,
              number: found.number,
              url: found.url,
              status: found.status,
              conclusion: found.conclusion,
            },
          });
          log.info(`Run ${run.id}: GitHub Actions run #${found.number} ${found.url}`);
        } else if (Date.now() - began > FIND_TIMEOUT_MS) {
          ctx.registry.update(run, { reason: vscode.l10n.t("GitHub never listed the run dispatched as {0}; look at the repository's Actions tab.", remote.dispatchId) });
          break;
        }
      } else {
        const view = await viewRemoteRun(ghPath, remote);
        if (view.status !== remote.status || view.conclusion !== remote.conclusion) {
          ctx.registry.update(run, {
            actions: {
              ...remote,
              status: view.status,
              conclusion: view.conclusion,
              number: view.number,
              url: view.url,
            },
          });
        }
        const step = currentStep(view);
        if (step && step !== run.lastActivity) ctx.registry.activity(run, { lastActivity: step });
        if (view.status === 'completed') break;
        if (view.status !== 'in_progress' && !warnedQueue && Date.now() - began > settings.queueWarningMinutes * 60_000) {
          warnedQueue = true;
          void warnQueued(ctx, run);
        }
      }
      failures = 0;
    } catch (error) {
      // gh or the network failed once: ask again later; many in a row end the following, not the run.
      log.warn(`Run ${run.id}: asking GitHub failed: ${error instanceof Error ? error.message : String(error)}`);
      if (++failures >= 10) {
        ctx.registry.update(run, { reason: vscode.l10n.t('Lost track of the run on GitHub: {0}', error instanceof Error ? error.message : String(error)) });
        break;
      }
    }
    polls++;
    await new Promise((resolve) =>
      setTimeout(resolve, nextPollMs(run.actions?.status as ActionsStatus | undefined, polls, settings.pollMs)),
    );
  }
  await finishActions(ctx, run, index, ghPath);
}

/** A run on GitHub Actions an earlier window dispatched: followed again until it ends there. */
export async function followRestoredActions(ctx: RunContext, run: RunInfo): Promise<void> {
  const found = ctx.projects.findSpec(run.id);
  const gh = await findGh();
  if (!found || !gh || !run.plan) {
    ctx.registry.update(run, { reason: !gh ? vscode.l10n.t('gh is no longer on PATH: the run on GitHub Actions could not be followed after the reload.') : vscode.l10n.t('{0} is no longer in the index.', run.id) });
    ctx.registry.finish(run, 'failed');
    return;
  }
  log.info(`Run ${run.id}: following GitHub Actions run ${run.actions?.url ?? run.actions?.dispatchId} again after a reload`);
  void ctx.logs.follow(run);
  await followActions(ctx, run, found.index, gh);
}

async function warnQueued(ctx: RunContext, run: RunInfo): Promise<void> {
  const labels = runnerLabels(actionsSettings().runsOn).join(', ');
  const open = vscode.l10n.t('Open on GitHub');
  const cancel = vscode.l10n.t('Cancel Run');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t("{0} has waited in GitHub's queue for {1} minutes: no runner with the labels {2} picked it up. A self-hosted runner may be offline, or the repository's Actions minutes used up.", run.id, actionsSettings().queueWarningMinutes, labels),
    open,
    cancel,
  );
  if (choice === open) await openActionsRun(run);
  else if (choice === cancel) await cancelActionsRun(ctx, run);
}

/** The run ended on GitHub (or was lost): fetch, lay out the artifact, mark the spec. */
async function finishActions(ctx: RunContext, run: RunInfo, index: SpecIndex, ghPath: string): Promise<void> {
  const remote = run.actions!;
  ctx.registry.update(run, { state: 'finishing' });
  try {
    const done = await finishActionsRun(run.plan!, remote, ghPath, {
      projectPaths: index.paths,
      writeSpec: rewriteSpecFile,
    });
    await ctx.projects.refresh([run.plan!.specFile]).catch(() => undefined);
    await ctx.logs.settle(run);
    const result = done.result;
    let reason = result.status === 'failed' ? result.reason : result.overridesExit;
    if (remote.conclusion === 'cancelled') reason = result.commits.length ? vscode.l10n.t('Cancelled on GitHub Actions; {0} commit(s) were pushed before.', result.commits.length) : vscode.l10n.t('Cancelled on GitHub Actions.');
    else if (result.status === 'failed' && remote.conclusion && remote.conclusion !== 'success' && done.exitCode === undefined) {
      reason = `${vscode.l10n.t('The GitHub Actions job ended with {0} before the agent finished.', remote.conclusion.replace(/_/g, ' '))} ${await failedLogTail(ghPath, run)}`.trim();
    } else if (run.reason && result.status === 'failed') reason = run.reason;
    ctx.registry.update(run, { result, reason, exitCode: done.exitCode });
    const need = result.status === 'completed' && result.commits.length > 0 && !run.quietOnSuccess ? 'merge' : undefined;
    ctx.registry.finish(run, result.status, need);
    log.info(`Run ${run.id} on GitHub Actions ${result.status}${reason ? `: ${reason}` : ''}; commits ${result.commits.join(', ') || 'none'}`);
    for (const notice of result.notices) void vscode.window.showWarningMessage(notice);
    if (result.status === 'completed' && run.quietOnSuccess) return;
    if (run.batch) return;
    await noticeRunEnded(ctx, run);
  } catch (error) {
    ctx.registry.update(run, { reason: error instanceof RunGitError && error.reason === 'diverged' ? vscode.l10n.t("{0} The run's work is on {1}'s {2}.", error.message, remote.repo, run.plan?.branch ?? '') : error instanceof Error ? error.message : String(error) });
    ctx.registry.finish(run, 'failed');
    await ctx.logs.settle(run);
    const open = vscode.l10n.t('Open on GitHub');
    void vscode.window.showErrorMessage(vscode.l10n.t('Finishing the GitHub Actions run of {0} failed: {1}', run.id, run.reason ?? ''), open).then((choice) => (choice ? openActionsRun(run) : undefined));
  }
}

async function failedLogTail(ghPath: string, run: RunRecord): Promise<string> {
  const remote = run.actions;
  if (!remote?.runId) return '';
  const text = await runLog(ghPath, remote.repo, remote.runId, true).catch(() => '');
  const tail = logTail(text, 8);
  if (tail.length) return remote.url ? vscode.l10n.t('Log tail: {0} ({1})', tail.join(' | '), remote.url) : vscode.l10n.t('Log tail: {0}', tail.join(' | '));
  return remote.url ? vscode.l10n.t('See {0}', remote.url) : '';
}

/** `chant.actions.cancelRun`: asks GitHub to cancel; the follower finishes the run when GitHub says it is over. */
export async function cancelActionsRun(ctx: RunContext, run: RunRecord): Promise<boolean> {
  const remote = run.actions;
  if (run.runner !== 'actions' || !remote) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} is not a GitHub Actions run.', run.id));
    return false;
  }
  if (!['starting', 'running'].includes(run.state)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('The GitHub Actions run of {0} is over.', run.id));
    return false;
  }
  const gh = await findGh();
  if (!gh) throw new Error(vscode.l10n.t('The GitHub CLI gh is not on PATH.'));
  // A dispatched run GitHub has not listed yet cannot be cancelled by id: find it first.
  for (let i = 0; remote.runId === undefined && i < 20; i++) {
    const found = await findRun(gh, remote);
    if (found) Object.assign(remote, { runId: found.runId, number: found.number, url: found.url });
    else await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  if (remote.runId === undefined) throw new Error(vscode.l10n.t('GitHub has not listed the run of {0} yet; try again in a moment.', run.id));
  await cancelWorkflowRun(gh, remote.repo, remote.runId);
  ctx.registry.activity(run, { lastActivity: 'cancel requested' });
  return true;
}

/** `chant.actions.openRun`: the run's page on GitHub. */
export async function openActionsRun(run: RunRecord): Promise<void> {
  const url = run.actions?.url ?? (run.actions ? `https://github.com/${run.actions.repo}/actions` : undefined);
  if (!url || !isUrl(url)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} did not run on GitHub Actions.', run.id));
    return;
  }
  await vscode.env.openExternal(vscode.Uri.parse(url));
}

/** `chant.actions.showJobLog`: the job's log from GitHub (available once the run is over). */
export async function showActionsJobLog(run: RunRecord): Promise<void> {
  const remote = run.actions;
  const gh = await findGh();
  if (!remote?.runId || !gh) {
    void vscode.window.showInformationMessage(remote ? vscode.l10n.t('GitHub has not listed this run yet.') : vscode.l10n.t('{0} did not run on GitHub Actions.', run.id));
    return;
  }
  let text: string;
  try {
    text = await runLog(gh, remote.repo, remote.runId, false);
  } catch (error) {
    const open = vscode.l10n.t('Open on GitHub');
    void vscode.window
      .showInformationMessage(vscode.l10n.t('The job log is not available yet ({0}). GitHub publishes it when the run is over; Open on GitHub shows it live.', error instanceof Error ? error.message : String(error)), open)
      .then((c) => (c ? openActionsRun(run) : undefined));
    return;
  }
  const doc = await vscode.workspace.openTextDocument({ content: text, language: 'log' });
  await vscode.window.showTextDocument(doc, { preview: false });
}
