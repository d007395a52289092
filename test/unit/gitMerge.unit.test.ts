import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { isSafeRef, RunGit } from '../../src/git/runGit';
import { mergeStateOf } from '../../src/git/mergeState';
import { git, initRepo, makeTempDir, removeDir } from './tempRepo';

/** A repo with main, a merged branch, an unmerged branch, and the short SHA of each branch tip. */
function setUpBranches(dir: string): { mergedSha: string; openSha: string } {
  initRepo(dir, { commit: true });
  git(dir, 'checkout', '-q', '-b', 'chant/merged');
  writeFileSync(path.join(dir, 'a.txt'), 'a\n');
  git(dir, 'add', 'a.txt');
  git(dir, 'commit', '-q', '-m', 'chant(merged): a');
  const mergedSha = git(dir, 'rev-parse', '--short', 'HEAD');
  git(dir, 'checkout', '-q', 'main');
  git(dir, 'merge', '-q', '--no-ff', '-m', 'Merge chant/merged', 'chant/merged');
  git(dir, 'checkout', '-q', '-b', 'chant/open');
  writeFileSync(path.join(dir, 'b.txt'), 'b\n');
  git(dir, 'add', 'b.txt');
  git(dir, 'commit', '-q', '-m', 'chant(open): b');
  const openSha = git(dir, 'rev-parse', '--short', 'HEAD');
  git(dir, 'checkout', '-q', 'main');
  return { mergedSha, openSha };
}

describe('GitRepo merge checks (real temporary repositories)', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir('chant-merge-')));
  afterEach(() => removeDir(dir));

  it('tells merged from unmerged branches, and cannot tell for missing refs', async () => {
    const { mergedSha, openSha } = setUpBranches(dir);
    const repo = await RunGit.open(dir);
    assert.equal(await repo.isMerged('chant/merged', 'main'), true);
    assert.equal(await repo.isMerged('chant/open', 'main'), false);
    assert.equal(await repo.isMerged('main', 'main'), true);
    assert.equal(await repo.isMerged(mergedSha, 'main'), true, 'a commit works too');
    assert.equal(await repo.isMerged(openSha, 'main'), false);
    assert.equal(await repo.isMerged('chant/gone', 'main'), undefined);
    assert.equal(await repo.isMerged('chant/merged', 'master'), undefined);
  });

  it('treats a branch that was fast-forwarded as merged', async () => {
    initRepo(dir, { commit: true });
    git(dir, 'checkout', '-q', '-b', 'chant/ff');
    writeFileSync(path.join(dir, 'c.txt'), 'c\n');
    git(dir, 'add', 'c.txt');
    git(dir, 'commit', '-q', '-m', 'c');
    git(dir, 'checkout', '-q', 'main');
    const repo = await RunGit.open(dir);
    assert.equal(await repo.isMerged('chant/ff', 'main'), false);
    git(dir, 'merge', '-q', '--ff-only', 'chant/ff');
    assert.equal(await repo.isMerged('chant/ff', 'main'), true);
  });

  it('never passes an option-like or range-like ref to git', async () => {
    initRepo(dir, { commit: true });
    const repo = await RunGit.open(dir);
    for (const ref of ['--output=/tmp/x', 'main..main', 'main@{1}', 'a b', 'HEAD~1', 'x:y', '']) {
      assert.equal(isSafeRef(ref), false, ref);
      assert.equal(await repo.isMerged(ref, 'main'), undefined, ref);
    }
    assert.equal(isSafeRef('chant/2026-02-08-010-v7b'), true);
  });

  it('knows tracked files and moves them with git mv (staged)', async () => {
    initRepo(dir, { commit: true });
    const repo = await RunGit.open(dir);
    writeFileSync(path.join(dir, 'new.md'), 'x\n');
    assert.equal(await repo.isTracked(path.join(dir, 'README.md')), true);
    assert.equal(await repo.isTracked(path.join(dir, 'new.md')), false);
    mkdirSync(path.join(dir, 'archive'));
    await repo.move(path.join(dir, 'README.md'), path.join(dir, 'archive', 'README.md'));
    assert.ok(existsSync(path.join(dir, 'archive', 'README.md')));
    assert.match(git(dir, 'status', '--porcelain'), /^R {2}README\.md -> archive\/README\.md/m);
  });
});

describe('mergeStateOf', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir('chant-merge-state-')));
  afterEach(() => removeDir(dir));

  it('answers merged, unmerged, or cannot tell with the reason', async () => {
    const { mergedSha, openSha } = setUpBranches(dir);
    const repo = await RunGit.open(dir);
    assert.equal((await mergeStateOf(repo, [{ id: 'a', branch: 'chant/merged', commits: [] }], 'main')).state, 'merged');
    const unmerged = await mergeStateOf(repo, [{ id: 'b', branch: 'chant/open', commits: [] }], 'main');
    assert.deepEqual(unmerged, { state: 'unmerged', id: 'b', detail: 'chant/open is not merged into main' });
    // The branch was deleted after merging (parallel mode): the recorded commits still tell.
    assert.equal((await mergeStateOf(repo, [{ id: 'c', branch: 'chant/deleted', commits: [mergedSha] }], 'main')).state, 'merged');
    assert.equal((await mergeStateOf(repo, [{ id: 'd', commits: [openSha] }], 'main')).state, 'unmerged');
    const unknown = await mergeStateOf(repo, [{ id: 'e', commits: [] }], 'main');
    assert.equal(unknown.state, 'unknown');
    assert.match(unknown.detail, /records no branch and no commits/);
    const noMain = await mergeStateOf(repo, [{ id: 'a', branch: 'chant/merged', commits: [] }], 'trunk');
    assert.equal(noMain.state, 'unknown');
    assert.match(noMain.detail, /'trunk'.*does not exist/);
  });

  it('cannot tell without git', async () => {
    const state = await mergeStateOf(undefined, [{ id: 'a', branch: 'x', commits: [] }], 'main', 'not a repository');
    assert.deepEqual(state, { state: 'unknown', detail: 'cannot check git: not a repository' });
  });
});
