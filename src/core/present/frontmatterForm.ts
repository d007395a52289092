// The model behind the frontmatter editor: which fields the form edits, how a frontmatter mapping
// becomes form values and back (only the keys the user changed), and the validation that decides
// whether a draft may be saved. The rules are the editor diagnostics' (specLint): unknown or short
// dependency ids, cycles, missing files and prompts, values chant would reject. Errors block saving;
// warnings (a missing input file) are shown but do not. Plain data, no `vscode`.
import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import { classifyReference } from './specGraph';
import { wouldCreateCycle } from '../project/cycles';
import { isInsideFolder } from '../project/insideFolder';
import { isFullSpecId, resolveSpecId } from '../spec/ids';
import type { SpecMap } from '../spec/types';
import type { FieldValue } from '../spec/specEdit';
import {
  APPROVAL_STATUSES,
  CONTROL_CODECS,
  FIELD_ORDER,
  FORM_CONTROLS,
  FORM_FIELDS,
  LIST_FORM_FIELDS,
  REFERENCE_FIELDS,
  SPEC_FIELDS,
  type ApprovalValue,
  type FormField,
  type FormValues,
  type ListFormField,
  type ReferenceField,
} from '../spec/fields';

// The form's fields, their controls and values come from the field registry (core/spec/fields.ts).
export { APPROVAL_STATUSES, FORM_FIELDS, REFERENCE_FIELDS };
export type { FormField, FormValues, ReferenceField };

/** Reference fields whose files must exist already (target_files and tracks may name files to create). */
const EXISTING_FILE_FIELDS: ReadonlySet<string> = new Set(
  SPEC_FIELDS.filter((field) => 'mustExist' in field && field.mustExist).map((field) => field.key),
);
/** chant's value for a field the file leaves out (`type: code`, `status: pending`). */
const DEFAULTS = new Map<string, string>(
  SPEC_FIELDS.flatMap((field) => ('missing' in field ? [[field.key, field.missing] as const] : [])),
);
/** `select` fields and the values chant accepts in each. */
const SELECT_VALUES = new Map<FormField, readonly string[]>(
  SPEC_FIELDS.flatMap((field) =>
    'form' in field && field.form.control === 'select' && 'values' in field ? [[field.key, field.values] as const] : [],
  ),
);

export interface ReadOnlyField {
  key: string;
  /** The value as YAML-ish text for display. */
  text: string;
  /** True for keys chant does not know (kept as they are, dropped by the next CLI write). */
  unknown: boolean;
}

/** Form values of a parsed frontmatter mapping (defaults as chant applies them). */
export function formValuesOf(frontmatter: Readonly<Record<string, unknown>>): FormValues {
  const values: Record<string, unknown> = {};
  for (const [key, control] of FORM_CONTROLS) values[key] = CONTROL_CODECS[control].read(frontmatter[key], DEFAULTS.get(key) ?? '');
  return values as FormValues;
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
  if (FORM_CONTROLS.get(field) === 'approval') {
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
  for (const [field, control] of FORM_CONTROLS) {
    if (fieldEquals(field, base, draft)) continue;
    const codec = CONTROL_CODECS[control] as { write(value: unknown, previous: unknown): FieldValue | undefined };
    changes[field] = codec.write(draft[field], frontmatter[field]);
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
  /** The issue is the dependency cycle (the form shows the cycle itself once, not per entry). */
  cycle?: true;
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
  const error = (field: FormField, message: string, item?: number, cycle?: true): void => {
    issues.push({ field, ...(item === undefined ? {} : { item }), severity: 'error', message, ...(cycle ? { cycle } : {}) });
  };
  const warn = (field: FormField, message: string, item?: number): void => {
    issues.push(item === undefined ? { field, severity: 'warning', message } : { field, item, severity: 'warning', message });
  };

  for (const [field, known] of SELECT_VALUES) {
    const value = values[field as 'type' | 'status'];
    if (known.includes(value)) continue;
    error(
      field,
      field === 'type'
        ? l10n.t("'{0}' is not a type chant knows ({1}); chant would not load the spec", value, known.join(', '))
        : l10n.t("'{0}' is not a status chant knows; chant would not load the spec", value),
    );
  }

  // Every written value: `---` ends chant's frontmatter wherever it appears (CHANT-FORMAT §2.1.2).
  const checkText = (field: FormField, text: string, item?: number): boolean => {
    if (text.includes('---')) {
      error(field, l10n.t("Contains '---', which ends chant's frontmatter early"), item);
      return false;
    }
    if (/[\r\n]/.test(text)) {
      error(field, l10n.t('Must be on one line'), item);
      return false;
    }
    return true;
  };
  const checkList = (field: ListFormField): void => {
    const seen = new Set<string>();
    values[field].forEach((entry, i) => {
      const text = entry.trim();
      if (text === '') return error(field, l10n.t('Empty entry'), i);
      if (!checkText(field, text, i)) return;
      if (seen.has(text)) warn(field, l10n.t("'{0}' is listed twice", text), i);
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
    if (target) return error('depends_on', l10n.t("'{0}': chant cannot load that spec (fix the problems in its file)", id), i);
    if (env.isArchived?.(id)) return error('depends_on', l10n.t("'{0}' is archived, and chant counts archived specs as missing", id), i);
    const resolution = resolveSpecId(id, activeIds, env.now);
    if (resolution.kind === 'found') return error('depends_on', l10n.t("'{0}': needs the full id '{1}'", id, resolution.id), i);
    if (resolution.kind === 'ambiguous') {
      return error('depends_on', l10n.t("'{0}': needs a full id; it could mean {1}", id, resolution.matches.slice(0, 5).join(', ')), i);
    }
    error('depends_on', isFullSpecId(id) ? l10n.t("Unknown spec '{0}'", id) : l10n.t("'{0}' is not a full spec id", id), i);
  });
  const cycle = wouldCreateCycle(
    env.specId,
    values.depends_on.map((id) => id.trim()),
    env.specs,
  );
  if (cycle) {
    const at = values.depends_on.findIndex((id) => id.trim() === cycle[1]);
    error('depends_on', l10n.t('Circular dependency: {0} (none of these specs could ever start)', cycle.join(' → ')), at >= 0 ? at : undefined, true);
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
        if (!info.exists && EXISTING_FILE_FIELDS.has(field)) warn(field, l10n.t("No spec '{0}'", id), i);
        return;
      }
      if (kind !== 'file') return;
      if (!isInsideFolder(env.root, path.resolve(env.root, text))) warn(field, l10n.t('Outside the project: chant resolves paths from the project root'), i);
      checks.push(
        env.exists(path.resolve(env.root, text)).then((found) => {
          info.exists = found;
          if (!found && EXISTING_FILE_FIELDS.has(field)) warn(field, l10n.t('File not found: {0} (paths are relative to the project root)', text), i);
        }),
      );
    });
  }

  const prompt = values.prompt.trim();
  if (prompt !== '' && checkText('prompt', prompt)) {
    if (!PROMPT_NAME.test(prompt)) {
      error('prompt', l10n.t('A prompt is the name of a file in .chant/prompts/, without .md'));
    } else {
      checks.push(
        env.promptExists(prompt).then((found) => {
          if (!found) error('prompt', l10n.t('Prompt not found: .chant/prompts/{0}.md does not exist (chant work would fail)', prompt));
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
