// Whether each investigation's fix has reached the main branch, and what became of its pull
// requests: the questions the Upstream PR gate answers. Merge answers are cached per project and
// fix, and forgotten when git's HEAD or branches move (a merge, rebase or checkout, in the extension
// or outside it), so the gate updates by itself. Pull request states come from `gh pr view` (read
// only), asked in the background so no row waits on the network, and asked again on Refresh, when
// refs move, and when the Investigation panel becomes visible.
import * as vscode from 'vscode';
import type { SpecIndex } from '../core/project/specIndex';
import { mergeStateOf, type FixRef, type MergeState } from '../git/mergeState';
import { isSafeRef, messageOf, RunGit } from '../git/runGit';
import { findGh, viewPullRequest } from '../github/gh';
import { forkRemoteName, githubRepoOfRemote } from '../github/remotes';
import { Disposable } from '../lifecycle';
import { log } from '../log';

/** A pull request of the fix branch, as `gh pr view --json state,url,number` answers. */
export interface PullRequestState {
  /** `upstream`: into the `upstream` remote's repository; `staging`: into your fork. */
  kind: 'upstream' | 'staging';
  repo: string;
  number: number;
  url: string;
  /** gh's state in lower case: open, merged, closed. */
  state: string;
}

/** gh's JSON for one pull request, checked (it comes from the network). */
export function parsePullRequestJson(text: string, kind: PullRequestState['kind'], repo: string): PullRequestState | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const o = data as Record<string, unknown>;
  const url = typeof o.url === 'string' && /^https:\/\/[^\s]+$/.test(o.url) ? o.url : undefined;
  const number = typeof o.number === 'number' && Number.isInteger(o.number) ? o.number : undefined;
  const state = typeof o.state === 'string' && /^[A-Za-z_]{1,20}$/.test(o.state) ? o.state.toLowerCase() : undefined;
  return url && number !== undefined && state ? { kind, repo, number, url, state } : undefined;
}

/** Folds the burst of ref updates one merge or checkout makes into one refresh. */
const REFS_DEBOUNCE_MS = 200;

export class GateStates extends Disposable {
  private readonly cache = new Map<string, Promise<MergeState>>();
  /** The answers git has given, by the same key: a tree row shows them without waiting. */
  private readonly answers = new Map<string, MergeState>();
  /** Per `<root>\0<branch>`: the answer, once gh gave it (an empty list: no pull request). */
  private readonly pullRequests = new Map<string, PullRequestState[] | 'pending'>();
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
    this.answers.clear();
    this.pullRequests.clear();
    this.changeEmitter.fire();
  }

  /** Forgets the pull requests of one project (asked again at the next look), and tells the listeners. */
  forgetPullRequests(root: string): void {
    for (const key of [...this.pullRequests.keys()]) if (key.startsWith(`${root}\0`) && this.pullRequests.get(key) !== 'pending') this.pullRequests.delete(key);
    this.changeEmitter.fire();
  }

  /**
   * The pull requests of a fix branch as last learnt (undefined while gh has not answered yet);
   * asks gh in the background the first time, and fires onDidChange when it answers.
   */
  pullRequestsOf(index: SpecIndex, branch: string): readonly PullRequestState[] | undefined {
    if (!vscode.workspace.isTrusted) return undefined;
    // The branch comes from a spec file and becomes a gh argument: never an option.
    if (!isSafeRef(branch)) return [];
    const key = `${index.paths.root}\0${branch}`;
    const known = this.pullRequests.get(key);
    if (known !== undefined) return known === 'pending' ? undefined : known;
    this.pullRequests.set(key, 'pending');
    void askPullRequests(index.paths.root, branch).then(
      (found) => {
        if (this.pullRequests.get(key) !== 'pending') return;
        this.pullRequests.set(key, found);
        if (found.length > 0) this.changeEmitter.fire();
      },
      (error: unknown) => {
        log.warn(`Upstream PR gate: gh pr view failed: ${messageOf(error)}`);
        this.pullRequests.set(key, []);
      },
    );
    return undefined;
  }

  stateOf(index: SpecIndex, fixes: readonly FixRef[]): Promise<MergeState> {
    // A repository's own config can make git run programs (core.fsmonitor, filters): no git in
    // Restricted Mode.
    if (!vscode.workspace.isTrusted) {
      return Promise.resolve({ state: 'unknown', detail: vscode.l10n.t('Git is not run in Restricted Mode: trust the workspace to see whether the fix is merged.') });
    }
    const main = index.config.mainBranch;
    const key = mergeKey(index, fixes);
    let pending = this.cache.get(key);
    if (!pending) {
      const asked: Promise<MergeState> = RunGit.open(index.paths.root)
        .then(
          (repo) => mergeStateOf(repo, fixes, main),
          (error: unknown) => mergeStateOf(undefined, fixes, main, messageOf(error)),
        )
        .catch((error: unknown): MergeState => ({ state: 'unknown', detail: vscode.l10n.t('git failed: {0}', messageOf(error)) }))
        .then((answer) => {
          // Only the answer to the question still asked (clear() may have dropped it meanwhile).
          if (this.cache.get(key) === asked) this.answers.set(key, answer);
          return answer;
        });
      pending = asked;
      this.cache.set(key, pending);
    }
    return pending;
  }

  /**
   * The merge state git has already given for these fixes, or undefined while it is being asked
   * (the question is asked now if it was not): a tree row shows this and never waits for git.
   */
  answeredStateOf(index: SpecIndex, fixes: readonly FixRef[]): MergeState | undefined {
    if (!vscode.workspace.isTrusted) return undefined;
    const answer = this.answers.get(mergeKey(index, fixes));
    if (!answer) void this.stateOf(index, fixes);
    return answer;
  }
}

function mergeKey(index: SpecIndex, fixes: readonly FixRef[]): string {
  return `${index.paths.root}\0${index.config.mainBranch}\0${JSON.stringify(fixes.map((f) => [f.branch, f.commits]))}`;
}

/** `gh pr view <branch>` in the upstream repository (your branch from the fork), then in the fork. */
async function askPullRequests(root: string, branch: string): Promise<PullRequestState[]> {
  const gh = await findGh();
  if (!gh) return [];
  const git = await RunGit.open(root);
  const remotes = await git.remotes();
  const forkName = forkRemoteName(remotes);
  const fork = forkName === undefined ? undefined : githubRepoOfRemote(remotes.get(forkName), 'fork');
  const upstream = githubRepoOfRemote(remotes.get('upstream'), 'upstream');
  const owner = fork?.split('/')[0];
  const asks: Array<{ kind: PullRequestState['kind']; repo: string; head: string }> = [];
  if (upstream && upstream !== fork) asks.push({ kind: 'upstream', repo: upstream, head: owner ? `${owner}:${branch}` : branch });
  if (fork) asks.push({ kind: 'staging', repo: fork, head: branch });
  const found: PullRequestState[] = [];
  for (const ask of asks) {
    // "no pull requests found" is gh's non-zero answer for a branch without one.
    const printed = await viewPullRequest(gh, ask.repo, ask.head).catch(() => undefined);
    const pr = printed === undefined ? undefined : parsePullRequestJson(printed, ask.kind, ask.repo);
    if (pr) found.push(pr);
  }
  return found;
}
