// The graph panel's browser side: lays the model out (core/present/viewLayout: phase columns for an
// investigation or a chain, packed components for the rest) and draws it as SVG built node by node
// (createElementNS + textContent, never markup). Zoom with the wheel or the toolbar, pan by
// dragging, fit, a minimap when the graph is bigger than the panel; live updates keep the viewport.
// Nodes are focusable: Enter opens.
import { edgePath, LABEL_CHARS, type Layout } from '../../core/present/graphLayout';
import { layoutGraphView } from '../../core/present/viewLayout';
import type { GraphEdge, GraphHostMessage, GraphPanelState, GraphViewNode, GraphViewScope } from '../protocol';
import { clear, h, icon, iconButton, s, vscodeApi } from './lib/dom';
import { l10n } from './lib/l10n';

type GraphMessage = Extract<GraphHostMessage, { type: 'graph' }>;

const vscode = vscodeApi<GraphPanelState>();
const app = document.getElementById('app')!;

let current: GraphMessage | undefined;
/** The nodes of the current graph by id, built once per draw (search looks nodes up per element). */
let nodeById = new Map<string, GraphViewNode>();
/** The graph canvas's size, kept by a ResizeObserver. */
let canvasSize: { width: number; height: number } | undefined;
let layout: Layout | undefined;
/** The panel width the current chain layout was made for (undefined: not a chain). */
let laidForWidth: number | undefined;
/** Line height of wrapped labels (chainLayout sizes the boxes with the same). */
const LINE_PX = 15;

function isChain(scope: GraphViewScope): boolean {
  return scope.kind === 'investigation' || scope.kind === 'around';
}
let view = { x: 0, y: 0, k: 1 };
let searchText = '';
let searchCursor = -1;

// ---------------------------------------------------------------------------------------------
// Static chrome

const scopeSelect = h('select', { id: 'scope', 'aria-label': l10n.t('Scope') });
const search = h('input', { type: 'search', id: 'search', placeholder: l10n.t('Search specs and files'), 'aria-label': l10n.t('Search the graph') });
const status = h('span', { class: 'status', id: 'graph-status', role: 'status', 'aria-live': 'polite' });
const toolbar = h(
  'div',
  { class: 'toolbar', role: 'toolbar', 'aria-label': l10n.t('Graph') },
  h('label', { for: 'scope', class: 'visually-hidden' }, l10n.t('Scope')),
  scopeSelect,
  h('div', { class: 'search-box' }, icon('search'), search),
  iconButton('zoom-in', l10n.t('Zoom in'), () => zoomBy(1.25), { id: 'zoom-in' }),
  iconButton('zoom-out', l10n.t('Zoom out'), () => zoomBy(0.8), { id: 'zoom-out' }),
  iconButton('screen-full', l10n.t('Fit to view'), () => fit(), { id: 'fit' }),
  iconButton('export', l10n.t('Export as SVG'), () => exportSvg(), { id: 'export-svg' }),
  status,
);

