// Every command goes through this table so that each registration is disposed with the extension
// and a unit test can check that every command in package.json is registered (and vice versa).
import * as vscode from 'vscode';
import { showError } from '../log';

export type CommandHandler = (...args: any[]) => unknown;

export function registerCommands(context: vscode.ExtensionContext, table: Record<string, CommandHandler>): void {
  for (const [id, handler] of Object.entries(table)) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(...args);
        } catch (error) {
          // Not awaited: the notification stays until dismissed, and callers of executeCommand
          // (tests, other commands) must not hang on it.
          void showError(`Chant: ${id.replace(/^chant\./, '')} failed: ${error instanceof Error ? error.message : String(error)}`, error);
          return undefined;
        }
      }),
    );
  }
}
