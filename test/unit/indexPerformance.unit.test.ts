// The shortcuts that keep the index fast must not change its answers: after an edit the index keeps
// the readiness of specs the edit cannot affect, so we check every spec's readiness against a
// from-scratch computation after each of many random edits on a generated project.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateProject, seededRandom, type GeneratedProject } from '../../bench/generateProject';
import { findDependencyCycles } from '../../src/core/project/cycles';
import { readTextFiles } from '../../src/core/project/readFiles';
import { readinessOfAll, verdictOf, type Readiness } from '../../src/core/project/readiness';
import { SpecIndex } from '../../src/core/project/specIndex';
import { displayStateOf } from '../../src/core/present/displayState';
import { compareSpecIds, nearestParentId, parentIdOf } from '../../src/core/spec/ids';
import { buildTreeModel, type GroupingMode, type ModelNode, type SpecFilter, type TreeModel } from '../../src/core/present/grouping';
import { LiveTreeModel, type LiveTreeSource } from '../../src/core/present/liveTreeModel';
import type { DisplayState } from '../../src/core/present/displayState';
import type { Spec } from '../../src/core/spec/types';
import { DEFAULT_PHASES } from '../../src/core/workflow/phases';


/** What the view gives a project's LiveTreeModel, and the rules buildTreeModel takes for comparison. */
function liveSource(index: SpecIndex): {
  source: LiveTreeSource;
  stateOf: (spec: Spec) => DisplayState;
  parentOf: (id: string) => string | undefined;
} {
  const stateOf = (s: Spec): DisplayState => displayStateOf(s, index.readiness(s.id));
  const source = {
    sorted: () => index.sorted(),
    get: (id: string) => index.specs.get(id),
    stateOf,
    phases: DEFAULT_PHASES,
  };
  return { source, stateOf, parentOf: (id) => nearestParentId(id, (up) => index.specs.has(up)) };
}

/**
 * The verdict the tree and the badge read (kept by the index, and `verdictOf` made fresh) is the
 * effective status and readiness of the full computation. Asked before the full readiness, so the
 * index's own verdict path answers.
 */
function assertVerdict(index: SpecIndex, id: string, expected: Readiness | undefined, when: string): void {
  const want = expected && { effective: expected.effective, ready: expected.ready };
  const kept = index.verdict(id);
  assert.deepStrictEqual(kept && { effective: kept.effective, ready: kept.ready }, want, `verdict of ${id} ${when}`);
  const spec = index.specs.get(id);
  const fresh = spec && verdictOf(spec, index.specs);
  assert.deepStrictEqual(fresh && { effective: fresh.effective, ready: fresh.ready }, want, `verdictOf ${id} ${when}`);
}

describe('index shortcuts keep the answers of a full recomputation', function () {
  this.timeout(60000);
  let dir: string;
  let project: GeneratedProject;

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'chant-perf-'));
    project = generateProject(dir, 400, 7);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('generates the same project for the same seed', () => {
    const again = mkdtempSync(path.join(os.tmpdir(), 'chant-perf-'));
    try {
      const copy = generateProject(again, 400, 7);
      assert.equal(copy.files.length, project.files.length);
      for (let i = 0; i < copy.files.length; i += 37) {
        assert.equal(readFileSync(copy.files[i], 'utf8'), readFileSync(project.files[i], 'utf8'));
      }
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  });

  it('keeps readiness and cycles exact across random edits', async () => {
    const index = await SpecIndex.load(project.root);
    const ids = index.sorted().map((s) => s.id);
    const next = seededRandom(99);
    const pick = (): string => ids[Math.floor(next() * ids.length)];
    for (const id of ids) index.readiness(id);
    index.cycles();
    for (let round = 0; round < 150; round++) {
      const spec = index.specs.get(pick())!;
      const text = readFileSync(spec.path, 'utf8');
      const kind = next();
      let edited: string;
      if (kind < 0.4) {
        edited = text.replace(/^status: .*$/m, `status: ${['pending', 'completed', 'failed', 'in_progress'][round % 4]}`);
      } else if (kind < 0.8) {
        // Add or replace dependencies, sometimes creating a cycle.
        const deps = [pick(), pick()].map((d) => `- ${d}`).join('\n');
        edited = text.replace(/^depends_on:\n(- .*\n)*/m, '').replace(/^---\n/, `---\ndepends_on:\n${deps}\n`);
      } else {
        edited = text.replace(/^status: .*$/m, 'status: bogus');
      }
      writeFileSync(spec.path, edited);
      const [change] = await index.updateFiles([spec.path]);
      assert.equal(change.kind, 'changed');
      const expected = readinessOfAll(index.specs);
      for (const id of ids) assertVerdict(index, id, expected.get(id), `after edit ${round}`);
      for (const id of ids) assert.deepStrictEqual(index.readiness(id), expected.get(id), `readiness of ${id} after edit ${round}`);
      assert.deepStrictEqual(index.cycles(), findDependencyCycles(index.specs), `cycles after edit ${round}`);
    }
  });

  it('reads files in order and gives undefined for a missing one', async () => {
    const files = [project.files[0], path.join(dir, 'missing.md'), project.files[1]];
    const texts = await readTextFiles(files);
    assert.equal(texts[0], readFileSync(files[0], 'utf8'));
    assert.equal(texts[1], undefined);
    assert.equal(texts[2], readFileSync(files[2], 'utf8'));
  });
});

