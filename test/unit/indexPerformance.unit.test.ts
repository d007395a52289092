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
import { readinessOfAll } from '../../src/core/project/readiness';
import { SpecIndex } from '../../src/core/project/specIndex';
import { displayStateOf } from '../../src/core/present/displayState';
import { compareSpecIds, parentIdOf } from '../../src/core/spec/ids';
import { buildTreeModel, indexModel, investigationsToRefresh, refreshGates, type GroupingMode, type SpecFilter } from '../../src/core/present/grouping';
import { DEFAULT_PHASES } from '../../src/core/workflow/phases';

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
      for (const id of ids()) assert.deepStrictEqual(index.readiness(id), expected.get(id), `readiness of ${id} after round ${round}`);
      assert.equal(index.readyCount(), shownReady(), `ready count after round ${round}`);
      assert.deepStrictEqual(index.sorted().map((s) => s.id), ids().sort(compareSpecIds), `id order after round ${round}`);
      assert.deepStrictEqual(index.cycles(), findDependencyCycles(index.specs), `cycles after round ${round}`);
    }
  });
});

describe('the tree model kept across changes equals one built from scratch', function () {
  this.timeout(120000);
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'chant-perf-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const modes: GroupingMode[] = ['phase', 'investigation', 'type', 'label', 'flat', 'status'];
  const filters: SpecFilter[] = [{}, { text: 'fix' }, { labels: ['fix'] }, { statuses: ['ready'] }];

  it('after bursts of status, title, label and dependency edits (the view updates the model in place when nothing moves)', async () => {
    const project = generateProject(dir, 500, 13);
    const index = await SpecIndex.load(project.root);
    const next = seededRandom(21);
    const ids = index.sorted().map((s) => s.id);
    const pick = (): string => ids[Math.floor(next() * ids.length)];
    const parentOf = (id: string): string | undefined => {
      for (let p = parentIdOf(id); p !== undefined; p = parentIdOf(p)) if (index.specs.has(p)) return p;
      return undefined;
    };
    const build = (mode: GroupingMode, filter: SpecFilter) => {
      const model = buildTreeModel(
        {
          specs: index.sorted(),
          sorted: true,
          stateOf: (s) => displayStateOf(s, index.readiness(s.id)),
          parentOf,
          phases: DEFAULT_PHASES,
        },
        mode,
        filter,
      );
      return { model, byKey: indexModel(model.roots) };
    };
    const kept = new Map<string, ReturnType<typeof build>>();
    for (const mode of modes) for (const filter of filters) kept.set(`${mode} ${JSON.stringify(filter)}`, build(mode, filter));
    let narrow = 0;
    let rebuilt = 0;
    for (let round = 0; round < 60; round++) {
      // A burst of 1-6 files: mostly what an agent run does (status, commits, a ticked box), now and
      // then a label (the spec moves) or a dependency (states elsewhere change).
      const files = new Set<string>();
      const count = 1 + Math.floor(next() * 6);
      while (files.size < count) files.add(index.specs.get(pick())!.path);
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        const kind = next();
        let edited = text.replace(/^status: .*$/m, `status: ${['pending', 'completed', 'in_progress', 'failed', 'cancelled'][Math.floor(next() * 5)]}`);
        if (kind < 0.15) edited = edited.replace(/^labels:\n/m, 'labels:\n- fix\n');
        else if (kind < 0.3) edited = edited.replace(/^---\n/, `---\ndepends_on:\n- ${pick()}\n`);
        else if (kind < 0.45) edited = edited.replace(/^# .*$/m, `# Retitled fix ${round}`);
        else if (kind < 0.55) edited = edited.replace(/^---\n/, `---\nbranch: chant/x-${round}\n`);
        writeFileSync(file, edited);
      }
      const changes = await index.updateFiles([...files]);
      for (const [key, entry] of kept) {
        const [mode, filterText] = [key.slice(0, key.indexOf(' ')) as GroupingMode, key.slice(key.indexOf(' ') + 1)];
        const filter = JSON.parse(filterText) as SpecFilter;
        const investigations = investigationsToRefresh(
          changes,
          (id) => index.specs.get(id),
          mode,
          filter,
          DEFAULT_PHASES,
        );
        if (investigations) {
          narrow++;
          refreshGates(
            entry.byKey,
            investigations,
            index.specs.values(),
            (s) => displayStateOf(s, index.readiness(s.id)),
            DEFAULT_PHASES,
          );
        } else {
          rebuilt++;
          kept.set(key, build(mode, filter));
        }
        assert.deepStrictEqual(kept.get(key)!.model, build(mode, filter).model, `${key} after round ${round}`);
      }
    }
    assert.ok(narrow > 100 && rebuilt > 50, `both paths taken (${narrow} narrow, ${rebuilt} rebuilt)`);
  });
});
