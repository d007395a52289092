// The status bar names the spec whose branch is checked out (`<branch_prefix><id>`, the branch
// `chant work` creates), and opens it on click; on any other branch it is hidden. HEAD is read from
// the file, not from git, on window focus and whenever the HEAD file changes.
import * as vscode from 'vscode';
import { findGitDir, readHeadBranch, specIdForBranch } from '../git/gitHead';
import { shortSpecId } from '../core/spec/ids';
import { SpecsByBranch } from '../core/present/specsByBranch';
import { escapeIconSyntax, oneLine } from '../core/present/plainText';
import type { SpecIndex } from '../core/project/specIndex';
import type { Spec } from '../core/spec/types';
import { Disposable } from '../lifecycle';
import { log } from '../log';
import type { ProjectService } from '../workspace/projectService';

export const OPEN_BRANCH_SPEC_COMMAND = 'chant.openBranchSpec';

export interface BranchSpec {
  index: SpecIndex;
  spec: Spec;
  branch: string;
}

/**
 * Extension point for agent runs: the runs feature attaches a source and the status bar shows its
 * count beside the branch spec (nothing is shown until one is attached; no count is ever made up).
 */
export interface RunningAgentsSource {
  readonly onDidChange: vscode.Event<void>;
  /** Agents running now across the workspace. */
  runningCount(): number;
  /** Runs and chains waiting for the user. */
  needsYouCount?(): number;
  /** Command a click on the count runs (e.g. reveal the runs view). */
  command?: string;
}

export class SpecStatusBar extends Disposable {
  private readonly branchItem = this._register(vscode.window.createStatusBarItem('chant.branchSpec', vscode.StatusBarAlignment.Left, 40));
  private readonly agentsItem = this._register(vscode.window.createStatusBarItem('chant.runningAgents', vscode.StatusBarAlignment.Left, 39));
  private readonly headWatchers = new Map<string, vscode.Disposable>();
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  /** Per project, the specs whose `branch:` names a branch: built on first need, then kept per change. */
  private byBranch = new WeakMap<SpecIndex, SpecsByBranch>();

