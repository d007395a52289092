// The model behind the frontmatter editor: which fields the form edits, how a frontmatter mapping
// becomes form values and back (only the keys the user changed), and the validation that decides
// whether a draft may be saved. The rules are the editor diagnostics' (specLint): unknown or short
// dependency ids, cycles, missing files and prompts, values chant would reject. Errors block saving;
// warnings (a missing input file) are shown but do not. Plain data, no `vscode`.
import * as path from 'node:path';
import { classifyReference } from './specGraph';
import { wouldCreateCycle } from '../project/cycles';
import { isInsideFolder } from '../project/insideFolder';
import { isFullSpecId, resolveSpecId } from '../spec/ids';
import type { SpecMap } from '../spec/types';
import type { FieldValue } from '../spec/specEdit';
import { FIELD_ORDER, SPEC_STATUSES, SPEC_TYPES } from '../spec/types';

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected'] as const;

/** List fields whose entries name files, globs, specs or URLs. */
export const REFERENCE_FIELDS = ['informed_by', 'context', 'origin', 'tracks', 'target_files'] as const;
export type ReferenceField = (typeof REFERENCE_FIELDS)[number];
/** Of those, the ones whose files must exist already (target_files and tracks may name files to create). */
const EXISTING_FILE_FIELDS: ReadonlySet<string> = new Set(['informed_by', 'context', 'origin']);

export const LIST_FORM_FIELDS = ['depends_on', 'labels', ...REFERENCE_FIELDS] as const;
export type ListFormField = (typeof LIST_FORM_FIELDS)[number];

/** Fields chant's CLI writes; the form shows them but never changes them. */
export const CLI_MANAGED_FIELDS = [
  'branch',
  'commits',
  'completed_at',
  'model',
  'last_verified',
  'verification_status',
  'verification_failures',
  'replayed_at',
  'replay_count',
  'original_completed_at',
  'derived_fields',
  'members',
  'retry_state',
  'schedule',
  'source_branch',
  'target_branch',
  'conflicting_files',
  'blocked_specs',
  'original_spec',
  'output_schema',
  'public',
] as const;

export interface ApprovalValue {
  required: boolean;
  status: string;
}

/** What the form edits. Empty lists and an empty prompt mean "no such key". */
export interface FormValues {
  type: string;
  status: string;
  depends_on: string[];
  labels: string[];
  target_files: string[];
  context: string[];
  informed_by: string[];
  origin: string[];
  tracks: string[];
  prompt: string;
  /** null: no `approval` key. */
  approval: ApprovalValue | null;
}

export type FormField = keyof FormValues;
export const FORM_FIELDS: readonly FormField[] = [
  'type',
  'status',
  'depends_on',
  'labels',
  'target_files',
  'context',
  'prompt',
  'tracks',
  'informed_by',
  'origin',
  'approval',
];

export interface ReadOnlyField {
  key: string;
  /** The value as YAML-ish text for display. */
  text: string;
  /** True for keys chant does not know (kept as they are, dropped by the next CLI write). */
  unknown: boolean;
}

function stringList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map((item) => (item === null || item === undefined ? '' : String(item)));
  return [String(value)];
}

function scalar(value: unknown, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Form values of a parsed frontmatter mapping (defaults as chant applies them). */
export function formValuesOf(frontmatter: Readonly<Record<string, unknown>>): FormValues {
  const approvalRaw = frontmatter.approval;
  let approval: ApprovalValue | null = null;
  if (approvalRaw && typeof approvalRaw === 'object' && !Array.isArray(approvalRaw)) {
    const a = approvalRaw as Record<string, unknown>;
    approval = { required: a.required === true, status: scalar(a.status, 'pending') };
  }
  return {
    type: scalar(frontmatter.type, 'code'),
    status: scalar(frontmatter.status, 'pending'),
    depends_on: stringList(frontmatter.depends_on),
    labels: stringList(frontmatter.labels),
    target_files: stringList(frontmatter.target_files),
    context: stringList(frontmatter.context),
    informed_by: stringList(frontmatter.informed_by),
    origin: stringList(frontmatter.origin),
    tracks: stringList(frontmatter.tracks),
    prompt: scalar(frontmatter.prompt, ''),
    approval,
  };
}

/** The keys the form does not edit, in chant's order, then unknown keys in file order. */
export function readOnlyFieldsOf(frontmatter: Readonly<Record<string, unknown>>): ReadOnlyField[] {
  const editable = new Set<string>(FORM_FIELDS);
  const known = new Set<string>(FIELD_ORDER);
  const out: ReadOnlyField[] = [];
  for (const key of FIELD_ORDER) {
    if (editable.has(key) || !(key in frontmatter)) continue;
    out.push({ key, text: displayText(frontmatter[key]), unknown: false });
  }
  for (const key of Object.keys(frontmatter)) {
    if (!known.has(key)) out.push({ key, text: displayText(frontmatter[key]), unknown: true });
  }
  return out;
}

function displayText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => displayText(item)).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

