import * as assert from 'node:assert/strict';
import { buildSpecGraph, classifyReference, normalizeDocumentPath, type GraphEdge, type SpecGraph } from '../../src/core/present/specGraph';
import { cycleThrough, findDependencyCycles, specsOnCycles, wouldCreateCycle } from '../../src/core/project/cycles';
import type { Spec } from '../../src/core/spec/types';
import { makeSpec, specMap } from './specFactory';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateProject } from '../../bench/generateProject';
import { SpecIndex } from '../../src/core/project/specIndex';
import { compareSpecIds, parentIdOf } from '../../src/core/spec/ids';
import { investigationKeyOf } from '../../src/core/workflow/phases';

/** Specs named by short letters, each depending on the listed others. */
function deps(edges: Record<string, string[]>): Map<string, Spec> {
  return specMap(...Object.entries(edges).map(([id, on]) => makeSpec(id, { dependsOn: on })));
}

function idOf(i: number): string {
  return `2026-01-01-${i.toString(36).padStart(4, '0')}-abc`;
}

describe('graph', () => {
  describe('findDependencyCycles', () => {
    it('finds nothing in an acyclic project', () => {
      assert.deepEqual(findDependencyCycles(deps({ a: [], b: ['a'], c: ['b'] })), []);
    });

    it('finds a 2-cycle once', () => {
      assert.deepEqual(findDependencyCycles(deps({ a: ['b'], b: ['a'] })), [['a', 'b', 'a']]);
    });

    it('finds a 3-cycle once, starting at the smallest id', () => {
      assert.deepEqual(findDependencyCycles(deps({ c: ['a'], b: ['c'], a: ['b'] })), [['a', 'b', 'c', 'a']]);
    });

    it('follows depends_on in the path direction', () => {
      // a depends on c, c on b, b on a: a -> c -> b -> a.
      assert.deepEqual(findDependencyCycles(deps({ a: ['c'], b: ['a'], c: ['b'] })), [['a', 'c', 'b', 'a']]);
    });

    it('treats a self-dependency as a cycle', () => {
      assert.deepEqual(findDependencyCycles(deps({ a: ['a'], b: [] })), [['a', 'a']]);
    });

    it('finds two disjoint cycles, sorted', () => {
      const cycles = findDependencyCycles(deps({ d: ['c'], c: ['d'], b: ['a'], a: ['b'], e: ['a'] }));
      assert.deepEqual(cycles, [
        ['a', 'b', 'a'],
        ['c', 'd', 'c'],
      ]);
    });

    it('reports no cycle for a diamond', () => {
      assert.deepEqual(findDependencyCycles(deps({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'] })), []);
    });

    it('ignores dependencies on specs that do not exist', () => {
      assert.deepEqual(findDependencyCycles(deps({ a: ['missing', 'a-ghost'] })), []);
    });

    it('puts every spec on a cycle into some reported cycle', () => {
      // A plain depth-first search finds a->b->a and then reaches b from c after b is finished.
      const specs = deps({ a: ['b', 'c'], b: ['a'], c: ['b'] });
      const cycles = findDependencyCycles(specs);
      const onSome = new Set(cycles.flat());
      for (const id of ['a', 'b', 'c']) assert.ok(onSome.has(id), id);
      assert.deepEqual([...specsOnCycles(specs)].sort(), ['a', 'b', 'c']);
    });

    it('does not depend on the order of the map', () => {
      const edges = { a: ['b'], b: ['c'], c: ['a', 'd'], d: ['d'], e: ['f'], f: ['e'] };
      const reversed = Object.fromEntries(Object.entries(edges).reverse());
      assert.deepEqual(findDependencyCycles(deps(edges)), findDependencyCycles(deps(reversed)));
    });

    it('handles a 50k-long chain without overflowing the stack', function () {
      this.timeout(20_000);
      const specs = new Map<string, Spec>();
      const n = 50_000;
      for (let i = 0; i < n; i++) specs.set(idOf(i), makeSpec(idOf(i), { dependsOn: i + 1 < n ? [idOf(i + 1)] : [] }));
      assert.deepEqual(findDependencyCycles(specs), []);
      assert.equal(cycleThrough(idOf(0), specs), undefined);

      // Close the chain: one cycle through all 50k specs.
      specs.set(idOf(n - 1), makeSpec(idOf(n - 1), { dependsOn: [idOf(0)] }));
      const cycles = findDependencyCycles(specs);
      assert.equal(cycles.length, 1);
      assert.equal(cycles[0].length, n + 1);
      assert.equal(cycles[0][0], idOf(0));
      assert.equal(cycles[0][n], idOf(0));
      assert.equal(cycleThrough(idOf(123), specs)?.length, n + 1);
      assert.equal(specsOnCycles(specs).size, n);
    });
  });

  describe('cycleThrough and wouldCreateCycle', () => {
    const specs = deps({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] });

    it('returns a cycle through the given spec', () => {
      assert.deepEqual(cycleThrough('b', specs), ['b', 'c', 'a', 'b']);
      assert.equal(cycleThrough('d', specs), undefined);
      assert.equal(cycleThrough('nope', specs), undefined);
    });

    it('detects the cycle a new depends_on would close', () => {
      const chain = deps({ a: [], b: ['a'], c: ['b'] });
      assert.deepEqual(wouldCreateCycle('a', ['c'], chain), ['a', 'c', 'b', 'a']);
      assert.equal(wouldCreateCycle('c', ['a'], chain), undefined);
      assert.deepEqual(wouldCreateCycle('b', ['b'], chain), ['b', 'b']);
      assert.equal(wouldCreateCycle('new', ['c'], chain), undefined);
    });

    it('ignores cycles elsewhere and the dependencies being replaced', () => {
      assert.equal(wouldCreateCycle('d', ['b'], specs), undefined);
      // a's current depends_on closes a cycle; replacing it with [] removes it.
      assert.equal(wouldCreateCycle('a', [], specs), undefined);
    });
  });

  describe('buildSpecGraph', () => {
    // The kvstore investigation of §12, with the full ids the guide should have used.
    const ISSUE = 'https://github.com/yourproject/kvstore/issues/1234';
    const COMP = '2026-02-08-001-r4x';
    const REPRO = '2026-02-08-004-m2p';
    const ROOT = '2026-02-08-005-k9w';
    const IMPACT = '2026-02-08-008-j3n';
    const FIX = '2026-02-08-010-v7b';
    const OTHER = '2026-02-09-001-zzz';
    const COMP_DOC = '.chant/research/issue-1234-comprehension.md';
    const ROOT_DOC = '.chant/research/issue-1234-root-cause.md';
    const IMPACT_DOC = '.chant/research/issue-1234-impact-map.md';
    const TEST = 'tests/regression/issue_1234_test.rs';

    function kvstore(): { active: Map<string, Spec>; archived: Map<string, Spec> } {
      const comprehension = makeSpec(COMP, {
        type: 'research',
        status: 'completed',
        title: 'Comprehension: issue #1234 data loss on concurrent writes',
        labels: ['comprehension', 'issue-1234'],
        informedBy: [ISSUE],
        targetFiles: [COMP_DOC],
      });
      const active = specMap(
        makeSpec(REPRO, {
          type: 'task',
          status: 'completed',
          labels: ['reproduction', 'issue-1234'],
          dependsOn: [COMP],
          informedBy: [`.chant/specs/${COMP}.md`, COMP_DOC],
          targetFiles: [TEST],
        }),
        makeSpec(ROOT, {
          type: 'research',
          status: 'completed',
          labels: ['root-cause', 'issue-1234'],
          dependsOn: [REPRO],
          informedBy: [`.chant/specs/${COMP}.md`, `.chant/specs/${REPRO}.md`, TEST, 'src/storage/store.rs', 'README.md'],
          targetFiles: [ROOT_DOC],
        }),
        makeSpec(IMPACT, {
          type: 'research',
          status: 'in_progress',
          labels: ['impact-map', 'Issue-1234'],
          dependsOn: [ROOT],
          informedBy: [`./${ROOT_DOC}`],
          targetFiles: [IMPACT_DOC],
        }),
        makeSpec(FIX, {
          labels: ['fix', 'issue-1234'],
          dependsOn: [IMPACT],
          informedBy: [ROOT_DOC, IMPACT_DOC],
          targetFiles: ['src/storage/store.rs', 'docs/architecture/storage.md'],
        }),
        makeSpec(OTHER, { labels: ['issue-99'], informedBy: ['README.md'], targetFiles: ['docs/other.md'] }),
      );
      return { active, archived: specMap({ ...comprehension, archived: true }) };
    }

    const hasEdge = (graph: SpecGraph, edge: GraphEdge): boolean =>
      graph.edges.some((e) => e.from === edge.from && e.to === edge.to && e.kind === edge.kind);
    const nodeIds = (graph: SpecGraph): string[] => graph.nodes.map((n) => n.id);

    it('builds the whole chain with documents between the phases', () => {
      const { active, archived } = kvstore();
      const graph = buildSpecGraph(active, { archived });
      const ids = nodeIds(graph);
      assert.equal(new Set(ids).size, ids.length, 'node ids are unique');
      for (const edge of [
        { from: `spec:${COMP}`, to: `spec:${REPRO}`, kind: 'informed_by' },
        { from: `spec:${COMP}`, to: `spec:${REPRO}`, kind: 'depends_on' },
        { from: `doc:${COMP_DOC}`, to: `spec:${REPRO}`, kind: 'informed_by' },
        { from: `spec:${REPRO}`, to: `doc:${TEST}`, kind: 'target_files' },
        { from: `doc:${TEST}`, to: `spec:${ROOT}`, kind: 'informed_by' },
        { from: `spec:${ROOT}`, to: `doc:${ROOT_DOC}`, kind: 'target_files' },
        { from: `doc:${ROOT_DOC}`, to: `spec:${IMPACT}`, kind: 'informed_by' },
        { from: `spec:${IMPACT}`, to: `doc:${IMPACT_DOC}`, kind: 'target_files' },
        { from: `doc:${IMPACT_DOC}`, to: `spec:${FIX}`, kind: 'informed_by' },
        { from: `spec:${IMPACT}`, to: `spec:${FIX}`, kind: 'depends_on' },
        { from: `spec:${FIX}`, to: 'doc:src/storage/store.rs', kind: 'target_files' },
      ] as GraphEdge[]) {
        assert.ok(hasEdge(graph, edge), JSON.stringify(edge));
      }
      // The comprehension spec is archived: it resolves, but only its outgoing references are drawn
      // when it is in scope, and `all` covers active specs.
      const comp = graph.nodes.find((n) => n.id === `spec:${COMP}`)!;
      assert.equal(comp.archived, true);
      assert.equal(comp.status, 'completed');
      assert.equal(comp.phase, 'Comprehension');
      assert.ok(!ids.includes(`url:${ISSUE}`));
      // `./x` and `x` are one document.
      assert.equal(ids.filter((id) => id.endsWith('issue-1234-root-cause.md')).length, 1);
    });

    it('fills spec nodes with effective status, type, phase and investigation', () => {
      const { active } = kvstore();
      const graph = buildSpecGraph(active);
      const fix = graph.nodes.find((n) => n.id === `spec:${FIX}`)!;
      assert.deepEqual(
        {
          kind: fix.kind,
          specId: fix.specId,
          status: fix.status,
          type: fix.type,
          phase: fix.phase,
          inv: fix.investigation,
        },
        { kind: 'spec', specId: FIX, status: 'blocked', type: 'code', phase: 'Fork Fix', inv: 'issue-1234' },
      );
      // Without the archive, the comprehension spec is a missing node.
      const comp = graph.nodes.find((n) => n.id === `spec:${COMP}`)!;
      assert.equal(comp.missing, true);
      const doc = graph.nodes.find((n) => n.id === `doc:${TEST}`)!;
      assert.deepEqual(doc, { id: `doc:${TEST}`, kind: 'document', label: 'issue_1234_test.rs', path: TEST });
    });

    it('scopes to one investigation, archived specs included', () => {
      const { active, archived } = kvstore();
      for (const key of ['issue-1234', '#1234', '1234', ISSUE]) {
        const graph = buildSpecGraph(active, { archived, scope: { kind: 'investigation', key } });
        const specIds = graph.nodes.filter((n) => n.kind === 'spec').map((n) => n.specId);
        assert.deepEqual(specIds.sort(), [COMP, REPRO, ROOT, IMPACT, FIX].sort(), key);
        const url = graph.nodes.find((n) => n.kind === 'url')!;
        assert.deepEqual(url, { id: `url:${ISSUE}`, kind: 'url', label: 'yourproject/kvstore#1234', url: ISSUE });
        assert.ok(hasEdge(graph, { from: `url:${ISSUE}`, to: `spec:${COMP}`, kind: 'informed_by' }));
        assert.ok(!nodeIds(graph).includes(`spec:${OTHER}`));
      }
    });

    it('scopes around one spec: its chain upstream and downstream', () => {
      const { active, archived } = kvstore();
      const graph = buildSpecGraph(active, { archived, scope: { kind: 'around', id: IMPACT } });
      const ids = nodeIds(graph);
      for (const id of [COMP, REPRO, ROOT, IMPACT, FIX]) assert.ok(ids.includes(`spec:${id}`), id);
      for (const id of [`url:${ISSUE}`, `doc:${COMP_DOC}`, `doc:${ROOT_DOC}`, `doc:${IMPACT_DOC}`, 'doc:README.md']) {
        assert.ok(ids.includes(id), id);
      }
      // OTHER shares an input (README.md) with the chain, but nothing flows between them.
      assert.ok(!ids.includes(`spec:${OTHER}`));
      assert.ok(!ids.includes('doc:docs/other.md'));
      for (const edge of graph.edges) assert.ok(ids.includes(edge.from) && ids.includes(edge.to));
    });

    it('around a spec at the start reaches everything it feeds', () => {
      const { active, archived } = kvstore();
      const graph = buildSpecGraph(active, { archived, scope: { kind: 'around', id: OTHER } });
      // Its investigation's Upstream PR gate comes after it.
      assert.deepEqual(nodeIds(graph).sort(), ['doc:README.md', 'doc:docs/other.md', 'gate:issue-99', `spec:${OTHER}`].sort());
      assert.ok(hasEdge(graph, { from: `spec:${OTHER}`, to: 'gate:issue-99', kind: 'gate' }));
      const downstream = buildSpecGraph(active, { archived, scope: { kind: 'around', id: COMP } });
      assert.ok(nodeIds(downstream).includes(`spec:${FIX}`));
      assert.ok(nodeIds(downstream).includes('doc:docs/architecture/storage.md'));
    });

    it('the chain follows a shared code file only within one investigation', () => {
      const { active, archived } = kvstore();
      const docs = makeSpec('2026-02-09-002-q3d.2', { labels: ['docs'], targetFiles: ['src/storage/store.rs'] });
      active.set(docs.id, docs);
      active.set('2026-02-09-002-q3d', makeSpec('2026-02-09-002-q3d', { type: 'driver', labels: ['docs'] }));
      const graph = buildSpecGraph(active, { archived, scope: { kind: 'around', id: IMPACT } });
      assert.ok(!nodeIds(graph).some((id) => id.includes('q3d')), nodeIds(graph).join(', '));
      // The gate follows the last spec of the investigation only.
      assert.deepEqual(graph.edges.filter((e) => e.kind === 'gate'), [{ from: `spec:${FIX}`, to: 'gate:issue-1234', kind: 'gate' }]);
    });

    it('around an unknown spec is empty', () => {
      const { active } = kvstore();
      assert.deepEqual(buildSpecGraph(active, { scope: { kind: 'around', id: 'nope' } }), { nodes: [], edges: [] });
    });

    it('draws members from their nearest existing driver and missing dependencies as missing nodes', () => {
      const D = '2026-02-10-001-grp';
      const specs = specMap(
        makeSpec(D, { type: 'group' }),
        makeSpec(`${D}.1`),
        makeSpec(`${D}.2.1`),
        makeSpec('2026-02-10-002-abc', { dependsOn: ['005-k9w'] }),
      );
      const graph = buildSpecGraph(specs);
      assert.ok(hasEdge(graph, { from: `spec:${D}`, to: `spec:${D}.1`, kind: 'member' }));
      assert.ok(hasEdge(graph, { from: `spec:${D}`, to: `spec:${D}.2.1`, kind: 'member' }));
      const missing = graph.nodes.find((n) => n.id === 'spec:005-k9w')!;
      assert.deepEqual(missing, { id: 'spec:005-k9w', kind: 'spec', label: '005-k9w', specId: '005-k9w', missing: true });
      assert.ok(hasEdge(graph, { from: 'spec:005-k9w', to: 'spec:2026-02-10-002-abc', kind: 'depends_on' }));
    });

    it('gives the same graph whatever the map order', () => {
      const { active, archived } = kvstore();
      const reversed = new Map([...active].reverse());
      assert.deepEqual(buildSpecGraph(active, { archived }), buildSpecGraph(reversed, { archived }));
    });

    it('builds each investigation of a generated project from all of its specs and their drivers\' members, in id order', async () => {
      // The investigation scope picks its specs in one pass and sorts only those (it sorted the
      // whole project twice); checked here against the rule stated plainly over every spec.
      const dir = mkdtempSync(path.join(os.tmpdir(), 'chant-graph-'));
      try {
        const project = generateProject(dir, 600, 5);
        const index = await SpecIndex.load(project.root, { includeArchive: true });
        const archived = await index.loadArchive();
        // Generated members carry their driver's labels; a few lose them here, so that the rule
        // for members without the label is exercised too.
        const active = new Map(index.specs);
        const unlabelled = [...active.values()]
          .filter(
            (s) =>
              parentIdOf(s.id) !== undefined && investigationKeyOf(active.get(parentIdOf(s.id)!) ?? s) !== undefined,
          )
          .slice(0, 8);
        for (const s of unlabelled) active.set(s.id, { ...s, labels: [] });
        const everything = [...active.values(), ...[...archived.values()].filter((s) => !active.has(s.id))].sort(
          (a, b) => compareSpecIds(a.id, b.id),
        );
        const exists = (id: string): boolean => active.has(id) || archived.has(id);
        const nearestParent = (id: string): string | undefined => {
          for (let p = parentIdOf(id); p !== undefined; p = parentIdOf(p)) if (exists(p)) return p;
          return undefined;
        };
        const keys = new Set(everything.map((s) => investigationKeyOf(s)).filter((k): k is string => k !== undefined));
        assert.ok(keys.size > 5, 'the project has investigations');
        let joinedSeen = 0;
        for (const key of keys) {
          const graph = buildSpecGraph(active, { archived, scope: { kind: 'investigation', key }, projectRoot: project.root });
          const seeds = everything.filter((s) => investigationKeyOf(s) === key).map((s) => `spec:${s.id}`);
          const seedSet = new Set(seeds);
          // Its specs, in id order, come first among the nodes that carry its key.
          assert.deepEqual(graph.nodes.filter((n) => n.kind === 'spec' && seedSet.has(n.id)).map((n) => n.id), seeds, key);
          // Every spec whose nearest driver is one of them hangs off that driver, in id order.
          const joined = everything.filter((s) => !seedSet.has(`spec:${s.id}`) && seedSet.has(`spec:${nearestParent(s.id)}`));
          joinedSeen += joined.length;
          const memberEdges = graph.edges.filter((e) => e.kind === 'member' && !seedSet.has(e.to)).map((e) => `${e.from}>${e.to}`);
          assert.deepEqual(memberEdges, joined.map((s) => `spec:${nearestParent(s.id)}>spec:${s.id}`), key);
          // Whatever order the maps come in.
          const shuffledActive = new Map([...active].reverse());
          const shuffledArchived = new Map([...archived].reverse());
          assert.deepEqual(buildSpecGraph(shuffledActive, { archived: shuffledArchived, scope: { kind: 'investigation', key }, projectRoot: project.root }), graph, key);
        }
        assert.ok(joinedSeen > 0, "some members of an investigation's driver lack its label");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('uses the configured phases', () => {
      const { active } = kvstore();
      const graph = buildSpecGraph(active, { phases: [{ name: 'Fixing', labels: ['FIX'] }] });
      assert.equal(graph.nodes.find((n) => n.id === `spec:${FIX}`)!.phase, 'Fixing');
      assert.equal(graph.nodes.find((n) => n.id === `spec:${ROOT}`)!.phase, 'Unphased');
    });
  });

  describe('references', () => {
    it('classifies URLs, spec files and documents', () => {
      assert.deepEqual(classifyReference('https://example.com/x'), { kind: 'url', url: 'https://example.com/x' });
      assert.deepEqual(classifyReference('.chant/specs/2026-02-08-001-r4x.md'), { kind: 'spec', id: '2026-02-08-001-r4x' });
      assert.deepEqual(classifyReference('./.chant/archive/2026-02-08/2026-02-08-001-r4x.md'), {
        kind: 'spec',
        id: '2026-02-08-001-r4x',
      });
      assert.deepEqual(classifyReference('src/a/../b.rs'), { kind: 'document', path: 'src/b.rs' });
    });

    it('normalizes paths to one spelling', () => {
      assert.equal(normalizeDocumentPath('./docs//a.md'), 'docs/a.md');
      assert.equal(normalizeDocumentPath('docs\\a.md'), 'docs/a.md');
      assert.equal(normalizeDocumentPath('docs/'), 'docs');
      assert.equal(normalizeDocumentPath('/work/p/docs/a.md', '/work/p'), 'docs/a.md');
      assert.equal(normalizeDocumentPath('/elsewhere/a.md', '/work/p'), '/elsewhere/a.md');
    });
  });
});

