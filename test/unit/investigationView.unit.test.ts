import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildInvestigationView, investigationKeyFor } from '../../src/core/present/investigationView';
import { SpecIndex } from '../../src/core/project/specIndex';
import { DEFAULT_PHASES } from '../../src/core/workflow/phases';
import { parseInvestigationMessage } from '../../src/webviews/protocol';

const KVSTORE = path.resolve(__dirname, '../../../examples/kvstore');

describe('investigation view', () => {
  it('the example investigation as a stepper: phases in order, states, documents, next action, gate', async () => {
    const index = await SpecIndex.load(KVSTORE, { includeArchive: true });
    const view = buildInvestigationView(index.specs, 'issue-1234', {
      archived: index.archived,
      phases: DEFAULT_PHASES,
      readiness: (id) => index.readiness(id),
      readDocument: (file) => (fs.existsSync(path.join(KVSTORE, file)) ? fs.readFileSync(path.join(KVSTORE, file), 'utf8') : undefined),
    });
    assert.equal(view.issueUrl, 'https://github.com/yourproject/kvstore/issues/1234');
    assert.deepEqual(
      view.phases.map((p) => [p.name, p.state]),
      [
        ['Comprehension', 'done'],
        ['Reproduction', 'done'],
        ['Root Cause', 'active'],
        ['Impact Map', 'waiting'],
        ['Fork Fix', 'waiting'],
      ],
    );
    const comprehension = view.phases[0].specs[0];
    assert.equal(comprehension.documents[0].path, '.chant/research/issue-1234-comprehension.md');
    assert.ok(comprehension.documents[0].exists && (comprehension.documents[0].markdown ?? '').length > 0);
    // Merge and Continue only while the phase's branch waits for a merge: never on a merged (or unknown) one.
    assert.deepEqual(comprehension.actions.map((a) => a.kind), ['review', 'reResearch', 'open']);
    const unmerged = buildInvestigationView(index.specs, 'issue-1234', { phases: DEFAULT_PHASES, readiness: (id) => index.readiness(id), unmerged: (id) => id === comprehension.id });
    assert.deepEqual(unmerged.phases[0].specs[0].actions.map((a) => a.kind), ['review', 'merge', 'reResearch', 'open']);
    assert.deepEqual(unmerged.phases[1].specs[0].actions.map((a) => a.kind), ['review', 'reResearch', 'open']);
    const impact = view.phases[3].specs[0];
    assert.equal(impact.documents[0].exists, false);
    assert.ok(impact.blockedBy.length > 0);
    assert.equal(view.gate.state, 'waiting');
    assert.deepEqual(comprehension.runs, []);
  });

  it('approval first: a spec needing approval offers Approve and Reject as the next action', async () => {
    const index = await SpecIndex.load(KVSTORE, { includeArchive: true });
    const view = buildInvestigationView(index.specs, 'issue-1234', { phases: DEFAULT_PHASES, readiness: (id) => index.readiness(id), approvalRequired: true });
    const impact = view.phases[3].specs[0];
    assert.deepEqual(impact.actions.slice(0, 2).map((a) => [a.kind, a.primary]), [['approve', true], ['reject', undefined]]);
    assert.deepEqual(impact.approval, { required: true, status: 'pending' });
  });

  it('finds the key from a spec id, a number or a URL', async () => {
    const index = await SpecIndex.load(KVSTORE);
    assert.equal(investigationKeyFor('2026-02-08-005-k9w', index.specs), 'issue-1234');
    assert.equal(investigationKeyFor('#1234', index.specs), 'issue-1234');
    assert.equal(investigationKeyFor('https://github.com/o/r/issues/77', index.specs), 'issue-77');
    assert.equal(investigationKeyFor('2026-02-09-001-a7c', index.specs), undefined);
  });

  it('the panel protocol accepts only known actions and safe targets', () => {
    assert.deepEqual(parseInvestigationMessage({ type: 'action', action: 'work', specId: 'x' }), { type: 'action', action: 'work', specId: 'x' });
    assert.equal(parseInvestigationMessage({ type: 'action', action: 'rm', specId: 'x' }), undefined);
    assert.equal(parseInvestigationMessage({ type: 'gate', action: 'push' }), undefined);
    assert.equal(parseInvestigationMessage({ type: 'openUrl', url: 'javascript:alert(1)' }), undefined);
    assert.deepEqual(parseInvestigationMessage({ type: 'gate', action: 'prepareUpstreamPr' }), { type: 'gate', action: 'prepareUpstreamPr' });
  });
});
