// The spec file open in an editor, as the language features see it: its project, its id, and the
// buffer parsed on its own. The unsaved text never goes into the shared index (the tree and every
// other view show what is on disk); cross-spec checks compare this buffer with the index's other
// specs. One parse per document version, shared by diagnostics, lenses, links, hovers, completion.
import * as vscode from 'vscode';
import { specLayout, type SpecLayout, type TextRange } from '../core/spec/frontmatterRanges';
import type { SpecIndex } from '../core/project/specIndex';
import { parseSpec } from '../core/spec/specParser';
import type { Spec } from '../core/spec/types';
import type { ProjectService } from '../workspace/projectService';

/** Spec files on disk: `.chant/specs/**` and `.chant/archive/**`. Everything else is not ours. */
export const SPEC_SELECTOR: vscode.DocumentSelector = [{ scheme: 'file', pattern: '**/.chant/{specs,archive}/**/*.md' }];

export interface SpecDocument {
  document: vscode.TextDocument;
  version: number;
  index: SpecIndex;
  spec: Spec;
  layout: SpecLayout;
  text: string;
}

interface Parsed {
  version: number;
  root: string;
  spec: Spec;
  layout: SpecLayout;
  text: string;
}

export class SpecDocuments implements vscode.Disposable {
  private readonly parsed = new Map<string, Parsed>();
  private readonly closeListener: vscode.Disposable;

  constructor(readonly projects: ProjectService) {
    this.closeListener = vscode.workspace.onDidCloseTextDocument((document) =>
      this.parsed.delete(document.uri.toString()),
    );
  }

  /** The spec in `document`, once the projects are indexed; undefined for any other file. */
  async get(document: vscode.TextDocument): Promise<SpecDocument | undefined> {
    await this.projects.ready();
    return this.peek(document);
  }

  /** Like `get`, without waiting for indexing (undefined until it is done). */
  peek(document: vscode.TextDocument): SpecDocument | undefined {
    if (document.uri.scheme !== 'file') return undefined;
    const file = document.uri.fsPath;
    const index = this.projects.projectFor(file);
    if (!index) return undefined;
    const where = index.classify(file);
    if (!where) return undefined;
    const key = document.uri.toString();
    let entry = this.parsed.get(key);
    if (!entry || entry.version !== document.version || entry.root !== index.paths.root) {
      const text = document.getText();
      entry = {
        version: document.version,
        root: index.paths.root,
        spec: parseSpec(text, where),
        layout: specLayout(text),
        text,
      };
      this.parsed.set(key, entry);
    }
    return { document, version: entry.version, index, spec: entry.spec, layout: entry.layout, text: entry.text };
  }

  /** True when the file is a spec file of a known project (cheap; no parse). */
  isSpecFile(uri: vscode.Uri): boolean {
    if (uri.scheme !== 'file') return false;
    const index = this.projects.projectFor(uri.fsPath);
    return index !== undefined && index.classify(uri.fsPath) !== undefined;
  }

  dispose(): void {
    this.closeListener.dispose();
    this.parsed.clear();
  }
}

export function toRange(range: TextRange): vscode.Range {
  return new vscode.Range(range.line, range.column, range.endLine, range.endColumn);
}
