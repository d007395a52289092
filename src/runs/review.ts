// Review Changes: the spec branch's changes against where it left `main_branch`, in diff views.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SpecIndex } from '../core/project/specIndex';
import type { Spec } from '../core/spec/types';
import { RunGit } from '../git/runGit';
import type { RunContext } from './context';
import { specBranch } from './directRun';

/** Specs Review Changes offers: those with a branch, or a run of this session. */
export function isReviewable(ctx: RunContext, spec: Spec, index: SpecIndex): boolean {
  return !!spec.branch || ctx.registry.get(spec.id, index.paths.root) !== undefined;
}

/** Opens the changes; returns how many files changed (0 when there is nothing to show). */
export async function reviewChanges(_ctx: RunContext, index: SpecIndex, spec: Spec): Promise<number> {
  const git = await RunGit.open(index.paths.root);
  const branch = spec.branch ?? specBranch(index.config, spec.id);
  if (!(await git.branchExists(branch))) {
    void vscode.window.showWarningMessage(`The branch ${branch} does not exist (merged and deleted, or never created).`);
    return 0;
  }
  const { base } = await git.resolveBase(index.config.mainBranch);
  const mergeBase = await git.mergeBase(base, branch);
  const files = await git.changedFiles(branch, base);
  if (!mergeBase || files.length === 0) {
    void vscode.window.showInformationMessage(`${branch} has no changes against ${base}.`);
    return 0;
  }
  const topLevel = await git.topLevel();
  const gitUri = (ref: string, file: string): vscode.Uri => {
    const uri = vscode.Uri.file(path.join(topLevel, file));
    return uri.with({ scheme: 'git', query: JSON.stringify({ path: uri.fsPath, ref }) });
  };
  const useGitScheme = vscode.extensions.getExtension('vscode.git') !== undefined;
  const resources: Array<[vscode.Uri, vscode.Uri | undefined, vscode.Uri | undefined]> = [];
  for (const file of files) {
    const left = file.status === 'A' ? undefined : useGitScheme ? gitUri(mergeBase, file.oldPath ?? file.path) : await snapshot(git, mergeBase, file.oldPath ?? file.path);
    const right = file.status === 'D' ? undefined : useGitScheme ? gitUri(branch, file.path) : await snapshot(git, branch, file.path);
    resources.push([vscode.Uri.file(path.join(topLevel, file.path)), left, right]);
  }
  try {
    await vscode.commands.executeCommand('vscode.changes', `${branch} ↔ ${base}`, resources);
  } catch {
    const [, left, right] = resources[0];
    if (left && right) await vscode.commands.executeCommand('vscode.diff', left, right, `${files[0].path} (${base} ↔ ${branch})`);
  }
  return files.length;
}

/** Read-only copies for diff views when the built-in git extension is not there to serve `git:` URIs. */
async function snapshot(git: RunGit, ref: string, file: string): Promise<vscode.Uri | undefined> {
  const content = await git.show(ref, file);
  if (content === undefined) return undefined;
  const dir = path.join(os.tmpdir(), 'chant-review', ref.replace(/[^A-Za-z0-9._-]/g, '_'));
  const target = path.join(dir, file);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, content, 'utf8');
  return vscode.Uri.file(target);
}
