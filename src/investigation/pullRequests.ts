// The end of an investigation: the fix goes to your fork as a staging PR, then, past the human gate,
// to the upstream project. Nothing leaves the machine unseen: every PR text is first a draft in an
// editor (quoting only research documents inside the project), and it is sent from there. git and
// gh run from a script (`sh <path>` is all the terminal line holds), whatever the user's shell.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SpecIndex } from '../core/project/specIndex';
import type { Spec } from '../core/spec/types';
import { privateRunDir, shellScript, writeShellScript, type ScriptStep } from '../core/workflow/commandLine';
import { ensureProjectDir, entryKind, LinkRefusedError, readProjectFile, writeProjectFile } from '../core/project/safeFiles';
import { draftPrBody, type FixFacts, type PrTarget } from '../core/workflow/prBody';
import { draftKeyOf, fixSpecOf, isInvestigationKey, specsOfInvestigation, upstreamDraftName } from '../core/workflow/investigationSpecs';
import type { InvestigationTarget } from '../views/pickers';
import { isSafeRef, RunGit } from '../git/runGit';
import { findGh, GH_MISSING, prCreateArgs } from '../github/gh';
import { findOnPath } from '../workspace/executables';
import { forkRemoteName, githubRepoOfRemote } from '../github/remotes';
import type { RunContext } from '../runs/context';
import { sendToTerminal } from '../runs/terminals';
import type { ProjectService } from '../workspace/projectService';

/** What a PR command did: the command line it sent to a terminal, or what is missing to send one. */
export type PrOutcome = { sent: string } | { drafted: string } | { missing: string[] };

interface FixTarget {
  index: SpecIndex;
  spec: Spec;
  key?: string;
}

/** The investigation's fix spec, or a warning that there is none yet. */
function fixOf(target: InvestigationTarget): FixTarget | undefined {
  const spec = fixSpecOf(specsOfInvestigation(target.index.sorted(), target.key));
  if (spec) return { index: target.index, spec, key: target.key };
  void vscode.window.showWarningMessage(vscode.l10n.t('No spec of {0} has a branch yet: work the fix phase first.', target.key));
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
  // git by its absolute path too (PATH's absolute entries): the script runs in the project.
  const gitProgram = await findOnPath('git');
  if (!gitProgram) problems.push('git was not found on PATH');
  const all = await git.remotes();
  const forkName = forkRemoteName(all);
  const fork = forkName === undefined ? undefined : all.get(forkName);
  const repo = githubRepoOfRemote(fork, 'fork');
  if (!fork) problems.push('this repository has no git remote: add your fork with `git remote add origin <url>`');
  else if (!repo) problems.push(`the remote ${forkName} (${fork.push ?? fork.fetch}) is not a GitHub repository`);
  const badBranch = await branchProblem(git, spec, true);
  if (badBranch) problems.push(badBranch);
  if (problems.length > 0) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot create the staging PR: {0}.', problems.join('; ')));
    return { missing: problems };
  }
  const branch = spec.branch!;
  // The first time, the text is drafted and shown; it is sent when the user runs the command again
  // with the draft in front of them (or clicks the notification's button).
  const draftFile = path.join(index.paths.chantDir, 'tmp', `staging-pr-${(fix.key ?? spec.id).replace(/[^\w.-]/g, '_')}.md`);
  const shown = vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath === draftFile);
  if (!shown) {
    const made = await writeDraft(draftFile, fix, git, { repo, staging: true });
    if (!made) return undefined;
    const uri = vscode.Uri.file(draftFile);
    await vscode.window.showTextDocument(uri, { preview: false });
    const send = vscode.l10n.t('Create Staging PR');
    const preview = vscode.l10n.t('Preview');
    const review =
      made === 'existing'
        ? vscode.l10n.t('{0} already existed, so it was not drafted now: read all of it, it is what will be sent (delete it to draft anew).', path.relative(index.paths.root, draftFile))
        : vscode.l10n.t('Review the staging PR text (first line = title).');
    void vscode.window
      .showInformationMessage(
        `${review} ${vscode.l10n.t('Nothing is pushed or sent until you click {0} or run the command again: it pushes {1} to your fork ({2}, {3}) and opens a PR into its {4}.', send, branch, forkName!, repo!, index.config.mainBranch)}`,
        send,
        preview,
      )
      .then(async (choice) => {
        if (choice === preview) await showPreview(uri);
        else if (choice === send) await vscode.commands.executeCommand('chant.createStagingPr', fix.key ?? spec.id);
      });
    return { drafted: draftFile };
  }
  const draft = await readSavedDraft(draftFile, spec, index.paths.root);
  if (!draft) return undefined;
  // A full refspec after `--`: the branch name can only ever name this branch, on both sides.
  const line = await sendSteps(ctx, `staging PR · ${repo}`, index.paths.root, [
    [gitProgram!, 'push', '-u', '--', forkName!, `refs/heads/${branch}:refs/heads/${branch}`],
    prCreateArgs(gh!, {
      repo: repo!,
      base: index.config.mainBranch,
      head: branch,
      title: draft.title,
      bodyFile: draft.bodyFile,
    }),
  ]);
  return { sent: line };
}

