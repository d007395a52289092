// Which branch a checkout is on, read from `.git/HEAD` without spawning git: the status bar asks
// on every window focus, and a file read is cheaper and never blocks on a busy repository.
import * as path from 'node:path';
import { findGitDir, readTextIfExists } from '../core/project/project';

export { findGitDir };

/** The branch named by a HEAD file's text, or undefined for a detached HEAD or junk. */
export function branchFromHead(headText: string): string | undefined {
  const match = /^ref:\s*refs\/heads\/(.+?)\s*$/m.exec(headText);
  return match ? match[1] : undefined;
}

/** The checked-out branch of the checkout containing `start`; undefined when detached or not in git. */
export async function readHeadBranch(start: string): Promise<string | undefined> {
  const gitDir = await findGitDir(start);
  if (!gitDir) return undefined;
  const head = await readTextIfExists(path.join(gitDir, 'HEAD'));
  return head === undefined ? undefined : branchFromHead(head);
}

/**
 * The spec a branch works on: `<branch_prefix><id>` when that id exists, else the spec whose
 * `branch:` field names the branch (`ownerOf`, kept per change by SpecsByBranch). `exists`
 * answers whether an id exists.
 */
export function specIdForBranch(
  branch: string,
  branchPrefix: string,
  exists: (id: string) => boolean,
  ownerOf: (branch: string) => string | undefined = () => undefined,
): string | undefined {
  if (branchPrefix !== '' && branch.startsWith(branchPrefix)) {
    const id = branch.slice(branchPrefix.length);
    if (id !== '' && exists(id)) return id;
  }
  return ownerOf(branch);
}
