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

/** How long a `gh` question may take before the extension goes on without its answer. */
const GH_TIMEOUT_MS = 30_000;

/** Runs `gh` with arguments (never a shell) and returns what it printed; throws with gh's own message. */
async function ask(gh: string, args: string[], cwd?: string): Promise<string> {
  try {
    const { stdout } = await run(gh, args, {
      cwd,
      timeout: GH_TIMEOUT_MS,
      killSignal: 'SIGKILL',
      maxBuffer: 20 * 1024 * 1024,
      // Never wait for a prompt nobody can answer; plain output.
      env: { ...process.env, GH_PROMPT_DISABLED: '1', NO_COLOR: '1', GH_NO_UPDATE_NOTIFIER: '1' },
    });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message?: string; killed?: boolean };
    const said = (e.stderr ?? '').trim().split('\n').filter(Boolean).slice(-2).join(' ');
    throw new Error(e.killed ? `gh did not answer within ${GH_TIMEOUT_MS / 1000} s` : said || e.message || 'gh failed');
  }
}

/** The JSON fields of an issue the investigation imports (issueImport.parseIssueJson reads them). */
export const ISSUE_FIELDS = 'number,title,body,url,labels,comments';

/** `gh issue view <n> --repo <owner/repo> --json …`: the issue as gh prints it (unparsed JSON text). */
export function viewIssue(gh: string, repo: string, issue: number): Promise<string> {
  return ask(gh, ['issue', 'view', String(issue), '--repo', repo, '--json', ISSUE_FIELDS]);
}

/** `gh pr view <head> --repo <owner/repo> --json state,url,number`: the PR of a branch, as JSON text. */
export function viewPullRequest(gh: string, repo: string, head: string): Promise<string> {
  return ask(gh, ['pr', 'view', head, '--repo', repo, '--json', 'state,url,number']);
}
