// What the Specs tree shows, as plain data: the groups of one project under a grouping mode, the
// specs in each (filtered), members nested under their driver where that reads well, and the
// Upstream PR human gate of each investigation. The view maps this model onto tree nodes; keeping it
// here means every grouping and filter rule is tested in milliseconds without an editor.
//
// buildTreeModel is the definition: what the tree shows, in one pass over the specs. The view does
// not make that pass: it reads a LiveTreeModel (liveTreeModel.ts), which applies these same rules
// change by change and is proven equal to buildTreeModel by test/unit/indexPerformance.unit.test.ts.
import * as l10n from '@vscode/l10n';
import { compareSpecIds } from '../spec/ids';
import { DISPLAY_STATES, STATE_LABELS, type DisplayState } from './displayState';
import { investigationKeyOf, issueNumberOf, orderedPhaseNames, phaseOf, type PhaseDefinition } from '../workflow/phases';
import { SPEC_TYPES, type Spec } from '../spec/types';

export type GroupingMode = 'phase' | 'investigation' | 'status' | 'type' | 'label' | 'flat';

export const GROUPING_MODES: ReadonlyArray<{ mode: GroupingMode; label: string; detail: string }> = [
  { mode: 'phase', get label() { return l10n.t('Phase'); }, get detail() { return l10n.t('Workflow order (Comprehension … Upstream PR), then Unphased'); } },
  { mode: 'investigation', get label() { return l10n.t('Investigation'); }, get detail() { return l10n.t('One group per issue label (issue-1234), phases inside'); } },
  { mode: 'status', get label() { return l10n.t('Status'); }, get detail() { return l10n.t('In progress, failed, ready, blocked, pending, completed, …'); } },
  { mode: 'type', get label() { return l10n.t('Type'); }, get detail() { return l10n.t('code, task, research, documentation, driver, group'); } },
  { mode: 'label', get label() { return l10n.t('Label'); }, get detail() { return l10n.t('One group per label; a spec with several labels appears in each'); } },
  { mode: 'flat', get label() { return l10n.t('None (flat list)'); }, get detail() { return l10n.t('Every spec in id order'); } },
];

export const DEFAULT_GROUPING: GroupingMode = 'phase';

export function isGroupingMode(value: unknown): value is GroupingMode {
  return typeof value === 'string' && GROUPING_MODES.some((m) => m.mode === value);
}

// ---------------------------------------------------------------------------------------------
// Filter

export interface SpecFilter {
  /** Case-insensitive substring of the title or the id. */
  text?: string;
  /** Display states; a spec matches one of them. */
  statuses?: DisplayState[];
  /** Labels (case-insensitive); a spec carries at least one of them. */
  labels?: string[];
  /** `type` values; a spec has one of them. */
  types?: string[];
}

/** A filter with empty parts removed; `{}` means "no filter". Accepts anything (command arguments). */
export function normalizeFilter(value: unknown): SpecFilter {
  if (typeof value !== 'object' || value === null) return {};
  const raw = value as Record<string, unknown>;
  const strings = (v: unknown): string[] =>
    Array.isArray(v) ? [...new Set(v.filter((s): s is string => typeof s === 'string' && s.trim() !== '').map((s) => s.trim()))] : [];
  const filter: SpecFilter = {};
  if (typeof raw.text === 'string' && raw.text.trim() !== '') filter.text = raw.text.trim();
  const statuses = strings(raw.statuses).filter((s): s is DisplayState =>
    (DISPLAY_STATES as readonly string[]).includes(s),
  );
  if (statuses.length > 0) filter.statuses = statuses;
  const labels = strings(raw.labels);
  if (labels.length > 0) filter.labels = labels;
  const types = strings(raw.types);
  if (types.length > 0) filter.types = types;
  return filter;
}

export function isFilterActive(filter: SpecFilter): boolean {
  return Boolean(filter.text || filter.statuses?.length || filter.labels?.length || filter.types?.length);
}

/** `text="lock", status=ready,failed, label=issue-1234`; empty when the filter is off. */
export function describeFilter(filter: SpecFilter): string {
  const parts: string[] = [];
  if (filter.text) parts.push(`text=${JSON.stringify(filter.text)}`);
  if (filter.statuses?.length) parts.push(`status=${filter.statuses.join(',')}`);
  if (filter.labels?.length) parts.push(`label=${filter.labels.join(',')}`);
  if (filter.types?.length) parts.push(`type=${filter.types.join(',')}`);
  return parts.join(', ');
}

