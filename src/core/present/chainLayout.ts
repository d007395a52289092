// The layout of an investigation or a chain, made for the panel it opens in: one column per phase in
// workflow order, the column's spec at the top and the documents it touches stacked under it, so the
// whole investigation reads at a glance in a panel of about 1000×700 px without zooming out. Columns
// share the panel's width (between MIN_COLUMN and MAX_COLUMN px); a title too long for its column is
// wrapped (a spec's to three lines, a file's to two; the rest in the tooltip), and a spec title's "<Phase>: " prefix is
// dropped under its phase's caption. A document stands under the first phase that touches it (writes or reads
// it), so the research a phase writes is under that phase, and the code a fix rewrites under the
// research that first read it. Edges: to a later column as curves leaving sideways, within a column as
// brackets in the gutter on its left, back to an earlier column as loops below.
//
// Why not one long row (the layered drawing this replaced): six phases with their documents between
// them were ~3,000 px wide, so a panel showed a third of it at 100% or all of it at ~7 px text.
import { UNPHASED } from '../workflow/phases';
import type { GraphEdgeKind, GraphNodeKind } from './specGraph';
import type { Layout, LayoutEdge, LayoutHeader, LayoutNode } from './graphLayout';
import { titleUnderPhase } from './specTitle';

export { titleUnderPhase };

export interface ChainNodeInput {
  id: string;
  kind: GraphNodeKind;
  /** The text shown (a spec's title, a file's name, a URL's short form). */
  label?: string;
  phase?: string;
  path?: string;
}

export interface ChainEdgeInput {
  from: string;
  to: string;
  kind: GraphEdgeKind;
}

export interface ChainLayoutOptions {
  /** The panel's width in px: the columns share it. */
  width?: number;
  margin?: number;
  columnGap?: number;
}

const DOCUMENT_EXTENSION = /\.(md|markdown|txt|rst|adoc)$/i;
/** Column widths (px at zoom 1): narrower and a title no longer fits its lines; wider is wasted. */
export const MIN_COLUMN = 140;
export const MAX_COLUMN = 240;
const GATE_WIDTH = 118;
const HEADER_HEIGHT = 28;
/** Below a spec, between documents. */
const SPEC_GAP = 14;
const DOC_GAP = 8;
/**
 * The label font (media/webviews/graph.css `.label.wrapped`, 12 px) is about this wide per character
 * on average; lines are cut to what fits so no text runs out of its box (the e2e test measures it).
 */
export const CHAR_PX = 6.9;
const LINE_PX = 15;
export const MAX_LINES = 2;
/** A spec's title may take a third line: the chain's height has room, and titles are what tells specs apart. */
export const SPEC_MAX_LINES = 3;

/** A file the chain changes or reads as code: outside `.chant/` and not a text document. */
export function isCodeFile(node: Pick<ChainNodeInput, 'kind' | 'path'>): boolean {
  if (node.kind !== 'document' || node.path === undefined) return false;
  return !node.path.startsWith('.chant/') && !DOCUMENT_EXTENSION.test(node.path);
}

/**
 * Text broken into at most `maxLines` lines of at most `maxChars` characters: at spaces, and inside a
 * long word after `-`, `_`, `.` or `/`; what does not fit ends the last line with `…`.
 */
