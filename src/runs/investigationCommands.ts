// The whole investigation from the editor: scaffold it (§12 with corrections), work its phases one
// after another, and hand the fix upstream through `gh` with a human gate before the upstream PR.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { shQuote } from '../core/workflow/commandLine';
import { InvestigationError, scaffoldInvestigation, type InvestigationMode } from '../core/workflow/investigation';
import { investigationKeyOf, investigationLabelFromIssue, investigationKeysOf } from '../core/workflow/phases';
import { listPromptNames, listTopLevelSpecNames } from '../core/project/project';
import type { SpecIndex } from '../core/project/specIndex';
import type { Spec } from '../core/spec/types';
import type { CommandHandler } from '../commands/registry';
import { isSafeRef } from '../git/gitRepo';
import { RunGit } from '../git/runGit';
import { requireTrust } from '../workspace/trust';
import type { ProjectService } from '../workspace/projectService';
import { findOnPath } from './executables';
import type { RunManager } from './runManager';

const run = promisify(execFile);

export interface StartInvestigationOptions {
  issue?: string;
  summary?: string;
  mode?: InvestigationMode;
  /** Project root, when the workspace has several. */
  root?: string;
  /** Open the graph of the new investigation (default true). */
  showGraph?: boolean;
}

export interface ChainOptions {
  pauseBetweenPhases?: boolean;
  /** Stop after this many phases (tests). */
  maxPhases?: number;
}

export function investigationCommands(projects: ProjectService, runs: RunManager): Record<string, CommandHandler> {
  return {
    'chant.startInvestigation': (options?: StartInvestigationOptions) => startInvestigation(projects, typeof options === 'object' && options ? options : {}),
    'chant.workPhaseChain': (arg?: unknown, options?: ChainOptions) => workPhaseChain(projects, runs, arg, typeof options === 'object' && options && !Array.isArray(options) ? options : {}),
    'chant.createStagingPr': (arg?: unknown) => createStagingPr(projects, arg),
    'chant.prepareUpstreamPr': (arg?: unknown) => prepareUpstreamPr(projects, arg),
    'chant.createUpstreamPr': (arg?: unknown) => createUpstreamPr(projects, arg),
  };
}

async function pickProject(projects: ProjectService, root?: string): Promise<SpecIndex | undefined> {
  await projects.ready();
  const all = projects.projects();
  if (root) return all.find((p) => p.paths.root === root);
  if (all.length <= 1) return all[0];
  const picked = await vscode.window.showQuickPick(all.map((index) => ({ label: path.basename(index.paths.root), description: index.paths.root, index })), { placeHolder: 'Which chant project?' });
  return picked?.index;
}

