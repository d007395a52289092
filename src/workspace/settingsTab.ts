// Opens the Settings editor at one of our settings, on the tab that shows it. In a remote window
// (code-server, SSH, containers, WSL) a setting of `machine` or `machine-overridable` scope is written
// to, and shown on, the Remote tab: the User tab there says "No Settings Found" for it.
import * as vscode from 'vscode';

const REMOTE_SETTINGS = 'workbench.action.openRemoteSettings';

/** The scope package.json gives a setting (`window` when it names none, as VS Code reads it). */
export function settingScope(key: string): string {
  for (const extension of vscode.extensions.all) {
    const configuration = (extension.packageJSON as { contributes?: { configuration?: unknown } }).contributes
      ?.configuration;
    for (const section of [configuration ?? []].flat() as { properties?: Record<string, { scope?: string }> }[]) {
      const property = section.properties?.[key];
      if (property) return property.scope ?? 'window';
    }
  }
  return 'window';
}

/** Whether this window has a Remote settings tab (the command exists only in remote windows). */
export async function hasRemoteSettings(): Promise<boolean> {
  return (await vscode.commands.getCommands(true)).includes(REMOTE_SETTINGS);
}

/** The tab a setting is on in this window. */
export async function settingsTabOf(key: string): Promise<'user' | 'remote'> {
  return /^machine/.test(settingScope(key)) && (await hasRemoteSettings()) ? 'remote' : 'user';
}

/** Opens the Settings editor on the tab that shows `key`, searched for it. */
export async function revealSetting(key: string): Promise<void> {
  if ((await settingsTabOf(key)) === 'remote') await vscode.commands.executeCommand(REMOTE_SETTINGS, { query: key });
  else await vscode.commands.executeCommand('workbench.action.openSettings', key);
}