/**
 * Writes the PR draft (`# title`, then the body) unless one exists, and says what was left out:
 * 'written', or 'existing' for a regular file already there (the caller names it as not drafted
 * now). A link or special file at the draft's path (a repository can commit
 * `.chant/tmp/staging-pr-42.md -> ~/.ssh/id_rsa`) is never opened or read: undefined, with the reason.
 */
async function writeDraft(draftFile: string, fix: FixTarget, git: RunGit | undefined, target: PrTarget): Promise<'written' | 'existing' | undefined> {
  const { index, spec, key } = fix;
  const root = index.paths.root;
  try {
    await ensureProjectDir(root, path.dirname(draftFile));
    const kind = await entryKind(draftFile);
    if (kind === 'file' && (await readProjectFile(root, draftFile)) !== undefined) return 'existing';
    if (kind !== 'missing' && kind !== 'file') throw new LinkRefusedError(path.relative(root, draftFile), kind === 'link' ? 'a symbolic link' : 'not a regular file');
    const specs = key ? specsOfInvestigation(index.sorted(), key) : [spec];
    // The reproduction's text (its test command), read as every project file is: never through a link.
    const texts = new Map<string, string>();
    for (const s of specs) {
      const text = await readProjectFile(root, s.path).catch(() => undefined);
      if (text !== undefined) texts.set(s.id, text);
    }
    const draft = await draftPrBody(specs, spec, root, {
      target,
      fixFacts: git ? await fixFactsOf(git, spec, index.config.mainBranch) : undefined,
      specText: (s) => texts.get(s.id),
    });
    const skipped = draft.skipped.length ? `\n<!-- Not quoted (outside the project or unreadable): ${draft.skipped.map((s) => JSON.stringify(s)).join(', ').replace(/--/g, '- -')} -->\n` : '';
    await writeProjectFile(root, draftFile, `# ${draft.title}\n\n${draft.body}${skipped}`, { exclusive: true });
    return 'written';
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('No PR draft was opened: {0}', error instanceof Error ? error.message : String(error)));
    return undefined;
  }
}

/** The fix's commits (its `commits:`, else its branch's commits the main branch lacks) with the files they change. */
async function fixFactsOf(git: RunGit, spec: Spec, mainBranch: string): Promise<FixFacts> {
  let shas = spec.commits;
  if (shas.length === 0 && spec.branch && isSafeRef(spec.branch))
    shas = (await git.commitSubjects(spec.branch, mainBranch)).map((c) => c.sha);
  const commits = await git.commitsWithFiles(shas);
  return { commits, files: [...new Set(commits.flatMap((c) => c.files))] };
}

/** VS Code's rendered markdown preview of a draft, beside it. */
async function showPreview(uri: vscode.Uri): Promise<void> {
  await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
}

/**
 * The draft as the user left it: saved first (what is sent is what they see; an unsaved draft is
 * never sent), then split into its title line and a body file for `gh --body-file`. The text sent is
 * the editor's, saved; without an editor it is read from the file, never through a link. The body
 * file goes to a private folder outside the project.
 */
async function readSavedDraft(
  draftFile: string,
  spec: Spec,
  root: string,
): Promise<{ title: string; bodyFile: string } | undefined> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === draftFile);
  if (doc?.isDirty && !(await doc.save())) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('The PR draft could not be saved, so nothing was sent. Save it, then run the command again.'),
    );
    return undefined;
  }
  let text: string | undefined;
  try {
    // Refuses a draft path that is (or became) a link even when an editor shows it.
    const onDisk = await readProjectFile(root, draftFile);
    text = doc ? doc.getText() : onDisk;
  } catch (error) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('Nothing was sent: {0}', error instanceof Error ? error.message : String(error)),
    );
    return undefined;
  }
  if (text === undefined) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t(
        'Nothing was sent: the PR draft {0} is gone. Run the command again to draft it.',
        path.relative(root, draftFile),
      ),
    );
    return undefined;
  }
  const [first, ...rest] = text.split('\n');
  const title = first.replace(/^#\s*/, '').trim() || spec.title || spec.id;
  const bodyFile = path.join(await privateRunDir(), 'pr-body.md');
  await fs.writeFile(bodyFile, rest.join('\n').trim() + '\n', { encoding: 'utf8', flag: 'wx', mode: 0o600 });
  return { title, bodyFile };
}

