// The text of a new spec, in the shape chant writes (`type`, `status: pending`, `depends_on`,
// `labels` as block lists, in chant's key order), plus the title and an Acceptance Criteria section
// with one open box: chant's quality gate refuses a spec with none (CHANT-FORMAT §2.6, §9 work).
// Titles, labels and ids are untrusted text, so every value goes through the lossless editor, which
// quotes what YAML needs and refuses what would break chant's frontmatter splitter.
import { setFields, SpecEditError, type FieldValue } from '../spec/specEdit';
import { SPEC_TYPES, type SpecType } from '../spec/types';

export interface NewSpecInput {
  title: string;
  type: SpecType;
  labels: readonly string[];
  dependsOn: readonly string[];
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
  const body = ['', `# ${input.title.trim()}`, '', '## Acceptance Criteria', '', '- [ ] ', ''].join(eol);
  const fields: Record<string, FieldValue | undefined> = {
    type: input.type,
    status: 'pending',
    depends_on: input.dependsOn.length > 0 ? [...input.dependsOn] : undefined,
    labels: input.labels.length > 0 ? [...input.labels] : undefined,
  };
  try {
    return setFields(body, fields);
  } catch (error) {
    if (error instanceof SpecEditError) throw new NewSpecError(error.message);
    throw error;
  }
}

/** 0-based line and column just after the first `- [ ] ` of a text made by `newSpecText`. */
export function firstCriterionPosition(text: string): { line: number; character: number } | undefined {
  const lines = text.split(/\r?\n/);
  const line = lines.findIndex((l) => l.startsWith('- [ ] '));
  return line < 0 ? undefined : { line, character: lines[line].length };
}