describe('index shortcuts across added and removed specs', function () {
  this.timeout(60000);
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'chant-perf-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps readiness, the ready count, the id order and cycles exact while specs come and go', async () => {
    const project = generateProject(dir, 300, 11);
    const index = await SpecIndex.load(project.root, { includeArchive: true });
    const next = seededRandom(5);
    const ids = (): string[] => [...index.specs.keys()];
    const pick = (): string => ids()[Math.floor(next() * index.specs.size)];
    const shownReady = (): number => {
      const all = readinessOfAll(index.specs);
      return [...index.specs.values()].filter((s) => displayStateOf(s, all.get(s.id)) === 'ready').length;
    };
    assert.equal(index.readyCount(), shownReady());
    let added = 0;
    for (let round = 0; round < 120; round++) {
      const kind = next();
      let change;
      if (kind < 0.35) {
        // A new spec: a member of an existing driver (sibling and member rules), a spec others may
        // already name (dependents waiting for a missing id), or one that names a short id.
        const base = index.specs.get(pick())!;
        const member = next() < 0.5;
        const id = member ? `${base.id.split('.')[0]}.${90 + added}` : `2026-03-0${(added % 9) + 1}-x${(added++).toString(36).padStart(2, '0')}-abc`;
        if (member) added++;
        const deps = next() < 0.5 ? `depends_on:\n- ${pick()}\n- ${next() < 0.3 ? 'abc' : pick()}\n` : '';
        const status = ['pending', 'completed', 'failed', 'in_progress'][round % 4];
        const file = path.join(index.paths.specsDir, `${id}.md`);
        writeFileSync(file, `---\ntype: code\nstatus: ${status}\n${deps}---\n# New ${id}\n\n## Acceptance Criteria\n\n- [ ] one\n`);
        [change] = await index.updateFiles([file]);
        assert.equal(change.kind, 'added', `round ${round}`);
      } else if (kind < 0.6) {
        const spec = index.specs.get(pick())!;
        rmSync(spec.path);
        [change] = await index.updateFiles([spec.path]);
        assert.equal(change.kind, 'removed', `round ${round}`);
      } else {
        const spec = index.specs.get(pick())!;
        const text = readFileSync(spec.path, 'utf8');
        writeFileSync(spec.path, text.replace(/^status: .*$/m, `status: ${['pending', 'completed', 'failed', 'cancelled'][round % 4]}`));
        [change] = await index.updateFiles([spec.path]);
      }
      const expected = readinessOfAll(index.specs);
      for (const id of ids()) assertVerdict(index, id, expected.get(id), `after round ${round}`);
      for (const id of ids()) assert.deepStrictEqual(index.readiness(id), expected.get(id), `readiness of ${id} after round ${round}`);
      assert.equal(index.readyCount(), shownReady(), `ready count after round ${round}`);
      assert.deepStrictEqual(index.sorted().map((s) => s.id), ids().sort(compareSpecIds), `id order after round ${round}`);
      assert.deepStrictEqual(index.cycles(), findDependencyCycles(index.specs), `cycles after round ${round}`);
    }
  });
});

