// The investigation graph. It shows how knowledge flows through an investigation (§12): research
// specs write documents (`target_files`) that later specs read (`informed_by`). Every edge points the
// way the work flows, so it reads left to right: input → spec → output, dependency → dependent,
// driver → member.
import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import { relativeBelow } from '../project/insideFolder';
import { compareSpecIds, nearestParentId, parentIdOf } from '../spec/ids';
import { DEFAULT_PHASES, investigationKeyOf, investigationLabelFromIssue, phaseOf, type PhaseDefinition } from '../workflow/phases';
import { effectiveStatus } from '../project/readiness';
import type { Spec, SpecMap } from '../spec/types';

export type GraphNodeKind = 'spec' | 'document' | 'url' | 'gate';
/** `gate`: the last specs of an investigation → its Upstream PR gate (a human step, not a spec). */
export type GraphEdgeKind = 'informed_by' | 'depends_on' | 'target_files' | 'member' | 'gate';

export interface GraphNode {
  /** Unique and stable: `spec:<id>`, `doc:<relative path>`, `url:<url>`, `gate:<investigation>`. */
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
  /** Specs: the investigation key (`issue-1234`) from the spec's labels; gates: theirs. */
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
    const rel = relativeBelow(projectRoot, file.trim());
    if (rel !== undefined) p = rel.replace(/\\/g, '/');
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

  const parentOf = (id: string): string | undefined => nearestParentId(id, (up) => lookup(up) !== undefined);

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
    const all = [...specs.values()];
    for (const spec of archived.values()) if (!specs.has(spec.id)) all.push(spec);
    return all.sort((a, b) => compareSpecIds(a.id, b.id));
  };

  if (scope.kind === 'all') {
    for (const spec of sortedSpecs(specs)) addSpec(spec);
    return finish(nodes, edges);
  }

  if (scope.kind === 'investigation') {
    const key = investigationLabelFromIssue(scope.key) ?? scope.key;
    // One pass over every spec picks the investigation's and the members of drivers that may be in
    // it; only those few are sorted (sorting the whole project twice was most of the build).
    const seeds: Spec[] = [];
    const members: Spec[] = [];
    const pick = (spec: Spec): void => {
      if (investigationKeyOf(spec) === key) seeds.push(spec);
      else if (parentIdOf(spec.id) !== undefined) members.push(spec);
    };
    for (const spec of specs.values()) pick(spec);
    for (const spec of archived.values()) if (!specs.has(spec.id)) pick(spec);
    seeds.sort((a, b) => compareSpecIds(a.id, b.id));
    const seedIds = new Set(seeds.map((spec) => spec.id));
    for (const spec of seeds) addSpec(spec);
    // Members of a driver in the investigation belong to it even without the label.
    const joined = members.filter((spec) => {
      const parent = parentOf(spec.id);
      return parent !== undefined && seedIds.has(parent);
    });
    for (const spec of joined.sort((a, b) => compareSpecIds(a.id, b.id))) addEdge(specNode(parentOf(spec.id)!), specNode(spec.id), 'member');
    if (seeds.length > 0) addGate(nodes, edges, key);
    return finish(nodes, edges);
  }

  // around: the chain upstream and downstream of the spec. A spec reaches another through
  // depends_on, driver → member, informed_by a spec file, or a document one produces and the other
  // reads; a document link counts only between specs of the same investigation (or two specs of
  // none), so a fix that rewrites src/storage/store.rs does not pull in an unrelated docs driver
  // that also writes it.
  const all = everything();
  for (const spec of all) addSpec(spec);
  const root = specNodeId(scope.id);
  if (!nodes.has(root)) {
    if (!lookup(scope.id)) return { nodes: [], edges: [] };
    specNode(scope.id);
  }
  const producers = new Map<string, string[]>();
  const readers = new Map<string, string[]>();
  const forward = new Map<string, string[]>();
  const backward = new Map<string, string[]>();
  for (const edge of edges.values()) {
    const fromKind = nodes.get(edge.from)?.kind;
    const toKind = nodes.get(edge.to)?.kind;
    if (fromKind === 'spec' && toKind === 'spec') {
      push(forward, edge.from, edge.to);
      push(backward, edge.to, edge.from);
    } else if (edge.kind === 'target_files') push(producers, edge.to, edge.from);
    else if (edge.kind === 'informed_by' && toKind === 'spec') push(readers, edge.from, edge.to);
  }
  const investigationOf = (nodeId: string): string | undefined => nodes.get(nodeId)?.investigation;
  for (const [doc, made] of producers) {
    for (const producer of made) {
      for (const reader of readers.get(doc) ?? []) {
        if (producer === reader || investigationOf(producer) !== investigationOf(reader)) continue;
        push(forward, producer, reader);
        push(backward, reader, producer);
      }
    }
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
  // Every direct input and output of the chain's specs, without following them further.
  for (const edge of edges.values()) {
    if (keep.has(edge.from) && nodes.get(edge.from)?.kind === 'spec' && nodes.get(edge.to)?.kind !== 'spec') keep.add(edge.to);
    if (keep.has(edge.to) && nodes.get(edge.to)?.kind === 'spec' && nodes.get(edge.from)?.kind !== 'spec') keep.add(edge.from);
  }
  const keptNodes = new Map([...nodes].filter(([id]) => keep.has(id)));
  const keptEdges = new Map([...edges].filter(([, e]) => keep.has(e.from) && keep.has(e.to)));
  const key = nodes.get(root)?.investigation;
  if (key !== undefined) addGate(keptNodes, keptEdges, key);
  return finish(keptNodes, keptEdges);
}

/** Node id of an investigation's Upstream PR gate. */
export function gateNodeId(key: string): string {
  return `gate:${key}`;
}

/**
 * The Upstream PR gate of an investigation, after the investigation's last specs: those of its
 * specs that no other spec of it follows (through depends_on, informed_by, or a `.chant/` document
 * they write).
 */
function addGate(nodes: Map<string, GraphNode>, edges: Map<string, GraphEdge>, key: string): void {
  const members = new Set([...nodes.values()].filter((n) => n.kind === 'spec' && n.investigation === key && !n.missing).map((n) => n.id));
  if (members.size === 0) return;
  const producedBy = new Map<string, string[]>();
  for (const e of edges.values()) if (e.kind === 'target_files') push(producedBy, e.to, e.from);
  const followed = new Set<string>();
  for (const e of edges.values()) {
    if (!members.has(e.to)) continue;
    if (members.has(e.from) && e.from !== e.to) followed.add(e.from);
    // Through a research document only: code flows backwards too (a fix rewrites what research read).
    else if (e.kind === 'informed_by' && e.from.startsWith('doc:.chant/')) for (const p of producedBy.get(e.from) ?? []) if (members.has(p) && p !== e.to) followed.add(p);
  }
  const gate = gateNodeId(key);
  nodes.set(gate, { id: gate, kind: 'gate', label: l10n.t('Upstream PR'), investigation: key });
  for (const id of members) {
    if (followed.has(id)) continue;
    const edge: GraphEdge = { from: id, to: gate, kind: 'gate' };
    edges.set(`${id}\u0000${gate}\u0000gate`, edge);
  }
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