const svg = s('svg', { id: 'graph', class: 'graph', role: 'group', tabindex: 0, 'aria-label': l10n.t('Spec graph: Tab to the nodes, Enter opens one; + and - zoom, 0 fits, Shift+arrows pan') });
const defs = s('defs');
for (const kind of ['informed_by', 'target_files', 'depends_on', 'member', 'gate']) {
  defs.append(
    s('marker', { id: `arrow-${kind}`, class: `arrow arrow-${kind}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, s('path', { d: 'M0,0 L10,5 L0,10 z' })),
  );
}
svg.append(defs);
const viewport = s('g', { id: 'viewport' });
svg.append(viewport);
const tooltip = h('div', { class: 'tooltip', id: 'tooltip', role: 'tooltip', hidden: true });
const empty = h('div', { class: 'empty', hidden: true });
const minimap = h('canvas', { class: 'minimap', id: 'minimap', width: 180, height: 120, hidden: true, 'aria-hidden': 'true', title: l10n.t('Overview: click or drag to move the view') });
const canvas = h('div', { class: 'canvas' }, svg, tooltip, empty, minimap);

/**
 * The smallest font in the drawing (the sublabels and captions, media/webviews/graph.css) and the
 * smallest on-screen size a label may have when the graph opens: below it, it opens at a readable
 * zoom centred on the spec it was opened from instead of fitting everything.
 */
const SMALLEST_FONT_PX = 12;
const READABLE_PX = 11;

/** The codicon `warning` (16×16), drawn as a path so an exported SVG needs no icon font. */
const WARNING_PATH =
  'M14.831 11.965L9.206 1.714C8.965 1.274 8.503 1 8 1C7.497 1 7.035 1.274 6.794 1.714L1.169 11.965C1.059 12.167 1 12.395 1 12.625C1 13.383 1.617 14 2.375 14H13.625C14.383 14 15 13.383 15 12.625C15 12.395 14.941 12.167 14.831 11.965ZM13.625 13H2.375C2.168 13 2 12.832 2 12.625C2 12.561 2.016 12.5 2.046 12.445L7.671 2.195C7.736 2.075 7.863 2 8 2C8.137 2 8.264 2.075 8.329 2.195L13.954 12.445C13.984 12.501 14 12.561 14 12.625C14 12.832 13.832 13 13.625 13ZM8.75 11.25C8.75 11.664 8.414 12 8 12C7.586 12 7.25 11.664 7.25 11.25C7.25 10.836 7.586 10.5 8 10.5C8.414 10.5 8.75 10.836 8.75 11.25ZM7.5 9V5.5C7.5 5.224 7.724 5 8 5C8.276 5 8.5 5.224 8.5 5.5V9C8.5 9.276 8.276 9.5 8 9.5C7.724 9.5 7.5 9.276 7.5 9Z';

function driftMark(x: number, y: number): SVGGElement {
  return s('g', { class: 'drift-mark', transform: `translate(${x},${y})`, 'aria-hidden': 'true' }, s('path', { d: WARNING_PATH }));
}

const legend = h(
  'div',
  { class: 'legend', 'aria-label': l10n.t('Legend') },
  legendEdge('informed_by', l10n.t('informed by')),
  legendEdge('target_files', l10n.t('produces (target_files)')),
  legendEdge('depends_on', l10n.t('depends on')),
  legendEdge('member', l10n.t('driver → member')),
  legendEdge('gate', l10n.t('to the Upstream PR gate')),
  legendNode('spec', l10n.t('spec')),
  legendNode('document', l10n.t('document')),
  legendNode('url', l10n.t('URL')),
  legendDrift(),
);

function legendEdge(kind: string, label: string): HTMLElement {
  const sample = s('svg', { width: 34, height: 10, 'aria-hidden': 'true' }, s('line', { x1: 1, y1: 5, x2: 30, y2: 5, class: `edge edge-${kind}`, 'marker-end': `url(#arrow-${kind})` }));
  return h('span', { class: 'legend-item' }, sample, label);
}

function legendDrift(): HTMLElement {
  const sample = s('svg', { width: 16, height: 16, viewBox: '0 0 16 16', 'aria-hidden': 'true' }, driftMark(0, 0));
  return h('span', { class: 'legend-item' }, sample, l10n.t('drifted since completion'));
}

function legendNode(kind: string, label: string): HTMLElement {
  const sample = s('svg', { width: 22, height: 14, 'aria-hidden': 'true' }, s('rect', { x: 1, y: 1, width: 20, height: 12, rx: kind === 'url' ? 6 : 3, class: `node-shape kind-${kind}` }));
  return h('span', { class: 'legend-item' }, sample, label);
}

app.removeAttribute('aria-busy');
app.append(toolbar, canvas, legend);

// ---------------------------------------------------------------------------------------------
// Scope

function scopeValue(scope: GraphViewScope): string {
  switch (scope.kind) {
    case 'all':
      return 'all';
    case 'around':
      return `around:${scope.id}`;
    case 'investigation':
      return `investigation:${scope.key}`;
    case 'phase':
      return `phase:${scope.name}`;
  }
}

function scopeFromValue(value: string): GraphViewScope {
  const at = value.indexOf(':');
  const kind = at < 0 ? value : value.slice(0, at);
  const rest = value.slice(at + 1);
  if (kind === 'around') return { kind: 'around', id: rest };
  if (kind === 'investigation') return { kind: 'investigation', key: rest };
  if (kind === 'phase') return { kind: 'phase', name: rest };
  return { kind: 'all' };
}

function renderScopes(message: GraphMessage): void {
  clear(scopeSelect);
  const add = (parent: HTMLElement, value: string, label: string): void => {
    parent.append(h('option', { value, selected: value === scopeValue(message.scope) }, label));
  };
  if (message.scope.kind === 'around') add(scopeSelect, scopeValue(message.scope), l10n.t('Chain of {0}', message.scope.id));
  add(scopeSelect, 'all', l10n.t('Whole project'));
  if (message.choices.investigations.length) {
    const group = h('optgroup', { label: l10n.t('Investigation') });
    for (const key of message.choices.investigations) add(group, `investigation:${key}`, key);
    scopeSelect.append(group);
  }
  if (message.choices.phases.length) {
    const group = h('optgroup', { label: l10n.t('Phase') });
    for (const name of message.choices.phases) add(group, `phase:${name}`, name);
    scopeSelect.append(group);
  }
}

scopeSelect.addEventListener('change', () => {
  const scope = scopeFromValue(scopeSelect.value);
  vscode.setState({ root: current?.root ?? '', scope });
  vscode.postMessage({ type: 'setScope', scope });
});

// ---------------------------------------------------------------------------------------------
// Drawing

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function shortId(id: string): string {
  const m = /^\d{4}-\d{2}-\d{2}-(.+)$/.exec(id);
  return m ? m[1] : id;
}

function nodeShape(node: GraphViewNode, w: number, hgt: number): SVGElement {
  const cls = `node-shape kind-${node.kind}`;
  if (node.kind === 'url') return s('rect', { class: cls, width: w, height: hgt, rx: hgt / 2 });
  if (node.kind === 'gate') return s('path', { class: cls, d: `M12,0 H${w - 12} L${w},${hgt / 2} L${w - 12},${hgt} H12 L0,${hgt / 2} Z` });
  if (node.kind === 'document') {
    const f = 8;
    return s('path', { class: cls, d: `M0,0 H${w - f} L${w},${f} V${hgt} H0 Z` });
  }
  switch (node.type) {
    case 'research':
      return s('rect', { class: cls, width: w, height: hgt, rx: 14 });
    case 'driver':
    case 'group': {
      const g = s('g');
      g.append(s('rect', { class: `${cls} stack`, x: 4, y: -4, width: w, height: hgt, rx: 3 }), s('rect', { class: cls, width: w, height: hgt, rx: 3 }));
      return g;
    }
    case 'documentation':
      return s('path', { class: cls, d: `M0,0 H${w} V${hgt - 6} Q${w * 0.75},${hgt - 12} ${w / 2},${hgt - 6} T0,${hgt - 6} Z` });
    case 'task':
      return s('rect', { class: cls, width: w, height: hgt, rx: 0 });
    default:
      return s('rect', { class: cls, width: w, height: hgt, rx: 4 });
  }
}

function nodeAccessibleName(node: GraphViewNode): string {
  if (node.kind === 'spec') {
    const facts = [node.status ?? l10n.t('unknown status'), node.drift?.length ? l10n.t('drifted') : '', node.missing ? l10n.t('missing') : ''].filter(Boolean);
    return l10n.t('Spec {0}, {1}', node.label, facts.join(', '));
  }
  if (node.kind === 'document') return node.missing ? l10n.t('Document {0}, not found', node.path ?? node.label) : l10n.t('Document {0}', node.path ?? node.label);
  if (node.kind === 'gate') {
    return node.investigation ? l10n.t('Upstream PR gate of {0}: open the Investigation panel', node.investigation) : l10n.t('Upstream PR gate: open the Investigation panel');
  }
  return l10n.t('Link {0}', node.url ?? node.label);
}

/**
 * Time one drawing step may take before the rest waits for the next frame. A graph that fits is
 * drawn in one step, as before; at 2,000 nodes (≈ 14,000 SVG elements) building and rendering
 * everything at once held the main thread for 250-700 ms (bench/notes.md), so a big graph is drawn
 * over several frames, each a step of building plus the style and layout of what it added.
 */
const DRAW_STEP_MS = 40;

/** The drawing under way when a big graph is drawn over several frames. */
let pending: { layer: SVGGElement; step(budgetMs: number): boolean } | undefined;

function draw(message: GraphMessage): void {
  pending = undefined; // a newer graph replaces one still being drawn
  const nodes = message.nodes;
  nodeById = new Map(nodes.map((node) => [node.id, node]));
  const started = performance.now();
  // A chain is laid out for the panel's width (its columns share it); other scopes ignore it.
  laidForWidth = isChain(message.scope) ? panelSize().width : undefined;
  const laid = layoutGraphView(nodes, message.edges, message.scope.kind, message.phaseOrder ?? [], laidForWidth);
  layout = laid;
  const layoutMs = Math.round(performance.now() - started);
  const layer = s('g', { class: 'drawing' });
  const groupLayer = s('g', { class: 'groups' });
  const edgeLayer = s('g', { class: 'edges' });
  const nodeLayer = s('g', { class: 'nodes' });
  layer.append(groupLayer, edgeLayer, nodeLayer);
  const searching = searchText.trim();
  for (const group of laid.groups ?? []) {
    groupLayer.append(
      s('rect', { class: 'group', x: group.x, y: group.y, width: group.width, height: group.height, rx: 6 }),
      s('text', { class: 'group-label', x: group.x + 10, y: group.y + 16 }, group.label),
    );
  }
  for (const header of laid.headers ?? []) groupLayer.append(s('text', { class: 'column-caption', x: header.x, y: header.y, 'text-anchor': 'middle' }, header.label));
  let nextEdge = 0;
  let nextNode = 0;
  // Adds edges, then nodes, until everything is drawn (true) or the budget is spent (false). Each
  // step's elements are built detached and attached at once: appending thousands of elements to a
  // connected tree one by one costs more than one insertion of the whole.
  const step = (budgetMs: number): boolean => {
    const until = performance.now() + budgetMs;
    const edges = document.createDocumentFragment();
    const drawn = document.createDocumentFragment();
    let count = 0;
    const spent = (): boolean => (++count & 31) === 0 && performance.now() > until;
    try {
      while (nextEdge < laid.edges.length) {
        const laidEdge = laid.edges[nextEdge++];
        const edge: GraphEdge = message.edges[laidEdge.index];
        edges.append(s('path', { class: searching ? `edge edge-${edge.kind} dim` : `edge edge-${edge.kind}`, d: edgePath(laidEdge.points, laidEdge.shape), 'marker-end': `url(#arrow-${edge.kind})`, 'data-from': edge.from, 'data-to': edge.to }));
        if (spent()) return false;
      }
      while (nextNode < nodes.length) {
        const g = nodeElement(nodes[nextNode++], laid, message, searching);
        if (g) drawn.append(g);
        if (spent()) return false;
      }
      return true;
    } finally {
      edgeLayer.append(edges);
      nodeLayer.append(drawn);
    }
  };
  const complete = step(DRAW_STEP_MS);
  if (complete || viewport.childElementCount === 0) {
    // Drawn whole, or nothing on screen to keep: show it now (a big first drawing grows frame by frame).
    viewport.replaceChildren(layer);
  } else {
    // A live update of a big graph: the new drawing is built hidden (styled and laid out as it
    // grows, so showing it costs no big frame) and replaces the old one when it is whole.
    layer.setAttribute('visibility', 'hidden');
    viewport.append(layer);
  }
  empty.hidden = nodes.length > 0;
  empty.textContent = nodes.length > 0 ? '' : l10n.t('Nothing to show in this scope.');
  const specCount = nodes.filter((n) => n.kind === 'spec').length;
  status.textContent =
    specCount === 1
      ? l10n.t('1 spec, {0} other, {1} edges · layout {2} ms', nodes.length - specCount, message.edges.length, layoutMs)
      : l10n.t('{0} specs, {1} other, {2} edges · layout {3} ms', specCount, nodes.length - specCount, message.edges.length, layoutMs);
  if (complete) {
    svg.removeAttribute('aria-busy');
    return;
  }
  svg.setAttribute('aria-busy', 'true');
  const drawing = { layer, step };
  pending = drawing;
  const next = (): void => {
    if (pending !== drawing) return;
    if (!step(DRAW_STEP_MS)) {
      afterNextFrame(next);
      return;
    }
    showDrawing(drawing.layer);
  };
  afterNextFrame(next);
}

/** Runs `callback` in a task after the next frame is rendered, so that each step gets its own frame. */
function afterNextFrame(callback: () => void): void {
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => callback();
    channel.port2.postMessage(undefined);
  });
}

/** The whole of a drawing that was built over several frames replaces what was on screen. */
function showDrawing(layer: SVGGElement): void {
  pending = undefined;
  for (const child of [...viewport.children]) if (child !== layer) child.remove();
  layer.removeAttribute('visibility');
  svg.removeAttribute('aria-busy');
}

/** Draws what is left of a drawing under way at once (before the export or a search reads the SVG). */
function finishDrawing(): void {
  const drawing = pending;
  if (!drawing) return;
  drawing.step(Infinity);
  showDrawing(drawing.layer);
}

function nodeElement(
  node: GraphViewNode,
  laid: Layout,
  message: GraphMessage,
  searching: string,
): SVGGElement | undefined {
  const box = laid.nodes.get(node.id);
  if (!box) return undefined;
  const classes = ['node', `kind-${node.kind}`];
  if (node.status) classes.push(`status-${node.status}`);
  if (node.type) classes.push(`type-${node.type}`);
  if (node.missing) classes.push('missing');
  if (node.archived) classes.push('archived');
  if (node.drift?.length) classes.push('drifted');
  if (message.focus && node.specId === message.focus) classes.push('focus');
  // The search's marks are set here, so a fresh drawing needs no second pass over its elements.
  if (searching) classes.push(matches(node, searching) ? 'match' : 'dim');
  const g = s('g', {
    class: classes.join(' '),
    transform: `translate(${box.x},${box.y})`,
    tabindex: 0,
    role: 'button',
    'data-id': node.id,
    'aria-label': nodeAccessibleName(node),
  });
  if (classes.includes('focus'))
    g.append(s('rect', { class: 'focus-ring', x: -5, y: -5, width: box.width + 10, height: box.height + 10, rx: 8 }));
  g.append(nodeShape(node, box.width, box.height));
  if (node.kind === 'spec' && box.lines) {
    g.append(s('rect', { class: 'status-bar', x: 0, y: 0, width: 4, height: box.height, rx: 1 }));
    box.lines.forEach((line, k) => g.append(s('text', { class: 'label wrapped', x: 12, y: 18 + LINE_PX * k }, line)));
    g.append(
      s(
        'text',
        { class: 'sublabel', x: 12, y: 18 + LINE_PX * box.lines.length },
        `${node.status ?? (node.missing ? l10n.t('missing') : '')} · ${shortId(node.specId ?? '')}`,
      ),
    );
    if (node.drift?.length) g.append(driftMark(box.width - 20, 4));
  } else if (node.kind === 'spec') {
    g.append(s('rect', { class: 'status-bar', x: 0, y: 0, width: 4, height: box.height, rx: 1 }));
    g.append(s('text', { class: 'label', x: 12, y: 19 }, truncate(node.label, LABEL_CHARS.spec)));
    g.append(
      s(
        'text',
        { class: 'sublabel', x: 12, y: 36 },
        `${node.status ?? (node.missing ? l10n.t('missing') : '')} · ${shortId(node.specId ?? '')}`,
      ),
    );
    if (node.drift?.length) g.append(driftMark(box.width - 20, 4));
  } else if (node.kind !== 'gate' && box.lines) {
    g.append(s('text', { class: 'glyph', x: 9, y: 17 }, node.kind === 'url' ? '↗' : '▤'));
    box.lines.forEach((line, k) => g.append(s('text', { class: 'label wrapped', x: 24, y: 17 + LINE_PX * k }, line)));
    if (box.caption) g.append(s('text', { class: 'sublabel', x: 24, y: 17 + LINE_PX * box.lines.length }, box.caption));
  } else if (node.kind === 'gate') {
    g.append(s('text', { class: 'label', x: box.width / 2, y: 20, 'text-anchor': 'middle' }, node.label));
    g.append(
      s('text', { class: 'sublabel', x: box.width / 2, y: 37, 'text-anchor': 'middle' }, node.investigation ?? ''),
    );
  } else {
    const glyph = node.kind === 'url' ? '↗' : '▤';
    g.append(s('text', { class: 'glyph', x: 10, y: box.height / 2 + 4 }, glyph));
    g.append(s('text', { class: 'label', x: 26, y: box.height / 2 + 4 }, truncate(node.label, LABEL_CHARS.other)));
  }
  return g;
}

// One set of listeners on the viewport for every node (delegation): six per node cost ~70 ms
// of a 2,000-node draw (bench/notes.md).
function nodeOf(target: EventTarget | null): { el: SVGGElement; node: GraphViewNode } | undefined {
  const el = target instanceof Element ? target.closest<SVGGElement>('g.node') : null;
  const node = el ? nodeById.get(el.dataset.id ?? '') : undefined;
  return el && node ? { el, node } : undefined;
}
viewport.addEventListener('click', (e) => {
  const hit = nodeOf(e.target);
  if (hit) open(hit.node);
});
viewport.addEventListener('keydown', (e) => {
  const hit = nodeOf(e.target);
  if (hit && (e.key === 'Enter' || e.key === ' ')) {
    e.preventDefault();
    open(hit.node);
  }
});
// mouseover/mouseout and focusin/focusout bubble; show on entering a node, hide on leaving it.
viewport.addEventListener('mouseover', (e) => {
  const hit = nodeOf(e.target);
  if (hit && !hit.el.contains(e.relatedTarget as Node | null)) showTooltip(hit.node, hit.el);
});
viewport.addEventListener('mouseout', (e) => {
  const hit = nodeOf(e.target);
  if (hit && !hit.el.contains(e.relatedTarget as Node | null)) hideTooltip();
});
viewport.addEventListener('focusin', (e) => {
  const hit = nodeOf(e.target);
  if (hit) showTooltip(hit.node, hit.el);
});
viewport.addEventListener('focusout', hideTooltip);

function open(node: GraphViewNode): void {
  if (node.kind === 'spec' && node.specId && !node.missing) vscode.postMessage({ type: 'open', target: { kind: 'spec', specId: node.specId } });
  else if (node.kind === 'document' && node.path) vscode.postMessage({ type: 'open', target: { kind: 'file', path: node.path } });
  else if (node.kind === 'url' && node.url) vscode.postMessage({ type: 'open', target: { kind: 'url', url: node.url } });
  else if (node.kind === 'gate' && node.investigation) vscode.postMessage({ type: 'open', target: { kind: 'investigation', key: node.investigation } });
}

function showTooltip(node: GraphViewNode, el: SVGGElement): void {
  clear(tooltip);
  tooltip.append(h('div', { class: 'tt-title' }, node.label));
  if (node.kind === 'spec') {
    tooltip.append(h('div', { class: 'tt-line' }, node.specId ?? ''));
    const facts = [
      node.status && l10n.t('status: {0}', node.status),
      node.type && l10n.t('type: {0}', node.type),
      node.phase && l10n.t('phase: {0}', node.phase),
      node.archived && l10n.t('archived'),
      node.missing && l10n.t('not found'),
    ].filter(Boolean);
    tooltip.append(h('div', { class: 'tt-line' }, facts.join(' · ')));
    if (node.blockedBy?.length) {
      const list = h('ul', { class: 'tt-blockers' });
      for (const reason of node.blockedBy) list.append(h('li', {}, reason));
      tooltip.append(h('div', { class: 'tt-line strong' }, l10n.t('Not ready because:')), list);
    }
    if (node.drift?.length) {
      const list = h('ul', { class: 'tt-drift' });
      for (const line of node.drift) list.append(h('li', {}, line));
      tooltip.append(h('div', { class: 'tt-line strong' }, l10n.t('Drifted since completion:')), list);
    }
  } else if (node.kind === 'gate') {
    tooltip.append(h('div', { class: 'tt-line' }, l10n.t('Opens the Investigation panel: phases, approvals and the upstream pull request.')));
  } else {
    tooltip.append(h('div', { class: 'tt-line' }, node.path ?? node.url ?? ''));
    if (node.missing) tooltip.append(h('div', { class: 'tt-line' }, l10n.t('File not found')));
  }
  const rect = el.getBoundingClientRect();
  const host = canvas.getBoundingClientRect();
  tooltip.hidden = false;
  const left = Math.min(rect.left - host.left, host.width - tooltip.offsetWidth - 8);
  tooltip.style.left = `${Math.max(4, left)}px`;
  tooltip.style.top = `${rect.bottom - host.top + 6}px`;
}

function hideTooltip(): void {
  tooltip.hidden = true;
}

// ---------------------------------------------------------------------------------------------
// Viewport

function applyView(): void {
  // Only what changed: setting an attribute to its own value still invalidates the element, and for
  // the viewport that is the style and layout of the whole drawing (a live update keeps the view).
  setIfChanged(viewport, 'transform', `translate(${view.x},${view.y}) scale(${view.k})`);
  // What the benchmark and the e2e tests read: the zoom, and the smallest label on screen.
  setIfChanged(svg, 'data-zoom', view.k.toFixed(3));
  setIfChanged(svg, 'data-smallest-label-px', (SMALLEST_FONT_PX * view.k).toFixed(1));
  drawMinimap();
}

function setIfChanged(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

function panelSize(): { width: number; height: number } {
  // The size the ResizeObserver last saw: asking the DOM right after a draw appended thousands of
  // elements would force a second style and layout pass (~140 ms at 2,000 nodes, bench/notes.md).
  const box = canvasSize ?? svg.getBoundingClientRect();
  return { width: box.width || 800, height: box.height || 600 };
}

/** Fits the whole graph (the Fit button, `0`). */
function fit(): void {
  if (!layout) return;
  const { width, height } = panelSize();
  const k = Math.min(
    1.25,
    Math.max(0.05, Math.min(width / Math.max(layout.width, 1), height / Math.max(layout.height, 1))),
  );
  view = { k, x: (width - layout.width * k) / 2, y: (height - layout.height * k) / 2 };
  applyView();
}

/**
 * How a graph opens: everything inside the panel when its labels stay readable there, else at the
 * smallest readable zoom; either way the spec it was opened from as near the centre as the graph's
 * edges allow (without a spec: the start of the chain, the top left of a project).
 */
function openView(): void {
  if (!layout) return;
  const { width, height } = panelSize();
  const readable = READABLE_PX / SMALLEST_FONT_PX;
  const fits = Math.min(1.25, width / Math.max(layout.width, 1), height / Math.max(layout.height, 1));
  const k = fits >= readable ? fits : readable;
  if (current && isChain(current.scope) && fits >= readable) {
    // A chain that fits opens whole, as large as the panel allows (up to 125%) and centred both ways;
    // the spec it was opened from is marked (focus ring), not zoomed to. A chain is laid out for the
    // panel's width, so a wide panel's spare room is height: centred, it is a margin above and below
    // rather than one empty band under the drawing. (Narrower columns to scale the chain up into that
    // height would cut titles: at 1.2× the example loses 6 of its labels' ends.)
    view = { k, x: Math.max(0, (width - layout.width * k) / 2), y: Math.max(0, (height - layout.height * k) / 2) };
    applyView();
    return;
  }
  const focus = current?.focus ? layout.nodes.get(`spec:${current.focus}`) : undefined;
  const centre = focus ? { x: focus.x + focus.width / 2, y: focus.y + focus.height / 2 } : { x: 0, y: current?.scope.kind === 'all' || current?.scope.kind === 'phase' ? 0 : layout.height / 2 };
  const place = (panel: number, size: number, at: number): number => {
    const wanted = panel / 2 - at * k;
    const lo = Math.min(0, panel - size * k);
    const hi = Math.max(0, panel - size * k);
    return Math.min(hi, Math.max(lo, wanted));
  };
  view = { k, x: place(width, layout.width, centre.x), y: place(height, layout.height, centre.y) };
  applyView();
}

// ---------------------------------------------------------------------------------------------
// Minimap: the whole graph and the visible part, shown while the graph does not fit the panel.

function drawMinimap(): void {
  if (!layout) return;
  const { width, height } = panelSize();
  const outside =
    layout.width * view.k > width + 1 || layout.height * view.k > height + 1 || view.x < -1 || view.y < -1;
  minimap.hidden = !outside || layout.nodes.size === 0;
  if (minimap.hidden) return;
  const ctx = minimap.getContext('2d');
  if (!ctx) return;
  const scale = minimapScale();
  const colours = minimapColours();
  ctx.clearRect(0, 0, minimap.width, minimap.height);
  ctx.fillStyle = colours.nodes;
  for (const node of layout.nodes.values())
    ctx.fillRect(node.x * scale, node.y * scale, Math.max(1, node.width * scale), Math.max(1, node.height * scale));
  ctx.strokeStyle = colours.view;
  ctx.lineWidth = 1.5;
  ctx.strokeRect(
    (-view.x / view.k) * scale,
    (-view.y / view.k) * scale,
    (width / view.k) * scale,
    (height / view.k) * scale,
  );
}

/**
 * The theme's colours for the minimap, read once per theme: getComputedStyle right after a draw
 * appended thousands of elements forces their style to be computed there and then (≈ 30 ms of
 * the 2,000-node draw's message handler). VS Code changes the theme on <html> and <body>.
 */
let minimapColourCache: { nodes: string; view: string } | undefined;
function minimapColours(): { nodes: string; view: string } {
  if (!minimapColourCache) {
    const style = getComputedStyle(document.body);
    minimapColourCache = {
      nodes: style.getPropertyValue('--vscode-descriptionForeground').trim() || '#888',
      view: style.getPropertyValue('--vscode-focusBorder').trim() || '#07f',
    };
  }
  return minimapColourCache;
}
const forgetMinimapColours = new MutationObserver(() => (minimapColourCache = undefined));
forgetMinimapColours.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
forgetMinimapColours.observe(document.body, { attributes: true, attributeFilter: ['style', 'class'] });

function minimapScale(): number {
  return layout ? Math.min(minimap.width / Math.max(layout.width, 1), minimap.height / Math.max(layout.height, 1)) : 1;
}

function moveToMinimapPoint(e: PointerEvent): void {
  if (!layout) return;
  const box = minimap.getBoundingClientRect();
  const scale = minimapScale();
  const { width, height } = panelSize();
  const gx = (e.clientX - box.left) / scale;
  const gy = (e.clientY - box.top) / scale;
  view = { ...view, x: width / 2 - gx * view.k, y: height / 2 - gy * view.k };
  applyView();
}

let minimapDrag = false;
minimap.addEventListener('pointerdown', (e) => {
  minimapDrag = true;
  minimap.setPointerCapture(e.pointerId);
  moveToMinimapPoint(e);
});
minimap.addEventListener('pointermove', (e) => minimapDrag && moveToMinimapPoint(e));
minimap.addEventListener('pointerup', () => (minimapDrag = false));
minimap.addEventListener('pointercancel', () => (minimapDrag = false));

function zoomBy(factor: number, cx?: number, cy?: number): void {
  const box = svg.getBoundingClientRect();
  const px = cx ?? box.width / 2;
  const py = cy ?? box.height / 2;
  const k = Math.min(4, Math.max(0.05, view.k * factor));
  view = { k, x: px - ((px - view.x) * k) / view.k, y: py - ((py - view.y) * k) / view.k };
  applyView();
}

svg.addEventListener(
  'wheel',
  (e) => {
    e.preventDefault();
    const box = svg.getBoundingClientRect();
    zoomBy(Math.exp(-e.deltaY * 0.0015), e.clientX - box.left, e.clientY - box.top);
  },
  { passive: false },
);

let drag: { x: number; y: number; vx: number; vy: number } | undefined;
svg.addEventListener('pointerdown', (e) => {
  if ((e.target as Element).closest('.node')) return;
  drag = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y };
  svg.setPointerCapture(e.pointerId);
  svg.classList.add('panning');
});
svg.addEventListener('pointermove', (e) => {
  if (!drag) return;
  view = { ...view, x: drag.vx + e.clientX - drag.x, y: drag.vy + e.clientY - drag.y };
  applyView();
});
const endDrag = (): void => {
  drag = undefined;
  svg.classList.remove('panning');
};
svg.addEventListener('pointerup', endDrag);
svg.addEventListener('pointercancel', endDrag);
svg.addEventListener('keydown', (e) => {
  const step = 40;
  if (e.key === '+' || e.key === '=') zoomBy(1.25);
  else if (e.key === '-') zoomBy(0.8);
  else if (e.key === '0') fit();
  else if (e.key === 'ArrowLeft' && e.shiftKey) view.x += step;
  else if (e.key === 'ArrowRight' && e.shiftKey) view.x -= step;
  else if (e.key === 'ArrowUp' && e.shiftKey) view.y += step;
  else if (e.key === 'ArrowDown' && e.shiftKey) view.y -= step;
  else return;
  applyView();
});

// ---------------------------------------------------------------------------------------------
// Search

function matches(node: GraphViewNode, text: string): boolean {
  const t = text.toLowerCase();
  return [node.label, node.specId, node.path, node.url, node.status].some(
    (v) => v !== undefined && v.toLowerCase().includes(t),
  );
}

function applySearch(): void {
  const text = searchText.trim();
  for (const el of viewport.querySelectorAll<SVGGElement>('.node')) {
    const node = nodeById.get(el.dataset.id ?? '');
    const hit = text !== '' && node !== undefined && matches(node, text);
    el.classList.toggle('match', hit);
    el.classList.toggle('dim', text !== '' && !hit);
  }
  for (const el of viewport.querySelectorAll<SVGPathElement>('.edge')) el.classList.toggle('dim', text !== '');
}

search.addEventListener('input', () => {
  finishDrawing();
  searchText = search.value;
  searchCursor = -1;
  applySearch();
});
search.addEventListener('keydown', (e) => {
  if (e.key !== 'Enter' || !layout) return;
  e.preventDefault();
  finishDrawing();
  const hits = [...viewport.querySelectorAll<SVGGElement>('.node.match')];
  if (hits.length === 0) return;
  searchCursor = (searchCursor + 1) % hits.length;
  const box = layout.nodes.get(hits[searchCursor].dataset.id ?? '');
  if (!box) return;
  const rect = svg.getBoundingClientRect();
  view = {
    ...view,
    x: rect.width / 2 - (box.x + box.width / 2) * view.k,
    y: rect.height / 2 - (box.y + box.height / 2) * view.k,
  };
  applyView();
  hits[searchCursor].focus();
});

// ---------------------------------------------------------------------------------------------
// Export: a standalone SVG with the theme's colours resolved (CSS variables mean nothing outside VS Code).

const STYLE_PROPS = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'opacity', 'font-family', 'font-size', 'font-weight'];

function exportSvg(): void {
  if (!layout) return;
  finishDrawing();
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...svg.querySelectorAll('*')];
  const clones = [copy, ...copy.querySelectorAll('*')];
  originals.forEach((el, i) => {
    const style = getComputedStyle(el);
    const target = clones[i] as SVGElement;
    for (const prop of STYLE_PROPS) target.setAttribute(prop, style.getPropertyValue(prop));
    target.removeAttribute('class');
    target.removeAttribute('tabindex');
  });
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(Math.ceil(layout.width)));
  copy.setAttribute('height', String(Math.ceil(layout.height)));
  copy.setAttribute('viewBox', `0 0 ${Math.ceil(layout.width)} ${Math.ceil(layout.height)}`);
  copy.querySelector('#viewport')?.removeAttribute('transform');
  const background = getComputedStyle(document.body).backgroundColor;
  copy.insertBefore(s('rect', { width: '100%', height: '100%', fill: background }), copy.firstChild);
  vscode.postMessage({ type: 'exportSvg', svg: new XMLSerializer().serializeToString(copy) });
}

