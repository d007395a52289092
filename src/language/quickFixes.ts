// Quick fixes for the diagnostics that know their repair: a short id in `depends_on` or `members`
// becomes the full id it resolves to (chant never resolves ids there, CHANT-FORMAT §3).
import * as vscode from 'vscode';
import type { SpecDiagnostics } from './diagnostics';

const FIXABLE = new Set(['unknown-dependency', 'unknown-member']);

export class SpecQuickFixes implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  };

  constructor(private readonly diagnostics: SpecDiagnostics) {}

  async provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): Promise<vscode.CodeAction[]> {
    const ours = context.diagnostics.filter((d) => d.source === 'chant' && FIXABLE.has(codeOf(d)));
    if (ours.length === 0) return [];
    const problems = await this.diagnostics.problems(document);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of ours) {
      const problem = problems.find(
        (p) =>
          p.code === codeOf(diagnostic) &&
          p.line === diagnostic.range.start.line &&
          p.column === diagnostic.range.start.character,
      );
      const replacements = problem?.replacements ?? [];
      for (const replacement of replacements) {
        const action = new vscode.CodeAction(`Replace with '${replacement}'`, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(document.uri, diagnostic.range, replacement);
        action.diagnostics = [diagnostic];
        action.isPreferred = replacements.length === 1;
        actions.push(action);
      }
    }
    return actions;
  }
}

function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code ?? '');
}
