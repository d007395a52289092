// The Specs tree's model kept up to date change by change, so that opening the view costs what it
// shows. buildTreeModel (grouping.ts) says what the tree shows, in one pass over the specs; this
// gives the same answer from data that each change to the index updates in O(specs changed ×
// member depth): per list of rows (a group's, the root's, a driver's members) the rows in id
// order, per group its count, per spec how many specs of its subtree pass the filter, per
// investigation how many of its specs pass the filter and which are its Fork Fix specs. Rows are
// made when the view asks for a page of them, never for the whole project.
// test/unit/indexPerformance.unit.test.ts proves it equal to buildTreeModel after hundreds of
// random edits, moves, additions and deletions, in every grouping mode and filter.
import * as l10n from '@vscode/l10n';
import { compareSpecIds, nearestParentId, parentIdOf } from '../spec/ids';
import { SPEC_TYPES, type Spec } from '../spec/types';
import { investigationKeyOf, issueNumberOf, orderedPhaseNames, phaseOf, type PhaseDefinition } from '../workflow/phases';
import { DISPLAY_STATES, STATE_LABELS, type DisplayState } from './displayState';
import {
  fixPhaseName,
  investigationLabel,
  isFilterActive,
  matchesFilter,
  uniqueLabels,
  upstreamGateOf,
  upstreamPhaseName,
  type GateModel,
  type GroupingMode,
  type GroupModel,
  type ModelChange,
  type SpecFilter,
  type SpecModel,
} from './grouping';

/** What the model reads of one project's index. */
export interface LiveTreeSource {
  /** Active specs in chant's id order (SpecIndex.sorted()): read by the build only. */
  sorted(): readonly Spec[];
  /** The active spec with this id, as the index holds it now. */
  get(id: string): Spec | undefined;
  stateOf(spec: Spec): DisplayState;
  phases: readonly PhaseDefinition[];
}

/** A group's row: a GroupModel without its children, which come a page at a time (`page`). */
export interface LiveGroup extends Omit<GroupModel, 'children'> {
  /** Rows in the group: specs, sub-groups and gates. */
  size: number;
  /** How many of those rows are Upstream PR gates. */
  gates: number;
}

export type LiveNode = LiveGroup | SpecModel | GateModel;

/** The first rows of a list and how many rows it has in all. */
export interface RowPage {
  nodes: LiveNode[];
  total: number;
}

/** What one `apply` changed, for the view to repaint no more than that. */
export interface LiveTreeDelta {
  /** The root's rows changed (a group came, went or moved; a flat list changed). */
  roots: boolean;
  /** A row left one list and joined another (a spec changed groups or got a new driver). */
  moved: boolean;
  /** Keys of the groups and specs whose row (count, match) or rows below changed. */
  changed: Set<string>;
  /** Investigations whose Upstream PR gate may read differently now. */
  gates: Set<string>;
}

/** A build in steps (LiveTreeModel.builder). */
export interface LiveTreeBuilder {
  /** The model, complete once `step` returned true. */
  readonly model: LiveTreeModel;
  /** Places up to `count` more specs; true when every spec is placed. */
  step(count: number): boolean;
}

/** One active spec as placed in the model. */
interface Placed {
  spec: Spec;
  matched: boolean;
  /** Only kept while the mode or the filter depends on states. */
  state?: DisplayState;
  investigation?: string;
  /** A Fork Fix spec: its investigation's gate reads it. */
  fix: boolean;
  // Grouping by phase or investigation nests members under the nearest existing ancestor:
  parent?: Placed;
  /** In id order. */
  children: Placed[];
  /** Specs of this subtree (itself included) that pass the filter; 0 means the row is not shown. */
  subtree: number;
  /** The list a top-level spec belongs to (a group key); undefined when nested. */
  list?: string;
  // Grouping by an attribute: the values it is filed under (status, type, labels).
  values: string[];
}

/** A group's top-level rows in id order and its count. */
interface Bucket {
  ids: SortedList<string>;
  count: number;
}

/** The investigations whose gates a list ends with. */
interface GateList {
  readonly size: number;
  has(investigation: string): boolean;
  slice(limit: number): string[];
}

const NO_GATES: GateList = { size: 0, has: () => false, slice: () => [] };

function oneGate(investigation: string): GateList {
  return { size: 1, has: (key) => key === investigation, slice: (limit) => (limit > 0 ? [investigation] : []) };
}

