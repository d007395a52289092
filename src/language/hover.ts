// Hover on a spec id (in depends_on, members, anywhere in the frontmatter, or `[[id]]` in the
// body): that spec's title, status and why it is blocked. Everything from the files goes in through
// appendText, never as markdown.
import * as vscode from 'vscode';
import { idReferenceAt } from '../core/spec/frontmatterRanges';
import { resolveSpecId } from '../core/spec/ids';
import { displayStateOf, specTooltip } from '../views/specPresentation';
import { referencedSpec } from './links';
import { toRange, type SpecDocuments } from './specDocuments';

export class SpecHoverProvider implements vscode.HoverProvider {
  constructor(private readonly documents: SpecDocuments) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const specDocument = await this.documents.get(document);
    if (!specDocument) return undefined;
    const reference = idReferenceAt(specDocument.layout, position.line, position.character);
    if (!reference) return undefined;
    const { index } = specDocument;
    const range = toRange(reference.range);
    const target = referencedSpec(index, reference);
    if (target) {
      const readiness = target.archived ? undefined : index.readiness(target.id);
      const markdown = specTooltip(target, readiness, displayStateOf(target, readiness));
      if (target.archived) {
        markdown.appendMarkdown('\n\n');
        markdown.appendText(vscode.l10n.t('Archived.'));
      }
      return new vscode.Hover(markdown, range);
    }
    const markdown = new vscode.MarkdownString();
    markdown.isTrusted = false;
    markdown.supportHtml = false;
    markdown.appendText(vscode.l10n.t('No spec {0}', reference.id));
    const resolution = resolveSpecId(reference.id, index.specs.keys());
    if (resolution.kind === 'found') {
      markdown.appendMarkdown('\n\n');
      markdown.appendText(
        reference.source === 'depends_on' || reference.source === 'members'
          ? vscode.l10n.t('chant would resolve this short id to {0}, but never does so in {1}: write the full id.', resolution.id, reference.source)
          : vscode.l10n.t('chant would resolve this short id to {0}', resolution.id),
      );
    } else if (resolution.kind === 'ambiguous') {
      markdown.appendMarkdown('\n\n');
      markdown.appendText(resolution.message);
    }
    return new vscode.Hover(markdown, range);
  }
}
