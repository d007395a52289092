// Where a webview may point the editor: only files inside a workspace folder. A message naming
// `/etc/passwd` or `../../secret` is refused (the webview is untrusted, STYLE.md item 8).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolveInsideFolders } from '../../core/project/insideFolder';

/**
 * The absolute path of `file` (absolute, or relative to `root`) when it lies inside a workspace
 * folder after resolving `..` and symbolic links; undefined otherwise.
 */
export function resolveWorkspaceFile(file: string, root: string): string | undefined {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  return resolveInsideFolders(file, root, folders);
}

/** Opens a workspace file in an editor; false (and a warning) when the path is not allowed or missing. */
export async function openWorkspaceFile(file: string, root: string): Promise<boolean> {
  const absolute = resolveWorkspaceFile(file, root);
  if (!absolute) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Chant: refused to open a file outside the workspace.'));
    return false;
  }
  if (!fs.existsSync(absolute)) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Chant: {0} does not exist.', path.relative(root, absolute) || absolute));
    return false;
  }
  if (fs.statSync(absolute).isDirectory()) {
    await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(absolute));
    return true;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(absolute), {
    preview: true,
    viewColumn: vscode.ViewColumn.Active,
  });
  return true;
}
