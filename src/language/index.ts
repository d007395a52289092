// The spec editor: diagnostics with quick fixes, lenses, links, hovers and completion for spec
// files, and the status bar that names the spec of the checked-out branch. One entry point, so
// extension.ts stays a table of contents.
import * as vscode from 'vscode';
import { SpecStatusBar } from '../statusbar/specStatusBar';
import type { ProjectService } from '../workspace/projectService';
import { registerChantCliLint } from './chantCliLint';
import { SpecCodeLensProvider, type RunningSpecs } from './codeLens';
import { COMPLETION_TRIGGERS, SpecCompletionProvider } from './completion';
import { SpecDiagnostics } from './diagnostics';
import { SpecHoverProvider } from './hover';
import { SpecLinkProvider } from './links';
import { SpecQuickFixes } from './quickFixes';
import { SPEC_SELECTOR, SpecDocuments } from './specDocuments';

export interface EditorFeatures {
  /** Agent runs attach their running count here (`attachRunningAgents`). */
  statusBar: SpecStatusBar;
}

export function registerEditorFeatures(
  context: vscode.ExtensionContext,
  projects: ProjectService,
  runs: RunningSpecs,
): EditorFeatures {
  const documents = new SpecDocuments(projects);
  const diagnostics = new SpecDiagnostics(documents);
  const lenses = new SpecCodeLensProvider(documents, runs);
  const statusBar = new SpecStatusBar(projects);
  context.subscriptions.push(
    documents,
    diagnostics,
    lenses,
    statusBar,
    vscode.languages.registerCodeActionsProvider(
      SPEC_SELECTOR,
      new SpecQuickFixes(diagnostics),
      SpecQuickFixes.metadata,
    ),
    vscode.languages.registerCodeLensProvider(SPEC_SELECTOR, lenses),
    vscode.languages.registerDocumentLinkProvider(SPEC_SELECTOR, new SpecLinkProvider(documents)),
    vscode.languages.registerHoverProvider(SPEC_SELECTOR, new SpecHoverProvider(documents)),
    vscode.languages.registerCompletionItemProvider(
      SPEC_SELECTOR,
      new SpecCompletionProvider(documents),
      ...COMPLETION_TRIGGERS,
    ),
  );
  context.subscriptions.push(...registerChantCliLint(documents, runs));
  return { statusBar };
}
