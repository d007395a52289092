// "Chant: Show Investigation": one investigation as a stepper (core/present/investigationView).
// The host builds the view from the index, reads the research documents (inside the project only)
// and posts them; the webview renders the documents as sanitized markdown and posts back the
// action a button stands for, which the host runs as the extension's own command with the spec id
// (the spec is known: no picker). Every message is checked (parseInvestigationMessage) and only
// the spec ids of this investigation are acted on.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { buildInvestigationView, investigationKeyFor, type RunSummary } from '../../core/present/investigationView';
import type { PhaseDefinition } from '../../core/workflow/phases';
import type { SpecIndex } from '../../core/project/specIndex';
import { fixSpecOf, specsOfInvestigation } from '../../core/workflow/investigationSpecs';
import type { GateStates } from '../../investigation/gateStates';
import { Disposable } from '../../lifecycle';
import { log } from '../../log';
import { RunGit } from '../../git/runGit';
import type { ProjectService } from '../../workspace/projectService';
import {
  INVESTIGATION_VIEW_TYPE,
  parseInvestigationMessage,
  type GateAction,
  type InvestigationActionKind,
  type InvestigationHostMessage,
  type InvestigationWebviewMessage,
} from '../protocol';
import { webviewHtml, webviewOptions } from './webviewHtml';
import { openWorkspaceFile, resolveWorkspaceFile } from './workspaceFiles';

/** The command each button runs, with the spec id as its argument (`open` the panel does itself). */
export const ACTION_COMMANDS: Record<Exclude<InvestigationActionKind, 'open'>, string> = {
  work: 'chant.workSpec',
  rerun: 'chant.workSpec',
  review: 'chant.reviewChanges',
  merge: 'chant.mergeSpec',
  approve: 'chant.approveSpec',
  reject: 'chant.rejectSpec',
  reResearch: 'chant.reResearch',
};

export const GATE_COMMANDS: Record<GateAction, string> = {
  prepareUpstreamPr: 'chant.prepareUpstreamPr',
  createUpstreamPr: 'chant.createUpstreamPr',
  createStagingPr: 'chant.createStagingPr',
};

export interface InvestigationPanelDeps {
  extensionUri: vscode.Uri;
  projects: ProjectService;
  phases: () => readonly PhaseDefinition[];
  /** Runs per spec from the run registry, when it exists. */
  runs?: (root: string, specId: string) => readonly RunSummary[];
  /** The Upstream PR gate's answers (the fix branch's pull requests), when given. */
  gates?: GateStates;
}

export class InvestigationPanel extends Disposable {
  /** One panel per project root and investigation key (`<root>\0<key>`). */
  static readonly panels = new Map<string, InvestigationPanel>();
  private ready = false;
  /** Ids of the specs whose branch holds commits the main branch lacks; undefined until git answered (never in Restricted Mode). */
  private unmerged: ReadonlySet<string> | undefined;
  private unmergedAsked = false;
  private timer: NodeJS.Timeout | undefined;
  refused = 0;
  /** The last view posted (tests). */
  lastMessage: InvestigationHostMessage | undefined;
  /** Commands run from the panel, in order (tests). */
  readonly ran: Array<{ command: string; arg: string }> = [];

