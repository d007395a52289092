import * as assert from 'node:assert/strict';
import {
  DEFAULT_PHASES,
  investigationKeyOf,
  investigationKeysOf,
  investigationLabelFromIssue,
  issueNumberOf,
  normalizePhases,
  orderedPhaseNames,
  phaseOf,
  UNPHASED,
  type PhaseDefinition,
} from '../../src/core/workflow/phases';
import { makeSpec } from './specFactory';

const labelled = (...labels: string[]) => makeSpec('2026-02-08-001-r4x', { labels });

describe('phases', () => {
  it('has the six phases of the OSS maintainer workflow in order', () => {
    assert.deepEqual(
      DEFAULT_PHASES.map((p) => p.name),
      ['Comprehension', 'Reproduction', 'Root Cause', 'Impact Map', 'Fork Fix', 'Upstream PR'],
    );
  });

  it('places the §12 specs by their labels', () => {
    assert.equal(phaseOf(labelled('comprehension', 'issue-1234')), 'Comprehension');
    assert.equal(phaseOf(labelled('reproduction', 'issue-1234')), 'Reproduction');
    assert.equal(phaseOf(labelled('repro')), 'Reproduction');
    assert.equal(phaseOf(labelled('root-cause', 'issue-1234')), 'Root Cause');
    assert.equal(phaseOf(labelled('rootcause')), 'Root Cause');
    assert.equal(phaseOf(labelled('impact-map', 'issue-1234')), 'Impact Map');
    assert.equal(phaseOf(labelled('impact')), 'Impact Map');
    assert.equal(phaseOf(labelled('fix', 'issue-1234')), 'Fork Fix');
    assert.equal(phaseOf(labelled('fork-fix')), 'Fork Fix');
    assert.equal(phaseOf(labelled('upstream-pr')), 'Upstream PR');
    assert.equal(phaseOf(labelled('upstream')), 'Upstream PR');
  });

  it('matches labels case-insensitively', () => {
    assert.equal(phaseOf(labelled('Root-Cause')), 'Root Cause');
    assert.equal(phaseOf(labelled('COMPREHENSION')), 'Comprehension');
    assert.equal(phaseOf(labelled(' fix ')), 'Fork Fix');
  });

  it('puts specs without a phase label in Unphased', () => {
    assert.equal(phaseOf(labelled()), UNPHASED);
    assert.equal(phaseOf(labelled('investigation', 'issue-1234')), UNPHASED);
    assert.equal(phaseOf(labelled('fixes')), UNPHASED, 'no partial matches');
  });

  it('takes the first phase in workflow order, not label order', () => {
    assert.equal(phaseOf(labelled('fix', 'comprehension')), 'Comprehension');
  });

  it('uses custom phases from the caller', () => {
    const phases: PhaseDefinition[] = [
      { name: 'Triage', labels: ['Triage', 'needs-info'] },
      { name: 'Build', labels: ['fix'] },
    ];
    assert.equal(phaseOf(labelled('NEEDS-INFO'), phases), 'Triage');
    assert.equal(phaseOf(labelled('fix'), phases), 'Build');
    assert.equal(phaseOf(labelled('comprehension'), phases), UNPHASED);
    assert.deepEqual(orderedPhaseNames(phases), ['Triage', 'Build', UNPHASED]);
  });

  it('orders phase names with Unphased last', () => {
    assert.deepEqual(orderedPhaseNames(), [
      'Comprehension',
      'Reproduction',
      'Root Cause',
      'Impact Map',
      'Fork Fix',
      'Upstream PR',
      UNPHASED,
    ]);
    assert.deepEqual(orderedPhaseNames([]), [UNPHASED]);
    assert.deepEqual(orderedPhaseNames([{ name: 'A', labels: [] }, { name: 'A', labels: ['x'] }]), ['A', UNPHASED]);
  });

  it('reads a phases setting defensively', () => {
    assert.deepEqual(normalizePhases(undefined), DEFAULT_PHASES);
    assert.deepEqual(normalizePhases([]), DEFAULT_PHASES);
    assert.deepEqual(normalizePhases([{ name: ' X ', labels: ['a', 3, ''] }, { name: 'broken' }, null]), [
      { name: 'X', labels: ['a'] },
    ]);
  });

  describe('investigations', () => {
    it('finds the issue label of a spec', () => {
      assert.equal(investigationKeyOf(labelled('comprehension', 'issue-1234')), 'issue-1234');
      assert.equal(investigationKeyOf(labelled('Issue_1234')), 'issue-1234');
      assert.equal(investigationKeyOf(labelled('issue#77')), 'issue-77');
      assert.equal(investigationKeyOf(labelled('issue42')), 'issue-42');
      assert.equal(investigationKeyOf(labelled('issues-1234', 'issue-', 'bug')), undefined);
      assert.equal(investigationKeyOf(labelled()), undefined);
      assert.deepEqual(investigationKeysOf(labelled('issue-1', 'x', 'issue_2', 'issue-1')), ['issue-1', 'issue-2']);
    });

    it('makes the label from an issue number or URL', () => {
      assert.equal(investigationLabelFromIssue('1234'), 'issue-1234');
      assert.equal(investigationLabelFromIssue(1234), 'issue-1234');
      assert.equal(investigationLabelFromIssue('#1234'), 'issue-1234');
      assert.equal(investigationLabelFromIssue('https://github.com/yourproject/kvstore/issues/1234'), 'issue-1234');
      assert.equal(investigationLabelFromIssue('https://github.com/o/r/issues/1234#issuecomment-1'), 'issue-1234');
      assert.equal(investigationLabelFromIssue('https://gitlab.com/g/p/-/issues/9'), 'issue-9');
      assert.equal(investigationLabelFromIssue('issue-1234'), 'issue-1234');
      assert.equal(investigationLabelFromIssue('https://github.com/o/r'), undefined);
      assert.equal(investigationLabelFromIssue('abc'), undefined);
      assert.equal(investigationLabelFromIssue(1.5), undefined);
      assert.equal(issueNumberOf('issue-1234'), 1234);
      assert.equal(issueNumberOf('bug'), undefined);
    });
  });
});
