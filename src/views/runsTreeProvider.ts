// The Runs view (`chant.runs`): every agent run of the workspace, live and past, grouped Needs you,
// Running, Queued, Done, with the phase chains as rows of their own. The rows come from the
// vscode-free model (core/present/runsViewModel.ts); this file only maps them to TreeItems, keeps the
// badge (runs that need the user) and ticks the elapsed times while something runs.
import * as vscode from 'vscode';
import { runDetails, todaysCost, todaysCostLabel, type ChainRecord, type RunGroup, type RunRecord } from '../core/runs/runRecord';
import { groupCounts, runsViewModel, type RunRow } from '../core/present/runsViewModel';
import { ChainNode, DetailNode, RunGroupNode, RunNode, type RunsNode } from './treeNodes';
import { Disposable } from '../lifecycle';
import type { RunRegistry } from '../runs/runRegistry';
import type { Terminals } from '../runs/terminals';

const CHAIN_ICONS: Record<ChainRecord['state'], string> = { waiting: 'debug-pause', running: 'sync~spin', done: 'list-ordered' };
const GROUP_ICONS: Record<RunGroup, string> = { 'needs-you': 'bell-dot', running: 'sync', queued: 'clock', done: 'history' };

function runIcon(run: RunRecord): vscode.ThemeIcon {
  if (run.need === 'failed' || run.state === 'failed') return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
  if (run.need === 'conflict') return new vscode.ThemeIcon('git-merge', new vscode.ThemeColor('list.errorForeground'));
  if (run.need) return new vscode.ThemeIcon('git-pull-request', new vscode.ThemeColor('list.warningForeground'));
  switch (run.state) {
    case 'queued':
      return new vscode.ThemeIcon('clock');
    case 'starting':
    case 'running':
    case 'finishing':
      return new vscode.ThemeIcon('sync~spin');
    case 'stopped':
      return new vscode.ThemeIcon('debug-pause');
    default:
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
  }
}

/** Tooltip text is spec text: appended as text, never as markdown. */
function runTooltip(run: RunRecord, row: RunRow): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendText(`${row.label}\n${run.id} · ${row.description}\n`);
  for (const { label, value } of runDetails(run)) md.appendText(`\n${label}: ${value}`);
  return md;
}

export class RunsTreeProvider extends Disposable implements vscode.TreeDataProvider<RunsNode> {
  private readonly changeEmitter = this._register(new vscode.EventEmitter<RunsNode | undefined>());
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private view: vscode.TreeView<RunsNode> | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private pending: NodeJS.Timeout | undefined;

  constructor(
    private readonly registry: RunRegistry,
    private readonly terminals?: Terminals,
  ) {
    super();
    // Activity arrives several times a second per run: one repaint per 250 ms at most.
    this._register(registry.onDidChangeList(() => this.scheduleRefresh()));
    this._register({ dispose: () => this.stopTicker() });
  }

  attachView(view: vscode.TreeView<RunsNode>): void {
    this.view = view;
    this._register(view.onDidChangeVisibility(() => this.updateTicker()));
    this.updateBadge();
  }

  refresh(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    this.changeEmitter.fire(undefined);
    this.updateBadge();
    this.updateTicker();
  }

  private scheduleRefresh(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => this.refresh(), 250);
  }

  private updateBadge(): void {
    if (!this.view) return;
    const count = this.registry.needsYouCount;
    this.view.badge = count > 0 ? { value: count, tooltip: count === 1 ? vscode.l10n.t('1 run needs you') : vscode.l10n.t('{0} runs need you', count) } : undefined;
    // Today's spending across runs, beside the view's title.
    const today = todaysCostLabel(todaysCost(this.registry.history(), Date.now()));
    if (this.view.description !== (today || undefined)) this.view.description = today || undefined;
  }

  /** While a run is live and the view is shown, its elapsed time ticks every second. */
  private updateTicker(): void {
    const live = this.registry.runningCount > 0 && (this.view?.visible ?? false);
    if (live && !this.ticker) this.ticker = setInterval(() => this.changeEmitter.fire(undefined), 1000);
    else if (!live) this.stopTicker();
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  getChildren(node?: RunsNode): RunsNode[] {
    if (!node) {
      const counts = groupCounts(this.registry.history(), this.registry.chains());
      const groups = runsViewModel(this.registry.history(), this.registry.chains(), Date.now(), {
        terminalOpen: (run) => this.terminals?.of(run.id, run.root) !== undefined,
      });
      return groups.map((g) => new RunGroupNode(g.group, g.label, g.rows, counts[g.group]));
    }
    if (node instanceof RunGroupNode) return node.rows.map((row) => (row.kind === 'run' ? new RunNode(row) : new ChainNode(row)));
    if (node instanceof RunNode) return runDetails(node.record).map((d) => new DetailNode(node.record.key, d.label, d.value));
    return [];
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    if (node instanceof RunGroupNode) {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `runGroup:${node.group}`;
      item.description = String(node.count);
      item.iconPath = new vscode.ThemeIcon(GROUP_ICONS[node.group]);
      item.contextValue = `runGroup:${node.group}`;
      return item;
    }
    if (node instanceof RunNode) {
      const run = node.record;
      const item = new vscode.TreeItem(node.row.label, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `run:${run.key}`;
      item.description = node.row.description;
      item.iconPath = runIcon(run);
      item.tooltip = runTooltip(run, node.row);
      item.contextValue = node.row.contextValue;
      item.command = { command: 'chant.run.openLog', title: vscode.l10n.t('Open Log'), arguments: [node] };
      item.accessibilityInformation = { label: `${node.row.label}, ${node.row.description}` };
      return item;
    }
    if (node instanceof ChainNode) {
      const chain = node.chain;
      const item = new vscode.TreeItem(node.row.label, vscode.TreeItemCollapsibleState.None);
      item.id = `chain:${chain.key}`;
      item.description = node.row.description;
      item.iconPath = new vscode.ThemeIcon(CHAIN_ICONS[chain.state]);
      item.contextValue = node.row.contextValue;
      item.tooltip = `${node.row.label}: ${node.row.description}`;
      return item;
    }
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.id = `detail:${node.parentKey}:${node.label}`;
    item.description = node.value;
    item.tooltip = `${node.label}: ${node.value}`;
    return item;
  }
}
