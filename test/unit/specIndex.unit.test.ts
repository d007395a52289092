import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { findChantRoots, isSilentMode } from '../../src/core/project/project';
import { SpecIndex } from '../../src/core/project/specIndex';
import { initRepo, makeTempDir, removeDir, writeFiles } from './tempRepo';

const spec = (fields: string, title = 'T', body = ''): string => `---\n${fields}\n---\n# ${title}\n${body}`;

describe('SpecIndex', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
    writeFiles(dir, {
      '.chant/config.md': '---\nproject:\n  name: demo\ndefaults:\n  prompt: standard\n  main_branch: main\n---\n',
      '.chant/specs/2026-02-08-001-aaa.md': spec('type: research\nstatus: completed\nlabels:\n- comprehension', 'First'),
      '.chant/specs/2026-02-08-002-bbb.md': spec('type: task\nstatus: pending\ndepends_on:\n- 2026-02-08-001-aaa', 'Second'),
      '.chant/specs/2026-02-08-003-ccc.md': spec('type: code\nstatus: pending\ndepends_on:\n- 2026-02-08-002-bbb', 'Third'),
      '.chant/specs/.chant-status-2026-02-08-002-bbb.json': '{}',
      '.chant/specs/2026-02-08-003-ccc.md.tmp': 'junk',
      '.chant/archive/2026-01-01/2026-01-01-001-old.md': spec('status: completed', 'Old'),
      '.chant/archive/2025-12-31-001-flat.md': spec('status: completed', 'Flat'),
    });
  });
  afterEach(() => removeDir(dir));

  it('indexes specs, ignores chant scratch files, and loads the archive on request', async () => {
    const index = await SpecIndex.load(dir);
    assert.deepEqual(index.sorted().map((s) => s.id), ['2026-02-08-001-aaa', '2026-02-08-002-bbb', '2026-02-08-003-ccc']);
    assert.equal(index.config.projectName, 'demo');
    assert.equal(index.archived, undefined);
    const archived = await index.loadArchive();
    assert.deepEqual([...archived.keys()].sort(), ['2025-12-31-001-flat', '2026-01-01-001-old']);
    assert.equal(archived.get('2026-01-01-001-old')!.archiveFolder, '2026-01-01');
    assert.equal(archived.get('2025-12-31-001-flat')!.archiveFolder, undefined);
  });

  it('computes readiness and updates one file without a rescan', async () => {
    let reads = 0;
    const index = await SpecIndex.load(dir, {
      readFile: (file) => {
        reads++;
        return fs.readFile(file, 'utf8');
      },
    });
    assert.equal(index.readiness('2026-02-08-002-bbb')!.ready, true);
    assert.equal(index.readiness('2026-02-08-003-ccc')!.blocked, true);
    assert.deepEqual(index.readyIds(), ['2026-02-08-002-bbb']);

    const before = reads;
    const file = path.join(dir, '.chant/specs/2026-02-08-002-bbb.md');
    await fs.writeFile(file, spec('type: task\nstatus: completed\ndepends_on:\n- 2026-02-08-001-aaa', 'Second'));
    const change = await index.updateFile(file);
    assert.equal(reads - before, 1, 'exactly one file was read');
    assert.equal(change.kind, 'changed');
    assert.ok(change.affected.includes('2026-02-08-003-ccc'), 'the dependent is reported as affected');
    assert.equal(index.readiness('2026-02-08-003-ccc')!.ready, true);
  });

  it('handles added and deleted files, and ignores files outside specs/', async () => {
    const index = await SpecIndex.load(dir);
    const added = path.join(dir, '.chant/specs/2026-02-08-004-ddd.md');
    await fs.writeFile(added, spec('status: pending', 'Fourth'));
    assert.equal((await index.updateFile(added)).kind, 'added');
    assert.equal(index.get('2026-02-08-004-ddd')!.title, 'Fourth');
    await fs.rm(added);
    assert.equal((await index.updateFile(added)).kind, 'removed');
    assert.equal(index.get('2026-02-08-004-ddd'), undefined);
    assert.equal((await index.updateFile(path.join(dir, '.chant/config.md'))).kind, 'ignored');
    assert.equal((await index.updateFile(path.join(dir, '.chant/specs/x.md.tmp'))).kind, 'ignored');
  });

  it('reports dependency cycles with their path', async () => {
    writeFiles(dir, {
      '.chant/specs/2026-02-08-001-aaa.md': spec('depends_on:\n- 2026-02-08-003-ccc', 'First'),
    });
    const index = await SpecIndex.load(dir);
    const cycles = index.cycles();
    assert.equal(cycles.length, 1);
    assert.deepEqual(new Set(cycles[0]), new Set(['2026-02-08-001-aaa', '2026-02-08-002-bbb', '2026-02-08-003-ccc']));
    assert.equal(cycles[0][0], cycles[0][cycles[0].length - 1], 'the path closes the cycle');
  });

  it('keeps broken specs in the index with their problems', async () => {
    writeFiles(dir, { '.chant/specs/2026-02-08-009-bad.md': '---\nstatus: [oops\n---\n# Broken\n' });
    const index = await SpecIndex.load(dir);
    const broken = index.get('2026-02-08-009-bad')!;
    assert.equal(broken.chantWouldReject, true);
    assert.equal(broken.title, 'Broken');
  });
});

describe('project discovery', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  it('finds .chant roots at and below a folder, skipping node_modules', async () => {
    writeFiles(dir, {
      '.chant/config.md': '---\n---\n',
      'packages/a/.chant/config.md': '---\n---\n',
      'node_modules/x/.chant/config.md': '---\n---\n',
    });
    const roots = await findChantRoots(dir);
    assert.deepEqual(roots, [dir, path.join(dir, 'packages/a')].sort());
  });

  it('detects silent mode from the git exclude file, also from a worktree', async () => {
    initRepo(dir, { commit: true });
    assert.equal(await isSilentMode(dir), false);
    await fs.appendFile(path.join(dir, '.git/info/exclude'), '\n.chant/\n');
    assert.equal(await isSilentMode(dir), true);
    const { git } = await import('./tempRepo');
    const parent = makeTempDir();
    const worktree = path.join(parent, 'wt');
    git(dir, 'worktree', 'add', '-q', '-b', 'feature', worktree);
    try {
      assert.equal(await isSilentMode(worktree), true);
    } finally {
      git(dir, 'worktree', 'remove', '--force', worktree);
      removeDir(parent);
    }
  });
});
