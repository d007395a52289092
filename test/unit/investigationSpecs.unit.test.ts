import * as assert from 'node:assert/strict';
import { parseSpec } from '../../src/core/spec/specParser';
import { draftKeyOf, fixSpecOf, investigationKeysIn, isInvestigationKey, specsOfInvestigation, upstreamDraftName } from '../../src/core/workflow/investigationSpecs';

function spec(id: string, fields: string): ReturnType<typeof parseSpec> {
  return parseSpec(`---\n${fields}\n---\n\n# ${id}\n`, { id, path: `/p/.chant/specs/${id}.md` });
}

describe('investigation specs', () => {
  const comprehension = spec('2026-01-01-001-aaa', 'type: research\nstatus: completed\nlabels:\n- issue-1234\n- comprehension');
  const other = spec('2026-01-01-002-bbb', 'type: code\nstatus: pending\nlabels:\n- issue-99');
  const fix = spec('2026-01-01-003-ccc', 'type: code\nstatus: completed\nbranch: chant/2026-01-01-003-ccc\nlabels:\n- issue-1234\n- fork-fix');
  const doc = spec('2026-01-01-004-ddd', 'type: documentation\nstatus: completed\nbranch: chant/docs\nlabels:\n- issue-1234');
  const all = [comprehension, other, fix, doc];

  it('selects an investigation by its label, in the order given', () => {
    assert.deepEqual(specsOfInvestigation(all, 'issue-1234').map((s) => s.id), [comprehension.id, fix.id, doc.id]);
    assert.deepEqual(investigationKeysIn(all), ['issue-1234', 'issue-99']);
  });

  it('finds the fix: the last code spec with a branch, else the last spec with one', () => {
    assert.equal(fixSpecOf(specsOfInvestigation(all, 'issue-1234'))?.id, fix.id);
    assert.equal(fixSpecOf([comprehension, doc])?.id, doc.id);
    assert.equal(fixSpecOf([comprehension]), undefined);
  });

  it('knows investigation keys and draft names', () => {
    assert.ok(isInvestigationKey('issue-12'));
    assert.ok(!isInvestigationKey('issue-12; rm -rf') && !isInvestigationKey('--chain') && !isInvestigationKey(12));
    assert.equal(upstreamDraftName('issue-1234'), 'upstream-pr-issue-1234.md');
    assert.equal(upstreamDraftName('../x y'), 'upstream-pr-.._x_y.md');
    assert.equal(draftKeyOf(upstreamDraftName('issue-7')), 'issue-7');
    assert.equal(draftKeyOf('notes.md'), undefined);
  });
});
