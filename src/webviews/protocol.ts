// The messages between the panels and their webviews, imported by both sides. Every webview
// message is untrusted: the host checks its shape at run time (parseFrontmatterMessage,
// parseGraphMessage) before acting on it, and the webview says `ready` before the host posts
// anything. Types only plus small pure checkers: no `vscode`, no DOM, no Node.
import type { FieldIssue, FormValidation, FormValues, ReadOnlyField, ReferenceInfo } from '../core/present/frontmatterForm';
import { FORM_CONTROLS, REFERENCE_FIELDS, type FormControl } from '../core/spec/fields';
import type { GraphEdge } from '../core/present/specGraph';
import type { GraphViewNode, GraphViewScope, ScopeChoices } from '../core/present/graphModel';
import type { InvestigationActionKind, InvestigationView } from '../core/present/investigationView';

export type { FieldIssue, FormValidation, FormValues, ReadOnlyField, ReferenceInfo };
export type { GraphEdge, GraphViewNode, GraphViewScope, ScopeChoices };

export const FRONTMATTER_VIEW_TYPE = 'chant.frontmatter';
export const GRAPH_VIEW_TYPE = 'chant.graph';
export const INVESTIGATION_VIEW_TYPE = 'chant.investigation';

// -------------------------------------------------------------------------------------------------
// Frontmatter editor

export interface SpecChoice {
  id: string;
  title: string;
  status: string;
}

/** What the form offers besides the registry's own values (core/spec/fields.ts: types, statuses, approval). */
export interface FormOptions {
  labels: string[];
  specs: SpecChoice[];
  prompts: string[];
}

/** What the panel keeps in `setState`, and the serializer gets back after a reload. */
export interface FrontmatterPanelState {
  specId: string;
  root: string;
  draft?: FormValues;
  /** The values the draft was made from. */
  base?: FormValues;
}

export type FrontmatterHostMessage =
  | {
      type: 'init';
      specId: string;
      root: string;
      title: string;
      relativePath: string;
      /** The values in the file now. */
      values: FormValues;
      /** Unsaved edits to show instead (restored after a reload, or rebased on new text). */
      draft?: FormValues;
      readOnly: ReadOnlyField[];
      options: FormOptions;
    }
  | { type: 'validation'; forValues: FormValues; validation: FormValidation }
  | { type: 'conflict'; theirs: FormValues; reason: string }
  | { type: 'saved'; values: FormValues; message: string }
  | { type: 'saveFailed'; message: string }
  | { type: 'pickedFiles'; field: string; paths: string[] };

export type FrontmatterWebviewMessage =
  | { type: 'ready'; draft?: FormValues; base?: FormValues }
  | { type: 'edit'; values: FormValues }
  | { type: 'save'; specId: string; values: FormValues }
  | { type: 'reload' }
  | { type: 'applyOnTop'; values: FormValues }
  | { type: 'pickFile'; field: string }
  | { type: 'openFile'; path: string }
  | { type: 'openSpec'; specId: string };

// -------------------------------------------------------------------------------------------------
// Graph

export interface GraphPanelState {
  root: string;
  scope: GraphViewScope;
}

export type GraphHostMessage = {
  type: 'graph';
  root: string;
  scope: GraphViewScope;
  choices: ScopeChoices;
  nodes: GraphViewNode[];
  edges: GraphEdge[];
  /** False when the scope changed: the view fits the new graph; true on live updates. */
  keepViewport: boolean;
  /** Spec to select and centre (the one the graph was opened from). */
  focus?: string;
  /** Phase names in workflow order (orderedPhaseNames): the columns of an investigation or chain. */
  phaseOrder?: string[];
} | { type: 'exported'; path: string };

export type OpenTarget =
  | { kind: 'spec'; specId: string }
  | { kind: 'file'; path: string }
  | { kind: 'url'; url: string }
  /** The Upstream PR gate: opens the Investigation panel of that investigation key. */
  | { kind: 'investigation'; key: string };

export type GraphWebviewMessage =
  | { type: 'ready'; scope?: GraphViewScope }
  | { type: 'setScope'; scope: GraphViewScope }
  | { type: 'open'; target: OpenTarget }
  | { type: 'exportSvg'; svg: string };

// -------------------------------------------------------------------------------------------------
// Investigation panel

export type { InvestigationActionKind, InvestigationView };

export interface InvestigationPanelState {
  root: string;
  key: string;
}

export type InvestigationHostMessage = { type: 'investigation'; root: string; view: InvestigationView } | { type: 'actionFailed'; message: string };

export type GateAction = 'prepareUpstreamPr' | 'createUpstreamPr' | 'createStagingPr';

export type InvestigationWebviewMessage =
  | { type: 'ready' }
  | { type: 'action'; action: InvestigationActionKind; specId: string }
  | { type: 'gate'; action: GateAction }
  | { type: 'openFile'; path: string }
  | { type: 'openUrl'; url: string };

const INVESTIGATION_ACTIONS: readonly InvestigationActionKind[] = ['work', 'rerun', 'review', 'merge', 'approve', 'reject', 'reResearch', 'open'];
const GATE_ACTIONS: readonly GateAction[] = ['prepareUpstreamPr', 'createUpstreamPr', 'createStagingPr'];

