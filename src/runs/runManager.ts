// Agent runs from the editor: the checks before a run, the runner (direct or chant CLI), one named
// terminal per spec, exit tracking, finishing, pause, review and merge. The git and file work is in
// directRun.ts (no vscode); this class adds the questions, terminals and notifications.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { shQuote, wrapAgentRun } from '../core/workflow/commandLine';
import { shortSpecId } from '../core/spec/ids';
import { oneLine } from '../core/present/plainText';
import { readinessOf } from '../core/project/readiness';
import { runChecks } from '../core/workflow/runChecks';
import { setFields } from '../core/spec/specEdit';
import type { SpecIndex } from '../core/project/specIndex';
import type { Spec } from '../core/spec/types';
import { RunGit, RunGitError, type Isolation } from '../git/runGit';
import { Disposable } from '../lifecycle';
import { log, showError } from '../log';
import { resolveSpecTarget } from '../commands/specTarget';
import { rewriteSpecFile } from '../workspace/specWriter';
import { requireTrust } from '../workspace/trust';
import type { ProjectService } from '../workspace/projectService';
import { finishDirectRun, mergeSpecBranch, prepareDirectRun, specBranch, type FinishResult, type RunPlan } from './directRun';
import { runInTerminal, type TerminalRunResult } from './terminalRun';
import { findOnPath } from './executables';

export type RunnerKind = 'direct' | 'cli';

export interface WorkOptions {
  /** Skip the questions with these answers (tests, chains, other commands). */
  workAnyway?: boolean;
  rerun?: boolean;
  startOver?: boolean;
  stashDirty?: boolean;
  runner?: RunnerKind;
  /** Extra `chant work` flags for the CLI runner (e.g. `--skip-deps`). */
  cliFlags?: string[];
  /** Resolve when the run has finished rather than when it has started. */
  waitForFinish?: boolean;
  /** The caller reports a completed run itself (a phase chain asks what next): no second notification. */
  quietOnSuccess?: boolean;
}

export interface RunInfo {
  id: string;
  root: string;
  runner: RunnerKind;
  state: 'starting' | 'running' | 'finishing' | 'completed' | 'failed' | 'stopped';
  terminal?: vscode.Terminal;
  plan?: RunPlan;
  result?: FinishResult;
  exitCode?: number;
  startedAt: number;
  /** Resolves when the run is over (finished, failed or stopped). */
  done: Promise<RunInfo>;
}

export interface MergeOptions {
  deleteBranch?: boolean;
  /** Skip the confirmation. */
  confirmed?: boolean;
}

const TERMINAL_PREFIX = 'chant · ';

export class RunManager extends Disposable {
  private readonly runs = new Map<string, RunInfo>();
  /** Specs a chant process in any terminal is working (its `.chant-status-<id>.json` says so). */
  private readonly external = new Set<string>();
  private readonly terminals = new Map<string, vscode.Terminal>();
  /** Specs whose current run reports success through its caller (WorkOptions.quietOnSuccess). */
  private readonly quiet = new Set<string>();
  private readonly changeEmitter = this._register(new vscode.EventEmitter<{ id: string; run?: RunInfo }>());
  /** Fires when a run starts, changes state or ends (tree, CodeLens and status bar listen). */
  readonly onDidChangeRun = this.changeEmitter.event;
  private readonly countEmitter = this._register(new vscode.EventEmitter<number>());
  /** The number of running agents changed. */
  readonly onDidChangeRunningCount = this.countEmitter.event;

  constructor(private readonly projects: ProjectService) {
    super();
    this._register(vscode.window.onDidCloseTerminal((t) => {
      for (const [id, term] of this.terminals) if (term === t) this.terminals.delete(id);
    }));
    const watcher = this._register(vscode.workspace.createFileSystemWatcher('**/.chant/specs/.chant-status-*.json'));
    this._register(watcher.onDidCreate((uri) => void this.externalStatus(uri)));
    this._register(watcher.onDidChange((uri) => void this.externalStatus(uri)));
    this._register(watcher.onDidDelete((uri) => void this.externalStatus(uri)));
  }

  get runningCount(): number {
    const ids = new Set<string>(this.external);
    for (const run of this.runs.values()) if (isActive(run)) ids.add(run.id);
    return ids.size;
  }

