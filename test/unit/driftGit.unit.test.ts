// Drift decided with git (CHANT-FORMAT §8.1, "better `git log -1 --format=%cI -- <file>`"): real
// temporary repositories with commits dated by GIT_COMMITTER_DATE and files dated by utimes.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DriftCache, detectDrift, describeDrift, nodeDriftFs } from '../../src/core/project/drift';
import type { Spec } from '../../src/core/spec/types';
import { GitDriftHistory } from '../../src/git/driftHistory';
import { makeSpec } from './specFactory';
import { git, initRepo, makeTempDir, removeDir, writeFiles } from './tempRepo';

const COMPLETED_AT = '2026-02-08T12:00:00Z';
const COMPLETED = new Date(COMPLETED_AT);
const COMMITTED_BEFORE = '2026-02-01T08:00:00Z';
const COMMITTED_AFTER = '2026-03-01T09:30:00Z';
/** When a checkout, a copy or a `touch` wrote the file: after the completion. */
const FRESH = new Date('2026-06-15T10:00:00Z');
const OLD = new Date('2026-01-20T00:00:00Z');

function completed(partial: Partial<Spec>): Spec {
  return makeSpec('2026-02-08-005-k9w', { status: 'completed', completedAt: COMPLETED_AT, ...partial });
}

/** Commits everything staged-or-not with both dates set to `when`. */
function commitAt(dir: string, when: string, message: string): void {
  git(dir, 'add', '-A');
  execFileSync('git', ['commit', '-q', '--no-verify', '-m', message], {
    cwd: dir,
    env: { ...process.env, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 't@example.com' },
  });
}

