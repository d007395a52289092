// Which spec a command acts on. From the tree the argument is a node; from an editor title or the
// Explorer it is a Uri; tests and other commands may pass an id. From the Command Palette there is
// none: the spec open in the active editor is used, else the user picks one.
import * as vscode from 'vscode';
import { shortSpecId } from '../core/spec/ids';
import type { SpecIndex } from '../core/project/specIndex';
import type { Spec } from '../core/spec/types';
import { displayStateOf, STATE_LABELS } from '../views/specPresentation';
import type { ProjectService } from '../workspace/projectService';

export interface SpecTarget {
  index: SpecIndex;
  spec: Spec;
}

export interface TargetOptions {
  /** Placeholder of the quick pick shown when nothing names a spec. */
  placeHolder: string;
  /** Only offer specs this accepts in that quick pick. */
  include?: (spec: Spec, index: SpecIndex) => boolean;
}

export async function resolveSpecTarget(projects: ProjectService, arg: unknown, options: TargetOptions): Promise<SpecTarget | undefined> {
  await projects.ready();
  const fromArg = targetFromArg(projects, arg);
  if (fromArg) return fromArg;
  if (arg !== undefined) throw new Error('That spec is no longer in the index (was it moved or deleted?).');
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file') {
    const found = projects.specAt(active.fsPath);
    if (found) return found;
  }
  const items = projects.projects().flatMap((index) =>
    index
      .sorted()
      .filter((spec) => options.include?.(spec, index) ?? true)
      .map((spec) => ({
        label: spec.title?.trim() || spec.id,
        description: shortSpecId(spec.id),
        detail: STATE_LABELS[displayStateOf(spec, index.readiness(spec.id))],
        target: { index, spec },
      })),
  );
  if (items.length === 0) {
    void vscode.window.showInformationMessage('There is no spec this command applies to.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { placeHolder: options.placeHolder, matchOnDescription: true });
  return picked?.target;
}

function targetFromArg(projects: ProjectService, arg: unknown): SpecTarget | undefined {
  if (arg instanceof vscode.Uri) return arg.scheme === 'file' ? projects.specAt(arg.fsPath) : undefined;
  if (typeof arg === 'string') return projects.findSpec(arg);
  if (typeof arg === 'object' && arg !== null && (arg as { kind?: unknown }).kind === 'spec') {
    const node = arg as { index: SpecIndex; id: string; key?: string };
    const archived = typeof node.key === 'string' && node.key.startsWith('archived:');
    const spec = archived ? node.index.archived?.get(node.id) : node.index.specs.get(node.id);
    return spec ? { index: node.index, spec } : undefined;
  }
  return undefined;
}