  static show(deps: InvestigationPanelDeps, index: SpecIndex, key: string): InvestigationPanel {
    const existing = InvestigationPanel.panels.get(`${index.paths.root}\0${key}`);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(INVESTIGATION_VIEW_TYPE, `Investigation ${key}`, vscode.ViewColumn.Active, {
      ...webviewOptions(deps.extensionUri),
      retainContextWhenHidden: true,
    });
    return new InvestigationPanel(panel, deps, index, key);
  }

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: InvestigationPanelDeps,
    private index: SpecIndex,
    readonly key: string,
  ) {
    super();
    InvestigationPanel.panels.set(this.id, this);
    panel.webview.options = webviewOptions(deps.extensionUri);
    panel.webview.html = webviewHtml(panel.webview, deps.extensionUri, { app: 'investigation', title: vscode.l10n.t('Chant Investigation') });
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(panel.webview.onDidReceiveMessage((raw) => void this.onMessage(raw)));
    this._register(
      deps.projects.onDidChange((e) => {
        for (const project of e.projects) if (project.index.paths.root === this.index.paths.root) this.index = project.index;
        this.schedule();
      }),
    );
    // Coming into view: the pull requests may have moved on GitHub; ask gh again.
    this._register(
      panel.onDidChangeViewState((e) => {
        if (!e.webviewPanel.visible) return;
        if (deps.gates) deps.gates.forgetPullRequests(this.index.paths.root);
        else this.schedule();
      }),
    );
    if (deps.gates) this._register(deps.gates.onDidChange(() => this.schedule()));
    this._register({ dispose: () => this.timer && clearTimeout(this.timer) });
    void index.loadArchive().then(() => this.schedule(), () => undefined);
  }

  private get id(): string {
    return `${this.index.paths.root}\0${this.key}`;
  }

  override dispose(): void {
    if (InvestigationPanel.panels.get(this.id) === this) InvestigationPanel.panels.delete(this.id);
    super.dispose();
    this.panel.dispose();
  }

  /** Posts the view again (after the github layer learnt a pull request's state, for instance). */
  refresh(): void {
    this.post();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.post(), 120);
  }

  /** The handler of webview messages; public so tests can send forged ones. */
  async onMessage(raw: unknown): Promise<boolean> {
    const message = parseInvestigationMessage(raw);
    if (!message) {
      this.refused++;
      log.warn('Investigation: ignored a malformed message from the webview');
      return false;
    }
    try {
      return await this.handle(message);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      log.error(`Investigation: ${text}`);
      void this.panel.webview.postMessage({ type: 'actionFailed', message: text } satisfies InvestigationHostMessage);
      return false;
    }
  }

  private async handle(message: InvestigationWebviewMessage): Promise<boolean> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post();
        return true;
      case 'action': {
        const spec = this.index.get(message.specId) ?? this.index.archived?.get(message.specId);
        if (!spec || investigationKeyFor(spec.id, new Map([[spec.id, spec]])) !== this.key) {
          this.refused++;
          return false;
        }
        if (message.action === 'open') {
          if (!resolveWorkspaceFile(spec.path, this.index.paths.root)) return false;
          await vscode.window.showTextDocument(vscode.Uri.file(spec.path), { preview: true });
          return true;
        }
        return this.run(ACTION_COMMANDS[message.action], spec.id);
      }
      case 'gate':
        return this.run(GATE_COMMANDS[message.action], this.key);
      case 'openFile':
        if (!resolveWorkspaceFile(message.path, this.index.paths.root)) {
          this.refused++;
          return false;
        }
        return openWorkspaceFile(message.path, this.index.paths.root);
      case 'openUrl':
        return vscode.env.openExternal(vscode.Uri.parse(message.url, true));
    }
  }

  private async run(command: string, arg: string): Promise<boolean> {
    const known = await vscode.commands.getCommands(true);
    if (!known.includes(command)) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Chant: {0} is not available in this version.', command));
      return false;
    }
    this.ran.push({ command, arg });
    await vscode.commands.executeCommand(command, arg);
    this.schedule();
    return true;
  }

  private post(): void {
    if (!this.ready) return;
    const index = this.index;
    const root = index.paths.root;
    const view = buildInvestigationView(index.specs, this.key, {
      archived: index.archived,
      phases: this.deps.phases(),
      readiness: (id) => index.readiness(id),
      readDocument: (relative) => {
        const file = resolveWorkspaceFile(relative, root);
        if (!file) return undefined;
        try {
          return fs.readFileSync(file, 'utf8');
        } catch {
          return undefined;
        }
      },
      runs: this.deps.runs ? (id) => this.deps.runs!(root, id) : undefined,
      unmerged: (id) => this.unmerged?.has(id),
    });
    void this.refreshUnmerged();
    const branch = fixSpecOf(specsOfInvestigation(index.sorted(), this.key))?.branch;
    for (const pr of (branch && this.deps.gates?.pullRequestsOf(index, branch)) || []) {
      const shown = { url: pr.url, state: `#${pr.number} ${pr.state}` };
      if (pr.kind === 'upstream') view.gate.upstreamPr = shown;
      else view.gate.stagingPr = shown;
    }
    const message: InvestigationHostMessage = { type: 'investigation', root, view };
    this.lastMessage = message;
    this.panel.title = vscode.l10n.t('Investigation {0}', this.key);
    void this.panel.webview.postMessage(message);
  }

  /**
   * Which branches still wait for a merge, so "Merge and Continue" is offered only on them (a phase
   * merged already has one state: done). Asked again with every post; posts again only on a change.
   */
  private async refreshUnmerged(): Promise<void> {
    if (this.unmergedAsked || !vscode.workspace.isTrusted) return;
    this.unmergedAsked = true;
    try {
      const { paths, config } = this.index;
      const git = await RunGit.open(paths.root).catch(() => undefined);
      if (!git) return;
      const prefix = config.branchPrefix;
      const ids = new Set((await git.unmergedBranches(prefix, config.mainBranch)).map((b) => b.slice(prefix.length)));
      const before = this.unmerged;
      this.unmerged = ids;
      if (!before || before.size !== ids.size || [...ids].some((id) => !before.has(id))) this.post();
    } finally {
      this.unmergedAsked = false;
    }
  }
}

/** Restores open Investigation panels after a window reload. */
export function investigationSerializer(deps: InvestigationPanelDeps): vscode.WebviewPanelSerializer {
  return {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
      await deps.projects.ready();
      const s = state as { root?: unknown; key?: unknown } | undefined;
      const index = deps.projects.projects().find((p) => p.paths.root === s?.root);
      if (!index || typeof s?.key !== 'string' || InvestigationPanel.panels.has(`${index.paths.root}\0${s.key}`)) {
        panel.dispose();
        return;
      }
      new InvestigationPanel(panel, deps, index, s.key);
    },
  };
}
