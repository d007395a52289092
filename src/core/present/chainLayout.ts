// The layout of an investigation or a chain: phases as columns in workflow order, so the graph
// reads as the chain it is. The issue (and any other input nobody produces) stands left of its first
// reader, each spec in its phase's column, each document it writes in the column right after it
// (between producer and consumer), the Upstream PR gate last. Code files (sources, tests, globs) go
// in a lane of their own under the chain, grouped in one box, so the edges to them drop down instead
// of crossing the chain. Inside the chain's lane it is a Sugiyama layering with fixed ranks: long
// edges get bend points in every column they pass, columns are ordered by barycentre sweeps (the
// order with fewest crossings kept), and nodes are pulled towards their neighbours' height.
//
// Why not elkjs: its layered algorithm with partitions would give the same columns, but it is
// ~1.4 MB, asynchronous (a worker to stay off the UI thread), and an investigation is a few dozen
// nodes whose columns are known in advance; the bench reports this layout's crossings.
import { UNPHASED } from '../workflow/phases';
import type { GraphEdgeKind, GraphNodeKind } from './specGraph';
import type { Layout, LayoutEdge, LayoutHeader, LayoutNode, Point } from './graphLayout';

export interface ChainNodeInput {
  id: string;
  kind: GraphNodeKind;
  width: number;
  height: number;
  phase?: string;
  path?: string;
}

export interface ChainEdgeInput {
  from: string;
  to: string;
  kind: GraphEdgeKind;
}

export interface ChainLayoutOptions {
  margin?: number;
  columnGap?: number;
  nodeGap?: number;
}

const DOCUMENT_EXTENSION = /\.(md|markdown|txt|rst|adoc)$/i;
const LANE_GAP = 56;
/** Between the code files of one column, and between the rows of neighbouring columns. */
const CODE_GAP = 12;
const CODE_ROW_GAP = 24;
const HEADER_HEIGHT = 26;
const DUMMY_HEIGHT = 4;
const DUMMY_GAP = 10;
const ROUNDS = 8;

/** A file the chain changes or reads as code: outside `.chant/` and not a text document. */
export function isCodeFile(node: Pick<ChainNodeInput, 'kind' | 'path'>): boolean {
  if (node.kind !== 'document' || node.path === undefined) return false;
  return !node.path.startsWith('.chant/') && !DOCUMENT_EXTENSION.test(node.path);
}

interface Vertex {
  id: string;
  /** Index into the input nodes; -1 for a bend point of a long edge. */
  node: number;
  column: number;
  height: number;
  y: number;
  up: number[];
  down: number[];
}

