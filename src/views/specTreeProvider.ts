// The Specs tree: projects (only when there are several) → groups (by phase, investigation, status,
// type, label, or none) → specs → members, plus the Upstream PR gate of each investigation and a
// lazy Archive node. What goes where is decided by the core's grouping model (src/core/present/grouping.ts);
// this class maps that model onto nodes, keeps node objects stable by key, and repaints narrowly:
// a change that moves nothing between groups repaints only the nodes it touched, anything that
// moves a spec rebuilds the tree.
import * as vscode from 'vscode';
import { displayStateOf, STATE_LABELS, type DisplayState } from '../core/present/displayState';
import {
  buildTreeModel,
  DEFAULT_GROUPING,
  describeFilter,
  indexModel,
  investigationLabel,
  isFilterActive,
  isGroupingMode,
  matchesFilter,
  normalizeFilter,
  structureOf,
  type GateModel,
  type GroupingMode,
  type GroupModel,
  type ModelNode,
  type SpecFilter,
  type SpecModel,
  type TreeModel,
} from '../core/present/grouping';
import { compareSpecIds, driverIdOf, parentIdOf, shortSpecId } from '../core/spec/ids';
import type { PhaseDefinition } from '../core/workflow/phases';
import type { SpecIndex } from '../core/project/specIndex';
import type { Spec } from '../core/spec/types';
import { GitRepo, messageOf } from '../git/gitRepo';
import { mergeStateOf, type MergeState } from '../git/mergeState';
import { Disposable } from '../lifecycle';
import type { ProjectService, ProjectsChangeEvent } from '../workspace/projectService';
import { iconFor, specDescription, specLabel, specTooltip } from './specPresentation';

export type TreeNode = ProjectNode | GroupNode | SpecNode | GateNode | ArchiveNode;

interface NodeBase {
  index: SpecIndex;
  /** Unique per project; the tree item id is `<kind>:<root>:<key>`. */
  key: string;
  parent?: TreeNode;
}
export interface ProjectNode extends NodeBase {
  kind: 'project';
}
export interface GroupNode extends NodeBase {
  kind: 'group';
  model: GroupModel;
}
export interface SpecNode extends NodeBase {
  kind: 'spec';
  id: string;
  /** Undefined for archived specs, which have no members shown. */
  model?: SpecModel;
}
export interface GateNode extends NodeBase {
  kind: 'gate';
  model: GateModel;
}
export interface ArchiveNode extends NodeBase {
  kind: 'archive';
}

/** workspaceState key of the grouping mode. */
export const GROUPING_STATE_KEY = 'chant.specs.grouping';

interface ProjectModel {
  model: TreeModel;
  byKey: ReturnType<typeof indexModel>;
}

