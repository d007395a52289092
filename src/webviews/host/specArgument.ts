// Which spec "Edit Frontmatter" and "Show Graph" act on: an id, a Uri (editor title, CodeLens), a
// tree node, else the spec in the active editor, else the user picks one.
import * as vscode from 'vscode';
import { shortSpecId } from '../../core/spec/ids';
import type { SpecIndex } from '../../core/project/specIndex';
import type { Spec } from '../../core/spec/types';
import type { ProjectService } from '../../workspace/projectService';

export interface SpecRef {
  index: SpecIndex;
  spec: Spec;
}

export function specFromArgument(projects: ProjectService, arg: unknown): SpecRef | undefined {
  if (arg instanceof vscode.Uri) return arg.scheme === 'file' ? projects.specAt(arg.fsPath) : undefined;
  if (typeof arg === 'string') return projects.findSpec(arg);
  if (typeof arg === 'object' && arg !== null) {
    const node = arg as { kind?: unknown; id?: unknown; spec?: unknown; resourceUri?: unknown };
    if (node.resourceUri instanceof vscode.Uri) return specFromArgument(projects, node.resourceUri);
    if (typeof node.id === 'string') return projects.findSpec(node.id);
    const spec = node.spec as { id?: unknown } | undefined;
    if (spec && typeof spec.id === 'string') return projects.findSpec(spec.id);
  }
  return undefined;
}

/** The spec of the active editor, if it is one. */
export function activeEditorSpec(projects: ProjectService): SpecRef | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri?.scheme === 'file' ? projects.specAt(uri.fsPath) : undefined;
}

export async function pickSpec(projects: ProjectService, placeHolder: string): Promise<SpecRef | undefined> {
  const items = projects.projects().flatMap((index) =>
    index.sorted().map((spec) => ({
      label: spec.title?.trim() || spec.id,
      description: shortSpecId(spec.id),
      detail: `${spec.status} · ${spec.type}`,
      ref: { index, spec },
    })),
  );
  if (items.length === 0) {
    void vscode.window.showInformationMessage('No chant specs in this workspace yet.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true }))?.ref;
}
