// Completion inside a spec's frontmatter only: field names (in chant's own order), status and type
// values, spec ids for depends_on and members (title alongside), prompt names, and project-relative
// paths for the path fields. The body is plain markdown and is left to the markdown extension.
import * as vscode from 'vscode';
import { frontmatterContextAt, ID_FIELDS, PATH_FIELDS, type FrontmatterContext } from '../core/spec/frontmatterRanges';
import { compareSpecIds } from '../core/spec/ids';
import { listPromptNames } from '../core/project/project';
import { FIELD_ORDER, LIST_FIELDS, SPEC_STATUSES, SPEC_TYPES } from '../core/spec/types';
import { oneLine } from '../core/present/plainText';
import { displayStateOf, STATE_LABELS } from '../views/specPresentation';
import type { SpecDocument, SpecDocuments } from './specDocuments';

export const COMPLETION_TRIGGERS = [' ', ':', '/', '['];

/** Enough paths to pick from without walking a monorepo on every keystroke. */
const MAX_PATHS = 2000;
const PATH_EXCLUDE = '**/{node_modules,.git,out,dist,target,.vscode-test}/**';

const STATUS_NOTES: Partial<Record<string, string>> = {
  pending: 'not started; chant work accepts it',
  ready: 'computed by chant: a file saying ready can never be worked',
  blocked: 'computed by chant on every load; treated as pending',
  in_progress: 'set by chant work',
  completed: 'set when chant finalizes',
  cancelled: 'soft delete: hidden from lists',
};
/** Keys whose values the completion offers next, so picking the key opens the list right away. */
const KEYS_WITH_VALUES = new Set<string>(['type', 'status', 'prompt', ...ID_FIELDS, ...PATH_FIELDS]);

export class SpecCompletionProvider implements vscode.CompletionItemProvider {
  constructor(private readonly documents: SpecDocuments) {}

  async provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[]> {
    const specDocument = await this.documents.get(document);
    if (!specDocument) return [];
    const context = frontmatterContextAt(specDocument.text, position.line, position.character);
    if (!context) return [];
    const range = new vscode.Range(position.line, context.startColumn, position.line, position.character);
    switch (context.kind) {
      case 'key':
        return this.keys(specDocument, range);
      case 'value':
      case 'item':
        return this.values(specDocument, context, range);
    }
  }

  private keys(specDocument: SpecDocument, range: vscode.Range): vscode.CompletionItem[] {
    const present = specDocument.layout.fields;
    return FIELD_ORDER.filter((key) => !present.has(key)).map((key, order) => {
      const item = new vscode.CompletionItem(key, vscode.CompletionItemKind.Property);
      item.range = range;
      item.sortText = String(order).padStart(3, '0');
      item.insertText = new vscode.SnippetString(LIST_FIELDS.has(key) ? `${key}:\n- $0` : `${key}: $0`);
      item.detail = LIST_FIELDS.has(key) ? vscode.l10n.t('list') : undefined;
      if (KEYS_WITH_VALUES.has(key)) item.command = { command: 'editor.action.triggerSuggest', title: vscode.l10n.t('Suggest values') };
      return item;
    });
  }

  private async values(specDocument: SpecDocument, context: Extract<FrontmatterContext, { key: string }>, range: vscode.Range): Promise<vscode.CompletionItem[]> {
    const { key } = context;
    if (context.kind === 'value' && key === 'status') return enumItems(SPEC_STATUSES, range, (s) => STATUS_NOTES[s]);
    if (context.kind === 'value' && key === 'type') return enumItems(SPEC_TYPES, range);
    if (context.kind === 'value' && key === 'prompt') {
      const names = await listPromptNames(specDocument.index.paths);
      return names.map((name) => {
        const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.File);
        item.range = range;
        item.detail = `.chant/prompts/${name}.md`; // l10n-exempt: a path
        return item;
      });
    }
    // depends_on alone may be a bare string; every other id field is a list.
    if ((key === 'depends_on' && context.kind === 'value') || ((key === 'depends_on' || key === 'members') && context.kind === 'item')) {
      return this.specIds(specDocument, key, range);
    }
    if (context.kind === 'item' && (PATH_FIELDS as readonly string[]).includes(key)) return this.paths(specDocument, range);
    return [];
  }

  private specIds(specDocument: SpecDocument, key: string, range: vscode.Range): vscode.CompletionItem[] {
    const { index, spec } = specDocument;
    const listed = new Set(key === 'members' ? spec.members : spec.dependsOn);
    // Newest first: a dependency is usually a spec written just before this one.
    const candidates = [...index.specs.values()]
      .filter((other) => other.id !== spec.id && !listed.has(other.id))
      .sort((a, b) => compareSpecIds(b.id, a.id));
    return candidates.map((other, order) => {
      const title = oneLine(other.title?.trim() || '(untitled)');
      const item = new vscode.CompletionItem({ label: other.id, description: title }, vscode.CompletionItemKind.Reference);
      item.range = range;
      item.insertText = other.id;
      item.filterText = `${other.id} ${title}`;
      item.sortText = String(order).padStart(6, '0');
      const readiness = index.readiness(other.id);
      item.detail = `${title} · ${STATE_LABELS[displayStateOf(other, readiness)]}`;
      return item;
    });
  }

  private async paths(specDocument: SpecDocument, range: vscode.Range): Promise<vscode.CompletionItem[]> {
    const { paths } = specDocument.index;
    const pattern = new vscode.RelativePattern(vscode.Uri.file(paths.root), '**/*');
    const files = await vscode.workspace.findFiles(pattern, PATH_EXCLUDE, MAX_PATHS);
    return files
      .map((uri) => paths.relative(uri.fsPath))
      .filter((rel) => rel !== '' && !rel.startsWith('..'))
      .sort()
      .map((rel) => {
        const item = new vscode.CompletionItem(rel, vscode.CompletionItemKind.File);
        item.range = range;
        return item;
      });
  }
}

function enumItems(values: readonly string[], range: vscode.Range, note?: (value: string) => string | undefined): vscode.CompletionItem[] {
  return values.map((value, order) => {
    const item = new vscode.CompletionItem(value, vscode.CompletionItemKind.EnumMember);
    item.range = range;
    item.sortText = String(order).padStart(3, '0');
    item.detail = note?.(value);
    return item;
  });
}