export class SpecTreeProvider extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly changeEmitter = this._register(new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>());
  readonly onDidChangeTreeData = this.changeEmitter.event;
  /** Node objects by `<root>\0<key>`, so narrow refreshes and `getParent` hand VS Code the same object. */
  private readonly nodes = new Map<string, TreeNode>();
  private readonly models = new Map<SpecIndex, ProjectModel>();
  private modeValue: GroupingMode;
  private filterValue: SpecFilter = {};
  private viewValue: vscode.TreeView<TreeNode> | undefined;
  private readonly repos = new Map<string, Promise<GitRepo | string>>();
  private readonly mergeStates = new Map<string, Promise<MergeState>>();

  constructor(
    private readonly projects: ProjectService,
    private readonly phases: () => readonly PhaseDefinition[],
    private readonly state?: vscode.Memento,
  ) {
    super();
    const saved = state?.get<unknown>(GROUPING_STATE_KEY);
    this.modeValue = isGroupingMode(saved) ? saved : DEFAULT_GROUPING;
    this._register(projects.onDidChange((event) => this.onProjectsChanged(event)));
    // The Upstream PR gates could not ask git before: ask now.
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh({ git: true })));
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

  /** Rebuilds everything (grouping, filter or settings changed; "Refresh" asks git again too). */
  refresh(options: { git?: boolean } = {}): void {
    this.models.clear();
    // Everything is fetched again, so the cache can start over instead of growing with old keys.
    this.nodes.clear();
    if (options.git) {
      this.repos.clear();
      this.mergeStates.clear();
    }
    this.changeEmitter.fire(undefined);
    this.updateViewDecorations();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      await this.projects.ready();
      const projects = this.projects.projects();
      this.updateViewDecorations();
      if (projects.length === 1) return this.rootChildren(projects[0], undefined);
      return projects.map((index) => this.node<ProjectNode>({ kind: 'project', index, key: 'project' }));
    }
    switch (node.kind) {
      case 'project':
        return this.rootChildren(node.index, node);
      case 'group':
        return node.model.children.map((child) => this.modelNode(node.index, child, node));
      case 'spec':
        return (node.model?.children ?? []).map((child) => this.modelNode(node.index, child, node));
      case 'gate':
        return [];
      case 'archive': {
        const archived = await node.index.loadArchive();
        return [...archived.values()]
          .filter((spec) => matchesFilter(spec, displayStateOf(spec, undefined), this.filterValue))
          .sort((a, b) => compareSpecIds(b.id, a.id))
          .map((spec) => this.node<SpecNode>({ kind: 'spec', index: node.index, key: `archived:${spec.id}`, id: spec.id, parent: node }));
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
    }
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  /** The node showing an active spec (its first appearance), for `TreeView.reveal`. */
  async findSpecNode(id: string): Promise<SpecNode | undefined> {
    for (const index of this.projects.projects()) {
      if (!index.specs.has(id)) continue;
      const roots = await this.getChildren(this.projects.projects().length > 1 ? this.node<ProjectNode>({ kind: 'project', index, key: 'project' }) : undefined);
      const queue = [...roots];
      while (queue.length > 0) {
        const next = queue.shift()!;
        if (next.kind === 'spec' && next.id === id && next.model) return next;
        if (next.kind === 'group' || (next.kind === 'spec' && next.model)) queue.push(...(await this.getChildren(next)));
      }
    }
    return undefined;
  }

  /** Ready specs across projects: the badge on the view. */
  readyCount(): number {
    let n = 0;
    for (const index of this.projects.projects()) {
      for (const spec of index.specs.values()) if (displayStateOf(spec, index.readiness(spec.id)) === 'ready') n++;
    }
    return n;
  }

  // -------------------------------------------------------------------------------------------
  // Model → nodes

  private modelFor(index: SpecIndex): ProjectModel {
    let entry = this.models.get(index);
    if (!entry) {
      entry = this.buildModel(index);
      this.models.set(index, entry);
    }
    return entry;
  }

  private buildModel(index: SpecIndex): ProjectModel {
    const model = buildTreeModel(
      {
        specs: [...index.specs.values()],
        stateOf: (spec) => displayStateOf(spec, index.readiness(spec.id)),
        parentOf: (id) => treeParentId(id, index),
        phases: this.phases(),
      },
      this.modeValue,
      this.filterValue,
    );
    return { model, byKey: indexModel(model.roots) };
  }

  private rootChildren(index: SpecIndex, parent: ProjectNode | undefined): TreeNode[] {
    const { model } = this.modelFor(index);
    const children: TreeNode[] = model.roots.map((root) => this.modelNode(index, root, parent));
    children.push(this.node<ArchiveNode>({ kind: 'archive', index, key: 'archive', parent }));
    return children;
  }

  private modelNode(index: SpecIndex, model: ModelNode, parent: TreeNode | undefined): TreeNode {
    switch (model.kind) {
      case 'group':
        return this.node<GroupNode>({ kind: 'group', index, key: model.key, model, parent });
      case 'spec':
        return this.node<SpecNode>({ kind: 'spec', index, key: model.key, id: model.id, model, parent });
      case 'gate':
        return this.node<GateNode>({ kind: 'gate', index, key: model.key, model, parent });
    }
  }

  /** The cached node for this key, updated to the given model and parent. */
  private node<T extends TreeNode>(fresh: T): T {
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
    const item = new vscode.TreeItem(node.index.config.projectName || relative, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `project:${node.index.paths.root}`;
    item.iconPath = new vscode.ThemeIcon('root-folder');
    item.description = relative;
    item.tooltip = node.index.paths.root;
    item.contextValue = node.index.silent ? 'project:silent' : 'project';
    return item;
  }

  private groupItem(node: GroupNode): vscode.TreeItem {
    const { model } = node;
    const item = new vscode.TreeItem(
      model.label,
      model.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = `group:${node.index.paths.root}:${model.key}`;
    const gates = model.children.filter((c) => c.kind === 'gate').length;
    // A group holding only human gates (Upstream PR) counts those rather than showing "0".
    item.description = model.count === 0 && gates > 0 ? `${gates} gate${gates === 1 ? '' : 's'}` : String(model.count);
    item.iconPath = groupIcon(model);
    item.tooltip = `${model.label}: ${model.count} spec${model.count === 1 ? '' : 's'}${isFilterActive(this.filterValue) ? ' matching the filter' : ''}`;
    item.contextValue = `group:${model.groupKind}`;
    item.accessibilityInformation = { label: `${model.label}, ${model.count} specs` };
    return item;
  }

  private archiveItem(node: ArchiveNode): vscode.TreeItem {
    const item = new vscode.TreeItem('Archive', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `archive:${node.index.paths.root}`;
    item.iconPath = new vscode.ThemeIcon('archive');
    const archived = node.index.archived;
    if (archived) {
      const shown = isFilterActive(this.filterValue)
        ? [...archived.values()].filter((s) => matchesFilter(s, displayStateOf(s, undefined), this.filterValue)).length
        : archived.size;
      item.description = String(shown);
    }
    item.tooltip = 'Specs moved to .chant/archive/ (loaded when expanded)';
    item.contextValue = 'archive';
    return item;
  }

  private specItem(node: SpecNode): vscode.TreeItem {
    const archived = node.key.startsWith('archived:');
    const resolved = archived ? node.index.archived?.get(node.id) : node.index.specs.get(node.id);
    if (!resolved) return new vscode.TreeItem(node.id);
    const readiness = resolved.archived ? undefined : node.index.readiness(resolved.id);
    const state = displayStateOf(resolved, readiness);
    const hasChildren = (node.model?.children.length ?? 0) > 0;
    const item = new vscode.TreeItem(specLabel(resolved), hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = `spec:${node.index.paths.root}:${node.key}`;
    item.description = specDescription(resolved);
    item.iconPath = iconFor(state);
    item.tooltip = specTooltip(resolved, readiness, state);
    // No resourceUri: in silent mode .chant/ is git-ignored and VS Code would grey every row out
    // with the git decoration, which reads as "disabled". The state icon says what matters.
    item.contextValue = specContextValue(resolved, state, node.index);
    item.command = { command: 'vscode.open', title: 'Open Spec', arguments: [vscode.Uri.file(resolved.path)] };
    item.accessibilityInformation = { label: `${specLabel(resolved)}, ${resolved.id}, ${STATE_LABELS[state]}` };
    return item;
  }

  private async gateItem(node: GateNode): Promise<vscode.TreeItem> {
    const { gate } = node.model;
    const insideInvestigation = node.model.key.startsWith('investigation/');
    const label = insideInvestigation ? 'Upstream pull request (human gate)' : `${investigationLabel(gate.investigation)}: upstream pull request`;
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = `gate:${node.index.paths.root}:${node.key}`;
    const main = node.index.config.mainBranch;
    let icon = new vscode.ThemeIcon('git-pull-request');
    let status: string;
    const details: string[] = [];
    if (gate.status === 'no-fix') {
      status = 'no Fork Fix spec yet';
      item.contextValue = 'gate:no-fix';
    } else if (gate.status === 'fix-open') {
      const open = gate.fixes.find((f) => f.state !== 'completed')!;
      status = `waiting for the fix (${shortSpecId(open.id)}: ${STATE_LABELS[open.state].toLowerCase()})`;
      item.contextValue = 'gate:fix-open';
    } else {
      const merge = await this.mergeState(node.index, gate.fixes, main);
      details.push(merge.detail);
      if (merge.state === 'merged') {
        status = `fix completed · merged into ${main}`;
        icon = new vscode.ThemeIcon('git-pull-request', new vscode.ThemeColor('charts.green'));
        item.contextValue = 'gate:ready';
      } else if (merge.state === 'unmerged') {
        status = `fix completed · not merged into ${main}`;
        icon = new vscode.ThemeIcon('git-pull-request', new vscode.ThemeColor('charts.orange'));
        item.contextValue = 'gate:unmerged';
      } else {
        status = `fix completed · cannot tell whether it is merged`;
        icon = new vscode.ThemeIcon('git-pull-request', new vscode.ThemeColor('charts.yellow'));
        item.contextValue = 'gate:merge-unknown';
      }
    }
    item.description = status;
    item.iconPath = icon;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = false;
    md.appendMarkdown('**');
    md.appendText(`${investigationLabel(gate.investigation)}: Upstream PR`);
    md.appendMarkdown('**\n\n');
    md.appendText(
      'A human gate: chant has no spec for this phase. Once the Fork Fix spec is completed and its branch is merged into the main branch, a maintainer opens the upstream pull request and then archives the investigation\'s specs.',
    );
    md.appendMarkdown('\n\n');
    md.appendText(`Status: ${status}`);
    for (const detail of details) {
      md.appendMarkdown('  \n');
      md.appendText(detail);
    }
    for (const fix of gate.fixes) {
      md.appendMarkdown('  \n');
      md.appendText(`Fix ${fix.id}: ${STATE_LABELS[fix.state]}${fix.branch ? ` · branch ${fix.branch}` : ''}`);
    }
    item.tooltip = md;
    const first = gate.fixes[0] && node.index.specs.get(gate.fixes[0].id);
    if (first) item.command = { command: 'vscode.open', title: 'Open Fix Spec', arguments: [vscode.Uri.file(first.path)] };
    return item;
  }

  private mergeState(index: SpecIndex, fixes: GateModel['gate']['fixes'], main: string): Promise<MergeState> {
    // A repository's own config can make git run programs (core.fsmonitor, filters): no git in
    // Restricted Mode. The tree is rebuilt when trust is granted.
    if (!vscode.workspace.isTrusted) {
      return Promise.resolve({ state: 'unknown', detail: 'Git is not run in Restricted Mode: trust the workspace to see whether the fix is merged.' });
    }
    const key = `${index.paths.root}\0${main}\0${JSON.stringify(fixes.map((f) => [f.branch, f.commits]))}`;
    let pending = this.mergeStates.get(key);
    if (!pending) {
      pending = this.repoFor(index.paths.root)
        .then((repo) => (typeof repo === 'string' ? mergeStateOf(undefined, fixes, main, repo) : mergeStateOf(repo, fixes, main)))
        .catch((error: unknown): MergeState => ({ state: 'unknown', detail: `git failed: ${messageOf(error)}` }));
      this.mergeStates.set(key, pending);
    }
    return pending;
  }

  private repoFor(root: string): Promise<GitRepo | string> {
    let repo = this.repos.get(root);
    if (!repo) {
      repo = GitRepo.open(root).catch((error: unknown) => messageOf(error));
      this.repos.set(root, repo);
    }
    return repo;
  }

  // -------------------------------------------------------------------------------------------
  // Live updates

  private onProjectsChanged(event: ProjectsChangeEvent): void {
    if (event.structural) {
      this.refresh();
      return;
    }
    const targets = new Set<TreeNode>();
    for (const { index, changes } of event.projects) {
      const before = this.models.get(index);
      if (!before) continue; // never shown: built fresh when VS Code asks
      const after = this.buildModel(index);
      if (movesAnything(before, after)) {
        // A spec entered, left or changed groups (or a group came or went): rebuild the tree.
        this.refresh();
        return;
      }
      this.models.set(index, after);
      const touched = new Set<string>();
      for (const change of changes) {
        for (const id of change.affected) touched.add(id);
        if (change.id) touched.add(change.id);
        if (change.archived) {
          const archive = this.nodes.get(`${index.paths.root}\0archive\0archive`);
          if (archive) targets.add(archive);
        }
      }
      for (const [key, { node: model }] of after.byKey) {
        const old = before.byKey.get(key)!.node;
        const changed = structureOf(old) !== structureOf(model);
        const repaint = model.kind === 'spec' && touched.has(model.id);
        if (!changed && !repaint) continue;
        const node = this.nodes.get(`${index.paths.root}\0${model.kind}\0${key}`);
        if (node) {
          // Point the live node at the new model before VS Code asks for it again.
          (node as GroupNode | SpecNode | GateNode).model = model as never;
          targets.add(node);
        }
      }
      // Nodes that did not change still hold the old model objects; swap them in too.
      for (const [key, { node: model }] of after.byKey) {
        const node = this.nodes.get(`${index.paths.root}\0${model.kind}\0${key}`);
        if (node && node.kind !== 'project' && node.kind !== 'archive') (node as GroupNode | SpecNode | GateNode).model = model as never;
      }
    }
    if (targets.size > 0) this.changeEmitter.fire([...targets]);
    this.updateViewDecorations();
  }

  private updateViewDecorations(): void {
    const view = this.viewValue;
    if (!view) return;
    const ready = this.projects.isLoaded ? this.readyCount() : 0;
    view.badge = ready > 0 ? { value: ready, tooltip: `${ready} spec${ready === 1 ? '' : 's'} ready to work` } : undefined;
    const filtered = isFilterActive(this.filterValue);
    view.description = filtered ? `Filtered: ${describeFilter(this.filterValue)}` : undefined;
    if (filtered && this.projects.isLoaded) {
      const matching = this.projects.projects().reduce((n, index) => n + this.modelFor(index).model.matching, 0);
      view.message = matching === 0 ? 'No active spec matches the filter.' : undefined;
    } else {
      view.message = undefined;
    }
  }

  private async updateContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'chant.specs.filtered', isFilterActive(this.filterValue));
    await vscode.commands.executeCommand('setContext', 'chant.specs.grouping', this.modeValue);
  }
}

/** True when the new model places any node under a different parent, or adds or drops one. */
function movesAnything(before: ProjectModel, after: ProjectModel): boolean {
  if (before.byKey.size !== after.byKey.size) return true;
  const rootKeys = (m: ProjectModel): string => m.model.roots.map((r) => r.key).join('\n');
  if (rootKeys(before) !== rootKeys(after)) return true;
  for (const [key, { parent }] of after.byKey) {
    const old = before.byKey.get(key);
    if (!old || old.parent?.key !== parent?.key) return true;
    if (old.node.kind === 'group' || old.node.kind === 'spec') {
      const newNode = after.byKey.get(key)!.node as GroupModel | SpecModel;
      const childKeys = (n: GroupModel | SpecModel): string => n.children.map((c) => c.key).join('\n');
      if (childKeys(old.node) !== childKeys(newNode)) return true;
    }
  }
  return false;
}

/** The nearest existing ancestor (`X.1.2` → `X.1`, else `X`) a member is shown under. */
export function treeParentId(id: string, index: SpecIndex): string | undefined {
  for (let parent = parentIdOf(id); parent !== undefined; parent = parentIdOf(parent)) {
    if (index.specs.has(parent)) return parent;
  }
  return undefined;
}

/**
 * `spec:<state>:<type>:<active|archived>:<driver|member|single>:<targets|notargets>`, matched by
 * menus with `viewItem =~ /^spec:…/`. The type comes from the file, so anything chant does not
 * know is written as `other` and cannot inject segments.
 */
export function specContextValue(spec: Spec, state: DisplayState, index: SpecIndex): string {
  const type = spec.typeKnown ? spec.type : 'other';
  const role = driverIdOf(spec.id) !== undefined ? 'member' : isDriverLike(spec, index) ? 'driver' : 'single';
  return ['spec', state, type, spec.archived ? 'archived' : 'active', role, spec.targetFiles.length > 0 ? 'targets' : 'notargets'].join(':');
}

function isDriverLike(spec: Spec, index: SpecIndex): boolean {
  if (spec.type === 'driver' || spec.type === 'group') return true;
  return !spec.archived && index.membersOf(spec.id).length > 0;
}

function groupIcon(model: GroupModel): vscode.ThemeIcon {
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
