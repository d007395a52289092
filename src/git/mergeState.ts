// Whether a completed fix has reached the main branch: the question the Upstream PR gate answers
// before a maintainer opens the upstream pull request. Three honest answers: merged, not merged, or
// "cannot tell" with the reason (no git, no branch recorded, branch deleted and no commits, …).
import * as l10n from '@vscode/l10n';
import type { RunGit } from './runGit';

export interface FixRef {
  id: string;
  branch?: string;
  commits: readonly string[];
}

export type MergeState =
  | { state: 'merged'; detail: string }
  | { state: 'unmerged'; detail: string; id: string }
  | { state: 'unknown'; detail: string };

/**
 * Merged when every fix's branch (or, when the branch is gone, every recorded commit) is reachable
 * from `mainBranch`. The first fix that is not merged decides "unmerged"; any fix we cannot judge
 * makes the whole answer "unknown" rather than a guess.
 */
export async function mergeStateOf(repo: RunGit | undefined, fixes: readonly FixRef[], mainBranch: string, gitProblem?: string): Promise<MergeState> {
  if (!repo) return { state: 'unknown', detail: gitProblem ? l10n.t('cannot check git: {0}', gitProblem) : l10n.t('cannot check git: no repository') };
  if ((await repo.isMerged(mainBranch, mainBranch)) === undefined) {
    return { state: 'unknown', detail: l10n.t("the main branch '{0}' (defaults.main_branch) does not exist in this repository", mainBranch) };
  }
  let unknown: string | undefined;
  for (const fix of fixes) {
    const verdict = await fixMerged(repo, fix, mainBranch);
    if (verdict.merged === false) return { state: 'unmerged', id: fix.id, detail: verdict.detail };
    if (verdict.merged === undefined) unknown ??= verdict.detail;
  }
  if (unknown) return { state: 'unknown', detail: unknown };
  return { state: 'merged', detail: l10n.t('merged into {0}', mainBranch) };
}

async function fixMerged(repo: RunGit, fix: FixRef, mainBranch: string): Promise<{ merged: boolean | undefined; detail: string }> {
  if (fix.branch) {
    const merged = await repo.isMerged(fix.branch, mainBranch);
    if (merged !== undefined) {
      return { merged, detail: merged ? l10n.t('{0} merged into {1}', fix.branch, mainBranch) : l10n.t('{0} is not merged into {1}', fix.branch, mainBranch) };
    }
  }
  // No branch (chain mode runs on the current branch) or a deleted one (parallel mode deletes it
  // after merging): the recorded commits still tell, if they exist here.
  if (fix.commits.length > 0) {
    const results = await Promise.all(fix.commits.map((sha) => repo.isMerged(sha, mainBranch)));
    if (results.every((r) => r === true)) return { merged: true, detail: l10n.t('the commits of {0} are on {1}', fix.id, mainBranch) };
    const missing = fix.commits.find((_, i) => results[i] === false);
    if (missing) return { merged: false, detail: l10n.t('commit {0} of {1} is not on {2}', missing, fix.id, mainBranch) };
  }
  const why = fix.branch
    ? fix.commits.length
      ? l10n.t('branch {0} of {1} does not exist here and its commits were not found', fix.branch, fix.id)
      : l10n.t('branch {0} of {1} does not exist here and it records no commits', fix.branch, fix.id)
    : fix.commits.length
      ? l10n.t('{0} records no branch and its commits were not found', fix.id)
      : l10n.t('{0} records no branch and no commits', fix.id);
  return { merged: undefined, detail: why };
}
