import * as assert from 'node:assert/strict';
import { chantStatusError, cliRunOutcome, isChantWatchCommandLine, lastLogLine, watchPidOf, type CliRunFacts } from '../../src/core/runs/cliOutcome';
import { terminalPathOf } from '../../src/workspace/executables';

const base: CliRunFacts = { exitCode: 0, statusBefore: 'pending', statusAfter: 'completed', specWritten: true, branch: 'chant/2026-02-08-005-k9w', unmergedCommits: 2 };

describe('how a chant work run ended (CLI runner)', () => {
  it('a completed spec with unmerged commits waits for review and merge, as a direct run does', () => {
    assert.deepEqual(cliRunOutcome(base), { state: 'completed', need: 'merge', reason: undefined, mergeable: true });
    assert.deepEqual(cliRunOutcome({ ...base, unmergedCommits: 0 }), { state: 'completed', need: undefined, reason: undefined, mergeable: false });
  });

  it('a spec chant turned failed says why, in chant words, and offers no merge', () => {
    const failed = cliRunOutcome({ ...base, exitCode: 1, statusBefore: 'in_progress', statusAfter: 'failed', chantError: 'Agent exited with status: 1', unmergedCommits: 0 });
    assert.equal(failed.state, 'failed');
    assert.equal(failed.need, 'failed');
    assert.equal(failed.mergeable, false);
    assert.equal(failed.reason, 'chant marked the spec failed: Agent exited with status: 1. No commits on chant/2026-02-08-005-k9w.');
    const fromLog = cliRunOutcome({ ...base, exitCode: 1, statusAfter: 'failed', logTail: 'Error: rate limited' });
    assert.match(fromLog.reason ?? '', /its log ends with "Error: rate limited"/);
    // Exit 1 with commits on the branch: still no merge for a failed spec.
    assert.equal(cliRunOutcome({ ...base, exitCode: 1, statusAfter: 'failed', unmergedCommits: 3 }).mergeable, false);
  });

  it('a refusal before any agent ran is a failure with the terminal as its reason; a "no" to chant question stops the run', () => {
    const refused = cliRunOutcome({ ...base, exitCode: 1, statusAfter: 'pending', specWritten: false });
    assert.equal(refused.state, 'failed');
    assert.match(refused.reason ?? '', /refused the spec with status 1 before running the agent; its reason is in the terminal/);
    // A failed spec worked again and refused again stays failed: still a refusal, not a new failure.
    assert.match(cliRunOutcome({ ...base, exitCode: 1, statusBefore: 'failed', statusAfter: 'failed', specWritten: false }).reason ?? '', /refused/);
    const no = cliRunOutcome({ ...base, exitCode: 0, statusAfter: 'pending', specWritten: false });
    assert.equal(no.state, 'stopped');
    assert.equal(no.need, undefined);
    assert.equal(cliRunOutcome({ ...base, exitCode: undefined, statusAfter: 'in_progress' }).state, 'failed');
  });

  it("reads chant's status file and log", () => {
    assert.equal(chantStatusError('{"spec_id":"x","status":"failed","updated_at":"t","error":"Failed to invoke agent \'claude\'","commits":[]}'), "Failed to invoke agent 'claude'");
    assert.equal(chantStatusError('{"status":"done","error":null}'), undefined);
    assert.equal(chantStatusError('{broken'), undefined);
    assert.equal(lastLogLine('# Agent Log: x\n# Started: t\n\nthinking\nDone here.\n\n'), 'Done here.');
    assert.equal(lastLogLine('# only headers\n'), undefined);
  });
});

describe("the terminal's PATH (Check Agent)", () => {
  it("is the host's unless terminal.integrated.env sets it; ${env:PATH} is the host's", () => {
    assert.deepEqual(terminalPathOf('/usr/bin', undefined), { path: '/usr/bin', fromSetting: false });
    assert.deepEqual(terminalPathOf('/usr/bin', { OTHER: 'x' }), { path: '/usr/bin', fromSetting: false });
    assert.deepEqual(terminalPathOf('/usr/bin', { PATH: '/opt/agent/bin:${env:PATH}' }), { path: '/opt/agent/bin:/usr/bin', fromSetting: true });
    assert.deepEqual(terminalPathOf('/usr/bin', { PATH: '/only/here' }), { path: '/only/here', fromSetting: true });
    assert.deepEqual(terminalPathOf('/usr/bin', { PATH: null }), { path: '', fromSetting: true });
  });
});

describe('a chant watch daemon (CLI runner)', () => {
  it("reads chant's watch.pid and recognizes a chant watch command line as chant does", () => {
    assert.equal(watchPidOf('4242\n'), 4242);
    assert.equal(watchPidOf('nope'), undefined);
    assert.equal(watchPidOf(undefined), undefined);
    assert.ok(isChantWatchCommandLine('/usr/local/bin/chant\0watch\0'));
    assert.ok(!isChantWatchCommandLine('/usr/bin/vim\0notes.txt\0'));
    assert.ok(!isChantWatchCommandLine('/usr/local/bin/chant\0work\0--no-watch\0id\0'));
  });
});