  /** The terminal the next command for spec `id` goes to, if one is open. */
  terminalOf(id: string): vscode.Terminal | undefined {
    const terminal = this.terminals.get(id);
    return terminal?.exitStatus === undefined ? terminal : undefined;
  }

  isRunning(id: string): boolean {
    const run = this.runs.get(id);
    return (run !== undefined && isActive(run)) || this.external.has(id);
  }

  run(id: string): RunInfo | undefined {
    return this.runs.get(id);
  }

  private fire(id: string): void {
    const run = this.runs.get(id);
    if (run && !isActive(run)) this.external.delete(id);
    this.changeEmitter.fire({ id, run: this.runs.get(id) });
    this.countEmitter.fire(this.runningCount);
  }

  private async externalStatus(uri: vscode.Uri): Promise<void> {
    const id = /\.chant-status-(.+)\.json$/.exec(uri.fsPath)?.[1];
    if (!id) return;
    // The direct runner's wrapper writes the same file; those runs are tracked already.
    if (this.runs.get(id)?.runner === 'direct') return;
    const text = await fs.readFile(uri.fsPath, 'utf8').catch(() => undefined);
    const working = text !== undefined && /"status"\s*:\s*"working"/.test(text);
    const had = this.external.has(id);
    if (working) this.external.add(id);
    else this.external.delete(id);
    if (had !== working) this.fire(id);
  }

  // -------------------------------------------------------------------------------------------
  // Work

  /** `chant.workSpec`: arg is a spec id, a Uri or a tree node; none = the active editor or a pick. */
  async workSpec(arg?: unknown, options: WorkOptions = {}): Promise<RunInfo | undefined> {
    // Not awaited: the warning stays up while the command returns (tests, chains).
    if (!vscode.workspace.isTrusted) {
      void requireTrust('Working a spec', 'runs an agent program and commits to git');
      return undefined;
    }
    const target = await resolveSpecTarget(this.projects, arg, {
      placeHolder: 'Spec to work',
      include: (spec) => !spec.archived && spec.status !== 'completed' && spec.status !== 'cancelled',
    });
    if (!target) return undefined;
    const { index, spec } = target;
    if (this.isRunning(spec.id)) {
      const show = 'Show Terminal';
      if ((await vscode.window.showInformationMessage(`${spec.id} is already running.`, show)) === show) this.terminals.get(spec.id)?.show();
      return this.runs.get(spec.id);
    }
    if (!(await this.checks(index, spec, options))) return undefined;
    const runner = options.runner ?? (await this.chooseRunner());
    if (runner === 'cli') {
      const cli = this.cliCommand();
      const found = path.isAbsolute(cli) ? await fs.access(cli, 1).then(() => true, () => false) : await onPath(cli);
      if (!found) {
        void vscode.window.showErrorMessage(
          `The chant CLI was not found (${cli}). Install chant, set chant.cliPath to its executable, or set chant.runner to "direct" to run the agent without it.`,
        );
        return undefined;
      }
    }
    if (options.quietOnSuccess) this.quiet.add(spec.id);
    else this.quiet.delete(spec.id);
    const run = runner === 'cli' ? await this.startCli(index, spec, cliFlagsFor(index, spec, readinessBlocked(index, spec), options)) : await this.startDirect(index, spec, options);
    if (run && options.waitForFinish) await run.done;
    return run;
  }

  /** `chant.workNextReady`: the first ready spec, in id order across projects. */
  async workNextReady(options: WorkOptions = {}): Promise<RunInfo | undefined> {
    await this.projects.ready();
    for (const index of this.projects.projects()) {
      for (const spec of index.sorted()) {
        const readiness = index.readiness(spec.id);
        if (readiness?.ready && spec.type !== 'group' && !this.isRunning(spec.id) && spec.title) {
          return this.workSpec(spec.id, options);
        }
      }
    }
    void vscode.window.showInformationMessage('No spec is ready to work: every pending spec waits for a dependency, approval or an earlier sibling.');
    return undefined;
  }

