import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { actionsRunLabel, actionsRunRefFrom, currentStep, decodeRequest, encodeRequest, findDispatchedRun, logTail, MAX_REQUEST_CHARS, nextPollMs, parseRunView, RequestTooLargeError } from '../../src/core/runs/actionsRun';
import { recordsFromSaved, runStateLabel, type RunRecord } from '../../src/core/runs/runRecord';

describe('a GitHub Actions run, as the extension reads it', () => {
  it('carries the request through gzip and base64 unchanged, and refuses one GitHub would refuse, naming the biggest parts', () => {
    const request = { version: 1 as const, spec: '2026-01-01-001-abc', prompt: 'Do it ✓ $(rm -rf /) `x`', files: [{ path: '.chant/specs/2026-01-01-001-abc.md', text: '---\nstatus: in_progress\n---\n# T\n' }], silent: true, outputs: ['.chant/research/a.md'] };
    assert.deepEqual(decodeRequest(encodeRequest(request)), request);
    // Random text does not compress: far past the dispatch limit.
    const noise = randomBytes(100_000).toString('base64');
    assert.throws(() => encodeRequest({ ...request, files: [{ path: 'big.md', text: noise }] }), (error: unknown) => error instanceof RequestTooLargeError && error.size > MAX_REQUEST_CHARS && /big\.md/.test(error.message));
  });

  it('finds the run a dispatch started by the id in its name, and reads gh run view', () => {
    const list = JSON.stringify([
      { databaseId: 7, number: 3, url: 'https://github.com/a/b/actions/runs/7', status: 'queued', conclusion: '', displayTitle: 'chant x (d2)' },
      { databaseId: 6, number: 2, url: 'https://github.com/a/b/actions/runs/6', status: 'completed', conclusion: 'success', displayTitle: 'chant x (d1)' },
    ]);
    assert.equal(findDispatchedRun(list, 'd1')?.runId, 6);
    assert.equal(findDispatchedRun(list, 'd9'), undefined);
    assert.equal(findDispatchedRun('not json', 'd1'), undefined);
    const view = parseRunView(JSON.stringify({ databaseId: 6, number: 2, url: 'u', status: 'in_progress', conclusion: '', displayTitle: 't', jobs: [{ steps: [{ name: 'Check out', status: 'completed', conclusion: 'success' }, { name: 'Run Claude Code', status: 'in_progress', conclusion: '' }] }] }))!;
    assert.equal(currentStep(view), 'step: Run Claude Code');
    assert.equal(parseRunView(JSON.stringify({ databaseId: 'x', status: 'queued' })), undefined);
  });

  it('names the state as GitHub does on the row while it runs', () => {
    assert.equal(actionsRunLabel({ number: 123, status: 'queued' }), 'GitHub Actions #123 · queued');
    assert.equal(actionsRunLabel({ number: 123, status: 'in_progress' }), 'GitHub Actions #123 · in progress');
    assert.equal(actionsRunLabel({ number: 123, status: 'completed', conclusion: 'timed_out' }), 'GitHub Actions #123 · timed out');
    assert.equal(actionsRunLabel({}), 'GitHub Actions · dispatched');
    const run: RunRecord = { key: 'k', id: 'x', root: '/r', runner: 'actions', state: 'running', startedAt: 0, actions: { repo: 'a/b', remote: 'origin', dispatchId: 'd', agent: 'claude', number: 4, status: 'in_progress' } };
    assert.equal(runStateLabel(run), 'GitHub Actions #4 · in progress');
    assert.equal(runStateLabel({ ...run, state: 'completed', need: 'merge' }), 'review and merge');
  });

  it('keeps a saved run on Actions, dropping what is malformed', () => {
    const [saved] = recordsFromSaved([{ key: 'k', id: 'x', root: '/r', runner: 'actions', state: 'completed', startedAt: 1, actions: { repo: 'a/b', remote: 'origin', dispatchId: 'd', agent: 'claude', runId: 9, url: 'javascript:alert(1)' } }]);
    assert.equal(saved.runner, 'actions');
    assert.deepEqual(saved.actions, { repo: 'a/b', remote: 'origin', dispatchId: 'd', agent: 'claude', runId: 9 });
    assert.equal(actionsRunRefFrom({ repo: 'a/b' }), undefined);
  });

  it('asks every few seconds while the job runs and backs off to a minute while it is queued', () => {
    assert.equal(nextPollMs('in_progress', 50, 3000), 3000);
    assert.ok(nextPollMs('queued', 1, 3000) < nextPollMs('queued', 5, 3000));
    assert.equal(nextPollMs('queued', 100, 3000), 60_000);
  });

  it('takes the tail of a failed job log without its job column', () => {
    assert.deepEqual(logTail('work\tRun Claude Code\tline 1\nwork\tRun Claude Code\tError: no key\n', 1), ['Run Claude Code: Error: no key']);
  });
});
