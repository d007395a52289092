// The GitHub CLI: the only place the extension looks for and runs `gh`. Commands that go to a
// terminal (where the user sees them and `gh` can ask for a login) get their argument lists here;
// every word is passed through the shell quoting of the caller.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findOnPath } from '../workspace/executables';

const run = promisify(execFile);

export const GH_MISSING = 'the GitHub CLI `gh` is not installed or not on PATH (https://cli.github.com, then `gh auth login`)';

/** The absolute path of a working `gh`, so the terminal runs the program checked here. */
export async function findGh(): Promise<string | undefined> {
  const gh = await findOnPath('gh');
  if (!gh) return undefined;
  return run(gh, ['--version']).then(() => gh, () => undefined);
}

export interface PrCreate {
  /** `owner/repo` the pull request is opened in. */
  repo: string;
  /** The branch to merge, `owner:branch` across forks. */
  head: string;
  base?: string;
  title: string;
  bodyFile: string;
}

/** `gh pr create …` as an argument list (the first word is the absolute path of gh). */
export function prCreateArgs(gh: string, pr: PrCreate): string[] {
  return [gh, 'pr', 'create', '--repo', pr.repo, ...(pr.base ? ['--base', pr.base] : []), '--head', pr.head, '--title', pr.title, '--body-file', pr.bodyFile];
}
