import * as assert from 'node:assert/strict';
import {
  blockers,
  dependentsOf,
  effectiveStatus,
  isBlocked,
  isDriver,
  isReady,
  isReadyForList,
  membersOf,
  orphanDriverId,
  readinessAffectedBy,
  readinessOf,
  readinessOfAll,
  RelationIndex,
  verdictOf,
  workGate,
} from '../../src/core/project/readiness';
import type { Spec } from '../../src/core/spec/types';
import { acceptance, makeSpec, specMap } from './specFactory';

const A = '2026-02-08-001-r4x';
const B = '2026-02-08-004-m2p';
const C = '2026-02-08-005-k9w';
const D = '2026-02-08-00h-f77'; // a driver

describe('readiness', () => {
  describe('effective status (§2.3)', () => {
    it('treats on-disk blocked as pending once its dependencies are met', () => {
      const specs = specMap(makeSpec(A, { status: 'completed' }), makeSpec(B, { status: 'blocked', dependsOn: [A] }));
      assert.equal(effectiveStatus(specs.get(B)!, specs), 'pending');
      assert.equal(isReady(specs.get(B)!, specs), true);
      assert.equal(readinessOf(specs.get(B)!, specs).effective, 'pending');
    });

    it('shows a pending spec with an unmet dependency as blocked', () => {
      const specs = specMap(makeSpec(A, { status: 'in_progress' }), makeSpec(B, { dependsOn: [A] }));
      assert.equal(effectiveStatus(specs.get(B)!, specs), 'blocked');
      const r = readinessOf(specs.get(B)!, specs);
      assert.equal(r.blocked, true);
      assert.equal(r.ready, false);
      assert.deepEqual(r.blockers, [
        { kind: 'dependency-unmet', id: A, status: 'in_progress', message: `depends on ${A} (in_progress)` },
      ]);
    });

    it('keeps on-disk blocked as blocked while a dependency is still open', () => {
      const specs = specMap(makeSpec(A), makeSpec(B, { status: 'blocked', dependsOn: [A] }));
      assert.equal(effectiveStatus(specs.get(B)!, specs), 'blocked');
    });

    it('leaves other statuses alone even when dependencies are unmet', () => {
      const specs = specMap(makeSpec(A), makeSpec(B, { status: 'in_progress', dependsOn: [A] }));
      assert.equal(effectiveStatus(specs.get(B)!, specs), 'in_progress');
      assert.equal(isBlocked(specs.get(B)!, specs), true, 'is_blocked itself ignores status');
      assert.equal(readinessOf(specs.get(B)!, specs).blocked, false);
    });

    it('terminates on a dependency cycle and reports both sides blocked', () => {
      const specs = specMap(
        makeSpec(A, { dependsOn: [B] }),
        makeSpec(B, { dependsOn: [A] }),
        makeSpec(C, { dependsOn: [C] }),
      );
      assert.equal(readinessOf(specs.get(A)!, specs).effective, 'blocked');
      assert.equal(blockers(specs.get(B)!, specs)[0].message, `depends on ${A} (blocked)`);
      assert.equal(effectiveStatus(specs.get(C)!, specs), 'blocked');
    });

    it('quotes the effective status of a dependency', () => {
      const specs = specMap(
        makeSpec(A),
        makeSpec(B, { status: 'blocked', dependsOn: [A] }),
        makeSpec(C, { dependsOn: [B] }),
      );
      assert.equal(blockers(specs.get(C)!, specs)[0].message, `depends on ${B} (blocked)`);
    });
  });

  describe('is_blocked (§4.1)', () => {
    it('is not blocked without dependencies', () => {
      const specs = specMap(makeSpec(A));
      assert.equal(isBlocked(specs.get(A)!, specs), false);
      assert.deepEqual(blockers(specs.get(A)!, specs), []);
    });

    it('a completed dependency satisfies it', () => {
      const specs = specMap(makeSpec(A, { status: 'completed' }), makeSpec(B, { dependsOn: [A] }));
      assert.equal(isBlocked(specs.get(B)!, specs), false);
    });

    it('a cancelled dependency satisfies it', () => {
      const specs = specMap(makeSpec(A, { status: 'cancelled' }), makeSpec(B, { dependsOn: [A] }));
      assert.equal(isBlocked(specs.get(B)!, specs), false);
      assert.equal(isReady(specs.get(B)!, specs), true);
    });

    for (const status of ['pending', 'in_progress', 'paused', 'failed', 'needs_attention', 'ready', 'blocked']) {
      it(`a ${status} dependency blocks`, () => {
        const specs = specMap(makeSpec(A, { status }), makeSpec(B, { dependsOn: [A] }));
        assert.equal(isBlocked(specs.get(B)!, specs), true);
      });
    }

    it('a missing dependency blocks, with a hint when it is a short id', () => {
      const specs = specMap(makeSpec(C, { status: 'completed' }), makeSpec(B, { dependsOn: ['005-k9w'] }));
      assert.equal(isBlocked(specs.get(B)!, specs), true);
      assert.deepEqual(blockers(specs.get(B)!, specs), [
        {
          kind: 'dependency-missing',
          id: '005-k9w',
          message: `depends on 005-k9w, which does not exist (depends_on needs a full id; did you mean ${C}?)`,
        },
      ]);
    });

    it('a short id without a candidate still explains that depends_on needs a full id', () => {
      const specs = specMap(makeSpec(B, { dependsOn: ['005-zzz'] }));
      assert.equal(
        blockers(specs.get(B)!, specs)[0].message,
        'depends on 005-zzz, which does not exist (depends_on needs a full id)',
      );
    });

    it('an archived dependency counts as missing and blocks', () => {
      // Only active specs are passed in; the archived one is simply not there.
      const specs = specMap(makeSpec(B, { dependsOn: [A] }));
      assert.equal(isBlocked(specs.get(B)!, specs), true);
      assert.equal(blockers(specs.get(B)!, specs)[0].kind, 'dependency-missing');
      assert.match(blockers(specs.get(B)!, specs)[0].message, /does not exist \(it may have been archived or deleted\)/);
    });

    it('a dependency chant cannot load counts as missing', () => {
      const specs = specMap(
        makeSpec(A, { status: 'completed', chantWouldReject: true }),
        makeSpec(B, { dependsOn: [A] }),
      );
      assert.equal(isBlocked(specs.get(B)!, specs), true);
      assert.match(blockers(specs.get(B)!, specs)[0].message, /chant cannot load/);
    });

    describe('driver dependencies', () => {
      it("blocks a member while its driver's dependency is unmet", () => {
        const specs = specMap(
          makeSpec(A, { status: 'in_progress' }),
          makeSpec(D, { type: 'group', dependsOn: [A] }),
          makeSpec(`${D}.1`, { dependsOn: [] }),
        );
        const member = specs.get(`${D}.1`)!;
        assert.equal(isBlocked(member, specs), true);
        assert.deepEqual(blockers(member, specs), [
          {
            kind: 'driver-dependency-unmet',
            id: A,
            status: 'in_progress',
            message: `driver ${D} depends on ${A} (in_progress)`,
          },
        ]);
      });

      it("skips the driver's dependencies on its own members (chant split writes them)", () => {
        const specs = specMap(
          makeSpec(D, { type: 'group', dependsOn: [`${D}.1`, `${D}.2`] }),
          makeSpec(`${D}.1`, { dependsOn: [] }),
          makeSpec(`${D}.2`, { dependsOn: [] }),
        );
        assert.equal(isBlocked(specs.get(`${D}.2`)!, specs), false);
        assert.equal(isReady(specs.get(`${D}.2`)!, specs), true);
        // The driver itself waits for them, through its own depends_on.
        assert.equal(isBlocked(specs.get(D)!, specs), true);
      });

      it('applies the top driver (cut at the first dot) to nested members', () => {
        const specs = specMap(
          makeSpec(A),
          makeSpec(D, { dependsOn: [A] }),
          makeSpec(`${D}.2`, { dependsOn: [] }),
          makeSpec(`${D}.2.1`, { dependsOn: [] }),
        );
        assert.equal(isBlocked(specs.get(`${D}.2.1`)!, specs), true);
      });

      it('a completed or cancelled driver dependency does not block', () => {
        const specs = specMap(
          makeSpec(A, { status: 'cancelled' }),
          makeSpec(B, { status: 'completed' }),
          makeSpec(D, { dependsOn: [A, B] }),
          makeSpec(`${D}.1`),
        );
        assert.equal(isBlocked(specs.get(`${D}.1`)!, specs), false);
      });
    });

    describe('approval', () => {
      it('blocks a pending spec whose approval is pending', () => {
        const specs = specMap(makeSpec(A, { approval: { required: true, status: 'pending' } }));
        assert.equal(isBlocked(specs.get(A)!, specs), true);
        assert.equal(effectiveStatus(specs.get(A)!, specs), 'blocked');
        assert.deepEqual(blockers(specs.get(A)!, specs), [{ kind: 'approval', message: 'needs approval' }]);
      });

      it('keeps a rejected spec blocked until it is approved', () => {
        const specs = specMap(makeSpec(A, { approval: { required: true, status: 'rejected' } }));
        assert.equal(isBlocked(specs.get(A)!, specs), true);
        assert.equal(blockers(specs.get(A)!, specs)[0].message, 'needs approval (it was rejected)');
      });

      it('an approved spec is not blocked', () => {
        const specs = specMap(makeSpec(A, { approval: { required: true, status: 'approved', by: 'me' } }));
        assert.equal(isBlocked(specs.get(A)!, specs), false);
        assert.equal(isReady(specs.get(A)!, specs), true);
      });

      it('approval that is not required does not block', () => {
        const specs = specMap(makeSpec(A, { approval: { required: false, status: 'pending' } }));
        assert.equal(isBlocked(specs.get(A)!, specs), false);
      });

      it('on-disk blocked with pending approval is normalized to pending and still blocked', () => {
        const specs = specMap(makeSpec(A, { status: 'blocked', approval: { required: true, status: 'pending' } }));
        assert.equal(effectiveStatus(specs.get(A)!, specs), 'blocked');
      });

      it('only applies to pending specs: a failed spec needing approval is not blocked by it', () => {
        const specs = specMap(makeSpec(A, { status: 'failed', approval: { required: true, status: 'pending' } }));
        assert.equal(isBlocked(specs.get(A)!, specs), false);
        assert.equal(isReady(specs.get(A)!, specs), true);
      });
    });
  });

  describe('is_ready (§4.2)', () => {
    it('a pending spec with nothing in the way is ready', () => {
      const specs = specMap(makeSpec(A));
      assert.equal(isReady(specs.get(A)!, specs), true);
    });

    it('a failed spec is ready (chain and parallel pick it up again)', () => {
      const specs = specMap(makeSpec(A, { status: 'failed' }));
      assert.equal(isReady(specs.get(A)!, specs), true);
      assert.equal(readinessOf(specs.get(A)!, specs).effective, 'failed');
    });

    for (const status of ['in_progress', 'paused', 'completed', 'needs_attention', 'ready', 'cancelled']) {
      it(`a ${status} spec is not ready`, () => {
        const specs = specMap(makeSpec(A, { status }));
        assert.equal(isReady(specs.get(A)!, specs), false);
      });
    }

    it('a blocked spec is not ready', () => {
      const specs = specMap(makeSpec(A), makeSpec(B, { dependsOn: [A] }));
      assert.equal(isReady(specs.get(B)!, specs), false);
    });

    describe('sequential sibling rule', () => {
      it('applies to a member without a depends_on key', () => {
        const specs = specMap(makeSpec(D, { type: 'group' }), makeSpec(`${D}.1`), makeSpec(`${D}.2`));
        const second = specs.get(`${D}.2`)!;
        assert.equal('depends_on' in second.frontmatter, false);
        assert.equal(isReady(second, specs), false);
        assert.equal(isBlocked(second, specs), false, 'the sibling rule is not part of is_blocked');
        assert.equal(effectiveStatus(second, specs), 'pending');
        assert.deepEqual(blockers(second, specs), [
          { kind: 'sibling', id: `${D}.1`, status: 'pending', message: `earlier sibling ${D}.1 is pending` },
        ]);
        assert.equal(isReady(specs.get(`${D}.1`)!, specs), true);
      });

      it('is satisfied by completed and cancelled siblings', () => {
        const specs = specMap(
          makeSpec(D),
          makeSpec(`${D}.1`, { status: 'completed' }),
          makeSpec(`${D}.2`, { status: 'cancelled' }),
          makeSpec(`${D}.3`),
        );
        assert.equal(isReady(specs.get(`${D}.3`)!, specs), true);
      });

      it('ignores missing siblings', () => {
        const specs = specMap(makeSpec(D), makeSpec(`${D}.3`));
        assert.equal(isReady(specs.get(`${D}.3`)!, specs), true);
      });

      it('does not apply when the member has depends_on: [] (chant split opts out this way)', () => {
        const specs = specMap(makeSpec(D), makeSpec(`${D}.1`), makeSpec(`${D}.2`, { dependsOn: [] }));
        const second = specs.get(`${D}.2`)!;
        assert.equal('depends_on' in second.frontmatter, true);
        assert.equal(isReady(second, specs), true);
      });

      it('does not apply when the member has explicit dependencies', () => {
        const specs = specMap(
          makeSpec(A, { status: 'completed' }),
          makeSpec(D),
          makeSpec(`${D}.1`),
          makeSpec(`${D}.2`, { dependsOn: [A] }),
        );
        assert.equal(isReady(specs.get(`${D}.2`)!, specs), true);
      });

      it('treats `depends_on:` with no value as no key, as serde does', () => {
        const specs = specMap(
          makeSpec(D),
          makeSpec(`${D}.1`),
          makeSpec(`${D}.2`, { frontmatter: { depends_on: null } }),
        );
        assert.equal(isReady(specs.get(`${D}.2`)!, specs), false);
      });

      it('checks the top-level siblings of a nested member, as chant does', () => {
        // chant cuts at the first dot and reads the first number: X.2.1 waits for X.1.
        const specs = specMap(makeSpec(D), makeSpec(`${D}.1`), makeSpec(`${D}.2.1`), makeSpec(`${D}.2.2`));
        assert.equal(isReady(specs.get(`${D}.2.2`)!, specs), false);
        assert.deepEqual(
          blockers(specs.get(`${D}.2.2`)!, specs).map((b) => b.id),
          [`${D}.1`],
        );
      });
    });

    describe('drivers', () => {
      it('a driver without acceptance criteria is ready while its members are open', () => {
        const specs = specMap(makeSpec(D, { type: 'driver' }), makeSpec(`${D}.1`), makeSpec(`${D}.2`));
        assert.equal(isReady(specs.get(D)!, specs), true);
      });

      it('a driver with its own criteria waits for every member to be completed', () => {
        const specs = specMap(
          makeSpec(D, { type: 'driver', acceptance: acceptance(2) }),
          makeSpec(`${D}.1`, { status: 'completed' }),
          makeSpec(`${D}.2`, { status: 'in_progress' }),
        );
        assert.equal(isReady(specs.get(D)!, specs), false);
        assert.deepEqual(blockers(specs.get(D)!, specs), [
          {
            kind: 'members-incomplete',
            id: `${D}.2`,
            status: 'in_progress',
            message: `member ${D}.2 is in_progress (a driver with its own acceptance criteria waits for every member)`,
          },
        ]);
      });

      it('a cancelled member keeps a driver with criteria from being ready', () => {
        const specs = specMap(
          makeSpec(D, { acceptance: acceptance(1) }),
          makeSpec(`${D}.1`, { status: 'completed' }),
          makeSpec(`${D}.2`, { status: 'cancelled' }),
        );
        assert.equal(isReady(specs.get(D)!, specs), false);
      });

      it('a driver with criteria is ready once every member, nested ones too, is completed', () => {
        const specs = specMap(
          makeSpec(D, { acceptance: acceptance(1) }),
          makeSpec(`${D}.1`, { status: 'completed' }),
          makeSpec(`${D}.1.1`, { status: 'completed' }),
        );
        assert.equal(isReady(specs.get(D)!, specs), true);
        specs.set(`${D}.1.1`, makeSpec(`${D}.1.1`));
        assert.equal(isReady(specs.get(D)!, specs), false);
      });

      it('a spec with criteria but no members is ready', () => {
        const specs = specMap(makeSpec(A, { acceptance: acceptance(3) }));
        assert.equal(isReady(specs.get(A)!, specs), true);
      });

      it('list --ready hides groups', () => {
        const specs = specMap(makeSpec(D, { type: 'group' }), makeSpec(A, { type: 'driver' }));
        assert.equal(isReady(specs.get(D)!, specs), true);
        assert.equal(isReadyForList(specs.get(D)!, specs), false);
        assert.equal(isReadyForList(specs.get(A)!, specs), true);
      });
    });

    it('a spec with an unknown status is never ready and never blocked, and shows as written', () => {
      const specs = specMap(makeSpec(A), makeSpec(B, { status: 'wip', dependsOn: [A] }));
      const spec = specs.get(B)!;
      assert.equal(spec.statusKnown, false);
      assert.equal(isReady(spec, specs), false);
      assert.equal(isBlocked(spec, specs), false);
      assert.equal(effectiveStatus(spec, specs), 'wip');
      const r = readinessOf(spec, specs);
      assert.deepEqual(
        { effective: r.effective, ready: r.ready, blocked: r.blocked, blockers: r.blockers },
        { effective: 'wip', ready: false, blocked: false, blockers: [] },
      );
      assert.equal(r.chantCannotLoad, true);
    });

    it('a spec chant cannot load is never ready, though its status is known and nothing blocks it', () => {
      // The tree, the ready badge and Work Next Ready read `readinessOf().ready`, not `isReady`.
      for (const status of ['pending', 'failed', 'blocked']) {
        const specs = specMap(makeSpec(A, { status, type: 'conflict', chantWouldReject: true }));
        const spec = specs.get(A)!;
        assert.equal(spec.statusKnown, true);
        assert.equal(isReady(spec, specs), false, status);
        const r = readinessOf(spec, specs);
        assert.deepEqual(
          { ready: r.ready, chantCannotLoad: r.chantCannotLoad, blockers: r.blockers },
          { ready: false, chantCannotLoad: true, blockers: [] },
          status,
        );
        assert.equal(readinessOfAll(specs).get(A)!.ready, false, status);
      }
    });
  });

  describe('the chant work gate (§4.3)', () => {
    it('a cancelled dependency satisfies is_blocked but blocks chant work', () => {
      const specs = specMap(makeSpec(A, { status: 'cancelled' }), makeSpec(B, { dependsOn: [A] }));
      const spec = specs.get(B)!;
      assert.equal(isBlocked(spec, specs), false);
      assert.deepEqual(workGate(spec, specs), [
        {
          kind: 'dependency-unmet',
          id: A,
          status: 'cancelled',
          message: `depends on ${A} (cancelled; chant work needs it completed)`,
        },
      ]);
      const r = readinessOf(spec, specs);
      assert.equal(r.ready, true);
      assert.equal(r.disagreement, `ready (work will refuse: dependency ${A} cancelled)`);
    });

    it('a missing dependency blocks chant work', () => {
      const specs = specMap(makeSpec(B, { dependsOn: [A] }));
      assert.deepEqual(
        workGate(specs.get(B)!, specs).map((b) => b.kind),
        ['dependency-missing'],
      );
    });

    it('missing siblings are ignored by is_ready but block chant work', () => {
      const specs = specMap(makeSpec(D), makeSpec(`${D}.3`));
      const third = specs.get(`${D}.3`)!;
      assert.equal(isReady(third, specs), true);
      assert.deepEqual(workGate(third, specs), [
        { kind: 'sibling', id: `${D}.1`, message: `earlier sibling ${D}.1 does not exist` },
        { kind: 'sibling', id: `${D}.2`, message: `earlier sibling ${D}.2 does not exist` },
      ]);
      assert.equal(
        readinessOf(third, specs).disagreement,
        `ready (work will refuse: sibling ${D}.1 missing; sibling ${D}.2 missing)`,
      );
    });

    it('incomplete siblings block chant work even with an explicit depends_on', () => {
      const specs = specMap(makeSpec(D), makeSpec(`${D}.1`), makeSpec(`${D}.2`, { dependsOn: [] }));
      const second = specs.get(`${D}.2`)!;
      assert.equal(isReady(second, specs), true);
      assert.deepEqual(workGate(second, specs), [
        { kind: 'sibling', id: `${D}.1`, status: 'pending', message: `earlier sibling ${D}.1 is pending` },
      ]);
      assert.equal(readinessOf(second, specs).disagreement, `ready (work will refuse: sibling ${D}.1 incomplete)`);
    });

    it('a cancelled sibling blocks chant work', () => {
      const specs = specMap(makeSpec(D), makeSpec(`${D}.1`, { status: 'cancelled' }), makeSpec(`${D}.2`));
      assert.equal(isReady(specs.get(`${D}.2`)!, specs), true);
      assert.equal(workGate(specs.get(`${D}.2`)!, specs).length, 1);
    });

    it('no disagreement when both agree', () => {
      const specs = specMap(makeSpec(A, { status: 'completed' }), makeSpec(B, { dependsOn: [A] }));
      const r = readinessOf(specs.get(B)!, specs);
      assert.equal(r.ready, true);
      assert.deepEqual(r.workBlockers, []);
      assert.equal(r.disagreement, undefined);
    });
  });

  describe('members, drivers and dependents', () => {
    const specs = specMap(
      makeSpec(D, { type: 'group' }),
      makeSpec(`${D}.10`),
      makeSpec(`${D}.2`),
      makeSpec(`${D}.2.1`),
      makeSpec(`${D}.1`, { dependsOn: [A] }),
      makeSpec(A),
      makeSpec(B, { dependsOn: [A, C] }),
      makeSpec(`${C}.1`),
    );

    it('lists direct and nested members in chant order', () => {
      assert.deepEqual(membersOf(D, specs), [`${D}.1`, `${D}.2`, `${D}.2.1`, `${D}.10`]);
      assert.deepEqual(membersOf(`${D}.2`, specs), [`${D}.2.1`]);
      assert.deepEqual(membersOf(A, specs), []);
    });

    it('recognizes drivers by type or by members', () => {
      assert.equal(isDriver(specs.get(D)!, specs), true);
      assert.equal(isDriver(makeSpec(B, { type: 'driver' }), specs), true);
      assert.equal(isDriver(specs.get(`${D}.2`)!, specs), true);
      assert.equal(isDriver(specs.get(A)!, specs), false);
    });

    it('finds orphaned members', () => {
      assert.equal(orphanDriverId(specs.get(`${C}.1`)!, specs), C);
      assert.equal(orphanDriverId(specs.get(`${D}.2.1`)!, specs), undefined);
      assert.equal(orphanDriverId(specs.get(A)!, specs), undefined);
    });

    it('lists dependents, including of ids that do not exist', () => {
      assert.deepEqual(dependentsOf(A, specs), [B, `${D}.1`]);
      assert.deepEqual(dependentsOf(C, specs), [B]);
      assert.deepEqual(dependentsOf(B, specs), []);
    });

    it('a RelationIndex answers like the scans and follows adds and removes', () => {
      const rel = RelationIndex.build(specs);
      assert.deepEqual(rel.membersOf(D), membersOf(D, specs));
      assert.deepEqual(rel.dependentsOf(A), dependentsOf(A, specs));
      assert.deepEqual(membersOf(D, specs, rel), membersOf(D, specs));
      const extra = makeSpec(`${D}.3`, { dependsOn: [A] });
      rel.add(extra);
      assert.deepEqual(rel.membersOf(D), [`${D}.1`, `${D}.2`, `${D}.2.1`, `${D}.3`, `${D}.10`]);
      assert.deepEqual(rel.dependentsOf(A), [B, `${D}.1`, `${D}.3`]);
      rel.remove(extra);
      assert.deepEqual(rel.membersOf(D), membersOf(D, specs));
      assert.deepEqual(rel.dependentsOf(A), dependentsOf(A, specs));
    });

    it('readinessOfAll agrees with readinessOf', () => {
      const all = readinessOfAll(specs);
      for (const spec of specs.values()) assert.deepEqual(all.get(spec.id), readinessOf(spec, specs));
    });

    it('verdictOf gives readinessOf\'s effective status and readiness', () => {
      for (const spec of specs.values()) {
        const { effective, ready } = readinessOf(spec, specs);
        assert.deepEqual({ ...verdictOf(spec, specs) }, { effective, ready }, spec.id);
      }
    });

    it('knows which specs to refresh when one changes', () => {
      const affected = readinessAffectedBy(A, specs);
      for (const id of [A, `${D}.1`, B]) assert.ok(affected.includes(id), id);
      const memberAffected = readinessAffectedBy(`${D}.2.1`, specs);
      for (const id of [D, `${D}.2`, `${D}.1`, `${D}.10`]) assert.ok(memberAffected.includes(id), id);
    });
  });

  it('readinessAffectedBy covers every spec whose readiness changes, and readinessOf agrees with isReady (randomized)', () => {
    // A small deterministic generator, so a failure can be replayed.
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const statuses = ['pending', 'blocked', 'in_progress', 'completed', 'failed', 'cancelled'];
    const bases = ['2026-01-01-001-aaa', '2026-01-01-002-bbb', '2026-01-01-003-ccc'];
    const ids = [...bases, ...bases.flatMap((b) => [`${b}.1`, `${b}.2`, `${b}.3`, `${b}.2.1`])];
    let rejectedButKnown = 0;
    for (let round = 0; round < 300; round++) {
      const build = (id: string, status: string): Spec => {
        const dependsOn = ids.filter((other) => other !== id && random() < 0.12);
        return makeSpec(id, {
          status,
          ...(random() < 0.5 ? { dependsOn } : {}),
          acceptance: acceptance(random() < 0.5 ? 1 : 0),
          ...(random() < 0.15 ? { approval: { required: true, status: pick(['pending', 'approved']) } } : {}),
          // A known status chant still rejects (an unknown type, a broken list): never ready, and
          // missing wherever another spec looks it up.
          ...(random() < 0.1 ? { type: 'conflict', chantWouldReject: true } : {}),
        });
      };
      const before = specMap(...ids.filter(() => random() < 0.8).map((id) => build(id, pick(statuses))));
      const target = pick([...before.keys()]);
      if (target === undefined) continue;
      const after = new Map(before);
      if (random() < 0.3) after.delete(target);
      else
        after.set(
          target,
          random() < 0.5 ? { ...before.get(target)!, status: pick(statuses) } : build(target, pick(statuses)),
        );
      const old = readinessOfAll(before);
      const now = readinessOfAll(after);
      const affected = new Set(readinessAffectedBy(target, after));
      for (const [id, readiness] of now) {
        const spec = after.get(id)!;
        const couldRun = ['pending', 'blocked', 'failed'].includes(spec.status) && readiness.blockers.length === 0;
        if (spec.chantWouldReject && couldRun) rejectedButKnown++;
        assert.equal(readiness.ready, isReady(spec, after), `round ${round}: readinessOf and isReady agree on ${id}`);
        assert.equal(readiness.effective, effectiveStatus(spec, after));
        if (!affected.has(id)) assert.deepEqual(readiness, old.get(id), `round ${round}: ${id} changed when ${target} did`);
      }
    }
    // The generator must reach the case where only chantWouldReject keeps a spec from being ready.
    assert.ok(rejectedButKnown > 20, `only ${rejectedButKnown} rejected specs with a known status and no blockers`);
  });

  it('stays linear on a large project with a RelationIndex: a bounded number of lookups per spec', () => {
    // Work is counted, not timed (timing belongs in the benchmark): map lookups and whole-map scans
    // per spec must not grow with the project. A quadratic mistake (scanning for members or
    // dependents per spec, following a dependency chain to its end) shows up as growth in either.
    const chain = (count: number): CountingMap => {
      const specs = new CountingMap();
      for (let i = 0; i < count; i++) {
        const id = `2026-01-01-${i.toString(36).padStart(3, '0')}-abc`;
        const previous = `2026-01-01-${(i - 1).toString(36).padStart(3, '0')}-abc`;
        specs.set(id, makeSpec(id, { acceptance: acceptance(2), dependsOn: i > 0 ? [previous] : [] }));
        if (i % 10 === 0) specs.set(`${id}.1`, makeSpec(`${id}.1`));
      }
      return specs;
    };
    const work = (count: number): { lookupsPerSpec: number; scans: number } => {
      const specs = chain(count);
      const all = readinessOfAll(specs);
      assert.equal(all.size, specs.size);
      return { lookupsPerSpec: specs.lookups / specs.size, scans: specs.scans };
    };
    const small = work(500);
    const large = work(8_000);
    // One scan to build the RelationIndex, one to walk the specs.
    assert.deepEqual([small.scans, large.scans], [2, 2]);
    assert.ok(large.lookupsPerSpec <= small.lookupsPerSpec * 1.05, `${large.lookupsPerSpec} lookups per spec at 8,000 vs ${small.lookupsPerSpec} at 500`);
    assert.ok(large.lookupsPerSpec < 10, `${large.lookupsPerSpec} lookups per spec`);
  });
});

/** A spec map that counts what readiness asks of it. */
class CountingMap extends Map<string, Spec> {
  lookups = 0;
  scans = 0;
  override get(id: string): Spec | undefined {
    this.lookups++;
    return super.get(id);
  }
  override has(id: string): boolean {
    this.lookups++;
    return super.has(id);
  }
  override keys(): MapIterator<string> {
    this.scans++;
    return super.keys();
  }
  override values(): MapIterator<Spec> {
    this.scans++;
    return super.values();
  }
  override entries(): MapIterator<[string, Spec]> {
    this.scans++;
    return super.entries();
  }
  override [Symbol.iterator](): MapIterator<[string, Spec]> {
    return this.entries();
  }
  override forEach(callback: (value: Spec, key: string, map: Map<string, Spec>) => void): void {
    this.scans++;
    super.forEach(callback);
  }
}