describe('drift with git history (real temporary repositories)', () => {
  let dir: string;

  async function setMtime(rel: string, when: Date, root = dir): Promise<void> {
    await fs.utimes(path.join(root, rel), when, when);
  }

  beforeEach(() => {
    dir = makeTempDir('chant-drift-git-');
    initRepo(dir);
  });
  afterEach(() => removeDir(dir));

  it('a tracked file committed before completed_at is not drifted, however fresh its mtime (a fresh clone)', async () => {
    writeFiles(dir, { 'docs/guide.md': '# Guide\n', 'src/store.rs': 'fn main() {}\n' });
    commitAt(dir, COMMITTED_BEFORE, 'docs');
    const clone = makeTempDir('chant-drift-clone-');
    try {
      git(clone, 'clone', '-q', dir, '.');
      await setMtime('docs/guide.md', FRESH, clone);
      await setMtime('src/store.rs', FRESH, clone);
      const spec = completed({ tracks: ['docs/*.md'], informedBy: ['src/store.rs'] });

      const byMtime = await detectDrift(spec, clone);
      assert.deepEqual(byMtime.files.map((f) => f.path), ['docs/guide.md', 'src/store.rs'], 'chant’s rule: everything drifted');

      const history = new GitDriftHistory(clone);
      const report = await detectDrift(spec, clone, nodeDriftFs, history);
      assert.equal(report.checked, true);
      assert.equal(report.drifted, false);
      assert.deepEqual(report.files, []);
      assert.equal(history.commands, 4, 'rev-parse, ls-files, status, one log for both files');
    } finally {
      removeDir(clone);
    }
  });

  it('a tracked file committed after completed_at is drifted, dated by its commit', async () => {
    writeFiles(dir, { 'docs/guide.md': '# Guide\n', 'docs/api.md': '# API\n' });
    commitAt(dir, COMMITTED_BEFORE, 'docs');
    writeFiles(dir, { 'docs/api.md': '# API, revised\n' });
    commitAt(dir, COMMITTED_AFTER, 'revise the API doc');
    await setMtime('docs/guide.md', FRESH);
    await setMtime('docs/api.md', FRESH);

    const report = await detectDrift(completed({ tracks: ['docs/*.md'] }), dir, nodeDriftFs, new GitDriftHistory(dir));
    assert.deepEqual(
      report.files.map((f) => ({
        path: f.path,
        committedAt: f.committedAt?.toISOString(),
        mtime: f.mtime.toISOString(),
      })),
      [{ path: 'docs/api.md', committedAt: '2026-03-01T09:30:00.000Z', mtime: FRESH.toISOString() }],
    );
    assert.deepEqual(describeDrift(report), ['docs/api.md changed after completion (committed 2026-03-01 09:30 UTC, tracks)']);

    // A file not written since the completion cannot have changed since: git is not even asked.
    await setMtime('docs/api.md', OLD);
    await setMtime('docs/guide.md', OLD);
    const quiet = new GitDriftHistory(dir);
    assert.equal((await detectDrift(completed({ tracks: ['docs/*.md'] }), dir, nodeDriftFs, quiet)).drifted, false);
    assert.equal(quiet.commands, 0);
  });

  it('a tracked file modified (or staged) after completed_at is drifted by its mtime', async () => {
    writeFiles(dir, { 'src/store.rs': 'fn main() {}\n', 'src/batch.rs': 'fn batch() {}\n', 'src/clean.rs': '// clean\n' });
    commitAt(dir, COMMITTED_BEFORE, 'src');
    writeFiles(dir, { 'src/store.rs': 'fn main() { changed() }\n', 'src/batch.rs': 'fn batch() { staged() }\n' });
    git(dir, 'add', 'src/batch.rs');
    await setMtime('src/store.rs', FRESH);
    await setMtime('src/batch.rs', FRESH);
    await setMtime('src/clean.rs', FRESH);

    const report = await detectDrift(completed({ tracks: ['src/*.rs'] }), dir, nodeDriftFs, new GitDriftHistory(dir));
    assert.deepEqual(
      report.files.map((f) => [f.path, f.committedAt, f.mtime.toISOString()]),
      [
        ['src/batch.rs', undefined, FRESH.toISOString()],
        ['src/store.rs', undefined, FRESH.toISOString()],
      ],
    );
    assert.deepEqual(describeDrift(report), [
      'src/batch.rs changed after completion (modified on disk 2026-06-15 10:00 UTC, tracks)',
      'src/store.rs changed after completion (modified on disk 2026-06-15 10:00 UTC, tracks)',
    ]);
  });

  it('untracked, ignored and excluded files (.chant/ in silent mode) are judged by mtime', async () => {
    writeFiles(dir, { '.gitignore': 'build/\n', 'README.md': '# r\n' });
    commitAt(dir, COMMITTED_BEFORE, 'init');
    appendFileSync(path.join(dir, '.git', 'info', 'exclude'), '\n.chant/\n');
    writeFiles(dir, { 'notes.md': 'untracked\n', 'build/out.txt': 'ignored\n', '.chant/research/root-cause.md': 'excluded\n', 'old.md': 'untracked, old\n' });
    for (const rel of ['notes.md', 'build/out.txt', '.chant/research/root-cause.md', 'README.md']) await setMtime(rel, FRESH);
    await setMtime('old.md', OLD);

    const spec = completed({ informedBy: ['notes.md', 'build/out.txt', '.chant/research/root-cause.md', 'old.md', 'README.md'] });
    const report = await detectDrift(spec, dir, nodeDriftFs, new GitDriftHistory(dir));
    assert.deepEqual(
      report.files.map((f) => [f.path, f.committedAt === undefined]),
      [
        ['notes.md', true],
        ['build/out.txt', true],
        ['.chant/research/root-cause.md', true],
      ],
      'README.md is committed before completion; old.md was not written since',
    );
  });

  it('without a repository, or without git, drift is chant’s mtime rule', async () => {
    const plain = makeTempDir('chant-drift-nogit-');
    try {
      writeFiles(plain, { 'a.md': 'a\n', 'b.md': 'b\n' });
      await setMtime('a.md', FRESH, plain);
      await setMtime('b.md', OLD, plain);
      const spec = completed({ tracks: ['*.md'] });
      const noRepo = new GitDriftHistory(plain);
      assert.deepEqual((await detectDrift(spec, plain, nodeDriftFs, noRepo)).files.map((f) => [f.path, f.committedAt]), [['a.md', undefined]]);
      assert.equal(noRepo.commands, 1, 'rev-parse says there is no repository; nothing else runs');

      // A repository, but no git to ask.
      writeFiles(dir, { 'a.md': 'a\n' });
      commitAt(dir, COMMITTED_BEFORE, 'a');
      await setMtime('a.md', FRESH);
      const errors: string[] = [];
      const noGit = new GitDriftHistory(dir, { git: path.join(plain, 'no-such-git'), onError: (m) => errors.push(m) });
      const report = await detectDrift(completed({ tracks: ['a.md'] }), dir, nodeDriftFs, noGit);
      assert.deepEqual(describeDrift(report), ['a.md changed after completion (modified on disk 2026-06-15 10:00 UTC, tracks)']);
      assert.equal(errors.join('\n'), '', 'a missing git is not an error worth a log line');

      // A repository with no commit yet.
      const empty = makeTempDir('chant-drift-empty-');
      try {
        initRepo(empty);
        writeFiles(empty, { 'a.md': 'a\n' });
        git(empty, 'add', 'a.md');
        await setMtime('a.md', FRESH, empty);
        const unborn = new GitDriftHistory(empty, { onError: (m) => errors.push(m) });
        assert.equal((await detectDrift(completed({ tracks: ['a.md'] }), empty, nodeDriftFs, unborn)).drifted, true);
        assert.equal(errors.join('\n'), '');
      } finally {
        removeDir(empty);
      }
    } finally {
      removeDir(plain);
    }
  });

  it('works for a project in a subfolder and odd file names, and never looks outside the project', async () => {
    writeFiles(dir, { 'proj/docs/a [1].md': 'a\n', 'proj/docs/with space.md': 'b\n', 'proj/docs/new.md': 'c\n', 'other/x.md': 'x\n' });
    commitAt(dir, COMMITTED_BEFORE, 'docs');
    writeFiles(dir, { 'proj/docs/new.md': 'c, revised\n' });
    commitAt(dir, COMMITTED_AFTER, 'revise');
    const outside = makeTempDir('chant-drift-outside-');
    try {
      writeFiles(outside, { 'ref.md': 'outside\n' });
      for (const rel of ['proj/docs/a [1].md', 'proj/docs/with space.md', 'proj/docs/new.md', 'other/x.md']) await setMtime(rel, FRESH);
      await setMtime('ref.md', FRESH, outside);
      const root = path.join(dir, 'proj');
      const spec = completed({
        tracks: ['docs/with space.md', 'docs/*.md', '../other/x.md'],
        origin: [path.join(outside, 'ref.md')],
      });
      const report = await detectDrift(spec, root, nodeDriftFs, new GitDriftHistory(root));
      assert.deepEqual(
        report.files.map((f) => [f.path, f.committedAt?.toISOString()]),
        [['docs/new.md', '2026-03-01T09:30:00.000Z']],
      );
      // ../other is in the repository but outside the project; the absolute path is elsewhere.
      assert.deepEqual(report.outside, ['../other/x.md', path.join(outside, 'ref.md')]);
    } finally {
      removeDir(outside);
    }
  });

  it('answers exact commit dates after `since` and stops the walk there', async () => {
    writeFiles(dir, { 'old.md': '1\n', 'mid.md': '1\n', 'new.md': '1\n' });
    commitAt(dir, '2025-06-01T00:00:00Z', 'one');
    // Many later commits that touch none of the files asked about.
    for (let i = 0; i < 30; i++) {
      writeFiles(dir, { [`noise/${i}.txt`]: `${i}\n` });
      commitAt(dir, `2026-01-${String(i + 1).padStart(2, '0')}T00:00:00Z`, `noise ${i}`);
    }
    writeFiles(dir, { 'mid.md': '2\n' });
    commitAt(dir, '2026-02-10T00:00:00Z', 'mid');
    writeFiles(dir, { 'new.md': '2\n' });
    commitAt(dir, '2026-04-01T00:00:00Z', 'new');
    const history = new GitDriftHistory(dir);
    const file = (rel: string): string => path.join(dir, rel);
    const answer = await history.lastCommits([file('old.md'), file('mid.md'), file('new.md'), file('nowhere.md')], COMPLETED);
    assert.equal(answer.get(file('new.md'))?.toISOString(), '2026-04-01T00:00:00.000Z');
    assert.equal(answer.get(file('mid.md'))?.toISOString(), '2026-02-10T00:00:00.000Z');
    assert.equal(answer.get(file('old.md'))?.toISOString(), COMPLETED.toISOString(), 'not changed after since: the walk stopped there');
    assert.equal(answer.has(file('nowhere.md')), false);
    // Too many paths to name to git: the whole log is read, with the same answers.
    const noise = Array.from({ length: 30 }, (_, i) => file(`noise/${i}.txt`));
    const many = await new GitDriftHistory(dir).lastCommits([file('old.md'), file('mid.md'), file('new.md'), ...noise], COMPLETED);
    assert.equal(many.get(file('new.md'))?.toISOString(), '2026-04-01T00:00:00.000Z');
    assert.equal(many.get(file('mid.md'))?.toISOString(), '2026-02-10T00:00:00.000Z');
    for (const f of [file('old.md'), ...noise]) assert.ok(many.get(f)! <= COMPLETED, f);
    // With an earlier `since` the walk goes on to the real date.
    const full = await new GitDriftHistory(dir).lastCommits([file('old.md')], new Date('2025-01-01T00:00:00Z'));
    assert.equal(full.get(file('old.md'))?.toISOString(), '2025-06-01T00:00:00.000Z');
  });

  it('a DriftCache pass asks git once for all specs, and not at all when nothing was written since', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`src/m${i}.ts`] = `export const m${i} = ${i};\n`;
    writeFiles(dir, files);
    commitAt(dir, COMMITTED_BEFORE, 'src');
    writeFiles(dir, { 'src/m7.ts': 'export const m7 = 77;\n' });
    commitAt(dir, COMMITTED_AFTER, 'm7');
    for (const rel of Object.keys(files)) await setMtime(rel, FRESH);
    const specs = Array.from({ length: 30 }, (_, i) =>
      makeSpec(`2026-02-08-${String(i + 1).padStart(3, '0')}-s${i}x`, { status: 'completed', completedAt: COMPLETED_AT, tracks: [`src/m${i}.ts`, 'src/m7.ts', 'src/*.ts'] }),
    );
    const cache = new DriftCache();
    const history = new GitDriftHistory(dir);
    assert.equal(await cache.refresh(specs, dir, { history }), true);
    assert.equal(history.commands, 4);
    for (const spec of specs) assert.deepEqual(cache.get(spec), ['src/m7.ts changed after completion (committed 2026-03-01 09:30 UTC, tracks)']);

    for (const rel of Object.keys(files)) await setMtime(rel, OLD);
    const quiet = new GitDriftHistory(dir);
    assert.equal(await cache.refresh(specs, dir, { history: quiet }), true, 'the marks go away');
    assert.equal(quiet.commands, 0);
    for (const spec of specs) assert.deepEqual(cache.get(spec), []);
  });
  it('a change merged after completed_at is drifted, dated by the merge, though its branch commit is older', async () => {
    writeFiles(dir, { 'docs/guide.md': '# Guide\n', 'README.md': '# R\n' });
    commitAt(dir, COMMITTED_BEFORE, 'docs');
    const main = git(dir, 'symbolic-ref', '--short', 'HEAD').trim();
    git(dir, 'checkout', '-q', '-b', 'topic');
    writeFiles(dir, { 'docs/guide.md': '# Guide, changed on a branch\n' });
    commitAt(dir, '2026-02-05T08:00:00Z', 'change on the branch before completion');
    git(dir, 'checkout', '-q', main);
    writeFiles(dir, { 'README.md': '# R, main moved on\n' });
    commitAt(dir, '2026-02-06T08:00:00Z', 'main moves on');
    execFileSync('git', ['merge', '-q', '--no-ff', '--no-edit', 'topic'], {
      cwd: dir,
      env: { ...process.env, GIT_AUTHOR_DATE: COMMITTED_AFTER, GIT_COMMITTER_DATE: COMMITTED_AFTER, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 't@example.com' },
    });
    await setMtime('docs/guide.md', FRESH);
    const report = await detectDrift(completed({ tracks: ['docs/guide.md'] }), dir, nodeDriftFs, new GitDriftHistory(dir));
    assert.deepEqual(report.files.map((f) => [f.path, f.committedAt?.toISOString()]), [['docs/guide.md', '2026-03-01T09:30:00.000Z']]);
  });

  it('ignores a user config that adds signature lines to git log, and never runs the repository\'s fsmonitor hook', async () => {
    writeFiles(dir, { 'docs/guide.md': '# Guide\n' });
    commitAt(dir, COMMITTED_BEFORE, 'docs');
    writeFiles(dir, { 'docs/guide.md': '# Guide, revised\n' });
    commitAt(dir, COMMITTED_AFTER, 'revise');
    await setMtime('docs/guide.md', FRESH);
    git(dir, 'config', 'log.showSignature', 'true');
    const marker = path.join(dir, '..', `fsmonitor-ran-${path.basename(dir)}`);
    git(dir, 'config', 'core.fsmonitor', `touch '${marker}'; false #`);
    const report = await detectDrift(completed({ tracks: ['docs/guide.md'] }), dir, nodeDriftFs, new GitDriftHistory(dir));
    assert.deepEqual(report.files.map((f) => [f.path, f.committedAt?.toISOString()]), [['docs/guide.md', '2026-03-01T09:30:00.000Z']]);
    await assert.rejects(fs.access(marker), 'the fsmonitor hook did not run');
  });
});
