import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  MAX_LISTED_SIBLINGS,
  chantMemberNumber,
  chantPriorSiblingIds,
  compareSpecIds,
  nearestParentId,
  sortSpecIds,
  directMemberIds,
  driverIdOf,
  earlierSiblingIds,
  fromBase36,
  isEarlierSiblingOf,
  isFullSpecId,
  isMemberOf,
  memberIdsOf,
  memberNumber,
  nextSpecId,
  parentIdOf,
  parseSpecId,
  resolveSpecId,
  shortSpecId,
  toBase36Sequence,
  todayLocal,
} from '../../src/core/spec/ids';
import type { ParsedSpecId } from '../../src/core/spec/ids';
import { seededRandom } from '../../bench/generateProject';
import { corpusDir } from './paths';
import { requireCorpus } from './prerequisites';

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Rebuilds an id from its parts; equals the input unless member numbers had leading zeros. */
function format(p: ParsedSpecId): string {
  return (
    (p.repo !== undefined ? `${p.repo}:` : '') +
    (p.project !== undefined ? `${p.project}-` : '') +
    p.base +
    p.members.map((n) => `.${n}`).join('')
  );
}

// Local noon, so the local date is the same in every time zone the tests may run in.
const JAN25 = new Date(2026, 0, 25, 12, 0, 0);

