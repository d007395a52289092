// The one owner of the extension's integrated terminals: one per spec (keyed by project and spec
// id) for its runs and the chant commands that follow them, plus one per named purpose (the PR
// commands). A terminal the user closes is forgotten at once, so the next command opens a fresh one.
import * as vscode from 'vscode';
import { shortSpecId } from '../core/spec/ids';
import { oneLine } from '../core/present/plainText';
import { Disposable } from '../lifecycle';

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
