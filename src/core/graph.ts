// Dependency cycles and the investigation graph.
//
// chant never checks `depends_on` for cycles when it loads specs; a spec on a cycle just stays
// blocked forever (CHANT-FORMAT §4.5). So the editor finds them itself, iteratively, because a
// project can hold tens of thousands of specs and a long chain must not overflow the stack.
//
// The graph model shows how knowledge flows through an investigation (§12): research specs write
// documents (`target_files`) that later specs read (`informed_by`). Every edge points the way the
// work flows, so it reads left to right: input → spec → output, dependency → dependent,
// driver → member.
import * as path from 'node:path';
import { compareSpecIds, parentIdOf } from './ids';
import { DEFAULT_PHASES, investigationKeyOf, investigationLabelFromIssue, phaseOf, type PhaseDefinition } from './phases';
import { effectiveStatus, type SpecMap } from './readiness';
import type { Spec } from './types';

// ---------------------------------------------------------------------------------------------
// Cycles

/** `depends_on` targets that exist in `specs`, without repeats, in the order written. */
function edgesOf(specs: SpecMap, id: string, override?: { id: string; dependsOn: readonly string[] }): string[] {
  const deps = override && override.id === id ? override.dependsOn : (specs.get(id)?.dependsOn ?? []);
  const out: string[] = [];
  for (const dep of deps) {
    if ((specs.has(dep) || dep === override?.id) && !out.includes(dep)) out.push(dep);
  }
  return out;
}

/** Rotates a cycle `[a, b, c, a]` to start at its smallest id, so each cycle has one spelling. */
function canonicalCycle(cycle: readonly string[]): string[] {
  const ring = cycle.slice(0, -1);
  let start = 0;
  for (let i = 1; i < ring.length; i++) if (compareSpecIds(ring[i], ring[start]) < 0) start = i;
  const rotated = [...ring.slice(start), ...ring.slice(0, start)];
  return [...rotated, rotated[0]];
}

