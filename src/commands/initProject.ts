// "Initialize chant" / "Initialize in Silent Mode" from the welcome view: writes the scaffold of
// src/core/workflow/scaffold.ts into a workspace folder, then lets the project service discover it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MERGE_DRIVER_CONFIG, scaffoldProject, ScaffoldError, type ScaffoldResult } from '../core/workflow/scaffold';
import { RunGit } from '../git/runGit';
import { findChantCli } from '../language/chantCliLint';
import { log } from '../log';
import type { ProjectService } from '../workspace/projectService';

/**
 * `folder` may be a Uri or a path (tests, other commands); otherwise the only workspace folder is
 * used, or the user picks one. Returns what was written, or undefined when nothing was.
 */
export async function initProject(projects: ProjectService, silent: boolean, folder?: unknown): Promise<ScaffoldResult | undefined> {
  const root = await chooseFolder(folder);
  if (!root) return undefined;
  let result: ScaffoldResult;
  try {
    result = await scaffoldProject(root, { silent });
  } catch (error) {
    if (error instanceof ScaffoldError) {
      void vscode.window.showWarningMessage(error.message);
      return undefined;
    }
    throw error;
  }
  log.info(`Initialized chant in ${root}${silent ? ' (silent mode)' : ''}: ${result.created.join(', ')}`);
  const driver = await configureMergeDriver(root);
  await projects.reload();
  const where = vscode.workspace.asRelativePath(root) || path.basename(root);
  const silentNote = silent && result.excludeFile ? vscode.l10n.t('.chant/ is listed in {0}, so git ignores it.', result.excludeFile) : '';
  const attributes = result.attributesFile ? vscode.workspace.asRelativePath(result.attributesFile) : '';
  const driverNote = attributes
    ? driver
      ? vscode.l10n.t("Spec files merge with chant's merge driver ({0}, git config merge.chant-spec).", attributes)
      : vscode.l10n.t("{0} names chant's merge driver for spec files; without the chant CLI git merges them as text.", attributes)
    : '';
  const openConfig = vscode.l10n.t('Open config.md');
  void vscode.window
    .showInformationMessage([vscode.l10n.t('Chant initialized in {0} for project \'{1}\'.', where, result.projectName), silentNote, driverNote].filter(Boolean).join(' '), openConfig)
    .then(async (choice) => {
      if (choice) await vscode.window.showTextDocument(vscode.Uri.file(path.join(root, '.chant', 'config.md')));
    });
  return result;
}

/**
 * Sets the git config `chant init` sets for the spec merge driver, only where the chant CLI is
 * installed: git runs `chant merge-driver` by name, and a driver it cannot run fails every merge of
 * a spec file (CHANT-FORMAT §6.6). True when configured.
 */
async function configureMergeDriver(root: string): Promise<boolean> {
  if (!(await findChantCli())) return false;
  try {
    const git = await RunGit.open(root);
    for (const [key, value] of Object.entries(MERGE_DRIVER_CONFIG)) await git.raw(['config', key, value]);
    return true;
  } catch (error) {
    log.warn(`Could not configure chant's merge driver in ${root}: ${String(error)}`);
    return false;
  }
}

async function chooseFolder(folder: unknown): Promise<string | undefined> {
  if (folder instanceof vscode.Uri) return folder.fsPath;
  if (typeof folder === 'string' && folder) return folder;
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (folders.length === 1) return folders[0].uri.fsPath;
  if (folders.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a folder first: chant keeps its specs in a .chant/ folder inside the project.'));
    return undefined;
  }
  const picked = await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Initialize chant in which folder?') });
  return picked?.uri.fsPath;
}