export class LiveTreeModel {
  private readonly placed = new Map<string, Placed>();
  /** Placed ids by each ancestor id in their member chain (existing or not): who a new spec adopts. */
  private readonly below = new Map<string, Set<string>>();
  private readonly buckets = new Map<string, Bucket>();
  /** Attribute modes: the values with at least one spec, in the tree's order. */
  private readonly values: SortedList<string>;
  /** Per investigation: its specs that pass the filter (any level), and the top-level count. */
  private readonly invMatched = new Map<string, number>();
  private readonly invTop = new Map<string, number>();
  /** Investigations with a gate (phase mode) or a group (investigation mode), in issue order. */
  private readonly investigations = new SortedList<string>(investigationOrder());
  private readonly fixes = new Map<string, Set<string>>();
  private readonly gatePhase: string | undefined;
  private readonly fixPhase: string | undefined;
  private readonly phaseNames: string[];
  private readonly needsState: boolean;
  private readonly filtering: boolean;
  private matchingValue = 0;
  /** While the first build runs there is nobody to tell what changed. */
  private building = false;
  private delta: LiveTreeDelta = emptyDelta();
  /** Rows that left a list and the list, rows that joined one: the same row in two lists moved. */
  private left = new Map<string, string>();
  private joined = new Map<string, string>();

  private constructor(
    private readonly source: LiveTreeSource,
    readonly mode: GroupingMode,
    readonly filter: SpecFilter,
  ) {
    this.gatePhase = upstreamPhaseName(source.phases);
    this.fixPhase = fixPhaseName(source.phases);
    this.phaseNames = orderedPhaseNames(source.phases);
    this.needsState = mode === 'status' || Boolean(filter.statuses?.length);
    this.filtering = isFilterActive(filter);
    const order: readonly string[] = mode === 'status' ? DISPLAY_STATES : mode === 'type' ? SPEC_TYPES : [];
    const rank = (value: string): number => {
      if (value === '') return Number.MAX_SAFE_INTEGER;
      const at = order.indexOf(value);
      return at >= 0 ? at : order.length;
    };
    // grouping.ts byAttribute's order: the mode's own order, then by name, "none" last.
    this.values = new SortedList<string>(
      (a, b) => rank(a) - rank(b) || a.toLowerCase().localeCompare(b.toLowerCase()) || a.localeCompare(b),
    );
  }

  /**
   * One pass over the project. The ids come in chant's order, so nothing is adopted and every list
   * is appended to without a comparison.
   */
  static build(source: LiveTreeSource, mode: GroupingMode, filter: SpecFilter = {}): LiveTreeModel {
    const builder = LiveTreeModel.builder(source, mode, filter);
    builder.step(Number.POSITIVE_INFINITY);
    return builder.model;
  }

  /**
   * The same pass in steps, for a caller that yields to its event loop between them. It reads the
   * specs the source has when it starts: changes the index applies meanwhile must be handed to
   * `apply` once the build is done (the model then reads those specs again).
   */
  static builder(source: LiveTreeSource, mode: GroupingMode, filter: SpecFilter = {}): LiveTreeBuilder {
    const model = new LiveTreeModel(source, mode, filter);
    const specs = source.sorted();
    let next = 0;
    model.building = true;
    return {
      model,
      step(count: number): boolean {
        const end = Math.min(specs.length, next + count);
        for (; next < end; next++) model.add(specs[next]);
        if (next < specs.length) return false;
        if (model.building) {
          model.building = false;
          model.takeDelta();
        }
        return true;
      },
    };
  }

  /** Specs that pass the filter, each counted once. */
  get matching(): number {
    return this.matchingValue;
  }

  /**
   * Brings the model up to date with changes the index has already applied: the specs they name
   * are read again from the source, and where states matter, the specs they affect too.
   */
  apply(changes: readonly ModelChange[]): LiveTreeDelta {
    const touched = new Set<string>();
    const affected = new Set<string>();
    for (const change of changes) {
      if (change.archived || change.id === undefined || change.kind === 'ignored' || change.kind === 'unchanged') continue;
      touched.add(change.id);
      for (const id of change.affected) affected.add(id);
    }
    const noteGates = (): void => {
      for (const ids of [touched, affected]) {
        for (const id of ids) {
          const investigation = this.placed.get(id)?.investigation;
          if (investigation !== undefined) this.delta.gates.add(investigation);
        }
      }
    };
    noteGates();
    const rootsBefore = this.mode === 'phase' ? this.phaseRootKeys() : '';
    const added: Spec[] = [];
    for (const id of touched) {
      const spec = this.source.get(id);
      const rec = this.placed.get(id);
      if (rec && !spec) this.remove(rec);
      else if (rec && spec) this.update(rec, spec);
      else if (spec) added.push(spec);
    }
    // Drivers before their members, so a member finds its driver in place.
    added.sort((a, b) => compareSpecIds(a.id, b.id));
    for (const spec of added) this.add(spec);
    if (this.needsState) {
      for (const id of affected) {
        const rec = touched.has(id) ? undefined : this.placed.get(id);
        const spec = rec && this.source.get(id);
        if (rec && spec) this.update(rec, spec);
      }
    }
    noteGates();
    if (this.mode === 'phase' && this.phaseRootKeys() !== rootsBefore) this.delta.roots = true;
    return this.takeDelta();
  }

