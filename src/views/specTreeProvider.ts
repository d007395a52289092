// The Specs tree: projects (only when there are several) → phase groups → specs → members.
// Nodes are plain objects with stable ids (the spec id), so VS Code keeps selection and expansion
// across refreshes, and a change refreshes only the groups it touches.
import * as vscode from 'vscode';
import { compareSpecIds, parentIdOf } from '../core/ids';
import { orderedPhaseNames, phaseOf, type PhaseDefinition } from '../core/phases';
import type { SpecIndex } from '../core/specIndex';
import type { Spec } from '../core/types';
import { Disposable } from '../lifecycle';
import type { ProjectService, ProjectsChangeEvent } from '../workspace/projectService';
import { displayStateOf, iconFor, specDescription, specLabel, specTooltip } from './specPresentation';

export type TreeNode = ProjectNode | GroupNode | SpecNode | ArchiveNode;

export interface ProjectNode {
  kind: 'project';
  index: SpecIndex;
}
export interface GroupNode {
  kind: 'group';
  index: SpecIndex;
  name: string;
}
export interface SpecNode {
  kind: 'spec';
  index: SpecIndex;
  id: string;
}
export interface ArchiveNode {
  kind: 'archive';
  index: SpecIndex;
}

export class SpecTreeProvider extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly changeEmitter = this._register(new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>());
  readonly onDidChangeTreeData = this.changeEmitter.event;
  /** Node objects are cached by key so `getParent` and narrow refreshes hand VS Code the same object. */
  private readonly nodes = new Map<string, TreeNode>();

  constructor(
    private readonly projects: ProjectService,
    private readonly phases: () => readonly PhaseDefinition[],
  ) {
    super();
    this._register(projects.onDidChange((event) => this.onProjectsChanged(event)));
  }

  refresh(): void {
    this.nodes.clear();
    this.changeEmitter.fire(undefined);
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      await this.projects.ready();
      const projects = this.projects.projects();
      if (projects.length === 1) return this.rootChildren(projects[0]);
      return projects.map((index) => this.node({ kind: 'project', index }));
    }
    switch (node.kind) {
      case 'project':
        return this.rootChildren(node.index);
      case 'group':
        return this.topLevelSpecs(node.index)
          .filter((spec) => phaseOf(spec, this.phases()) === node.name)
          .map((spec) => this.specNode(node.index, spec.id));
      case 'spec':
        return this.directMembers(node.index, node.id).map((id) => this.specNode(node.index, id));
      case 'archive': {
        const archived = await node.index.loadArchive();
        return [...archived.keys()].sort((a, b) => compareSpecIds(b, a)).map((id) => this.specNode(node.index, id));
      }
    }
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'project': {
        const item = new vscode.TreeItem(
          node.index.config.projectName || vscode.workspace.asRelativePath(node.index.paths.root),
          vscode.TreeItemCollapsibleState.Expanded,
        );
        item.id = `project:${node.index.paths.root}`;
        item.iconPath = new vscode.ThemeIcon('root-folder');
        item.description = vscode.workspace.asRelativePath(node.index.paths.root);
        item.contextValue = 'project';
        return item;
      }
      case 'group': {
        const count = this.topLevelSpecs(node.index).filter((spec) => phaseOf(spec, this.phases()) === node.name).length;
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `group:${node.index.paths.root}:${node.name}`;
        item.description = String(count);
        item.iconPath = new vscode.ThemeIcon('symbol-folder');
        item.contextValue = 'group:phase';
        return item;
      }
      case 'archive': {
        const item = new vscode.TreeItem('Archive', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `archive:${node.index.paths.root}`;
        item.iconPath = new vscode.ThemeIcon('archive');
        item.description = node.index.archived ? String(node.index.archived.size) : undefined;
        item.contextValue = 'archive';
        return item;
      }
      case 'spec':
        return this.specItem(node);
    }
  }

  getParent(node: TreeNode): TreeNode | undefined {
    if (node.kind === 'project') return undefined;
    const multi = this.projects.projects().length > 1;
    const projectNode = multi ? this.node({ kind: 'project', index: node.index }) : undefined;
    if (node.kind !== 'spec') return projectNode;
    const spec = node.index.get(node.id);
    if (!spec) return projectNode;
    if (spec.archived) return this.node({ kind: 'archive', index: node.index });
    const parent = treeParentId(spec.id, node.index);
    if (parent) return this.specNode(node.index, parent);
    return this.node({ kind: 'group', index: node.index, name: phaseOf(spec, this.phases()) });
  }

  private rootChildren(index: SpecIndex): TreeNode[] {
    const present = new Set(this.topLevelSpecs(index).map((spec) => phaseOf(spec, this.phases())));
    const groups: TreeNode[] = orderedPhaseNames(this.phases())
      .filter((name) => present.has(name))
      .map((name) => this.node({ kind: 'group', index, name }));
    groups.push(this.node({ kind: 'archive', index }));
    return groups;
  }

  /** Specs shown at group level: members appear below their driver instead. */
  private topLevelSpecs(index: SpecIndex): Spec[] {
    return index.sorted().filter((spec) => treeParentId(spec.id, index) === undefined);
  }

  private directMembers(index: SpecIndex, id: string): string[] {
    const spec = index.get(id);
    if (!spec || spec.archived) return [];
    return [...index.specs.keys()].filter((other) => other !== id && treeParentId(other, index) === id).sort(compareSpecIds);
  }

  private specItem(node: SpecNode): vscode.TreeItem {
    const spec = node.index.get(node.id);
    if (!spec) return new vscode.TreeItem(node.id);
    const readiness = spec.archived ? undefined : node.index.readiness(spec.id);
    const state = displayStateOf(spec, readiness);
    const members = this.directMembers(node.index, spec.id);
    const item = new vscode.TreeItem(
      specLabel(spec),
      members.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `spec:${node.index.paths.root}:${spec.id}`;
    item.description = specDescription(spec);
    item.iconPath = iconFor(state);
    item.tooltip = specTooltip(spec, readiness, state);
    item.resourceUri = vscode.Uri.file(spec.path);
    item.contextValue = ['spec', state, spec.type, spec.archived ? 'archived' : 'active'].join(':');
    item.command = { command: 'vscode.open', title: 'Open Spec', arguments: [vscode.Uri.file(spec.path)] };
    item.accessibilityInformation = { label: `${specLabel(spec)}, ${spec.id}, ${state.replace('_', ' ')}` };
    return item;
  }

  private specNode(index: SpecIndex, id: string): SpecNode {
    return this.node({ kind: 'spec', index, id }) as SpecNode;
  }

  private node<T extends TreeNode>(node: T): T {
    const key = keyOf(node);
    const existing = this.nodes.get(key);
    if (existing) return existing as T;
    this.nodes.set(key, node);
    return node;
  }

  private onProjectsChanged(event: ProjectsChangeEvent): void {
    if (event.structural) {
      this.refresh();
      return;
    }
    // A change moves a spec between groups or changes readiness of its dependents; refreshing the
    // groups involved (and the driver) is enough, and far cheaper than the whole tree.
    const targets = new Map<string, TreeNode>();
    for (const { index, changes } of event.projects) {
      for (const change of changes) {
        for (const spec of [change.previous, change.spec]) {
          if (!spec) continue;
          if (spec.archived) {
            targets.set(`archive:${index.paths.root}`, this.node({ kind: 'archive', index }));
            continue;
          }
          const parent = treeParentId(spec.id, index);
          if (parent) targets.set(`spec:${index.paths.root}:${parent}`, this.specNode(index, parent));
        }
        if (change.kind === 'added' || change.kind === 'removed' || change.previous?.labels.join() !== change.spec?.labels.join()) {
          // Group membership or counts changed: the root's group list may change too.
          this.changeEmitter.fire(undefined);
          return;
        }
        for (const id of change.affected) {
          const spec = index.get(id);
          if (!spec || spec.archived) continue;
          const group = phaseOf(spec, this.phases());
          targets.set(`group:${index.paths.root}:${group}`, this.node({ kind: 'group', index, name: group }));
        }
      }
    }
    if (targets.size > 0) this.changeEmitter.fire([...targets.values()]);
  }
}

/** The nearest existing ancestor (`X.1.2` → `X.1`, else `X`) a member is shown under. */
function treeParentId(id: string, index: SpecIndex): string | undefined {
  for (let parent = parentIdOf(id); parent !== undefined; parent = parentIdOf(parent)) {
    if (index.specs.has(parent)) return parent;
  }
  return undefined;
}

function keyOf(node: TreeNode): string {
  switch (node.kind) {
    case 'project':
      return `project:${node.index.paths.root}`;
    case 'group':
      return `group:${node.index.paths.root}:${node.name}`;
    case 'spec':
      return `spec:${node.index.paths.root}:${node.id}`;
    case 'archive':
      return `archive:${node.index.paths.root}`;
  }
}
