// The end of an investigation: the fix goes to your fork as a staging PR, then, past the human gate,
// to the upstream project. Nothing is sent until the user has seen the PR text: the upstream PR is
// drafted in an editor and sent from there (Create Upstream PR).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SpecIndex } from '../core/project/specIndex';
import type { Spec } from '../core/spec/types';
import { shQuote } from '../core/workflow/commandLine';
import { draftKeyOf, fixSpecOf, isInvestigationKey, specsOfInvestigation, upstreamDraftName } from '../core/workflow/investigationSpecs';
import type { InvestigationTarget } from '../commands/pickers';
import { isSafeRef, RunGit } from '../git/runGit';
import { findGh, GH_MISSING, prCreateArgs } from '../github/gh';
import { forkRemoteName, githubRepoOfRemote } from '../github/remotes';
import type { RunContext } from '../runs/context';
import type { ProjectService } from '../workspace/projectService';

/** What a PR command did: the command line it sent to a terminal, or what is missing to send one. */
export type PrOutcome = { sent: string } | { missing: string[] };

interface FixTarget {
  index: SpecIndex;
  spec: Spec;
  key?: string;
}

/** The investigation's fix spec, or a warning that there is none yet. */
function fixOf(target: InvestigationTarget): FixTarget | undefined {
  const spec = fixSpecOf(specsOfInvestigation(target.index.sorted(), target.key));
  if (spec) return { index: target.index, spec, key: target.key };
  void vscode.window.showWarningMessage(`No spec of ${target.key} has a branch yet: work the fix phase first.`);
  return undefined;
}

/**
 * Why the fix spec's `branch` (frontmatter anyone can write) cannot be used, or undefined: it must
 * be a plain branch name (never `:main`, `--mirror` or `+x:y`) and, to be pushed, exist here.
 */
async function branchProblem(git: RunGit, spec: Spec, mustExist: boolean): Promise<string | undefined> {
  const branch = spec.branch ?? '';
  if (!isSafeRef(branch)) return `the branch of ${spec.id} (${JSON.stringify(branch)}) is not a branch name git accepts`;
  if (mustExist && !(await git.branchExists(branch))) return `the branch ${branch} of ${spec.id} does not exist in this repository (merged and deleted, or never created)`;
  return undefined;
}

/** "Create Staging PR": push the fix branch to your fork and open a PR into the fork's main. */
export async function createStagingPr(ctx: RunContext, target: InvestigationTarget): Promise<PrOutcome | undefined> {
  const fix = fixOf(target);
  if (!fix) return undefined;
  const { index, spec } = fix;
  const git = await RunGit.open(index.paths.root);
  const problems: string[] = [];
  const gh = await findGh();
  if (!gh) problems.push(GH_MISSING);
  const all = await git.remotes();
  const forkName = forkRemoteName(all);
  const fork = forkName === undefined ? undefined : all.get(forkName);
  const repo = githubRepoOfRemote(fork, 'fork');
  if (!fork) problems.push('this repository has no git remote: add your fork with `git remote add origin <url>`');
  else if (!repo) problems.push(`the remote ${forkName} (${fork.push ?? fork.fetch}) is not a GitHub repository`);
  const badBranch = await branchProblem(git, spec, true);
  if (badBranch) problems.push(badBranch);
  if (problems.length > 0) {
    void vscode.window.showErrorMessage(`Cannot create the staging PR: ${problems.join('; ')}.`);
    return { missing: problems };
  }
  const branch = spec.branch!;
  const bodyFile = path.join(index.paths.chantDir, 'tmp', `staging-pr-${spec.id}.md`);
  await fs.mkdir(path.dirname(bodyFile), { recursive: true });
  await fs.writeFile(bodyFile, await draftBody(index, fix.key, spec), 'utf8');
  // A full refspec after `--`: the branch name can only ever name this branch, on both sides.
  const line = [
    `cd ${shQuote(index.paths.root)}`,
    ['git', 'push', '-u', '--', forkName!, `refs/heads/${branch}:refs/heads/${branch}`].map(shQuote).join(' '),
    prCreateArgs(gh!, { repo: repo!, base: index.config.mainBranch, head: branch, title: spec.title ?? spec.id, bodyFile }).map(shQuote).join(' '),
  ].join(' && ');
  const terminal = ctx.terminals.named(`staging PR · ${repo}`, index.paths.root);
  terminal.show();
  terminal.sendText(line, true);
  return { sent: line };
}

async function draftBody(index: SpecIndex, key: string | undefined, fix: Spec): Promise<string> {
  const specs = key ? specsOfInvestigation(index.sorted(), key) : [fix];
  const lines: string[] = [];
  const issueUrl = specs.flatMap((s) => s.informedBy).find((i) => /^https?:\/\/.*\/issues\/\d+/.test(i));
  if (issueUrl) lines.push(`Fixes ${issueUrl}`, '');
  for (const spec of specs) {
    for (const target of spec.targetFiles.filter((t) => t.startsWith('.chant/research/'))) {
      const text = await fs.readFile(path.join(index.paths.root, target), 'utf8').catch(() => undefined);
      if (!text) continue;
      const summary = /## Summary\n([\s\S]*?)(\n## |$)/.exec(text)?.[1]?.trim() ?? text.split('\n').slice(0, 12).join('\n').trim();
      lines.push(`## ${spec.title ?? spec.id}`, '', summary, '');
    }
  }
  lines.push('## Changes', '', ...(fix.commits.length ? fix.commits.map((c) => `- ${c}`) : ['- (see the commits of this branch)']), '');
  return lines.join('\n');
}

