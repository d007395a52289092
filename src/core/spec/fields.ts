// The one registry of frontmatter fields (CHANT-FORMAT §2.2, §2.5): each key in chant's save order, its
// shape, who writes it, the Spec property the parser fills from it, what its list items are, and the form
// control that edits it. Every other list of fields derives from this one: types.ts (FIELD_ORDER,
// LIST_FIELDS), the parser, the saved index and its format number, the frontmatter form (values,
// validation, changes), the webview protocol and app, and the editor's path and id fields; the Spec
// interface takes its list and string properties from here (ModelFields). test/unit/specFields.unit.test.ts
// checks that they agree. The webview bundle imports it too, so it imports nothing but a type.

import type { FieldValue } from './editError';

/** Status values chant accepts (CHANT-FORMAT §2.3). Anything else makes chant drop the spec. */
export const SPEC_STATUSES = [
  'pending',
  'in_progress',
  'paused',
  'completed',
  'failed',
  'needs_attention',
  'ready',
  'blocked',
  'cancelled',
] as const;

/** Type values chant v0.23 accepts (CHANT-FORMAT §2.2). Older files carry `conflict`, `docs`, … */
export const SPEC_TYPES = ['code', 'task', 'driver', 'documentation', 'research', 'group'] as const;

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected'] as const;

/**
 * - `list`: a YAML sequence (chant rejects a scalar there; `depends_on` alone also takes a bare string);
 * - `string`: chant deserializes a string (any other YAML type there makes chant reject the file);
 * - `enum`, `map`, `number`, `bool`, `other`: kept as written; the parser checks `type`, `status` and
 *   `approval` itself.
 */
export type FieldShape = 'list' | 'string' | 'enum' | 'map' | 'number' | 'bool' | 'other';

/** The form control that edits a field; the webview app renders one per kind. */
export type FormControl = 'select' | 'chips' | 'specs' | 'references' | 'prompt' | 'approval';

export interface ApprovalValue {
  required: boolean;
  status: string;
}

/** What each control holds in the form's values. */
export interface ControlValues {
  select: string;
  chips: string[];
  specs: string[];
  references: string[];
  prompt: string;
  /** null: no `approval` key. */
  approval: ApprovalValue | null;
}

/**
 * How each control reads its value from a parsed frontmatter value (`missing`: chant's value when the key
 * is absent) and turns an edited value back into what is written (undefined removes the key; `previous` is
 * the frontmatter's value, so a mapping keeps the keys the form does not edit).
 */
export const CONTROL_CODECS: {
  [C in FormControl]: {
    read(raw: unknown, missing: string): ControlValues[C];
    write(value: ControlValues[C], previous: unknown): FieldValue | undefined;
  };
} = {
  select: { read: (raw, missing) => scalarText(raw, missing), write: (value) => value },
  prompt: { read: (raw) => scalarText(raw, ''), write: (value) => value.trim() || undefined },
  chips: { read: textList, write: writeList },
  specs: { read: textList, write: writeList },
  references: { read: textList, write: writeList },
  approval: {
    read: (raw) =>
      isMapping(raw) ? { required: raw.required === true, status: scalarText(raw.status, 'pending') } : null,
    write: (value, previous) =>
      value === null
        ? undefined
        : { ...(isMapping(previous) ? previous : {}), required: value.required, status: value.status },
  },
};

function scalarText(value: unknown, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function textList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map((item) => (item === null || item === undefined ? '' : String(item)));
  return [String(value)];
}

