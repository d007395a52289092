// Whether each investigation's fix has reached the main branch: the question the Upstream PR gate
// answers. Answers are cached per project and fix, and forgotten when git's HEAD or branches move
// (a merge, rebase or checkout, in the extension or outside it), so the gate updates by itself.
import * as vscode from 'vscode';
import type { SpecIndex } from '../core/project/specIndex';
import { mergeStateOf, type FixRef, type MergeState } from '../git/mergeState';
import { messageOf, RunGit } from '../git/runGit';
import { Disposable } from '../lifecycle';

/** Folds the burst of ref updates one merge or checkout makes into one refresh. */
const REFS_DEBOUNCE_MS = 200;

export class GateStates extends Disposable {
  private readonly cache = new Map<string, Promise<MergeState>>();
  private readonly changeEmitter = this._register(new vscode.EventEmitter<void>());
  /** Cached answers were dropped: ask again. */
  readonly onDidChange = this.changeEmitter.event;
  private timer: NodeJS.Timeout | undefined;

  constructor() {
    super();
    const refs = this._register(vscode.workspace.createFileSystemWatcher('**/.git/{HEAD,ORIG_HEAD,packed-refs,refs/heads/**}'));
    const changed = (): void => {
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.clear(), REFS_DEBOUNCE_MS);
    };
    this._register(refs.onDidCreate(changed));
    this._register(refs.onDidChange(changed));
    this._register(refs.onDidDelete(changed));
    // The gates could not ask git before trust was granted.
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.clear()));
    this._register({ dispose: () => this.timer && clearTimeout(this.timer) });
  }

  /** Drops every answer and tells the listeners. */
  clear(): void {
    this.cache.clear();
    this.changeEmitter.fire();
  }

  stateOf(index: SpecIndex, fixes: readonly FixRef[]): Promise<MergeState> {
    // A repository's own config can make git run programs (core.fsmonitor, filters): no git in
    // Restricted Mode.
    if (!vscode.workspace.isTrusted) {
      return Promise.resolve({ state: 'unknown', detail: 'Git is not run in Restricted Mode: trust the workspace to see whether the fix is merged.' });
    }
    const main = index.config.mainBranch;
    const key = `${index.paths.root}\0${main}\0${JSON.stringify(fixes.map((f) => [f.branch, f.commits]))}`;
    let pending = this.cache.get(key);
    if (!pending) {
      pending = RunGit.open(index.paths.root)
        .then(
          (repo) => mergeStateOf(repo, fixes, main),
          (error: unknown) => mergeStateOf(undefined, fixes, main, messageOf(error)),
        )
        .catch((error: unknown): MergeState => ({ state: 'unknown', detail: `git failed: ${messageOf(error)}` }));
      this.cache.set(key, pending);
    }
    return pending;
  }
}
