// Start Issue Investigation: scaffold the six phases (or the single-spec mode) for an issue, as
// CHANT-FORMAT §12 describes with its corrections, then open the first phase and the graph. With
// `gh`, the issue itself (title, body, labels, comments) is imported first into
// `.chant/research/issue-<n>-report.md`, the first input of the first phase, and its title
// pre-fills the summary.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createProjectFile, entryKind, writeProjectFile } from '../core/project/safeFiles';
import { listPromptNames, listTopLevelSpecNames } from '../core/project/project';
import { InvestigationError, scaffoldInvestigation, type InvestigationMode, type ScaffoldedDocument } from '../core/workflow/investigation';
import { investigationLabelFromIssue, issueNumberOf } from '../core/workflow/phases';
import { pickProject } from '../views/pickers';
import type { ProjectService } from '../workspace/projectService';
import { importIssue, type IssueImport } from './importIssue';

export interface StartInvestigationOptions {
  issue?: string;
  summary?: string;
  mode?: InvestigationMode;
  /** Project root, when the workspace has several. */
  root?: string;
  /** Open the graph of the new investigation (default true). */
  showGraph?: boolean;
  /** Read the issue with `gh issue view` (default true). */
  importIssue?: boolean;
}

/** Returns the ids of the specs it wrote, or undefined when the user backed out. */
export async function startInvestigation(projects: ProjectService, options: StartInvestigationOptions): Promise<string[] | undefined> {
  const index = await pickProject(projects, options.root);
  if (!index) {
    void vscode.window.showWarningMessage(vscode.l10n.t('There is no chant project in this workspace: run "Chant: Initialize chant" first.'));
    return undefined;
  }
  const issue =
    options.issue ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('Start Issue Investigation (1/3)'),
      prompt: vscode.l10n.t('The issue: its URL or number'),
      placeHolder: vscode.l10n.t('https://github.com/owner/repo/issues/1234'),
      validateInput: (value) => (investigationLabelFromIssue(value) ? undefined : 'An issue number (1234) or an issue URL'),
    }));
  if (!issue) return undefined;
  const n = issueNumberOf(investigationLabelFromIssue(issue) ?? '');
  const imported: IssueImport | undefined = n !== undefined && options.importIssue !== false ? await importIssue(index.paths.root, issue, n) : undefined;
  if (imported?.kind === 'skipped') {
    void vscode.window.showWarningMessage(
      imported.repository || /^https?:/i.test(issue.trim())
        ? vscode.l10n.t('Issue #{0} was not imported: {1}. The investigation starts from the issue URL.', String(n), imported.why)
        : vscode.l10n.t('Issue #{0} was not imported: {1}. The investigation starts from a report document to paste the issue into.', String(n), imported.why),
    );
  }
  const summary =
    options.summary ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('Start Issue Investigation (2/3)'),
      prompt: imported?.kind === 'imported' ? vscode.l10n.t('A short summary for the titles (from the title of issue #{0})', String(n)) : vscode.l10n.t('A short summary for the titles'),
      value: imported?.kind === 'imported' ? imported.summary : undefined,
      placeHolder: vscode.l10n.t('data loss on concurrent writes'),
      validateInput: (value) => (value.trim() && !/[\r\n]/.test(value) && !value.includes('---') ? undefined : 'One line, not empty'),
    }));
  if (!summary) return undefined;
  const mode =
    options.mode ??
    (
      await vscode.window.showQuickPick(
        [
          { label: vscode.l10n.t('Six-phase chain'), detail: vscode.l10n.t('Comprehension → Reproduction → Root Cause → Impact Map → Fork Fix, then the upstream PR'), mode: 'chain' as const },
          { label: vscode.l10n.t('Single-spec mode'), detail: vscode.l10n.t('One investigation document (four stages), then the fix'), mode: 'single' as const },
        ],
        { title: vscode.l10n.t('Start Issue Investigation (3/3)'), placeHolder: vscode.l10n.t('How to investigate') },
      )
    )?.mode;
  if (!mode) return undefined;
  let investigation;
  try {
    investigation = scaffoldInvestigation({
      // gh's URL is the issue's real address, whatever was typed.
      issue: imported?.kind === 'imported' ? imported.issue.url : issue,
      issueRepository: imported?.repository ? `https://github.com/${imported.repository}` : undefined,
      issueReport: imported?.kind === 'imported' ? imported.report : undefined,
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
  const documents = await writeDocuments(index.paths.root, investigation.documents);
  for (const spec of investigation.specs) {
    // New files (O_EXCL) in real folders: a specs folder that is a link is refused.
    await createProjectFile(index.paths.root, index.paths.specFile(spec.id), spec.text);
  }
  const ids = investigation.specs.map((s) => s.id);
  await projects.refresh(ids.map((id) => index.paths.specFile(id)));
  const missing = investigation.missingPrompts.length
    ? vscode.l10n.t('Prompts not in .chant/prompts (those phases use the default prompt): {0}.', investigation.missingPrompts.join(', '))
    : '';
  const wrote = !documents.length
    ? ''
    : imported?.kind === 'imported'
      ? vscode.l10n.t('Wrote {0} (the issue as gh printed it, quoted).', documents.join(', '))
      : vscode.l10n.t('Wrote {0}.', documents.join(', '));
  void vscode.window.showInformationMessage([vscode.l10n.t('Created {0} specs for {1}.', ids.length, investigation.key), wrote, missing].filter(Boolean).join(' '));
  await vscode.window.showTextDocument(vscode.Uri.file(index.paths.specFile(ids[0])), { preview: false });
  if (options.showGraph !== false) void Promise.resolve(vscode.commands.executeCommand('chant.showGraph', ids[0])).catch(() => undefined);
  return ids;
}

/**
 * Writes the investigation's starting documents inside the project, never through a link (a
 * `.chant/research` or a report that is a link is refused, safeFiles.ts) and never over an existing
 * file: a report pasted or imported earlier is kept, and named, since the repository may have
 * placed it (the agent reads it as the issue). Returns the paths written.
 */
async function writeDocuments(root: string, documents: readonly ScaffoldedDocument[]): Promise<string[]> {
  const written: string[] = [];
  for (const doc of documents) {
    const file = path.join(root, doc.path);
    try {
      if ((await entryKind(file)) === 'file') {
        void vscode.window.showWarningMessage(vscode.l10n.t('{0} already existed, so it was kept, not written now: read it before the agent does (it may have come with the repository); delete it to import the issue again.', doc.path));
        continue;
      }
      await writeProjectFile(root, file, doc.text, { exclusive: true });
      written.push(doc.path);
    } catch (error) {
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} was not written: {1}', doc.path, error instanceof Error ? error.message : String(error)));
    }
  }
  return written;
}
