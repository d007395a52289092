import * as assert from 'node:assert/strict';
import { edgePath, layoutGraph, nodeSize } from '../../src/core/present/graphLayout';
import { buildGraphView, scopeChoices } from '../../src/core/present/graphModel';
import { DEFAULT_PHASES } from '../../src/core/workflow/phases';
import { makeSpec, specMap } from './specFactory';

const R = '2026-02-08-001-r4x';
const P = '2026-02-08-004-m2p';
const K = '2026-02-08-005-k9w';
const X = '2026-02-09-001-a7c';

function investigation() {
  return specMap(
    makeSpec(R, { title: 'Comprehension', type: 'research', labels: ['comprehension', 'issue-1234'], targetFiles: ['.chant/research/c.md'], informedBy: ['https://github.com/o/r/issues/1234'], status: 'completed' }),
    makeSpec(P, { title: 'Reproduce', type: 'task', labels: ['reproduction', 'issue-1234'], dependsOn: [R], informedBy: ['.chant/research/c.md'] }),
    makeSpec(K, { title: 'Root cause', type: 'research', labels: ['root-cause', 'issue-1234'], dependsOn: [P], informedBy: [`.chant/specs/${R}.md`] }),
    makeSpec(X, { title: 'Unrelated', labels: ['docs'] }),
  );
}

describe('graphModel', () => {
  it('a phase scope keeps that phase’s specs and their documents', () => {
    const view = buildGraphView(investigation(), { kind: 'phase', name: 'Comprehension' }, { phases: DEFAULT_PHASES });
    assert.deepEqual(view.nodes.map((n) => n.id).sort(), ['doc:.chant/research/c.md', `spec:${R}`, 'url:https://github.com/o/r/issues/1234'].sort());
    assert.deepEqual(view.edges.map((e) => e.kind).sort(), ['informed_by', 'target_files']);
  });

  it('the around scope follows the chain; blocked reasons come from readiness', () => {
    const specs = investigation();
    const view = buildGraphView(specs, { kind: 'around', id: P }, {
      readiness: (id) => (id === K ? { effective: 'blocked', ready: false, blocked: true, blockers: [{ kind: 'dependency-unmet', id: P, message: `depends on ${P} (pending)` }], workBlockers: [], chantCannotLoad: false } : undefined),
    });
    const ids = view.nodes.map((n) => n.id);
    assert.ok(ids.includes(`spec:${R}`) && ids.includes(`spec:${K}`));
    assert.ok(!ids.includes(`spec:${X}`));
    assert.deepEqual(view.nodes.find((n) => n.id === `spec:${K}`)?.blockedBy, [`depends on ${P} (pending)`]);
  });

  it('the whole project includes every spec', () => {
    const view = buildGraphView(investigation(), { kind: 'all' });
    assert.equal(view.nodes.filter((n) => n.kind === 'spec').length, 4);
  });

  it('scope choices list investigations and the phases in use, in phase order', () => {
    assert.deepEqual(scopeChoices(investigation(), DEFAULT_PHASES), {
      investigations: ['issue-1234'],
      phases: ['Comprehension', 'Reproduction', 'Root Cause', 'Unphased'],
    });
  });
});

describe('graphLayout', () => {
  it('lays an investigation out left to right along its edges', () => {
    const view = buildGraphView(investigation(), { kind: 'investigation', key: 'issue-1234' });
    const layout = layoutGraph(
      view.nodes.map((n) => ({ id: n.id, ...nodeSize(n.label, n.kind) })),
      view.edges.map((e) => ({ from: e.from, to: e.to })),
    );
    assert.equal(layout.nodes.size, view.nodes.length);
    for (const edge of view.edges) {
      const from = layout.nodes.get(edge.from)!;
      const to = layout.nodes.get(edge.to)!;
      assert.ok(from.x + from.width <= to.x, `${edge.from} left of ${edge.to}`);
    }
    assert.equal(layout.edges.length, view.edges.length);
    for (const edge of layout.edges) assert.ok(edge.points.length >= 2);
    // Nothing overlaps.
    const boxes = [...layout.nodes.values()];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i];
        const b = boxes[j];
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        assert.ok(!overlap, `${a.id} overlaps ${b.id}`);
      }
    }
    assert.ok(layout.width > 0 && layout.height > 0);
  });

  it('survives cycles and self-loops', () => {
    const layout = layoutGraph(
      [
        { id: 'a', width: 100, height: 40 },
        { id: 'b', width: 100, height: 40 },
      ],
      [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'a' },
        { from: 'a', to: 'a' },
      ],
    );
    assert.equal(layout.nodes.size, 2);
    assert.deepEqual(layout.edges.map((e) => e.index), [0, 1]);
  });

  it('lays out 2,000 nodes with the fast layered layout: ranks left to right, no overlaps in a rank', () => {
    const nodes = Array.from({ length: 2000 }, (_, i) => ({ id: `n${i}`, width: 150, height: 44 }));
    const edges = nodes.slice(1).map((n, i) => ({ from: `n${Math.floor(i / 3)}`, to: n.id }));
    edges.push({ from: 'n1999', to: 'n0' }); // a cycle
    const layout = layoutGraph(nodes, edges);
    assert.equal(layout.nodes.size, 2000);
    assert.equal(layout.edges.length, edges.length);
    for (const edge of edges.slice(0, -1)) assert.ok(layout.nodes.get(edge.from)!.x < layout.nodes.get(edge.to)!.x, `${edge.from} left of ${edge.to}`);
    const byColumn = new Map<number, Array<{ y: number; height: number }>>();
    for (const box of layout.nodes.values()) byColumn.set(box.x, [...(byColumn.get(box.x) ?? []), box]);
    for (const column of byColumn.values()) {
      column.sort((a, b) => a.y - b.y);
      for (let i = 1; i < column.length; i++) assert.ok(column[i - 1].y + column[i - 1].height <= column[i].y);
    }
  });

  it('small graphs use dagre, big ones the fast layout, with the same result shape', () => {
    const nodes = [
      { id: 'a', width: 100, height: 40 },
      { id: 'b', width: 100, height: 40 },
      { id: 'c', width: 100, height: 40 },
    ];
    const edges = [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
      { from: 'a', to: 'c' },
    ];
    for (const dagreLimit of [1000, 0]) {
      const layout = layoutGraph(nodes, edges, { dagreLimit });
      const x = (id: string): number => layout.nodes.get(id)!.x;
      assert.ok(x('a') < x('b') && x('b') < x('c'), `limit ${dagreLimit}`);
      assert.deepEqual(layout.edges.map((e) => e.index), [0, 1, 2]);
    }
  });

  it('edgePath draws through the points', () => {
    assert.equal(edgePath([]), '');
    assert.equal(edgePath([{ x: 0, y: 0 }, { x: 10, y: 5 }]), 'M0,0 L10,5');
    assert.match(edgePath([{ x: 0, y: 0 }, { x: 5, y: 5 }, { x: 10, y: 0 }]), /^M0,0 Q5,5 10,0$/);
  });

  it('nodeSize grows with the label within bounds', () => {
    assert.ok(nodeSize('a', 'spec').width >= 150);
    assert.ok(nodeSize('x'.repeat(200), 'spec').width <= 264);
  });
});
