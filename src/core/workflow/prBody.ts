// The body of a staging or upstream pull request, drafted from an investigation's specs: the issue
// it fixes, each research document's summary, the fix's commits. The body leaves the machine (gh
// posts it to GitHub), so the research documents are read only through containment and only
// inside `.chant/research/`: a `target_files` entry such as `.chant/research/../../secret/id_rsa`
// contributes nothing. The caller shows the draft in an editor before anything is sent.
// No `vscode` import.
import { ProjectFiles } from '../project/containment';
import type { Spec } from '../spec/types';

export const RESEARCH_FOLDER = '.chant/research/';

/** A research document as the body quotes it. */
export interface ResearchDocument {
  /** The spec whose target_files named it. */
  specTitle: string;
  /** Project-relative path of the document. */
  relative: string;
  text: string;
}

export interface PrBodyDraft {
  body: string;
  /** target_files entries under `.chant/research/` that were not quoted, with the reason. */
  skipped: Array<{ entry: string; why: string }>;
}

/** The issue a body says it fixes: the first GitHub-style issue URL among the specs' informed_by. */
export function issueUrlOf(specs: readonly Spec[]): string | undefined {
  return specs.flatMap((s) => s.informedBy).find((i) => /^https?:\/\/\S*\/issues\/\d+/.test(i.trim()));
}

/** What the body quotes of a research document: its `## Summary` section, else its first 12 lines. */
export function researchSummary(text: string): string {
  const normalized = text.replace(/\r\n/g, '\n');
  return /## Summary\n([\s\S]*?)(\n## |$)/.exec(normalized)?.[1]?.trim() ?? normalized.split('\n').slice(0, 12).join('\n').trim();
}

/** The body from documents already read (pure). */
export function composePrBody(specs: readonly Spec[], fix: Spec, documents: readonly ResearchDocument[]): string {
  const lines: string[] = [];
  const issueUrl = issueUrlOf(specs);
  if (issueUrl) lines.push(`Fixes ${issueUrl.trim()}`, '');
  for (const doc of documents) {
    const summary = researchSummary(doc.text);
    if (summary) lines.push(`## ${doc.specTitle}`, '', summary, '');
  }
  lines.push('## Changes', '', ...(fix.commits.length ? fix.commits.map((c) => `- ${c}`) : ['- (see the commits of this branch)']), '');
  return lines.join('\n');
}

/**
 * Reads the research documents the specs name (target_files under `.chant/research/`), through
 * containment: each must really lie in the project's `.chant/research/` folder and be a regular
 * file. At most `maxBytes` of each is read.
 */
export async function readResearchDocuments(
  specs: readonly Spec[],
  files: ProjectFiles,
  maxBytes = 200_000,
): Promise<{ documents: ResearchDocument[]; skipped: PrBodyDraft['skipped'] }> {
  const documents: ResearchDocument[] = [];
  const skipped: PrBodyDraft['skipped'] = [];
  for (const spec of specs) {
    for (const entry of spec.targetFiles.filter((t) => t.trim().startsWith(RESEARCH_FOLDER))) {
      const read = await files.read(entry.trim(), maxBytes);
      if (read.kind === 'outside') {
        skipped.push({ entry, why: `it points outside the project (${read.why})` });
      } else if (read.kind === 'read' && !read.relative.startsWith(RESEARCH_FOLDER)) {
        skipped.push({ entry, why: `it is not inside ${RESEARCH_FOLDER}` });
      } else if (read.kind === 'read' && read.text.trim()) {
        documents.push({ specTitle: spec.title ?? spec.id, relative: read.relative, text: read.text });
      }
    }
  }
  return { documents, skipped };
}

/** The draft of a PR body for `fix` and the investigation's `specs` (just `[fix]` without one). */
export async function draftPrBody(specs: readonly Spec[], fix: Spec, root: string): Promise<PrBodyDraft> {
  const { documents, skipped } = await readResearchDocuments(specs, new ProjectFiles(root));
  return { body: composePrBody(specs, fix, documents), skipped };
}