  private phaseRootKeys(): string {
    return this.phaseGroups()
      .map((group) => group.key)
      .join('\n');
  }

  /** The root's rows: groups, or specs when the list is flat. */
  roots(limit = Number.POSITIVE_INFINITY): RowPage {
    return this.page('', limit);
  }

  /** The first `limit` rows of a list ('' for the root, a group's key, a spec's key) and its size. */
  page(listKey: string, limit = Number.POSITIVE_INFINITY): RowPage {
    if (this.mode === 'flat') {
      if (listKey !== '') return { nodes: [], total: 0 };
      const bucket = this.buckets.get('');
      return { nodes: this.leaves(bucket, '', limit), total: bucket?.ids.size ?? 0 };
    }
    if (this.mode === 'phase' || this.mode === 'investigation') return this.nestedPage(listKey, limit);
    if (listKey === '') {
      const values = this.values.slice(limit);
      return { nodes: values.map((value) => this.attributeGroup(value)), total: this.values.size };
    }
    const bucket = this.buckets.get(listKey);
    return { nodes: this.leaves(bucket, listKey, limit), total: bucket?.ids.size ?? 0 };
  }

  /** The row of a group, a spec or a gate by key, as `page` would make it; undefined when not shown. */
  row(key: string): LiveNode | undefined {
    const gateAt = key.indexOf('/gate/');
    if (gateAt >= 0) return this.gateRow(key.slice(0, gateAt), key.slice(gateAt + '/gate/'.length));
    if (this.mode === 'phase' || this.mode === 'investigation') {
      const rec = this.placed.get(key);
      if (rec) return rec.subtree > 0 ? this.nested(rec) : undefined;
      return this.nestedGroup(key);
    }
    if (this.mode === 'flat') {
      const rec = this.placed.get(key);
      return rec?.matched ? leaf(key, key) : undefined;
    }
    const bucket = this.buckets.get(key);
    if (bucket) return bucket.ids.size > 0 ? this.attributeGroup(key.slice(this.mode.length + 1)) : undefined;
    const at = key.lastIndexOf('@');
    const id = this.mode === 'label' && at > 0 ? key.slice(0, at) : key;
    const rec = this.placed.get(id);
    return rec?.matched && (this.mode !== 'label' || at > 0) ? leaf(id, key) : undefined;
  }

  /**
   * Where spec `id` sits: for each list on its way from the root whose rows are paged (the root
   * and groups), the list's key and the row's position in it, innermost first. Empty when the spec
   * is not shown, or shown under several keys (grouped by label).
   */
  placesOf(id: string): { listKey: string; at: number }[] {
    const rec = this.placed.get(id);
    if (!rec || this.mode === 'label') return [];
    if (this.mode === 'flat') return rec.matched ? [{ listKey: '', at: this.buckets.get('')!.ids.indexOf(id) }] : [];
    if (this.mode === 'status' || this.mode === 'type') {
      if (!rec.matched) return [];
      const value = rec.values[0];
      return [
        { listKey: `${this.mode}/${value}`, at: this.buckets.get(`${this.mode}/${value}`)!.ids.indexOf(id) },
        { listKey: '', at: this.values.indexOf(value) },
      ];
    }
    if (rec.subtree === 0) return [];
    let top = rec;
    while (top.parent) top = top.parent;
    const list = top.list!;
    const places = [{ listKey: list, at: this.buckets.get(list)!.ids.indexOf(top.spec.id) }];
    if (this.mode === 'phase') {
      places.push({ listKey: '', at: this.phaseGroups().findIndex((group) => group.key === list) });
    } else if (list === 'investigation/') {
      places.push({ listKey: '', at: this.investigations.size });
    } else {
      const investigation = top.investigation!;
      const groupKey = `investigation/${investigation}`;
      const phases = this.investigationPhases(groupKey);
      places.push({ listKey: groupKey, at: phases.findIndex((group) => group.key === list) });
      places.push({ listKey: '', at: this.investigations.indexOf(investigation) });
    }
    return places;
  }

  // -------------------------------------------------------------------------------------------
  // Rows

