// Start Issue Investigation: scaffold the six phases (or the single-spec mode) for an issue, as
// CHANT-FORMAT §12 describes with its corrections, then open the first phase and the graph.
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { listPromptNames, listTopLevelSpecNames } from '../core/project/project';
import { InvestigationError, scaffoldInvestigation, type InvestigationMode } from '../core/workflow/investigation';
import { investigationLabelFromIssue } from '../core/workflow/phases';
import { pickProject } from '../commands/pickers';
import type { ProjectService } from '../workspace/projectService';

export interface StartInvestigationOptions {
  issue?: string;
  summary?: string;
  mode?: InvestigationMode;
  /** Project root, when the workspace has several. */
  root?: string;
  /** Open the graph of the new investigation (default true). */
  showGraph?: boolean;
}

/** Returns the ids of the specs it wrote, or undefined when the user backed out. */
export async function startInvestigation(projects: ProjectService, options: StartInvestigationOptions): Promise<string[] | undefined> {
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
  await projects.refresh(ids.map((id) => index.paths.specFile(id)));
  const missing = investigation.missingPrompts.length
    ? ` Prompts not in .chant/prompts (those phases use the default prompt): ${investigation.missingPrompts.join(', ')}.`
    : '';
  void vscode.window.showInformationMessage(`Created ${ids.length} specs for ${investigation.key}.${missing}`);
  await vscode.window.showTextDocument(vscode.Uri.file(index.paths.specFile(ids[0])), { preview: false });
  if (options.showGraph !== false) void Promise.resolve(vscode.commands.executeCommand('chant.showGraph', ids[0])).catch(() => undefined);
  return ids;
}