describe('core/ids', () => {
  describe('base36 sequences', () => {
    const cases: Array<[number, string]> = [
      [0, '000'],
      [1, '001'],
      [9, '009'],
      [10, '00a'],
      [35, '00z'],
      [36, '010'],
      [999, '0rr'],
      [1000, '0rs'],
      [46655, 'zzz'],
      [46656, '1000'],
      [36 ** 4, '10000'],
    ];
    for (const [n, text] of cases) {
      it(`${n} <-> ${text}`, () => {
        assert.equal(toBase36Sequence(n), text);
        assert.equal(fromBase36(text), n);
      });
    }

    it('decodes unpadded and padded text alike', () => {
      assert.equal(fromBase36('a'), 10);
      assert.equal(fromBase36('0000a'), 10);
      assert.equal(fromBase36('z'), 35);
    });

    it('rejects characters outside 0-9a-z, as chant does (upper case included)', () => {
      assert.equal(fromBase36('00A'), undefined);
      assert.equal(fromBase36('0-1'), undefined);
      assert.equal(fromBase36('00é'), undefined);
    });

    it('decodes the empty string as 0, like chant', () => {
      assert.equal(fromBase36(''), 0);
    });

    it('refuses negative and fractional sequences', () => {
      assert.throws(() => toBase36Sequence(-1), RangeError);
      assert.throws(() => toBase36Sequence(1.5), RangeError);
      assert.throws(() => toBase36Sequence(Number.NaN), RangeError);
    });

    it('round-trips every value across the 3-to-4 character boundary', () => {
      for (let n = 0; n <= 46700; n++) {
        const text = toBase36Sequence(n);
        assert.ok(text.length >= 3);
        assert.equal(fromBase36(text), n);
      }
    });
  });

  describe('parseSpecId', () => {
    it('parses a local id and decodes the sequence', () => {
      assert.deepEqual(parseSpecId('2026-01-25-00a-u8k'), {
        date: '2026-01-25',
        sequence: 10,
        sequenceText: '00a',
        suffix: 'u8k',
        members: [],
        base: '2026-01-25-00a-u8k',
      });
    });

    it('parses members and nested members', () => {
      const member = parseSpecId('2026-01-25-00y-9qp.1')!;
      assert.deepEqual(member.members, [1]);
      assert.equal(member.base, '2026-01-25-00y-9qp');
      assert.deepEqual(parseSpecId('2026-01-25-00y-9qp.2.10')!.members, [2, 10]);
    });

    it('parses sequences longer than 3 characters', () => {
      const p = parseSpecId('2026-01-25-1000-abc')!;
      assert.equal(p.sequence, 46656);
      assert.equal(p.sequenceText, '1000');
      assert.equal(p.suffix, 'abc');
    });

    it('parses cross-repo ids', () => {
      assert.deepEqual(parseSpecId('backend:2026-01-27-001-abc'), {
        repo: 'backend',
        date: '2026-01-27',
        sequence: 1,
        sequenceText: '001',
        suffix: 'abc',
        members: [],
        base: '2026-01-27-001-abc',
      });
      assert.equal(parseSpecId('my-repo:2026-01-27-001-abc')!.repo, 'my-repo');
      assert.equal(parseSpecId('my_repo:2026-01-27-001-abc')!.repo, 'my_repo');
    });

    it('parses project-prefixed ids, with and without a repo', () => {
      const local = parseSpecId('auth-2026-01-27-001-abc')!;
      assert.equal(local.project, 'auth');
      assert.equal(local.repo, undefined);
      assert.equal(local.base, '2026-01-27-001-abc');
      assert.equal(parseSpecId('auth-service-2026-01-27-001-abc')!.project, 'auth-service');

      const both = parseSpecId('backend:auth-2026-01-27-001-abc.5')!;
      assert.equal(both.repo, 'backend');
      assert.equal(both.project, 'auth');
      assert.deepEqual(both.members, [5]);

      const hyphens = parseSpecId('my-repo:my-proj-2026-01-27-001-abc.5')!;
      assert.equal(hyphens.repo, 'my-repo');
      assert.equal(hyphens.project, 'my-proj');
    });

    it('leaves absent prefixes out of the result', () => {
      const p = parseSpecId('2026-01-27-001-abc')!;
      assert.ok(!('repo' in p));
      assert.ok(!('project' in p));
    });

    it('round-trips the shapes chant documents', () => {
      for (const id of [
        '2026-01-27-001-abc',
        'auth-2026-01-27-001-abc',
        'backend:2026-01-27-001-abc',
        'backend:auth-2026-01-27-001-abc',
        '2026-01-27-001-abc.1',
        'auth-2026-01-27-001-abc.2',
        'backend:2026-01-27-001-abc.3',
        'backend:auth-2026-01-27-001-abc.4',
        'my-repo:my-proj-2026-01-27-001-abc.5',
        '2026-01-27-001-abc.999',
        '2026-01-27-001-abc.2.1',
      ]) {
        assert.equal(format(parseSpecId(id)!), id, id);
      }
    });

    it('returns undefined for ids chant accepts but did not generate', () => {
      for (const id of [
        '',
        '001',
        'foo',
        'foo.2',
        '2026-01-25',
        '2026-01-25-001',
        '2026-01-25-001-ab',
        '2026-01-25-001-abcd',
        '2026-01-25-01-abc',
        '2026-01-25-001-ABC',
        '2026-01-25-001-abc.',
        '2026-01-25-001-abc.x',
        '2026-01-25-001-abc.1a',
        ':2026-01-27-001-abc',
        'back@end:2026-01-27-001-abc',
        'archived-2026-02-09_2026-02-09-001-u9f',
        ' 2026-01-25-001-abc',
      ]) {
        assert.equal(parseSpecId(id), undefined, JSON.stringify(id));
      }
    });

    it('isFullSpecId accepts local ids and members only', () => {
      assert.ok(isFullSpecId('2026-01-25-00a-u8k'));
      assert.ok(isFullSpecId('2026-01-25-00a-u8k.1'));
      assert.ok(isFullSpecId('2026-01-25-00a-u8k.1.2'));
      assert.ok(isFullSpecId('2026-01-25-1000-u8k'));
      assert.ok(!isFullSpecId('auth-2026-01-25-00a-u8k'));
      assert.ok(!isFullSpecId('backend:2026-01-25-00a-u8k'));
      assert.ok(!isFullSpecId('001'));
      assert.ok(!isFullSpecId('2026-01-25-00a-u8k.'));
    });
  });

  describe('compareSpecIds', () => {
    // Real ids from chant's own history, plus members .2/.10, a nested member and odd stems.
    const expected = [
      '2026-01-24-009-0mq',
      '2026-01-24-00a-f6z',
      '2026-01-24-00l-8a2',
      '2026-01-24-00l-rws',
      '2026-01-24-00z-87n',
      '2026-01-24-010-zle',
      '2026-01-25-00y-9qp',
      '2026-01-25-00y-9qp.1',
      '2026-01-25-00y-9qp.2',
      '2026-01-25-00y-9qp.2.1',
      '2026-01-25-00y-9qp.2.10',
      '2026-01-25-00y-9qp.10',
      '2026-01-25-010-sgp.2',
      '2026-01-30-00e-y44.2',
      'archived-2026-02-10-004-vul',
      '2026-02-13-00a-e6e',
      '2026-02-13-1000-aaa',
      '001',
      'archived-2026-02-09_2026-02-09-001-u9f',
      'foo',
      'foo.2',
      'foo.10',
    ];

    it('sorts a shuffled list of real ids into chant order', () => {
      const random = seededRandom(42);
      for (let round = 0; round < 20; round++) {
        assert.deepEqual(shuffled(expected, random).sort(compareSpecIds), expected);
        // The index's sort parses each id once and must give the same order.
        assert.deepEqual(sortSpecIds(shuffled(expected, random)), expected);
      }
    });

    it('matches chant documented examples', () => {
      assert.ok(compareSpecIds('2026-01-25-00y-abc.2', '2026-01-25-00y-abc.10') < 0);
      assert.ok(compareSpecIds('2026-01-25-00y-abc.10', '2026-01-25-00y-abc.2') > 0);
      assert.ok(compareSpecIds('2026-01-25-00y-abc', '2026-01-25-00y-def') < 0);
      assert.ok(compareSpecIds('2026-01-25-00y-abc', '2026-01-25-00y-abc.1') < 0);
      assert.ok(compareSpecIds('2026-01-25-010-xxx', '2026-01-25-00z-yyy') > 0);
    });

    it('compares the sequence as a number, not as text', () => {
      // '00z' > '0100' as text, but 35 < 1296.
      assert.ok(compareSpecIds('2026-01-25-00z-abc', '2026-01-25-0100-abc') < 0);
      assert.ok(compareSpecIds('2026-01-25-zzz-abc', '2026-01-25-1000-abc') < 0);
    });

    it('puts a driver before members of a member of an earlier sequence', () => {
      assert.ok(compareSpecIds('2026-01-25-001-abc.9', '2026-01-25-002-abc') < 0);
      assert.ok(compareSpecIds('2026-01-25-002-abc', '2026-01-25-001-abc.9') > 0);
    });

    it('breaks ties between prefixed copies of one id: local, then repo, then project', () => {
      const ids = [
        'z:2026-01-25-001-abc',
        'auth-2026-01-25-001-abc',
        '2026-01-25-001-abc',
        'a:2026-01-25-001-abc',
        'a:auth-2026-01-25-001-abc',
      ];
      assert.deepEqual([...ids].sort(compareSpecIds), [
        '2026-01-25-001-abc',
        'auth-2026-01-25-001-abc',
        'a:2026-01-25-001-abc',
        'a:auth-2026-01-25-001-abc',
        'z:2026-01-25-001-abc',
      ]);
    });

    it('is a total order: reflexive, antisymmetric, transitive, never 0 for different ids', () => {
      const ids = [
        ...expected,
        '2026-01-25-00y-9qp.02',
        'Foo',
        '',
        '😀',
        '\uffff',
        'backend:2026-01-25-00y-9qp',
      ];
      for (const a of ids) {
        assert.equal(compareSpecIds(a, a), 0);
        for (const b of ids) {
          const ab = Math.sign(compareSpecIds(a, b));
          assert.equal(ab + Math.sign(compareSpecIds(b, a)), 0, `${a} vs ${b}`);
          if (a !== b) assert.notEqual(ab, 0, `${a} vs ${b}`);
          for (const c of ids) {
            if (ab < 0 && compareSpecIds(b, c) < 0) {
              assert.ok(compareSpecIds(a, c) < 0, `${a} < ${b} < ${c}`);
            }
          }
        }
      }
    });

    it('orders odd ids by code point, as Rust compares strings', () => {
      // UTF-16 code units would put the emoji (a surrogate pair) before U+FFFF.
      assert.ok(compareSpecIds('\uffff', '😀') < 0);
      assert.ok(compareSpecIds('B', 'a') < 0);
    });
  });

  describe('todayLocal and nextSpecId', () => {
    it('formats the local date', () => {
      assert.equal(todayLocal(new Date(2026, 0, 25, 0, 0, 0)), '2026-01-25');
      assert.equal(todayLocal(new Date(2026, 0, 25, 23, 59, 59)), '2026-01-25');
      assert.equal(todayLocal(new Date(2026, 11, 31, 12)), '2026-12-31');
      assert.equal(todayLocal(new Date(987, 1, 3, 12)), '0987-02-03');
    });

    it('starts at 001 in an empty folder', () => {
      const id = nextSpecId([], JAN25, seededRandom(1));
      assert.match(id, /^2026-01-25-001-[0-9a-z]{3}$/);
      assert.ok(isFullSpecId(id));
    });

    it('takes max + 1 over today\'s files, members included, ignoring other days and other files', () => {
      const names = [
        '2026-01-25-001-abc.md',
        '2026-01-25-009-zzz.md',
        // A member whose driver is gone still counts; its part 4 is '00a', not 'u8k.1'.
        '2026-01-25-00a-u8k.1.md',
        '2026-01-24-0zz-old.md',
        '2026-01-26-0zz-new.md',
        'README.md',
        '.chant-status-2026-01-25-0zz-abc.json',
        '2026-01-25-0zz-abc.md.tmp',
        '2026-01-25-notes.md',
        '2026-01-25-0ZZ-abc.md',
      ];
      assert.match(nextSpecId(names, JAN25, seededRandom(1)), /^2026-01-25-00b-[0-9a-z]{3}$/);
    });

    it('counts member files even when the driver sorts lower', () => {
      assert.match(
        nextSpecId(['2026-01-25-001-abc.md', '2026-01-25-00c-u8k.3.md'], JAN25, seededRandom(1)),
        /^2026-01-25-00d-/,
      );
    });

    it('reuses a number once today\'s specs are archived (archive entries are not passed)', () => {
      // After `chant archive`, .chant/specs holds only the later spec; the archived 002 is elsewhere.
      assert.match(nextSpecId(['2026-01-25-001-abc.md'], JAN25, seededRandom(1)), /^2026-01-25-002-/);
    });

    it('goes past zzz without truncating', () => {
      assert.match(nextSpecId(['2026-01-25-zzz-abc.md'], JAN25, seededRandom(1)), /^2026-01-25-1000-/);
    });

    it('strips every trailing .md like Rust trim_end_matches', () => {
      assert.match(nextSpecId(['2026-01-25-00f-abc.md.md'], JAN25, seededRandom(1)), /^2026-01-25-00g-/);
    });

    it('wraps a 7-character part 4 in u32 arithmetic like the chant binary', () => {
      // '10000000' is 36^7, which chant's u32 holds as 36^7 mod 2^32 = 1054752768.
      assert.equal(Number(36n ** 7n % 2n ** 32n), 1054752768);
      const next = (1054752768 + 1).toString(36);
      assert.match(nextSpecId(['2026-01-25-10000000-abc.md'], JAN25, seededRandom(1)), new RegExp(`^2026-01-25-${next}-`));
    });

    it('uses the local date of now', () => {
      const late = new Date(2026, 0, 25, 23, 59, 59);
      const early = new Date(2026, 0, 26, 0, 0, 1);
      const names = ['2026-01-25-005-abc.md'];
      assert.match(nextSpecId(names, late, seededRandom(1)), /^2026-01-25-006-/);
      assert.match(nextSpecId(names, early, seededRandom(1)), /^2026-01-26-001-/);
    });

    it('draws the suffix from the given generator, over the whole alphabet', () => {
      assert.equal(nextSpecId([], JAN25, () => 0), '2026-01-25-001-000');
      assert.equal(nextSpecId([], JAN25, () => 0.9999999), '2026-01-25-001-zzz');
      assert.equal(nextSpecId([], JAN25, () => 1), '2026-01-25-001-zzz');
      assert.equal(nextSpecId([], JAN25, seededRandom(7)), nextSpecId([], JAN25, seededRandom(7)));

      const seen = new Set<string>();
      const random = seededRandom(123);
      for (let i = 0; i < 2000; i++) {
        const suffix = nextSpecId([], JAN25, random).slice(-3);
        assert.match(suffix, /^[0-9a-z]{3}$/);
        for (const c of suffix) seen.add(c);
      }
      assert.equal(seen.size, 36);
    });

    it('defaults to Math.random', () => {
      assert.match(nextSpecId([], JAN25), /^2026-01-25-001-[0-9a-z]{3}$/);
    });
  });

  describe('resolveSpecId', () => {
    const ids = [
      '2026-01-24-001-abc',
      '2026-01-25-001-x7m',
      '2026-01-25-002-q1z',
      '2026-01-25-002-q1z.1',
      '2026-01-25-002-q1z.2',
      '2026-01-25-003-b12',
    ];

    it('1. exact match wins, even when the query is also a substring of others', () => {
      assert.deepEqual(resolveSpecId('2026-01-25-002-q1z', ids, JAN25), {
        kind: 'found',
        id: '2026-01-25-002-q1z',
        rule: 'exact',
      });
    });

    it('2. a unique suffix match', () => {
      assert.deepEqual(resolveSpecId('x7m', ids, JAN25), { kind: 'found', id: '2026-01-25-001-x7m', rule: 'suffix' });
      assert.deepEqual(resolveSpecId('q1z', ids, JAN25), { kind: 'found', id: '2026-01-25-002-q1z', rule: 'suffix' });
      assert.deepEqual(resolveSpecId('q1z.2', ids, JAN25), { kind: 'found', id: '2026-01-25-002-q1z.2', rule: 'suffix' });
    });

    it('3. a 3-character query names today\'s sequence', () => {
      // '001' is also in yesterday's id, so the substring rule alone would be ambiguous.
      assert.deepEqual(resolveSpecId('001', ids, JAN25), { kind: 'found', id: '2026-01-25-001-x7m', rule: 'today-sequence' });
    });

    it('3. uses the local date of now', () => {
      const tomorrow = new Date(2026, 0, 26, 12);
      const r = resolveSpecId('001', ids, tomorrow);
      assert.equal(r.kind, 'ambiguous');
    });

    it('3. a unique suffix beats the today rule', () => {
      const r = resolveSpecId('001', ['2026-01-25-001-abc', '2026-01-24-002-001'], JAN25);
      assert.deepEqual(r, { kind: 'found', id: '2026-01-24-002-001', rule: 'suffix' });
    });

    it('3. applies when several suffixes match', () => {
      const r = resolveSpecId('00a', ['2026-01-25-00a-abc', '2026-01-24-001-00a', '2026-01-23-002-00a'], JAN25);
      assert.deepEqual(r, { kind: 'found', id: '2026-01-25-00a-abc', rule: 'today-sequence' });
    });

    it('4. a unique substring match', () => {
      assert.deepEqual(resolveSpecId('25-003', ids, JAN25), { kind: 'found', id: '2026-01-25-003-b12', rule: 'substring' });
      assert.deepEqual(resolveSpecId('01-24', ids, JAN25), { kind: 'found', id: '2026-01-24-001-abc', rule: 'substring' });
    });

    it('5. several matches are ambiguous, with chant\'s message and the matches in spec order', () => {
      const r = resolveSpecId('002', [...ids].reverse(), JAN25);
      assert.deepEqual(r, {
        kind: 'ambiguous',
        matches: ['2026-01-25-002-q1z', '2026-01-25-002-q1z.1', '2026-01-25-002-q1z.2'],
        message:
          "Ambiguous spec ID '002'. Matches: 2026-01-25-002-q1z, 2026-01-25-002-q1z.1, 2026-01-25-002-q1z.2",
      });
    });

    it('5. nothing matching is not found, with chant\'s message', () => {
      assert.deepEqual(resolveSpecId('zz9', ids, JAN25), { kind: 'not-found', message: 'Spec not found: zz9' });
      assert.deepEqual(resolveSpecId('x7m', [], JAN25), { kind: 'not-found', message: 'Spec not found: x7m' });
    });

    it('accepts any iterable and ignores duplicates', () => {
      function* gen(): Generator<string> {
        yield '2026-01-25-001-x7m';
        yield '2026-01-25-001-x7m';
      }
      assert.equal(resolveSpecId('x7m', gen(), JAN25).kind, 'found');
      assert.equal(resolveSpecId('x7m', new Set(ids), JAN25).kind, 'found');
    });

    it('resolves odd ids by the same rules', () => {
      assert.deepEqual(resolveSpecId('001', ['001', 'foo'], JAN25), { kind: 'found', id: '001', rule: 'exact' });
      assert.deepEqual(resolveSpecId('oo', ['001', 'foo'], JAN25), { kind: 'found', id: 'foo', rule: 'suffix' });
    });

    it('mirrors chant for the empty query: the only spec, else ambiguous', () => {
      assert.equal(resolveSpecId('', ['001'], JAN25).kind, 'found');
      assert.equal(resolveSpecId('', ['001', 'foo'], JAN25).kind, 'ambiguous');
      assert.equal(resolveSpecId('', [], JAN25).kind, 'not-found');
    });
  });

  describe('groups', () => {
    const X = '2026-01-25-00y-9qp';

    it('driverIdOf cuts at the first dot followed by a digit', () => {
      assert.equal(driverIdOf(`${X}.1`), X);
      assert.equal(driverIdOf(`${X}.2.1`), X);
      assert.equal(driverIdOf(X), undefined);
      assert.equal(driverIdOf(`${X}.abc`), undefined);
      assert.equal(driverIdOf(`${X}.`), undefined);
      assert.equal(driverIdOf('001.3'), '001');
      assert.equal(driverIdOf('notes.v2'), undefined);
    });

    it('parentIdOf cuts at the last dot followed by digits only', () => {
      assert.equal(parentIdOf(`${X}.1`), X);
      assert.equal(parentIdOf(`${X}.2.1`), `${X}.2`);
      assert.equal(parentIdOf(X), undefined);
      assert.equal(parentIdOf(`${X}.1a`), undefined);
      assert.equal(parentIdOf(`${X}.`), undefined);
    });

    it('nearestParentId skips a missing intermediate driver', () => {
      const has = (...ids: string[]) => (id: string): boolean => ids.includes(id);
      assert.equal(nearestParentId(`${X}.2.1`, has(X, `${X}.2`)), `${X}.2`);
      assert.equal(nearestParentId(`${X}.2.1`, has(X)), X);
      assert.equal(nearestParentId(`${X}.2.1`, has()), undefined);
      assert.equal(nearestParentId(X, has(X)), undefined);
    });

    it('isMemberOf matches any depth and needs text after the dot', () => {
      assert.ok(isMemberOf(`${X}.1`, X));
      assert.ok(isMemberOf(`${X}.2.1`, X));
      assert.ok(isMemberOf(`${X}.2.1`, `${X}.2`));
      assert.ok(!isMemberOf(X, X));
      assert.ok(!isMemberOf(`${X}.`, X));
      assert.ok(!isMemberOf(`${X}1.1`, X));
      assert.ok(!isMemberOf('2026-01-25-00x-xyz.1', X));
    });

    it('memberNumber is the last level; chantMemberNumber is the first, as chant reads it', () => {
      assert.equal(memberNumber(`${X}.10`), 10);
      assert.equal(memberNumber(`${X}.3.2`), 2);
      assert.equal(memberNumber(X), undefined);
      assert.equal(chantMemberNumber(`${X}.3.2`), 3);
      assert.equal(chantMemberNumber(`${X}.10`), 10);
      assert.equal(chantMemberNumber(X), undefined);
      assert.equal(chantMemberNumber(`${X}.abc`), undefined);
      assert.equal(chantMemberNumber(`${X}.99999999999`), undefined);
    });

    it('earlierSiblingIds lists <parent>.1 … <parent>.(n-1)', () => {
      assert.deepEqual(earlierSiblingIds(`${X}.3`), [`${X}.1`, `${X}.2`]);
      assert.deepEqual(earlierSiblingIds(`${X}.1`), []);
      assert.deepEqual(earlierSiblingIds(X), []);
      assert.deepEqual(earlierSiblingIds(`${X}.2.3`), [`${X}.2.1`, `${X}.2.2`]);
      assert.deepEqual(earlierSiblingIds('001.2'), ['001.1']);
    });

    it('chantPriorSiblingIds checks what chant checks for nested members', () => {
      assert.deepEqual(chantPriorSiblingIds(`${X}.3`), earlierSiblingIds(`${X}.3`));
      assert.deepEqual(chantPriorSiblingIds(`${X}.2.3`), [`${X}.1`]);
      assert.deepEqual(chantPriorSiblingIds(X), []);
    });

    it('caps the listing for absurd member numbers', () => {
      assert.equal(earlierSiblingIds(`${X}.999999999`).length, MAX_LISTED_SIBLINGS);
      assert.equal(chantPriorSiblingIds(`${X}.999999999`).length, MAX_LISTED_SIBLINGS);
    });

    it('isEarlierSiblingOf tests one candidate without listing', () => {
      assert.ok(isEarlierSiblingOf(`${X}.1`, `${X}.999999999`));
      assert.ok(isEarlierSiblingOf(`${X}.2.1`, `${X}.2.3`));
      assert.ok(!isEarlierSiblingOf(`${X}.3`, `${X}.3`));
      assert.ok(!isEarlierSiblingOf(`${X}.4`, `${X}.3`));
      assert.ok(!isEarlierSiblingOf(`${X}.1.1`, `${X}.3`));
      assert.ok(!isEarlierSiblingOf(`${X}.01`, `${X}.3`));
      assert.ok(!isEarlierSiblingOf(`${X}.0`, `${X}.3`));
      assert.ok(!isEarlierSiblingOf(X, `${X}.3`));
    });

    it('memberIdsOf and directMemberIds return members in spec order', () => {
      const all = [`${X}.10`, `${X}.2.1`, X, `${X}.2`, '2026-01-25-00z-abc.1', `${X}.1`];
      assert.deepEqual(memberIdsOf(X, all), [`${X}.1`, `${X}.2`, `${X}.2.1`, `${X}.10`]);
      assert.deepEqual(directMemberIds(X, all), [`${X}.1`, `${X}.2`, `${X}.10`]);
      assert.deepEqual(directMemberIds(`${X}.2`, all), [`${X}.2.1`]);
    });
  });

  describe('shortSpecId', () => {
    it('drops the date and keeps member suffixes as written', () => {
      assert.equal(shortSpecId('2026-02-08-001-r4x'), '001-r4x');
      assert.equal(shortSpecId('2026-02-08-001-r4x.2'), '001-r4x.2');
      assert.equal(shortSpecId('2026-02-08-001-r4x.2.10'), '001-r4x.2.10');
      assert.equal(shortSpecId('2026-02-08-001-r4x.01'), '001-r4x.01');
      assert.equal(shortSpecId('2026-02-08-1000-r4x'), '1000-r4x');
    });

    it('returns odd and prefixed ids unchanged', () => {
      for (const id of ['001', 'foo', 'foo.2', '', 'auth-2026-02-08-001-r4x', 'backend:2026-02-08-001-r4x']) {
        assert.equal(shortSpecId(id), id);
      }
    });
  });

  describe('the real corpus', () => {
    const corpus = corpusDir;
    beforeEach(function () {
      requireCorpus(this);
    });

    function stems(dir: string): Array<{ file: string; stem: string }> {
      const out: Array<{ file: string; stem: string }> = [];
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) out.push(...stems(full));
        else if (entry.name.endsWith('.md')) out.push({ file: full, stem: entry.name.slice(0, -3) });
      }
      return out;
    }

    it('parses every file stem or reports it', () => {
      const all = stems(corpus);
      assert.ok(all.length > 0);
      const unparsed: string[] = [];
      for (const { file, stem } of all) {
        const p = parseSpecId(stem);
        if (!p) {
          // Not an error: chant takes any stem as an id. Generated-looking ids must parse, though.
          assert.ok(!isFullSpecId(stem), stem);
          unparsed.push(path.relative(corpus, file));
          continue;
        }
        assert.equal(format(p), stem);
        assert.equal(fromBase36(p.sequenceText), p.sequence);
        assert.equal(isFullSpecId(stem), p.repo === undefined && p.project === undefined);
        if (isFullSpecId(stem)) {
          assert.equal(shortSpecId(stem), stem.slice(11));
        }
        if (p.members.length > 0) {
          assert.equal(driverIdOf(stem), (p.project !== undefined ? `${p.project}-` : '') + p.base);
          assert.equal(memberNumber(stem), p.members[p.members.length - 1]);
        }
      }
      // Files under .chant/specs are what the extension lists; chant generated all of those.
      for (const { file, stem } of all) {
        if (file.includes(`${path.sep}.chant${path.sep}specs${path.sep}`)) {
          assert.ok(isFullSpecId(stem), `${stem} in .chant/specs`);
        }
      }
      // Reported, not failed: prompts, config, and history files renamed around an id.
      const embedding = unparsed.filter((name) => /\d{4}-\d{2}-\d{2}-[0-9a-z]{3,}-[0-9a-z]{3}(?:\.\d+)*\.md$/.test(name));
      const others = unparsed.filter((name) => !embedding.includes(name));
      console.log(`      corpus: ${all.length} stems, ${all.length - unparsed.length} parse, ${unparsed.length} do not:`);
      if (embedding.length > 0) {
        console.log(`        ${embedding.length} embed an id after a non-id prefix, e.g. ${embedding[0]}`);
      }
      for (const name of others) console.log(`        ${name}`);
    });

    it('sorts every stem deterministically', () => {
      const ids = [...new Set(stems(corpus).map((s) => s.stem))];
      const random = seededRandom(9);
      const first = shuffled(ids, random).sort(compareSpecIds);
      for (let round = 0; round < 5; round++) {
        assert.deepEqual(shuffled(ids, random).sort(compareSpecIds), first);
      }
      for (let i = 1; i < first.length; i++) {
        assert.ok(compareSpecIds(first[i - 1], first[i]) < 0, `${first[i - 1]} < ${first[i]}`);
      }
    });

    it('computes the next id for the captured workspace as chant would have', () => {
      const specs = path.join(corpus, 'workspace-2026-01-25', '.chant', 'specs');
      const names = fs.readdirSync(specs);
      const todays = names
        .filter((n) => n.startsWith('2026-01-25') && n.endsWith('.md'))
        .map((n) => parseSpecId(n.slice(0, -3))!.sequence);
      const expected = todays.length ? Math.max(...todays) + 1 : 1;
      const id = nextSpecId(names, JAN25, seededRandom(3));
      assert.equal(parseSpecId(id)!.sequence, expected);
      assert.ok(!names.includes(`${id}.md`));
    });
  });
});
