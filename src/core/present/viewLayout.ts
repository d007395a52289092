// Which layout a graph view gets: investigations and chains read as phase columns sized to the panel
// (chainLayout);
// the whole project and one phase pack their unconnected parts in a grid, each part layered left
// to right (packComponents). Shared by the graph webview, the benchmark and the tests, so what is
// measured is what is drawn.
import { chainLayout } from './chainLayout';
import { nodeSize, packComponents, type Layout } from './graphLayout';
import type { GraphViewScope } from './graphModel';
import type { GraphEdge, GraphNode } from './specGraph';

export function layoutGraphView(
  nodes: readonly Pick<GraphNode, 'id' | 'kind' | 'label' | 'phase' | 'path'>[],
  edges: readonly GraphEdge[],
  scope: GraphViewScope['kind'],
  phaseOrder: readonly string[],
  /** The panel's width in px: a chain's columns share it (chainLayout). */
  panelWidth?: number,
): Layout {
  if (scope === 'investigation' || scope === 'around') return chainLayout(nodes, edges, phaseOrder, { width: panelWidth });
  const sized = nodes.map((node) => ({ ...node, ...nodeSize(node.label, node.kind) }));
  return packComponents(
    sized.map(({ id, width, height }) => ({ id, width, height })),
    edges.map((edge) => ({ from: edge.from, to: edge.to, weight: edge.kind === 'depends_on' || edge.kind === 'member' ? 2 : 1 })),
  );
}