function compareCycles(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareSpecIds(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/**
 * Cycles over `depends_on` among the given specs, each once, as paths that follow `depends_on`
 * (`[a, b, a]`: a depends on b, b on a — chant's "a -> b -> a"). Each cycle starts at its smallest
 * id and the list is sorted, so the result does not depend on map order. A self-dependency is
 * `[a, a]`. Every spec that lies on some cycle appears in at least one of them; when many cycles
 * share specs, not every combination is listed (there can be exponentially many).
 */
export function findDependencyCycles(specs: SpecMap): string[][] {
  // Almost every project has no cycle at all. Whether there is one does not depend on the order of
  // the search, so answer that first without sorting 10,000 ids; the sorted search below, whose
  // order decides which cycles are listed when many share specs, runs only when there is one.
  if (!hasDependencyCycle(specs)) return [];
  const ids = [...specs.keys()].sort(compareSpecIds);
  const found = new Map<string, string[]>();
  const covered = new Set<string>();
  const record = (cycle: string[]): void => {
    const canonical = canonicalCycle(cycle);
    const key = canonical.join('\u0000');
    if (found.has(key)) return;
    found.set(key, canonical);
    for (const id of canonical) covered.add(id);
  };

  // Depth-first search with an explicit stack; an edge back to a spec on the current path closes a cycle.
  const state = new Map<string, 1 | 2>(); // 1: on the current path, 2: finished
  const position = new Map<string, number>();
  const pathIds: string[] = [];
  for (const root of ids) {
    if (state.has(root)) continue;
    const stack: Array<{ id: string; deps: string[]; next: number }> = [];
    const enter = (id: string): void => {
      state.set(id, 1);
      position.set(id, pathIds.length);
      pathIds.push(id);
      stack.push({ id, deps: edgesOf(specs, id), next: 0 });
    };
    enter(root);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (frame.next < frame.deps.length) {
        const dep = frame.deps[frame.next++];
        const seen = state.get(dep);
        if (seen === undefined) enter(dep);
        else if (seen === 1) record([...pathIds.slice(position.get(dep)!), dep]);
      } else {
        stack.pop();
        pathIds.pop();
        position.delete(frame.id);
        state.set(frame.id, 2);
      }
    }
  }

  // No back edge means no cycle at all. Otherwise the search above can miss a spec that is on a
  // cycle only through an already finished spec; find one cycle through each such spec, inside
  // its strongly connected component.
  if (found.size === 0) return [];
  for (const component of stronglyConnectedComponents(specs, ids)) {
    const onCycle = component.length > 1 || edgesOf(specs, component[0]).includes(component[0]);
    if (!onCycle) continue;
    const members = new Set(component);
    for (const id of component) {
      if (covered.has(id)) continue;
      const cycle = shortestCycleThrough(id, specs, members);
      if (cycle) record(cycle);
    }
  }

  return [...found.values()].sort(compareCycles);
}

/**
 * Whether any `depends_on` cycle exists: a depth-first search in map order with an explicit stack,
 * reading `dependsOn` in place (no edge lists) and stepping over the specs that depend on nothing.
 */
function hasDependencyCycle(specs: SpecMap): boolean {
  const state = new Map<string, 1 | 2>(); // 1: on the current path, 2: finished
  const stackIds: string[] = [];
  const stackDeps: (readonly string[])[] = [];
  const stackNext: number[] = [];
  for (const [root, spec] of specs) {
    if (spec.dependsOn.length === 0 || state.has(root)) continue;
    state.set(root, 1);
    stackIds.push(root);
    stackDeps.push(spec.dependsOn);
    stackNext.push(0);
    while (stackIds.length > 0) {
      const top = stackIds.length - 1;
      const deps = stackDeps[top];
      if (stackNext[top] < deps.length) {
        const dep = deps[stackNext[top]++];
        const target = specs.get(dep);
        if (!target) continue;
        const seen = state.get(dep);
        if (seen === 1) return true;
        if (seen === undefined) {
          state.set(dep, 1);
          stackIds.push(dep);
          stackDeps.push(target.dependsOn);
          stackNext.push(0);
        }
      } else {
        state.set(stackIds.pop()!, 2);
        stackDeps.pop();
        stackNext.pop();
      }
    }
  }
  return false;
}

/** Ids of every spec that lies on a `depends_on` cycle. */
export function specsOnCycles(specs: SpecMap): Set<string> {
  const result = new Set<string>();
  for (const component of stronglyConnectedComponents(specs, [...specs.keys()].sort(compareSpecIds))) {
    if (component.length > 1 || edgesOf(specs, component[0]).includes(component[0])) {
      for (const id of component) result.add(id);
    }
  }
  return result;
}

/** A shortest cycle through `id` as a `depends_on` path `[id, …, id]`, or undefined. */
export function cycleThrough(id: string, specs: SpecMap): string[] | undefined {
  if (!specs.has(id)) return undefined;
  return shortestCycleThrough(id, specs);
}

/**
 * The cycle that setting `specId`'s `depends_on` to `newDependsOn` would close, as a path
 * `[specId, …, specId]`, or undefined. Only cycles through `specId` count: an existing cycle
 * elsewhere is not created by this edit. `specId` need not exist yet (a spec being written).
 */
export function wouldCreateCycle(specId: string, newDependsOn: readonly string[], specs: SpecMap): string[] | undefined {
  return shortestCycleThrough(specId, specs, undefined, { id: specId, dependsOn: newDependsOn });
}

/** Breadth-first search from `start` along `depends_on` back to `start`. */
function shortestCycleThrough(
  start: string,
  specs: SpecMap,
  within?: ReadonlySet<string>,
  override?: { id: string; dependsOn: readonly string[] },
): string[] | undefined {
  const parent = new Map<string, string>();
  const queue: string[] = [start];
  for (let head = 0; head < queue.length; head++) {
    const current = queue[head];
    for (const dep of edgesOf(specs, current, override)) {
      if (within && !within.has(dep)) continue;
      if (dep === start) {
        const back: string[] = [current];
        for (let at = current; at !== start; ) {
          at = parent.get(at)!;
          back.push(at);
        }
        return [...back.reverse(), start];
      }
      if (!parent.has(dep)) {
        parent.set(dep, current);
        queue.push(dep);
      }
    }
  }
  return undefined;
}

/** Tarjan's algorithm without recursion; components come out in discovery order of `ids`. */
function stronglyConnectedComponents(specs: SpecMap, ids: readonly string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const sccStack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of ids) {
    if (index.has(root)) continue;
    const work: Array<{ id: string; deps: string[]; next: number }> = [];
    const visit = (id: string): void => {
      index.set(id, counter);
      low.set(id, counter);
      counter++;
      sccStack.push(id);
      onStack.add(id);
      work.push({ id, deps: edgesOf(specs, id), next: 0 });
    };
    visit(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.next < frame.deps.length) {
        const dep = frame.deps[frame.next++];
        if (!index.has(dep)) visit(dep);
        else if (onStack.has(dep)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(dep)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parentFrame = work[work.length - 1];
        low.set(parentFrame.id, Math.min(low.get(parentFrame.id)!, low.get(frame.id)!));
      }
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string;
        do {
          member = sccStack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        components.push(component.sort(compareSpecIds));
      }
    }
  }
  return components;
}

