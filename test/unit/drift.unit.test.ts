import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  detectDrift,
  type DriftHistory,
  expandGlob,
  globComponentToRegExp,
  isDriftCandidate,
  parseCompletedAt,
  type DriftFs,
} from '../../src/core/project/drift';
import type { Spec } from '../../src/core/spec/types';
import { makeSpec } from './specFactory';

const COMPLETED_AT = '2026-02-08T12:00:00Z';
const BEFORE = new Date('2026-02-08T11:00:00Z');
const AFTER = new Date('2026-02-08T13:00:00Z');

describe('drift', () => {
  let root: string;

  async function write(rel: string, mtime: Date): Promise<void> {
    const file = path.join(root, rel);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, rel);
    await fs.utimes(file, mtime, mtime);
  }

  function completed(partial: Partial<Spec>): Spec {
    return makeSpec('2026-02-08-005-k9w', { status: 'completed', completedAt: COMPLETED_AT, ...partial });
  }

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'chant-drift-'));
    await fs.mkdir(path.join(root, '.chant', 'specs'), { recursive: true });
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('reports a file touched after completed_at', async () => {
    await write('src/storage/store.rs', AFTER);
    const report = await detectDrift(completed({ informedBy: ['src/storage/store.rs'] }), root);
    assert.equal(report.checked, true);
    assert.equal(report.drifted, true);
    assert.deepEqual(
      report.files.map((f) => ({ path: f.path, mtime: f.mtime.getTime(), field: f.field })),
      [{ path: 'src/storage/store.rs', mtime: AFTER.getTime(), field: 'informed_by' }],
    );
    assert.deepEqual(report.missing, []);
    assert.equal(report.completedAt?.toISOString(), '2026-02-08T12:00:00.000Z');
  });

  it('does not report a file last changed before completed_at', async () => {
    await write('docs/guide.md', BEFORE);
    const report = await detectDrift(completed({ tracks: ['docs/guide.md'] }), root);
    assert.equal(report.checked, true);
    assert.equal(report.drifted, false);
    assert.deepEqual(report.files, []);
  });

  it('compares with sub-second precision: a file changed in the same second afterwards drifts', async () => {
    await write('a.txt', new Date('2026-02-08T12:00:00.500Z'));
    await write('b.txt', new Date('2026-02-08T12:00:00.000Z'));
    const report = await detectDrift(completed({ origin: ['a.txt', 'b.txt'] }), root);
    assert.deepEqual(
      report.files.map((f) => f.path),
      ['a.txt'],
    );
  });

  it('a change at exactly completed_at is not drift: chant reports files changed later than it', async () => {
    const exactly = new Date(COMPLETED_AT);
    await write('same-time.md', exactly);
    await write('later.md', AFTER);
    const asked: string[][] = [];
    // git vouches for later.md: it was last committed at exactly completed_at (a fresh clone's mtime is newer).
    const history: DriftHistory = {
      async lastCommits(files) {
        asked.push(files.map((f) => path.basename(f)));
        return new Map(files.filter((f) => path.basename(f) === 'later.md').map((f) => [f, exactly]));
      },
    };
    const withoutGit = await detectDrift(completed({ tracks: ['same-time.md'] }), root);
    assert.deepEqual(
      { checked: withoutGit.checked, drifted: withoutGit.drifted, files: withoutGit.files },
      { checked: true, drifted: false, files: [] },
    );
    const withGit = await detectDrift(completed({ tracks: ['same-time.md', 'later.md'] }), root, undefined, history);
    assert.deepEqual({ drifted: withGit.drifted, files: withGit.files }, { drifted: false, files: [] }, 'a commit at completed_at is not after it');
    // Only files written after completed_at are worth a question to git.
    assert.deepEqual(asked, [['later.md']]);
  });

  it('checks tracks, origin and informed_by', async () => {
    await write('t.md', AFTER);
    await write('o.md', AFTER);
    await write('i.md', AFTER);
    const report = await detectDrift(completed({ tracks: ['t.md'], origin: ['o.md'], informedBy: ['i.md'] }), root);
    assert.deepEqual(
      report.files.map((f) => [f.path, f.field]),
      [
        ['t.md', 'tracks'],
        ['o.md', 'origin'],
        ['i.md', 'informed_by'],
      ],
    );
  });

  it('expands globs relative to the project root', async () => {
    await write('src/storage/store.rs', AFTER);
    await write('src/storage/batch.rs', BEFORE);
    await write('src/storage/notes.md', AFTER);
    await write('src/deep/nested/x.rs', AFTER);
    const report = await detectDrift(completed({ tracks: ['src/storage/*.rs'] }), root);
    assert.deepEqual(
      report.files.map((f) => f.path),
      ['src/storage/store.rs'],
    );
    const deep = await detectDrift(completed({ tracks: ['src/**/*.rs'] }), root);
    assert.deepEqual(
      deep.files.map((f) => f.path),
      ['src/deep/nested/x.rs', 'src/storage/store.rs'],
    );
    const classes = await detectDrift(completed({ tracks: ['src/stor?ge/[a-s]tore.rs', 'src/storage/[!s]*.md'] }), root);
    assert.deepEqual(
      classes.files.map((f) => f.path),
      ['src/storage/store.rs', 'src/storage/notes.md'],
    );
  });

  it('ignores URLs', async () => {
    const report = await detectDrift(
      completed({ informedBy: ['https://github.com/yourproject/kvstore/issues/1234', 'http://example.com/a*b'] }),
      root,
    );
    assert.equal(report.checked, true);
    assert.equal(report.drifted, false);
    assert.deepEqual(report.missing, []);
  });

  it('reports missing files and globs that match nothing', async () => {
    await write('present.md', BEFORE);
    const report = await detectDrift(
      completed({ informedBy: ['present.md', '.chant/research/issue-1234-root-cause.md', 'nothing/*.rs'] }),
      root,
    );
    assert.equal(report.drifted, false);
    assert.deepEqual(report.missing, ['.chant/research/issue-1234-root-cause.md', 'nothing/*.rs']);
  });

  it('lists a file named twice once', async () => {
    await write('a.md', AFTER);
    const report = await detectDrift(completed({ tracks: ['a.md', './a.md', '*.md'] }), root);
    assert.deepEqual(
      report.files.map((f) => f.path),
      ['a.md'],
    );
  });

  it('only checks active completed specs with a parseable completed_at', async () => {
    await write('a.md', AFTER);
    const cases: Array<Partial<Spec>> = [
      { status: 'in_progress' },
      { completedAt: undefined },
      { completedAt: 'yesterday' },
      { archived: true },
    ];
    for (const partial of cases) {
      const spec = completed({ tracks: ['a.md'], ...partial });
      const report = await detectDrift(spec, root);
      assert.deepEqual({ checked: report.checked, drifted: report.drifted }, { checked: false, drifted: false });
      assert.equal(isDriftCandidate(spec), false);
    }
    assert.equal(isDriftCandidate(completed({})), true);
  });

  it('accepts RFC 3339 completed_at values', () => {
    assert.equal(parseCompletedAt('2026-02-08T12:00:00Z')?.toISOString(), '2026-02-08T12:00:00.000Z');
    assert.equal(parseCompletedAt('2026-02-08T14:00:00+02:00')?.toISOString(), '2026-02-08T12:00:00.000Z');
    assert.equal(parseCompletedAt('2026-02-08T12:00:00.250-01:30')?.toISOString(), '2026-02-08T13:30:00.250Z');
    assert.equal(parseCompletedAt('2026-02-08t12:00:00z')?.toISOString(), '2026-02-08T12:00:00.000Z');
    assert.equal(parseCompletedAt('2026-02-08T12:00:00'), undefined, 'an offset is required');
    assert.equal(parseCompletedAt('2026-02-30T12:00:00Z'), undefined);
    assert.equal(parseCompletedAt('2026-02-08'), undefined);
    assert.equal(parseCompletedAt(undefined), undefined);
  });

  it('uses the injected file system', async () => {
    const files = new Map<string, number>([
      [path.join('/p', 'docs', 'a.md'), AFTER.getTime()],
      [path.join('/p', 'docs', 'b.md'), BEFORE.getTime()],
    ]);
    const fake: DriftFs = {
      async stat(file) {
        const mtimeMs = files.get(file);
        if (mtimeMs !== undefined) return { mtimeMs, isDirectory: () => false };
        if (file === path.join('/p', 'docs')) return { mtimeMs: 0, isDirectory: () => true };
        throw new Error('ENOENT');
      },
      async readdir(dir) {
        if (dir !== path.join('/p', 'docs')) throw new Error('ENOENT');
        return ['a.md', 'b.md'].map((name) => ({ name, isDirectory: () => false, isSymbolicLink: () => false }));
      },
    };
    const report = await detectDrift(completed({ tracks: ['docs/*.md'] }), '/p', fake);
    assert.deepEqual(
      report.files.map((f) => f.path),
      ['docs/a.md'],
    );
  });

  describe('glob matching', () => {
    it('turns one component into a regular expression', () => {
      const re = (p: string) => globComponentToRegExp(p);
      assert.ok(re('*.rs').test('store.rs'));
      assert.ok(re('*.rs').test('.hidden.rs'));
      assert.ok(!re('*.rs').test('store.rsx'));
      assert.ok(re('file?.md').test('file1.md'));
      assert.ok(!re('file?.md').test('file.md'));
      assert.ok(re('[abc].md').test('b.md'));
      assert.ok(!re('[!abc].md').test('b.md'));
      assert.ok(re('[a-c]x').test('bx'));
      assert.ok(re('[]]x').test(']x'));
      assert.ok(re('a[b').test('a[b'), 'an unclosed [ is literal');
      assert.ok(re('a+b(c).md').test('a+b(c).md'));
    });

    it('expands ** across directories, including none', async () => {
      await write('a/b.md', BEFORE);
      await write('a/x/y/b.md', BEFORE);
      const found = await expandGlob('a/**/b.md', root);
      assert.deepEqual(
        found.map((f) => path.relative(root, f).split(path.sep).join('/')),
        ['a/b.md', 'a/x/y/b.md'],
      );
    });
  });
});
