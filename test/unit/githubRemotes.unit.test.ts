import * as assert from 'node:assert/strict';
import { forkRemoteName, githubRepoOf, githubRepoOfRemote } from '../../src/github/remotes';

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
});