  /** The pre-run checks (core/runChecks.ts) with their facts gathered; false when the run must not start. */
  private async checks(index: SpecIndex, spec: Spec, options: WorkOptions): Promise<boolean> {
    const git = await RunGit.open(index.paths.root).catch((error: unknown) => error as Error);
    const promptExists = spec.prompt ? await fs.stat(index.paths.promptFile(spec.prompt)).then(() => true, () => false) : true;
    const checks = runChecks({
      spec,
      readiness: index.readiness(spec.id) ?? readinessOf(spec, index.specs),
      gitProblem: git instanceof Error ? git.message : undefined,
      hasCommits: git instanceof Error ? false : await git.hasCommits(),
      promptExists,
      rerun: options.rerun,
      workAnyway: options.workAnyway,
    });
    for (const check of checks) {
      if (check.kind === 'refuse') {
        void vscode.window.showWarningMessage(check.message);
        return false;
      }
      const choice = await vscode.window.showWarningMessage(check.message, { modal: true, detail: check.detail }, check.action);
      if (choice !== check.action) return false;
    }
    return true;
  }

  private async chooseRunner(): Promise<RunnerKind> {
    const config = vscode.workspace.getConfiguration('chant');
    const setting = config.get<string>('runner', 'auto');
    if (setting === 'cli' || setting === 'direct') return setting;
    if (config.get<string>('cliPath', '').trim()) return 'cli';
    return (await onPath('chant')) ? 'cli' : 'direct';
  }

  private terminalFor(id: string, title: string | undefined, cwd: string): vscode.Terminal {
    const existing = this.terminals.get(id);
    if (existing && existing.exitStatus === undefined) return existing;
    // The name shows a spec title: one line, bounded, no control characters.
    const name = `${TERMINAL_PREFIX}${shortSpecId(id)} · ${oneLine((title ?? '').replace(/[\x00-\x1f\x7f]/g, ' '), 50)}`;
    const terminal = vscode.window.createTerminal({ name, cwd, iconPath: new vscode.ThemeIcon('robot') });
    this.terminals.set(id, terminal);
    return terminal;
  }

  /**
   * Ends the terminal a run works in (the shell's hangup stops the agent). It is forgotten at
   * once, so the next command for this spec opens a fresh terminal instead of the closing one.
   */
  private closeTerminal(id: string, run: RunInfo | undefined): void {
    const terminal = run?.terminal ?? this.terminals.get(id);
    if (this.terminals.get(id) === terminal) this.terminals.delete(id);
    terminal?.dispose();
  }

  private newRun(id: string, root: string, runner: RunnerKind): { run: RunInfo; resolve: (r: RunInfo) => void } {
    let resolve!: (r: RunInfo) => void;
    const done = new Promise<RunInfo>((r) => (resolve = r));
    const run: RunInfo = { id, root, runner, state: 'starting', startedAt: Date.now(), done };
    this.runs.set(id, run);
    this.fire(id);
    return { run, resolve };
  }

