import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ProjectPaths } from '../../src/core/project/project';
import { archivePathFor, checkCancel, planArchive } from '../../src/core/project/specLifecycle';
import { makeSpec, specMap } from './specFactory';

const paths = new ProjectPaths('/project');

describe('archive path rule', () => {
  it('files a spec under the first 10 characters of its id, like chant', () => {
    assert.equal(archivePathFor(paths, '2026-02-08-001-r4x'), path.join('/project/.chant/archive/2026-02-08/2026-02-08-001-r4x.md'));
    assert.equal(archivePathFor(paths, '2026-02-09-002-q3d.1'), path.join('/project/.chant/archive/2026-02-09/2026-02-09-002-q3d.1.md'));
  });

  it('has no folder for ids that do not start with a date', () => {
    assert.equal(archivePathFor(paths, '001'), undefined);
    assert.equal(archivePathFor(paths, 'notes'), undefined);
    assert.equal(archivePathFor(paths, '2026-02-08/../../x'), undefined);
  });
});

describe('planArchive', () => {
  it('archives a completed spec alone', () => {
    const spec = makeSpec('2026-02-08-001-r4x', { status: 'completed' });
    const plan = planArchive(spec, specMap(spec), paths, 'main');
    assert.equal(plan.refusal, undefined);
    assert.deepEqual(plan.specs.map((s) => s.id), ['2026-02-08-001-r4x']);
    assert.deepEqual(plan.needsForce, []);
    assert.deepEqual(plan.branches, []);
  });

  it('needs force for anything not completed, cancelled included', () => {
    for (const status of ['pending', 'cancelled', 'failed']) {
      const spec = makeSpec('2026-02-08-001-r4x', { status });
      const plan = planArchive(spec, specMap(spec), paths, 'main');
      assert.equal(plan.refusal, undefined);
      assert.equal(plan.needsForce.length, 1, status);
      assert.match(plan.needsForce[0], new RegExp(status));
    }
  });

  it('refuses a driver whose members are not all completed', () => {
    const driver = makeSpec('2026-02-09-002-q3d', { status: 'completed', type: 'driver' });
    const done = makeSpec('2026-02-09-002-q3d.1', { status: 'completed' });
    const open = makeSpec('2026-02-09-002-q3d.2', { status: 'cancelled' });
    const plan = planArchive(driver, specMap(driver, done, open), paths, 'main');
    assert.match(plan.refusal ?? '', /Not all members of driver 2026-02-09-002-q3d are completed \(2026-02-09-002-q3d.2: cancelled\)/);
  });

  it('moves the members first, then the driver', () => {
    const driver = makeSpec('2026-02-09-002-q3d', { status: 'completed', type: 'driver' });
    const m10 = makeSpec('2026-02-09-002-q3d.10', { status: 'completed' });
    const m2 = makeSpec('2026-02-09-002-q3d.2', { status: 'completed' });
    const plan = planArchive(driver, specMap(driver, m10, m2), paths, 'main');
    assert.deepEqual(plan.specs.map((s) => s.id), ['2026-02-09-002-q3d.2', '2026-02-09-002-q3d.10', '2026-02-09-002-q3d']);
  });

  it('archives a member alone', () => {
    const driver = makeSpec('2026-02-09-002-q3d', { status: 'pending' });
    const member = makeSpec('2026-02-09-002-q3d.1', { status: 'completed' });
    const plan = planArchive(member, specMap(driver, member), paths, 'main');
    assert.deepEqual(plan.specs.map((s) => s.id), ['2026-02-09-002-q3d.1']);
  });

  it('lists the branches to check, except the main branch itself', () => {
    const a = makeSpec('2026-02-08-010-v7b', { status: 'completed', branch: 'chant/2026-02-08-010-v7b' });
    assert.deepEqual(planArchive(a, specMap(a), paths, 'main').branches, [{ id: a.id, branch: 'chant/2026-02-08-010-v7b' }]);
    const b = makeSpec('2026-02-08-011-xyz', { status: 'completed', branch: 'main' });
    assert.deepEqual(planArchive(b, specMap(b), paths, 'main').branches, []);
  });

  it('refuses archived specs and ids without a date', () => {
    const archived = makeSpec('2026-02-08-001-r4x', { status: 'completed', archived: true });
    assert.match(planArchive(archived, specMap(), paths, 'main').refusal ?? '', /already archived/);
    const odd = makeSpec('001', { status: 'completed' });
    assert.match(planArchive(odd, specMap(odd), paths, 'main').refusal ?? '', /does not start with a date/);
  });
});

describe('checkCancel', () => {
  it('refuses members like chant', () => {
    const driver = makeSpec('2026-02-09-002-q3d');
    const member = makeSpec('2026-02-09-002-q3d.1');
    const decision = checkCancel(member, specMap(driver, member));
    assert.equal(decision.ok, false);
    assert.match(!decision.ok ? decision.reason : '', /Cancel the driver spec instead/);
  });

  it('refuses states chant cannot leave for cancelled', () => {
    for (const status of ['completed', 'failed', 'needs_attention', 'in_progress', 'cancelled', 'ready']) {
      const spec = makeSpec('2026-02-08-001-r4x', { status });
      assert.equal(checkCancel(spec, specMap(spec)).ok, false, status);
    }
  });

  it('allows pending, blocked and paused specs and names their dependents', () => {
    const spec = makeSpec('2026-02-08-001-r4x', { status: 'blocked' });
    const dependent = makeSpec('2026-02-08-004-m2p', { dependsOn: ['2026-02-08-001-r4x'] });
    assert.deepEqual(checkCancel(spec, specMap(spec, dependent)), { ok: true, dependents: ['2026-02-08-004-m2p'] });
    for (const status of ['pending', 'paused']) {
      const other = makeSpec('2026-02-08-001-r4x', { status });
      assert.deepEqual(checkCancel(other, specMap(other)), { ok: true, dependents: [] });
    }
  });

  it('refuses an unknown status', () => {
    const spec = makeSpec('2026-02-08-001-r4x', { status: 'done' });
    assert.equal(checkCancel(spec, specMap(spec)).ok, false);
  });
});
