// Small actions on one spec from the tree's context menu: copy its id, show it in the Explorer, open
// the files it is meant to produce (`target_files`, e.g. the research document of a research spec).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SpecTarget } from './target';

export async function copySpecId(target: SpecTarget): Promise<string> {
  await vscode.env.clipboard.writeText(target.spec.id);
  vscode.window.setStatusBarMessage(`Copied ${target.spec.id}`, 3000);
  return target.spec.id;
}

export async function revealSpecInExplorer(target: SpecTarget): Promise<void> {
  await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(target.spec.path));
}

/**
 * Opens a `target_files` entry of the spec; with several, the user picks one (each marked when it
 * does not exist yet). A missing file is not created: the message says the spec has not produced it.
 * Returns the path it opened, for tests.
 */
export async function openResearchOutput(target: SpecTarget, pick?: string): Promise<string | undefined> {
  const { spec, index } = target;
  if (spec.targetFiles.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} lists no target_files, so it names no output to open.', spec.id));
    return undefined;
  }
  const entries = await Promise.all(
    spec.targetFiles.map(async (entry) => {
      const file = resolveInside(index.paths.root, entry);
      const exists = file ? await fs.stat(file).then((s) => s.isFile(), () => false) : false;
      return { entry, file, exists };
    }),
  );
  let chosen = pick !== undefined ? entries.find((e) => e.entry === pick) : entries.length === 1 ? entries[0] : undefined;
  if (!chosen) {
    const item = await vscode.window.showQuickPick(
      entries.map((e) => ({ label: e.entry, description: e.file ? (e.exists ? '' : vscode.l10n.t('not created yet')) : vscode.l10n.t('outside the project'), value: e })),
      { placeHolder: vscode.l10n.t('Target files of {0}', spec.title?.trim() || spec.id) },
    );
    chosen = item?.value;
  }
  if (!chosen) return undefined;
  if (!chosen.file) {
    void vscode.window.showWarningMessage(vscode.l10n.t('\'{0}\' points outside the project, so Chant does not open it.', chosen.entry));
    return undefined;
  }
  if (!chosen.exists) {
    void vscode.window.showInformationMessage(
      spec.status === 'completed'
        ? vscode.l10n.t('\'{0}\' does not exist yet: {1} has not produced it (or it was written in a worktree and never copied back).', chosen.entry, spec.id)
        : vscode.l10n.t('\'{0}\' does not exist yet: {1} has not produced it.', chosen.entry, spec.id),
    );
    return undefined;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(chosen.file), { preview: false });
  return chosen.file;
}

/** `entry` resolved against the project root, or undefined when it escapes the root (untrusted text). */
function resolveInside(root: string, entry: string): string | undefined {
  const file = path.resolve(root, entry);
  const rel = path.relative(root, file);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? undefined : file;
}
