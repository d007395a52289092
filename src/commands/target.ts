// Which spec, investigation, project, run or phase chain a command acts on, decided once for every
// command, and the option bag it was given. The argument may be a tree node (the tree's menus), a Uri
// (editor title, CodeLens, Explorer), a spec id, run key or `issue-<n>` key (other commands, panels,
// tests), or nothing (Command Palette): then the spec of the active editor is used, else the user
// picks one.
import * as vscode from 'vscode';
import type { SpecIndex } from '../core/project/specIndex';
import type { ChainRecord, RunRecord } from '../core/runs/runRecord';
import type { Spec } from '../core/spec/types';
import { investigationKeyOf, investigationLabelFromIssue } from '../core/workflow/phases';
import { isInvestigationKey, specsOfInvestigation } from '../core/workflow/investigationSpecs';
import type { RunRegistry } from '../runs/runRegistry';
import { ArchiveNode, GateNode, GroupNode, ProjectNode, RunNode, SpecNode } from '../views/treeNodes';
import type { ProjectService } from '../workspace/projectService';
import { pickInvestigation, pickRun, pickSpec, type InvestigationTarget, type SpecTarget } from '../views/pickers';

export type { InvestigationTarget, SpecTarget };

export interface SpecTargetOptions {
  /** Placeholder of the quick pick shown when nothing names a spec. */
  placeHolder: string;
  /** Only offer specs this accepts in that quick pick. */
  include?: (spec: Spec, index: SpecIndex) => boolean;
  /** Always ask (Go to Spec…), even when an editor shows a spec. */
  alwaysPick?: boolean;
}

/** The spec an argument names, without asking anyone; undefined when it names none. */
export function specOfArgument(projects: ProjectService, arg: unknown): SpecTarget | undefined {
  if (arg instanceof SpecNode) {
    const spec = arg.spec();
    return spec ? { index: arg.index, spec } : undefined;
  }
  if (arg instanceof RunNode) {
    // A Runs view row stands for its spec (Review Changes, Merge, Pause, Take Over on a run).
    const { root, id } = arg.record;
    const index = projects.projects().find((p) => p.paths.root === root);
    const spec = index?.get(id);
    return index && spec ? { index, spec } : undefined;
  }
  if (arg instanceof vscode.Uri) return arg.scheme === 'file' ? projects.specAt(arg.fsPath) : undefined;
  if (typeof arg === 'string') return projects.findSpec(arg);
  return undefined;
}

/** The spec shown in the active editor, if it is one. */
export function activeSpec(projects: ProjectService): SpecTarget | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri?.scheme === 'file' ? projects.specAt(uri.fsPath) : undefined;
}

export async function resolveSpec(
  projects: ProjectService,
  arg: unknown,
  options: SpecTargetOptions,
): Promise<SpecTarget | undefined> {
  await projects.ready();
  if (arg !== undefined && arg !== null) {
    const named = specOfArgument(projects, arg);
    if (named) return named;
    throw new Error('That spec is no longer in the index (was it moved or deleted?).');
  }
  if (!options.alwaysPick) {
    const active = activeSpec(projects);
    if (active) return active;
  }
  return pickSpec(projects, options.placeHolder, options.include);
}

/** The investigation an argument names: a key, a spec of it, a tree group or gate of it. */
export function investigationOfArgument(projects: ProjectService, arg: unknown): InvestigationTarget | undefined {
  // `issue-1234`, or the issue as its number or URL.
  const key = typeof arg === 'string' ? (isInvestigationKey(arg) ? arg : /^\d+$|^https?:\/\//.test(arg) ? investigationLabelFromIssue(arg) : undefined) : undefined;
  if (key) {
    const index = projects.projects().find((p) => specsOfInvestigation(p.sorted(), key).length > 0);
    return index ? { index, key } : undefined;
  }
  if (arg instanceof GroupNode || arg instanceof GateNode)
    return arg.investigation ? { index: arg.index, key: arg.investigation } : undefined;
  const found = specOfArgument(projects, arg);
  const ofSpec = found && investigationKeyOf(found.spec);
  return found && ofSpec ? { index: found.index, key: ofSpec } : undefined;
}

export async function resolveInvestigation(
  projects: ProjectService,
  arg: unknown,
): Promise<InvestigationTarget | undefined> {
  await projects.ready();
  if (arg !== undefined && arg !== null) {
    const named = investigationOfArgument(projects, arg);
    if (named) return named;
    throw new Error(
      `${typeof arg === 'string' ? arg : 'That'} is not an investigation of this workspace (specs labelled issue-<n>).`,
    );
  }
  // From the palette: the investigation of the spec being edited is the one meant, or offered first.
  const active = activeSpec(projects);
  const key = active && investigationKeyOf(active.spec);
  return pickInvestigation(projects, active && key ? { index: active.index, key } : undefined);
}

/** The run an argument names: a Runs view row (anything with a `record`), or a run key. */
export function runOfArgument(registry: RunRegistry, arg: unknown): RunRecord | undefined {
  if (typeof arg === 'object' && arg !== null && 'record' in arg) return (arg as { record: RunRecord }).record;
  if (typeof arg === 'string') return registry.record(arg);
  return undefined;
}

/** The run to act on: the argument's, else the latest run of the active editor's spec, else a pick. */
export async function resolveRun(
  registry: RunRegistry,
  projects: ProjectService,
  arg: unknown,
): Promise<RunRecord | undefined> {
  const named = runOfArgument(registry, arg);
  if (named) return named;
  const runs = [...registry.history()].reverse();
  const activeId = activeSpec(projects)?.spec.id;
  const ofActive = activeId ? runs.find((r) => r.id === activeId) : undefined;
  if (ofActive) return ofActive;
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No agent run yet: work a spec first.'));
    return undefined;
  }
  return pickRun(runs);
}

/** The phase chain a Runs view row (or a chain key) names, else the latest one that waits for the user. */
export function resolveChain(registry: RunRegistry, arg: unknown): ChainRecord | undefined {
  const named = typeof arg === 'object' && arg !== null && 'chain' in arg ? (arg as { chain: ChainRecord }).chain : typeof arg === 'string' ? registry.chain(arg) : undefined;
  const chain = named ?? [...registry.chains()].reverse().find((c) => c.state === 'waiting');
  if (!chain) void vscode.window.showInformationMessage(vscode.l10n.t('No phase chain waits for you.'));
  return chain;
}

/** Where a Specs tree node stands: its project and, for a group, its phase and investigation. */
export interface TreePlace {
  projectRoot: string;
  phase?: string;
  investigation?: string;
}

export function treePlaceOf(arg: unknown): TreePlace | undefined {
  if (arg instanceof GroupNode)
    return { projectRoot: arg.index.paths.root, phase: arg.phase, investigation: arg.investigation };
  if (arg instanceof SpecNode || arg instanceof ProjectNode || arg instanceof GateNode || arg instanceof ArchiveNode)
    return { projectRoot: arg.index.paths.root };
  return undefined;
}

/** Option bags from tests and other commands; never a tree node, a Uri or the CodeLens's id. */
export function optionsOf<T extends object>(value: unknown): T {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof vscode.Uri) && !('kind' in value) ? (value as T) : ({} as T);
}
