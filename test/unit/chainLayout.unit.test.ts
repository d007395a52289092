import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { CHAR_PX, chainLayout, isCodeFile, MAX_COLUMN, MAX_LINES, MIN_COLUMN, SPEC_MAX_LINES, titleUnderPhase, wrapLabel } from '../../src/core/present/chainLayout';
import { countCrossings, packComponents, type Layout } from '../../src/core/present/graphLayout';
import { buildGraphView } from '../../src/core/present/graphModel';
import { layoutGraphView } from '../../src/core/present/viewLayout';
import { SpecIndex } from '../../src/core/project/specIndex';
import { DEFAULT_PHASES, orderedPhaseNames } from '../../src/core/workflow/phases';

const KVSTORE = path.resolve(__dirname, '../../../examples/kvstore');
const PHASES = orderedPhaseNames(DEFAULT_PHASES);
const IMPACT = '2026-02-08-008-j3n';
const ROOT_CAUSE = '2026-02-08-005-k9w';

function overlaps(layout: Layout): string[] {
  const boxes = [...layout.nodes.values()];
  const out: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) out.push(`${a.id} / ${b.id}`);
    }
  }
  return out;
}

describe('chainLayout', () => {
  let index: SpecIndex;
  before(async () => {
    index = await SpecIndex.load(KVSTORE, { includeArchive: true });
  });

  const view = (scope: Parameters<typeof buildGraphView>[1]) =>
    buildGraphView(index.specs, scope, { archived: index.archived, phases: DEFAULT_PHASES, projectRoot: KVSTORE });

  it('lays the example investigation out as phase columns sized to a 1000 px panel, documents stacked under their phase', () => {
    const graph = view({ kind: 'investigation', key: 'issue-1234' });
    const layout = layoutGraphView(graph.nodes, graph.edges, 'investigation', PHASES, 1000);
    const box = (id: string) => layout.nodes.get(id)!;
    const specs = ['2026-02-08-001-r4x', '2026-02-08-004-m2p', ROOT_CAUSE, IMPACT, '2026-02-08-010-v7b'].map((id) => `spec:${id}`);
    for (let i = 1; i < specs.length; i++) assert.ok(box(specs[i - 1]).x < box(specs[i]).x, `${specs[i - 1]} left of ${specs[i]}`);
    // Every spec at the top of its column, the same height; the gate last.
    for (const id of specs) assert.equal(box(id).y, box(specs[0]).y, id);
    const gate = box('gate:issue-1234');
    for (const node of layout.nodes.values()) if (node.id !== gate.id) assert.ok(gate.x > node.x, `the gate is rightmost (${node.id})`);
    // A document under the first phase that touches it: the research under the phase that writes it,
    // the issue under Comprehension, the code a fix rewrites under the research that read it first.
    const under = (doc: string, spec: string): void => {
      assert.equal(box(doc).x, box(spec).x, `${doc} in the column of ${spec}`);
      assert.ok(box(doc).y > box(spec).y, `${doc} below ${spec}`);
    };
    under('doc:.chant/research/issue-1234-root-cause.md', `spec:${ROOT_CAUSE}`);
    under('doc:.chant/research/issue-1234-comprehension.md', specs[0]);
    under('url:https://github.com/yourproject/kvstore/issues/1234', specs[0]);
    under('doc:src/storage/store.rs', `spec:${ROOT_CAUSE}`);
    under('doc:src/storage/batch.rs', specs[4]);
    // It fits the panel's width; every label within two lines that fit its box.
    assert.ok(layout.width <= 1000, `width ${layout.width}`);
    assert.ok(layout.height <= 620, `height ${layout.height}`);
    for (const node of layout.nodes.values()) {
      assert.ok(node.lines && node.lines.length >= 1 && node.lines.length <= (node.id.startsWith('spec:') ? SPEC_MAX_LINES : MAX_LINES), node.id);
      for (const line of node.lines) assert.ok(line.length * CHAR_PX <= node.width - 20, `"${line}" fits ${node.width} px`);
    }
    assert.deepEqual(overlaps(layout), []);
    assert.deepEqual(
      layout.headers?.map((h) => h.label),
      ['Comprehension', 'Reproduction', 'Root Cause', 'Impact Map', 'Fork Fix'],
    );
    // The phase prefix is dropped under the phase's caption.
    assert.equal(box(`spec:${ROOT_CAUSE}`).lines!.join(' ').startsWith('issue #1234'), true, box(`spec:${ROOT_CAUSE}`).lines!.join(' | '));
  });

  it('every spec of the example opens its chain inside a 1000×620 px panel at zoom 1', () => {
    for (const spec of index.specs.values()) {
      const graph = view({ kind: 'around', id: spec.id });
      const layout = layoutGraphView(graph.nodes, graph.edges, 'around', PHASES, 1000);
      assert.ok(layout.width <= 1000 && layout.height <= 620, `${spec.id}: ${layout.width} × ${layout.height}`);
      assert.deepEqual(overlaps(layout), [], spec.id);
      for (const node of layout.nodes.values()) for (const line of node.lines ?? []) assert.ok(line.length * CHAR_PX <= node.width - 20, `${spec.id}: "${line}"`);
    }
  });

  it('shares the panel between its columns, within the readable widths', () => {
    const graph = view({ kind: 'around', id: ROOT_CAUSE });
    const narrow = layoutGraphView(graph.nodes, graph.edges, 'around', PHASES, 700);
    const wide = layoutGraphView(graph.nodes, graph.edges, 'around', PHASES, 1600);
    const widths = (layout: Layout) => [...layout.nodes.values()].filter((n) => n.id.startsWith('spec:')).map((n) => n.width);
    for (const w of widths(narrow)) assert.equal(w, MIN_COLUMN);
    for (const w of widths(wide)) assert.ok(w > MIN_COLUMN && w <= MAX_COLUMN, String(w));
    assert.ok(wide.width <= 1600);
  });

  it('wraps titles at spaces, file names after separators, and marks what is cut', () => {
    assert.deepEqual(wrapLabel('issue #1234 concurrent write data loss', 20), ['issue #1234', 'concurrent write…']);
    assert.deepEqual(wrapLabel('short', 20), ['short']);
    assert.deepEqual(wrapLabel('issue-1234-comprehension.md', 18), ['issue-1234-', 'comprehension.md']);
    assert.deepEqual(wrapLabel('a b c d e f g h i j k l m n o p', 6), ['a b c', 'd e f…']);
    assert.equal(titleUnderPhase('Root cause: issue #1234 lost write', 'Root Cause'), 'issue #1234 lost write');
    assert.equal(titleUnderPhase('Fix issue #1234: add locking', 'Fork Fix'), 'Fix issue #1234: add locking');
  });

  it('the chain of the impact map stays in its investigation', () => {
    const graph = view({ kind: 'around', id: IMPACT });
    const ids = graph.nodes.map((n) => n.id);
    assert.ok(!ids.some((id) => id.startsWith('spec:2026-02-09-002-q3d')), `no storage-docs driver: ${ids.join(', ')}`);
    assert.ok(ids.includes('spec:2026-02-08-001-r4x') && ids.includes('spec:2026-02-08-010-v7b'));
    assert.ok(ids.includes('gate:issue-1234'));
    const layout = layoutGraphView(graph.nodes, graph.edges, 'around', PHASES);
    assert.deepEqual(overlaps(layout), []);
    assert.equal(layout.edges.length, graph.edges.length);
  });

  it('classifies code files: outside .chant and not text documents', () => {
    assert.equal(isCodeFile({ kind: 'document', path: 'src/a.rs' }), true);
    assert.equal(isCodeFile({ kind: 'document', path: 'src/**/*.rs' }), true);
    assert.equal(isCodeFile({ kind: 'document', path: 'docs/architecture/storage.md' }), false);
    assert.equal(isCodeFile({ kind: 'document', path: '.chant/research/x.json' }), false);
    assert.equal(isCodeFile({ kind: 'url' }), false);
  });

  it('unphased specs follow their links; a cycle is cut, not looped on', () => {
    const node = (id: string) => ({ id, kind: 'spec' as const });
    const layout = chainLayout(
      [node('a'), node('b'), node('c')],
      [
        { from: 'a', to: 'b', kind: 'depends_on' },
        { from: 'b', to: 'c', kind: 'depends_on' },
        { from: 'c', to: 'a', kind: 'depends_on' },
      ],
      PHASES,
    );
    assert.equal(layout.nodes.size, 3);
    assert.equal(layout.edges.length, 3);
    assert.deepEqual(overlaps(layout), []);
  });

  it('a phase constraint wins over a link against the workflow order', () => {
    const node = (id: string, phase: string) => ({ id, kind: 'spec' as const, phase });
    const layout = chainLayout([node('fix', 'Fork Fix'), node('comp', 'Comprehension')], [{ from: 'fix', to: 'comp', kind: 'informed_by' }], PHASES);
    assert.ok(layout.nodes.get('comp')!.x < layout.nodes.get('fix')!.x);
  });
});

describe('packComponents', () => {
  it('packs unconnected specs in a grid, not a column', () => {
    const nodes = Array.from({ length: 52 }, (_, i) => ({ id: `n${i}`, width: 160, height: 46 }));
    const edges = [
      { from: 'n0', to: 'n1' },
      { from: 'n1', to: 'n2' },
    ];
    const layout = packComponents(nodes, edges);
    assert.equal(layout.nodes.size, 52);
    assert.ok(layout.width > layout.height, `wider than high: ${layout.width} × ${layout.height}`);
    assert.ok(layout.width / layout.height < 4, `not one row either: ${layout.width} × ${layout.height}`);
    assert.deepEqual(overlaps(layout), []);
    assert.deepEqual(layout.edges.map((e) => e.index), [0, 1]);
  });
});
