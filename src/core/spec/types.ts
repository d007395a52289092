// The shared vocabulary of the core. Everything here is plain data so that the index, the views,
// the webviews and the tests agree on one model of a chant project. No `vscode` import below src/core.

import type { ModelFields, SPEC_TYPES } from './fields';

// The field lists live in the one registry of frontmatter fields (fields.ts); re-exported for their users.
export { FIELD_ORDER, LIST_FIELDS, SPEC_STATUSES, SPEC_TYPES } from './fields';

export type SpecType = (typeof SPEC_TYPES)[number];

/** A problem found in a file. Lines and columns are 0-based and relative to the whole file. */
export interface SpecProblem {
  severity: 'error' | 'warning' | 'info';
  /** Stable code so the editor can offer quick fixes (e.g. `yaml`, `unknown-status`, `scalar-list`). */
  code: string;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface Approval {
  required?: boolean;
  status?: string;
  by?: string;
  at?: string;
}

export interface AcceptanceCriterion {
  /** 0-based line of the file (not the body) that holds the checkbox. */
  line: number;
  /** Column of the `- [` that starts the box. */
  column: number;
  checked: boolean;
  text: string;
}

/**
 * The counts the index keeps of a spec's acceptance criteria. The boxes themselves (line, column,
 * text) are listed from a file's text when wanted (`listCriteria`, criteria.ts): the linter, the
 * one reader, always has that text.
 */
export interface AcceptanceSummary {
  /** Whether an `## Acceptance Criteria` heading was found outside fences. */
  hasSection: boolean;
  checked: number;
  unchecked: number;
  total: number;
}

/**
 * One spec file as read from disk. Values are exactly what the file says (`status` may be `blocked`
 * or an unknown word); computed state (readiness, effective status) lives in the index.
 */
export interface Spec extends ModelFields {
  id: string;
  /** Absolute path of the file. */
  path: string;
  archived: boolean;
  /** `YYYY-MM-DD` folder below `archive/`, when archived that way. */
  archiveFolder?: string;
  hasFrontmatter: boolean;
  /** The parsed frontmatter mapping (empty when missing or broken). Unknown keys are kept. */
  frontmatter: Record<string, unknown>;
  /** `status` as written, `pending` when missing. May be a value chant does not know. */
  status: string;
  /** `type` as written, `code` when missing. */
  type: string;
  statusKnown: boolean;
  typeKnown: boolean;
  // dependsOn, labels, targetFiles, …, prompt, branch, completedAt, model: from the registry (ModelFields).
  approval?: Approval;
  title?: string;
  /** 0-based file line of the title heading. */
  titleLine?: number;
  acceptance: AcceptanceSummary;
  /** 0-based line where the body starts. */
  bodyLine: number;
  problems: readonly SpecProblem[];
  /** True when chant itself would fail to load this file (it hides such specs). */
  chantWouldReject: boolean;
}

export interface ChantConfig {
  projectName: string;
  projectPrefix?: string;
  defaultPrompt: string;
  branchPrefix: string;
  mainBranch: string;
  defaultModel?: string;
  provider: string;
  promptExtensions: string[];
  /** Top-level `silent: true` written by `chant silent`. */
  silentFlag: boolean;
  /** The raw frontmatter, for anything else a caller wants. */
  raw: Record<string, unknown>;
  problems: SpecProblem[];
}

/** The active specs of a project by id: what readiness, the graph and lint look other specs up in. */
export type SpecMap = ReadonlyMap<string, Spec>;