  private nestedPage(listKey: string, limit: number): RowPage {
    const rec = this.placed.get(listKey);
    if (rec) {
      const shown = rec.children.filter((child) => child.subtree > 0);
      return { nodes: shown.slice(0, limit).map((child) => this.nested(child)), total: shown.length };
    }
    if (listKey === '') {
      if (this.mode === 'phase') {
        const groups = this.phaseGroups();
        return { nodes: groups.slice(0, limit), total: groups.length };
      }
      // Grouped by investigation: one group per investigation shown, then the specs of none.
      const nodes: LiveNode[] = this.investigations.slice(limit).map((key) => this.nestedGroup(`investigation/${key}`)!);
      const rest = this.nestedGroup('investigation/');
      if (rest && nodes.length < limit) nodes.push(rest);
      return { nodes, total: this.investigations.size + (rest ? 1 : 0) };
    }
    if (this.isInvestigationGroup(listKey)) {
      const groups = this.investigationPhases(listKey);
      return { nodes: groups.slice(0, limit), total: groups.length };
    }
    // A list of specs, then the gates the Upstream PR group holds.
    const bucket = this.buckets.get(listKey);
    const nodes: LiveNode[] = (bucket?.ids.slice(limit) ?? []).map((id) => this.nested(this.placed.get(id)!));
    const gates = this.gatesOf(listKey);
    for (const key of gates.slice(limit - nodes.length)) nodes.push(this.gateOf(listKey, key));
    return { nodes, total: (bucket?.ids.size ?? 0) + gates.size };
  }

  private phaseGroups(): LiveGroup[] {
    return this.phaseNames.map((phase) => this.nestedGroup(`phase/${phase}`)).filter((g): g is LiveGroup => g !== undefined);
  }

  /** `investigation/issue-1234`: an investigation's group, whose rows are its phases. */
  private isInvestigationGroup(key: string): boolean {
    return this.mode === 'investigation' && key.startsWith('investigation/') && key !== 'investigation/' && !key.includes('/phase/');
  }

  private investigationPhases(groupKey: string): LiveGroup[] {
    if (!this.investigations.has(groupKey.slice('investigation/'.length))) return [];
    return this.phaseNames
      .map((phase) => this.nestedGroup(`${groupKey}/phase/${phase}`))
      .filter((g): g is LiveGroup => g !== undefined);
  }

  /** The investigations whose gates end a list (after its specs): the Upstream PR group's. */
  private gatesOf(listKey: string): GateList {
    if (this.gatePhase === undefined) return NO_GATES;
    if (this.mode === 'phase') return listKey === `phase/${this.gatePhase}` ? this.investigations : NO_GATES;
    const at = listKey.indexOf('/phase/');
    if (at < 0 || listKey.slice(at + '/phase/'.length) !== this.gatePhase) return NO_GATES;
    const investigation = listKey.slice('investigation/'.length, at);
    return this.investigations.has(investigation) ? oneGate(investigation) : NO_GATES;
  }

  private nestedGroup(key: string): LiveGroup | undefined {
    const bucket = this.buckets.get(key);
    const trees = bucket?.ids.size ?? 0;
    const count = bucket?.count ?? 0;
    if (this.mode === 'phase') {
      const phase = key.slice('phase/'.length);
      if (!key.startsWith('phase/') || !this.phaseNames.includes(phase)) return undefined;
      const gates = this.gatesOf(key).size;
      if (trees + gates === 0) return undefined;
      return { kind: 'group', key, label: phase, groupKind: 'phase', value: phase, phase, count, expanded: true, size: trees + gates, gates };
    }
    if (key === 'investigation/') {
      if (trees === 0) return undefined;
      return { kind: 'group', key, label: l10n.t('No investigation'), groupKind: 'investigation', value: '', count, expanded: true, size: trees, gates: 0 };
    }
    if (this.isInvestigationGroup(key)) {
      const investigation = key.slice('investigation/'.length);
      if (!this.investigations.has(investigation)) return undefined;
      const size = this.investigationPhases(key).length;
      const total = this.invTop.get(investigation) ?? 0;
      return { kind: 'group', key, label: investigationLabel(investigation), groupKind: 'investigation', value: investigation, investigation, count: total, expanded: true, size, gates: 0 };
    }
    const at = key.indexOf('/phase/');
    if (!key.startsWith('investigation/') || at < 0) return undefined;
    const investigation = key.slice('investigation/'.length, at);
    const phase = key.slice(at + '/phase/'.length);
    if (!this.investigations.has(investigation) || !this.phaseNames.includes(phase)) return undefined;
    const gates = this.gatesOf(key).size;
    if (trees + gates === 0) return undefined;
    return { kind: 'group', key, label: phase, groupKind: 'phase', value: phase, phase, investigation, count, expanded: true, size: trees + gates, gates };
  }