export async function startInvestigation(projects: ProjectService, options: StartInvestigationOptions): Promise<string[] | undefined> {
  if (!(await requireTrust('Starting an investigation'))) return undefined;
  const index = await pickProject(projects, options.root);
  if (!index) {
    void vscode.window.showWarningMessage('There is no chant project in this workspace: run "Chant: Initialize chant" first.');
    return undefined;
  }
  const issue =
    options.issue ??
    (await vscode.window.showInputBox({
      title: 'Start Issue Investigation (1/3)',
      prompt: 'The issue: its URL or number',
      placeHolder: 'https://github.com/owner/repo/issues/1234',
      validateInput: (value) => (investigationLabelFromIssue(value) ? undefined : 'An issue number (1234) or an issue URL'),
    }));
  if (!issue) return undefined;
  const summary =
    options.summary ??
    (await vscode.window.showInputBox({
      title: 'Start Issue Investigation (2/3)',
      prompt: 'A short summary for the titles',
      placeHolder: 'data loss on concurrent writes',
      validateInput: (value) => (value.trim() && !/[\r\n]/.test(value) && !value.includes('---') ? undefined : 'One line, not empty'),
    }));
  if (!summary) return undefined;
  const mode =
    options.mode ??
    (
      await vscode.window.showQuickPick(
        [
          { label: 'Six-phase chain', detail: 'Comprehension → Reproduction → Root Cause → Impact Map → Fork Fix, then the upstream PR', mode: 'chain' as const },
          { label: 'Single-spec mode', detail: 'One investigation document (four stages), then the fix', mode: 'single' as const },
        ],
        { title: 'Start Issue Investigation (3/3)', placeHolder: 'How to investigate' },
      )
    )?.mode;
  if (!mode) return undefined;
  let investigation;
  try {
    investigation = scaffoldInvestigation({
      issue,
      summary,
      mode,
      existingSpecNames: await listTopLevelSpecNames(index.paths),
      availablePrompts: await listPromptNames(index.paths),
      now: new Date(),
    });
  } catch (error) {
    if (error instanceof InvestigationError) {
      void vscode.window.showErrorMessage(error.message);
      return undefined;
    }
    throw error;
  }
  await fs.mkdir(index.paths.specsDir, { recursive: true });
  for (const spec of investigation.specs) {
    await fs.writeFile(index.paths.specFile(spec.id), spec.text, { encoding: 'utf8', flag: 'wx' });
  }
  const ids = investigation.specs.map((s) => s.id);
  const missing = investigation.missingPrompts.length
    ? ` Prompts not in .chant/prompts (those phases use the default prompt): ${investigation.missingPrompts.join(', ')}.`
    : '';
  void vscode.window.showInformationMessage(`Created ${ids.length} specs for ${investigation.key}.${missing}`);
  await vscode.window.showTextDocument(vscode.Uri.file(index.paths.specFile(ids[0])), { preview: false });
  const commands = new Set(await vscode.commands.getCommands(true));
  if (options.showGraph !== false && commands.has('chant.showGraph')) void Promise.resolve(vscode.commands.executeCommand('chant.showGraph', ids[0])).catch(() => undefined);
  return ids;
}

function investigationSpecs(index: SpecIndex, key: string): Spec[] {
  return index.sorted().filter((spec) => investigationKeysOf(spec).includes(key));
}

async function pickInvestigation(projects: ProjectService, arg: unknown): Promise<{ index: SpecIndex; key: string } | undefined> {
  await projects.ready();
  if (typeof arg === 'string' && /^issue-\d+$/.test(arg)) {
    const index = projects.projects().find((p) => investigationSpecs(p, arg).length > 0);
    return index ? { index, key: arg } : undefined;
  }
  if (typeof arg === 'string' || arg instanceof vscode.Uri) {
    const found = typeof arg === 'string' ? projects.findSpec(arg) : projects.specAt(arg.fsPath);
    const key = found && investigationKeyOf(found.spec);
    if (found && key) return { index: found.index, key };
  }
  // A tree group: an investigation (or a phase inside one) knows its key.
  const group = typeof arg === 'object' && arg !== null ? (arg as { kind?: unknown; model?: { groupKind?: string; value?: string; investigation?: string } }) : undefined;
  if (group?.kind === 'group' && group.model) {
    const key = group.model.investigation ?? (group.model.groupKind === 'investigation' ? group.model.value : undefined);
    if (key && /^issue-\d+$/.test(key)) return pickInvestigation(projects, key);
  }
  // The Upstream PR gate node of the tree names its investigation.
  const gate = typeof arg === 'object' && arg !== null ? (arg as { kind?: unknown; model?: { gate?: { investigation?: unknown } } }) : undefined;
  if (gate?.kind === 'gate' && typeof gate.model?.gate?.investigation === 'string' && /^issue-\d+$/.test(gate.model.gate.investigation)) {
    return pickInvestigation(projects, gate.model.gate.investigation);
  }
  if (typeof arg === 'object' && arg !== null && typeof (arg as { id?: unknown }).id === 'string') {
    const found = projects.findSpec((arg as { id: string }).id);
    const key = found && investigationKeyOf(found.spec);
    if (found && key) return { index: found.index, key };
  }
  const items = projects.projects().flatMap((index) => {
    const keys = new Set(index.sorted().flatMap((spec) => investigationKeysOf(spec)));
    return [...keys].map((key) => ({ label: key, description: path.basename(index.paths.root), index, key }));
  });
  if (items.length === 0) {
    void vscode.window.showInformationMessage('There is no investigation (specs labelled issue-<n>) in this workspace.');
    return undefined;
  }
  if (items.length === 1) return items[0];
  return vscode.window.showQuickPick(items, { placeHolder: 'Which investigation?' });
}

