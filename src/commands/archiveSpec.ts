// "Archive Spec": what `chant archive <id>` does (CHANT-FORMAT §9, §6.5). The spec moves to
// `.chant/archive/<YYYY-MM-DD>/<id>.md` with `git mv` when git tracks it and a plain rename otherwise,
// and, like chant, the move is committed as `chant: Archive <id>[, <id>…]` unless other uncommitted
// changes exist (then it stays staged, and the message says so). chant's refusals are kept: a driver whose members are not
// all completed, a branch not merged into the main branch; a spec that is not completed needs an
// explicit "archive anyway" (chant's --force), which also skips the branch check, as --force does.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { archivePathFor, planArchive } from '../core/project/specLifecycle';
import type { SpecIndex } from '../core/project/specIndex';
import { messageOf, RunGit } from '../git/runGit';
import { log } from '../log';
import type { SpecTarget } from './target';
import { ensureProjectDir } from '../core/project/safeFiles';

export interface ArchiveOptions {
  /**
   * The button to press in the confirmation instead of asking (tests): 'Archive', or 'Archive Anyway'
   * when chant would need --force. Any other answer cancels.
   */
  answer?: string;
}

export interface ArchiveOutcome {
  archived: string[];
  /** The commit `chant: Archive …` (short hash), when the move was committed. */
  commit?: string;
  /** Why the move was not committed, when it was not. */
  notCommitted?: string;
  /** Why nothing was archived, when that is the case. */
  refusal?: string;
}

/** Specs the Archive picker offers. */
export function isArchivable(spec: { status: string }): boolean {
  return spec.status === 'completed';
}

export async function archiveSpec(target: SpecTarget, options: ArchiveOptions = {}): Promise<ArchiveOutcome> {
  const { spec, index } = target;
  const mainBranch = index.config.mainBranch;
  const plan = planArchive(spec, index.specs, index.paths, mainBranch);
  const refuse = (reason: string): ArchiveOutcome => {
    void vscode.window.showWarningMessage(reason, { modal: options.answer === undefined });
    return { archived: [], refusal: reason };
  };
  if (plan.refusal) return refuse(plan.refusal);

  const git = await RunGit.open(index.paths.root).catch((error: unknown) => messageOf(error));
  const force = plan.needsForce.length > 0;
  if (!force) {
    // chant checks only branches that still exist; a deleted branch cannot block the archive.
    for (const { id, branch } of plan.branches) {
      if (typeof git === 'string') {
        return refuse(`Cannot archive ${id}: it records branch '${branch}', and Chant cannot check whether it is merged into ${mainBranch} (${git}).`);
      }
      if (!(await git.branchExists(branch))) continue;
      const merged = await git.isMerged(branch, mainBranch);
      if (merged === undefined) {
        return refuse(`Cannot archive ${id}: Chant cannot tell whether branch '${branch}' is merged into '${mainBranch}' (does '${mainBranch}' exist here?).`);
      }
      if (!merged) {
        return refuse(
          `Cannot archive ${id}: branch '${branch}' has not been merged into ${mainBranch}. Merge it first ('chant merge ${id}'), or archive it from a terminal with 'chant archive ${id} --force'.`,
        );
      }
    }
  }

  const name = spec.title?.trim() || spec.id;
  const moving = plan.specs.length > 1 ? `${spec.id} and its ${plan.specs.length - 1} member(s) move` : `${spec.id} moves`;
  const detail = [
    `${moving} to .chant/archive/${spec.id.slice(0, 10)}/. Archived specs no longer count as dependencies (a spec that depends on an archived one is blocked).`,
    force ? `chant refuses this without --force: ${plan.needsForce.join('; ')}.` : '',
    typeof git === 'string'
      ? ''
      : `As chant does, the move is made with git mv and committed as "chant: Archive ${plan.specs.map((s) => s.id).join(', ')}", unless other changes are uncommitted (then it is only staged).`,
  ]
    .filter(Boolean)
    .join('\n\n');
  const confirm = force ? 'Archive Anyway' : 'Archive';
  const choice = options.answer ?? (await vscode.window.showWarningMessage(vscode.l10n.t('Archive "{0}"?', name), { modal: true, detail }, confirm));
  if (choice !== confirm) {
    return force ? { archived: [], refusal: `Not archived: ${plan.needsForce.join('; ')} (chant needs --force).` } : { archived: [] };
  }

  const archived: string[] = [];
  const moved: string[] = [];
  for (const each of plan.specs) {
    if (await moveToArchive(index, each.id, each.path, typeof git === 'string' ? undefined : git)) moved.push(each.id);
    archived.push(each.id);
  }
  const outcome: ArchiveOutcome = { archived, ...(await commitArchive(index.paths.root, moved, archived)) };
  log.info(`Archived ${archived.join(', ')}${outcome.commit ? ` (commit ${outcome.commit})` : `; not committed: ${outcome.notCommitted}`}`);
  const what = archived.length === 1 ? archived[0] : vscode.l10n.t('{0} specs', archived.length);
  void vscode.window.showInformationMessage(
    outcome.commit
      ? vscode.l10n.t('Archived {0} (committed {1}: chant: Archive …).', what, outcome.commit)
      : vscode.l10n.t('Archived {0}; not committed: {1}.', what, outcome.notCommitted ?? ''),
  );
  return outcome;
}

/**
 * chant's commit of an archive: `chant: Archive <ids>`, made only when the moves are the only
 * uncommitted changes to tracked files (chant skips it otherwise, and so do we).
 */
async function commitArchive(root: string, moved: string[], archived: string[]): Promise<Pick<ArchiveOutcome, 'commit' | 'notCommitted'>> {
  if (moved.length === 0) return { notCommitted: 'git does not track the spec files (silent mode, or not added yet)' };
  const git = await RunGit.open(root).catch(() => undefined);
  if (!git) return { notCommitted: 'this folder is not in a git repository' };
  const top = await git.topLevel();
  const ours = new Set(moved.map((id) => path.relative(top, path.join(root, '.chant', 'archive', id.slice(0, 10), `${id}.md`)).split(path.sep).join('/')));
  const dirty = await git.dirtyPaths(root, true);
  const others = dirty.filter((file) => !ours.has(file));
  if (others.length > 0) {
    return { notCommitted: `other changes are uncommitted (${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''}); the move is staged` };
  }
  try {
    await git.raw(['commit', '--no-verify', '-q', '-m', `chant: Archive ${archived.join(', ')}`]);
  } catch (error) {
    return { notCommitted: `git commit failed (${messageOf(error).split('\n')[0]}); the move is staged` };
  }
  return { commit: (await git.raw(['rev-parse', '--short', 'HEAD'])).trim() };
}

/** Moves one spec into the archive; true when git moved it (the move is staged). */
async function moveToArchive(index: SpecIndex, id: string, from: string, git: RunGit | undefined): Promise<boolean> {
  const to = archivePathFor(index.paths, id);
  if (!to) throw new Error(`${id} has no archive folder.`);
  if (await fs.stat(to).then(() => true, () => false)) {
    throw new Error(`${path.relative(index.paths.root, to)} already exists; Chant does not overwrite archived specs.`);
  }
  // The archive folder is made for real, never through a link the repository placed.
  await ensureProjectDir(index.paths.root, path.dirname(to));
  if (git && (await git.isTracked(from))) {
    await git.move(from, to);
    return true;
  }
  await fs.rename(from, to);
  return false;
}
