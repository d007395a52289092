// Which Get Started steps are already done, from the specs alone (src/core/present/walkthroughProgress.ts).
import * as assert from 'node:assert/strict';
import { walkthroughContextKey, walkthroughProgress } from '../../src/core/present/walkthroughProgress';
import type { Spec } from '../../src/core/spec/types';

const spec = (status: string, labels: string[] = []): Spec => ({ status, labels }) as unknown as Spec;

describe('walkthrough progress', () => {
  it('is nothing without a project', () => {
    assert.deepEqual(walkthroughProgress([]), { initialized: false, hasInvestigation: false, worked: false, merged: false });
  });

  it('counts an initialized project with no specs as initialized only', () => {
    assert.deepEqual(walkthroughProgress([[]]), { initialized: true, hasInvestigation: false, worked: false, merged: false });
  });

  it('sees an investigation by its issue label, a worked spec by its status, a merged phase by a completed spec', () => {
    assert.equal(walkthroughProgress([[spec('pending', ['comprehension', 'issue-1234'])]]).hasInvestigation, true);
    assert.equal(walkthroughProgress([[spec('pending', ['comprehension'])]]).hasInvestigation, false);
    for (const status of ['in_progress', 'paused', 'failed']) {
      assert.deepEqual(walkthroughProgress([[spec(status)]]), { initialized: true, hasInvestigation: false, worked: true, merged: false }, status);
    }
    assert.deepEqual(walkthroughProgress([[], [spec('completed')]]), { initialized: true, hasInvestigation: false, worked: true, merged: true });
    assert.equal(walkthroughProgress([[spec('ready'), spec('cancelled')]]).worked, false);
  });

  it('publishes each fact under the key package.json names', () => {
    assert.equal(walkthroughContextKey('initialized'), 'chant.walkthrough.initialized');
  });
});
