// Layered left-to-right layout of the graph panel, with dagre. It runs inside the webview (bundled
// into the graph app) and in unit tests; it takes plain node sizes and returns positions, so it
// knows nothing of the DOM.
//
// Why dagre over elkjs: dagre is synchronous, ~60 kB minified with graphlib, and gives the
// Sugiyama-style layered drawing an investigation needs (Comprehension → … → Fork Fix). elkjs lays
// out a little better but is ~1.4 MB, wants a web worker to stay off the UI thread, and its async
// API would complicate live updates that keep the viewport.
import dagre from '@dagrejs/dagre';

export interface LayoutNodeInput {
  id: string;
  width: number;
  height: number;
}

export interface LayoutEdgeInput {
  from: string;
  to: string;
  /** Edges with a higher weight are kept shorter and straighter (dependencies over documents). */
  weight?: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface LayoutNode {
  id: string;
  /** Top-left corner. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LayoutEdge {
  /** Position of the edge in the input. */
  index: number;
  from: string;
  to: string;
  points: Point[];
}

export interface Layout {
  nodes: Map<string, LayoutNode>;
  edges: LayoutEdge[];
  width: number;
  height: number;
}

export interface LayoutOptions {
  rankSep?: number;
  nodeSep?: number;
  margin?: number;
}

export function layoutGraph(nodes: readonly LayoutNodeInput[], edges: readonly LayoutEdgeInput[], options: LayoutOptions = {}): Layout {
  const margin = options.margin ?? 16;
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({
    rankdir: 'LR',
    ranksep: options.rankSep ?? 64,
    nodesep: options.nodeSep ?? 18,
    edgesep: 8,
    marginx: margin,
    marginy: margin,
    ranker: 'network-simplex',
  });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) g.setNode(node.id, { width: node.width, height: node.height });
  edges.forEach((edge, i) => {
    if (!g.hasNode(edge.from) || !g.hasNode(edge.to) || edge.from === edge.to) return;
    g.setEdge(edge.from, edge.to, { weight: edge.weight ?? 1, minlen: 1 }, String(i));
  });
  dagre.layout(g);

  const out = new Map<string, LayoutNode>();
  let width = 0;
  let height = 0;
  for (const node of nodes) {
    const placed = g.node(node.id) as unknown as { x: number; y: number };
    const x = placed.x - node.width / 2;
    const y = placed.y - node.height / 2;
    out.set(node.id, { id: node.id, x, y, width: node.width, height: node.height });
    width = Math.max(width, x + node.width + margin);
    height = Math.max(height, y + node.height + margin);
  }
  const laidEdges: LayoutEdge[] = [];
  edges.forEach((edge, i) => {
    if (!g.hasEdge(edge.from, edge.to, String(i))) return;
    const points = ((g.edge(edge.from, edge.to, String(i)) as unknown as { points?: Point[] }).points ?? []).map((p) => ({ x: p.x, y: p.y }));
    laidEdges.push({ index: i, from: edge.from, to: edge.to, points });
  });
  return { nodes: out, edges: laidEdges, width, height };
}

/** Node size from its label, without measuring text (the layout must not wait for the DOM). */
export function nodeSize(label: string, kind: 'spec' | 'document' | 'url'): { width: number; height: number } {
  const chars = Math.min(label.length, kind === 'spec' ? 32 : 28);
  const width = Math.max(kind === 'spec' ? 150 : 110, Math.min(260, chars * 7 + 44));
  return { width, height: kind === 'spec' ? 44 : 30 };
}

/** An SVG path through the points (straight segments; dagre's bends already avoid nodes). */
export function edgePath(points: readonly Point[]): string {
  if (points.length === 0) return '';
  const [first, ...rest] = points;
  let d = `M${round(first.x)},${round(first.y)}`;
  if (rest.length >= 2) {
    // Smooth the bends with quadratic curves through the midpoints.
    for (let i = 0; i < rest.length - 1; i++) {
      const c = rest[i];
      const n = rest[i + 1];
      const mx = (c.x + n.x) / 2;
      const my = (c.y + n.y) / 2;
      d += i === rest.length - 2 ? ` Q${round(c.x)},${round(c.y)} ${round(n.x)},${round(n.y)}` : ` Q${round(c.x)},${round(c.y)} ${round(mx)},${round(my)}`;
    }
  } else {
    for (const p of rest) d += ` L${round(p.x)},${round(p.y)}`;
  }
  return d;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
