// The body of a staging or upstream pull request, drafted from an investigation's specs: the issue
// it fixes, a short summary of each research document (its Summary or conclusion section, never
// the whole document, private notes left out), the fix's commits. The body leaves the machine (gh
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

/** The longest summary quoted from one research document, in characters. */
export const MAX_SUMMARY_CHARS = 1200;

/** Sections that answer the question, in the order they are preferred. */
const SUMMARY_SECTIONS = [/^(summary|tl;?dr|abstract)\b/i, /^(conclusions?|recommendation|recommended fix)\b/i, /^(root cause|findings|answer)\b/i];
/** Sections that are the investigator's own and stay in the project unless the user pastes them. */
const PRIVATE_SECTION = /\b(private|internal|scratch|notes?|todo|open questions)\b/i;
/** Documents that are notes rather than findings (`issue-12-notes.md`, `private-…`). */
const PRIVATE_DOCUMENT = /(^|[/_.-])(notes?|private|scratch|internal)([/_.-]|$)/i;

interface Section {
  level: number;
  title: string;
  /** The lines under the heading, up to the next heading of the same or a higher level. */
  lines: string[];
}

function sectionsOf(lines: readonly string[]): Section[] {
  const out: Section[] = [];
  let fence = false;
  lines.forEach((line, at) => {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    const m = fence ? null : /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) return;
    const level = m[1].length;
    let end = at + 1;
    let inner = false;
    for (; end < lines.length; end++) {
      if (/^\s*(```|~~~)/.test(lines[end])) inner = !inner;
      const next = inner ? null : /^(#{1,6})\s/.exec(lines[end]);
      if (next && next[1].length <= level) break;
    }
    out.push({ level, title: m[2], lines: lines.slice(at + 1, end) });
  });
  return out;
}

/** Drops the private subsections of a block of lines (a `### Notes` inside the Summary). */
function withoutPrivate(lines: readonly string[]): string[] {
  const out: string[] = [];
  let skipLevel: number | undefined;
  let fence = false;
  for (const line of lines) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    const m = fence ? null : /^(#{1,6})\s+(.*)$/.exec(line);
    if (m && skipLevel !== undefined && m[1].length <= skipLevel) skipLevel = undefined;
    if (m && skipLevel === undefined && PRIVATE_SECTION.test(m[2])) skipLevel = m[1].length;
    if (skipLevel === undefined) out.push(line);
  }
  return out;
}

/** Headings moved below the body's own (`###` per document), so a document's `#` cannot pose as the PR's. */
function demoted(lines: readonly string[], shift: number): string[] {
  let fence = false;
  return lines.map((line) => {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    const m = fence ? null : /^(#{1,6})(\s.*)$/.exec(line);
    return m ? `${'#'.repeat(Math.min(6, shift + m[1].length))}${m[2]}` : line;
  });
}

/** At most `max` characters, cut at a paragraph or line end when there is one in the second half. */
function bounded(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const at = Math.max(cut.lastIndexOf('\n\n'), cut.lastIndexOf('\n'));
  return `${(at > max / 2 ? cut.slice(0, at) : cut).trimEnd()}\n\n…`;
}

/**
 * What the body quotes of a research document: its Summary (else Conclusion, else Root cause /
 * Findings) section, else its first paragraph; never the whole document. HTML comments and private
 * subsections (Notes, Internal, Scratch, Open questions) are left out, headings are demoted below
 * the body's own, and the result is at most MAX_SUMMARY_CHARS long.
 */
export function researchSummary(text: string, maxChars = MAX_SUMMARY_CHARS): string {
  const lines = text.replace(/\r\n?/g, '\n').replace(/<!--[\s\S]*?(-->|$)/g, '').split('\n');
  const all = sectionsOf(lines);
  // A lone `# …` is the document's title ("# Root cause of #12"), not a section to quote whole.
  const sections = all.filter((s) => !(s.level === 1 && all.filter((t) => t.level === 1).length === 1));
  let chosen: string[] | undefined;
  let topLevel = 0;
  for (const pattern of SUMMARY_SECTIONS) {
    const section = sections.find((s) => pattern.test(s.title) && !PRIVATE_SECTION.test(s.title));
    if (section) {
      chosen = section.lines;
      topLevel = section.level;
      break;
    }
  }
  if (!chosen) {
    // The first paragraph that is not a heading.
    const start = lines.findIndex((l) => l.trim() !== '' && !/^#{1,6}\s/.test(l));
    if (start < 0) return '';
    let end = start;
    while (end < lines.length && lines[end].trim() !== '' && !/^#{1,6}\s/.test(lines[end])) end++;
    chosen = lines.slice(start, end);
  }
  // Subsections of the chosen one go below `### <document>`: the section's own level maps to ###.
  const kept = demoted(withoutPrivate(chosen), Math.max(0, 3 - topLevel)).join('\n').trim();
  return bounded(kept, maxChars);
}

/** Whether a research document is the investigator's notes rather than findings (not quoted by default). */
export function isPrivateDocument(relative: string): boolean {
  return PRIVATE_DOCUMENT.test(relative.replace(/^\.chant\/research\//, '').replace(/\.(md|markdown)$/i, ''));
}

/** The body from documents already read (pure). */
export function composePrBody(specs: readonly Spec[], fix: Spec, documents: readonly ResearchDocument[]): string {
  const lines: string[] = [];
  const issueUrl = issueUrlOf(specs);
  if (issueUrl) lines.push(`Fixes ${issueUrl.trim()}`, '');
  const summaries = documents.map((doc) => ({ doc, summary: researchSummary(doc.text) })).filter((d) => d.summary);
  if (summaries.length > 0) {
    lines.push('## Summary', '');
    for (const { doc, summary } of summaries) lines.push(`### ${doc.specTitle}`, '', summary, '');
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
      } else if (read.kind === 'read' && isPrivateDocument(read.relative)) {
        skipped.push({ entry, why: 'it is private notes (paste what should go upstream yourself)' });
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
