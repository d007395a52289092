// Which Get Started steps are already done, from the specs alone (src/core/present/walkthroughProgress.ts).
import * as assert from 'node:assert/strict';
import { fixBranchesOf, walkthroughContextKey, walkthroughProgress } from '../../src/core/present/walkthroughProgress';
import type { Spec } from '../../src/core/spec/types';

const spec = (status: string, labels: string[] = []): Spec => ({ status, labels }) as unknown as Spec;

describe('walkthrough progress', () => {
  it('is nothing without a project', () => {
    assert.deepEqual(walkthroughProgress([]), {
      initialized: false,
      hasInvestigation: false,
      worked: false,
      merged: false,
    });
  });

  it('counts an initialized project with no specs as initialized only', () => {
    assert.deepEqual(walkthroughProgress([[]]), {
      initialized: true,
      hasInvestigation: false,
      worked: false,
      merged: false,
    });
  });

  it('sees an investigation by its issue label, a worked spec by its status, a merged phase by a completed spec', () => {
    assert.equal(walkthroughProgress([[spec('pending', ['comprehension', 'issue-1234'])]]).hasInvestigation, true);
    assert.equal(walkthroughProgress([[spec('pending', ['comprehension'])]]).hasInvestigation, false);
    for (const status of ['in_progress', 'paused', 'failed']) {
      assert.deepEqual(
        walkthroughProgress([[spec(status)]]),
        { initialized: true, hasInvestigation: false, worked: true, merged: false },
        status,
      );
    }
    assert.deepEqual(walkthroughProgress([[], [spec('completed')]]), { initialized: true, hasInvestigation: false, worked: true, merged: true });
    assert.equal(walkthroughProgress([[spec('ready'), spec('cancelled')]]).worked, false);
  });

  it('asks about the upstream pull request on each investigation\'s fix branch only', () => {
    const withBranch = (id: string, type: string, labels: string[], branch?: string): Spec => ({ id, type, labels, branch, status: 'completed' }) as unknown as Spec;
    const sorted = [
      withBranch('001', 'research', ['comprehension', 'issue-1'], 'chant/001'),
      withBranch('002', 'code', ['fork-fix', 'issue-1'], 'chant/002'),
      withBranch('003', 'research', ['issue-2'], 'chant/003'),
      withBranch('004', 'code', ['issue-3']),
      withBranch('005', 'code', [], 'chant/005'),
    ];
    assert.deepEqual(fixBranchesOf(sorted), ['chant/002', 'chant/003']);
    assert.deepEqual(fixBranchesOf([]), []);
  });

  it('publishes each fact under the key package.json names', () => {
    assert.equal(walkthroughContextKey('initialized'), 'chant.walkthrough.initialized');
  });
});