describe('the tree model kept across changes equals one built from scratch', function () {
  this.timeout(300000);
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'chant-perf-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const modes: GroupingMode[] = ['phase', 'investigation', 'type', 'label', 'flat', 'status'];
  const filters: SpecFilter[] = [
    {},
    { text: 'fix' },
    { labels: ['fix'] },
    { statuses: ['ready'] },
    { statuses: ['blocked', 'completed'], types: ['code', 'research'] },
    { text: '1', labels: ['issue-1', 'docs', 'Fix'] },
  ];

  /** Everything a LiveTreeModel shows, page by page through the view's own calls, as a TreeModel. */
  function expand(live: LiveTreeModel): TreeModel {
    const rows = (listKey: string): ModelNode[] => {
      const { nodes, total } = live.page(listKey);
      assert.equal(nodes.length, total, `${listKey}: every row of the list`);
      // A short page is the list's first rows.
      const first = live.page(listKey, 2);
      assert.deepStrictEqual(first.nodes, nodes.slice(0, 2), `${listKey}: first page`);
      assert.equal(first.total, total, `${listKey}: total of a short page`);
      return nodes.map((node) => {
        assert.deepStrictEqual(live.row(node.key), node, `row ${node.key} as in its list`);
        if (node.kind !== 'group') return node;
        const { size, gates, ...group } = node;
        const children = rows(node.key);
        assert.equal(size, children.length, `${node.key}: size`);
        assert.equal(gates, children.filter((c) => c.kind === 'gate').length, `${node.key}: gates`);
        return { ...group, children };
      });
    };
    return { roots: rows(''), matching: live.matching };
  }

  /** Every row of a model by key. */
  function indexRows(nodes: readonly ModelNode[], out = new Map<string, ModelNode>()): Map<string, ModelNode> {
    for (const node of nodes) {
      out.set(node.key, node);
      if (node.kind !== 'gate') indexRows(node.children, out);
    }
    return out;
  }

  /** What a row shows apart from how its spec looks: its label, count, match and rows below. */
  function rowSignature(node: ModelNode): string {
    if (node.kind === 'group') return `${node.label}|${node.count}|${node.children.map((c) => c.key).join(',')}`;
    if (node.kind === 'spec') return `${node.matches}|${node.children.map((c) => c.key).join(',')}`;
    return JSON.stringify(node.gate);
  }

  it('after hundreds of random edits, moves, additions and deletions, in every grouping mode and filter', async () => {
    const project = generateProject(dir, 260, 13);
    const index = await SpecIndex.load(project.root);
    const next = seededRandom(21);
    const pickOf = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
    const pick = (): string => pickOf([...index.specs.keys()]);
    const { source, stateOf, parentOf } = liveSource(index);
    const fresh = (mode: GroupingMode, filter: SpecFilter): TreeModel =>
      buildTreeModel({ specs: index.sorted(), sorted: true, stateOf, parentOf, phases: DEFAULT_PHASES }, mode, filter);
    const kept = new Map<string, { live: LiveTreeModel; mode: GroupingMode; filter: SpecFilter }>();
    for (const mode of modes) {
      for (const filter of filters) kept.set(`${mode} ${JSON.stringify(filter)}`, { live: LiveTreeModel.build(source, mode, filter), mode, filter });
    }
    const shown = new Map<string, TreeModel>();
    for (const [key, { live, mode, filter }] of kept) {
      shown.set(key, expand(live));
      assert.deepStrictEqual(shown.get(key), fresh(mode, filter), `${key} as built`);
    }

    const labelSets = [[], ['fix'], ['Fix', 'docs'], ['comprehension', 'issue-1'], ['fix', 'issue-1'], ['upstream-pr', 'issue-2'], ['issue-3', 'root-cause', 'tests'], ['issue-77'], ['docs', ' docs ', 'DOCS']];
    const removed: string[] = [];
    const seen = { added: 0, removed: 0, moved: 0, narrow: 0, roots: 0, adopted: 0 };
    for (let round = 0; round < 320; round++) {
      // A burst of 1-4 changes: edits of what places a spec (labels, type) and of what only
      // colours it (status, title, dependencies), new specs (members, orphans, a deleted driver
      // back) and deletions (drivers with members among them).
      const files = new Set<string>();
      const count = 1 + Math.floor(next() * 4);
      for (let n = 0; n < count; n++) {
        const kind = next();
        if (kind < 0.12) {
          const id = pick();
          const spec = index.specs.get(id)!;
          if (files.has(spec.path)) continue;
          rmSync(spec.path);
          removed.push(spec.path);
          files.add(spec.path);
          seen.removed++;
          if (index.membersOf(id).length > 0) seen.adopted++;
        } else if (kind < 0.24) {
          // A new spec: a member of an existing spec, an orphan member, or a brand new one.
          const base = pick();
          const shape = next();
          const id = shape < 0.4 ? `${base}.${50 + round}` : shape < 0.6 ? `${base.split('.')[0]}-gone.${round % 3 + 1}` : `2026-04-0${(round % 9) + 1}-${(1000 + round).toString(36)}-new`;
          const file = path.join(index.paths.specsDir, `${id}.md`);
          if (files.has(file)) continue;
          const labels = pickOf(labelSets);
          writeFileSync(file, `---\ntype: ${pickOf(['code', 'task', 'research', 'driver'])}\nstatus: ${pickOf(['pending', 'completed', 'failed'])}\n${labels.length ? `labels:\n${labels.map((l) => `- ${l}`).join('\n')}\n` : ''}---\n# New fix ${round}\n`);
          files.add(file);
          seen.added++;
        } else if (kind < 0.3 && removed.length > 0) {
          // A deleted spec comes back (its members, if any, go under it again).
          const back = removed.splice(Math.floor(next() * removed.length), 1)[0];
          const file = path.join(index.paths.specsDir, path.basename(back));
          if (files.has(file) || index.byPath(file)) continue;
          writeFileSync(file, `---\ntype: driver\nstatus: pending\nlabels:\n- fix\n- issue-1\n---\n# Back again\n`);
          files.add(file);
          seen.added++;
        } else {
          const spec = index.specs.get(pick())!;
          if (files.has(spec.path)) continue;
          const text = readFileSync(spec.path, 'utf8');
          let edited = text.replace(/^status: .*$/m, `status: ${pickOf(['pending', 'completed', 'in_progress', 'failed', 'cancelled', 'bogus'])}`);
          const what = next();
          if (what < 0.3) {
            const labels = pickOf(labelSets);
            edited = edited.replace(/^labels:\n(- .*\n)*/m, '').replace(/^---\n/, labels.length ? `---\nlabels:\n${labels.map((l) => `- ${l}`).join('\n')}\n` : '---\n');
          } else if (what < 0.4) edited = edited.replace(/^type: .*$/m, `type: ${pickOf(['code', 'task', 'research', 'documentation', 'driver'])}`);
          else if (what < 0.55) edited = edited.replace(/^depends_on:\n(- .*\n)*/m, '').replace(/^---\n/, `---\ndepends_on:\n- ${pick()}\n`);
          else if (what < 0.7) edited = edited.replace(/^# .*$/m, `# Retitled fix ${round}`);
          else if (what < 0.8) edited = edited.replace(/^---\n/, `---\nbranch: chant/x-${round}\n`);
          writeFileSync(spec.path, edited);
          files.add(spec.path);
        }
      }
      if (files.size === 0) continue;
      const changes = await index.updateFiles([...files]);
      for (const [key, { live, mode, filter }] of kept) {
        const delta = live.apply(changes);
        if (delta.moved) seen.moved++;
        else if (!delta.roots) seen.narrow++;
        if (delta.roots) seen.roots++;
        const now = expand(live);
        assert.deepStrictEqual(now, fresh(mode, filter), `${key} after round ${round}`);
        // What the view repaints from the delta covers every row that reads differently.
        const before = indexRows(shown.get(key)!.roots);
        for (const [rowKey, node] of indexRows(now.roots)) {
          const old = before.get(rowKey);
          if (!old) continue;
          if (node.kind === 'gate') {
            if (JSON.stringify(node) !== JSON.stringify(old)) assert.ok(delta.gates.has(node.gate.investigation), `${key} round ${round}: gate ${rowKey} noted`);
          } else if (!delta.roots && !delta.moved && rowSignature(node) !== rowSignature(old)) {
            assert.ok(delta.changed.has(rowKey), `${key} round ${round}: ${rowKey} noted as changed`);
          }
        }
        shown.set(key, now);
      }
    }
    assert.ok(seen.added > 40 && seen.removed > 30 && seen.adopted > 3, `additions and deletions made (${JSON.stringify(seen)})`);
    assert.ok(seen.moved > 100 && seen.narrow > 1000 && seen.roots > 100, `every kind of update taken (${JSON.stringify(seen)})`);
  });

  it('a model built in slices, the changes made meanwhile applied after it, equals one built at once', async () => {
    const project = generateProject(dir, 300, 19);
    const index = await SpecIndex.load(project.root);
    const next = seededRandom(3);
    const { source, stateOf, parentOf } = liveSource(index);
    for (const mode of modes) {
      const builder = LiveTreeModel.builder(source, mode, { statuses: ['ready', 'pending', 'blocked'] });
      const meanwhile = [];
      for (let slice = 0; !builder.step(40); slice++) {
        // Between slices a spec is edited (labels and status), deleted, or a member is added.
        const ids = [...index.specs.keys()];
        const spec = index.specs.get(ids[Math.floor(next() * ids.length)])!;
        const kind = next();
        let file = spec.path;
        if (kind < 0.2) rmSync(file);
        else if (kind < 0.4) {
          file = path.join(index.paths.specsDir, `${spec.id}.${80 + slice}.md`);
          writeFileSync(file, '---\ntype: code\nstatus: pending\nlabels:\n- fix\n---\n# Member\n');
        } else {
          const text = readFileSync(file, 'utf8').replace(/^status: .*$/m, `status: ${slice % 2 ? 'completed' : 'pending'}`);
          writeFileSync(file, text.replace(/^---\n/, `---\nlabels:\n- ${['fix', 'comprehension', 'issue-9'][slice % 3]}\n`));
        }
        meanwhile.push(...(await index.updateFiles([file])));
      }
      builder.model.apply(meanwhile);
      const fresh = buildTreeModel({ specs: index.sorted(), sorted: true, stateOf, parentOf, phases: DEFAULT_PHASES }, mode, { statuses: ['ready', 'pending', 'blocked'] });
      assert.deepStrictEqual(expand(builder.model), fresh, mode);
      assert.ok(meanwhile.length > 3, `${mode}: changes were made meanwhile`);
    }
  });

  it('finds a spec\'s place in the lists above it (the pages the view widens to reveal it)', async () => {
    const project = generateProject(dir, 400, 17);
    const index = await SpecIndex.load(project.root);
    const stateOf = (s: Spec): DisplayState => displayStateOf(s, index.readiness(s.id));
    const source = {
      sorted: () => index.sorted(),
      get: (id: string) => index.specs.get(id),
      stateOf,
      phases: DEFAULT_PHASES,
    };
    for (const mode of ['phase', 'investigation', 'status', 'type', 'flat'] as const) {
      const live = LiveTreeModel.build(source, mode);
      let checked = 0;
      for (const spec of index.sorted()) {
        const places = live.placesOf(spec.id);
        assert.ok(places.length > 0, `${mode}: ${spec.id} has a place`);
        // Walking down from the root by the places reaches the spec (or its top-level driver).
        let listKey = '';
        for (const { listKey: key, at } of [...places].reverse()) {
          assert.equal(key, listKey, `${mode}: ${spec.id} list`);
          const node = live.page(key).nodes[at];
          assert.ok(node, `${mode}: ${spec.id} row ${at} of ${key}`);
          listKey = node.key;
        }
        let top = spec.id;
        for (let p = parentIdOf(top); p !== undefined; p = parentIdOf(p)) if (index.specs.has(p) && mode !== 'status' && mode !== 'type' && mode !== 'flat') top = p;
        assert.equal(listKey, top, `${mode}: ${spec.id} reached`);
        checked++;
      }
      assert.ok(checked > 300);
    }
  });
});
