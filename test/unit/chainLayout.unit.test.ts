import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { chainLayout, isCodeFile } from '../../src/core/present/chainLayout';
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

  const view = (scope: Parameters<typeof buildGraphView>[1]) => buildGraphView(index.specs, scope, { archived: index.archived, phases: DEFAULT_PHASES, projectRoot: KVSTORE });

  it('lays the example investigation out as phase columns: issue left, gate right, documents between', () => {
    const graph = view({ kind: 'investigation', key: 'issue-1234' });
    const layout = layoutGraphView(graph.nodes, graph.edges, 'investigation', PHASES);
    const x = (id: string): number => layout.nodes.get(id)!.x;
    const specs = ['2026-02-08-001-r4x', '2026-02-08-004-m2p', ROOT_CAUSE, IMPACT, '2026-02-08-010-v7b'].map((id) => `spec:${id}`);
    for (let i = 1; i < specs.length; i++) assert.ok(x(specs[i - 1]) < x(specs[i]), `${specs[i - 1]} left of ${specs[i]}`);
    const issue = 'url:https://github.com/yourproject/kvstore/issues/1234';
    for (const node of layout.nodes.values()) if (node.id !== issue) assert.ok(x(issue) <= node.x, `the issue is leftmost (${node.id})`);
    const gate = 'gate:issue-1234';
    for (const node of layout.nodes.values()) if (node.id !== gate) assert.ok(x(gate) >= node.x, `the gate is rightmost (${node.id})`);
    // The root cause document sits between its producer and its first reader.
    const doc = 'doc:.chant/research/issue-1234-root-cause.md';
    assert.ok(x(`spec:${ROOT_CAUSE}`) < x(doc) && x(doc) < x(`spec:${IMPACT}`));
    // Code files are below the chain, in one group.
    const store = layout.nodes.get('doc:src/storage/store.rs')!;
    const chainBottom = Math.max(...specs.map((id) => layout.nodes.get(id)!.y + layout.nodes.get(id)!.height));
    assert.ok(store.y > chainBottom, 'code files in their own lane');
    assert.equal(layout.groups?.length, 1);
    assert.deepEqual(overlaps(layout), []);
    assert.deepEqual(
      layout.headers?.map((h) => h.label),
      ['Issue', 'Comprehension', 'Reproduction', 'Root Cause', 'Impact Map', 'Fork Fix'],
    );
    const crossings = countCrossings(layout);
    assert.ok(crossings <= 6, `few crossings: ${crossings}`);
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
    const node = (id: string) => ({ id, kind: 'spec' as const, width: 100, height: 40 });
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
    const node = (id: string, phase: string) => ({ id, kind: 'spec' as const, width: 100, height: 40, phase });
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