  private attributeGroup(value: string): LiveGroup {
    const kind = this.mode as 'status' | 'type' | 'label';
    const key = `${kind}/${value}`;
    const size = this.buckets.get(key)?.ids.size ?? 0;
    const label = kind === 'status' ? (STATE_LABELS[value as DisplayState] ?? value) : kind === 'label' ? value || l10n.t('No labels') : value;
    // Label groups can be many; they start collapsed so the tree stays scannable.
    return { kind: 'group', key, label, groupKind: kind, value, count: size, expanded: kind !== 'label', size, gates: 0 };
  }

  private leaves(bucket: Bucket | undefined, listKey: string, limit: number): SpecModel[] {
    const duplicates = this.mode === 'label';
    return (bucket?.ids.slice(limit) ?? []).map((id) => leaf(id, duplicates ? `${id}@${listKey}` : id));
  }

  /** A spec with its members below it, those whose subtree passes the filter. */
  private nested(rec: Placed): SpecModel {
    return {
      kind: 'spec',
      key: rec.spec.id,
      id: rec.spec.id,
      matches: rec.matched,
      children: rec.children.filter((child) => child.subtree > 0).map((child) => this.nested(child)),
    };
  }

  private gateRow(listKey: string, investigation: string): GateModel | undefined {
    return this.gatesOf(listKey).has(investigation) ? this.gateOf(listKey, investigation) : undefined;
  }