  private async startDirect(index: SpecIndex, spec: Spec, options: WorkOptions): Promise<RunInfo | undefined> {
    const config = vscode.workspace.getConfiguration('chant');
    const isolation = config.get<Isolation>('isolation', 'worktree');
    const git = await RunGit.open(index.paths.root);
    const branch = specBranch(index.config, spec.id);
    let startOver = options.startOver;
    if (startOver === undefined && (await git.branchExists(branch))) {
      const cont = 'Continue';
      const over = 'Start Over';
      const choice = await vscode.window.showInformationMessage(
        `${branch} already exists (an earlier run). Continue on it, or start over from ${index.config.mainBranch}?`,
        { modal: true, detail: 'Start over keeps the old branch under a backup name; no commit is deleted.' },
        cont,
        over,
      );
      if (!choice) return undefined;
      startOver = choice === over;
    }
    let stashDirty = options.stashDirty;
    if (isolation === 'checkout' && stashDirty === undefined && (await git.dirtyPaths(undefined, true)).length > 0) {
      const stash = 'Stash and Continue';
      const choice = await vscode.window.showWarningMessage(
        'Checkout isolation switches this working tree to the spec branch, and it has uncommitted changes.',
        { modal: true, detail: 'Stash them (git stash push), or cancel and commit them first. Worktree isolation (chant.isolation) leaves this checkout alone.' },
        stash,
      );
      if (choice !== stash) return undefined;
      stashDirty = true;
    }
    const { run, resolve } = this.newRun(spec.id, index.paths.root, 'direct');
    let plan: RunPlan;
    try {
      plan = await prepareDirectRun({
        paths: index.paths,
        config: index.config,
        spec,
        silent: index.silent,
        isolation,
        worktreeFolder: config.get<string>('worktreeFolder', ''),
        agentCommand: config.get<string>('agent.command', ''),
        startOver,
        stashDirty,
        env: process.env,
        writeSpec: rewriteSpecFile,
      });
    } catch (error) {
      run.state = 'failed';
      this.fire(spec.id);
      resolve(run);
      this.runs.delete(spec.id);
      this.fire(spec.id);
      if (error instanceof RunGitError) void vscode.window.showErrorMessage(`Could not start ${spec.id}: ${error.message}`);
      else void showError(`Could not start ${spec.id}`, error);
      return undefined;
    }
    run.plan = plan;
    for (const notice of plan.notices) void vscode.window.showInformationMessage(notice);
    log.info(`Run ${spec.id}: ${plan.continued ? 'continuing' : 'new'} branch ${plan.branch} in ${plan.workDir}`);
    const terminal = this.terminalFor(spec.id, spec.title, plan.workDir);
    run.terminal = terminal;
    terminal.show(true);
    run.state = 'running';
    this.fire(spec.id);
    const line = `cd ${shQuote(plan.workDir)} && ${plan.commandLine}`;
    void runInTerminal({ terminal, line, statusFile: plan.statusFile }).then(
      (result) => this.finishDirect(run, index, result).finally(() => resolve(run)),
      (error: unknown) => {
        void showError(`The run of ${spec.id} could not be tracked`, error);
        resolve(run);
      },
    );
    return run;
  }

  private async finishDirect(run: RunInfo, index: SpecIndex, outcome: TerminalRunResult): Promise<void> {
    const plan = run.plan!;
    if (run.state === 'stopped') return;
    run.state = 'finishing';
    run.exitCode = outcome.exitCode;
    this.fire(run.id);
    try {
      const result = await finishDirectRun(plan, outcome.exitCode, { writeSpec: rewriteSpecFile, projectPaths: index.paths });
      run.result = result;
      run.state = result.status;
      this.fire(run.id);
      log.info(`Run ${run.id} ${result.status}${result.reason ? `: ${result.reason}` : ''}; commits ${result.commits.join(', ') || 'none'}; copied back ${result.copiedBack.join(', ') || 'nothing'}`);
      const review = 'Review Changes';
      const merge = 'Merge';
      const showLog = 'Open Log';
      if (result.status === 'completed' && this.quiet.has(run.id)) {
        // The caller (a phase chain) asks what comes next; the details are in the log.
      } else if (result.status === 'completed') {
        const unchecked = result.uncheckedCriteria.length ? ` ${result.uncheckedCriteria.length} criterion(s) left unchecked.` : '';
        const copied = result.copiedBack.length ? ` Copied back: ${result.copiedBack.join(', ')}.` : '';
        void vscode.window
          .showInformationMessage(`${run.id} completed with ${result.commits.length} commit(s) on ${plan.branch}.${unchecked}${copied}`, review, merge, showLog)
          .then((choice) => this.afterChoice(choice, run.id, plan.logFile));
      } else {
        void vscode.window
          .showWarningMessage(`${run.id} failed: ${result.reason}. The branch ${plan.branch} and its worktree are kept; work the spec again to continue.`, showLog, review)
          .then((choice) => this.afterChoice(choice, run.id, plan.logFile));
      }
    } catch (error) {
      run.state = 'failed';
      this.fire(run.id);
      void showError(`Finishing the run of ${run.id} failed`, error);
    }
  }

  private async afterChoice(choice: string | undefined, id: string, logFile?: string): Promise<void> {
    if (choice === 'Review Changes') await this.reviewChanges(id);
    else if (choice === 'Merge') await this.mergeSpec(id);
    else if (choice === 'Open Log' && logFile) await vscode.window.showTextDocument(vscode.Uri.file(logFile));
  }

  private cliCommand(): string {
    return vscode.workspace.getConfiguration('chant').get<string>('cliPath', '').trim() || 'chant';
  }