// ---------------------------------------------------------------------------------------------
// Messages

window.addEventListener('message', (event: MessageEvent<GraphHostMessage>) => {
  const message = event.data;
  if (message.type === 'exported') {
    status.textContent = l10n.t('Exported.');
    return;
  }
  if (message.type !== 'graph') return;
  const scopeChanged = !current || scopeValue(current.scope) !== scopeValue(message.scope);
  current = message;
  vscode.setState({ root: message.root, scope: message.scope });
  renderScopes(message);
  draw(message);
  if (!message.keepViewport || scopeChanged) {
    openView();
    openedWithoutSize = canvasSize === undefined;
  } else applyView();
});

/** A graph that arrived before the panel had a size opens again once it has one. */
let openedWithoutSize = false;
let relayoutTimer: ReturnType<typeof setTimeout> | undefined;
new ResizeObserver((entries) => {
  const rect = entries[entries.length - 1]?.contentRect;
  if (rect) canvasSize = { width: rect.width, height: rect.height };
  if (layout && current && openedWithoutSize && rect && rect.width > 0) {
    openedWithoutSize = false;
    // A chain was laid out for a guessed width: lay it out for the real one.
    if (laidForWidth !== undefined) draw(current);
    openView();
  } else if (
    current &&
    laidForWidth !== undefined &&
    rect &&
    Math.abs(rect.width - laidForWidth) > laidForWidth * 0.08
  ) {
    // The panel changed shape: a chain's columns follow it (a few dozen nodes: cheap), once it settles.
    clearTimeout(relayoutTimer);
    relayoutTimer = setTimeout(() => {
      if (!current) return;
      draw(current);
      openView();
    }, 150);
  } else drawMinimap();
}).observe(svg);

const saved = vscode.getState();
vscode.postMessage(saved?.scope ? { type: 'ready', scope: saved.scope } : { type: 'ready' });
