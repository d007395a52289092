// Restricted Mode: browsing specs works, changing files or running programs does not. Every
// command that writes to the workspace, runs an agent, touches git or calls `gh` asks here first.
import * as vscode from 'vscode';

/**
 * True in a trusted workspace; otherwise explains why `action` is unavailable (with a button to
 * manage trust) and returns false. `why` replaces the default reason.
 */
export async function requireTrust(action: string, why = 'changes files in this workspace'): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = vscode.l10n.t('Manage Workspace Trust');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('{0} {1}, which Chant only does in a trusted workspace. Browsing specs works in Restricted Mode.', action, why),
    manage,
  );
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