  /** The chant CLI runner: `chant work <full id>` with cwd = the project root. */
  private async startCli(index: SpecIndex, spec: Spec, extraArgs: string[] = []): Promise<RunInfo | undefined> {
    const { run, resolve } = this.newRun(spec.id, index.paths.root, 'cli');
    const statusFile = path.join(index.paths.chantDir, 'tmp', `vscode-run-${spec.id}.json`);
    await fs.mkdir(path.dirname(statusFile), { recursive: true });
    await fs.rm(statusFile, { force: true });
    const chantLine = [shQuote(this.cliCommand()), 'work', shQuote(spec.id), ...extraArgs.map(shQuote)].join(' ');
    const line = `cd ${shQuote(index.paths.root)} && ${wrapAgentRun({ agentLine: chantLine, env: { CHANT_SPEC_ID: spec.id }, statusFile })}`;
    const terminal = this.terminalFor(spec.id, spec.title, index.paths.root);
    run.terminal = terminal;
    terminal.show(true);
    run.state = 'running';
    this.fire(spec.id);
    void runInTerminal({ terminal, line, statusFile }).then(async (result) => {
      run.exitCode = result.exitCode;
      if (run.state !== 'stopped') run.state = result.exitCode === 0 ? 'completed' : 'failed';
      await fs.rm(statusFile, { force: true });
      this.fire(spec.id);
      resolve(run);
      if (run.state === 'stopped') return;
      // A phase chain asks what comes next itself.
      if (result.exitCode === 0 && this.quiet.has(spec.id)) return;
      const merge = 'chant merge';
      const finalize = 'chant finalize';
      const showLog = 'chant log';
      const message = result.exitCode === 0 ? `chant work ${spec.id} finished.` : `chant work ${spec.id} exited with ${result.exitCode ?? 'no exit code'}.`;
      const choice = await vscode.window.showInformationMessage(message, merge, finalize, showLog);
      const args = choice === merge ? ['merge', spec.id] : choice === finalize ? ['finalize', spec.id] : choice === showLog ? ['log', spec.id, '--no-follow'] : undefined;
      if (args) this.sendToCli(spec.id, spec.title, index.paths.root, args);
    });
    return run;
  }

  // -------------------------------------------------------------------------------------------
  // Pause, review, merge

  /** `chant.pauseRun`: stop the agent (its terminal) and set `paused`; the branch is kept. */
  async pauseRun(arg?: unknown): Promise<boolean> {
    if (!vscode.workspace.isTrusted) {
      void requireTrust('Pausing a run', 'stops a program and changes the spec');
      return false;
    }
    const id = await this.targetId(arg, 'Run to pause', (spec) => this.isRunning(spec.id) || spec.status === 'in_progress');
    if (!id) return false;
    const found = this.projects.findSpec(id);
    if (!found) return false;
    const run = this.runs.get(id);
    if (run?.runner === 'cli' || (!run && this.external.has(id))) {
      // chant owns the process: let it stop the agent and set paused (§9 `pause --force`).
      this.handToCli(id, run, found.spec.title, found.index.paths.root, ['pause', id, '--force']);
      return true;
    }
    if (run && isActive(run)) {
      run.state = 'stopped';
      this.closeTerminal(id, run);
      await fs.rm(run.plan?.statusFile ?? '', { force: true }).catch(() => undefined);
    }
    await rewriteSpecFile(found.spec.path, (text) => setFields(text, { status: 'paused' }));
    this.fire(id);
    void vscode.window.showInformationMessage(`${id} is paused. Its branch${run?.plan ? ` ${run.plan.branch}` : ''} is kept; work the spec again to continue it.`);
    return true;
  }

  /** `chant.takeOver`: `chant takeover <id> --force` (stops the agent, adds its analysis, sets paused). */
  async takeOver(arg?: unknown): Promise<boolean> {
    if (!vscode.workspace.isTrusted) {
      void requireTrust('Taking over a run', 'stops a program and changes the spec');
      return false;
    }
    const id = await this.targetId(arg, 'Run to take over', (spec) => this.isRunning(spec.id) || spec.status === 'in_progress');
    if (!id) return false;
    const found = this.projects.findSpec(id)!;
    const run = this.runs.get(id);
    if (run?.runner === 'direct') {
      // The direct runner has no chant process to hand over; pausing keeps the branch for you.
      return this.pauseRun(id);
    }
    this.handToCli(id, run, found.spec.title, found.index.paths.root, ['takeover', id, '--force']);
    return true;
  }

