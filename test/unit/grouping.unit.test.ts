import * as assert from 'node:assert/strict';
import type { DisplayState } from '../../src/core/present/displayState';
import {
  buildTreeModel,
  describeFilter,
  isFilterActive,
  matchesFilter,
  normalizeFilter,
  upstreamGateOf,
  type GateModel,
  type GroupingInput,
  type GroupModel,
  type ModelNode,
  type SpecModel,
} from '../../src/core/present/grouping';
import { parentIdOf } from '../../src/core/spec/ids';
import { DEFAULT_PHASES } from '../../src/core/workflow/phases';
import type { Spec } from '../../src/core/spec/types';
import { makeSpec } from './specFactory';
import { LiveTreeModel } from '../../src/core/present/liveTreeModel';

// The §12 investigation plus a second issue, a split driver and a spec outside any investigation.
function corpus(): Spec[] {
  return [
    makeSpec('2026-02-08-001-r4x', { type: 'research', status: 'completed', labels: ['comprehension', 'issue-1234'], title: 'Comprehension: #1234' }),
    makeSpec('2026-02-08-004-m2p', { type: 'task', status: 'completed', labels: ['reproduction', 'issue-1234'], title: 'Reproduce #1234' }),
    makeSpec('2026-02-08-005-k9w', { type: 'research', status: 'in_progress', labels: ['root-cause', 'issue-1234'], title: 'Root cause: #1234' }),
    makeSpec('2026-02-08-010-v7b', { type: 'code', status: 'pending', labels: ['fix', 'issue-1234'], title: 'Fix #1234: locking', branch: 'chant/2026-02-08-010-v7b' }),
    makeSpec('2026-02-09-001-a7c', { type: 'research', status: 'pending', labels: ['comprehension', 'issue_77'], title: 'Comprehension: #77' }),
    makeSpec('2026-02-09-002-q3d', { type: 'driver', status: 'pending', labels: ['docs'], title: 'Docs overhaul' }),
    makeSpec('2026-02-09-002-q3d.1', { type: 'documentation', status: 'completed', labels: ['docs'], title: 'Docs part 1' }),
    makeSpec('2026-02-09-002-q3d.2', { type: 'code', status: 'failed', labels: [], title: 'Docs part 2' }),
    makeSpec('2026-02-09-003-zzz', { type: 'task', status: 'pending', labels: [], title: 'Tidy up' }),
  ];
}

/** States as readiness would give them, kept simple: pending → ready unless listed as blocked. */
function input(specs: Spec[], blocked: string[] = []): GroupingInput {
  const ids = new Set(specs.map((s) => s.id));
  return {
    specs,
    stateOf: (spec) => (spec.status === 'pending' ? (blocked.includes(spec.id) ? 'blocked' : 'ready') : (spec.status as DisplayState)),
    parentOf: (id) => {
      for (let p = parentIdOf(id); p !== undefined; p = parentIdOf(p)) if (ids.has(p)) return p;
      return undefined;
    },
    phases: DEFAULT_PHASES,
  };
}

/** A readable outline: `Group (count)` lines, specs by id, gates as `gate:<investigation>:<status>`. */
function outline(nodes: readonly ModelNode[], depth = 0): string[] {
  const pad = '  '.repeat(depth);
  return nodes.flatMap((node) => {
    switch (node.kind) {
      case 'group':
        return [`${pad}${node.label} (${node.count})`, ...outline(node.children, depth + 1)];
      case 'spec':
        return [`${pad}${node.id.slice(11)}${node.matches ? '' : ' (context)'}`, ...outline(node.children, depth + 1)];
      case 'gate':
        return [`${pad}gate:${node.gate.investigation}:${node.gate.status}`];
    }
  });
}

