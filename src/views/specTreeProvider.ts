// The Specs tree: projects (only when there are several) → groups (by phase, investigation, status,
// type, label, or none) → specs → members, plus the Upstream PR gate of each investigation and a
// lazy Archive node. What goes where is decided by the core's grouping rules (src/core/present/grouping.ts),
// kept up to date per change by a LiveTreeModel per project (src/core/present/liveTreeModel.ts),
// built once when the project is indexed: opening the view and each change cost what they show and
// touch, never a pass over the project. This class maps that model onto nodes, keeps node objects
// stable by key, and repaints narrowly: a change that moves nothing between lists repaints only the
// rows it touched; one that moves a row fetches what is shown again.
import * as vscode from 'vscode';
import { displayStateOf, STATE_LABELS, type DisplayState } from '../core/present/displayState';
import {
  DEFAULT_GROUPING,
  describeFilter,
  investigationLabel,
  isFilterActive,
  isGroupingMode,
  matchesFilter,
  normalizeFilter,
  type GroupingMode,
  type SpecFilter,
  type UpstreamGate,
} from '../core/present/grouping';
import {
  LiveTreeModel,
  type LiveGroup,
  type LiveNode,
  type LiveTreeBuilder,
  type LiveTreeSource,
  type RowPage,
} from '../core/present/liveTreeModel';
import { compareSpecIds, driverIdOf, shortSpecId } from '../core/spec/ids';
import type { PhaseDefinition } from '../core/workflow/phases';
import type { IndexChange, SpecIndex } from '../core/project/specIndex';
import type { Spec } from '../core/spec/types';
import { Disposable } from '../lifecycle';
import type { ProjectService, ProjectsChangeEvent } from '../workspace/projectService';
import { requiresApproval } from '../core/project/readiness';
import { ARCHIVE_CONTEXT, gateContextValue, groupContextValue, projectContextValue, specContextValue as contextValueOf, type ContextState } from '../core/present/contextValues';
import type { GateStates } from '../investigation/gateStates';
import { formatCost } from '../core/runs/agentStream';
import { totalCost } from '../core/runs/runRecord';
import { isActive, type RunRegistry } from '../runs/runRegistry';
import { iconFor, specDescription, specLabel, specRowLabel, specTooltip } from './specPresentation';
import { ArchiveNode, GateNode, GroupNode, MoreNode, ProjectNode, SpecNode, type TreeNode } from './treeNodes';

export type { TreeNode };

/** Specs a list shows before its "Show more" row; each "Show more" doubles what it shows. */
export const TREE_PAGE = 100;

/** The command of the "Show more" row. */
export const SHOW_MORE_COMMAND = 'chant.showMoreSpecs';

/** Specs a model's build places before it lets the extension host do other work. */
const BUILD_SLICE = 1000;

/** workspaceState key of the grouping mode. */
export const GROUPING_STATE_KEY = 'chant.specs.grouping';

