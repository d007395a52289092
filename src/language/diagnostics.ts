// Problems in open spec files, as the user types: the buffer is parsed on its own (debounced) and
// checked against the project's other specs, prompts and files. Closing the file clears them, so
// the Problems panel never shows stale results for a file nobody looks at.
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { lintSettingsOf } from '../core/project/chantLint';
import { lintSpec, type EditorProblem } from '../core/project/specLint';
import { Disposable } from '../lifecycle';
import { log } from '../log';
import { cliLintCovers, onDidChangeCliLintCoverage } from './chantCliLint';
import type { SpecDocuments } from './specDocuments';
import { toRange } from './specDocuments';

/** Typing pauses shorter than this do not re-check the file. */
const TYPING_DELAY_MS = 200;
/** A burst of index changes (an agent run, a checkout) re-checks open files once. */
const INDEX_DELAY_MS = 100;

const SEVERITY: Record<EditorProblem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export class SpecDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('chant'));
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** The last result per document, so quick fixes find the replacement a diagnostic offers. */
  private readonly results = new Map<string, { version: number; problems: EditorProblem[] }>();

  constructor(private readonly documents: SpecDocuments) {
    super();
    this._register(vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document, 0)));
    this._register(
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0) this.schedule(event.document, TYPING_DELAY_MS);
      }),
    );
    this._register(
      vscode.workspace.onDidCloseTextDocument((document) => {
        const key = document.uri.toString();
        this.cancel(key);
        this.results.delete(key);
        this.collection.delete(document.uri);
      }),
    );
    // Another spec changed on disk: a dependency may now exist, a cycle may have closed.
    this._register(documents.projects.onDidChange(() => this.scheduleAll(INDEX_DELAY_MS)));
    // `chant lint` took over (or gave back) chant's rules for a project.
    this._register(onDidChangeCliLintCoverage(() => this.scheduleAll(0)));
    this._register({ dispose: () => this.timers.forEach((timer) => clearTimeout(timer)) });
    // Indexing failures are reported by activation; here they only mean nothing to check yet.
    documents.projects.ready().then(
      () => this.scheduleAll(0),
      () => undefined,
    );
  }

  /** The problems of the document's current version (computed now when the last run is stale). */
  async problems(document: vscode.TextDocument): Promise<EditorProblem[]> {
    const cached = this.results.get(document.uri.toString());
    if (cached && cached.version === document.version) return cached.problems;
    return (await this.update(document)) ?? [];
  }

  private scheduleAll(delay: number): void {
    for (const document of vscode.workspace.textDocuments) this.schedule(document, delay);
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    if (document.uri.scheme !== 'file' || !document.uri.path.endsWith('.md')) return;
    const key = document.uri.toString();
    this.cancel(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.update(document).catch((error: unknown) => log.error(`Checking ${document.uri.fsPath} failed: ${String(error)}`));
      }, delay),
    );
  }

  private cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  private async update(document: vscode.TextDocument): Promise<EditorProblem[] | undefined> {
    const specDocument = await this.documents.get(document);
    if (!specDocument || document.isClosed) {
      this.collection.delete(document.uri);
      return undefined;
    }
    const { index, spec, layout, text, version } = specDocument;
    const problems = await lintSpec(spec, text, layout, {
      specs: index.specs,
      isArchived: (id) => index.archived?.has(id) ?? false,
      root: index.paths.root,
      promptFile: (name) => index.paths.promptFile(name),
      exists: (file) => fs.stat(file).then(() => true, () => false),
      filesWithId: (id) => index.filesOf(id),
      lintSettings: lintSettingsOf(index.config.raw),
      chantRulesFromCli: cliLintCovers(index.paths.root),
    });
    // A newer edit arrived while the files were checked: its own run will publish.
    if (document.version !== version || document.isClosed) return problems;
    this.results.set(document.uri.toString(), { version, problems });
    this.collection.set(document.uri, problems.map(toDiagnostic));
    return problems;
  }
}

function toDiagnostic(problem: EditorProblem): vscode.Diagnostic {
  const range = toRange({
    line: problem.line,
    column: problem.column,
    endLine: problem.endLine ?? problem.line,
    endColumn: problem.endColumn ?? problem.column,
  });
  const diagnostic = new vscode.Diagnostic(range, problem.message, SEVERITY[problem.severity]);
  diagnostic.source = 'chant';
  diagnostic.code = problem.code;
  return diagnostic;
}