// ---------------------------------------------------------------------------------------------
// The investigation graph

export type GraphNodeKind = 'spec' | 'document' | 'url';
export type GraphEdgeKind = 'informed_by' | 'depends_on' | 'target_files' | 'member';

export interface GraphNode {
  /** Unique and stable: `spec:<id>`, `doc:<relative path>`, `url:<url>`. */
  id: string;
  kind: GraphNodeKind;
  label: string;
  specId?: string;
  /** Documents: the path relative to the project root, `/`-separated (a glob stays a glob). */
  path?: string;
  url?: string;
  /** Specs: the effective status (active specs) or the status as written (archived ones). */
  status?: string;
  type?: string;
  phase?: string;
  /** Specs: the investigation key (`issue-1234`) from the spec's labels. */
  investigation?: string;
  /** Specs: found in the archive rather than among active specs. */
  archived?: boolean;
  /** Specs: referenced but found neither active nor archived (e.g. a short id in depends_on). */
  missing?: boolean;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: GraphEdgeKind;
}

export interface SpecGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export type GraphScope = { kind: 'all' } | { kind: 'investigation'; key: string } | { kind: 'around'; id: string };

export interface SpecGraphOptions {
  /** Archived specs by id: they resolve references and, for an investigation, belong to it. */
  archived?: SpecMap;
  /** `all` (default): every active spec. `investigation`: the specs labelled with that issue.
   *  `around`: the chain upstream and downstream of one spec. */
  scope?: GraphScope;
  /** Phases for the node's `phase` (default `DEFAULT_PHASES`). */
  phases?: readonly PhaseDefinition[];
  /** Absolute project root, so that absolute paths inside it become relative document ids. */
  projectRoot?: string;
}

const URL_PATTERN = /^https?:\/\//i;
const ACTIVE_SPEC_PATH = /^\.chant\/specs\/(?:.*\/)?([^/]+)\.md$/;
const ARCHIVED_SPEC_PATH = /^\.chant\/archive\/(?:.*\/)?([^/]+)\.md$/;

/** Node id of a spec. */
export function specNodeId(id: string): string {
  return `spec:${id}`;
}

/** Node id of a document path (normalized first). */
export function documentNodeId(file: string, projectRoot?: string): string {
  return `doc:${normalizeDocumentPath(file, projectRoot)}`;
}

/** Node id of a URL. */
export function urlNodeId(url: string): string {
  return `url:${url.trim()}`;
}

/**
 * A path as written in frontmatter, reduced to one spelling: `/` separators, no `./`, `a/../b`
 * collapsed, no trailing `/`. Absolute paths inside `projectRoot` become relative to it.
 */