export class SpecTreeProvider extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly changeEmitter = this._register(new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>());
  readonly onDidChangeTreeData = this.changeEmitter.event;
  /** Node objects by `<root>\0<key>`, so narrow refreshes and `getParent` hand VS Code the same object. */
  private readonly nodes = new Map<string, TreeNode>();
  private readonly models = new Map<SpecIndex, LiveTreeModel>();
  /**
   * Models being built a slice at a time after the projects load (before the view asks), with the
   * changes that arrived meanwhile, applied when the build is done.
   */
  private readonly builds = new Map<SpecIndex, { builder: LiveTreeBuilder; changes: IndexChange[] }>();
  private buildTimer: NodeJS.Immediate | undefined;
  private modeValue: GroupingMode;
  private filterValue: SpecFilter = {};
  private viewValue: vscode.TreeView<TreeNode> | undefined;
  private readonly pendingRepaints = new Set<TreeNode>();
  private repaintTimer: NodeJS.Timeout | undefined;
  /** How to build a gate row's tooltip when it is hovered (resolveTreeItem), by the item. */
  private readonly gateTooltips = new WeakMap<vscode.TreeItem, () => vscode.MarkdownString>();
  /** Rows shown of each long list, by `<root>\0<list key>` (TREE_PAGE when absent). */
  private readonly pages = new Map<string, number>();

  constructor(
    private readonly projects: ProjectService,
    private readonly phases: () => readonly PhaseDefinition[],
    private readonly runs: RunRegistry,
    private readonly gates: GateStates,
    private readonly state?: vscode.Memento,
  ) {
    super();
    const saved = state?.get<unknown>(GROUPING_STATE_KEY);
    this.modeValue = isGroupingMode(saved) ? saved : DEFAULT_GROUPING;
    this._register(projects.onDidChange((event) => this.onProjectsChanged(event)));
    // A run started or ended: repaint that spec's row at once (icon, context value, menus).
    this._register(
      runs.onDidChange((change) => {
        this.repaintSpec(change.root, change.id);
        // A run of an investigation ended: its gate shows what the investigation's runs cost.
        if (change.run?.investigation && change.run.usage && !isActive(change.run)) this.repaintGates();
      }),
    );
    // The gates' merge answers were dropped (refs moved, trust granted): repaint the gates.
    this._register(gates.onDidChange(() => this.repaintGates()));
    this._register({ dispose: () => this.repaintTimer && clearTimeout(this.repaintTimer) });
    this._register({ dispose: () => this.buildTimer && clearImmediate(this.buildTimer) });
    void this.updateContext();
  }

  /** The TreeView showing this provider; it gets the badge, the filter description and messages. */
  attachView(view: vscode.TreeView<TreeNode>): void {
    this.viewValue = view;
    this.updateViewDecorations();
  }

  get view(): vscode.TreeView<TreeNode> | undefined {
    return this.viewValue;
  }

  get grouping(): GroupingMode {
    return this.modeValue;
  }

  get filter(): SpecFilter {
    return { ...this.filterValue };
  }

  async setGrouping(mode: GroupingMode): Promise<void> {
    if (!isGroupingMode(mode)) throw new Error(`Unknown grouping '${String(mode)}'.`);
    this.modeValue = mode;
    await this.state?.update(GROUPING_STATE_KEY, mode);
    await this.updateContext();
    this.refresh();
  }

  async setFilter(filter: SpecFilter): Promise<void> {
    this.filterValue = normalizeFilter(filter);
    await this.updateContext();
    this.refresh();
  }

  clearFilter(): Promise<void> {
    return this.setFilter({});
  }

  /** Rebuilds everything (projects, grouping, filter or settings changed). */
  refresh(): void {
    this.models.clear();
    this.builds.clear();
    this.repaintAll();
    // The models are built now, off the click, so that opening the view costs what it shows; a
    // slice at a time, so that the extension host answers meanwhile.
    if (this.projects.isLoaded) {
      for (const index of this.projects.projects()) {
        if (this.models.has(index)) continue; // the filtered view's message needed it at once
        const builder = LiveTreeModel.builder(this.sourceOf(index), this.modeValue, this.filterValue);
        this.builds.set(index, { builder, changes: [] });
      }
      this.buildSlice();
    }
  }

  private buildSlice(): void {
    if (this.buildTimer) clearImmediate(this.buildTimer);
    this.buildTimer = undefined;
    const next = this.builds.entries().next();
    if (next.done) return;
    const [index, build] = next.value;
    if (build.builder.step(BUILD_SLICE)) this.finishBuild(index);
    this.buildTimer = setImmediate(() => this.buildSlice());
  }

  private finishBuild(index: SpecIndex): LiveTreeModel {
    const build = this.builds.get(index)!;
    this.builds.delete(index);
    build.builder.step(Number.POSITIVE_INFINITY);
    const model = build.builder.model;
    // What changed while it was built is read again (nothing was shown from it yet).
    if (build.changes.length > 0) model.apply(build.changes);
    this.models.set(index, model);
    return model;
  }

  /** Asks VS Code for every shown row again; the models stay. */
  private repaintAll(): void {
    // Everything is fetched again, so the cache can start over instead of growing with old keys.
    this.nodes.clear();
    this.changeEmitter.fire(undefined);
    this.updateViewDecorations();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      await this.projects.ready();
      const projects = this.projects.projects();
      this.updateViewDecorations();
      if (projects.length === 1) return this.rootChildren(projects[0], undefined);
      return projects.map((index) => this.node(new ProjectNode(index, 'project')));
    }
    switch (node.kind) {
      case 'project':
        return this.rootChildren(node.index, node);
      case 'group':
        return this.page(node.index, node.key, node);
      case 'spec':
        return (node.model?.children ?? []).map((child) => this.modelNode(node.index, child, node));
      case 'gate':
      case 'more':
        return [];
      case 'archive': {
        const archived = await node.index.loadArchive();
        return [...archived.values()]
          .filter((spec) => matchesFilter(spec, displayStateOf(spec, undefined), this.filterValue))
          .sort((a, b) => compareSpecIds(b.id, a.id))
          .map((spec) => this.node(new SpecNode(node.index, `archived:${spec.id}`, spec.id, undefined, node)));
      }
    }
  }

  async getTreeItem(node: TreeNode): Promise<vscode.TreeItem> {
    switch (node.kind) {
      case 'project':
        return this.projectItem(node);
      case 'group':
        return this.groupItem(node);
      case 'spec':
        return this.specItem(node);
      case 'gate':
        return this.gateItem(node);
      case 'archive':
        return this.archiveItem(node);
      case 'more':
        return this.moreItem(node);
    }
  }

  /**
   * The tooltip, built only when the row is hovered (VS Code asks for it then): a Markdown string
   * per row for every row fetched was work no one looked at.
   */
  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (item.tooltip !== undefined) return item;
    if (node.kind === 'spec') {
      const resolved = node.spec();
      if (resolved) {
        const readiness = resolved.archived ? undefined : node.index.readiness(resolved.id);
        item.tooltip = specTooltip(resolved, readiness, displayStateOf(resolved, readiness));
      }
    } else if (node.kind === 'gate') {
      item.tooltip = this.gateTooltips.get(item)?.();
    }
    return item;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  /** Shows the next page of the list a "Show more" row ends. */
  showMore(node: MoreNode): void {
    this.pages.set(this.pageKey(node.index, node.listKey), node.shown * 2);
    this.changeEmitter.fire(node.parent ?? undefined);
  }

  /** The node showing an active spec (its first appearance), for `TreeView.reveal`. */
  async findSpecNode(id: string): Promise<SpecNode | undefined> {
    for (const index of this.projects.projects()) {
      if (!index.specs.has(id)) continue;
      this.showPageOf(index, id);
      const roots = await this.getChildren(
        this.projects.projects().length > 1 ? this.node(new ProjectNode(index, 'project')) : undefined,
      );
      const queue = [...roots];
      while (queue.length > 0) {
        const next = queue.shift()!;
        if (next.kind === 'spec' && next.id === id && next.model) return next;
        if (next.kind === 'group' || (next.kind === 'spec' && next.model))
          queue.push(...(await this.getChildren(next)));
      }
    }
    return undefined;
  }

  /** Ready specs across projects: the badge on the view. */
  readyCount(): number {
    // Kept by each index per change (the first call computes it), never a pass over every spec here.
    return this.projects.projects().reduce((n, index) => n + index.readyCount(), 0);
  }

  // -------------------------------------------------------------------------------------------
  // Model → nodes

  /** The project's model: built once (one pass over its specs), then kept up to date per change. */
  private modelFor(index: SpecIndex): LiveTreeModel {
    let model = this.models.get(index);
    if (model) return model;
    // Asked before the slices were done: the rest of the build now.
    if (this.builds.has(index)) return this.finishBuild(index);
    model = LiveTreeModel.build(this.sourceOf(index), this.modeValue, this.filterValue);
    this.models.set(index, model);
    return model;
  }

  private sourceOf(index: SpecIndex): LiveTreeSource {
    return {
      sorted: () => index.sorted(),
      get: (id) => index.specs.get(id),
      // The groups and counts read each spec's verdict; a row's full readiness is made when it is shown.
      stateOf: (spec) => displayStateOf(spec, index.verdict(spec.id)),
      phases: this.phases(),
    };
  }

  private rootChildren(index: SpecIndex, parent: ProjectNode | undefined): TreeNode[] {
    const children = this.page(index, '', parent);
    children.push(this.node(new ArchiveNode(index, 'archive', parent)));
    return children;
  }

  private pageKey(index: SpecIndex, listKey: string): string {
    return `${index.paths.root}\0${listKey}`;
  }

  /**
   * A list's first page of rows and a "Show more" row when there are more. Gates count as rows too:
   * the Upstream PR group of a large project holds hundreds, and each asks git whether its fix is merged.
   */
  private page(index: SpecIndex, listKey: string, parent: TreeNode | undefined): TreeNode[] {
    const limit = this.pages.get(this.pageKey(index, listKey)) ?? TREE_PAGE;
    const { nodes, total }: RowPage = this.modelFor(index).page(listKey, limit);
    const rows = nodes.map((child) => this.modelNode(index, child, parent));
    if (total > limit) rows.push(this.node(new MoreNode(index, `${listKey}/more`, listKey, limit, total - limit, parent)));
    return rows;
  }

  /** Widens the pages on the way to spec `id` so that its row exists (reveal, Go to Spec). */
  private showPageOf(index: SpecIndex, id: string): void {
    for (const { listKey, at } of this.modelFor(index).placesOf(id)) {
      const key = this.pageKey(index, listKey);
      if (at >= (this.pages.get(key) ?? TREE_PAGE)) this.pages.set(key, Math.ceil((at + 1) / TREE_PAGE) * TREE_PAGE);
    }
  }

  private modelNode(index: SpecIndex, model: LiveNode, parent: TreeNode | undefined): TreeNode {
    switch (model.kind) {
      case 'group':
        return this.node(new GroupNode(index, model.key, model, parent));
      case 'spec':
        return this.node(new SpecNode(index, model.key, model.id, model, parent));
      case 'gate':
        return this.node(new GateNode(index, model.key, model, parent));
    }
  }

  /** The cached node for this key, updated to the given model and parent. */
  private node<T extends TreeNode>(fresh: T): T {
    // One object per row: VS Code matches rows by identity in narrow refreshes and getParent.
    const cacheKey = `${fresh.index.paths.root}\0${fresh.kind}\0${fresh.key}`;
    const existing = this.nodes.get(cacheKey) as T | undefined;
    if (!existing || existing.index !== fresh.index) {
      this.nodes.set(cacheKey, fresh);
      return fresh;
    }
    Object.assign(existing, fresh);
    return existing;
  }

  // -------------------------------------------------------------------------------------------
  // Items

  private projectItem(node: ProjectNode): vscode.TreeItem {
    const uri = vscode.Uri.file(node.index.paths.root);
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    // The folder's own name when the project is a workspace folder; its path inside one otherwise.
    const relative = folder && folder.uri.fsPath === uri.fsPath ? folder.name : vscode.workspace.asRelativePath(uri);
    const item = new vscode.TreeItem(
      node.index.config.projectName || relative,
      vscode.TreeItemCollapsibleState.Expanded,
    );
    item.id = `project:${node.index.paths.root}`;
    item.iconPath = new vscode.ThemeIcon('root-folder');
    item.description = relative;
    item.tooltip = node.index.paths.root;
    item.contextValue = projectContextValue(node.index.silent);
    return item;
  }

  private groupItem(node: GroupNode): vscode.TreeItem {
    const { model } = node;
    const item = new vscode.TreeItem(
      model.label,
      model.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = `group:${node.index.paths.root}:${model.key}`;
    const gates = model.gates;
    // A group holding only human gates (Upstream PR) counts those rather than showing "0".
    item.description =
      model.count === 0 && gates > 0
        ? gates === 1
          ? vscode.l10n.t('1 gate')
          : vscode.l10n.t('{0} gates', gates)
        : String(model.count);
    item.iconPath = groupIcon(model);
    const filtered = isFilterActive(this.filterValue);
    item.tooltip =
      model.count === 1
        ? filtered
          ? vscode.l10n.t('{0}: 1 spec matching the filter', model.label)
          : vscode.l10n.t('{0}: 1 spec', model.label)
        : filtered
          ? vscode.l10n.t('{0}: {1} specs matching the filter', model.label, model.count)
          : vscode.l10n.t('{0}: {1} specs', model.label, model.count);
    item.contextValue = groupContextValue(model.groupKind);
    item.accessibilityInformation = { label: vscode.l10n.t('{0}, {1} specs', model.label, model.count) };
    return item;
  }

  private moreItem(node: MoreNode): vscode.TreeItem {
    const next = Math.min(node.shown, node.hidden);
    const item = new vscode.TreeItem(vscode.l10n.t('Show {0} more', next), vscode.TreeItemCollapsibleState.None);
    item.id = `more:${node.index.paths.root}:${node.key}`;
    item.description = vscode.l10n.t('{0} not shown', node.hidden);
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.command = { command: SHOW_MORE_COMMAND, title: vscode.l10n.t('Show More'), arguments: [node] };
    return item;
  }

  private archiveItem(node: ArchiveNode): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Archive'), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `archive:${node.index.paths.root}`;
    item.iconPath = new vscode.ThemeIcon('archive');
    const archived = node.index.archived;
    if (archived) {
      const shown = isFilterActive(this.filterValue)
        ? [...archived.values()].filter((s) => matchesFilter(s, displayStateOf(s, undefined), this.filterValue)).length
        : archived.size;
      item.description = String(shown);
    }
    item.tooltip = vscode.l10n.t('Specs moved to .chant/archive/ (loaded when expanded)');
    item.contextValue = ARCHIVE_CONTEXT;
    return item;
  }

  private specItem(node: SpecNode): vscode.TreeItem {
    const resolved = node.spec();
    if (!resolved) return new vscode.TreeItem(node.id);
    const readiness = resolved.archived ? undefined : node.index.readiness(resolved.id);
    const state = displayStateOf(resolved, readiness);
    const running = !resolved.archived && this.runs.isRunning(resolved.id, node.index.paths.root);
    const hasChildren = (node.model?.children.length ?? 0) > 0;
    const underPhase = node.parent instanceof GroupNode ? node.parent.phase : undefined;
    const item = new vscode.TreeItem(
      specRowLabel(resolved, underPhase),
      hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `spec:${node.index.paths.root}:${node.key}`;
    item.description = specDescription(resolved);
    item.iconPath = iconFor(running ? 'in_progress' : state);
    if (running) item.description = `running · ${item.description ?? ''}`.replace(/ · $/, '');
    // No resourceUri: in silent mode .chant/ is git-ignored and VS Code would grey every row out
    // with the git decoration, which reads as "disabled". The state icon says what matters.
    item.contextValue = specContextValue(resolved, running ? 'running' : state, node.index);
    item.command = {
      command: 'vscode.open',
      title: vscode.l10n.t('Open Spec'),
      arguments: [vscode.Uri.file(resolved.path)],
    };
    item.accessibilityInformation = { label: `${specLabel(resolved)}, ${resolved.id}, ${STATE_LABELS[state]}` };
    return item;
  }

  private async gateItem(node: GateNode): Promise<vscode.TreeItem> {
    const { gate } = node.model;
    const insideInvestigation = node.model.key.startsWith('investigation/');
    const label = insideInvestigation
      ? vscode.l10n.t('Upstream pull request (human gate)')
      : vscode.l10n.t('{0}: upstream pull request', investigationLabel(gate.investigation));
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = `gate:${node.index.paths.root}:${node.key}`;
    const main = node.index.config.mainBranch;
    let icon = new vscode.ThemeIcon('git-pull-request');
    let status: string;
    const details: string[] = [];
    if (gate.status === 'no-fix') {
      status = vscode.l10n.t('no Fork Fix spec yet');
      item.contextValue = gateContextValue('no-fix');
    } else if (gate.status === 'fix-open') {
      const open = gate.fixes.find((f) => f.state !== 'completed')!;
      status = vscode.l10n.t(
        'waiting for the fix ({0}: {1})',
        shortSpecId(open.id),
        STATE_LABELS[open.state].toLowerCase(),
      );
      item.contextValue = gateContextValue('fix-open');
    } else {
      // Never wait for git here: VS Code draws no row until every row of the group is returned.
      const merge = vscode.workspace.isTrusted
        ? this.gates.answeredStateOf(node.index, gate.fixes)
        : await this.gates.stateOf(node.index, gate.fixes);
      if (merge) details.push(merge.detail);
      if (!merge) {
        status = vscode.l10n.t('fix completed · checking whether it is merged');
        icon = new vscode.ThemeIcon('loading~spin');
        item.contextValue = gateContextValue('merge-unknown');
        void this.gates.stateOf(node.index, gate.fixes).then(() => this.repaintSoon(node));
      } else if (merge.state === 'merged') {
        status = vscode.l10n.t('fix completed · merged into {0}', main);
        icon = new vscode.ThemeIcon('git-pull-request', new vscode.ThemeColor('charts.green'));
        item.contextValue = gateContextValue('ready');
      } else if (merge.state === 'unmerged') {
        status = vscode.l10n.t('fix completed · not merged into {0}', main);
        icon = new vscode.ThemeIcon('git-pull-request', new vscode.ThemeColor('charts.orange'));
        item.contextValue = gateContextValue('unmerged');
      } else {
        status = vscode.l10n.t('fix completed · cannot tell whether it is merged');
        icon = new vscode.ThemeIcon('git-pull-request', new vscode.ThemeColor('charts.yellow'));
        item.contextValue = gateContextValue('merge-unknown');
      }
    }
    // The pull requests of the fix branch, once gh has answered (never waited for here).
    const fixBranch = gate.fixes.find((f) => f.branch)?.branch;
    const prs = gate.status === 'no-fix' || !fixBranch ? undefined : this.gates.pullRequestsOf(node.index, fixBranch);
    for (const pr of prs ?? []) {
      status += ` · ${pr.kind} PR #${pr.number} ${pr.state}`;
      details.push(
        pr.kind === 'upstream'
          ? vscode.l10n.t('Upstream pull request #{0} ({1}): {2} · {3}', pr.number, pr.repo, pr.state, pr.url)
          : vscode.l10n.t('Staging pull request #{0} ({1}): {2} · {3}', pr.number, pr.repo, pr.state, pr.url),
      );
    }
    // What the investigation's agent runs cost so far (the runs that reported it).
    const spent = totalCost(
      this.runs.history().filter((r) => r.root === node.index.paths.root && r.investigation === gate.investigation),
    );
    if (spent !== undefined)
      details.push(vscode.l10n.t('Agent runs of this investigation cost {0} so far.', formatCost(spent)));
    item.description = spent === undefined ? status : vscode.l10n.t('{0} · {1} spent', status, formatCost(spent));
    item.iconPath = icon;
    this.gateTooltips.set(item, () => gateTooltip(gate, status, details));
    const first = gate.fixes[0] && node.index.specs.get(gate.fixes[0].id);
    if (first)
      item.command = {
        command: 'vscode.open',
        title: vscode.l10n.t('Open Fix Spec'),
        arguments: [vscode.Uri.file(first.path)],
      };
    return item;
  }


  // -------------------------------------------------------------------------------------------
  // Live updates

  /** Repaints the rows showing spec `id` of project `root` (a run started or ended). */
  private repaintSpec(root: string, id: string): void {
    const targets = [...this.nodes.values()].filter(
      (n) => n.kind === 'spec' && n.id === id && n.index.paths.root === root,
    );
    if (targets.length > 0) this.changeEmitter.fire(targets);
  }

  /** Repaints `node` shortly, with any other node asked for meanwhile (gates answered by git). */
  private repaintSoon(node: TreeNode): void {
    this.pendingRepaints.add(node);
    this.repaintTimer ??= setTimeout(() => {
      this.repaintTimer = undefined;
      const nodes = [...this.pendingRepaints];
      this.pendingRepaints.clear();
      this.changeEmitter.fire(nodes);
    }, 30);
  }

  private repaintGates(): void {
    const gates = [...this.nodes.values()].filter((n) => n.kind === 'gate');
    if (gates.length > 0) this.changeEmitter.fire(gates);
  }

  private onProjectsChanged(event: ProjectsChangeEvent): void {
    if (event.structural) {
      this.refresh();
      return;
    }
    const targets = new Set<TreeNode>();
    let everything = false;
    for (const { index, changes } of event.projects) {
      this.builds.get(index)?.changes.push(...changes);
      const model = this.models.get(index);
      if (!model) continue; // not built yet: built from the index as it is now
      // The model follows the change in what it touched; the view repaints the rows whose look,
      // count or rows below changed. A row that moved to another list is fetched again with
      // everything shown, rather than handed to VS Code under a new parent piecemeal.
      const delta = model.apply(changes);
      if (delta.roots || delta.moved) everything = true;
      if (everything) continue;
      const touched = touchedIds(changes);
      const root = index.paths.root;
      for (const key of delta.changed) {
        for (const kind of ['group', 'spec'] as const) {
          const node = this.nodes.get(`${root}\0${kind}\0${key}`) as GroupNode | SpecNode | undefined;
          const row = node && model.row(key);
          if (!node || !row) continue;
          node.model = row as never;
          targets.add(node);
        }
      }
      for (const node of this.nodes.values()) {
        if (node.index !== index) continue;
        if (node.kind === 'spec' && !node.archived && touched.has(node.id)) {
          // Point the live node at its row now: VS Code asks for the item before the children.
          const row = model.row(node.key);
          if (row?.kind === 'spec') node.model = row;
          targets.add(node);
        } else if (node.kind === 'gate' && delta.gates.has(node.model.gate.investigation)) {
          const row = model.row(node.key);
          if (row?.kind !== 'gate' || JSON.stringify(row.gate) === JSON.stringify(node.model.gate)) continue;
          node.model = row;
          targets.add(node);
        } else if (node.kind === 'archive' && changes.some((c) => c.archived)) {
          targets.add(node);
        }
      }
    }
    if (everything) this.repaintAll();
    else if (targets.size > 0) this.changeEmitter.fire([...targets]);
    this.updateViewDecorations();
  }

  private updateViewDecorations(): void {
    const view = this.viewValue;
    if (!view) return;
    const ready = this.projects.isLoaded ? this.readyCount() : 0;
    view.badge =
      ready > 0
        ? {
            value: ready,
            tooltip:
              ready === 1 ? vscode.l10n.t('1 spec ready to work') : vscode.l10n.t('{0} specs ready to work', ready),
          }
        : undefined;
    const filtered = isFilterActive(this.filterValue);
    view.description = filtered ? vscode.l10n.t('Filtered: {0}', describeFilter(this.filterValue)) : undefined;
    if (filtered && this.projects.isLoaded) {
      const matching = this.projects.projects().reduce((n, index) => n + this.modelFor(index).matching, 0);
      view.message = matching === 0 ? vscode.l10n.t('No active spec matches the filter.') : undefined;
    } else {
      view.message = undefined;
    }
  }

  private async updateContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'chant.specs.filtered', isFilterActive(this.filterValue));
    await vscode.commands.executeCommand('setContext', 'chant.specs.grouping', this.modeValue);
  }
}