  /**
   * Stops the run's terminal (the agent with it) and runs `chant <args>` in a fresh one in the
   * project root: how Pause and Take Over hand a CLI run back to chant.
   */
  private handToCli(id: string, run: RunInfo | undefined, title: string | undefined, root: string, args: string[]): void {
    this.closeTerminal(id, run);
    if (run) run.state = 'stopped';
    this.sendToCli(id, title, root, args);
    this.fire(id);
  }

  /** `cd <root> && chant <args>` in the spec's terminal, every word quoted. */
  private sendToCli(id: string, title: string | undefined, root: string, args: string[]): void {
    const terminal = this.terminalFor(id, title, root);
    terminal.show(true);
    terminal.sendText(`cd ${shQuote(root)} && ${[this.cliCommand(), ...args].map(shQuote).join(' ')}`, true);
  }

  /** `chant.reviewChanges`: the branch's changes against where it left `main_branch`, in diff views. */
  async reviewChanges(arg?: unknown): Promise<number> {
    // Reads only, but runs git, which a repository's config can make run programs.
    if (!(await requireTrust('Reviewing changes', 'runs git'))) return 0;
    const id = await this.targetId(arg, 'Spec whose changes to review', (spec) => !!spec.branch || this.runs.has(spec.id));
    if (!id) return 0;
    const found = this.projects.findSpec(id)!;
    const git = await RunGit.open(found.index.paths.root);
    const branch = found.spec.branch ?? specBranch(found.index.config, id);
    if (!(await git.branchExists(branch))) {
      void vscode.window.showWarningMessage(`The branch ${branch} does not exist (merged and deleted, or never created).`);
      return 0;
    }
    const { base } = await git.resolveBase(found.index.config.mainBranch);
    const mergeBase = await git.mergeBase(base, branch);
    const files = await git.changedFiles(branch, base);
    if (!mergeBase || files.length === 0) {
      void vscode.window.showInformationMessage(`${branch} has no changes against ${base}.`);
      return 0;
    }
    const topLevel = (await git.raw(['rev-parse', '--show-toplevel'])).trim();
    const gitUri = (ref: string, file: string): vscode.Uri => {
      const uri = vscode.Uri.file(path.join(topLevel, file));
      return uri.with({ scheme: 'git', query: JSON.stringify({ path: uri.fsPath, ref }) });
    };
    const useGitScheme = vscode.extensions.getExtension('vscode.git') !== undefined;
    const resources: Array<[vscode.Uri, vscode.Uri | undefined, vscode.Uri | undefined]> = [];
    for (const file of files) {
      const left = file.status === 'A' ? undefined : useGitScheme ? gitUri(mergeBase, file.oldPath ?? file.path) : await this.snapshot(git, mergeBase, file.oldPath ?? file.path);
      const right = file.status === 'D' ? undefined : useGitScheme ? gitUri(branch, file.path) : await this.snapshot(git, branch, file.path);
      resources.push([vscode.Uri.file(path.join(topLevel, file.path)), left, right]);
    }
    try {
      await vscode.commands.executeCommand('vscode.changes', `${branch} ↔ ${base}`, resources);
    } catch {
      const [, left, right] = resources[0];
      if (left && right) await vscode.commands.executeCommand('vscode.diff', left, right, `${files[0].path} (${base} ↔ ${branch})`);
    }
    return files.length;
  }