  private gateOf(listKey: string, investigation: string): GateModel {
    const specs = [...(this.fixes.get(investigation) ?? [])].map((id) => this.placed.get(id)!.spec);
    return {
      kind: 'gate',
      key: `${listKey}/gate/${investigation}`,
      gate: upstreamGateOf(investigation, specs, (spec) => this.source.stateOf(spec), this.source.phases),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Changes

  private add(spec: Spec): void {
    const state = this.needsState ? this.source.stateOf(spec) : undefined;
    const matched = this.matches(spec, state);
    const rec: Placed = {
      spec,
      matched,
      state,
      investigation: investigationKeyOf(spec),
      fix: this.isFix(spec),
      children: [],
      subtree: matched ? 1 : 0,
      values: [],
    };
    this.placed.set(spec.id, rec);
    this.account(rec, 1);
    if (this.mode !== 'phase' && this.mode !== 'investigation') {
      rec.values = this.valuesOf(spec, state);
      if (matched) for (const value of rec.values) this.file(rec, value, 1);
      return;
    }
    // Members that were shown higher up (their nearest existing ancestor was above this spec).
    const id = spec.id;
    for (const other of this.below.get(id) ?? []) {
      const member = this.placed.get(other)!;
      if (member.parent && member.parent.spec.id.length > id.length) continue;
      this.detach(member);
      member.parent = rec;
      insertById(rec.children, member);
      rec.subtree += member.subtree;
      if (member.subtree > 0) this.joinedList(other, id);
    }
    for (let up = parentIdOf(id); up !== undefined; up = parentIdOf(up)) {
      let set = this.below.get(up);
      if (!set) this.below.set(up, (set = new Set()));
      set.add(id);
    }
    this.attach(rec);
  }

  private remove(rec: Placed): void {
    const id = rec.spec.id;
    this.placed.delete(id);
    this.account(rec, -1);
    if (this.mode !== 'phase' && this.mode !== 'investigation') {
      if (rec.matched) for (const value of rec.values) this.file(rec, value, -1);
      return;
    }
    this.detach(rec);
    for (let up = parentIdOf(id); up !== undefined; up = parentIdOf(up)) {
      const set = this.below.get(up);
      set?.delete(id);
      if (set?.size === 0) this.below.delete(up);
    }
    // Its members move up to the next existing ancestor, or to the top.
    for (const member of rec.children) {
      member.parent = undefined;
      if (member.subtree > 0) this.leftList(member.spec.id, id);
      this.attach(member);
    }
  }

  private update(rec: Placed, spec: Spec): void {
    const state = this.needsState ? this.source.stateOf(spec) : undefined;
    const matched = this.matches(spec, state);
    const investigation = investigationKeyOf(spec);
    const fix = this.isFix(spec);
    rec.spec = spec;
    rec.state = state;
    // Only what changed is counted again: taking a spec out and in would hide and show groups.
    if (investigation !== rec.investigation || fix !== rec.fix) {
      this.accountFix(rec.investigation, rec.fix, spec.id, -1);
      this.accountFix(investigation, fix, spec.id, 1);
    }
    const counted = rec.matched ? rec.investigation : undefined;
    const counts = matched ? investigation : undefined;
    if (counted !== counts) {
      this.accountInvestigation(counted, -1);
      this.accountInvestigation(counts, 1);
    }
    if (matched !== rec.matched) this.matchingValue += matched ? 1 : -1;
    rec.investigation = investigation;
    rec.fix = fix;
    if (this.mode !== 'phase' && this.mode !== 'investigation') {
      const values = this.valuesOf(spec, state);
      if (matched !== rec.matched || !sameList(values, rec.values)) {
        if (rec.matched) for (const value of rec.values) this.file(rec, value, -1);
        rec.matched = matched;
        rec.values = values;
        if (matched) for (const value of values) this.file(rec, value, 1);
      }
      return;
    }
    const list = rec.parent ? undefined : this.listOf(spec);
    const moves = list !== rec.list;
    if (moves) this.detach(rec);
    if (matched !== rec.matched) {
      rec.matched = matched;
      this.delta.changed.add(spec.id);
      if (moves) rec.subtree += matched ? 1 : -1;
      else this.addSubtree(rec, matched ? 1 : -1);
    }
    if (moves) this.attach(rec);
  }

  /** Puts a spec (with its subtree) under its nearest placed ancestor, or at the top of its group. */
  private attach(rec: Placed): void {
    const parentId = nearestParentId(rec.spec.id, (up) => this.placed.has(up));
    const parent = parentId === undefined ? undefined : this.placed.get(parentId);
    if (parent) {
      rec.parent = parent;
      rec.list = undefined;
      if (this.building) parent.children.push(rec);
      else insertById(parent.children, rec);
      if (rec.subtree > 0) this.joinedList(rec.spec.id, parent.spec.id);
      this.addSubtree(parent, rec.subtree);
      return;
    }
    rec.parent = undefined;
    rec.list = this.listOf(rec.spec);
    this.topLevel(rec, 0, rec.subtree);
  }

  /** Takes a spec (with its subtree) out of its parent's rows or its group. */
  private detach(rec: Placed): void {
    const parent = rec.parent;
    if (parent) {
      parent.children.splice(parent.children.indexOf(rec), 1);
      rec.parent = undefined;
      if (rec.subtree > 0) this.leftList(rec.spec.id, parent.spec.id);
      this.addSubtree(parent, -rec.subtree);
    } else if (rec.list !== undefined) {
      this.topLevel(rec, rec.subtree, 0);
      rec.list = undefined;
    }
  }

  /** Adds `delta` to the subtree counts from `rec` up to its top-level ancestor and that one's group. */
  private addSubtree(rec: Placed, delta: number): void {
    if (delta === 0) return;
    for (let node: Placed = rec; ; ) {
      const before = node.subtree;
      node.subtree += delta;
      const parent = node.parent;
      if (!parent) {
        if (node.list !== undefined) this.topLevel(node, before, node.subtree);
        return;
      }
      if (before > 0 !== node.subtree > 0) {
        if (node.subtree > 0) this.joinedList(node.spec.id, parent.spec.id);
        else this.leftList(node.spec.id, parent.spec.id);
      }
      node = parent;
    }
  }

  /** A top-level spec's subtree count went from `before` to `after`: its group follows. */
  private topLevel(rec: Placed, before: number, after: number): void {
    if (before === after) return;
    const key = rec.list!;
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = { ids: new SortedList(compareSpecIds), count: 0 }));
    bucket.count += after - before;
    this.delta.changed.add(key);
    if (before === 0) {
      if (this.building) bucket.ids.append(rec.spec.id);
      else bucket.ids.insert(rec.spec.id);
      this.joinedList(rec.spec.id, key);
    } else if (after === 0) {
      bucket.ids.delete(rec.spec.id);
      this.leftList(rec.spec.id, key);
    }
    if (before === 0 || after === 0) this.groupsMayChange(key, bucket.ids.size === (after === 0 ? 0 : 1));
    if (this.mode === 'investigation' && key !== 'investigation/') {
      const investigation = key.slice('investigation/'.length, key.indexOf('/phase/'));
      this.invTop.set(investigation, (this.invTop.get(investigation) ?? 0) + after - before);
      this.delta.changed.add(`investigation/${investigation}`);
      this.investigationMayShow(investigation);
    }
  }

  /**
   * A group's list gained its first row or lost its last (`flipped`): grouped by investigation the
   * list above it changes (the root's changes are found by comparing the root's keys, `apply`).
   */
  private groupsMayChange(key: string, flipped: boolean): void {
    if (!flipped || this.mode !== 'investigation') return;
    if (key === 'investigation/') this.delta.roots = true;
    else this.delta.changed.add(key.slice(0, key.indexOf('/phase/')));
  }

