import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunGit } from '../../src/git/runGit';
import { forkRemoteName, githubRepoOf, githubRepoOfRemote, issueRepositoryFromRemotes } from '../../src/github/remotes';

describe('GitHub remotes', () => {
  it('reads owner/repo from https and ssh URLs', () => {
    assert.equal(githubRepoOf('https://github.com/acme/kvstore.git'), 'acme/kvstore');
    assert.equal(githubRepoOf('https://github.com/acme/kvstore'), 'acme/kvstore');
    assert.equal(githubRepoOf('git@github.com:me/kv.store.git'), 'me/kv.store');
    assert.equal(githubRepoOf('ssh://git@github.com/me/kvstore/'), 'me/kvstore');
  });

  it('refuses anything that is not a plain GitHub repository', () => {
    assert.equal(githubRepoOf('https://gitlab.com/acme/kvstore.git'), undefined);
    assert.equal(githubRepoOf('/srv/git/kvstore.git'), undefined);
    assert.equal(githubRepoOf('https://github.com/acme/kv store'), undefined);
    assert.equal(githubRepoOf('https://github.com/acme/$(touch x)'), undefined);
  });

  it('names a fork by its push URL and an upstream by its fetch URL', () => {
    const remote = { fetch: 'https://github.com/acme/kvstore.git', push: 'git@github.com:me/kvstore.git' };
    assert.equal(githubRepoOfRemote(remote, 'fork'), 'me/kvstore');
    assert.equal(githubRepoOfRemote(remote, 'upstream'), 'acme/kvstore');
    assert.equal(githubRepoOfRemote({ fetch: 'https://github.com/me/kvstore.git', push: '/tmp/bare.git' }, 'fork'), 'me/kvstore');
    assert.equal(githubRepoOfRemote(undefined, 'fork'), undefined);
  });

  it('takes origin as the fork, else the first remote', () => {
    assert.equal(forkRemoteName(new Map([['upstream', {}], ['origin', {}]])), 'origin');
    assert.equal(forkRemoteName(new Map([['mine', {}]])), 'mine');
    assert.equal(forkRemoteName(new Map()), undefined);
  });

  it('finds the repository an issue number belongs to: upstream first, then origin, only on GitHub (a real repository)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'chant-remotes-'));
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
    try {
      git('init', '-q');
      const issueRepository = async (): Promise<string | undefined> => issueRepositoryFromRemotes(await (await RunGit.open(dir)).remotes());
      assert.equal(await issueRepository(), undefined, 'no remote');
      git('remote', 'add', 'origin', 'git@github.com:me/kvstore.git');
      assert.equal(await issueRepository(), 'https://github.com/me/kvstore');
      git('remote', 'add', 'upstream', 'https://github.com/yourproject/kvstore.git');
      git('remote', 'set-url', '--push', 'upstream', 'no-push');
      assert.equal(await issueRepository(), 'https://github.com/yourproject/kvstore', 'the issue lives upstream');
      git('remote', 'set-url', 'upstream', 'https://gitlab.com/a/b.git');
      assert.equal(await issueRepository(), 'https://github.com/me/kvstore', 'an upstream elsewhere is no GitHub repository');
      git('remote', 'set-url', 'origin', 'ssh://git@github.com/a/b');
      assert.equal(await issueRepository(), 'https://github.com/a/b');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