/** Runs the steps from a script in the PR terminal; returns the line the terminal got. */
async function sendSteps(ctx: RunContext, purpose: string, root: string, steps: ScriptStep[]): Promise<string> {
  const { line } = await writeShellScript(shellScript({ cwd: root, label: purpose, steps }), 'pull-request');
  const terminal = ctx.terminals.named(purpose, root);
  terminal.show();
  sendToTerminal(terminal, line, purpose);
  return line;
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
  // Git is not run in Restricted Mode: the draft then lists the spec's commits without subjects.
  const git = vscode.workspace.isTrusted ? await RunGit.open(index.paths.root).catch(() => undefined) : undefined;
  const upstreamRepo = git ? githubRepoOfRemote((await git.remotes().catch(() => undefined))?.get('upstream'), 'upstream') : undefined;
  const made = await writeDraft(draftFile, fix, git, { repo: upstreamRepo });
  if (!made) return undefined;
  const uri = vscode.Uri.file(draftFile);
  await vscode.window.showTextDocument(uri, { preview: false });
  const create = vscode.l10n.t('Create Upstream PR');
  const preview = vscode.l10n.t('Preview');
  const existing = made === 'existing' ? `${vscode.l10n.t('{0} already existed, so it was not drafted now: read all of it, it is what will be sent (delete it to draft anew).', path.relative(index.paths.root, draftFile))} ` : '';
  void vscode.window
    .showInformationMessage(`${existing}${vscode.l10n.t('Edit the upstream PR draft (first line = title). Nothing is sent until you click Create Upstream PR (here or in the editor title).')}`, create, preview)
    .then(async (choice) => {
      if (choice === preview) await showPreview(uri);
      else if (choice === create) await vscode.commands.executeCommand('chant.createUpstreamPr', uri);
    });
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
    void vscode.window.showWarningMessage(vscode.l10n.t('Create Upstream PR works on a draft from "Chant: Prepare Upstream PR…": open the draft (.chant/tmp/upstream-pr-*.md) first.'));
    return undefined;
  }
  const { index, spec, key } = found;
  const git = await RunGit.open(index.paths.root);
  const all = await git.remotes();
  const problems: string[] = [];
  const gh = await findGh();
  if (!gh) problems.push(GH_MISSING);
  // By absolute path, as for the staging PR: the terminal's PATH may hold a relative entry where the
  // repository's own `./git` would be found first.
  const gitProgram = await findOnPath('git');
  if (!gitProgram) problems.push('git was not found on PATH');
  const upstream = all.get('upstream');
  const upstreamRepo = githubRepoOfRemote(upstream, 'upstream');
  const forkName = forkRemoteName(all) ?? 'origin';
  const forkRepo = githubRepoOfRemote(all.get(forkName), 'fork');
  if (!upstream) problems.push('there is no `upstream` remote: add the project you forked with `git remote add upstream <url>`');
  else if (!upstreamRepo) problems.push(`the upstream remote (${upstream.fetch ?? upstream.push}) is not a GitHub repository`);
  if (!forkRepo) problems.push('there is no `origin` remote on GitHub for your fork');
  else if (upstreamRepo && forkRepo.toLowerCase() === upstreamRepo.toLowerCase()) problems.push(`origin and upstream are the same repository (${forkRepo}): origin must be your fork`);
  const badBranch = await branchProblem(git, spec, false);
  if (badBranch) problems.push(badBranch);
  if (problems.length > 0) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot create the upstream PR: {0}.', problems.join('; ')));
    return { missing: problems };
  }
  const draft = await readSavedDraft(draftFile, spec, index.paths.root);
  if (!draft) return undefined;
  const forkOwner = forkRepo!.split('/')[0];
  const branch = spec.branch!;
  // What is proposed must be on the fork: the branch is pushed first (a no-op when the fork has it,
  // a fast-forward when it is behind; a fork that moved elsewhere stops the script before gh runs).
  // A branch gone from here (merged and deleted) is taken as the fork has it.
  const local = await git.branchHead(branch);
  const steps: ScriptStep[] = [];
  if (local) steps.push([gitProgram!, 'push', '-u', '--', forkName, `refs/heads/${branch}:refs/heads/${branch}`]);
  steps.push(prCreateArgs(gh!, { repo: upstreamRepo!, head: `${forkOwner}:${branch}`, title: draft.title, bodyFile: draft.bodyFile }));
  void vscode.window.showInformationMessage(
    local
      ? vscode.l10n.t('Pushing {0} to your fork ({1}, {2}), then opening the pull request into {3}.', branch, forkName, forkRepo!, upstreamRepo!)
      : vscode.l10n.t('{0} is not in this repository: opening the pull request into {1} from the copy on your fork ({2}).', branch, upstreamRepo!, forkRepo!),
  );
  const line = await sendSteps(ctx, 'upstream PR', index.paths.root, steps);
  if (key) {
    // Offered, not awaited: the PR command is done once gh runs; the specs are archived on a click.
    const archive = vscode.l10n.t('Archive Investigation Specs');
    void vscode.window.showInformationMessage(vscode.l10n.t('After the upstream PR is open, archive the specs of {0}?', key), archive).then(async (choice) => {
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