  /** Counts a spec in (1) or out (-1): the filter's total, its investigation's, the Fork Fix specs. */
  private account(rec: Placed, sign: 1 | -1): void {
    if (rec.matched) this.matchingValue += sign;
    this.accountFix(rec.investigation, rec.fix, rec.spec.id, sign);
    this.accountInvestigation(rec.matched ? rec.investigation : undefined, sign);
  }

  private accountFix(investigation: string | undefined, fix: boolean, id: string, sign: 1 | -1): void {
    if (investigation === undefined || !fix) return;
    let set = this.fixes.get(investigation);
    if (!set) this.fixes.set(investigation, (set = new Set()));
    if (sign > 0) set.add(id);
    else set.delete(id);
    if (set.size === 0) this.fixes.delete(investigation);
  }

  /** A spec that passes the filter counted in (1) or out (-1) of its investigation. */
  private accountInvestigation(investigation: string | undefined, sign: 1 | -1): void {
    if (investigation === undefined || (this.mode !== 'phase' && this.mode !== 'investigation')) return;
    const before = this.invMatched.get(investigation) ?? 0;
    const after = before + sign;
    if (after === 0) this.invMatched.delete(investigation);
    else this.invMatched.set(investigation, after);
    if (before > 0 !== after > 0) this.investigationMayShow(investigation);
  }

  /**
   * Grouped by phase, an investigation has a gate while one of its specs passes the filter; grouped
   * by investigation, it has a group while that holds and one of its top-level rows is shown.
   */
  private investigationMayShow(investigation: string): void {
    const matched = (this.invMatched.get(investigation) ?? 0) > 0;
    const shown = this.mode === 'phase' ? matched : matched && (this.invTop.get(investigation) ?? 0) > 0;
    if (shown === this.investigations.has(investigation)) return;
    if (shown) this.investigations.insert(investigation);
    else this.investigations.delete(investigation);
    if (this.mode === 'investigation') this.delta.roots = true;
    else if (this.gatePhase !== undefined) this.delta.changed.add(`phase/${this.gatePhase}`);
  }

  /** Files a spec under an attribute value (1) or takes it out (-1). */
  private file(rec: Placed, value: string, sign: 1 | -1): void {
    const key = this.mode === 'flat' ? '' : `${this.mode}/${value}`;
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = { ids: new SortedList(compareSpecIds), count: 0 }));
    const id = rec.spec.id;
    const rowKey = this.mode === 'label' ? `${id}@${key}` : id;
    if (sign > 0) {
      if (this.building) bucket.ids.append(id);
      else bucket.ids.insert(id);
      this.joinedList(rowKey, key);
    } else {
      bucket.ids.delete(id);
      this.leftList(rowKey, key);
    }
    bucket.count = bucket.ids.size;
    this.delta.changed.add(key);
    if (this.mode === 'flat') {
      this.delta.roots = true;
      return;
    }
    if (bucket.ids.size === (sign > 0 ? 1 : 0)) {
      if (sign > 0) this.values.insert(value);
      else this.values.delete(value);
      this.delta.roots = true;
    }
  }

  private leftList(rowKey: string, listKey: string): void {
    if (this.building) return;
    this.left.set(rowKey, listKey);
    this.delta.changed.add(listKey);
  }

  private joinedList(rowKey: string, listKey: string): void {
    if (this.building) return;
    this.joined.set(rowKey, listKey);
    this.delta.changed.add(listKey);
  }

  private takeDelta(): LiveTreeDelta {
    const delta = this.delta;
    for (const [key, list] of this.joined) {
      const from = this.left.get(key);
      if (from !== undefined && from !== list) delta.moved = true;
    }
    if (delta.changed.delete('')) delta.roots = true;
    this.delta = emptyDelta();
    this.left = new Map();
    this.joined = new Map();
    return delta;
  }

  // -------------------------------------------------------------------------------------------
  // Placement rules (the same as buildTreeModel's)

  private matches(spec: Spec, state: DisplayState | undefined): boolean {
    return !this.filtering || matchesFilter(spec, state ?? 'pending', this.filter);
  }

  private listOf(spec: Spec): string {
    if (this.mode === 'phase') return `phase/${phaseOf(spec, this.source.phases)}`;
    const investigation = investigationKeyOf(spec);
    return investigation === undefined ? 'investigation/' : `investigation/${investigation}/phase/${phaseOf(spec, this.source.phases)}`;
  }

  private valuesOf(spec: Spec, state: DisplayState | undefined): string[] {
    switch (this.mode) {
      case 'status':
        return [state!];
      case 'type':
        return [spec.type];
      case 'label': {
        const labels = uniqueLabels(spec);
        return labels.length > 0 ? labels : [''];
      }
      default:
        return [''];
    }
  }

  private isFix(spec: Spec): boolean {
    return this.fixPhase !== undefined && phaseOf(spec, this.source.phases) === this.fixPhase;
  }
}