export function normalizeDocumentPath(file: string, projectRoot?: string): string {
  let p = file.trim().replace(/\\/g, '/');
  if (projectRoot && path.isAbsolute(file.trim())) {
    const rel = path.relative(projectRoot, file.trim());
    if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) p = rel.replace(/\\/g, '/');
  }
  p = path.posix.normalize(p);
  if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p === '.' ? '' : p;
}

type Reference = { kind: 'url'; url: string } | { kind: 'spec'; id: string } | { kind: 'document'; path: string };

/** What an `informed_by` or `target_files` entry points at. */
export function classifyReference(entry: string, projectRoot?: string): Reference {
  const trimmed = entry.trim();
  if (URL_PATTERN.test(trimmed)) return { kind: 'url', url: trimmed };
  const normalized = normalizeDocumentPath(trimmed, projectRoot);
  const spec = ACTIVE_SPEC_PATH.exec(normalized) ?? ARCHIVED_SPEC_PATH.exec(normalized);
  if (spec) return { kind: 'spec', id: spec[1] };
  return { kind: 'document', path: normalized };
}

/**
 * Builds the nodes and edges for a scope. Edges: `informed_by` input → spec (the input is a URL, a
 * document or, for `.chant/specs/<id>.md`, that spec), `target_files` spec → document,
 * `depends_on` dependency → dependent, `member` driver → member (the nearest existing parent).
 * Node and edge order is deterministic: specs in `compareSpecIds` order, their references in the
 * order written.
 */