/** `chant.workPhaseChain`: work the investigation's ready phases in order, merging each before the next. */
export async function workPhaseChain(projects: ProjectService, runs: RunManager, arg: unknown, options: ChainOptions): Promise<string[]> {
  const worked: string[] = [];
  if (!(await requireTrust('Working a phase chain', 'runs agent programs and commits to git'))) return worked;
  const target = await pickInvestigation(projects, arg);
  if (!target) return worked;
  const pause = options.pauseBetweenPhases ?? vscode.workspace.getConfiguration('chant').get<boolean>('chain.pauseBetweenPhases', true);
  for (;;) {
    if (options.maxPhases !== undefined && worked.length >= options.maxPhases) break;
    const next = investigationSpecs(target.index, target.key).find((spec) => target.index.readiness(spec.id)?.ready && !runs.isRunning(spec.id));
    if (!next) {
      const open = investigationSpecs(target.index, target.key).filter((s) => s.status !== 'completed' && s.status !== 'cancelled');
      void vscode.window.showInformationMessage(
        open.length === 0 ? `Every phase of ${target.key} is completed.` : `No phase of ${target.key} is ready: ${open.map((s) => `${s.id} (${target.index.readiness(s.id)?.effective ?? s.status})`).join(', ')}.`,
      );
      break;
    }
    const info = await runs.workSpec(next.id, { startOver: false, waitForFinish: true, quietOnSuccess: pause });
    if (!info) break;
    worked.push(next.id);
    if (info.state !== 'completed') {
      void vscode.window.showWarningMessage(`The chain stopped: ${next.id} ${info.state}.`);
      break;
    }
    if (info.runner === 'direct') {
      if (pause) {
        const review = 'Review Changes';
        const go = 'Merge and Continue';
        let choice: string | undefined;
        do {
          choice = await vscode.window.showInformationMessage(`${next.title ?? next.id} is completed. Review it, then merge it and work the next phase?`, review, go);
          if (choice === review) await runs.reviewChanges(next.id);
        } while (choice === review);
        if (choice !== go) break;
      }
      if (!(await runs.mergeSpec(next.id, { confirmed: true, deleteBranch: false }))) break;
    } else if (pause) {
      const go = 'Continue';
      if ((await vscode.window.showInformationMessage(`${next.id} finished. Work the next phase?`, go)) !== go) break;
    }
    // The merge rewrote the spec file more than once; read its final state now rather than wait
    // for the watcher, so the next phase's readiness is computed from it.
    await target.index.updateFile(target.index.paths.specFile(next.id));
    await waitUntil(() => target.index.get(next.id)?.status === 'completed', 10_000);
  }
  return worked;
}

