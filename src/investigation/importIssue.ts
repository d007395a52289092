// The issue an investigation starts from, fetched with `gh issue view` (read only: nothing leaves
// the machine) so the Comprehension agent reads the report, its labels and every comment, not just
// the summary typed in. The repository is the one in the issue URL, else the `upstream` remote's,
// else `origin`'s. Without gh, a GitHub remote or the network, the caller is told why and goes on
// as before (a report document to paste the issue into).
import * as vscode from 'vscode';
import { issueReportMarkdown, parseIssueJson, summaryFromTitle, type ImportedIssue } from '../core/workflow/issueImport';
import { RunGit } from '../git/runGit';
import { findGh, GH_MISSING, viewIssue } from '../github/gh';
import { githubRepoOfIssueUrl, issueRepositoryOf } from '../github/remotes';

export type IssueImport =
  | { kind: 'imported'; issue: ImportedIssue; report: string; summary: string; repository: string }
  /** Not imported; `repository` is still known when the remotes name one (a number becomes its URL). */
  | { kind: 'skipped'; why: string; repository?: string };

/** The GitHub repository of an issue given as a URL or a number (then from the remotes). */
async function repositoryFor(root: string, issue: string): Promise<string | undefined> {
  if (/^https?:\/\//i.test(issue.trim())) return githubRepoOfIssueUrl(issue);
  const git = await RunGit.open(root).catch(() => undefined);
  return git ? issueRepositoryOf(await git.remotes()) : undefined;
}

export async function importIssue(root: string, issue: string, n: number): Promise<IssueImport> {
  const repository = await repositoryFor(root, issue);
  if (!repository) {
    return { kind: 'skipped', why: /^https?:\/\//i.test(issue.trim()) ? 'the URL is not a GitHub issue' : 'neither an `upstream` nor an `origin` remote is on GitHub' };
  }
  const gh = await findGh();
  if (!gh) return { kind: 'skipped', why: GH_MISSING, repository };
  try {
    const printed = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading issue #{0} of {1} with gh…', n, repository) },
      () => viewIssue(gh, repository, n),
    );
    const imported = parseIssueJson(printed);
    if (imported.number !== n) return { kind: 'skipped', why: `gh answered with issue #${imported.number}, not #${n}`, repository };
    return { kind: 'imported', issue: imported, report: issueReportMarkdown(imported), summary: summaryFromTitle(imported.title), repository };
  } catch (error) {
    return { kind: 'skipped', why: `gh could not read it (${error instanceof Error ? error.message : String(error)})`, repository };
  }
}