export function buildSpecGraph(specs: SpecMap, options: SpecGraphOptions = {}): SpecGraph {
  const archived = options.archived ?? new Map<string, Spec>();
  const phases = options.phases ?? DEFAULT_PHASES;
  const scope = options.scope ?? { kind: 'all' };
  const lookup = (id: string): Spec | undefined => specs.get(id) ?? archived.get(id);

  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();

  const specNode = (id: string): string => {
    const nodeId = specNodeId(id);
    if (nodes.has(nodeId)) return nodeId;
    const spec = lookup(id);
    if (!spec) {
      nodes.set(nodeId, { id: nodeId, kind: 'spec', label: id, specId: id, missing: true });
      return nodeId;
    }
    const isArchived = !specs.has(id);
    const node: GraphNode = {
      id: nodeId,
      kind: 'spec',
      label: spec.title ?? id,
      specId: id,
      status: isArchived ? spec.status : effectiveStatus(spec, specs),
      type: spec.type,
      phase: phaseOf(spec, phases),
    };
    const investigation = investigationKeyOf(spec);
    if (investigation !== undefined) node.investigation = investigation;
    if (isArchived) node.archived = true;
    nodes.set(nodeId, node);
    return nodeId;
  };

  const referenceNode = (entry: string): string => {
    const ref = classifyReference(entry, options.projectRoot);
    if (ref.kind === 'spec') return specNode(ref.id);
    if (ref.kind === 'url') {
      const nodeId = urlNodeId(ref.url);
      if (!nodes.has(nodeId)) nodes.set(nodeId, { id: nodeId, kind: 'url', label: urlLabel(ref.url), url: ref.url });
      return nodeId;
    }
    const nodeId = `doc:${ref.path}`;
    if (!nodes.has(nodeId)) {
      nodes.set(nodeId, { id: nodeId, kind: 'document', label: path.posix.basename(ref.path) || ref.path, path: ref.path });
    }
    return nodeId;
  };

  const addEdge = (from: string, to: string, kind: GraphEdgeKind): void => {
    const key = `${from}\u0000${to}\u0000${kind}`;
    if (!edges.has(key)) edges.set(key, { from, to, kind });
  };

  // The nearest existing spec above a member: `X.2` for `X.2.1`, or `X` when `X.2` is gone.
  const parentOf = (id: string): string | undefined => {
    for (let p = parentIdOf(id); p !== undefined; p = parentIdOf(p)) if (lookup(p)) return p;
    return undefined;
  };

  const addSpec = (spec: Spec): void => {
    const self = specNode(spec.id);
    for (const entry of spec.informedBy) addEdge(referenceNode(entry), self, 'informed_by');
    for (const entry of spec.targetFiles) addEdge(self, referenceNode(entry), 'target_files');
    for (const dep of spec.dependsOn) addEdge(specNode(dep), self, 'depends_on');
    const parent = parentOf(spec.id);
    if (parent !== undefined) addEdge(specNode(parent), self, 'member');
  };

  const sortedSpecs = (map: SpecMap): Spec[] => [...map.values()].sort((a, b) => compareSpecIds(a.id, b.id));
  const everything = (): Spec[] => {
    const all = sortedSpecs(specs);
    for (const spec of sortedSpecs(archived)) if (!specs.has(spec.id)) all.push(spec);
    return all.sort((a, b) => compareSpecIds(a.id, b.id));
  };

  if (scope.kind === 'all') {
    for (const spec of sortedSpecs(specs)) addSpec(spec);
    return finish(nodes, edges);
  }

  if (scope.kind === 'investigation') {
    const key = investigationLabelFromIssue(scope.key) ?? scope.key;
    const seeds = everything().filter((spec) => investigationKeyOf(spec) === key);
    const seedIds = new Set(seeds.map((spec) => spec.id));
    for (const spec of seeds) addSpec(spec);
    // Members of a driver in the investigation belong to it even without the label.
    for (const spec of everything()) {
      if (seedIds.has(spec.id)) continue;
      const parent = parentOf(spec.id);
      if (parent !== undefined && seedIds.has(parent)) addEdge(specNode(parent), specNode(spec.id), 'member');
    }
    return finish(nodes, edges);
  }

  // around: the whole graph, then what flows into the spec and what flows out of it.
  for (const spec of everything()) addSpec(spec);
  const root = specNodeId(scope.id);
  if (!nodes.has(root)) {
    if (!lookup(scope.id)) return { nodes: [], edges: [] };
    specNode(scope.id);
  }
  const forward = new Map<string, string[]>();
  const backward = new Map<string, string[]>();
  for (const edge of edges.values()) {
    push(forward, edge.from, edge.to);
    push(backward, edge.to, edge.from);
  }
  const keep = new Set<string>([root]);
  for (const adjacency of [forward, backward]) {
    const queue = [root];
    const seen = new Set<string>([root]);
    for (let head = 0; head < queue.length; head++) {
      for (const next of adjacency.get(queue[head]) ?? []) {
        if (seen.has(next)) continue;
        seen.add(next);
        keep.add(next);
        queue.push(next);
      }
    }
  }
  // Show every direct input and output of the specs in the chain, without following them further.
  for (const nodeId of [...keep]) {
    if (nodes.get(nodeId)?.kind !== 'spec') continue;
    for (const next of [...(forward.get(nodeId) ?? []), ...(backward.get(nodeId) ?? [])]) {
      if (nodes.get(next)?.kind !== 'spec') keep.add(next);
    }
  }
  const keptNodes = new Map([...nodes].filter(([id]) => keep.has(id)));
  const keptEdges = new Map([...edges].filter(([, e]) => keep.has(e.from) && keep.has(e.to)));
  return finish(keptNodes, keptEdges);
}

function finish(nodes: Map<string, GraphNode>, edges: Map<string, GraphEdge>): SpecGraph {
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** `github.com/o/r/issues/1234` → `o/r#1234`; other URLs without their scheme. */
function urlLabel(url: string): string {
  const issue = /^https?:\/\/github\.com\/([^/]+\/[^/]+)\/(?:issues|pull)\/(\d+)\/?(?:[?#].*)?$/i.exec(url);
  if (issue) return `${issue[1]}#${issue[2]}`;
  return url.replace(URL_PATTERN, '').replace(/\/$/, '');
}
