// Restricted Mode: browsing specs works, changing files does not. Every command that writes to the
// workspace (initialize, new spec, cancel, archive) asks here first.
import * as vscode from 'vscode';

/** True in a trusted workspace; otherwise explains why `action` is unavailable and returns false. */
export async function requireTrust(action: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  const choice = await vscode.window.showWarningMessage(
    `${action} changes files in this workspace, which Chant only does in a trusted workspace. Browsing specs works in Restricted Mode.`,
    manage,
  );
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