export function matchesFilter(spec: Spec, state: DisplayState, filter: SpecFilter): boolean {
  if (filter.statuses?.length && !filter.statuses.includes(state)) return false;
  if (filter.types?.length && !filter.types.includes(spec.type)) return false;
  if (filter.labels?.length) {
    const wanted = new Set(filter.labels.map(lower));
    if (!spec.labels.some((label) => wanted.has(lower(label)))) return false;
  }
  if (filter.text) {
    const needle = lower(filter.text);
    if (!lower(spec.title ?? '').includes(needle) && !lower(spec.id).includes(needle)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Upstream PR gate

export interface GateFix {
  id: string;
  state: DisplayState;
  branch?: string;
  commits: string[];
}

/**
 * The Upstream PR phase of one investigation. chant has no spec for it (CHANT-FORMAT §12.1, phase
 * 6): a human opens the upstream pull request once the Fork Fix spec is done and merged.
 */
export interface UpstreamGate {
  investigation: string;
  /** The investigation's Fork Fix specs (cancelled ones left out), in id order. */
  fixes: GateFix[];
  /** `no-fix`: no Fork Fix spec yet; `fix-open`: one is not completed; `fix-completed`: all are. */
  status: 'no-fix' | 'fix-open' | 'fix-completed';
}

/** The configured phase that holds the human gate (named Upstream PR, or labelled upstream-pr). */
export function upstreamPhaseName(phases: readonly PhaseDefinition[]): string | undefined {
  return phases.find((p) => p.name === 'Upstream PR' || p.labels.some((l) => ['upstream-pr', 'upstream'].includes(lower(l))))?.name;
}

/** The configured phase whose completion opens the gate (named Fork Fix, or labelled fix). */
export function fixPhaseName(phases: readonly PhaseDefinition[]): string | undefined {
  return phases.find((p) => p.name === 'Fork Fix' || p.labels.some((l) => ['fix', 'fork-fix'].includes(lower(l))))?.name;
}

export function upstreamGateOf(
  investigation: string,
  specs: readonly Spec[],
  stateOf: (spec: Spec) => DisplayState,
  phases: readonly PhaseDefinition[],
): UpstreamGate {
  const fixPhase = fixPhaseName(phases);
  const fixes = specs
    .filter(
      (spec) =>
        fixPhase !== undefined && investigationKeyOf(spec) === investigation && phaseOf(spec, phases) === fixPhase,
    )
    .map((spec) => ({ id: spec.id, state: stateOf(spec), branch: spec.branch, commits: [...spec.commits] }))
    .filter((fix) => fix.state !== 'cancelled')
    .sort((a, b) => compareSpecIds(a.id, b.id));
  const status = fixes.length === 0 ? 'no-fix' : fixes.every((f) => f.state === 'completed') ? 'fix-completed' : 'fix-open';
  return { investigation, fixes, status };
}

// ---------------------------------------------------------------------------------------------
// The model

export interface GroupModel {
  kind: 'group';
  /** Unique within the project and stable across rebuilds: `phase/Root Cause`, `investigation/issue-1234/phase/Fix`. */
  key: string;
  label: string;
  /** What the group stands for, for menus: `phase`, `investigation`, `status`, `type`, `label`. */
  groupKind: Exclude<GroupingMode, 'flat'>;
  /** The value: phase name, investigation key, display state, type or label ('' for "none"). */
  value: string;
  /** The phase of a phase group, also inside an investigation. */
  phase?: string;
  investigation?: string;
  /** Matching specs in the group, members included. */
  count: number;
  children: ModelNode[];
  expanded: boolean;
}

export interface SpecModel {
  kind: 'spec';
  /** The spec id, or `<id>@<group key>` where a spec appears more than once (by label). */
  key: string;
  id: string;
  /** False when shown only because a member below it matches the filter. */
  matches: boolean;
  children: SpecModel[];
}

export interface GateModel {
  kind: 'gate';
  key: string;
  gate: UpstreamGate;
}

export type ModelNode = GroupModel | SpecModel | GateModel;

export interface GroupingInput {
  /** Active specs of one project. */
  specs: readonly Spec[];
  stateOf(spec: Spec): DisplayState;
  /** The nearest existing ancestor a member is shown under, or undefined for a top-level spec. */
  parentOf(id: string): string | undefined;
  phases: readonly PhaseDefinition[];
  /** True when `specs` is already in chant's id order (SpecIndex.sorted()), which saves a sort. */
  sorted?: boolean;
}

export interface TreeModel {
  roots: ModelNode[];
  /** Specs that match the filter (each counted once). */
  matching: number;
}

export function buildTreeModel(input: GroupingInput, mode: GroupingMode, filter: SpecFilter = {}): TreeModel {
  const specs = input.sorted ? [...input.specs] : [...input.specs].sort((a, b) => compareSpecIds(a.id, b.id));
  // Without a status filter no spec's state is needed to place it: the model then costs no
  // readiness at all (the rows compute it for what they show).
  const needsState = Boolean(filter.statuses?.length);
  const matched = new Set(
    isFilterActive(filter)
      ? specs.filter((spec) => matchesFilter(spec, needsState ? input.stateOf(spec) : 'pending', filter)).map((s) => s.id)
      : specs.map((s) => s.id),
  );
  const builder = new ModelBuilder(input, specs, matched);
  let roots: ModelNode[];
  switch (mode) {
    case 'phase':
      roots = builder.byPhase();
      break;
    case 'investigation':
      roots = builder.byInvestigation();
      break;
    case 'status':
      roots = builder.byAttribute('status', (spec) => [input.stateOf(spec)], DISPLAY_STATES, (s) => STATE_LABELS[s as DisplayState] ?? s);
      break;
    case 'type':
      roots = builder.byAttribute('type', (spec) => [spec.type], SPEC_TYPES, (t) => t);
      break;
    case 'label':
      roots = builder.byAttribute('label', (spec) => uniqueLabels(spec), [], (l) => l || l10n.t('No labels'));
      break;
    case 'flat':
      roots = specs.filter((s) => matched.has(s.id)).map((s) => builder.leaf(s.id, s.id));
      break;
  }
  return { roots, matching: matched.size };
}

class ModelBuilder {
  private readonly byId: Map<string, Spec>;
  private readonly childrenOf = new Map<string, string[]>();
  private readonly topLevel: Spec[] = [];
  private specsByInvestigation: Map<string | undefined, Spec[]> | undefined;

  constructor(
    private readonly input: GroupingInput,
    private readonly specs: Spec[],
    private readonly matched: Set<string>,
  ) {
    this.byId = new Map(specs.map((s) => [s.id, s]));
    for (const spec of specs) {
      const parent = input.parentOf(spec.id);
      if (parent !== undefined && this.byId.has(parent)) {
        const list = this.childrenOf.get(parent) ?? [];
        list.push(spec.id);
        this.childrenOf.set(parent, list);
      } else {
        this.topLevel.push(spec);
      }
    }
  }

  /** Phase groups in workflow order, Unphased last; the Upstream PR group also holds the gates. */
  byPhase(): ModelNode[] {
    const gatePhase = upstreamPhaseName(this.input.phases);
    const groups: ModelNode[] = [];
    const byPhase = bucket(this.topLevel, (s) => phaseOf(s, this.input.phases));
    for (const phase of orderedPhaseNames(this.input.phases)) {
      const trees = this.nestedTrees(byPhase.get(phase) ?? []);
      const gates = phase === gatePhase ? this.gates(this.investigations(), `phase/${phase}`) : [];
      if (trees.length === 0 && gates.length === 0) continue;
      groups.push(this.group('phase', `phase/${phase}`, phase, phase, [...trees, ...gates], { phase }));
    }
    return groups;
  }

  /** One group per investigation (issue number order), phases inside, then specs of none. */
  byInvestigation(): ModelNode[] {
    const gatePhase = upstreamPhaseName(this.input.phases);
    const groups: ModelNode[] = [];
    const byInvestigation = bucket(this.topLevel, (s) => investigationKeyOf(s));
    for (const key of this.investigations()) {
      const byPhase = bucket(byInvestigation.get(key) ?? [], (s) => phaseOf(s, this.input.phases));
      const phases: ModelNode[] = [];
      for (const phase of orderedPhaseNames(this.input.phases)) {
        const groupKey = `investigation/${key}/phase/${phase}`;
        const trees = this.nestedTrees(byPhase.get(phase) ?? []);
        const gates = phase === gatePhase ? this.gates([key], groupKey) : [];
        if (trees.length === 0 && gates.length === 0) continue;
        phases.push(this.group('phase', groupKey, phase, phase, [...trees, ...gates], { phase, investigation: key }));
      }
      if (phases.some((p) => p.kind === 'group' && p.count > 0)) {
        groups.push(this.group('investigation', `investigation/${key}`, investigationLabel(key), key, phases, { investigation: key }));
      }
    }
    const rest = this.nestedTrees(byInvestigation.get(undefined) ?? []);
    if (rest.length > 0) groups.push(this.group('investigation', 'investigation/', l10n.t('No investigation'), '', rest, {}));
    return groups;
  }

  /**
   * One group per value of a spec attribute. Every spec is placed by its own value, not its
   * driver's (a member's status or type often differs), so nothing is nested here.
   */
  byAttribute(
    kind: 'status' | 'type' | 'label',
    valuesOf: (spec: Spec) => string[],
    order: readonly string[],
    labelOf: (value: string) => string,
  ): ModelNode[] {
    const buckets = new Map<string, Spec[]>();
    for (const spec of this.specs) {
      if (!this.matched.has(spec.id)) continue;
      const values = valuesOf(spec);
      for (const value of values.length > 0 ? values : ['']) {
        const list = buckets.get(value) ?? [];
        list.push(spec);
        buckets.set(value, list);
      }
    }
    const rank = (value: string): number => {
      if (value === '') return Number.MAX_SAFE_INTEGER;
      const at = order.indexOf(value);
      return at >= 0 ? at : order.length;
    };
    const values = [...buckets.keys()].sort(
      (a, b) => rank(a) - rank(b) || lower(a).localeCompare(lower(b)) || a.localeCompare(b),
    );
    const duplicates = kind === 'label';
    return values.map((value) => {
      const key = `${kind}/${value}`;
      const items = buckets.get(value)!.map((spec) => this.leaf(spec.id, duplicates ? `${spec.id}@${key}` : spec.id));
      // Label groups can be many; they start collapsed so the tree stays scannable.
      return this.group(kind, key, labelOf(value), value, items, {}, kind !== 'label');
    });
  }

  leaf(id: string, key: string): SpecModel {
    return { kind: 'spec', key, id, matches: this.matched.has(id), children: [] };
  }

  /** Specs with their members below them; a spec stays when it or a member matches the filter. */
  private nestedTrees(specs: readonly Spec[]): SpecModel[] {
    const out: SpecModel[] = [];
    for (const spec of specs) {
      const node = this.nested(spec.id);
      if (node) out.push(node);
    }
    return out;
  }

  private nested(id: string): SpecModel | undefined {
    const children = (this.childrenOf.get(id) ?? [])
      .map((child) => this.nested(child))
      .filter((n): n is SpecModel => n !== undefined);
    const matches = this.matched.has(id);
    if (!matches && children.length === 0) return undefined;
    return { kind: 'spec', key: id, id, matches, children };
  }

  /** Investigations with at least one spec that passes the filter, in issue number order. */
  private investigations(): string[] {
    const keys: { key: string; issue: number }[] = [];
    for (const [key, specs] of this.specsOfInvestigations()) {
      if (key !== undefined && specs.some((spec) => this.matched.has(spec.id)))
        keys.push({ key, issue: issueNumberOf(key) ?? 0 });
    }
    return keys.sort((a, b) => a.issue - b.issue || a.key.localeCompare(b.key)).map((k) => k.key);
  }

  /** Every spec by its investigation, worked out once per model (the gates and the groups share it). */
  private specsOfInvestigations(): Map<string | undefined, Spec[]> {
    this.specsByInvestigation ??= bucket(this.specs, (spec) => investigationKeyOf(spec));
    return this.specsByInvestigation;
  }

  private gates(investigations: readonly string[], groupKey: string): GateModel[] {
    // Hand each gate only its own investigation's specs (grouped once per model): scanning every
    // spec per investigation made the tree quadratic (hundreds of investigations × thousands of specs).
    const byInvestigation = this.specsOfInvestigations();
    return investigations.map((key) => ({
      kind: 'gate',
      key: `${groupKey}/gate/${key}`,
      gate: upstreamGateOf(key, byInvestigation.get(key) ?? [], (s) => this.input.stateOf(s), this.input.phases),
    }));
  }

  private group(
    groupKind: GroupModel['groupKind'],
    key: string,
    label: string,
    value: string,
    children: ModelNode[],
    extra: { phase?: string; investigation?: string },
    expanded = true,
  ): GroupModel {
    return { kind: 'group', key, label, groupKind, value, ...extra, count: countMatching(children), children, expanded };
  }
}

/** The specs by one key each, in their order: one pass instead of a filter per group. */
function bucket<K>(specs: readonly Spec[], keyOf: (spec: Spec) => K): Map<K, Spec[]> {
  const out = new Map<K, Spec[]>();
  for (const spec of specs) {
    const key = keyOf(spec);
    const list = out.get(key);
    if (list) list.push(spec);
    else out.set(key, [spec]);
  }
  return out;
}

function countMatching(nodes: readonly ModelNode[]): number {
  let n = 0;
  for (const node of nodes) {
    if (node.kind === 'spec') n += (node.matches ? 1 : 0) + countMatching(node.children);
    else if (node.kind === 'group') n += node.count;
  }
  return n;
}

/** `Issue #1234` for `issue-1234`. */
export function investigationLabel(key: string): string {
  const n = issueNumberOf(key);
  return n === undefined ? key : l10n.t('Issue #{0}', n);
}

export function uniqueLabels(spec: Spec): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of spec.labels) {
    const label = raw.trim();
    if (label === '' || seen.has(lower(label))) continue;
    seen.add(lower(label));
    out.push(label);
  }
  return out;
}

function lower(s: string): string {
  return s.toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// A change

/** What the live model needs to know of one change to the index (SpecIndex's IndexChange). */
export interface ModelChange {
  kind: 'added' | 'changed' | 'removed' | 'unchanged' | 'ignored';
  id?: string;
  archived?: boolean;
  previous?: Spec;
  spec?: Spec;
  affected: readonly string[];
}
