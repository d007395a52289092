// Review Changes: the spec branch's changes against where it left `main_branch`, in diff views,
// and the documents under `.chant/` the run wrote that git does not carry (a research phase in
// silent mode): each against its copy from before the run, or opened when the run created it.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SpecIndex } from '../core/project/specIndex';
import type { Spec } from '../core/spec/types';
import { documentChanges, type DocumentChange } from '../core/workflow/researchReview';
import { createProjectFile } from '../core/project/safeFiles';
import { RunGit } from '../git/runGit';
import type { RunContext } from './context';
import { specBranch } from './directRun';

/** Specs Review Changes offers: those with a branch, or a run of this session. */
export function isReviewable(ctx: RunContext, spec: Spec, index: SpecIndex): boolean {
  return !!spec.branch || ctx.registry.get(spec.id, index.paths.root) !== undefined;
}

/** Opens the changes; returns how many files it showed (0 when there is nothing to show). */
export async function reviewChanges(_ctx: RunContext, index: SpecIndex, spec: Spec): Promise<number> {
  const git = await RunGit.open(index.paths.root);
  const branch = spec.branch ?? specBranch(index.config, spec.id);
  const hasBranch = await git.branchExists(branch);
  const { base } = await git.resolveBase(index.config.mainBranch);
  const mergeBase = hasBranch ? await git.mergeBase(base, branch) : undefined;
  const files = hasBranch && mergeBase ? await git.changedFiles(branch, base) : [];
  const topLevel = await git.topLevel();
  // Documents git tracks are in the branch's diff already (or were merged with it).
  const documents: DocumentChange[] = [];
  for (const change of await documentChanges(index.paths.root, spec)) {
    const inDiff = files.some((f) => path.join(topLevel, f.path) === change.file);
    if (!inDiff && !(await git.isTracked(change.relative, index.paths.root))) documents.push(change);
  }
  if (files.length === 0 && documents.length === 0) {
    void (hasBranch
      ? vscode.window.showInformationMessage(vscode.l10n.t('{0} has no changes against {1}, and the spec\'s documents under .chant/ are as they were before the run.', branch, base))
      : vscode.window.showWarningMessage(vscode.l10n.t('The branch {0} does not exist (merged and deleted, or never created), and the spec wrote no document under .chant/.', branch)));
    return 0;
  }
  if (files.length === 0) {
    await showDocuments(documents);
    return documents.length;
  }
  const gitUri = (ref: string, file: string): vscode.Uri => {
    const uri = vscode.Uri.file(path.join(topLevel, file));
    return uri.with({ scheme: 'git', query: JSON.stringify({ path: uri.fsPath, ref }) });
  };
  const useGitScheme = vscode.extensions.getExtension('vscode.git') !== undefined;
  const resources: Array<[vscode.Uri, vscode.Uri | undefined, vscode.Uri | undefined]> = [];
  let copies: Promise<string> | undefined;
  const folder = (): Promise<string> => (copies ??= fs.mkdtemp(path.join(os.tmpdir(), 'chant-review-')));
  for (const file of files) {
    const left = file.status === 'A' ? undefined : useGitScheme ? gitUri(mergeBase!, file.oldPath ?? file.path) : await snapshot(git, mergeBase!, file.oldPath ?? file.path, folder);
    const right = file.status === 'D' ? undefined : useGitScheme ? gitUri(branch, file.path) : await snapshot(git, branch, file.path, folder);
    resources.push([vscode.Uri.file(path.join(topLevel, file.path)), left, right]);
  }
  for (const doc of documents) {
    const uri = vscode.Uri.file(doc.file);
    resources.push([uri, doc.before ? vscode.Uri.file(doc.before) : undefined, uri]);
  }
  try {
    await vscode.commands.executeCommand('vscode.changes', `${branch} ↔ ${base}`, resources);
  } catch {
    const [, left, right] = resources[0];
    if (left && right) await vscode.commands.executeCommand('vscode.diff', left, right, `${files[0].path} (${base} ↔ ${branch})`);
  }
  return files.length + documents.length;
}

/** Each document against its copy from before the run, or, when the run created it, the document itself. */
async function showDocuments(documents: readonly DocumentChange[]): Promise<void> {
  for (const doc of documents) {
    const uri = vscode.Uri.file(doc.file);
    if (doc.before) {
      await vscode.commands.executeCommand('vscode.diff', vscode.Uri.file(doc.before), uri, `${doc.relative} (before the run ↔ now)`, { preview: false });
    } else {
      await vscode.window.showTextDocument(uri, { preview: false });
    }
  }
  const created = documents.filter((d) => !d.before).length;
  void vscode.window.showInformationMessage(
    vscode.l10n.t('Documents under .chant/ written by the run: {0} ({1} new): {2}.', documents.length, created, documents.map((d) => d.relative).join(', ')),
  );
}

/**
 * Read-only copies for diff views when the built-in git extension is not there to serve `git:` URIs:
 * in a private folder made for this review (mkdtemp, mode 0700), never a predictable shared one
 * where another user could have put links; each file is created new.
 */
async function snapshot(git: RunGit, ref: string, file: string, folder: () => Promise<string>): Promise<vscode.Uri | undefined> {
  const content = await git.show(ref, file);
  if (content === undefined) return undefined;
  const base = await folder();
  const target = path.join(base, ref.replace(/[^A-Za-z0-9._-]/g, '_'), file);
  await createProjectFile(base, target, content);
  return vscode.Uri.file(target);
}
