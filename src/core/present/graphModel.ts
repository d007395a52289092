// What the graph panel shows: the core graph (buildSpecGraph) for a scope, with what a node's
// tooltip needs (title, status, why it is blocked) and the scopes a user can pick. Plain data that
// goes to the webview as is: no `vscode` here, and nothing in it is markup.
import { hasDriftInputs } from '../project/drift';
import { buildSpecGraph, type GraphEdge, type GraphNode, type SpecGraph } from './specGraph';
import { compareSpecIds } from '../spec/ids';
import { investigationKeyOf, orderedPhaseNames, phaseOf, type PhaseDefinition } from '../workflow/phases';
import type { Readiness } from '../project/readiness';
import type { SpecMap } from '../spec/types';
import type { Spec } from '../spec/types';

/** Scopes of the graph panel: the core's three plus one phase. */
export type GraphViewScope =
  | { kind: 'all' }
  | { kind: 'investigation'; key: string }
  | { kind: 'around'; id: string }
  | { kind: 'phase'; name: string };

export interface GraphViewNode extends GraphNode {
  /** Reasons the spec is not ready (readiness blockers), for the tooltip. */
  blockedBy?: string[];
  /**
   * Files the spec tracks, came from or was informed by that changed after it was completed, as
   * lines to read (describeDrift). Only on drifted spec nodes.
   */
  drift?: string[];
}

export interface GraphView {
  nodes: GraphViewNode[];
  edges: GraphEdge[];
}

export interface GraphViewOptions {
  archived?: SpecMap;
  phases?: readonly PhaseDefinition[];
  projectRoot?: string;
  readiness?: (id: string) => Readiness | undefined;
  /** What is known of a spec's drift (a DriftCache); empty or undefined means not drifted. */
  drift?: (id: string) => readonly string[] | undefined;
}

export function buildGraphView(specs: SpecMap, scope: GraphViewScope, options: GraphViewOptions = {}): GraphView {
  const common = { archived: options.archived, phases: options.phases, projectRoot: options.projectRoot };
  let graph: SpecGraph;
  if (scope.kind === 'phase') {
    graph = phaseSubgraph(buildSpecGraph(specs, { ...common, scope: { kind: 'all' } }), scope.name);
  } else {
    graph = buildSpecGraph(specs, { ...common, scope });
  }
  const nodes = graph.nodes.map((node): GraphViewNode => {
    if (node.kind !== 'spec' || node.specId === undefined) return node;
    const readiness = options.readiness?.(node.specId);
    const drift = options.drift?.(node.specId);
    const blocked = readiness !== undefined && readiness.blockers.length > 0;
    const drifted = drift !== undefined && drift.length > 0;
    if (!blocked && !drifted) return node;
    const out: GraphViewNode = { ...node };
    if (blocked) out.blockedBy = readiness.blockers.map((blocker) => blocker.message);
    if (drifted) out.drift = [...drift];
    return out;
  });
  return { nodes, edges: graph.edges };
}

/** The specs of a view's nodes that drift has something to check in (hasDriftInputs), in node order. */
export function driftCandidatesOf(nodes: readonly GraphNode[], specs: SpecMap): Spec[] {
  const out: Spec[] = [];
  for (const node of nodes) {
    if (node.kind !== 'spec' || node.specId === undefined) continue;
    const spec = specs.get(node.specId);
    if (spec && hasDriftInputs(spec)) out.push(spec);
  }
  return out;
}

/** Specs of one phase, with the documents and URLs they touch and the edges among those. */
function phaseSubgraph(graph: SpecGraph, phase: string): SpecGraph {
  const keep = new Set(graph.nodes.filter((node) => node.kind === 'spec' && node.phase === phase).map((node) => node.id));
  const kinds = new Map(graph.nodes.map((node) => [node.id, node.kind]));
  for (const edge of graph.edges) {
    if (keep.has(edge.from) && kinds.get(edge.to) !== 'spec') keep.add(edge.to);
    if (keep.has(edge.to) && kinds.get(edge.from) !== 'spec') keep.add(edge.from);
  }
  return {
    nodes: graph.nodes.filter((node) => keep.has(node.id)),
    edges: graph.edges.filter((edge) => keep.has(edge.from) && keep.has(edge.to)),
  };
}

export interface ScopeChoices {
  investigations: string[];
  phases: string[];
}

/** Investigations (issue labels) and phases that have at least one active spec. */
export function scopeChoices(specs: SpecMap, phases: readonly PhaseDefinition[]): ScopeChoices {
  const investigations = new Set<string>();
  const used = new Set<string>();
  for (const spec of specs.values()) {
    const key = investigationKeyOf(spec);
    if (key) investigations.add(key);
    used.add(phaseOf(spec, phases));
  }
  return {
    investigations: [...investigations].sort((a, b) => compareSpecIds(a, b)),
    phases: orderedPhaseNames(phases).filter((name) => used.has(name)),
  };
}

/** The scope a graph opened from a spec starts with: the chain upstream and downstream of it. */
export function defaultScopeFor(specId: string | undefined): GraphViewScope {
  return specId ? { kind: 'around', id: specId } : { kind: 'all' };
}
