// Which GitHub repository a git remote stands for. Pure string work on URLs that come from the
// repository's own config (untrusted): anything that is not a plain github.com owner/repo is no
// repository at all, never a guess.
import type { Remote } from '../git/runGit';

/** `owner/repo` from a GitHub remote URL (https or ssh), or undefined. */
export function githubRepoOf(url: string): string | undefined {
  const m = /github\.com[/:]([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(url.trim());
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/**
 * The GitHub repository a remote stands for. Your fork is where you push, so its push URL counts
 * first; when pushes are rewritten elsewhere (`pushInsteadOf`, a mirror), its fetch URL names it.
 * The upstream is what you fetch from.
 */
export function githubRepoOfRemote(remote: Remote | undefined, role: 'fork' | 'upstream'): string | undefined {
  if (!remote) return undefined;
  const [first, second] = role === 'fork' ? [remote.push, remote.fetch] : [remote.fetch, remote.push];
  return (first && githubRepoOf(first)) || (second && githubRepoOf(second)) || undefined;
}

/** The remote that names your fork: `origin`, else the first one. */
export function forkRemoteName(remotes: ReadonlyMap<string, Remote>): string | undefined {
  return remotes.has('origin') ? 'origin' : [...remotes.keys()][0];
}

/**
 * The repository an issue number refers to: the `upstream` remote's (in the maintainer workflow the
 * issue lives upstream and the fork is `origin`), else `origin`'s. Undefined when neither is on GitHub.
 */
export function issueRepositoryOf(remotes: ReadonlyMap<string, Remote>): string | undefined {
  return githubRepoOfRemote(remotes.get('upstream'), 'upstream') ?? githubRepoOfRemote(remotes.get('origin'), 'upstream');
}

/** `owner/repo` of a GitHub issue or pull request URL (`https://github.com/o/r/issues/1`). */
export function githubRepoOfIssueUrl(url: string): string | undefined {
  const m = /^https:\/\/github\.com\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)\/(?:issues|pull)\/\d+(?:[/?#].*)?$/.exec(url.trim());
  return m ? `${m[1]}/${m[2]}` : undefined;
}