export function fieldEquals(field: FormField, a: FormValues, b: FormValues): boolean {
  const x = a[field];
  const y = b[field];
  if (Array.isArray(x) && Array.isArray(y)) return sameList(x, y);
  if (field === 'approval') {
    const p = x as ApprovalValue | null;
    const q = y as ApprovalValue | null;
    return p === q || (p !== null && q !== null && p.required === q.required && p.status === q.status);
  }
  return x === y;
}

export function isDirty(draft: FormValues, base: FormValues): boolean {
  return FORM_FIELDS.some((field) => !fieldEquals(field, draft, base));
}

/**
 * The `setFields` changes that turn `base` into `draft`: only fields that differ, `undefined` to
 * remove a key (an emptied list, a cleared prompt, approval switched off). `frontmatter` is the
 * mapping `base` came from, so that `approval`'s other keys (`by`, `at`) are kept.
 */
export function changesBetween(
  base: FormValues,
  draft: FormValues,
  frontmatter: Readonly<Record<string, unknown>> = {},
): Record<string, FieldValue | undefined> {
  const changes: Record<string, FieldValue | undefined> = {};
  for (const field of FORM_FIELDS) {
    if (fieldEquals(field, base, draft)) continue;
    const value = draft[field];
    if (Array.isArray(value)) {
      const items = value.map((item) => item.trim());
      changes[field] = items.length === 0 ? undefined : items;
    } else if (field === 'prompt') {
      const prompt = (value as string).trim();
      changes[field] = prompt === '' ? undefined : prompt;
    } else if (field === 'approval') {
      const approval = value as ApprovalValue | null;
      if (approval === null) {
        changes.approval = undefined;
      } else {
        const previous = frontmatter.approval;
        const rest = previous && typeof previous === 'object' && !Array.isArray(previous) ? { ...(previous as Record<string, unknown>) } : {};
        changes.approval = { ...rest, required: approval.required, status: approval.status };
      }
    } else {
      changes[field] = value as string;
    }
  }
  return changes;
}

/**
 * Three-way merge for "apply my edits on top": fields the user changed (draft ≠ base) keep the
 * draft, every other field takes the new text's value.
 */
export function rebaseDraft(base: FormValues, draft: FormValues, theirs: FormValues): FormValues {
  const out = { ...theirs } as Record<FormField, unknown>;
  for (const field of FORM_FIELDS) {
    if (!fieldEquals(field, base, draft)) out[field] = draft[field];
  }
  return out as unknown as FormValues;
}

// -------------------------------------------------------------------------------------------------
// Validation

export interface FieldIssue {
  field: FormField;
  /** Index of the list item, when the issue is about one entry. */
  item?: number;
  severity: 'error' | 'warning';
  message: string;
}

export type ReferenceKind = 'file' | 'glob' | 'url' | 'spec' | 'derived';

export interface ReferenceInfo {
  kind: ReferenceKind;
  /** Files and specs: whether it exists. */
  exists?: boolean;
}

export interface FormValidation {
  issues: FieldIssue[];
  /** Per reference field, one entry per list item. */
  references: Partial<Record<ReferenceField, ReferenceInfo[]>>;
  /** The cycle a `depends_on` draft would close, as `[self, …, self]`. */
  cycle?: string[];
  /** No errors: the draft may be saved. */
  valid: boolean;
}

export interface FormEnvironment {
  /** The spec the form edits. */
  specId: string;
  /** The project's active specs. */
  specs: SpecMap;
  isArchived?: (id: string) => boolean;
  /** Absolute project root. */
  root: string;
  /** Whether `.chant/prompts/<name>.md` exists. */
  promptExists: (name: string) => Promise<boolean>;
  /** Whether an absolute path exists. */
  exists: (absolutePath: string) => Promise<boolean>;
  now?: Date;
}