/**
 * "Prepare Upstream PR": drafts the PR from the specs and research documents in an editor. Nothing
 * is sent until the human runs "Create Upstream PR" (the notification's button, or the draft
 * editor's title bar), which runs `gh pr create` against the upstream repository.
 */
export async function prepareUpstreamPr(target: InvestigationTarget): Promise<vscode.Uri | undefined> {
  const fix = fixOf(target);
  if (!fix) return undefined;
  const { index, spec } = fix;
  const draftFile = path.join(index.paths.chantDir, 'tmp', upstreamDraftName(fix.key ?? spec.id));
  await fs.mkdir(path.dirname(draftFile), { recursive: true });
  const exists = await fs.stat(draftFile).then(() => true, () => false);
  if (!exists) await fs.writeFile(draftFile, `# ${spec.title ?? spec.id}\n\n${await draftBody(index, fix.key, spec)}`, 'utf8');
  const uri = vscode.Uri.file(draftFile);
  await vscode.window.showTextDocument(uri, { preview: false });
  const create = 'Create Upstream PR';
  void vscode.window
    .showInformationMessage('Edit the upstream PR draft (first line = title). Nothing is sent until you click Create Upstream PR (here or in the editor title).', create)
    .then((choice) => choice === create && vscode.commands.executeCommand('chant.createUpstreamPr', uri));
  return uri;
}

/**
 * "Create Upstream PR" on a draft written by prepareUpstreamPr (its Uri; default: the active
 * editor). Saves the draft, then runs `gh pr create` into the `upstream` remote's repository from
 * the fork's branch.
 */
export async function createUpstreamPr(ctx: RunContext, arg: unknown): Promise<PrOutcome | undefined> {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  const draftFile = uri?.scheme === 'file' ? uri.fsPath : undefined;
  const found = draftFile ? await draftOwner(ctx.projects, draftFile) : undefined;
  if (!draftFile || !found) {
    void vscode.window.showWarningMessage('Create Upstream PR works on a draft from "Chant: Prepare Upstream PR…": open the draft (.chant/tmp/upstream-pr-*.md) first.');
    return undefined;
  }
  const { index, spec, key } = found;
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === draftFile);
  // What is sent is what the human sees: a draft that cannot be saved is not sent.
  if (doc?.isDirty && !(await doc.save())) {
    void vscode.window.showErrorMessage('The upstream PR draft could not be saved, so nothing was sent. Save it, then run Create Upstream PR again.');
    return undefined;
  }
  const git = await RunGit.open(index.paths.root);
  const all = await git.remotes();
  const problems: string[] = [];
  const gh = await findGh();
  if (!gh) problems.push(GH_MISSING);
  const upstream = all.get('upstream');
  const upstreamRepo = githubRepoOfRemote(upstream, 'upstream');
  const forkRepo = githubRepoOfRemote(all.get('origin'), 'fork');
  if (!upstream) problems.push('there is no `upstream` remote: add the project you forked with `git remote add upstream <url>`');
  else if (!upstreamRepo) problems.push(`the upstream remote (${upstream.fetch ?? upstream.push}) is not a GitHub repository`);
  if (!forkRepo) problems.push('there is no `origin` remote on GitHub for your fork');
  const badBranch = await branchProblem(git, spec, false);
  if (badBranch) problems.push(badBranch);
  if (problems.length > 0) {
    void vscode.window.showErrorMessage(`Cannot create the upstream PR: ${problems.join('; ')}.`);
    return { missing: problems };
  }
  const text = await fs.readFile(draftFile, 'utf8');
  const [first, ...rest] = text.split('\n');
  const title = first.replace(/^#\s*/, '').trim() || spec.title || spec.id;
  const bodyFile = `${draftFile}.body`;
  await fs.writeFile(bodyFile, rest.join('\n').trim() + '\n', 'utf8');
  const forkOwner = forkRepo!.split('/')[0];
  const line = [
    `cd ${shQuote(index.paths.root)}`,
    prCreateArgs(gh!, { repo: upstreamRepo!, head: `${forkOwner}:${spec.branch!}`, title, bodyFile }).map(shQuote).join(' '),
  ].join(' && ');
  const terminal = ctx.terminals.named('upstream PR', index.paths.root);
  terminal.show();
  terminal.sendText(line, true);
  if (key) {
    // Offered, not awaited: the PR command is done once gh runs; the specs are archived on a click.
    const archive = 'Archive Investigation Specs';
    void vscode.window.showInformationMessage(`After the upstream PR is open, archive the specs of ${key}?`, archive).then(async (choice) => {
      if (choice !== archive) return;
      for (const s of specsOfInvestigation(index.sorted(), key)) await vscode.commands.executeCommand('chant.archiveSpec', s.id);
    });
  }
  return { sent: line };
}

/** The investigation (or spec) whose upstream draft `draftFile` is, with its fix spec. */
async function draftOwner(projects: ProjectService, draftFile: string): Promise<FixTarget | undefined> {
  await projects.ready();
  const key = draftKeyOf(path.basename(draftFile));
  const index = projects.projects().find((p) => path.dirname(draftFile) === path.join(p.paths.chantDir, 'tmp'));
  if (!key || !index) return undefined;
  // The draft's own project: in a multi-root workspace another may have the same investigation.
  if (isInvestigationKey(key)) {
    const spec = fixSpecOf(specsOfInvestigation(index.sorted(), key));
    return spec ? { index, spec, key } : undefined;
  }
  const spec = index.get(key);
  return spec?.branch ? { index, spec } : undefined;
}
