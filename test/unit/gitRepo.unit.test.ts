import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { GitError, GitRepo } from '../../src/git/gitRepo';
import { git, initRepo, makeTempDir, removeDir } from './tempRepo';

describe('GitRepo (real temporary repositories)', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  it('rejects a folder that is not a repository with a way forward', async () => {
    await assert.rejects(GitRepo.open(dir), (error: unknown) => {
      assert.ok(error instanceof GitError);
      assert.equal(error.reason, 'not-a-repo');
      assert.match(error.message, /git init/);
      return true;
    });
  });

  it('knows a repository with no commits yet', async () => {
    initRepo(dir);
    const repo = await GitRepo.open(dir);
    assert.equal(await repo.hasCommits(), false);
    assert.equal(await repo.currentBranch(), 'main');
  });

  it('reports branch, dirtiness and branch existence', async () => {
    initRepo(dir, { commit: true });
    const repo = await GitRepo.open(dir);
    let state = await repo.state();
    assert.equal(state.hasCommits, true);
    assert.equal(state.branch, 'main');
    assert.equal(state.dirty, false);
    writeFileSync(path.join(dir, 'README.md'), 'changed\n');
    state = await repo.state();
    assert.equal(state.dirty, true);
    git(dir, 'branch', 'chant/2026-02-08-001-aaa');
    assert.equal(await repo.branchExists('chant/2026-02-08-001-aaa'), true);
    assert.equal(await repo.branchExists('chant/nope'), false);
  });

  it('reports a detached HEAD as no branch', async () => {
    initRepo(dir, { commit: true });
    git(dir, 'checkout', '-q', '--detach');
    const repo = await GitRepo.open(dir);
    assert.equal(await repo.currentBranch(), undefined);
  });
});