export function chainLayout(nodes: readonly ChainNodeInput[], edges: readonly ChainEdgeInput[], phaseOrder: readonly string[], options: ChainLayoutOptions = {}): Layout {
  const margin = options.margin ?? 16;
  const columnGap = options.columnGap ?? 44;
  const nodeGap = options.nodeGap ?? 18;
  const indexOf = new Map(nodes.map((node, i) => [node.id, i]));
  const phases = phaseOrder.filter((name) => name !== UNPHASED);
  const isActor = (i: number): boolean => nodes[i].kind === 'spec' || nodes[i].kind === 'gate';
  const phaseIndex = (i: number): number | undefined => {
    if (nodes[i].kind === 'gate') return phases.length;
    const at = phases.indexOf(nodes[i].phase ?? '');
    return at >= 0 ? at : undefined;
  };
  const valid = edges.flatMap((edge, index) => {
    const a = indexOf.get(edge.from);
    const b = indexOf.get(edge.to);
    return a === undefined || b === undefined || a === b ? [] : [{ a, b, index, kind: edge.kind }];
  });

  // 1. Levels of specs (and the gate): after what they follow, and after every earlier phase.
  const producers = new Map<number, number[]>();
  const readers = new Map<number, number[]>();
  const follows: Array<[number, number]> = [];
  for (const { a, b, kind } of valid) {
    if (isActor(a) && isActor(b)) follows.push([a, b]);
    else if (isActor(a) && kind === 'target_files') push(producers, b, a);
    else if (isActor(b) && kind === 'informed_by') push(readers, a, b);
  }
  for (const [doc, made] of producers) {
    if (isCodeFile(nodes[doc])) continue; // code flows backwards too (a fix rewrites what research read)
    for (const p of made) for (const r of readers.get(doc) ?? []) if (p !== r) follows.push([p, r]);
  }
  const level = actorLevels(nodes.length, follows, isActor, phaseIndex);

  // 2. Columns: a spec at level L in column 2L+1; what it writes in 2L+2; inputs nobody writes in
  // the column before their first reader. Empty columns are dropped afterwards.
  const rawColumn = new Map<number, number>();
  nodes.forEach((_, i) => {
    if (isActor(i)) rawColumn.set(i, 2 * level[i] + 1);
    else if (producers.has(i)) rawColumn.set(i, 2 * Math.max(...producers.get(i)!.map((p) => level[p])) + 2);
    else if (readers.has(i)) rawColumn.set(i, 2 * Math.min(...readers.get(i)!.map((r) => level[r])));
    else rawColumn.set(i, 0);
  });
  // A code file stands under the spec that writes it (or first reads it), so it takes no column.
  const inCodeLane = nodes.map((node) => isCodeFile(node));
  nodes.forEach((_, i) => {
    if (!inCodeLane[i]) return;
    const made = producers.get(i);
    const read = readers.get(i);
    if (made) rawColumn.set(i, 2 * Math.min(...made.map((p) => level[p])) + 1);
    else if (read) rawColumn.set(i, 2 * Math.min(...read.map((r) => level[r])) + 1);
  });
  const used = [...new Set(nodes.flatMap((_, i) => (inCodeLane[i] ? [] : [rawColumn.get(i)!])))].sort((x, y) => x - y);
  const compact = new Map(used.map((c, i) => [c, i]));
  const column = nodes.map((_, i) => compact.get(rawColumn.get(i)!) ?? nearestColumn(used, rawColumn.get(i)!));
  const columnCount = Math.max(1, used.length);

  // 3. The chain's lane: real nodes plus a bend point per column a long edge passes.
  const vertices: Vertex[] = [];
  const vertexOf = new Map<number, number>();
  nodes.forEach((node, i) => {
    if (inCodeLane[i]) return;
    vertexOf.set(i, vertices.length);
    vertices.push({ id: node.id, node: i, column: column[i], height: node.height, y: 0, up: [], down: [] });
  });
  const chainEdges = new Map<number, number[]>(); // edge index → vertex path
  for (const { a, b, index } of valid) {
    if (inCodeLane[a] || inCodeLane[b] || column[b] <= column[a]) continue;
    const route = [vertexOf.get(a)!];
    for (let c = column[a] + 1; c < column[b]; c++) {
      route.push(vertices.length);
      vertices.push({ id: `bend:${index}:${c}`, node: -1, column: c, height: DUMMY_HEIGHT, y: 0, up: [], down: [] });
    }
    route.push(vertexOf.get(b)!);
    for (let k = 1; k < route.length; k++) {
      vertices[route[k - 1]].down.push(route[k]);
      vertices[route[k]].up.push(route[k - 1]);
    }
    chainEdges.set(index, route);
  }
  const layers: number[][] = Array.from({ length: columnCount }, () => []);
  vertices.forEach((v, i) => layers[v.column].push(i));
  orderLayers(layers, vertices);
  placeVertically(layers, vertices, nodeGap);

  // 4. x per column, y shifted under the phase captions; the code lane below the chain's lane.
  const columnWidth = new Array<number>(columnCount).fill(0);
  nodes.forEach((node, i) => (columnWidth[column[i]] = Math.max(columnWidth[column[i]], inCodeLane[i] ? 0 : node.width)));
  const columnX: number[] = [];
  let x = margin;
  for (let c = 0; c < columnCount; c++) {
    columnX.push(x);
    x += Math.max(columnWidth[c], 24) + columnGap;
  }
  let width = x - columnGap + margin;
  const top = Math.min(0, ...vertices.map((v) => v.y));
  const shift = margin + HEADER_HEIGHT - top;
  const laid = new Map<string, LayoutNode>();
  let chainBottom = margin + HEADER_HEIGHT;
  for (const v of vertices) {
    v.y += shift;
    if (v.node < 0) continue;
    const node = nodes[v.node];
    laid.set(node.id, { id: node.id, x: columnX[v.column] + (columnWidth[v.column] - node.width) / 2, y: v.y, width: node.width, height: node.height });
    chainBottom = Math.max(chainBottom, v.y + node.height);
  }
  const codeTop = chainBottom + LANE_GAP;
  const codeByColumn = new Map<number, number[]>();
  nodes.forEach((_, i) => inCodeLane[i] && push(codeByColumn, column[i], i));
  let height = chainBottom + margin;
  const groups = [];
  if (codeByColumn.size > 0) {
    // The files of one column side by side under it (stacked, the edge to a lower file would run
    // through the upper one), each row pushed right of the previous column's so none overlap.
    let left = Infinity;
    let right = -Infinity;
    let cursor = -Infinity;
    for (const c of [...codeByColumn.keys()].sort((p, q) => p - q)) {
      const list = codeByColumn.get(c)!;
      // Ordered by where their specs are (barycentre), so the edges down to them do not cross.
      const centre = (i: number): number => {
        const xs = valid.flatMap(({ a, b }) => (a === i && !inCodeLane[b] ? [b] : b === i && !inCodeLane[a] ? [a] : [])).map((j) => {
          const n = laid.get(nodes[j].id);
          return n ? n.x + n.width / 2 : 0;
        });
        return xs.length ? xs.reduce((sum, v) => sum + v, 0) / xs.length : 0;
      };
      list.sort((p, q) => centre(p) - centre(q) || (nodes[p].path ?? '').localeCompare(nodes[q].path ?? ''));
      const rowWidth = list.reduce((sum, i) => sum + nodes[i].width, 0) + CODE_GAP * (list.length - 1);
      let nx = Math.max(columnX[c] + columnWidth[c] / 2 - rowWidth / 2, cursor, margin + 10);
      for (const i of list) {
        const node = nodes[i];
        laid.set(node.id, { id: node.id, x: nx, y: codeTop, width: node.width, height: node.height });
        left = Math.min(left, nx);
        right = Math.max(right, nx + node.width);
        nx += node.width + CODE_GAP;
        height = Math.max(height, codeTop + node.height + 12 + margin);
      }
      cursor = nx - CODE_GAP + CODE_ROW_GAP;
    }
    width = Math.max(width, right + 10 + margin);
    groups.push({ label: 'Code and tests', x: left - 10, y: codeTop - 24, width: right - left + 20, height: height - margin - codeTop + 24 });
  }

  // 5. Edges: along their bend points in the chain's lane, downwards to the code lane.
  const laidEdges: LayoutEdge[] = [];
  const point = (v: Vertex): Point => ({ x: columnX[v.column] + columnWidth[v.column] / 2, y: v.y + v.height / 2 });
  for (const { a, b, index } of valid) {
    const from = laid.get(nodes[a].id)!;
    const to = laid.get(nodes[b].id)!;
    const route = chainEdges.get(index);
    if (route) {
      const points = [{ x: from.x + from.width, y: from.y + from.height / 2 }, ...route.slice(1, -1).map((v) => point(vertices[v])), { x: to.x, y: to.y + to.height / 2 }];
      laidEdges.push({ index, from: from.id, to: to.id, points, shape: 'horizontal' });
    } else if (inCodeLane[a] !== inCodeLane[b]) {
      const [upper, lower] = inCodeLane[a] ? [to, from] : [from, to];
      const bottom = { x: upper.x + upper.width / 2, y: upper.y + upper.height };
      const topOf = { x: lower.x + lower.width / 2, y: lower.y };
      laidEdges.push({ index, from: from.id, to: to.id, points: inCodeLane[a] ? [topOf, bottom] : [bottom, topOf], shape: 'vertical' });
    } else {
      laidEdges.push({ index, from: from.id, to: to.id, points: [{ x: from.x + from.width / 2, y: from.y + from.height }, { x: to.x + to.width / 2, y: to.y + to.height }], shape: 'under' });
    }
  }

  // 6. Captions: the phase of each column of specs, "Issue" over the inputs before the first.
  const headers: LayoutHeader[] = [];
  const captionOf = new Map<number, string>();
  nodes.forEach((node, i) => {
    if (inCodeLane[i]) return;
    const c = column[i];
    const caption = node.kind === 'gate' ? '' : node.kind === 'spec' ? (node.phase ?? UNPHASED) : c === 0 && node.kind === 'url' ? 'Issue' : undefined;
    if (caption === undefined || caption === '') return;
    const before = captionOf.get(c);
    if (node.kind === 'spec' || before === undefined) captionOf.set(c, before !== undefined && before !== caption && before !== 'Issue' ? `${before} / ${caption}` : caption);
  });
  for (const [c, label] of captionOf) headers.push({ label, x: columnX[c] + columnWidth[c] / 2, y: margin + 12 });
  headers.sort((p, q) => p.x - q.x);
  return { nodes: laid, edges: laidEdges.sort((p, q) => p.index - q.index), width, height, groups, headers };
}

