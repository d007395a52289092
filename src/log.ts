// The one log of the extension: a LogOutputChannel named "Chant". Errors shown to the user carry a
// "Show Log" action so the details are one click away; shipped code never uses console.log.
import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

export function createLog(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Chant', { log: true });
  return channel;
}

export const log = {
  info: (message: string, ...args: unknown[]): void => channel?.info(message, ...args),
  warn: (message: string, ...args: unknown[]): void => channel?.warn(message, ...args),
  error: (message: string | Error, ...args: unknown[]): void => channel?.error(message, ...args),
  debug: (message: string, ...args: unknown[]): void => channel?.debug(message, ...args),
  show: (): void => channel?.show(true),
};

/** Logs the error and shows a notification whose "Show Log" button opens the channel. */
export async function showError(message: string, error?: unknown): Promise<void> {
  if (error !== undefined) log.error(`${message}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  else log.error(message);
  const showLog = vscode.l10n.t('Show Log');
  const choice = await vscode.window.showErrorMessage(message, showLog);
  if (choice === showLog) log.show();
}