export function parseInvestigationMessage(raw: unknown): InvestigationWebviewMessage | undefined {
  if (!isObject(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'action':
      return INVESTIGATION_ACTIONS.includes(raw.action as InvestigationActionKind) && isText(raw.specId, 256)
        ? { type: 'action', action: raw.action as InvestigationActionKind, specId: raw.specId }
        : undefined;
    case 'gate':
      return GATE_ACTIONS.includes(raw.action as GateAction) ? { type: 'gate', action: raw.action as GateAction } : undefined;
    case 'openFile':
      return isText(raw.path) && raw.path.trim() !== '' ? { type: 'openFile', path: raw.path } : undefined;
    case 'openUrl':
      return isText(raw.url) && /^https?:\/\//i.test(raw.url) ? { type: 'openUrl', url: raw.url } : undefined;
    default:
      return undefined;
  }
}

// -------------------------------------------------------------------------------------------------
// Run-time checks (host side)

const MAX_TEXT = 4096;
const MAX_LIST = 1000;
export const MAX_SVG_BYTES = 20 * 1024 * 1024;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown, max = MAX_TEXT): value is string {
  return typeof value === 'string' && value.length <= max;
}

function isTextList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length <= MAX_LIST && value.every((item) => isText(item));
}

/** What each form control's value may be in a message (lengths bounded); from the field registry. */
const CONTROL_CHECKS: Record<FormControl, (value: unknown) => boolean> = {
  select: (value) => isText(value, 64),
  prompt: (value) => isText(value, 256),
  chips: isTextList,
  specs: isTextList,
  references: isTextList,
  approval: (value) => value === null || (isObject(value) && typeof value.required === 'boolean' && isText(value.status, 64)),
};

/** A FormValues built only from the checked fields (extra keys are dropped), or undefined. */
export function parseFormValues(value: unknown): FormValues | undefined {
  if (!isObject(value)) return undefined;
  const values: Record<string, unknown> = {};
  for (const [key, control] of FORM_CONTROLS) {
    const raw = value[key];
    if (!CONTROL_CHECKS[control](raw)) return undefined;
    if (Array.isArray(raw)) values[key] = [...(raw as string[])];
    else if (isObject(raw)) values[key] = { required: raw.required, status: raw.status };
    else values[key] = raw;
  }
  return values as FormValues;
}

/** Fields whose entries the host may offer to pick a file for. */
const PICK_FIELDS: ReadonlySet<string> = new Set(REFERENCE_FIELDS);

export function parseFrontmatterMessage(raw: unknown): FrontmatterWebviewMessage | undefined {
  if (!isObject(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready': {
      const draft = raw.draft === undefined ? undefined : parseFormValues(raw.draft);
      const base = raw.base === undefined ? undefined : parseFormValues(raw.base);
      if ((raw.draft !== undefined && !draft) || (raw.base !== undefined && !base)) return { type: 'ready' };
      return draft && base ? { type: 'ready', draft, base } : { type: 'ready' };
    }
    case 'edit':
    case 'applyOnTop': {
      const values = parseFormValues(raw.values);
      return values ? { type: raw.type, values } : undefined;
    }
    case 'save': {
      const values = parseFormValues(raw.values);
      return values && isText(raw.specId, 256) ? { type: 'save', specId: raw.specId, values } : undefined;
    }
    case 'reload':
      return { type: 'reload' };
    case 'pickFile':
      return isText(raw.field, 32) && PICK_FIELDS.has(raw.field) ? { type: 'pickFile', field: raw.field } : undefined;
    case 'openFile':
      return isText(raw.path) && raw.path.trim() !== '' ? { type: 'openFile', path: raw.path } : undefined;
    case 'openSpec':
      return isText(raw.specId, 256) ? { type: 'openSpec', specId: raw.specId } : undefined;
    default:
      return undefined;
  }
}

export function parseGraphScope(raw: unknown): GraphViewScope | undefined {
  if (!isObject(raw)) return undefined;
  switch (raw.kind) {
    case 'all':
      return { kind: 'all' };
    case 'investigation':
      return isText(raw.key, 256) ? { kind: 'investigation', key: raw.key } : undefined;
    case 'around':
      return isText(raw.id, 256) ? { kind: 'around', id: raw.id } : undefined;
    case 'phase':
      return isText(raw.name, 256) ? { kind: 'phase', name: raw.name } : undefined;
    default:
      return undefined;
  }
}

export function parseGraphMessage(raw: unknown): GraphWebviewMessage | undefined {
  if (!isObject(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready': {
      const scope = raw.scope === undefined ? undefined : parseGraphScope(raw.scope);
      return scope ? { type: 'ready', scope } : { type: 'ready' };
    }
    case 'setScope': {
      const scope = parseGraphScope(raw.scope);
      return scope ? { type: 'setScope', scope } : undefined;
    }
    case 'open': {
      const t = raw.target;
      if (!isObject(t)) return undefined;
      if (t.kind === 'spec' && isText(t.specId, 256)) return { type: 'open', target: { kind: 'spec', specId: t.specId } };
      if (t.kind === 'file' && isText(t.path) && t.path.trim() !== '') return { type: 'open', target: { kind: 'file', path: t.path } };
      if (t.kind === 'url' && isText(t.url) && /^https?:\/\//i.test(t.url)) return { type: 'open', target: { kind: 'url', url: t.url } };
      if (t.kind === 'investigation' && isText(t.key, 64) && /^issue-\d+$/.test(t.key)) return { type: 'open', target: { kind: 'investigation', key: t.key } };
      return undefined;
    }
    case 'exportSvg':
      return isText(raw.svg, MAX_SVG_BYTES) && /^<svg[\s>]/.test(raw.svg) ? { type: 'exportSvg', svg: raw.svg } : undefined;
    default:
      return undefined;
  }
}