describe('grouping model', () => {
  it('groups by phase in workflow order, Unphased last, members under their driver, with counts', () => {
    const model = buildTreeModel(input(corpus()), 'phase');
    assert.deepEqual(outline(model.roots), [
      'Comprehension (2)',
      '  001-r4x',
      '  001-a7c',
      'Reproduction (1)',
      '  004-m2p',
      'Root Cause (1)',
      '  005-k9w',
      'Fork Fix (1)',
      '  010-v7b',
      'Upstream PR (0)',
      '  gate:issue-77:no-fix',
      '  gate:issue-1234:fix-open',
      'Unphased (4)',
      '  002-q3d',
      '    002-q3d.1',
      '    002-q3d.2',
      '  003-zzz',
    ]);
    assert.equal(model.matching, 9);
  });

  it('groups by investigation with phases inside, then specs of no investigation', () => {
    const model = buildTreeModel(input(corpus()), 'investigation');
    assert.deepEqual(outline(model.roots), [
      'Issue #77 (1)',
      '  Comprehension (1)',
      '    001-a7c',
      '  Upstream PR (0)',
      '    gate:issue-77:no-fix',
      'Issue #1234 (4)',
      '  Comprehension (1)',
      '    001-r4x',
      '  Reproduction (1)',
      '    004-m2p',
      '  Root Cause (1)',
      '    005-k9w',
      '  Fork Fix (1)',
      '    010-v7b',
      '  Upstream PR (0)',
      '    gate:issue-1234:fix-open',
      'No investigation (4)',
      '  002-q3d',
      '    002-q3d.1',
      '    002-q3d.2',
      '  003-zzz',
    ]);
    const issue = model.roots[1] as GroupModel;
    assert.equal(issue.investigation, 'issue-1234');
    assert.equal((issue.children[0] as GroupModel).phase, 'Comprehension');
    assert.equal((issue.children[0] as GroupModel).investigation, 'issue-1234');
  });

  it('groups by display state, most urgent first, members placed by their own state', () => {
    const model = buildTreeModel(input(corpus(), ['2026-02-09-003-zzz']), 'status');
    assert.deepEqual(outline(model.roots), [
      'In progress (1)',
      '  005-k9w',
      'Failed (1)',
      '  002-q3d.2',
      'Ready (3)',
      '  010-v7b',
      '  001-a7c',
      '  002-q3d',
      'Blocked (1)',
      '  003-zzz',
      'Completed (3)',
      '  001-r4x',
      '  004-m2p',
      '  002-q3d.1',
    ]);
  });

  it('groups by type in chant order', () => {
    const model = buildTreeModel(input(corpus()), 'type');
    assert.deepEqual(
      model.roots.map((g) => `${(g as GroupModel).label} (${(g as GroupModel).count})`),
      ['code (2)', 'task (2)', 'driver (1)', 'documentation (1)', 'research (3)'],
    );
  });

  it('groups by label: a spec appears under each of its labels with a distinct key; unlabelled last', () => {
    const model = buildTreeModel(input(corpus()), 'label');
    const labels = model.roots.map((g) => (g as GroupModel).label);
    assert.deepEqual(labels, ['comprehension', 'docs', 'fix', 'issue_77', 'issue-1234', 'reproduction', 'root-cause', 'No labels']);
    const keysOf = (nodes: readonly ModelNode[]): string[] => nodes.flatMap((n) => [n.key, ...(n.kind === 'gate' ? [] : keysOf(n.children))]);
    const keys = keysOf(model.roots);
    assert.equal(new Set(keys).size, keys.length, 'keys are unique');
    assert.ok(keys.includes('2026-02-08-001-r4x@label/comprehension'));
    assert.ok(keys.includes('2026-02-08-001-r4x@label/issue-1234'));
    assert.equal((model.roots[0] as GroupModel).expanded, false, 'label groups start collapsed');
  });

  it('lists every spec flat in id order', () => {
    const model = buildTreeModel(input(corpus()), 'flat');
    assert.equal(model.roots.length, 9);
    assert.ok(model.roots.every((n) => n.kind === 'spec' && n.children.length === 0));
  });

  it('filters by label and keeps the gate of the filtered investigation', () => {
    const model = buildTreeModel(input(corpus()), 'phase', { labels: ['ISSUE-1234'] });
    assert.deepEqual(outline(model.roots), [
      'Comprehension (1)',
      '  001-r4x',
      'Reproduction (1)',
      '  004-m2p',
      'Root Cause (1)',
      '  005-k9w',
      'Fork Fix (1)',
      '  010-v7b',
      'Upstream PR (0)',
      '  gate:issue-1234:fix-open',
    ]);
    assert.equal(model.matching, 4);
  });

  it('keeps a driver as context when only a member matches', () => {
    const model = buildTreeModel(input(corpus()), 'phase', { statuses: ['failed'] });
    assert.deepEqual(outline(model.roots), ['Unphased (1)', '  002-q3d (context)', '    002-q3d.2']);
  });

  it('combines filter parts: all must match; text looks at title and id', () => {
    const filter = { text: 'COMPREHENSION', types: ['research'], statuses: ['ready' as const] };
    const model = buildTreeModel(input(corpus()), 'flat', filter);
    assert.deepEqual(outline(model.roots), ['001-a7c']);
    assert.equal(buildTreeModel(input(corpus()), 'flat', { text: 'q3d.2' }).matching, 1);
  });

  it('returns no groups when nothing matches', () => {
    const model = buildTreeModel(input(corpus()), 'phase', { text: 'no such spec' });
    assert.deepEqual(model.roots, []);
    assert.equal(model.matching, 0);
  });
});