const URL = /^[a-z][a-z0-9+.-]*:\/\//i;
const GLOB = /[*?[]/;
const DERIVED = /^derived_[^=\s]+=/;
const PROMPT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** What a reference entry is, before asking the file system. */
export function referenceKindOf(field: ReferenceField, entry: string): ReferenceKind {
  const text = entry.trim();
  if (URL.test(text)) return 'url';
  if (field === 'context' && DERIVED.test(text)) return 'derived';
  if (GLOB.test(text)) return 'glob';
  if (classifyReference(text).kind === 'spec') return 'spec';
  return 'file';
}

export async function validateForm(values: FormValues, env: FormEnvironment): Promise<FormValidation> {
  const issues: FieldIssue[] = [];
  const error = (field: FormField, message: string, item?: number): void => {
    issues.push(item === undefined ? { field, severity: 'error', message } : { field, item, severity: 'error', message });
  };
  const warn = (field: FormField, message: string, item?: number): void => {
    issues.push(item === undefined ? { field, severity: 'warning', message } : { field, item, severity: 'warning', message });
  };

  if (!(SPEC_TYPES as readonly string[]).includes(values.type)) {
    error('type', `'${values.type}' is not a type chant knows (${SPEC_TYPES.join(', ')}); chant would not load the spec`);
  }
  if (!(SPEC_STATUSES as readonly string[]).includes(values.status)) {
    error('status', `'${values.status}' is not a status chant knows; chant would not load the spec`);
  }

  // Every written value: `---` ends chant's frontmatter wherever it appears (CHANT-FORMAT §2.1.2).
  const checkText = (field: FormField, text: string, item?: number): boolean => {
    if (text.includes('---')) {
      error(field, "Contains '---', which ends chant's frontmatter early", item);
      return false;
    }
    if (/[\r\n]/.test(text)) {
      error(field, 'Must be on one line', item);
      return false;
    }
    return true;
  };
  const checkList = (field: ListFormField): void => {
    const seen = new Set<string>();
    values[field].forEach((entry, i) => {
      const text = entry.trim();
      if (text === '') return error(field, 'Empty entry', i);
      if (!checkText(field, text, i)) return;
      if (seen.has(text)) warn(field, `'${text}' is listed twice`, i);
      seen.add(text);
    });
  };
  for (const field of LIST_FORM_FIELDS) checkList(field);

  // depends_on: full ids of active specs, no cycle.
  const activeIds = [...env.specs.keys()].filter((id) => id !== env.specId);
  values.depends_on.forEach((entry, i) => {
    const id = entry.trim();
    if (id === '' || id.includes(':')) return; // `repo:id` points into another repository
    if (id === env.specId) return; // reported as a cycle below
    const target = env.specs.get(id);
    if (target && !target.chantWouldReject) return;
    if (target) return error('depends_on', `'${id}': chant cannot load that spec (fix the problems in its file)`, i);
    if (env.isArchived?.(id)) return error('depends_on', `'${id}' is archived, and chant counts archived specs as missing`, i);
    const resolution = resolveSpecId(id, activeIds, env.now);
    if (resolution.kind === 'found') return error('depends_on', `'${id}': needs the full id '${resolution.id}'`, i);
    if (resolution.kind === 'ambiguous') {
      return error('depends_on', `'${id}': needs a full id; it could mean ${resolution.matches.slice(0, 5).join(', ')}`, i);
    }
    error('depends_on', isFullSpecId(id) ? `Unknown spec '${id}'` : `'${id}' is not a full spec id`, i);
  });
  const cycle = wouldCreateCycle(
    env.specId,
    values.depends_on.map((id) => id.trim()),
    env.specs,
  );
  if (cycle) {
    const at = values.depends_on.findIndex((id) => id.trim() === cycle[1]);
    error('depends_on', `Circular dependency: ${cycle.join(' → ')} (none of these specs could ever start)`, at >= 0 ? at : undefined);
  }

  // References: classify, check files exist where they must.
  const references: Partial<Record<ReferenceField, ReferenceInfo[]>> = {};
  const checks: Promise<void>[] = [];
  for (const field of REFERENCE_FIELDS) {
    const infos: ReferenceInfo[] = [];
    references[field] = infos;
    values[field].forEach((entry, i) => {
      const text = entry.trim();
      const kind = referenceKindOf(field, text);
      const info: ReferenceInfo = { kind };
      infos.push(info);
      if (text === '' || text.includes('---') || /[\r\n]/.test(text)) return;
      if (kind === 'spec') {
        const ref = classifyReference(text);
        const id = ref.kind === 'spec' ? ref.id : '';
        info.exists = env.specs.has(id) || (env.isArchived?.(id) ?? false);
        if (!info.exists && EXISTING_FILE_FIELDS.has(field)) warn(field, `No spec '${id}'`, i);
        return;
      }
      if (kind !== 'file') return;
      if (!isInsideFolder(env.root, path.resolve(env.root, text))) warn(field, 'Outside the project: chant resolves paths from the project root', i);
      checks.push(
        env.exists(path.resolve(env.root, text)).then((found) => {
          info.exists = found;
          if (!found && EXISTING_FILE_FIELDS.has(field)) warn(field, `File not found: ${text} (paths are relative to the project root)`, i);
        }),
      );
    });
  }

  const prompt = values.prompt.trim();
  if (prompt !== '' && checkText('prompt', prompt)) {
    if (!PROMPT_NAME.test(prompt)) {
      error('prompt', 'A prompt is the name of a file in .chant/prompts/, without .md');
    } else {
      checks.push(
        env.promptExists(prompt).then((found) => {
          if (!found) error('prompt', `Prompt not found: .chant/prompts/${prompt}.md does not exist (chant work would fail)`);
        }),
      );
    }
  }

  if (values.approval && !(APPROVAL_STATUSES as readonly string[]).includes(values.approval.status)) {
    error('approval', `Approval status must be one of ${APPROVAL_STATUSES.join(', ')}`);
  }

  await Promise.all(checks);
  issues.sort((a, b) => FORM_FIELDS.indexOf(a.field) - FORM_FIELDS.indexOf(b.field) || (a.item ?? -1) - (b.item ?? -1));
  const result: FormValidation = { issues, references, valid: !issues.some((issue) => issue.severity === 'error') };
  if (cycle) result.cycle = cycle;
  return result;
}

/** Labels in use across the project, most used first, for completion. */
export function labelsInUse(specs: Iterable<{ labels: readonly string[] }>): string[] {
  const counts = new Map<string, number>();
  for (const spec of specs) for (const label of spec.labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([label]) => label);
}
