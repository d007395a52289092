// "Chant: Open Spec…": a quick pick over every active spec of every project, by title and id.
import * as vscode from 'vscode';
import { shortSpecId } from '../core/spec/ids';
import type { ProjectService } from '../workspace/projectService';
import { displayStateOf, STATE_LABELS } from '../views/specPresentation';

export async function openSpec(projects: ProjectService): Promise<void> {
  await projects.ready();
  const items = projects.projects().flatMap((index) =>
    index.sorted().map((spec) => ({
      label: spec.title?.trim() || spec.id,
      description: shortSpecId(spec.id),
      detail: `${STATE_LABELS[displayStateOf(spec, index.readiness(spec.id))]} · ${spec.type}${spec.labels.length ? ` · ${spec.labels.join(', ')}` : ''}`,
      uri: vscode.Uri.file(spec.path),
    })),
  );
  if (items.length === 0) {
    void vscode.window.showInformationMessage('No chant specs in this workspace yet.');
    return;
  }
  const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Open a spec by title or id', matchOnDescription: true, matchOnDetail: true });
  if (picked) await vscode.window.showTextDocument(picked.uri);
}
