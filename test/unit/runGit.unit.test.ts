// The run git layer on its own: what it refuses, and that it never forces or deletes work.
import * as assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { defaultWorktreePath, RunGit, RunGitError } from '../../src/git/runGit';
import { git, initRepo, makeTempDir, removeDir } from './tempRepo';

describe('RunGit (real temporary repositories)', () => {
  let repo: string;
  let wt: string;
  beforeEach(() => {
    repo = makeTempDir('chant-rungit-');
    wt = makeTempDir('chant-rungit-wt-');
    initRepo(repo, { commit: true });
  });
  afterEach(() => {
    removeDir(repo);
    removeDir(wt);
  });

  it('names worktrees as chant does, in the configured folder', () => {
    assert.equal(defaultWorktreePath('kvstore', '2026-02-08-001-r4x', '/w'), '/w/chant-kvstore-2026-02-08-001-r4x');
    assert.equal(defaultWorktreePath('my proj', 'x', '/w'), '/w/chant-my_proj-x');
  });

  it('refuses branch names git or a shell could misread', async () => {
    const g = await RunGit.open(repo);
    for (const branch of ['-rf', 'a..b', 'with space', 'x~1', 'x:y', '']) {
      await assert.rejects(g.prepare({ branch, mainBranch: 'main', isolation: 'worktree', worktreePath: path.join(wt, 'x') }), (e: unknown) => e instanceof RunGitError && e.reason === 'bad-ref', branch);
    }
  });

  it('refuses a worktree folder that exists and is not the branch worktree', async () => {
    const g = await RunGit.open(repo);
    writeFileSync(path.join(wt, 'keep.txt'), 'mine\n');
    await assert.rejects(g.prepare({ branch: 'chant/x', mainBranch: 'main', isolation: 'worktree', worktreePath: wt }), (e: unknown) => e instanceof RunGitError && e.reason === 'worktree');
    assert.ok(existsSync(path.join(wt, 'keep.txt')));
  });

  it('keeps a worktree with uncommitted changes at removal, and an unmerged branch at deletion', async () => {
    const g = await RunGit.open(repo);
    const dir = path.join(wt, 'w');
    const prepared = await g.prepare({ branch: 'chant/x', mainBranch: 'main', isolation: 'worktree', worktreePath: dir });
    writeFileSync(path.join(prepared.workDir, 'README.md'), 'edited\n');
    await assert.rejects(g.removeWorktree(dir), (e: unknown) => e instanceof RunGitError && e.reason === 'dirty');
    assert.ok(existsSync(path.join(dir, 'README.md')));
    git(dir, 'commit', '-qam', 'chant(x): work');
    await g.removeWorktree(dir);
    assert.equal(existsSync(dir), false);
    await assert.rejects(g.deleteBranch('chant/x'), (e: unknown) => e instanceof Error && /not fully merged/.test(e.message));
    assert.equal(await g.branchExists('chant/x'), true);
  });

  it('merges fast-forward, then reports up to date; refuses to switch a dirty checkout', async () => {
    const g = await RunGit.open(repo);
    git(repo, 'checkout', '-q', '-b', 'chant/y');
    writeFileSync(path.join(repo, 'y.txt'), 'y\n');
    git(repo, 'add', 'y.txt');
    git(repo, 'commit', '-qm', 'chant(y): y');
    writeFileSync(path.join(repo, 'README.md'), 'dirty\n');
    await assert.rejects(g.merge('chant/y', 'main'), (e: unknown) => e instanceof RunGitError && e.reason === 'dirty' && e.files.includes('README.md'));
    git(repo, 'checkout', '-q', '--', 'README.md');
    const first = await g.merge('chant/y', 'main');
    assert.equal(first.kind, 'fast-forward');
    assert.match(first.notices.join(), /Switched the main checkout from chant\/y to main/);
    assert.equal((await g.merge('chant/y', 'main')).kind, 'up-to-date');
    assert.deepEqual(await g.specCommits('y', 'chant/y'), [git(repo, 'rev-parse', '--short', 'chant/y')]);
  });

  it('lists the files a branch changed since it left its base', async () => {
    const g = await RunGit.open(repo);
    git(repo, 'checkout', '-q', '-b', 'chant/z');
    writeFileSync(path.join(repo, 'new.txt'), 'n\n');
    git(repo, 'add', 'new.txt');
    git(repo, 'mv', 'README.md', 'READ.md');
    git(repo, 'commit', '-qm', 'z');
    git(repo, 'checkout', '-q', 'main');
    const files = await g.changedFiles('chant/z', 'main');
    assert.deepEqual(files.sort((a, b) => a.path.localeCompare(b.path)), [
      { status: 'A', path: 'new.txt' },
      { status: 'R', oldPath: 'README.md', path: 'READ.md' },
    ]);
  });
});
