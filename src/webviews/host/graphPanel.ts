// "Chant: Show Graph": the informed_by graph of a scope. The host builds the graph model from the
// index and posts it; the webview lays it out (dagre) and draws it. Live updates re-post the model
// and the webview keeps its viewport. `open` messages are checked: specs by id, files only inside
// the workspace, URLs only http(s).
//
// Drift marks come after the first draw, never before it. Measured on the corpus snapshot the check
// is cheap (workspace-2026-01-25: 49 completed specs, none with drift inputs, 0.3 ms; the 300
// historical specs: 4 candidates, 17 ms), but it is file-system work whose cost the user controls:
// 2,000 specs tracking 3 files each took 0.4 s, and one `**/*.md` pattern walked a repository with
// node_modules in 2.9 s. So the graph is posted at once with what the DriftCache already knows, the
// check runs in the background, and the graph is posted again (keeping the viewport) only when a
// mark appears, changes or goes away. Files written after completion are put to git once per pass
// (GitDriftHistory), so a fresh clone or a `touch` does not mark committed files as drifted.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DriftCache } from '../../core/project/drift';
import { buildGraphView, defaultScopeFor, driftCandidatesOf, scopeChoices, type GraphViewNode, type GraphViewScope } from '../../core/present/graphModel';
import { orderedPhaseNames, type PhaseDefinition } from '../../core/workflow/phases';
import type { SpecIndex } from '../../core/project/specIndex';
import { GitDriftHistory } from '../../git/driftHistory';
import { Disposable } from '../../lifecycle';
import { log } from '../../log';
import type { ProjectService } from '../../workspace/projectService';
import { GRAPH_VIEW_TYPE, parseGraphMessage, type GraphHostMessage, type GraphPanelState, type GraphWebviewMessage } from '../protocol';
import { webviewHtml, webviewOptions } from './webviewHtml';
import { openWorkspaceFile, resolveWorkspaceFile } from './workspaceFiles';
import { settings } from '../../settings';

export class GraphPanel extends Disposable {
  /** One graph panel per project root. */
  static readonly panels = new Map<string, GraphPanel>();

  private ready = false;
  private updateTimer: NodeJS.Timeout | undefined;
  private focus: string | undefined;
  refused = 0;
  /** Where the last export went (tests). */
  lastExport: string | undefined;
  /** The last graph posted to the webview (tests). */
  lastGraph: Extract<GraphHostMessage, { type: 'graph' }> | undefined;
  /** Drift passes finished (tests). */
  driftPasses = 0;
  private readonly drift = new DriftCache();
  private driftRun: Promise<void> | undefined;
  private driftAgain = false;
  /** The nodes of the last graph built, whose specs the next drift pass checks. */
  private shown: GraphViewNode[] = [];
  private closed = false;

