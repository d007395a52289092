// Ctrl+click in a spec: ids in the frontmatter and `[[id]]` in the body open that spec; paths in
// informed_by, target_files, context, origin and tracks open the file (when it exists); URLs open
// in the browser. Only http(s) URLs become links: a `command:` or `file:` URL written in a spec is
// untrusted text, not something a click should run.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PATH_FIELDS, type IdReference } from '../core/spec/frontmatterRanges';
import { resolveSpecId } from '../core/spec/ids';
import type { SpecIndex } from '../core/project/specIndex';
import type { Spec } from '../core/spec/types';
import { oneLine } from '../core/present/plainText';
import { toRange, type SpecDocuments } from './specDocuments';

const WEB_URL = /^https?:\/\/\S+$/i;
const GLOB = /[*?[]/;

export class SpecLinkProvider implements vscode.DocumentLinkProvider {
  constructor(private readonly documents: SpecDocuments) {}

  async provideDocumentLinks(document: vscode.TextDocument): Promise<vscode.DocumentLink[]> {
    const specDocument = await this.documents.get(document);
    if (!specDocument) return [];
    const { index, layout } = specDocument;
    const links: vscode.DocumentLink[] = [];

    for (const reference of layout.idReferences) {
      const target = referencedSpec(index, reference);
      if (!target) continue;
      const link = new vscode.DocumentLink(toRange(reference.range), vscode.Uri.file(target.path));
      link.tooltip = vscode.l10n.t('Open spec: {0}', oneLine(target.title?.trim() || target.id));
      links.push(link);
    }

    const pending: Promise<void>[] = [];
    for (const key of PATH_FIELDS) {
      for (const item of layout.fields.get(key)?.items ?? []) {
        const entry = item.text.trim();
        if (entry === '') continue;
        if (WEB_URL.test(entry)) {
          const link = new vscode.DocumentLink(toRange(item.range), vscode.Uri.parse(entry, true));
          links.push(link);
          continue;
        }
        if (/^[a-z][a-z0-9+.-]*:/i.test(entry) && !path.isAbsolute(entry)) continue;
        if (GLOB.test(entry)) continue;
        const file = path.resolve(index.paths.root, entry);
        pending.push(
          fs.stat(file).then(
            (stat) => {
              if (!stat.isFile()) return;
              const link = new vscode.DocumentLink(toRange(item.range), vscode.Uri.file(file));
              link.tooltip = vscode.l10n.t('Open {0}', index.paths.relative(file));
              links.push(link);
            },
            () => undefined,
          ),
        );
      }
    }
    await Promise.all(pending);
    return links.sort((a, b) => a.range.start.compareTo(b.range.start));
  }
}

/**
 * The spec an id reference names: exactly that id (active, or archived once the archive is loaded);
 * for `[[id]]` in prose also a short id, resolved the way `chant show` would.
 */
export function referencedSpec(index: SpecIndex, reference: IdReference): Spec | undefined {
  const exact = index.get(reference.id);
  if (exact || reference.source !== 'wikilink') return exact;
  const resolution = resolveSpecId(reference.id, index.specs.keys());
  return resolution.kind === 'found' ? index.get(resolution.id) : undefined;
}