/**
 * Longest-path levels over "follows" links, with a phase barrier: every spec of a phase comes after
 * every spec of the phases before it. Links against the workflow order are dropped; a cycle is cut
 * where it is found (its first node is placed as if the link closing it did not exist).
 */
function actorLevels(n: number, follows: Array<[number, number]>, isActor: (i: number) => boolean, phaseIndex: (i: number) => number | undefined): number[] {
  const level = new Array<number>(n).fill(0);
  const actors = [...Array(n).keys()].filter(isActor);
  const present = [...new Set(actors.map(phaseIndex).filter((p): p is number => p !== undefined))].sort((a, b) => a - b);
  // Vertices: actors by node index, then one barrier per present phase at n + k.
  const succ = new Map<number, Array<[number, number]>>();
  const indegree = new Map<number, number>();
  const link = (a: number, b: number, length: number): void => {
    push(succ, a, [b, length]);
    indegree.set(b, (indegree.get(b) ?? 0) + 1);
  };
  for (const [a, b] of follows) {
    const pa = phaseIndex(a);
    const pb = phaseIndex(b);
    if (pa !== undefined && pb !== undefined && pa > pb) continue;
    link(a, b, 1);
  }
  present.forEach((phase, k) => {
    for (const i of actors) {
      const p = phaseIndex(i);
      if (p === phase) link(i, n + k, 0);
      else if (k + 1 < present.length && p === present[k + 1]) link(n + k, i, 1);
    }
    if (k + 1 < present.length) link(n + k, n + k + 1, 1);
  });
  const all = [...actors, ...present.map((_, k) => n + k)];
  const value = new Map<number, number>(all.map((v) => [v, 0]));
  const done = new Set<number>();
  const ready = all.filter((v) => (indegree.get(v) ?? 0) === 0);
  while (done.size < all.length) {
    if (ready.length === 0) ready.push(all.find((v) => !done.has(v))!); // a cycle: cut it here
    const v = ready.shift()!;
    if (done.has(v)) continue;
    done.add(v);
    for (const [w, length] of succ.get(v) ?? []) {
      if (done.has(w)) continue;
      value.set(w, Math.max(value.get(w)!, value.get(v)! + length));
      const left = indegree.get(w)! - 1;
      indegree.set(w, left);
      if (left === 0) ready.push(w);
    }
  }
  for (const i of actors) level[i] = value.get(i)!;
  return level;
}

