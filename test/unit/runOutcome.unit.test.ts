// How a run ends (README "How a run ends"): every rule, and the order in which they apply.
import * as assert from 'node:assert/strict';
import { AGENT_ERROR_REASON, isResearchRun, judgeRunOutcome, NOTHING_DONE_REASON, STOPPED_REASON, type RunFacts } from '../../src/core/runs/runOutcome';

const facts = (extra: Partial<RunFacts>): RunFacts => ({
  exitCode: 0,
  commits: [],
  targetFiles: [],
  criteria: { total: 2, checked: 0 },
  isResearch: false,
  ...extra,
});
const doc = (written: boolean, p = '.chant/research/doc.md') => ({ path: p, written });

describe('how a run ends', () => {
  it('code: exit 0 with a commit or a written target completes; with nothing done it fails', () => {
    assert.deepEqual(judgeRunOutcome(facts({ commits: ['abc1234'] })), { status: 'completed' });
    assert.deepEqual(judgeRunOutcome(facts({ targetFiles: [{ path: 'src/a.ts', written: true }, { path: 'src/b.ts', written: false }] })), { status: 'completed' });
    assert.deepEqual(judgeRunOutcome(facts({ targetFiles: [{ path: 'src/a.ts', written: false }] })), { status: 'failed', reason: NOTHING_DONE_REASON });
    assert.match(NOTHING_DONE_REASON, /^No commits found: the agent changed nothing/);
  });

  it('ticked criteria alone are not work', () => {
    assert.equal(judgeRunOutcome(facts({ criteria: { total: 2, checked: 2 } })).status, 'failed');
    assert.equal(judgeRunOutcome(facts({ commits: ['abc'], criteria: { total: 3, checked: 0 } })).status, 'completed');
  });

  it('code: a non-zero exit fails with its status, whatever was committed or written', () => {
    assert.deepEqual(judgeRunOutcome(facts({ exitCode: 1, commits: ['abc'], targetFiles: [{ path: 'src/a.ts', written: true }] })), { status: 'failed', reason: 'Agent exited with status: 1' });
    assert.deepEqual(judgeRunOutcome(facts({ exitCode: 137 })), { status: 'failed', reason: 'Agent exited with status: 137' });
  });

  it('a stopped run fails, research or not', () => {
    assert.deepEqual(judgeRunOutcome(facts({ exitCode: undefined, commits: ['abc'] })), { status: 'failed', reason: STOPPED_REASON });
    assert.deepEqual(judgeRunOutcome(facts({ exitCode: undefined, isResearch: true, targetFiles: [doc(true)] })), { status: 'failed', reason: STOPPED_REASON });
  });

  it('research: the written document completes the run whatever the exit status, and says so', () => {
    assert.deepEqual(judgeRunOutcome(facts({ isResearch: true, exitCode: 1, targetFiles: [doc(true)] })), {
      status: 'completed',
      overridesExit: "the research document .chant/research/doc.md was written; the agent's exit status 1 is ignored",
    });
    assert.deepEqual(judgeRunOutcome(facts({ isResearch: true, exitCode: 0, targetFiles: [doc(true)] })), { status: 'completed' });
    assert.deepEqual(judgeRunOutcome(facts({ isResearch: true, exitCode: 2, targetFiles: [doc(true), doc(true, '.chant/research/b.md')] })).overridesExit,
      "the research documents (.chant/research/doc.md, .chant/research/b.md) were written; the agent's exit status 2 is ignored");
  });

  it('research: a document missing, or none named, falls back to the code rules', () => {
    assert.deepEqual(judgeRunOutcome(facts({ isResearch: true, exitCode: 1, targetFiles: [doc(true), doc(false, '.chant/research/b.md')] })), { status: 'failed', reason: 'Agent exited with status: 1' });
    assert.deepEqual(judgeRunOutcome(facts({ isResearch: true, exitCode: 1, targetFiles: [] })), { status: 'failed', reason: 'Agent exited with status: 1' });
    assert.deepEqual(judgeRunOutcome(facts({ isResearch: true, exitCode: 0, targetFiles: [doc(false)] })), { status: 'failed', reason: NOTHING_DONE_REASON });
    assert.deepEqual(judgeRunOutcome(facts({ isResearch: true, exitCode: 0, commits: ['abc'], targetFiles: [doc(false)] })), { status: 'completed' });
  });

  it("the agent's own error report fails a run that exited 0, and a research override does not apply", () => {
    assert.deepEqual(judgeRunOutcome(facts({ agentSaysError: true, commits: ['abc'] })), {
      status: 'failed',
      reason: AGENT_ERROR_REASON,
      overridesExit: 'the agent exited with status 0 but its result reports an error',
    });
    assert.deepEqual(judgeRunOutcome(facts({ agentSaysError: true, isResearch: true, exitCode: 1, targetFiles: [doc(true)] })), { status: 'failed', reason: 'Agent exited with status: 1' });
    assert.equal(judgeRunOutcome(facts({ agentSaysError: false, commits: ['abc'] })).status, 'completed');
  });

  it('a research run is type research, or a spec whose targets are all under .chant/', () => {
    assert.equal(isResearchRun('research', []), true);
    assert.equal(isResearchRun('code', ['.chant/research/a.md', './.chant/research/b.md']), true);
    assert.equal(isResearchRun('code', ['.chant/research/a.md', 'src/a.ts']), false);
    assert.equal(isResearchRun('code', []), false);
    assert.equal(isResearchRun(undefined, ['.chantx/a.md']), false);
  });
});
