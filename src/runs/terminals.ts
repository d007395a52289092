// The one owner of the extension's integrated terminals: one per spec (keyed by project and spec
// id) for its runs and the chant commands that follow them, plus one per named purpose (the PR
// commands). A terminal the user closes is forgotten at once, so the next command opens a fresh one.
// Every command line sent to a terminal goes through `runInTerminal`, which reports how it ended: with
// shell integration the command goes through `shellIntegration.executeCommand` and the exit code comes
// from `onDidEndTerminalShellExecution`; without it the line is sent with `sendText` (every value in it
// already quoted) and the exit code is read from the status file the wrapper writes, when there is one.
// eslint.config.mjs keeps the terminal API in this file.
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { parseStatusFile } from '../core/workflow/commandLine';
import { shortSpecId } from '../core/spec/ids';
import { oneLine } from '../core/present/plainText';
import { Disposable } from '../lifecycle';
import { log } from '../log';

const PREFIX = 'chant · ';

export class Terminals extends Disposable {
  private readonly bySpec = new Map<string, vscode.Terminal>();
  private readonly byName = new Map<string, vscode.Terminal>();

  constructor() {
    super();
    this._register(
      vscode.window.onDidCloseTerminal((closed) => {
        for (const map of [this.bySpec, this.byName]) for (const [k, t] of map) if (t === closed) map.delete(k);
      }),
    );
  }

  /** The live terminal of spec `id`, if one is open. */
  of(id: string, root?: string): vscode.Terminal | undefined {
    for (const [k, terminal] of this.bySpec) {
      const [r, i] = k.split('\0');
      if (i === id && (root === undefined || r === root) && terminal.exitStatus === undefined) return terminal;
    }
    return undefined;
  }

  /**
   * The spec's terminal, reused while it lives, else a new one in `cwd`, named
   * `chant · <phase> · <title>` (the short id when the spec has no phase).
   */
  forSpec(root: string, id: string, title: string | undefined, cwd: string, phase?: string): vscode.Terminal {
    const existing = this.of(id, root);
    if (existing) return existing;
    // The name shows a spec title: one line, bounded, no control characters.
    const clean = (text: string, max: number): string => oneLine(text.replace(/[\x00-\x1f\x7f]/g, ' '), max);
    const name = `${PREFIX}${phase ? clean(phase, 20) : shortSpecId(id)} · ${clean(title ?? id, 50)}`;
    const terminal = vscode.window.createTerminal({ name, cwd, iconPath: new vscode.ThemeIcon('robot') });
    this.bySpec.set(`${root}\0${id}`, terminal);
    return terminal;
  }

  /**
   * Ends the spec's terminal (the shell's hangup stops the agent in it). It is forgotten at once,
   * so the next command for this spec opens a fresh terminal instead of the closing one.
   */
  close(root: string, id: string): void {
    const k = `${root}\0${id}`;
    const terminal = this.bySpec.get(k);
    this.bySpec.delete(k);
    terminal?.dispose();
  }

  /** A terminal for one purpose (`chant · upstream PR`), reused while it lives. */
  named(purpose: string, cwd: string): vscode.Terminal {
    const name = `${PREFIX}${oneLine(purpose.replace(/[\x00-\x1f\x7f]/g, ' '), 60)}`;
    const existing = this.byName.get(name);
    if (existing && existing.exitStatus === undefined) return existing;
    const terminal = vscode.window.createTerminal({ name, cwd });
    this.byName.set(name, terminal);
    return terminal;
  }
}

export interface TerminalRunResult {
  /** undefined: the terminal was closed or the run was stopped before it reported an exit code. */
  exitCode: number | undefined;
  via: 'shell-integration' | 'status-file' | 'closed';
}

/** How long to wait for shell integration to activate in a new terminal before falling back. */
const SHELL_INTEGRATION_WAIT_MS = 4000;
const POLL_MS = 500;

export async function waitForShellIntegration(
  terminal: vscode.Terminal,
  timeoutMs = SHELL_INTEGRATION_WAIT_MS,
): Promise<vscode.TerminalShellIntegration | undefined> {
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

/**
 * Sends a command nobody waits for (a PR push, a hand-over to chant): it still goes through
 * `runInTerminal`, and how it ended goes to the log.
 */
export function sendToTerminal(terminal: vscode.Terminal, line: string, label: string): void {
  void runInTerminal({ terminal, line }).then((result) => {
    const ended = result.exitCode === undefined ? 'no exit status (the terminal closed)' : `exit status ${result.exitCode}`;
    log.info(`${label}: ${ended}`);
  });
}

export async function readStatus(file: string | undefined): Promise<ReturnType<typeof parseStatusFile>> {
  if (!file) return undefined;
  return parseStatusFile(await fs.readFile(file, 'utf8').catch(() => undefined));
}
