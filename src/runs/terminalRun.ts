// Runs one command line in a named integrated terminal and reports how it ended. With shell
// integration the command goes through `shellIntegration.executeCommand` and the exit code comes
// from `onDidEndTerminalShellExecution`; without it the line is sent with `sendText` (every value
// in it already quoted) and the exit code is read from the status file the wrapper writes.
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { parseStatusFile } from '../core/workflow/commandLine';

export interface TerminalRunResult {
  /** undefined: the terminal was closed or the run was stopped before it reported an exit code. */
  exitCode: number | undefined;
  via: 'shell-integration' | 'status-file' | 'closed';
}

/** How long to wait for shell integration to activate in a new terminal before falling back. */
const SHELL_INTEGRATION_WAIT_MS = 4000;
const POLL_MS = 500;

export async function waitForShellIntegration(terminal: vscode.Terminal, timeoutMs = SHELL_INTEGRATION_WAIT_MS): Promise<vscode.TerminalShellIntegration | undefined> {
  if (terminal.shellIntegration) return terminal.shellIntegration;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      listener.dispose();
      resolve(terminal.shellIntegration);
    }, timeoutMs);
    const listener = vscode.window.onDidChangeTerminalShellIntegration((e) => {
      if (e.terminal === terminal) {
        clearTimeout(timer);
        listener.dispose();
        resolve(e.shellIntegration);
      }
    });
  });
}

export interface RunInTerminalOptions {
  terminal: vscode.Terminal;
  line: string;
  /** Written by the wrapper (`wrapAgentRun`); read when shell integration cannot tell. */
  statusFile?: string;
  /** Called with how the command is being run, once it has started. */
  onStarted?: (via: 'shell-integration' | 'sendText') => void;
  /** `chant.runs.useShellIntegration`-style override, mostly for tests of the fallback. */
  useShellIntegration?: boolean;
}

export async function runInTerminal(options: RunInTerminalOptions): Promise<TerminalRunResult> {
  const { terminal, line, statusFile } = options;
  const integration = options.useShellIntegration === false ? undefined : await waitForShellIntegration(terminal);
  const disposables: vscode.Disposable[] = [];
  try {
    return await new Promise<TerminalRunResult>((resolve) => {
      let settled = false;
      const settle = (result: TerminalRunResult): void => {
        if (!settled) {
          settled = true;
          resolve(result);
        }
      };
      disposables.push(
        vscode.window.onDidCloseTerminal((closed) => {
          if (closed !== terminal) return;
          // The wrapper may have finished just before the terminal went away.
          void readStatus(statusFile).then((status) =>
            settle(status?.status === 'done' ? { exitCode: status.exitCode, via: 'status-file' } : { exitCode: undefined, via: 'closed' }),
          );
        }),
      );
      if (statusFile) {
        const timer = setInterval(() => {
          void readStatus(statusFile).then((status) => {
            if (status?.status === 'done') settle({ exitCode: status.exitCode, via: 'status-file' });
          });
        }, POLL_MS);
        disposables.push({ dispose: () => clearInterval(timer) });
      }
      if (integration) {
        const execution = integration.executeCommand(line);
        disposables.push(
          vscode.window.onDidEndTerminalShellExecution((e) => {
            if (e.execution !== execution) return;
            if (e.exitCode !== undefined) settle({ exitCode: e.exitCode, via: 'shell-integration' });
            // An unknown exit code: the status file (polled above) decides.
            else if (!statusFile) settle({ exitCode: undefined, via: 'closed' });
          }),
        );
        options.onStarted?.('shell-integration');
      } else {
        terminal.sendText(line, true);
        options.onStarted?.('sendText');
      }
    });
  } finally {
    for (const d of disposables) d.dispose();
  }
}

export async function readStatus(file: string | undefined): Promise<ReturnType<typeof parseStatusFile>> {
  if (!file) return undefined;
  return parseStatusFile(await fs.readFile(file, 'utf8').catch(() => undefined));
}
