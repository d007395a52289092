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
  /** The label's lines when the layout wrapped it to the node's width (the chain layout). */
  lines?: string[];
  /** A second, quieter line under them (a document's folder). */
  caption?: string;
}

/**
 * How edgePath joins the points: `poly` (dagre's bends, smoothed), `horizontal` (curves that
 * leave and enter sideways, for left-to-right flow), `vertical` (leave downwards or upwards, for
 * the lane of code files), `under` (a loop below both ends, for an edge that runs backwards),
 * `bracket` (out to the left, along, and back in: between two nodes stacked in one column).
 */
export type EdgeShape = 'poly' | 'horizontal' | 'vertical' | 'under' | 'bracket';

export interface LayoutEdge {
  /** Position of the edge in the input. */
  index: number;
  from: string;
  to: string;
  points: Point[];
  shape?: EdgeShape;
}

/** A labelled box drawn behind some nodes (the chain layout's lane of code files). */
export interface LayoutGroup {
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A caption above a column (the chain layout's phase names). */
export interface LayoutHeader {
  label: string;
  /** Centre of the caption. */
  x: number;
  y: number;
}

export interface Layout {
  nodes: Map<string, LayoutNode>;
  edges: LayoutEdge[];
  width: number;
  height: number;
  groups?: LayoutGroup[];
  headers?: LayoutHeader[];
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

export function layoutGraph(
  nodes: readonly LayoutNodeInput[],
  edges: readonly LayoutEdgeInput[],
  options: LayoutOptions = {},
): Layout {
  if (nodes.length + edges.length > (options.dagreLimit ?? DAGRE_LIMIT))
    return fastLayeredLayout(nodes, edges, options);
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
    const points = ((g.edge(edge.from, edge.to, String(i)) as unknown as { points?: Point[] }).points ?? []).map(
      (p) => ({ x: p.x, y: p.y }),
    );
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
export function fastLayeredLayout(
  nodes: readonly LayoutNodeInput[],
  edges: readonly LayoutEdgeInput[],
  options: LayoutOptions = {},
): Layout {
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
  const heights = layers.map(
    (layer) => layer.reduce((sum, v) => sum + nodes[v].height, 0) + Math.max(0, layer.length - 1) * nodeSep,
  );
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

/** Characters of a label the node shows before it is cut with `…` (the webview truncates to these). */
export const LABEL_CHARS = { spec: 30, other: 26 } as const;

/**
 * Node size from its label, without measuring text (the layout must not wait for the DOM): about
 * 7.2 px per character of the 13 px label font, plus the glyph and padding.
 */
export function nodeSize(label: string, kind: 'spec' | 'document' | 'url' | 'gate'): { width: number; height: number } {
  if (kind === 'gate') return { width: 150, height: 48 };
  const chars = Math.min(label.length, kind === 'spec' ? LABEL_CHARS.spec : LABEL_CHARS.other);
  const width = Math.max(kind === 'spec' ? 150 : 110, Math.min(264, Math.ceil(chars * 7.4) + 44));
  return { width, height: kind === 'spec' ? 46 : 30 };
}

/** An SVG path through the points: `poly` smooths dagre's bends (which already avoid nodes). */
export function edgePath(points: readonly Point[], shape: EdgeShape = 'poly'): string {
  if (points.length === 0) return '';
  if (shape === 'bracket') return bracketPath(points);
  if (shape !== 'poly') return curvePath(points, shape);
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

/** Out from the first point, along the gutter, into the last one, with rounded corners. */
function bracketPath(points: readonly Point[]): string {
  const first = points[0];
  const last = points[points.length - 1];
  const gutter = points.length > 2 ? points[1].x : Math.min(first.x, last.x) - 8;
  const dir = last.y >= first.y ? 1 : -1;
  const r = Math.min(5, Math.abs(last.y - first.y) / 2, Math.abs(first.x - gutter));
  return (
    `M${round(first.x)},${round(first.y)} H${round(gutter + r)} Q${round(gutter)},${round(first.y)} ${round(gutter)},${round(first.y + dir * r)}` +
    ` V${round(last.y - dir * r)} Q${round(gutter)},${round(last.y)} ${round(gutter + r)},${round(last.y)} H${round(last.x)}`
  );
}

function curvePath(points: readonly Point[], shape: Exclude<EdgeShape, 'poly' | 'bracket'>): string {
  const [first] = points;
  let d = `M${round(first.x)},${round(first.y)}`;
  for (let i = 1; i < points.length; i++) {
    const p = points[i - 1];
    const q = points[i];
    let c1: Point;
    let c2: Point;
    if (shape === 'horizontal') {
      const dx = Math.max(16, Math.abs(q.x - p.x) / 2);
      c1 = { x: p.x + dx, y: p.y };
      c2 = { x: q.x - dx, y: q.y };
    } else if (shape === 'vertical') {
      const dy = (q.y - p.y) / 2;
      c1 = { x: p.x, y: p.y + dy };
      c2 = { x: q.x, y: q.y - dy };
    } else {
      const below = Math.max(p.y, q.y) + 36;
      c1 = { x: p.x, y: below };
      c2 = { x: q.x, y: below };
    }
    d += ` C${round(c1.x)},${round(c1.y)} ${round(c2.x)},${round(c2.y)} ${round(q.x)},${round(q.y)}`;
  }
  return d;
}

/**
 * Lays out each connected component on its own and packs them in rows, biggest first, into a
 * rectangle about `aspect` times as wide as it is high (a project of many unconnected specs
 * otherwise becomes one tall column). A component of one node costs no layout call.
 */
export function packComponents(
  nodes: readonly LayoutNodeInput[],
  edges: readonly LayoutEdgeInput[],
  options: LayoutOptions & { aspect?: number } = {},
): Layout {
  const margin = options.margin ?? 16;
  const gap = 28;
  const indexOf = new Map(nodes.map((node, i) => [node.id, i]));
  const parent = nodes.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  for (const edge of edges) {
    const a = indexOf.get(edge.from);
    const b = indexOf.get(edge.to);
    if (a !== undefined && b !== undefined) parent[find(a)] = find(b);
  }
  const members = new Map<number, number[]>();
  nodes.forEach((_, i) => {
    const r = find(i);
    const list = members.get(r);
    if (list) list.push(i);
    else members.set(r, [i]);
  });
  const edgesOf = new Map<number, number[]>();
  edges.forEach((edge, e) => {
    const a = indexOf.get(edge.from);
    if (a === undefined || !indexOf.has(edge.to)) return;
    const r = find(a);
    const list = edgesOf.get(r);
    if (list) list.push(e);
    else edgesOf.set(r, [e]);
  });
  // dagre for every component when the whole graph is small enough, else the fast layout: the
  // limit is on the total, so many mid-sized components cannot add up to seconds.
  const useDagre = nodes.length + edges.length <= (options.dagreLimit ?? DAGRE_LIMIT);
  const parts: Array<{ layout: Layout; edgeIndex: number[] }> = [];
  for (const [root, list] of members) {
    const edgeIndex = edgesOf.get(root) ?? [];
    let layout: Layout;
    if (list.length === 1) {
      const node = nodes[list[0]];
      layout = {
        nodes: new Map([[node.id, { id: node.id, x: 0, y: 0, width: node.width, height: node.height }]]),
        edges: [],
        width: node.width,
        height: node.height,
      };
    } else {
      const partNodes = list.map((i) => nodes[i]);
      const partEdges = edgeIndex.map((e) => edges[e]);
      const inner = { ...options, margin: 0 };
      layout = useDagre
        ? layoutGraph(partNodes, partEdges, { ...inner, dagreLimit: Infinity })
        : fastLayeredLayout(partNodes, partEdges, inner);
    }
    parts.push({ layout, edgeIndex });
  }
  parts.sort((a, b) => b.layout.nodes.size - a.layout.nodes.size || b.layout.height - a.layout.height);
  const area = parts.reduce((sum, p) => sum + (p.layout.width + gap) * (p.layout.height + gap), 0);
  const widest = Math.max(0, ...parts.map((p) => p.layout.width));
  const rowWidth = Math.max(widest, Math.sqrt(area * (options.aspect ?? 1.6)));
  const out = new Map<string, LayoutNode>();
  const laidEdges: LayoutEdge[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let width = 0;
  for (const part of parts) {
    if (x > 0 && x + part.layout.width > rowWidth) {
      x = 0;
      y += rowHeight + gap;
      rowHeight = 0;
    }
    const dx = margin + x;
    const dy = margin + y;
    for (const node of part.layout.nodes.values()) out.set(node.id, { ...node, x: node.x + dx, y: node.y + dy });
    for (const edge of part.layout.edges) {
      laidEdges.push({
        ...edge,
        index: part.edgeIndex[edge.index],
        points: edge.points.map((p) => ({ x: p.x + dx, y: p.y + dy })),
      });
    }
    x += part.layout.width + gap;
    width = Math.max(width, x - gap);
    rowHeight = Math.max(rowHeight, part.layout.height);
  }
  laidEdges.sort((a, b) => a.index - b.index);
  return { nodes: out, edges: laidEdges, width: width + 2 * margin, height: y + rowHeight + 2 * margin };
}

/**
 * Edge crossings of a drawing: pairs of edges whose paths cross, each path taken as the polyline
 * through its points (curves are close to it). Edges that share an end do not count. For the
 * benchmark and tests: quadratic in the edges.
 */
export function countCrossings(layout: Layout): number {
  const segments = layout.edges.map((edge) => {
    const pts = edge.points;
    const box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
    for (const p of pts) {
      box.x0 = Math.min(box.x0, p.x);
      box.y0 = Math.min(box.y0, p.y);
      box.x1 = Math.max(box.x1, p.x);
      box.y1 = Math.max(box.y1, p.y);
    }
    return { edge, pts, box };
  });
  let crossings = 0;
  for (let i = 0; i < segments.length; i++) {
    const a = segments[i];
    for (let j = i + 1; j < segments.length; j++) {
      const b = segments[j];
      if (a.box.x1 < b.box.x0 || b.box.x1 < a.box.x0 || a.box.y1 < b.box.y0 || b.box.y1 < a.box.y0) continue;
      const e = a.edge;
      const f = b.edge;
      if (e.from === f.from || e.from === f.to || e.to === f.from || e.to === f.to) continue;
      if (polylinesCross(a.pts, b.pts)) crossings++;
    }
  }
  return crossings;
}

function polylinesCross(a: readonly Point[], b: readonly Point[]): boolean {
  for (let i = 1; i < a.length; i++)
    for (let j = 1; j < b.length; j++) if (segmentsCross(a[i - 1], a[i], b[j - 1], b[j])) return true;
  return false;
}

function segmentsCross(p: Point, q: Point, r: Point, t: Point): boolean {
  const orient = (a: Point, b: Point, c: Point): number =>
    Math.sign((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x));
  const o1 = orient(p, q, r);
  const o2 = orient(p, q, t);
  const o3 = orient(r, t, p);
  const o4 = orient(r, t, q);
  return o1 * o2 < 0 && o3 * o4 < 0;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