/** Barycentre sweeps down and up; the order with the fewest crossings between columns is kept. */
function orderLayers(layers: number[][], vertices: Vertex[]): void {
  const position = new Float64Array(vertices.length);
  const renumber = (): void => layers.forEach((layer) => layer.forEach((v, i) => (position[v] = i)));
  renumber();
  const crossings = (): number => {
    let total = 0;
    for (let c = 0; c + 1 < layers.length; c++) {
      const pairs: Array<[number, number]> = [];
      for (const v of layers[c]) for (const w of vertices[v].down) pairs.push([position[v], position[w]]);
      for (let i = 0; i < pairs.length; i++) {
        for (let j = i + 1; j < pairs.length; j++) {
          if ((pairs[i][0] - pairs[j][0]) * (pairs[i][1] - pairs[j][1]) < 0) total++;
        }
      }
    }
    return total;
  };
  const sweep = (layer: number[], neighbours: (v: Vertex) => number[]): void => {
    const key = new Map<number, number>();
    for (const v of layer) {
      const list = neighbours(vertices[v]);
      key.set(v, list.length > 0 ? list.reduce((sum, w) => sum + position[w], 0) / list.length : position[v]);
    }
    layer.sort((a, b) => key.get(a)! - key.get(b)! || position[a] - position[b]);
    layer.forEach((v, i) => (position[v] = i));
  };
  let best = layers.map((layer) => [...layer]);
  let fewest = crossings();
  for (let round = 0; round < ROUNDS && fewest > 0; round++) {
    for (let c = 1; c < layers.length; c++) sweep(layers[c], (v) => v.up);
    for (let c = layers.length - 2; c >= 0; c--) sweep(layers[c], (v) => v.down);
    const now = crossings();
    if (now < fewest) {
      fewest = now;
      best = layers.map((layer) => [...layer]);
    }
  }
  best.forEach((layer, c) => (layers[c] = layer));
}

