import * as assert from 'node:assert/strict';
import { realpathSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { RunGit, RunGitError } from '../../src/git/runGit';
import { git, initRepo, makeTempDir, removeDir } from './tempRepo';

describe('RunGit, the one git module (real temporary repositories)', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  it('rejects a folder that is not a repository with a way forward', async () => {
    await assert.rejects(RunGit.open(dir), (error: unknown) => {
      assert.ok(error instanceof RunGitError);
      assert.equal(error.reason, 'not-a-repo');
      assert.match(error.message, /git init/);
      return true;
    });
  });

  it('knows a repository with no commits yet', async () => {
    initRepo(dir);
    const repo = await RunGit.open(dir);
    assert.equal(await repo.hasCommits(), false);
    assert.equal(await repo.currentBranch(), 'main');
  });

  it('reports branch, dirtiness and branch existence', async () => {
    initRepo(dir, { commit: true });
    const repo = await RunGit.open(dir);
    assert.equal(await repo.hasCommits(), true);
    assert.equal(await repo.currentBranch(), 'main');
    assert.deepEqual(await repo.dirtyPaths(), []);
    writeFileSync(path.join(dir, 'README.md'), 'changed\n');
    assert.deepEqual(await repo.dirtyPaths(), ['README.md']);
    assert.equal(await repo.topLevel(), realpathSync(dir));
    git(dir, 'branch', 'chant/2026-02-08-001-aaa');
    assert.equal(await repo.branchExists('chant/2026-02-08-001-aaa'), true);
    assert.equal(await repo.branchExists('chant/nope'), false);
  });

  it('reports a detached HEAD as no branch', async () => {
    initRepo(dir, { commit: true });
    git(dir, 'checkout', '-q', '--detach');
    const repo = await RunGit.open(dir);
    assert.equal(await repo.currentBranch(), undefined);
  });

  it('lists remotes with their fetch and push URLs', async () => {
    initRepo(dir, { commit: true });
    git(dir, 'remote', 'add', 'origin', 'https://github.com/me/kvstore.git');
    git(dir, 'remote', 'add', 'upstream', 'git@github.com:acme/kvstore.git');
    git(dir, 'remote', 'set-url', '--push', 'upstream', 'no-push');
    const repo = await RunGit.open(dir);
    assert.deepEqual(Object.fromEntries(await repo.remotes()), {
      origin: { fetch: 'https://github.com/me/kvstore.git', push: 'https://github.com/me/kvstore.git' },
      upstream: { fetch: 'git@github.com:acme/kvstore.git', push: 'no-push' },
    });
  });
});
