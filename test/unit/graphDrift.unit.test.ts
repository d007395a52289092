// The drift mark of the graph panel, model side: which specs are checked, the lines a drifted node
// carries, the cache the panel keeps between passes, and a failing file system that must not break
// the graph. Real temporary projects, real mtimes.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DriftCache, describeDrift, hasDriftInputs, memoDriftFs, nodeDriftFs, type DriftFs, type DriftReport } from '../../src/core/project/drift';
import { buildGraphView, driftCandidatesOf } from '../../src/core/present/graphModel';
import { SpecIndex } from '../../src/core/project/specIndex';
import { makeSpec } from './specFactory';
import { makeTempDir, removeDir, writeFiles } from './tempRepo';

const COMPLETED_AT = '2026-02-08T12:00:00Z';
const BEFORE = new Date('2026-02-08T11:00:00Z');
const AFTER = new Date('2026-03-01T09:30:00Z');

const DRIFTED = '2026-02-08-001-d1f';
const CLEAN = '2026-02-08-002-c1n';
const PENDING = '2026-02-08-003-p1n';
const URL_ONLY = '2026-02-08-004-u1l';

function spec(id: string, body: string): string {
  return `---\n${body}---\n\n# Spec ${id}\n`;
}

describe('graph drift marks', () => {
  let root: string;

  async function touch(rel: string, mtime: Date): Promise<void> {
    await fs.utimes(path.join(root, rel), mtime, mtime);
  }

  beforeEach(async () => {
    root = makeTempDir('chant-graph-drift-');
    writeFiles(root, {
      '.chant/config.md': '---\nproject:\n  name: demo\n---\n',
      [`.chant/specs/${DRIFTED}.md`]: spec(DRIFTED, `type: documentation\nstatus: completed\ncompleted_at: ${COMPLETED_AT}\ntracks:\n- src/store.rs\n- docs/*.md\n`),
      [`.chant/specs/${CLEAN}.md`]: spec(CLEAN, `type: research\nstatus: completed\ncompleted_at: ${COMPLETED_AT}\ninformed_by:\n- docs/guide.md\n`),
      [`.chant/specs/${PENDING}.md`]: spec(PENDING, `type: documentation\nstatus: pending\ntracks:\n- src/store.rs\ndepends_on:\n- ${DRIFTED}\n`),
      [`.chant/specs/${URL_ONLY}.md`]: spec(URL_ONLY, `type: research\nstatus: completed\ncompleted_at: ${COMPLETED_AT}\ninformed_by:\n- https://example.com/paper\n`),
      'src/store.rs': 'fn main() {}\n',
      'docs/guide.md': '# Guide\n',
      'docs/api.md': '# API\n',
    });
    await touch('src/store.rs', AFTER);
    await touch('docs/guide.md', BEFORE);
    await touch('docs/api.md', AFTER);
  });

  afterEach(() => removeDir(root));

  it('checks completed specs with tracks, origin or informed_by, not URLs alone', async () => {
    const index = await SpecIndex.load(root);
    const checked = (id: string): boolean => hasDriftInputs(index.specs.get(id)!);
    assert.deepEqual([DRIFTED, CLEAN, PENDING, URL_ONLY].map(checked), [true, true, false, false]);
    const view = buildGraphView(index.specs, { kind: 'all' }, { projectRoot: root });
    assert.deepEqual(
      driftCandidatesOf(view.nodes, index.specs).map((s) => s.id),
      [DRIFTED, CLEAN],
    );
  });

  it('puts readable drift lines on the drifted spec node only', async () => {
    const index = await SpecIndex.load(root);
    const cache = new DriftCache();
    const view = () => buildGraphView(index.specs, { kind: 'all' }, { projectRoot: root, drift: (id) => cache.get(index.specs.get(id)!) });
    assert.equal(view().nodes.some((n) => n.drift !== undefined), false, 'nothing known before the first pass');

    assert.equal(await cache.refresh(driftCandidatesOf(view().nodes, index.specs), root), true);
    const nodes = view().nodes;
    assert.deepEqual(nodes.find((n) => n.id === `spec:${DRIFTED}`)?.drift, [
      'src/store.rs changed after completion (modified on disk 2026-03-01 09:30 UTC, tracks)',
      'docs/api.md changed after completion (modified on disk 2026-03-01 09:30 UTC, tracks)',
    ]);
    assert.deepEqual(
      nodes.filter((n) => n.drift !== undefined).map((n) => n.id),
      [`spec:${DRIFTED}`],
      'clean, pending and URL-only specs carry no drift, nor do documents',
    );
    // The lines are plain data for the webview: JSON round-trips them unchanged.
    assert.deepEqual(JSON.parse(JSON.stringify(nodes)), nodes);
  });

  it('a second pass reports a change only when a mark appears, changes or goes away', async () => {
    const index = await SpecIndex.load(root);
    const candidates = driftCandidatesOf(buildGraphView(index.specs, { kind: 'all' }).nodes, index.specs);
    const cache = new DriftCache();
    assert.equal(await cache.refresh(candidates, root), true);
    assert.equal(await cache.refresh(candidates, root), false, 'same files, same lines');

    await touch('src/store.rs', BEFORE);
    await touch('docs/api.md', BEFORE);
    assert.equal(await cache.refresh(candidates, root), true, 'the mark goes away');
    assert.deepEqual(cache.get(index.specs.get(DRIFTED)!), []);

    await touch('docs/guide.md', AFTER);
    assert.equal(await cache.refresh(candidates, root), true, 'the other spec drifts');
    assert.deepEqual(cache.get(index.specs.get(CLEAN)!), ['docs/guide.md changed after completion (modified on disk 2026-03-01 09:30 UTC, informed_by)']);
  });

  it('forgets cached lines once the spec’s drift inputs change', async () => {
    const index = await SpecIndex.load(root);
    const cache = new DriftCache();
    await cache.refresh([index.specs.get(DRIFTED)!], root);
    assert.equal(cache.get(index.specs.get(DRIFTED)!)?.length, 2);
    const reopened = { ...index.specs.get(DRIFTED)!, status: 'pending' as const };
    assert.equal(cache.get(reopened), undefined, 'reopened: no longer completed');
    const retracked = { ...index.specs.get(DRIFTED)!, tracks: ['docs/guide.md'] };
    assert.equal(cache.get(retracked), undefined, 'tracks something else now');
  });

  it('a failing file system is reported per spec and leaves the graph intact', async () => {
    const index = await SpecIndex.load(root);
    const cache = new DriftCache();
    await cache.refresh([index.specs.get(DRIFTED)!, index.specs.get(CLEAN)!], root);
    const broken: DriftFs = {
      stat: (file) => (file.endsWith('store.rs') ? Promise.reject(new Error('EIO')) : nodeDriftFs.stat(file)),
      // A remote file system answering nonsense: the glob walk cannot go on.
      readdir: async () => undefined as unknown as [],
    };
    const failed: string[] = [];
    await cache.refresh([index.specs.get(DRIFTED)!, index.specs.get(CLEAN)!], root, {
      fsApi: broken,
      onError: (s) => failed.push(s.id),
    });
    assert.deepEqual(failed, [DRIFTED], 'the glob walk threw for the spec with docs/*.md');
    assert.equal(cache.get(index.specs.get(DRIFTED)!), undefined, 'a failed check shows no stale mark');
    assert.deepEqual(cache.get(index.specs.get(CLEAN)!), [], 'the other spec was still checked');
    const view = buildGraphView(index.specs, { kind: 'all' }, { drift: (id) => cache.get(index.specs.get(id)!) });
    assert.equal(view.nodes.filter((n) => n.kind === 'spec').length, 4);
  });

  it('describes many drifted files in a few lines', () => {
    const files = Array.from({ length: 11 }, (_, i) => ({ path: `src/f${i}.rs`, mtime: AFTER, field: 'origin' as const }));
    const report: DriftReport = { checked: true, drifted: true, files, missing: [], outside: [], incomplete: [] };
    const lines = describeDrift(report);
    assert.equal(lines.length, 9);
    assert.equal(lines[0], 'src/f0.rs changed after completion (modified on disk 2026-03-01 09:30 UTC, origin)');
    assert.equal(lines[8], '… and 3 more files');
    assert.deepEqual(describeDrift({ ...report, files: files.slice(0, 2) }, 1), [lines[0], '… and 1 more file']);
    assert.deepEqual(describeDrift({ checked: true, drifted: false, files: [], missing: ['gone.md'], outside: [], incomplete: [] }), []);
  });

  it('asks the file system once per path within a pass', async () => {
    const calls = new Map<string, number>();
    const count = (key: string): void => void calls.set(key, (calls.get(key) ?? 0) + 1);
    const counting: DriftFs = {
      stat: (file) => (count(`stat ${file}`), nodeDriftFs.stat(file)),
      readdir: (dir) => (count(`readdir ${dir}`), nodeDriftFs.readdir(dir)),
    };
    const twins = [1, 2, 3].map((n) => makeSpec(`2026-02-08-00${n}-tw${n}`, { status: 'completed', completedAt: COMPLETED_AT, tracks: ['src/store.rs', 'docs/*.md'] }));
    const cache = new DriftCache();
    await cache.refresh(twins, root, { fsApi: counting });
    assert.ok([...calls.values()].every((n) => n === 1), JSON.stringify([...calls]));
    for (const twin of twins) assert.equal(cache.get(twin)?.length, 2);
    calls.clear();
    const memo = memoDriftFs(counting);
    await memo.stat(path.join(root, 'src/store.rs'));
    await memo.stat(path.join(root, 'src/store.rs'));
    assert.equal(calls.get(`stat ${path.join(root, 'src/store.rs')}`), 1);
  });
});