/** The specs a change touched: the ones changed and those whose state may follow (IndexChange.affected). */
function touchedIds(changes: readonly IndexChange[]): Set<string> {
  const touched = new Set<string>();
  for (const change of changes) {
    for (const id of change.affected) touched.add(id);
    if (change.id) touched.add(change.id);
  }
  return touched;
}

/** A gate row's tooltip: what the gate is, its status and details, and its fixes (all untrusted text as text). */
function gateTooltip(gate: UpstreamGate, status: string, details: readonly string[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = false;
  md.appendMarkdown('**');
  md.appendText(vscode.l10n.t('{0}: Upstream PR', investigationLabel(gate.investigation)));
  md.appendMarkdown('**\n\n');
  md.appendText(
    vscode.l10n.t(
      "A human gate: chant has no spec for this phase. Once the Fork Fix spec is completed and its branch is merged into the main branch, a maintainer opens the upstream pull request and then archives the investigation's specs.",
    ),
  );
  md.appendMarkdown('\n\n');
  md.appendText(vscode.l10n.t('Status: {0}', status));
  for (const detail of details) {
    md.appendMarkdown('  \n');
    md.appendText(detail);
  }
  for (const fix of gate.fixes) {
    md.appendMarkdown('  \n');
    md.appendText(fix.branch ? vscode.l10n.t('Fix {0}: {1} · branch {2}', fix.id, STATE_LABELS[fix.state], fix.branch) : vscode.l10n.t('Fix {0}: {1}', fix.id, STATE_LABELS[fix.state]));
  }
  return md;
}

/** The spec row's context value (core/present/contextValues.ts builds it from these segments). */
export function specContextValue(spec: Spec, state: ContextState, index: SpecIndex): string {
  const role = driverIdOf(spec.id) !== undefined ? 'member' : isDriverLike(spec, index) ? 'driver' : 'single';
  const awaitingApproval = !spec.archived && requiresApproval(spec);
  return contextValueOf({
    state,
    type: spec.type,
    typeKnown: spec.typeKnown,
    archived: spec.archived,
    role,
    hasTargets: spec.targetFiles.length > 0,
    awaitingApproval,
  });
}

function isDriverLike(spec: Spec, index: SpecIndex): boolean {
  if (spec.type === 'driver' || spec.type === 'group') return true;
  return !spec.archived && index.membersOf(spec.id).length > 0;
}

function groupIcon(model: LiveGroup): vscode.ThemeIcon {
  switch (model.groupKind) {
    case 'phase':
      return new vscode.ThemeIcon('symbol-folder');
    case 'investigation':
      return new vscode.ThemeIcon(model.value ? 'issues' : 'folder');
    case 'status':
      return model.value ? iconFor(model.value as DisplayState) : new vscode.ThemeIcon('folder');
    case 'type':
      return new vscode.ThemeIcon('symbol-class');
    case 'label':
      return new vscode.ThemeIcon('tag');
  }
}
