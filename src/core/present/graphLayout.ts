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
  /** Nodes plus edges above which the fast layout replaces dagre (tests set it). */
  dagreLimit?: number;
}

/**
 * Above this many nodes plus edges dagre's network simplex and crossing minimisation take seconds
 * to minutes (500 nodes with cross links: ~3 s; 2,000: many minutes), so bigger graphs get the
 * fast layered layout below: same left-to-right ranks, simpler ordering, straight edges.
 */
export const DAGRE_LIMIT = 400;

export function layoutGraph(nodes: readonly LayoutNodeInput[], edges: readonly LayoutEdgeInput[], options: LayoutOptions = {}): Layout {
  if (nodes.length + edges.length > (options.dagreLimit ?? DAGRE_LIMIT)) return fastLayeredLayout(nodes, edges, options);
  const margin = options.margin ?? 16;
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({
    rankdir: 'LR',
    ranksep: options.rankSep ?? 48,
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

/**
 * A linear-ish layered layout for big graphs: cycles broken by reversing back edges (iterative
 * DFS), ranks by longest path from the sources, order inside a rank by a few barycentre sweeps,
 * ranks stacked top to bottom and centred. Edges are straight lines from the right side of the
 * source to the left side of the target.
 */
export function fastLayeredLayout(nodes: readonly LayoutNodeInput[], edges: readonly LayoutEdgeInput[], options: LayoutOptions = {}): Layout {
  const margin = options.margin ?? 16;
  const rankSep = options.rankSep ?? 64;
  const nodeSep = options.nodeSep ?? 18;
  const n = nodes.length;
  const indexOf = new Map(nodes.map((node, i) => [node.id, i]));
  const out: number[][] = Array.from({ length: n }, () => []);
  const valid: Array<[number, number, number]> = [];
  edges.forEach((edge, e) => {
    const a = indexOf.get(edge.from);
    const b = indexOf.get(edge.to);
    if (a === undefined || b === undefined || a === b) return;
    out[a].push(b);
    valid.push([a, b, e]);
  });

  // Back edges by iterative DFS.
  const state = new Uint8Array(n); // 0 new, 1 on stack, 2 done
  const back = new Set<string>();
  for (let root = 0; root < n; root++) {
    if (state[root] !== 0) continue;
    const stack: Array<[number, number]> = [[root, 0]];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [v, i] = top;
      if (i < out[v].length) {
        top[1]++;
        const w = out[v][i];
        if (state[w] === 0) {
          state[w] = 1;
          stack.push([w, 0]);
        } else if (state[w] === 1) {
          back.add(`${v},${w}`);
        }
      } else {
        state[v] = 2;
        stack.pop();
      }
    }
  }
  const succ: number[][] = Array.from({ length: n }, () => []);
  const pred: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of valid) {
    const [x, y] = back.has(`${a},${b}`) ? [b, a] : [a, b];
    succ[x].push(y);
    pred[y].push(x);
  }

  // Longest-path ranks in topological order (Kahn).
  const indegree = pred.map((p) => p.length);
  const rank = new Int32Array(n);
  const queue: number[] = [];
  for (let v = 0; v < n; v++) if (indegree[v] === 0) queue.push(v);
  const topo: number[] = [];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head];
    topo.push(v);
    for (const w of succ[v]) {
      if (rank[w] < rank[v] + 1) rank[w] = rank[v] + 1;
      if (--indegree[w] === 0) queue.push(w);
    }
  }
  let maxRank = 0;
  for (let v = 0; v < n; v++) maxRank = Math.max(maxRank, rank[v]);
  const layers: number[][] = Array.from({ length: maxRank + 1 }, () => []);
  for (const v of topo) layers[rank[v]].push(v);

  // Barycentre sweeps: down by predecessors, up by successors.
  const position = new Float64Array(n);
  const place = (): void => layers.forEach((layer) => layer.forEach((v, i) => (position[v] = i)));
  place();
  const sweep = (layer: number[], neighbours: number[][]): void => {
    const key = new Map<number, number>();
    for (const v of layer) {
      const list = neighbours[v];
      let sum = 0;
      for (const w of list) sum += position[w];
      key.set(v, list.length > 0 ? sum / list.length : position[v]);
    }
    layer.sort((a, b) => key.get(a)! - key.get(b)!);
    layer.forEach((v, i) => (position[v] = i));
  };
  for (let round = 0; round < 4; round++) {
    for (let r = 1; r < layers.length; r++) sweep(layers[r], pred);
    for (let r = layers.length - 2; r >= 0; r--) sweep(layers[r], succ);
  }

  // Coordinates.
  const heights = layers.map((layer) => layer.reduce((sum, v) => sum + nodes[v].height, 0) + Math.max(0, layer.length - 1) * nodeSep);
  const tallest = Math.max(0, ...heights);
  const laid = new Map<string, LayoutNode>();
  let x = margin;
  layers.forEach((layer, r) => {
    const width = Math.max(0, ...layer.map((v) => nodes[v].width));
    let y = margin + (tallest - heights[r]) / 2;
    for (const v of layer) {
      const node = nodes[v];
      laid.set(node.id, { id: node.id, x: x + (width - node.width) / 2, y, width: node.width, height: node.height });
      y += node.height + nodeSep;
    }
    x += width + rankSep;
  });
  const laidEdges: LayoutEdge[] = valid.map(([a, b, e]) => {
    const from = laid.get(nodes[a].id)!;
    const to = laid.get(nodes[b].id)!;
    const start = { x: from.x + from.width, y: from.y + from.height / 2 };
    const end = { x: to.x, y: to.y + to.height / 2 };
    return { index: e, from: nodes[a].id, to: nodes[b].id, points: [start, end] };
  });
  return { nodes: laid, edges: laidEdges, width: x - rankSep + margin, height: tallest + 2 * margin };
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
