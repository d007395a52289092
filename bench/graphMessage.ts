// The graph panel's `graph` message for a bench project, built by the extension's own core the way
// GraphPanel.graphMessage (src/webviews/host/graphPanel.ts) builds it, and the cut of a
// whole-project graph to its first N nodes that every graph measurement uses.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { buildGraphView, scopeChoices, type GraphViewScope } from '../src/core/present/graphModel';
import { DEFAULT_PHASES, orderedPhaseNames } from '../src/core/workflow/phases';
import type { SpecIndex } from '../src/core/project/specIndex';
import type { GraphHostMessage } from '../src/webviews/protocol';

export type GraphMessage = Extract<GraphHostMessage, { type: 'graph' }>;

/**
 * The first `limit` nodes of a graph (specs in id order, then what they reference, as the core
 * orders them) and the edges between them; the graph itself when it is smaller.
 */
export function firstNodes<G extends { nodes: readonly { id: string }[]; edges: readonly { from: string; to: string }[] }>(graph: G, limit: number): G {
  if (graph.nodes.length <= limit) return graph;
  const kept = new Set(graph.nodes.slice(0, limit).map((n) => n.id));
  return { ...graph, nodes: graph.nodes.filter((n) => kept.has(n.id)), edges: graph.edges.filter((e) => kept.has(e.from) && kept.has(e.to)) };
}

/** What the panel posts for `scope`, optionally cut to its first `limit` nodes. */
export function graphMessageFor(index: SpecIndex, scope: GraphViewScope, limit = Infinity): GraphMessage {
  const root = index.paths.root;
  const view = firstNodes(
    buildGraphView(index.specs, scope, {
      archived: index.archived,
      phases: DEFAULT_PHASES,
      projectRoot: root,
      readiness: (id) => index.readiness(id),
    }),
    limit,
  );
  // As the panel does: documents that do not exist are drawn as missing.
  for (const node of view.nodes) {
    if (node.kind === 'document' && node.path !== undefined && !/[*?[]/.test(node.path)) {
      (node as { missing?: boolean }).missing = !existsSync(path.resolve(root, node.path));
    }
  }
  return {
    type: 'graph',
    root,
    scope,
    choices: scopeChoices(index.specs, DEFAULT_PHASES),
    nodes: view.nodes,
    edges: view.edges,
    keepViewport: false,
    phaseOrder: orderedPhaseNames(DEFAULT_PHASES),
  };
}