export function wrapLabel(text: string, maxChars: number, maxLines = MAX_LINES): string[] {
  const limit = Math.max(4, maxChars);
  const pieces = text.trim().split(/\s+/).flatMap((word) => splitWord(word, limit));
  const lines: string[] = [];
  let line = '';
  let i = 0;
  for (; i < pieces.length; i++) {
    const piece = pieces[i];
    const joined = line === '' ? piece.text : `${line}${piece.space ? ' ' : ''}${piece.text}`;
    if (joined.length <= limit) {
      line = joined;
      continue;
    }
    if (lines.length + 1 >= maxLines) break;
    lines.push(line);
    line = piece.text;
  }
  if (i < pieces.length) {
    const rest = pieces.slice(i).reduce((acc, p) => `${acc}${p.space ? ' ' : ''}${p.text}`, line);
    // Cut at a word's end when one is near, else mid-word.
    let cut = rest.slice(0, limit - 1);
    const space = cut.lastIndexOf(' ');
    if (rest[limit - 1] !== ' ' && space > limit / 2) cut = cut.slice(0, space);
    line = `${cut.trimEnd()}…`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

function splitWord(word: string, limit: number): { text: string; space: boolean }[] {
  if (word.length <= limit) return [{ text: word, space: true }];
  const parts = word.split(/(?<=[-_./])/);
  const out: { text: string; space: boolean }[] = [];
  parts.forEach((part, k) => {
    // A part still too long is cut hard.
    for (let at = 0; at < part.length; at += limit)
      out.push({ text: part.slice(at, at + limit), space: k === 0 && at === 0 });
  });
  return out;
}

/** Lines and height of a node in a column of `width` px (what graph.ts draws). */
export function chainNodeBox(
  node: ChainNodeInput,
  width: number,
): { lines: string[]; caption?: string; height: number } {
  if (node.kind === 'gate') return { lines: [node.label ?? 'Upstream PR'], height: 48 };
  const label = node.kind === 'spec' ? titleUnderPhase(node.label ?? node.id, node.phase) : (node.label ?? node.id);
  if (node.kind === 'spec') {
    const lines = wrapLabel(label, Math.floor((width - 20) / CHAR_PX), SPEC_MAX_LINES);
    // The status and short id go on the line under the title.
    return { lines, height: 12 + LINE_PX * lines.length + LINE_PX + 2 };
  }
  const lines = wrapLabel(label, Math.floor((width - 30) / CHAR_PX));
  const folder =
    node.kind === 'document' && node.path && node.path.includes('/')
      ? node.path.slice(0, node.path.lastIndexOf('/'))
      : undefined;
  const caption = folder ? shortenLeft(folder, Math.floor((width - 30) / CHAR_PX)) : undefined;
  return { lines, caption, height: 10 + LINE_PX * (lines.length + (caption ? 1 : 0)) };
}

/** `…/end/of/the/path` within `max` characters. */
function shortenLeft(text: string, max: number): string {
  return text.length <= max ? text : `…${text.slice(text.length - max + 1)}`;
}

export function chainLayout(
  nodes: readonly ChainNodeInput[],
  edges: readonly ChainEdgeInput[],
  phaseOrder: readonly string[],
  options: ChainLayoutOptions = {},
): Layout {
  const margin = options.margin ?? 16;
  const columnGap = options.columnGap ?? 22;
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
  const touchers = new Map<number, number[]>();
  const follows: Array<[number, number]> = [];
  const readers = new Map<number, number[]>();
  for (const { a, b, kind } of valid) {
    if (isActor(a) && isActor(b)) follows.push([a, b]);
    else if (isActor(a)) {
      if (kind === 'target_files') push(producers, b, a);
      push(touchers, b, a);
    } else if (isActor(b)) {
      if (kind === 'informed_by') push(readers, a, b);
      push(touchers, a, b);
    }
  }
  for (const [doc, made] of producers) {
    if (isCodeFile(nodes[doc])) continue; // code flows backwards too (a fix rewrites what research read)
    for (const p of made) for (const r of readers.get(doc) ?? []) if (p !== r) follows.push([p, r]);
  }
  const level = actorLevels(nodes.length, follows, isActor, phaseIndex);

  // 2. Columns: one per level of specs; a document under the first column that touches it.
  const levels = [...new Set(nodes.flatMap((_, i) => (isActor(i) ? [level[i]] : [])))].sort((x, y) => x - y);
  const columnOfLevel = new Map(levels.map((l, c) => [l, c]));
  const columnCount = Math.max(1, levels.length);
  const column = nodes.map((_, i) => {
    if (isActor(i)) return columnOfLevel.get(level[i])!;
    const touching = touchers.get(i) ?? [];
    return touching.length > 0 ? Math.min(...touching.map((t) => columnOfLevel.get(level[t])!)) : 0;
  });
  const gateColumns = new Set(
    nodes.flatMap((node, i) =>
      node.kind === 'gate' && nodes.every((other, j) => column[j] !== column[i] || other.kind === 'gate')
        ? [column[i]]
        : [],
    ),
  );

  // 3. Widths from the panel's: gate-only columns are narrow, the others share what is left.
  const panel = options.width ?? 1000;
  const wide = columnCount - gateColumns.size;
  const share =
    (panel - 2 * margin - (columnCount - 1) * columnGap - gateColumns.size * GATE_WIDTH) / Math.max(1, wide);
  const columnWidth = Array.from({ length: columnCount }, (_, c) =>
    gateColumns.has(c) ? GATE_WIDTH : Math.round(Math.min(MAX_COLUMN, Math.max(MIN_COLUMN, share))),
  );
  const columnX: number[] = [];
  let x = margin;
  for (let c = 0; c < columnCount; c++) {
    columnX.push(x);
    x += columnWidth[c] + columnGap;
  }
  const width = x - columnGap + margin;

  // 4. Each column top-down: its specs, then what they write, the inputs nobody writes, and the
  // files a later phase writes that this one reads first.
  const rankOf = (i: number): number => {
    if (isActor(i)) return 0;
    const made = producers.get(i);
    if (made?.some((p) => column[p] === column[i])) return nodes[i].path?.startsWith('.chant/') ? 1 : 2;
    if (!made) return nodes[i].kind === 'url' ? 3 : 4;
    return 5;
  };
  const byColumn: number[][] = Array.from({ length: columnCount }, () => []);
  nodes.forEach((_, i) => byColumn[column[i]].push(i));
  const laid = new Map<string, LayoutNode>();
  let height = margin + HEADER_HEIGHT;
  const top = margin + HEADER_HEIGHT;
  byColumn.forEach((list, c) => {
    list.sort(
      (p, q) =>
        rankOf(p) - rankOf(q) ||
        level[p] - level[q] ||
        (nodes[p].path ?? nodes[p].label ?? nodes[p].id).localeCompare(nodes[q].path ?? nodes[q].label ?? nodes[q].id),
    );
    let y = top;
    list.forEach((i, k) => {
      if (k > 0) y += isActor(list[k - 1]) ? SPEC_GAP : DOC_GAP;
      const box = chainNodeBox(nodes[i], columnWidth[c]);
      laid.set(nodes[i].id, {
        id: nodes[i].id,
        x: columnX[c],
        y,
        width: columnWidth[c],
        height: box.height,
        lines: box.lines,
        caption: box.caption,
      });
      y += box.height;
    });
    height = Math.max(height, y + margin);
  });

  // 5. Edges.
  const laidEdges: LayoutEdge[] = valid.map(({ a, b, index, kind }) => {
    const from = laid.get(nodes[a].id)!;
    const to = laid.get(nodes[b].id)!;
    if (column[a] < column[b]) {
      return {
        index,
        from: from.id,
        to: to.id,
        points: [
          { x: from.x + from.width, y: from.y + from.height / 2 },
          { x: to.x, y: to.y + to.height / 2 },
        ],
        shape: 'horizontal',
      };
    }
    if (column[a] === column[b]) {
      // A bracket in the gutter left of the column: what a spec writes closer, what it reads further out.
      const out = kind === 'target_files' ? 7 : 13;
      const ya = from.y + from.height / 2;
      const yb = to.y + to.height / 2;
      return {
        index,
        from: from.id,
        to: to.id,
        points: [
          { x: from.x, y: ya },
          { x: from.x - out, y: ya },
          { x: to.x - out, y: yb },
          { x: to.x, y: yb },
        ],
        shape: 'bracket',
      };
    }
    return {
      index,
      from: from.id,
      to: to.id,
      points: [
        { x: from.x + from.width / 2, y: from.y + from.height },
        { x: to.x + to.width / 2, y: to.y + to.height },
      ],
      shape: 'under',
    };
  });
  // A loop below reaches under the lowest node of the columns it spans.
  for (const edge of laidEdges)
    if (edge.shape === 'under') height = Math.max(height, Math.max(...edge.points.map((p) => p.y)) + 34 + margin);

  // 6. Captions: the phase of each column's specs.
  const headers: LayoutHeader[] = [];
  byColumn.forEach((list, c) => {
    const names = [...new Set(list.filter((i) => nodes[i].kind === 'spec').map((i) => nodes[i].phase ?? UNPHASED))];
    if (names.length > 0)
      headers.push({ label: names.join(' / '), x: columnX[c] + columnWidth[c] / 2, y: margin + 12 });
  });
  return { nodes: laid, edges: laidEdges.sort((p, q) => p.index - q.index), width, height, headers };
}

/**
 * Longest-path levels over "follows" links, with a phase barrier: every spec of a phase comes after
 * every spec of the phases before it. Links against the workflow order are dropped; a cycle is cut
 * where it is found (its first node is placed as if the link closing it did not exist).
 */
function actorLevels(
  n: number,
  follows: Array<[number, number]>,
  isActor: (i: number) => boolean,
  phaseIndex: (i: number) => number | undefined,
): number[] {
  const level = new Array<number>(n).fill(0);
  const actors = [...Array(n).keys()].filter(isActor);
  const present = [...new Set(actors.map(phaseIndex).filter((p): p is number => p !== undefined))].sort(
    (a, b) => a - b,
  );
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

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