  static show(
    extensionUri: vscode.Uri,
    projects: ProjectService,
    phases: () => readonly PhaseDefinition[],
    index: SpecIndex,
    specId: string | undefined,
  ): GraphPanel {
    const scope = defaultScopeFor(specId);
    const existing = GraphPanel.panels.get(index.paths.root);
    if (existing) {
      try {
        existing.setScope(scope, specId);
        existing.panel.reveal();
        return existing;
      } catch {
        // Its webview went away without telling us (seen once in CI as "Webview is disposed"):
        // forget it and open a fresh panel rather than fail the command.
        existing.dispose();
      }
    }
    const panel = vscode.window.createWebviewPanel(GRAPH_VIEW_TYPE, 'Chant Graph', vscode.ViewColumn.Active, {
      ...webviewOptions(extensionUri),
      retainContextWhenHidden: true,
    });
    return new GraphPanel(panel, extensionUri, projects, phases, index, scope, specId);
  }

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    projects: ProjectService,
    private readonly phases: () => readonly PhaseDefinition[],
    private index: SpecIndex,
    private scope: GraphViewScope,
    focus?: string,
  ) {
    super();
    this.focus = focus;
    GraphPanel.panels.set(index.paths.root, this);
    panel.title = vscode.l10n.t('Chant Graph');
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = webviewHtml(panel.webview, extensionUri, { app: 'graph', title: vscode.l10n.t('Chant Graph') });
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(panel.webview.onDidReceiveMessage((raw) => void this.onMessage(raw)));
    this._register(
      projects.onDidChange((e) => {
        for (const project of e.projects) if (project.index.paths.root === this.index.paths.root) this.index = project.index;
        if (e.structural || e.projects.some((p) => p.index.paths.root === this.index.paths.root)) this.scheduleUpdate();
      }),
    );
    this._register(vscode.workspace.onDidChangeConfiguration((e) => settings.phases.affectedBy(e) && this.scheduleUpdate()));
    this._register({ dispose: () => this.updateTimer && clearTimeout(this.updateTimer) });
    // Tracked files are not watched; coming back to the panel is when a change made meanwhile shows.
    this._register(panel.onDidChangeViewState((e) => e.webviewPanel.visible && this.refreshDrift()));
    // Trust granted: check again with git's commit dates.
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.refreshDrift()));
    void index.loadArchive().then(() => this.scheduleUpdate(), () => undefined);
  }

  override dispose(): void {
    this.closed = true;
    if (GraphPanel.panels.get(this.index.paths.root) === this) GraphPanel.panels.delete(this.index.paths.root);
    super.dispose();
    this.panel.dispose();
  }

  state(): GraphPanelState {
    return { root: this.index.paths.root, scope: this.scope };
  }

  get currentScope(): GraphViewScope {
    return this.scope;
  }

  setScope(scope: GraphViewScope, focus?: string): void {
    this.scope = scope;
    this.focus = focus;
    this.postGraph(false);
  }

  /** The handler of webview messages; public so tests can send forged ones. */
  async onMessage(raw: unknown): Promise<boolean> {
    const message = parseGraphMessage(raw);
    if (!message) {
      this.refused++;
      log.warn('Graph: ignored a malformed message from the webview');
      return false;
    }
    try {
      return await this.handle(message);
    } catch (error) {
      log.error(`Graph: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return false;
    }
  }

  private async handle(message: GraphWebviewMessage): Promise<boolean> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        if (message.scope && !this.focus) this.scope = message.scope;
        this.postGraph(false);
        return true;
      case 'setScope':
        this.setScope(message.scope);
        return true;
      case 'open':
        return this.open(message.target);
      case 'exportSvg': {
        const target = await vscode.window.showSaveDialog({
          defaultUri: vscode.Uri.file(path.join(this.index.paths.root, 'chant-graph.svg')),
          filters: { 'SVG image': ['svg'] },
          title: vscode.l10n.t('Export Graph as SVG'),
        });
        if (!target) return false;
        await vscode.workspace.fs.writeFile(target, Buffer.from(message.svg, 'utf8'));
        this.lastExport = target.fsPath;
        this.post({ type: 'exported', path: target.fsPath });
        void vscode.window.showInformationMessage(vscode.l10n.t('Chant: graph exported to {0}.', path.basename(target.fsPath)));
        return true;
      }
    }
  }

  private async open(target: Extract<GraphWebviewMessage, { type: 'open' }>['target']): Promise<boolean> {
    if (target.kind === 'spec') {
      const spec = this.index.get(target.specId) ?? this.index.archived?.get(target.specId);
      if (!spec || !resolveWorkspaceFile(spec.path, this.index.paths.root)) {
        this.refused++;
        return false;
      }
      await vscode.window.showTextDocument(vscode.Uri.file(spec.path), { preview: true });
      return true;
    }
    if (target.kind === 'url') {
      return vscode.env.openExternal(vscode.Uri.parse(target.url, true));
    }
    if (target.kind === 'investigation') {
      await vscode.commands.executeCommand('chant.showInvestigation', target.key);
      return true;
    }
    if (!resolveWorkspaceFile(target.path, this.index.paths.root)) {
      this.refused++;
      log.warn('Graph: refused to open a path outside the workspace');
      void vscode.window.showWarningMessage(vscode.l10n.t('Chant: refused to open a file outside the workspace.'));
      return false;
    }
    if (/[*?[]/.test(target.path)) {
      const matches = await vscode.workspace.findFiles(new vscode.RelativePattern(this.index.paths.root, target.path), undefined, 50);
      if (matches.length === 0) return false;
      const picked =
        matches.length === 1
          ? matches[0]
          : (await vscode.window.showQuickPick(matches.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri }))))?.uri;
      if (picked) await vscode.window.showTextDocument(picked, { preview: true });
      return picked !== undefined;
    }
    return openWorkspaceFile(target.path, this.index.paths.root);
  }

  private scheduleUpdate(): void {
    if (this.updateTimer) clearTimeout(this.updateTimer);
    this.updateTimer = setTimeout(() => this.postGraph(true), 150);
  }

  /** Posts the graph with the drift known so far, then checks drift again in the background. */
  private postGraph(keepViewport: boolean): void {
    this.post(this.graphMessage(keepViewport));
    this.refreshDrift();
  }

  /** One drift pass at a time; a request during a pass runs one more pass after it. */
  private refreshDrift(): void {
    if (this.closed) return;
    if (this.driftRun) {
      this.driftAgain = true;
      return;
    }
    this.driftRun = this.checkDrift()
      .catch((error: unknown) => log.warn(`Graph: drift check failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`))
      .finally(() => {
        this.driftRun = undefined;
        this.driftPasses++;
        if (this.driftAgain) {
          this.driftAgain = false;
          this.refreshDrift();
        }
      });
  }

  private async checkDrift(): Promise<void> {
    const index = this.index;
    // git is only run in a trusted workspace: a repository's own config can make git run programs
    // (core.fsmonitor, filters). In Restricted Mode drift falls back to file times, as chant's does.
    const history = vscode.workspace.isTrusted
      ? new GitDriftHistory(index.paths.root, { onError: (message) => log.warn(`Graph: drift falls back to file times: ${message}`) })
      : undefined;
    const changed = await this.drift.refresh(driftCandidatesOf(this.shown, index.specs), index.paths.root, {
      history,
      onError: (spec, error) => log.warn(`Graph: could not check drift of ${spec.id}: ${error instanceof Error ? error.message : String(error)}`),
    });
    if (changed && !this.closed) this.post(this.graphMessage(true));
  }

  private graphMessage(keepViewport: boolean): GraphHostMessage {
    const index = this.index;
    const phases = this.phases();
    const view = buildGraphView(index.specs, this.scope, {
      archived: index.archived,
      phases,
      projectRoot: index.paths.root,
      readiness: (id) => index.readiness(id),
      drift: (id) => {
        const spec = index.specs.get(id);
        return spec && this.drift.get(spec);
      },
    });
    this.shown = view.nodes;
    // Documents that exist can be opened; mark the rest so the webview can say so.
    for (const node of view.nodes) {
      if (node.kind === 'document' && node.path !== undefined && !/[*?[]/.test(node.path)) {
        (node as { missing?: boolean }).missing = !fs.existsSync(path.resolve(index.paths.root, node.path));
      }
    }
    const message: GraphHostMessage = {
      type: 'graph',
      root: index.paths.root,
      scope: this.scope,
      choices: scopeChoices(index.specs, phases),
      nodes: view.nodes,
      edges: view.edges,
      keepViewport,
      phaseOrder: orderedPhaseNames(phases),
    };
    if (this.focus) message.focus = this.focus;
    return message;
  }

  private post(message: GraphHostMessage): void {
    if (!this.ready) return;
    if (message.type === 'graph') this.lastGraph = message;
    void this.panel.webview.postMessage(message);
  }
}