function writeList(value: string[]): string[] | undefined {
  const items = value.map((item) => item.trim());
  return items.length === 0 ? undefined : items;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface FieldDef {
  readonly key: string;
  readonly shape: FieldShape;
  /** Who writes it (CHANT-FORMAT §2.5): people edit `human` fields, the CLI writes `cli` ones. */
  readonly writer: 'human' | 'cli';
  /** The Spec property the parser fills from it (and the saved index restores); `Spec` gets it from here. */
  readonly model?: string;
  /** `list` only: the bare scalar chant also accepts. */
  readonly scalarAllowed?: boolean;
  /** What a list's items are: paths (files, globs, URLs, spec ids) relative to the root, or spec ids. */
  readonly items?: 'path' | 'id';
  /** Path fields: their files must already exist (the others may name files a run creates). */
  readonly mustExist?: boolean;
  /** Path fields: what the extension does not do with an entry outside the project (the editor's warning). */
  readonly outside?: string;
  /** chant's value when the file leaves the field out. */
  readonly missing?: string;
  /** The values chant accepts (`enum` fields). */
  readonly values?: readonly string[];
  /** Edited in the frontmatter form: with which control, where (`order`), and how it is labelled. */
  readonly form?: {
    readonly control: FormControl;
    readonly order: number;
    readonly label: string;
    readonly hint?: string;
  };
}

/** Every frontmatter field chant knows, in chant's save order. */
export const SPEC_FIELDS = [
  {
    key: 'type',
    shape: 'enum',
    writer: 'human',
    missing: 'code',
    values: SPEC_TYPES,
    form: { control: 'select', order: 1, label: 'Type' },
  },
  {
    key: 'status',
    shape: 'enum',
    writer: 'cli',
    missing: 'pending',
    values: SPEC_STATUSES,
    form: { control: 'select', order: 2, label: 'Status' },
  },
  {
    key: 'depends_on',
    shape: 'list',
    writer: 'human',
    model: 'dependsOn',
    scalarAllowed: true,
    items: 'id',
    form: { control: 'specs', order: 4, label: 'Depends on' },
  },
  {
    key: 'labels',
    shape: 'list',
    writer: 'human',
    model: 'labels',
    form: { control: 'chips', order: 3, label: 'Labels' },
  },
  {
    key: 'target_files',
    shape: 'list',
    writer: 'human',
    model: 'targetFiles',
    items: 'path',
    outside: 'never read, copied back or posted',
    form: { control: 'references', order: 9, label: 'Target files', hint: 'Files the spec produces' },
  },
  {
    key: 'context',
    shape: 'list',
    writer: 'human',
    model: 'context',
    items: 'path',
    mustExist: true,
    outside: 'never read or sent to the agent',
    form: {
      control: 'references',
      order: 6,
      label: 'Context',
      hint: 'Files inlined where a prompt uses {{spec.context}}',
    },
  },
  {
    key: 'prompt',
    shape: 'string',
    writer: 'human',
    model: 'prompt',
    form: { control: 'prompt', order: 10, label: 'Prompt', hint: 'A template from .chant/prompts/' },
  },
  { key: 'branch', shape: 'string', writer: 'cli', model: 'branch' },
  { key: 'commits', shape: 'list', writer: 'cli', model: 'commits' },
  { key: 'completed_at', shape: 'string', writer: 'cli', model: 'completedAt' },
  { key: 'model', shape: 'string', writer: 'cli', model: 'model' },
  {
    key: 'tracks',
    shape: 'list',
    writer: 'human',
    model: 'tracks',
    items: 'path',
    outside: 'drift never looks at it',
    form: { control: 'references', order: 8, label: 'Tracks', hint: 'Files a documentation spec keeps in step with' },
  },
  {
    key: 'informed_by',
    shape: 'list',
    writer: 'human',
    model: 'informedBy',
    items: 'path',
    mustExist: true,
    outside: 'never read or sent to the agent',
    form: {
      control: 'references',
      order: 5,
      label: 'Informed by',
      hint: 'Files, globs, specs or URLs this spec reads',
    },
  },
  {
    key: 'origin',
    shape: 'list',
    writer: 'human',
    model: 'origin',
    items: 'path',
    mustExist: true,
    outside: 'drift never looks at it',
    form: { control: 'references', order: 7, label: 'Origin', hint: 'Inputs whose change means the spec drifted' },
  },
  { key: 'schedule', shape: 'string', writer: 'human' },
  { key: 'source_branch', shape: 'string', writer: 'cli' },
  { key: 'target_branch', shape: 'string', writer: 'cli' },
  { key: 'conflicting_files', shape: 'list', writer: 'cli' },
  { key: 'blocked_specs', shape: 'list', writer: 'cli' },
  { key: 'original_spec', shape: 'string', writer: 'cli' },
  { key: 'last_verified', shape: 'string', writer: 'cli' },
  { key: 'verification_status', shape: 'enum', writer: 'cli', values: ['passed', 'failed', 'partial'] },
  { key: 'verification_failures', shape: 'list', writer: 'cli' },
  { key: 'replayed_at', shape: 'other', writer: 'cli' },
  { key: 'replay_count', shape: 'number', writer: 'cli' },
  { key: 'original_completed_at', shape: 'string', writer: 'cli' },
  { key: 'derived_fields', shape: 'list', writer: 'cli' },
  {
    key: 'approval',
    shape: 'map',
    writer: 'cli',
    model: 'approval',
    form: { control: 'approval', order: 11, label: 'Approval' },
  },
  { key: 'members', shape: 'list', writer: 'cli', model: 'members', items: 'id' },
  { key: 'output_schema', shape: 'string', writer: 'human' },
  { key: 'public', shape: 'bool', writer: 'human' },
  { key: 'retry_state', shape: 'map', writer: 'cli' },
] as const satisfies readonly FieldDef[];

type Field = (typeof SPEC_FIELDS)[number];
type FormFieldDef = Extract<Field, { form: object }>;

/** A field the form edits. */
export type FormField = FormFieldDef['key'];
/** What the form edits. Empty lists and an empty prompt mean "no such key". */
export type FormValues = { [F in FormFieldDef as F['key']]: ControlValues[F['form']['control']] };
/** Form fields by control kind. */
export type FieldsOf<C extends FormControl> = Extract<FormFieldDef, { form: { control: C } }>['key'];
export type ListFormField = FieldsOf<'chips' | 'specs' | 'references'>;
export type ReferenceField = FieldsOf<'references'>;

type ModelList = Extract<Field, { shape: 'list'; model: string }>;
type ModelString = Extract<Field, { shape: 'string'; model: string }>;
/** The Spec properties a list or string field fills: `dependsOn: string[]`, `prompt?: string`, … */
export type ModelFields = { [F in ModelList as F['model']]: readonly string[] } & { [F in ModelString as F['model']]?: string };

const fields: readonly FieldDef[] = SPEC_FIELDS;
const keysWhere = <K extends string = string>(test: (field: FieldDef) => boolean): readonly K[] =>
  fields.filter(test).map((field) => field.key as K);

/** Key order chant uses when it saves a spec (CHANT-FORMAT §2.1.5). New keys are inserted in this order. */
export const FIELD_ORDER: readonly Field['key'][] = keysWhere(() => true);
/** Fields that must be YAML sequences. `depends_on` alone also accepts a bare string. */
export const LIST_FIELDS: ReadonlySet<string> = new Set(keysWhere((field) => field.shape === 'list'));
/** Fields chant deserializes as a string; any other YAML type there makes chant reject the file. */
export const STRING_FIELDS = keysWhere((field) => field.shape === 'string');
/** Fields whose items are paths (or URLs, or globs) relative to the project root, in the form's order. */
export const PATH_FIELDS: readonly Extract<Field, { items: 'path' }>['key'][] = [
  ...keysWhere<Extract<Field, { items: 'path' }>['key']>((field) => field.items === 'path'),
].sort((a, b) => formOrder(a) - formOrder(b));
/** Fields whose items are spec ids. */
export const ID_FIELDS = keysWhere<Extract<Field, { items: 'id' }>['key']>((field) => field.items === 'id');
/** The form's fields in chant's order (validation reports issues in this order). */
export const FORM_FIELDS = keysWhere<FormField>((field) => field.form !== undefined);
/** The form's fields with the control that edits each, in chant's order. */
export const FORM_CONTROLS: ReadonlyMap<FormField, FormControl> = new Map(
  fields.flatMap((field) => (field.form ? [[field.key as FormField, field.form.control] as const] : [])),
);
/** The form's fields in the order the form shows them. */
export const FORM_LAYOUT: ReadonlyArray<FormFieldDef> = (
  SPEC_FIELDS.filter((field) => 'form' in field) as FormFieldDef[]
).sort((a, b) => a.form.order - b.form.order);
/** The form's list fields (labels, dependencies, references). */
export const LIST_FORM_FIELDS = keysWhere<ListFormField>((field) => field.form !== undefined && field.shape === 'list');
/** List fields whose entries name files, globs, specs or URLs, in the form's order. */
export const REFERENCE_FIELDS: readonly ReferenceField[] = FORM_LAYOUT.filter(
  (field) => field.form.control === 'references',
).map((field) => field.key as ReferenceField);

/** [Spec property, key] of the list fields the parser copies into the Spec. */
export const MODEL_LISTS: ReadonlyArray<readonly [string, string]> = fields
  .filter((field) => field.shape === 'list' && field.model)
  .map((field) => [field.model!, field.key] as const);
/** [Spec property, key] of the string fields the parser copies into the Spec. */
export const MODEL_STRINGS: ReadonlyArray<readonly [string, string]> = fields
  .filter((field) => field.shape === 'string' && field.model)
  .map((field) => [field.model!, field.key] as const);

function formOrder(key: string): number {
  return fieldDef(key)?.form?.order ?? Infinity;
}

/** The field `key` names, when chant knows it. */
export function fieldDef(key: string): FieldDef | undefined {
  return fields.find((field) => field.key === key);
}