function emptyDelta(): LiveTreeDelta {
  return { roots: false, moved: false, changed: new Set(), gates: new Set() };
}

function leaf(id: string, key: string): SpecModel {
  return { kind: 'spec', key, id, matches: true, children: [] };
}

/** Investigations in issue number order (grouping.ts's order), each key's number read once. */
function investigationOrder(): (a: string, b: string) => number {
  const numbers = new Map<string, number>();
  const numberOf = (key: string): number => {
    let n = numbers.get(key);
    if (n === undefined) numbers.set(key, (n = issueNumberOf(key) ?? 0));
    return n;
  };
  return (a, b) => (a === b ? 0 : numberOf(a) - numberOf(b) || a.localeCompare(b));
}

function insertById(list: Placed[], rec: Placed): void {
  if (list.length === 0 || compareSpecIds(list[list.length - 1].spec.id, rec.spec.id) < 0) {
    list.push(rec); // in id order, as the build adds them
    return;
  }
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareSpecIds(list[mid].spec.id, rec.spec.id) < 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, rec);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/**
 * A sorted set in chunks of at most CHUNK items: an insertion or a deletion moves at most a chunk's
 * items (a binary search finds the chunk), and the first rows are read without touching the rest.
 */
const CHUNK = 512;

class SortedList<T> {
  private chunks: T[][] = [];
  private sizeValue = 0;

  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.sizeValue;
  }

  /** Adds an item known to come after every item in the list (the build's ids, in order). */
  append(item: T): void {
    const last = this.chunks[this.chunks.length - 1];
    if (last && last.length < CHUNK) last.push(item);
    else this.chunks.push([item]);
    this.sizeValue++;
  }

  has(item: T): boolean {
    const chunk = this.chunks[this.chunkFor(item)];
    if (!chunk) return false;
    const at = this.position(chunk, item);
    return at < chunk.length && this.compare(chunk[at], item) === 0;
  }

  insert(item: T): void {
    if (this.chunks.length === 0) {
      this.chunks.push([item]);
      this.sizeValue = 1;
      return;
    }
    const last = this.chunks[this.chunks.length - 1];
    if (this.compare(last[last.length - 1], item) < 0) {
      // After everything (the build adds in order): the last chunk takes it, or a new one.
      if (last.length < CHUNK) last.push(item);
      else this.chunks.push([item]);
      this.sizeValue++;
      return;
    }
    const c = this.chunkFor(item);
    const chunk = this.chunks[c];
    const at = this.position(chunk, item);
    if (at < chunk.length && this.compare(chunk[at], item) === 0) return;
    chunk.splice(at, 0, item);
    this.sizeValue++;
    if (chunk.length > CHUNK * 2) this.chunks.splice(c, 1, chunk.slice(0, CHUNK), chunk.slice(CHUNK));
  }

  delete(item: T): void {
    const c = this.chunkFor(item);
    const chunk = this.chunks[c];
    if (!chunk) return;
    const at = this.position(chunk, item);
    if (at >= chunk.length || this.compare(chunk[at], item) !== 0) return;
    chunk.splice(at, 1);
    this.sizeValue--;
    if (chunk.length === 0) this.chunks.splice(c, 1);
  }

  indexOf(item: T): number {
    let before = 0;
    const c = this.chunkFor(item);
    for (let i = 0; i < c; i++) before += this.chunks[i].length;
    const chunk = this.chunks[c];
    if (!chunk) return -1;
    const at = this.position(chunk, item);
    return at < chunk.length && this.compare(chunk[at], item) === 0 ? before + at : -1;
  }

  /** The first `limit` items. */
  slice(limit: number): T[] {
    const out: T[] = [];
    for (const chunk of this.chunks) {
      if (out.length >= limit) break;
      for (const item of chunk) {
        if (out.length >= limit) break;
        out.push(item);
      }
    }
    return out;
  }

  [Symbol.iterator](): Iterator<T> {
    return this.slice(Number.POSITIVE_INFINITY)[Symbol.iterator]();
  }

  /** The first chunk whose last item is not below `item` (chunks.length when every item is). */
  private chunkFor(item: T): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid];
      if (this.compare(chunk[chunk.length - 1], item) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private position(chunk: readonly T[], item: T): number {
    let lo = 0;
    let hi = chunk.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(chunk[mid], item) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
