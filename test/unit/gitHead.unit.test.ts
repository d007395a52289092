import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { branchFromHead, findGitDir, readHeadBranch, specIdForBranch } from '../../src/git/gitHead';
import { SpecsByBranch } from '../../src/core/present/specsByBranch';
import type { Spec } from '../../src/core/spec/types';
import { makeSpec } from './specFactory';
import { escapeIconSyntax, oneLine } from '../../src/core/present/plainText';
import { git, initRepo, makeTempDir, removeDir, writeFiles } from './tempRepo';

describe('gitHead', () => {
  let dir: string;
  before(() => {
    dir = makeTempDir('chant-head-');
    initRepo(dir, { commit: true });
    writeFiles(dir, { 'sub/.chant/config.md': '---\n---\n' });
  });
  after(() => removeDir(dir));

  it('reads the branch of a checkout from a nested folder', async () => {
    assert.equal(await readHeadBranch(path.join(dir, 'sub')), 'main');
    git(dir, 'checkout', '-q', '-b', 'chant/2026-01-10-003-ghi');
    assert.equal(await readHeadBranch(path.join(dir, 'sub')), 'chant/2026-01-10-003-ghi');
    git(dir, 'checkout', '-q', 'main');
  });

  it('is undefined on a detached HEAD and outside git', async () => {
    git(dir, 'checkout', '-q', '--detach');
    assert.equal(await readHeadBranch(dir), undefined);
    git(dir, 'checkout', '-q', 'main');
    const outside = makeTempDir('chant-nogit-');
    try {
      // git itself is the judge: a temp dir is normally outside any repository (git finds no
      // branch), but wherever TMPDIR points, the two must agree.
      const asked = spawnSync('git', ['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: outside, encoding: 'utf8' });
      const gitSays = asked.status === 0 ? asked.stdout.trim() : undefined;
      assert.equal(await readHeadBranch(outside), gitSays);
    } finally {
      removeDir(outside);
    }
  });

  it("reads a linked worktree's own HEAD", async () => {
    const worktree = path.join(makeTempDir('chant-wt-'), 'wt');
    try {
      git(dir, 'worktree', 'add', '-q', '-b', 'chant/2026-01-10-004-jkl', worktree);
      const gitDir = await findGitDir(worktree);
      assert.ok(gitDir && gitDir.includes(`${path.sep}worktrees${path.sep}`), gitDir);
      assert.equal(await readHeadBranch(worktree), 'chant/2026-01-10-004-jkl');
      assert.equal(await readHeadBranch(dir), 'main');
    } finally {
      git(dir, 'worktree', 'remove', '--force', worktree);
      removeDir(path.dirname(worktree));
    }
  });

  it('parses HEAD text', () => {
    assert.equal(branchFromHead('ref: refs/heads/feature/x\n'), 'feature/x');
    assert.equal(branchFromHead('9f2c1e0a1b\n'), undefined);
  });
});

describe('specIdForBranch', () => {
  const ids = new Set(['2026-01-10-003-ghi', '2026-01-10-004-jkl']);
  const exists = (id: string): boolean => ids.has(id);

  it('strips the branch prefix when the id exists', () => {
    assert.equal(specIdForBranch('chant/2026-01-10-003-ghi', 'chant/', exists), '2026-01-10-003-ghi');
    assert.equal(specIdForBranch('chant/2026-01-10-999-zzz', 'chant/', exists), undefined);
    assert.equal(specIdForBranch('main', 'chant/', exists), undefined);
    assert.equal(specIdForBranch('spec-2026-01-10-004-jkl', 'spec-', exists), '2026-01-10-004-jkl');
  });

  it("falls back to a spec whose branch field names the branch", () => {
    const owners = SpecsByBranch.build([
      makeSpec('2026-01-10-004-jkl', { branch: 'fix/flush' }),
      makeSpec('2026-01-10-003-ghi'),
    ]);
    assert.equal(specIdForBranch('fix/flush', 'chant/', exists, (b) => owners.idFor(b)), '2026-01-10-004-jkl');
    assert.equal(specIdForBranch('main', 'chant/', exists, (b) => owners.idFor(b)), undefined);
  });
});

describe('SpecsByBranch', () => {
  it("follows changes: a spec's branch field set, moved, cleared, the spec gone; the first id in chant's order wins", () => {
    const specs = new Map([
      ['2026-01-10-004-jkl', makeSpec('2026-01-10-004-jkl', { branch: 'fix/flush' })],
      ['2026-01-10-003-ghi', makeSpec('2026-01-10-003-ghi')],
    ]);
    const owners = SpecsByBranch.build(specs.values());
    const change = (id: string, spec: Spec | undefined): void => {
      if (spec) specs.set(id, spec);
      else specs.delete(id);
      owners.apply([{ id }], (each) => specs.get(each));
    };
    change('2026-01-10-003-ghi', makeSpec('2026-01-10-003-ghi', { branch: 'fix/flush' }));
    assert.equal(owners.idFor('fix/flush'), '2026-01-10-003-ghi', 'two name it: the first in id order');
    change('2026-01-10-003-ghi', makeSpec('2026-01-10-003-ghi', { branch: 'fix/other' }));
    assert.deepEqual([owners.idFor('fix/flush'), owners.idFor('fix/other')], ['2026-01-10-004-jkl', '2026-01-10-003-ghi']);
    change('2026-01-10-004-jkl', undefined);
    change('2026-01-10-003-ghi', makeSpec('2026-01-10-003-ghi'));
    assert.deepEqual([owners.idFor('fix/flush'), owners.idFor('fix/other')], [undefined, undefined]);
    // An archived spec's change says nothing about the active spec of that id.
    owners.apply([{ id: '2026-01-10-003-ghi', archived: true }], () => makeSpec('2026-01-10-003-ghi', { branch: 'x' }));
    assert.equal(owners.idFor('x'), undefined);
  });
});

describe('plainText', () => {
  it('escapes icon syntax so untrusted text reads as written', () => {
    assert.equal(escapeIconSyntax('Fix $(zap) and $(sync~spin) now'), 'Fix \\$(zap) and \\$(sync~spin) now');
    assert.equal(escapeIconSyntax('costs $(5 dollars) \\$(kept)'), 'costs $(5 dollars) \\$(kept)');
    assert.equal(escapeIconSyntax('plain'), 'plain');
  });

  it('flattens and shortens', () => {
    assert.equal(oneLine('a\n  b\tc'), 'a b c');
    assert.equal(oneLine('abcdefghij', 5), 'abcd…');
  });
});