  /** Read-only copies for diff views when the built-in git extension is not there to serve `git:` URIs. */
  private async snapshot(git: RunGit, ref: string, file: string): Promise<vscode.Uri | undefined> {
    const content = await git.show(ref, file);
    if (content === undefined) return undefined;
    const dir = path.join(os.tmpdir(), 'chant-review', ref.replace(/[^A-Za-z0-9._-]/g, '_'));
    const target = path.join(dir, file);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, content, 'utf8');
    return vscode.Uri.file(target);
  }

  /** `chant.mergeSpec`: merge the spec's branch into main_branch, remove its worktree, maybe the branch. */
  async mergeSpec(arg?: unknown, options: MergeOptions = {}): Promise<boolean> {
    if (!vscode.workspace.isTrusted) {
      void requireTrust('Merging a spec branch', 'changes git branches and files');
      return false;
    }
    const id = await this.targetId(arg, 'Spec to merge', (spec) => !!spec.branch);
    if (!id) return false;
    const found = this.projects.findSpec(id)!;
    if (this.isRunning(id)) {
      void vscode.window.showWarningMessage(`${id} is still running; pause it or wait for it to finish before merging.`);
      return false;
    }
    const branch = found.spec.branch ?? specBranch(found.index.config, id);
    let deleteBranch = options.deleteBranch;
    if (!options.confirmed) {
      const merge = 'Merge';
      const mergeDelete = 'Merge and Delete Branch';
      const choice = await vscode.window.showInformationMessage(
        `Merge ${branch} into ${found.index.config.mainBranch}?`,
        { modal: true, detail: 'Fast-forward when possible, otherwise a merge commit. The worktree is removed afterwards.' },
        merge,
        mergeDelete,
      );
      if (!choice) return false;
      deleteBranch = choice === mergeDelete;
    }
    try {
      const result = await mergeSpecBranch(found.index.paths, found.index.config, id, { branch, deleteBranch });
      for (const notice of result.notices) void vscode.window.showInformationMessage(notice);
      const how = result.kind === 'fast-forward' ? 'fast-forwarded' : result.kind === 'merge-commit' ? 'merged with a merge commit' : 'already up to date';
      void vscode.window.showInformationMessage(`${branch} ${how} into ${result.into}.${result.worktreeRemoved ? ' Worktree removed.' : ''}${result.branchDeleted ? ' Branch deleted.' : ''}`);
      this.runs.delete(id);
      this.fire(id);
      return true;
    } catch (error) {
      if (error instanceof RunGitError && error.reason === 'conflict') {
        // Nothing is reset: the merge stays in progress and its files open for resolving.
        void vscode.window.showErrorMessage(`${error.message}. The merge is left in progress: resolve the files and commit, or run git merge --abort.`);
        const topLevel = (await (await RunGit.open(found.index.paths.root)).raw(['rev-parse', '--show-toplevel'])).trim();
        for (const file of error.files) {
          const uri = vscode.Uri.file(path.join(topLevel, file));
          // The merge editor needs the git extension to know the repository; a text editor always works.
          await vscode.commands.executeCommand('git.openMergeEditor', uri).then(undefined, () => vscode.window.showTextDocument(uri, { preview: false }));
        }
        return false;
      }
      if (error instanceof RunGitError) {
        void vscode.window.showErrorMessage(`Could not merge ${branch}: ${error.message}`);
        return false;
      }
      throw error;
    }
  }

  private async targetId(arg: unknown, placeHolder: string, include: (spec: Spec) => boolean): Promise<string | undefined> {
    if (typeof arg === 'string' && this.runs.has(arg) && !this.projects.findSpec(arg)) return undefined;
    const target = await resolveSpecTarget(this.projects, arg, { placeHolder, include: (spec) => include(spec) });
    return target?.spec.id;
  }
}

function readinessBlocked(index: SpecIndex, spec: Spec): boolean {
  return (index.readiness(spec.id) ?? readinessOf(spec, index.specs)).workBlockers.length > 0;
}

/**
 * The `chant work` flags a run needs: `--skip-deps` when the user chose "Work Anyway" over unmet
 * dependencies (chant would refuse otherwise), `--allow-no-commits` for a research spec in silent
 * mode (its document is git-excluded, so there is nothing to commit), plus any asked for.
 */
export function cliFlagsFor(index: SpecIndex, spec: Spec, blocked: boolean, options: WorkOptions): string[] {
  const flags = new Set<string>();
  if (blocked && options.workAnyway !== false) flags.add('--skip-deps');
  if (index.silent && spec.type === 'research') flags.add('--allow-no-commits');
  for (const flag of options.cliFlags ?? []) if (/^--[a-z][a-z-]*(=[\w.-]+)?$/.test(flag)) flags.add(flag);
  return [...flags];
}

function isActive(run: RunInfo): boolean {
  return run.state === 'starting' || run.state === 'running' || run.state === 'finishing';
}

async function onPath(command: string): Promise<boolean> {
  return (await findOnPath(command)) !== undefined;
}
