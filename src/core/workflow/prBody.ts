// The title and body of a staging or upstream pull request, drafted from an investigation's specs
// the way a maintainer writes one: the issue it fixes (`Fixes #N`, or the upstream reference), a
// short summary of the bug (the comprehension's Summary), the root cause (the root-cause document's),
// the fix (its commit subjects and the files they change) and how it was tested (the reproduction's
// test and the command that runs it). Each research document gives one section, never the whole
// document, without private notes; nothing internal goes out (spec ids, `.chant/` paths, chant's
// commit prefixes, the finalize commit). The body leaves the machine (gh posts it to GitHub), so the
// research documents are read only through containment and only inside `.chant/research/`: a
// `target_files` entry such as `.chant/research/../../secret/id_rsa` contributes nothing. The caller
// shows the draft in an editor, with a rendered preview, before anything is sent.
// No `vscode` import.
import { ProjectFiles } from '../project/containment';
import type { Spec } from '../spec/types';
import { phaseOf } from './phases';

export const RESEARCH_FOLDER = '.chant/research/';

/** A research document as the body quotes it. */
export interface ResearchDocument {
  /** The spec whose target_files named it. */
  specTitle: string;
  /** That spec's phase (Comprehension, Root Cause, …; see phases.ts), which decides the section it fills. */
  phase?: string;
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

/** What git says of the fix, for the body's Fix section (gathered by the caller). */
export interface FixFacts {
  /** The fix's commits, oldest first. */
  commits: ReadonlyArray<{ sha: string; subject: string }>;
  /** The files they change. */
  files: readonly string[];
}

export interface PrTarget {
  /** `owner/repo` the PR is opened in: `Fixes #N` when the issue is there, `Fixes owner/repo#N` otherwise. */
  repo?: string;
  /** A staging PR (into your fork) refers to the issue without closing it. */
  staging?: boolean;
}

/** The issue's `owner/repo` and number, from its URL. */
export function issueOf(url: string | undefined): { repo: string; number: number } | undefined {
  const m = /^https?:\/\/github\.com\/([\w.-]+\/[\w.-]+)\/issues\/(\d+)/i.exec(url?.trim() ?? '');
  return m ? { repo: m[1], number: Number(m[2]) } : undefined;
}

/** `Fixes #N`, `Fixes owner/repo#N`, `Refs …` for a staging PR, or the URL for an issue elsewhere. */
export function issueReference(issueUrl: string | undefined, target: PrTarget = {}): string | undefined {
  if (!issueUrl) return undefined;
  const verb = target.staging ? 'Refs' : 'Fixes';
  const issue = issueOf(issueUrl);
  if (!issue) return `${verb} ${issueUrl.trim()}`;
  const here = target.repo !== undefined && target.repo.toLowerCase() === issue.repo.toLowerCase();
  return here ? `${verb} #${issue.number}` : `${verb} ${issue.repo}#${issue.number}`;
}

/**
 * The PR title: the fix spec's title without the investigation's bookkeeping (`Fix issue #1234: add
 * locking to concurrent writes` becomes `Add locking to concurrent writes (#1234)`).
 */
export function prTitle(fix: Spec, issueUrl?: string): string {
  const raw = (fix.title ?? fix.id).replace(/\s+/g, ' ').trim();
  const issue = issueOf(issueUrl)?.number ?? Number(/#(\d+)/.exec(raw)?.[1] ?? NaN);
  let title = raw.replace(/^(fix(es)?\s+)?issue\s+#\d+\s*[:\-–]\s*/i, '').replace(/\s*\(?#\d+\)?\s*$/, '').trim() || raw;
  title = title.charAt(0).toUpperCase() + title.slice(1);
  return Number.isFinite(issue) && !title.includes(`#${issue}`) ? `${title} (#${issue})` : title;
}

/** Spec ids and `.chant/` paths are the investigator's: a line naming one does not go out. */
const PRIVATE_LINE = /\.chant\/|\b\d{4}-\d{2}-\d{2}-[0-9a-z]{3}-[0-9a-z]{3}\b/i;

function publicLines(text: string): string {
  return text
    .split('\n')
    .filter((line) => !PRIVATE_LINE.test(line))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A commit subject as upstream reads it: without chant's `chant(<id>): ` prefix. */
export function publicSubject(subject: string): string {
  return subject.replace(/^chant\([^)]*\):\s*/, '').trim();
}

/** Test runners whose command, quoted in the reproduction spec, says how to run its test. */
const TEST_COMMAND = /^(cargo|npm|npx|pnpm|yarn|go|pytest|python3?|make|node|bun|deno|mvn|gradle|\.\/gradlew|dotnet|mix|bundle|rake|rspec|phpunit|ctest|tox)\s/;

/** The reproduction's test files (its target files outside `.chant/`) and the first test command its text quotes. */
function reproductionOf(
  specs: readonly Spec[],
  text: (spec: Spec) => string | undefined,
): { files: string[]; command?: string } | undefined {
  const spec = specs.find((s) => phaseOf(s) === 'Reproduction');
  if (!spec) return undefined;
  const files = spec.targetFiles
    .map((f) => f.trim())
    .filter((f) => f && !f.startsWith('.chant/') && !/^https?:/i.test(f) && /test|spec/i.test(f));
  const command = [...(text(spec) ?? '').matchAll(/`([^`\n]+)`/g)]
    .map((m) => m[1].trim())
    .find((c) => TEST_COMMAND.test(c));
  return { files, command };
}

/** Sections a document fills, by its spec's phase. */
function sectionOf(doc: ResearchDocument): 'summary' | 'rootCause' | 'impact' | 'other' {
  if (doc.phase === 'Comprehension') return 'summary';
  if (doc.phase === 'Root Cause') return 'rootCause';
  if (doc.phase === 'Impact Map') return 'impact';
  return 'other';
}

/** The longest the body quotes of each section, so the whole stays a length a reviewer reads. */
const SECTION_CHARS = { summary: 700, rootCause: 900, impact: 500 } as const;

/**
 * The body from documents already read (pure). `fixFacts` comes from git (the fix's commit subjects
 * and files); `specText` gives a spec file's body (the reproduction's, for its test command).
 */
export function composePrBody(
  specs: readonly Spec[],
  fix: Spec,
  documents: readonly ResearchDocument[],
  options: { target?: PrTarget; fixFacts?: FixFacts; specText?: (spec: Spec) => string | undefined } = {},
): string {
  const lines: string[] = [];
  const reference = issueReference(issueUrlOf(specs), options.target);
  if (reference) lines.push(reference, '');
  const quoted = (section: keyof typeof SECTION_CHARS, docs: readonly ResearchDocument[]): string =>
    docs
      .map((doc) => publicLines(researchSummary(doc.text, SECTION_CHARS[section])))
      .filter(Boolean)
      .join('\n\n');
  const by = (kind: ReturnType<typeof sectionOf>): ResearchDocument[] => documents.filter((d) => sectionOf(d) === kind);
  // Documents of no known phase say what the bug is when no comprehension does.
  const summary = quoted('summary', by('summary')) || quoted('summary', by('other'));
  if (summary) lines.push('## Summary', '', summary, '');
  const rootCause = quoted('rootCause', by('rootCause'));
  if (rootCause) lines.push('## Root cause', '', rootCause, '');
  const impact = quoted('impact', by('impact'));
  if (impact) lines.push('## Impact', '', impact, '');

  lines.push('## Fix', '');
  const commits = (options.fixFacts?.commits ?? fix.commits.map((sha) => ({ sha, subject: '' })))
    .map((c) => ({ sha: c.sha.slice(0, 7), subject: publicSubject(c.subject) }))
    // chant's bookkeeping commit carries the spec file, which is not part of the fix.
    .filter((c) => !/^finalize spec$/i.test(c.subject));
  if (commits.length > 0) for (const c of commits) lines.push(c.subject ? `- ${c.subject} (${c.sha})` : `- ${c.sha}`);
  else lines.push('- (see the commits of this branch)');
  const files = (options.fixFacts?.files ?? []).filter((f) => !f.startsWith('.chant/'));
  if (files.length > 0) lines.push('', `Files changed: ${files.slice(0, 12).map((f) => `\`${f}\``).join(', ')}${files.length > 12 ? ` and ${files.length - 12} more` : ''}.`);
  lines.push('');

  lines.push('## How it was tested', '');
  const reproduction = reproductionOf(specs, options.specText ?? (() => undefined));
  if (reproduction && (reproduction.files.length > 0 || reproduction.command)) {
    if (reproduction.files.length > 0) lines.push(`- ${reproduction.files.map((f) => `\`${f}\``).join(', ')} reproduce${reproduction.files.length === 1 ? 's' : ''} the issue: it fails without the fix and passes with it.`);
    if (reproduction.command) lines.push(`- Run it with \`${reproduction.command}\`.`);
  } else {
    lines.push('- _Say how you tested the fix._');
  }
  lines.push('');
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
        documents.push({
          specTitle: spec.title ?? spec.id,
          phase: phaseOf(spec),
          relative: read.relative,
          text: read.text,
        });
      }
    }
  }
  return { documents, skipped };
}

/** The draft of a PR for `fix` and the investigation's `specs` (just `[fix]` without one): its title line and body. */
export async function draftPrBody(
  specs: readonly Spec[],
  fix: Spec,
  root: string,
  options: { target?: PrTarget; fixFacts?: FixFacts; specText?: (spec: Spec) => string | undefined } = {},
): Promise<PrBodyDraft & { title: string }> {
  const { documents, skipped } = await readResearchDocuments(specs, new ProjectFiles(root));
  return { title: prTitle(fix, issueUrlOf(specs)), body: composePrBody(specs, fix, documents, options), skipped };
}