  constructor(private readonly projects: ProjectService) {
    super();
    this.branchItem.name = vscode.l10n.t('Chant: spec of the current branch');
    this.branchItem.command = OPEN_BRANCH_SPEC_COMMAND;
    this.agentsItem.name = vscode.l10n.t('Chant: running agents');
    this._register(vscode.window.onDidChangeWindowState((state) => state.focused && this.refresh()));
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.refresh()));
    this._register(
      projects.onDidChange((event) => {
        if (event.structural) {
          this.byBranch = new WeakMap();
          this.watchHeads().catch((error: unknown) => log.warn(`Status bar: ${String(error)}`));
        }
        for (const { index, changes } of event.projects) {
          this.byBranch.get(index)?.apply(changes, (id) => index.specs.get(id));
        }
        this.refresh();
      }),
    );
    this._register({ dispose: () => this.headWatchers.forEach((watcher) => watcher.dispose()) });
    projects
      .ready()
      .then(() => this.watchHeads())
      .then(
        () => this.refresh(),
        (error: unknown) => log.warn(`Status bar: ${String(error)}`),
      );
  }

  /** The spec of the checked-out branch: the active editor's project first, then the others. */
  async current(): Promise<BranchSpec | undefined> {
    await this.projects.ready();
    const active = vscode.window.activeTextEditor?.document.uri;
    const first = active?.scheme === 'file' ? this.projects.projectFor(active.fsPath) : undefined;
    const ordered = first ? [first, ...this.projects.projects().filter((p) => p !== first)] : this.projects.projects();
    for (const index of ordered) {
      const branch = await readHeadBranch(index.paths.root);
      if (!branch) continue;
      const id = specIdForBranch(
        branch,
        index.config.branchPrefix,
        (candidate) => index.specs.has(candidate),
        (name) => this.branchOwners(index).idFor(name),
      );
      const spec = id === undefined ? undefined : index.specs.get(id);
      if (spec) return { index, spec, branch };
    }
    return undefined;
  }

  private branchOwners(index: SpecIndex): SpecsByBranch {
    let owners = this.byBranch.get(index);
    if (!owners) this.byBranch.set(index, (owners = SpecsByBranch.build(index.specs.values())));
    return owners;
  }

  /** Shows the running-agents count while `source` is attached. */
  attachRunningAgents(source: RunningAgentsSource): vscode.Disposable {
    const render = (): void => {
      const count = source.runningCount();
      const needs = source.needsYouCount?.() ?? 0;
      if (count <= 0 && needs <= 0) {
        this.agentsItem.hide();
        return;
      }
      // `2 running · 1 needs you`: what the Runs view's groups say, at a glance.
      const parts = [vscode.l10n.t('{0} running', count)];
      if (needs > 0) parts.push(needs === 1 ? vscode.l10n.t('1 needs you') : vscode.l10n.t('{0} need you', needs));
      this.agentsItem.text = `$(hubot) ${parts.join(' · ')}`;
      const running = count === 1 ? vscode.l10n.t('1 agent running.') : vscode.l10n.t('{0} agents running.', count);
      const waiting = needs === 0 ? '' : needs === 1 ? vscode.l10n.t('1 run waiting for you.') : vscode.l10n.t('{0} runs waiting for you.', needs);
      this.agentsItem.tooltip = [running, waiting, vscode.l10n.t('Click to open the Runs view.')].filter(Boolean).join(' ');
      this.agentsItem.backgroundColor = needs > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
      this.agentsItem.command = source.command;
      this.agentsItem.show();
    };
    const listener = source.onDidChange(render);
    render();
    return new vscode.Disposable(() => {
      listener.dispose();
      this.agentsItem.hide();
    });
  }

  refresh(): void {
    // One read at a time; a request during a read schedules exactly one more.
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = this.render()
      .catch((error: unknown) => log.warn(`Could not read the current branch: ${String(error)}`))
      .finally(() => {
        this.refreshing = undefined;
        if (this.refreshAgain) {
          this.refreshAgain = false;
          this.refresh();
        }
      });
  }

  private async render(): Promise<void> {
    const found = await this.current();
    if (!found) {
      this.branchItem.hide();
      return;
    }
    const { spec, branch } = found;
    const title = spec.title?.trim() || '(untitled)';
    this.branchItem.text = `$(checklist) ${escapeIconSyntax(shortSpecId(spec.id))} ${escapeIconSyntax(oneLine(title, 50))}`;
    this.branchItem.tooltip = vscode.l10n.t('On branch {0}: spec {1}\n{2}\nClick to open the spec.', branch, spec.id, oneLine(title, 200));
    this.branchItem.show();
  }

  /** One watcher per git directory of the projects, on its HEAD file. */
  private async watchHeads(): Promise<void> {
    const dirs = new Set<string>();
    for (const index of this.projects.projects()) {
      const gitDir = await findGitDir(index.paths.root);
      if (gitDir) dirs.add(gitDir);
    }
    for (const [dir, watcher] of this.headWatchers) {
      if (!dirs.has(dir)) {
        watcher.dispose();
        this.headWatchers.delete(dir);
      }
    }
    for (const dir of dirs) {
      if (this.headWatchers.has(dir)) continue;
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dir), 'HEAD'));
      const onHead = (): void => this.refresh();
      const listeners = [watcher.onDidChange(onHead), watcher.onDidCreate(onHead), watcher.onDidDelete(onHead)];
      this.headWatchers.set(dir, vscode.Disposable.from(watcher, ...listeners));
    }
  }
}

/** "Chant: Open Spec of Current Branch" (also the status bar's click). */
export async function openBranchSpec(statusBar: SpecStatusBar): Promise<void> {
  const found = await statusBar.current();
  if (!found) {
    void vscode.window.showInformationMessage(vscode.l10n.t('The checked-out branch is not the branch of a chant spec.'));
    return;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(found.spec.path));
}
