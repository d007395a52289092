// "Archive Spec": what `chant archive <id>` does (CHANT-FORMAT §9), without the commit. The spec
// moves to `.chant/archive/<YYYY-MM-DD>/<id>.md` with `git mv` when git tracks it (so the move is
// staged) and a plain rename otherwise. chant's refusals are kept: a driver whose members are not
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

export interface ArchiveOptions {
  /**
   * The button to press in the confirmation instead of asking (tests): 'Archive', or 'Archive Anyway'
   * when chant would need --force. Any other answer cancels.
   */
  answer?: string;
}

export interface ArchiveOutcome {
  archived: string[];
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
    typeof git === 'string' ? '' : 'The move is staged with git mv where git tracks the file; nothing is committed.',
  ]
    .filter(Boolean)
    .join('\n\n');
  const confirm = force ? 'Archive Anyway' : 'Archive';
  const choice = options.answer ?? (await vscode.window.showWarningMessage(`Archive "${name}"?`, { modal: true, detail }, confirm));
  if (choice !== confirm) {
    return force ? { archived: [], refusal: `Not archived: ${plan.needsForce.join('; ')} (chant needs --force).` } : { archived: [] };
  }

  const archived: string[] = [];
  for (const each of plan.specs) {
    await moveToArchive(index, each.id, each.path, typeof git === 'string' ? undefined : git);
    archived.push(each.id);
  }
  log.info(`Archived ${archived.join(', ')}`);
  return { archived };
}

async function moveToArchive(index: SpecIndex, id: string, from: string, git: RunGit | undefined): Promise<void> {
  const to = archivePathFor(index.paths, id);
  if (!to) throw new Error(`${id} has no archive folder.`);
  if (await fs.stat(to).then(() => true, () => false)) {
    throw new Error(`${path.relative(index.paths.root, to)} already exists; Chant does not overwrite archived specs.`);
  }
  await fs.mkdir(path.dirname(to), { recursive: true });
  if (git && (await git.isTracked(from))) {
    await git.move(from, to);
  } else {
    await fs.rename(from, to);
  }
}
