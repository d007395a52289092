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
async function ask(gh: string, args: string[], cwd?: string, timeoutMs = GH_TIMEOUT_MS): Promise<string> {
  try {
    const { stdout } = await run(gh, args, {
      cwd,
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
      maxBuffer: 20 * 1024 * 1024,
      // Never wait for a prompt nobody can answer; plain output.
      env: { ...process.env, GH_PROMPT_DISABLED: '1', NO_COLOR: '1', GH_NO_UPDATE_NOTIFIER: '1' },
    });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message?: string; killed?: boolean };
    const said = (e.stderr ?? '').trim().split('\n').filter(Boolean).slice(-2).join(' ');
    throw new Error(e.killed ? `gh did not answer within ${timeoutMs / 1000} s` : said || e.message || 'gh failed');
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

// GitHub Actions (the `actions` runner, src/runs/actionsRunner.ts). Every call names the repository.

/** `gh auth status`: resolves when gh is logged in, throws gh's own words otherwise. */
export async function authStatus(gh: string): Promise<void> {
  await ask(gh, ['auth', 'status']);
}

/** `gh repo view <repo> --json nameWithOwner,viewerPermission,visibility`, as JSON text. */
export function viewRepository(gh: string, repo: string): Promise<string> {
  return ask(gh, ['repo', 'view', repo, '--json', 'nameWithOwner,viewerPermission,visibility']);
}

/** `gh secret list --repo <repo> --json name`: the names of the repository's secrets (never their values). */
export function listSecretNames(gh: string, repo: string): Promise<string> {
  return ask(gh, ['secret', 'list', '--repo', repo, '--json', 'name']);
}

/** `gh workflow run <workflow> --repo <repo> --ref <ref> -f name=value …`: each input one argument, never a shell. */
export async function dispatchWorkflow(
  gh: string,
  repo: string,
  workflow: string,
  ref: string,
  inputs: Readonly<Record<string, string>>,
): Promise<void> {
  const fields = Object.entries(inputs).flatMap(([name, value]) => ['-f', `${name}=${value}`]);
  await ask(gh, ['workflow', 'run', workflow, '--repo', repo, '--ref', ref, ...fields]);
}

/** `gh run list --repo <repo> --workflow <workflow> --json …`: the newest runs, as JSON text. */
export function listWorkflowRuns(
  gh: string,
  repo: string,
  workflow: string,
  fields: string,
  limit = 30,
): Promise<string> {
  return ask(gh, [
    'run',
    'list',
    '--repo',
    repo,
    '--workflow',
    workflow,
    '--event',
    'workflow_dispatch',
    '--limit',
    String(limit),
    '--json',
    fields,
  ]);
}

/** `gh run view <id> --repo <repo> --json …`, as JSON text. */
export function viewRun(gh: string, repo: string, runId: number, fields: string): Promise<string> {
  return ask(gh, ['run', 'view', String(runId), '--repo', repo, '--json', fields]);
}

/** `gh run view <id> --repo <repo> --log-failed` (or `--log`): the job log, once the run is over. */
export function runLog(gh: string, repo: string, runId: number, failedOnly: boolean): Promise<string> {
  return ask(gh, ['run', 'view', String(runId), '--repo', repo, failedOnly ? '--log-failed' : '--log'], undefined, 120_000);
}

/** `gh run cancel <id> --repo <repo>`. */
export async function cancelWorkflowRun(gh: string, repo: string, runId: number): Promise<void> {
  await ask(gh, ['run', 'cancel', String(runId), '--repo', repo]);
}

/** `gh run download <id> --repo <repo> --name <artifact> --dir <dir>`. */
export async function downloadArtifact(
  gh: string,
  repo: string,
  runId: number,
  name: string,
  dir: string,
): Promise<void> {
  await ask(gh, ['run', 'download', String(runId), '--repo', repo, '--name', name, '--dir', dir], undefined, 300_000);
}