describe('upstream gate', () => {
  const specs = corpus();
  const stateOf = (spec: Spec): DisplayState => spec.status as DisplayState;

  it('is open while the fix is not completed, and lists the fix with its branch', () => {
    const gate = upstreamGateOf('issue-1234', specs, stateOf, DEFAULT_PHASES);
    assert.equal(gate.status, 'fix-open');
    assert.deepEqual(gate.fixes, [{ id: '2026-02-08-010-v7b', state: 'pending', branch: 'chant/2026-02-08-010-v7b', commits: [] }]);
  });

  it('opens once every (non-cancelled) fix is completed', () => {
    const done = specs.map((s) => (s.id === '2026-02-08-010-v7b' ? { ...s, status: 'completed' } : s));
    const dropped = makeSpec('2026-02-08-011-old', { status: 'cancelled', labels: ['fix', 'issue-1234'] });
    const gate = upstreamGateOf('issue-1234', [...done, dropped], stateOf, DEFAULT_PHASES);
    assert.equal(gate.status, 'fix-completed');
    assert.deepEqual(gate.fixes.map((f) => f.id), ['2026-02-08-010-v7b']);
  });

  it('says when there is no fix spec yet', () => {
    assert.equal(upstreamGateOf('issue-77', specs, stateOf, DEFAULT_PHASES).status, 'no-fix');
  });

  it('is absent when the configured phases have no Upstream PR phase', () => {
    const phases = DEFAULT_PHASES.filter((p) => p.name !== 'Upstream PR');
    const model = buildTreeModel({ ...input(specs), phases }, 'phase');
    assert.ok(!outline(model.roots).some((line) => line.includes('gate:')));
  });
});

describe('filter helpers', () => {
  it('normalizes untrusted filter arguments', () => {
    assert.deepEqual(normalizeFilter(undefined), {});
    assert.deepEqual(normalizeFilter({ text: '  ', statuses: ['ready', 'nonsense', 3], labels: [' a ', 'a', ''], types: 'code' }), {
      statuses: ['ready'],
      labels: ['a'],
    });
  });

  it('describes an active filter for the view description', () => {
    assert.equal(describeFilter({ labels: ['issue-1234'] }), 'label=issue-1234');
    assert.equal(describeFilter({ text: 'lock', statuses: ['ready', 'failed'], types: ['code'] }), 'text="lock", status=ready,failed, type=code');
    assert.equal(isFilterActive({}), false);
    assert.equal(isFilterActive({ labels: [] }), false);
    assert.equal(isFilterActive({ text: 'x' }), true);
  });

  it('matches labels case-insensitively and needs one of several', () => {
    const spec = makeSpec('2026-02-08-001-r4x', { labels: ['Fix', 'issue-1'] });
    assert.equal(matchesFilter(spec, 'ready', { labels: ['fix'] }), true);
    assert.equal(matchesFilter(spec, 'ready', { labels: ['docs', 'issue-1'] }), true);
    assert.equal(matchesFilter(spec, 'ready', { labels: ['docs'] }), false);
  });
});

describe('the live model after a change (narrow refresh)', () => {
  /** A LiveTreeModel over a list of specs the test replaces, with the states input() gives. */
  function liveOver(specs: Spec[], mode: 'phase' | 'status') {
    const byId = new Map(specs.map((s) => [s.id, s]));
    const { stateOf } = input(specs);
    const source = {
      sorted: () => [...byId.values()],
      get: (id: string) => byId.get(id),
      stateOf,
      phases: DEFAULT_PHASES,
    };
    const live = LiveTreeModel.build(source, mode);
    const change = (spec: Spec) => {
      const previous = byId.get(spec.id);
      byId.set(spec.id, spec);
      return live.apply([{ kind: 'changed', id: spec.id, previous, spec, affected: [spec.id] }]);
    };
    return { live, change };
  }
  const failed = (): Spec => ({ ...corpus().find((s) => s.id === '2026-02-08-005-k9w')!, status: 'failed' });

  it('a status change that moves nothing changes no list in phase mode', () => {
    const { change } = liveOver(corpus(), 'phase');
    const delta = change(failed());
    assert.deepEqual([delta.roots, delta.moved, [...delta.changed]], [false, false, []]);
    assert.deepEqual([...delta.gates], ['issue-1234'], "the investigation's gate is worked out again");
  });

  it('the same change moves the spec between groups in status mode', () => {
    const { live, change } = liveOver(corpus(), 'status');
    assert.deepEqual(live.placesOf('2026-02-08-005-k9w').map((p) => p.listKey), ['status/in_progress', '']);
    const delta = change(failed());
    assert.equal(delta.moved, true);
    assert.deepEqual([...delta.changed].sort(), ['status/failed', 'status/in_progress']);
    assert.deepEqual(live.placesOf('2026-02-08-005-k9w').map((p) => p.listKey), ['status/failed', '']);
  });
});