/**
 * Heights: each column stacked in its order, then pulled towards the mean height of its neighbours
 * a few times, keeping the order and the gaps (the mean of the two one-sided fixes is a fix too).
 */
function placeVertically(layers: number[][], vertices: Vertex[], nodeGap: number): void {
  const gapAfter = (v: Vertex, w: Vertex): number => (v.node < 0 || w.node < 0 ? DUMMY_GAP : nodeGap);
  const tallest = Math.max(0, ...layers.map((layer) => stackHeight(layer, vertices, gapAfter)));
  for (const layer of layers) {
    let y = (tallest - stackHeight(layer, vertices, gapAfter)) / 2;
    layer.forEach((v, i) => {
      if (i > 0) y += gapAfter(vertices[layer[i - 1]], vertices[v]);
      vertices[v].y = y;
      y += vertices[v].height;
    });
  }
  const centre = (v: Vertex): number => v.y + v.height / 2;
  for (let round = 0; round < 6; round++) {
    const order = round % 2 === 0 ? layers : [...layers].reverse();
    for (const layer of order) {
      if (layer.length === 0) continue;
      const want = layer.map((v) => {
        const vertex = vertices[v];
        const around = [...vertex.up, ...vertex.down];
        return around.length > 0 ? around.reduce((sum, w) => sum + centre(vertices[w]), 0) / around.length - vertex.height / 2 : vertex.y;
      });
      const down = [...want];
      for (let i = 1; i < layer.length; i++) down[i] = Math.max(down[i], down[i - 1] + vertices[layer[i - 1]].height + gapAfter(vertices[layer[i - 1]], vertices[layer[i]]));
      const up = [...want];
      for (let i = layer.length - 2; i >= 0; i--) up[i] = Math.min(up[i], up[i + 1] - vertices[layer[i]].height - gapAfter(vertices[layer[i]], vertices[layer[i + 1]]));
      layer.forEach((v, i) => (vertices[v].y = (down[i] + up[i]) / 2));
    }
  }
}

function stackHeight(layer: number[], vertices: Vertex[], gapAfter: (v: Vertex, w: Vertex) => number): number {
  let total = 0;
  layer.forEach((v, i) => {
    total += vertices[v].height;
    if (i > 0) total += gapAfter(vertices[layer[i - 1]], vertices[v]);
  });
  return total;
}

/** The index in `used` of the column nearest to `raw` (a code file whose spec has no column). */
function nearestColumn(used: readonly number[], raw: number): number {
  let best = 0;
  used.forEach((c, i) => Math.abs(c - raw) < Math.abs(used[best] - raw) && (best = i));
  return best;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
