// The text of a new spec, in the shape chant writes (`type`, `status: pending`, `depends_on`,
// `labels` as block lists, in chant's key order), plus the title and an Acceptance Criteria section.
// The criteria are real starting points for the type, starting with an imperative verb (chant's
// confidence grade counts them), so a new spec passes `chant lint` and is not 🔴: an empty box
// grades 🔴 Refine in `chant lint`, and `chant work` asks before working such a spec and refuses it
// without a terminal (CHANT-FORMAT §2.6, §8.3, §9 work). A research
// spec gets the `informed_by` and `target_files` chant's type rule asks for, a documentation spec
// `tracks` and `target_files`.
// Titles, labels and ids are untrusted text, so every value goes through the lossless editor, which
// quotes what YAML needs and refuses what would break chant's frontmatter splitter.
import { setFields, SpecEditError, type FieldValue } from '../spec/specEdit';
import { SPEC_TYPES, type SpecType } from '../spec/types';

export interface NewSpecInput {
  title: string;
  type: SpecType;
  labels: readonly string[];
  dependsOn: readonly string[];
  /** Research: what it reads (files or URLs). */
  informedBy?: readonly string[];
  /** Documentation: the code it describes. */
  tracks?: readonly string[];
  /** Research and documentation: the document it writes (see `defaultTargetFile`). */
  targetFiles?: readonly string[];
}

/** Which of the extra lists a type needs for chant's `type` lint rule to pass. */
export function listsNeeded(type: SpecType): Array<'informedBy' | 'tracks' | 'targetFiles'> {
  if (type === 'research') return ['informedBy', 'targetFiles'];
  if (type === 'documentation') return ['tracks', 'targetFiles'];
  return [];
}

/** `Root cause: issue #12!` → `root-cause-issue-12`: a file name from a title (never empty). */
export function slugOf(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'spec';
}

/** The document a research or documentation spec writes, unless the user names another. */
export function defaultTargetFile(type: SpecType, title: string): string | undefined {
  if (type === 'research') return `.chant/research/${slugOf(title)}.md`;
  if (type === 'documentation') return `docs/${slugOf(title)}.md`;
  return undefined;
}

/** Starting criteria per type; each starts with a verb chant's grading counts as imperative. */
function startingCriteria(type: SpecType, target: string | undefined): string[] {
  const doc = target ? `\`${target}\`` : 'the document';
  switch (type) {
    case 'research':
      return [`Write the findings to ${doc}`, 'Document the evidence for each conclusion with `path:line` references', 'Add the open questions and what would settle them'];
    case 'documentation':
      return [`Write ${doc} so that it matches the tracked code`, 'Verify every example in the text against the code'];
    case 'task':
      return ['Execute the steps this spec names', 'Verify the result and record it in the final message'];
    case 'driver':
    case 'group':
      return ['Verify that every member spec is completed'];
    default:
      return ['Implement the change this spec names', 'Add tests that cover the change', 'Run the full test suite and the linters without failures'];
  }
}

export class NewSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NewSpecError';
  }
}

/** Why a title cannot be used, or undefined when it can. */
export function titleProblem(title: string): string | undefined {
  if (/[\r\n\u2028\u2029]/.test(title)) return 'The title must be a single line.';
  if (title.trim() === '') return 'The title cannot be empty.';
  return undefined;
}

/** Why a label cannot be written, or undefined when it can. */
export function labelProblem(label: string): string | undefined {
  if (/[\r\n]/.test(label)) return `The label ${JSON.stringify(label)} contains a line break.`;
  if (label.includes('---')) return `The label ${JSON.stringify(label)} contains '---', which would end chant's frontmatter.`;
  return undefined;
}

/** `fix, issue-1234 ,,fix` → `['fix', 'issue-1234']`: trimmed, empty parts dropped, first spelling kept. */
export function parseLabelList(input: string): string[] {
  const seen = new Set<string>();
  const labels: string[] = [];
  for (const part of input.split(',')) {
    const label = part.trim();
    if (label === '' || seen.has(label.toLowerCase())) continue;
    seen.add(label.toLowerCase());
    labels.push(label);
  }
  return labels;
}

export function isSpecType(value: string): value is SpecType {
  return (SPEC_TYPES as readonly string[]).includes(value);
}

/** The file text; throws NewSpecError for input chant could not load. */
export function newSpecText(input: NewSpecInput, eol: '\n' | '\r\n' = '\n'): string {
  const problem = titleProblem(input.title);
  if (problem) throw new NewSpecError(problem);
  if (!isSpecType(input.type)) throw new NewSpecError(`Unknown spec type '${String(input.type)}'.`);
  for (const label of input.labels) {
    const labelIssue = labelProblem(label);
    if (labelIssue) throw new NewSpecError(labelIssue);
  }
  const list = (items: readonly string[] | undefined): string[] | undefined => {
    const kept = (items ?? []).map((item) => item.trim()).filter(Boolean);
    return kept.length > 0 ? kept : undefined;
  };
  const targetFiles = list(input.targetFiles);
  const criteria = startingCriteria(input.type, targetFiles?.[0]);
  const body = ['', `# ${input.title.trim()}`, '', '## Acceptance Criteria', '', ...criteria.map((c) => `- [ ] ${c}`), ''].join(eol);
  const fields: Record<string, FieldValue | undefined> = {
    type: input.type,
    status: 'pending',
    depends_on: input.dependsOn.length > 0 ? [...input.dependsOn] : undefined,
    labels: input.labels.length > 0 ? [...input.labels] : undefined,
    target_files: targetFiles,
    tracks: list(input.tracks),
    informed_by: list(input.informedBy),
  };
  try {
    return setFields(body, fields);
  } catch (error) {
    if (error instanceof SpecEditError) throw new NewSpecError(error.message);
    throw error;
  }
}

/**
 * The first criterion's text in a text made by `newSpecText` (0-based line, from just after `- [ ] `
 * to the end of the line), to select so that typing replaces the starting criterion.
 */
export function firstCriterionPosition(
  text: string,
): { line: number; character: number; endCharacter: number } | undefined {
  const lines = text.split(/\r?\n/);
  const line = lines.findIndex((l) => l.startsWith('- [ ] '));
  return line < 0 ? undefined : { line, character: '- [ ] '.length, endCharacter: lines[line].length };
}