async function waitUntil(probe: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Upstream: `gh`, remotes, and the human gate

/** `owner/repo` from a GitHub remote URL (https or ssh). */
export function githubRepoOf(url: string): string | undefined {
  const m = /github\.com[/:]([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/.exec(url.trim());
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/** What a PR command did: the command line it sent to a terminal, or what is missing to send one. */
export type PrOutcome = { sent: string } | { missing: string[] };

const GH_MISSING = 'the GitHub CLI `gh` is not installed or not on PATH (https://cli.github.com, then `gh auth login`)';

/** The absolute path of a working `gh`, so the terminal runs the program checked here. */
async function findGh(): Promise<string | undefined> {
  const gh = await findOnPath('gh');
  if (!gh) return undefined;
  return run(gh, ['--version']).then(() => gh, () => undefined);
}

interface Remote {
  fetch?: string;
  push?: string;
}

/** Remote name → its fetch and push URLs (after git's insteadOf rewriting). */
async function remotes(git: RunGit): Promise<Map<string, Remote>> {
  const out = await git.raw(['remote', '-v']).catch(() => '');
  const map = new Map<string, Remote>();
  for (const line of out.split('\n')) {
    const m = /^(\S+)\s+(\S+)\s+\((fetch|push)\)$/.exec(line.trim());
    if (m) map.set(m[1], { ...map.get(m[1]), [m[3]]: m[2] });
  }
  return map;
}

/**
 * The GitHub repository a remote stands for. Your fork is where you push, so its push URL counts
 * first; when pushes are rewritten elsewhere (`pushInsteadOf`, a mirror), its fetch URL names it.
 * The upstream is what you fetch from.
 */
function githubRepoOfRemote(remote: Remote | undefined, role: 'fork' | 'upstream'): string | undefined {
  if (!remote) return undefined;
  const [first, second] = role === 'fork' ? [remote.push, remote.fetch] : [remote.fetch, remote.push];
  return (first && githubRepoOf(first)) || (second && githubRepoOf(second)) || undefined;
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

async function fixSpecOf(projects: ProjectService, arg: unknown): Promise<{ index: SpecIndex; spec: Spec; key?: string } | undefined> {
  const target = await pickInvestigation(projects, arg);
  return target ? fixSpecIn(target.index, target.key) : undefined;
}

/** The investigation's fix: its last code spec with a branch, else its last spec with one. */
function fixSpecIn(index: SpecIndex, key: string): { index: SpecIndex; spec: Spec; key: string } | undefined {
  const specs = investigationSpecs(index, key);
  const fix = [...specs].reverse().find((s) => s.type === 'code' && s.branch) ?? [...specs].reverse().find((s) => s.branch);
  if (fix) return { index, spec: fix, key };
  void vscode.window.showWarningMessage(`No spec of ${key} has a branch yet: work the fix phase first.`);
  return undefined;
}

function terminalFor(name: string, cwd: string): vscode.Terminal {
  const existing = vscode.window.terminals.find((t) => t.name === name && t.exitStatus === undefined);
  return existing ?? vscode.window.createTerminal({ name, cwd });
}

/** "Create Staging PR": push the fix branch to your fork and open a PR into the fork's main. */
export async function createStagingPr(projects: ProjectService, arg: unknown): Promise<PrOutcome | undefined> {
  if (!(await requireTrust('Creating a pull request'))) return undefined;
  const target = await fixSpecOf(projects, arg);
  if (!target) return undefined;
  const { index, spec } = target;
  const git = await RunGit.open(index.paths.root);
  const problems: string[] = [];
  const gh = await findGh();
  if (!gh) problems.push(GH_MISSING);
  const all = await remotes(git);
  const forkName = all.has('origin') ? 'origin' : [...all.keys()][0];
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
  await fs.writeFile(bodyFile, await draftBody(index, target.key, spec), 'utf8');
  // A full refspec after `--`: the branch name can only ever name this branch, on both sides.
  const line = [
    `cd ${shQuote(index.paths.root)}`,
    ['git', 'push', '-u', '--', forkName!, `refs/heads/${branch}:refs/heads/${branch}`].map(shQuote).join(' '),
    [gh!, 'pr', 'create', '--repo', repo!, '--base', index.config.mainBranch, '--head', branch, '--title', spec.title ?? spec.id, '--body-file', bodyFile].map(shQuote).join(' '),
  ].join(' && ');
  const terminal = terminalFor(`chant · staging PR · ${repo}`, index.paths.root);
  terminal.show();
  terminal.sendText(line, true);
  return { sent: line };
}

async function draftBody(index: SpecIndex, key: string | undefined, fix: Spec): Promise<string> {
  const specs = key ? investigationSpecs(index, key) : [fix];
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
export async function prepareUpstreamPr(projects: ProjectService, arg: unknown): Promise<vscode.Uri | undefined> {
  if (!(await requireTrust('Creating a pull request'))) return undefined;
  const target = await fixSpecOf(projects, arg);
  if (!target) return undefined;
  const { index, spec } = target;
  const draftFile = upstreamDraftFile(index, target.key ?? spec.id);
  await fs.mkdir(path.dirname(draftFile), { recursive: true });
  const exists = await fs.stat(draftFile).then(() => true, () => false);
  if (!exists) await fs.writeFile(draftFile, `# ${spec.title ?? spec.id}\n\n${await draftBody(index, target.key, spec)}`, 'utf8');
  const uri = vscode.Uri.file(draftFile);
  await vscode.window.showTextDocument(uri, { preview: false });
  const create = 'Create Upstream PR';
  void vscode.window
    .showInformationMessage('Edit the upstream PR draft (first line = title). Nothing is sent until you click Create Upstream PR (here or in the editor title).', create)
    .then((choice) => choice === create && vscode.commands.executeCommand('chant.createUpstreamPr', uri));
  return uri;
}

const DRAFT_PREFIX = 'upstream-pr-';

/** Where the draft of an investigation's upstream PR lives: `.chant/tmp/upstream-pr-<key>.md`. */
function upstreamDraftFile(index: SpecIndex, key: string): string {
  return path.join(index.paths.chantDir, 'tmp', `${DRAFT_PREFIX}${key.replace(/[^\w.-]/g, '_')}.md`);
}

/**
 * "Create Upstream PR" on a draft written by prepareUpstreamPr (its Uri; default: the active
 * editor). Saves the draft, then runs `gh pr create` into the `upstream` remote's repository from
 * the fork's branch.
 */
export async function createUpstreamPr(projects: ProjectService, arg: unknown): Promise<PrOutcome | undefined> {
  if (!(await requireTrust('Creating a pull request'))) return undefined;
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  const draftFile = uri?.scheme === 'file' ? uri.fsPath : undefined;
  const found = draftFile ? await draftOwner(projects, draftFile) : undefined;
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
  const all = await remotes(git);
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
    [gh!, 'pr', 'create', '--repo', upstreamRepo!, '--head', `${forkOwner}:${spec.branch!}`, '--title', title, '--body-file', bodyFile].map(shQuote).join(' '),
  ].join(' && ');
  const terminal = terminalFor('chant · upstream PR', index.paths.root);
  terminal.show();
  terminal.sendText(line, true);
  if (key) {
    // Offered, not awaited: the PR command is done once gh runs; the specs are archived on a click.
    const archive = 'Archive Investigation Specs';
    void vscode.window.showInformationMessage(`After the upstream PR is open, archive the specs of ${key}?`, archive).then(async (choice) => {
      if (choice !== archive) return;
      for (const s of investigationSpecs(index, key)) await vscode.commands.executeCommand('chant.archiveSpec', s.id);
    });
  }
  return { sent: line };
}

/** The investigation (or spec) whose upstream draft `draftFile` is, with its fix spec. */
async function draftOwner(projects: ProjectService, draftFile: string): Promise<{ index: SpecIndex; spec: Spec; key?: string } | undefined> {
  await projects.ready();
  const key = /^upstream-pr-(.+)\.md$/.exec(path.basename(draftFile))?.[1];
  const index = projects.projects().find((p) => path.dirname(draftFile) === path.join(p.paths.chantDir, 'tmp'));
  if (!key || !index) return undefined;
  // The draft's own project: in a multi-root workspace another may have the same investigation.
  if (/^issue-\d+$/.test(key)) return fixSpecIn(index, key);
  const spec = index.get(key);
  return spec?.branch ? { index, spec } : undefined;
}
