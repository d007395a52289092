// Needs-you events as desktop notifications (opt-in: chant.notifications.desktop): when a run starts
// to wait for the user (review and merge, a failure, a conflict, a phase chain between phases) while
// the VS Code window is not focused, the operating system shows it. Only when the extension host
// runs on the user's own machine (vscode.env.remoteName undefined): on a remote host the
// notification would appear on the server. The command is core/runs/desktopNotification.ts.
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { notifyCommand, type NotifyCommand } from '../core/runs/desktopNotification';
import { Disposable } from '../lifecycle';
import { log } from '../log';
import { settings } from '../settings';
import { findOnPath } from '../workspace/executables';
import type { RunRegistry } from './runRegistry';

const NEED_TEXT: Record<string, string> = {
  merge: 'finished: review and merge',
  failed: 'failed',
  conflict: 'stopped on a merge conflict',
  attention: 'needs attention',
};

export interface DesktopNotifierHooks {
  focused?: () => boolean;
  local?: () => boolean;
  enabled?: () => boolean;
  /** Runs the command (tests record it). */
  send?: (command: NotifyCommand) => void;
}

export class DesktopNotifier extends Disposable {
  /** Runs and chains already waiting: each need is told once. */
  private readonly told = new Set<string>();

  constructor(
    private readonly registry: RunRegistry,
    private readonly hooks: DesktopNotifierHooks = {},
  ) {
    super();
    for (const key of this.waiting().keys()) this.told.add(key);
    this._register(registry.onDidChangeList(() => void this.check()));
  }

  /** What waits for the user now, by a key that changes when a new need arrives. */
  private waiting(): Map<string, string> {
    const out = new Map<string, string>();
    for (const run of this.registry.history()) {
      if (run.need) out.set(`${run.key}:${run.need}`, `${run.title ?? run.id} ${NEED_TEXT[run.need] ?? 'needs you'}`);
    }
    for (const chain of this.registry.chains()) {
      if (chain.state === 'waiting') out.set(`${chain.key}:${chain.current ?? ''}`, `Phase chain ${chain.investigation} waits: merge ${chain.currentTitle ?? chain.current ?? 'the last phase'}, then the next phase`);
    }
    return out;
  }

  private async check(): Promise<void> {
    const now = this.waiting();
    const fresh = [...now].filter(([key]) => !this.told.has(key));
    for (const [key] of fresh) this.told.add(key);
    if (fresh.length === 0) return;
    const enabled = this.hooks.enabled?.() ?? settings.desktopNotifications.value;
    const focused = this.hooks.focused?.() ?? vscode.window.state.focused;
    const local = this.hooks.local?.() ?? vscode.env.remoteName === undefined;
    if (!enabled || focused || !local) return;
    const body = fresh.length === 1 ? fresh[0][1] : `${fresh.length} runs need you: ${fresh.map(([, text]) => text).join('; ')}`;
    const command = notifyCommand(process.platform, 'Chant', body, {
      notifySend: process.platform === 'linux' || process.platform === 'freebsd' ? await findOnPath('notify-send') : undefined,
      systemRoot: process.env.SystemRoot,
    });
    if (!command) {
      log.info('A desktop notification was due, but no notification tool was found (notify-send on Linux).');
      return;
    }
    if (this.hooks.send) return this.hooks.send(command);
    execFile(
      command.file,
      command.args,
      { timeout: 30_000, windowsHide: true, env: { ...process.env, ...command.env } },
      (error) => {
        if (error) log.info(`Desktop notification failed: ${error.message}`);
      },
    );
  }
}
