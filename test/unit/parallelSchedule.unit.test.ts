// Overlap scheduling for parallel work: the overlap test on paths, folders and globs (checked
// against a real glob matcher), and simulated batches with random targets and random finish order.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { seededRandom } from '../../bench/generateProject';
import { nextToStart, targetsOverlap, type BatchItem } from '../../src/core/runs/parallelSchedule';

const POOL = [
  'src/a.ts', 'src/b.ts', 'src/lib/c.ts', 'src/lib', 'docs/readme.md', 'docs', '.chant/research/x.md', '.chant/research/y.md',
  'src/**/*.ts', 'docs/*.md', '*.md', 'test/t.ts', 'test', 'src/lib/*.ts', 'README.md', './src/a.ts', 'src/lib/', 'https://example.com/a.ts',
];

describe('parallel schedule: overlap', () => {
  it('same path, folder and file, globs by their static prefix; URLs and empty lists never overlap', () => {
    assert.equal(targetsOverlap(['src/a.ts'], ['src/a.ts']), true);
    assert.equal(targetsOverlap(['./src/a.ts'], ['src//a.ts']), true);
    assert.equal(targetsOverlap(['src/x/../a.ts'], ['src/a.ts']), true);
    assert.equal(targetsOverlap(['src/a.ts'], ['src/b.ts']), false);
    assert.equal(targetsOverlap(['src'], ['src/deep/a.ts']), true);
    assert.equal(targetsOverlap(['src/deep/a.ts'], ['src/']), true);
    assert.equal(targetsOverlap(['src/a'], ['src/ab.ts']), false, 'a prefix of the name is not a folder');
    assert.equal(targetsOverlap(['src/**/*.ts'], ['src/lib/c.ts']), true);
    assert.equal(targetsOverlap(['src/**/*.ts'], ['docs/a.md']), false);
    assert.equal(targetsOverlap(['src/lib/*.ts'], ['src/*.ts']), true, 'two globs with related prefixes');
    assert.equal(targetsOverlap(['src/lib/*.ts'], ['test/*.ts']), false);
    assert.equal(targetsOverlap(['*.md'], ['src/a.ts']), true, 'a glob at the root may match anything (conservative)');
    assert.equal(targetsOverlap(['Src/A.ts'], ['src/a.ts']), true, 'case-insensitive file systems');
    assert.equal(targetsOverlap(['https://example.com/a'], ['https://example.com/a']), false);
    assert.equal(targetsOverlap([], ['src/a.ts']), false);
    assert.equal(targetsOverlap(['src/a.ts', 'docs/x.md'], ['test/t.ts', 'docs']), true);
  });

  it('never misses an overlap a real glob matcher finds (every sample file against every pair of patterns)', () => {
    const matches = (path.posix as unknown as { matchesGlob?: (p: string, g: string) => boolean }).matchesGlob;
    assert.ok(matches, 'this Node has path.matchesGlob');
    const files = ['src/a.ts', 'src/lib/c.ts', 'src/lib/deep/d.ts', 'docs/readme.md', 'README.md', 'test/t.ts', '.chant/research/x.md', 'a.md'];
    const patterns = POOL.filter((p) => !p.startsWith('http'));
    const under = (file: string, target: string): boolean => {
      const t = target.replace(/^\.\//, '').replace(/\/$/, '');
      return /[*?[{]/.test(t) ? matches.call(path.posix, file, t) : file === t || file.startsWith(`${t}/`);
    };
    for (const a of patterns) {
      for (const b of patterns) {
        const shared = files.some((f) => under(f, a) && under(f, b));
        if (shared) assert.equal(targetsOverlap([a], [b]), true, `${a} and ${b} share a file`);
      }
    }
  });
});

describe('parallel schedule: batches', () => {
  it('starts in queue order up to the limit; an overlapping item waits for the earlier one', () => {
    const queue: BatchItem[] = [
      { id: 'a', targetFiles: ['src/a.ts'] },
      { id: 'b', targetFiles: ['src/a.ts'] },
      { id: 'c', targetFiles: ['docs/x.md'] },
      { id: 'd', targetFiles: ['test/t.ts'] },
    ];
    const first = nextToStart(queue, [], 2);
    assert.deepEqual(first.start, ['a', 'c']);
    assert.deepEqual([...first.waits], [['b', 'a']]);
    const second = nextToStart([queue[1], queue[3]], [queue[0], queue[2]], 2);
    assert.deepEqual(second.start, []);
    assert.deepEqual([...second.waits], [['b', 'a']], 'd waits for a slot only, so it is not listed');
    const third = nextToStart([queue[1], queue[3]], [queue[2]], 2);
    assert.deepEqual(third.start, ['b']);
    assert.deepEqual(nextToStart([], [], 2), { start: [], waits: new Map() });
    assert.deepEqual(nextToStart(queue, [], 0).start, ['a'], 'a limit below 1 means 1');
  });

  it('random batches: no overlap ever runs concurrently, the limit holds, order is kept where possible, everything runs once', () => {
    for (let seed = 1; seed <= 250; seed++) {
      const rand = seededRandom(seed); // seeded, so a failing case can be replayed from its seed
      const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
      const size = 1 + Math.floor(rand() * 12);
      const limit = 1 + Math.floor(rand() * 4);
      const items: BatchItem[] = Array.from({ length: size }, (_, i) => ({
        id: `s${i}`,
        targetFiles: Array.from({ length: Math.floor(rand() * 3) }, () => pick(POOL)),
      }));
      const order = new Map(items.map((item, i) => [item.id, i]));
      let queue = [...items];
      let running: BatchItem[] = [];
      const started: string[] = [];
      let steps = 0;
      while (queue.length > 0 || running.length > 0) {
        assert.ok(++steps < 1000, `seed ${seed}: no progress`);
        const step = nextToStart(queue, running, limit);
        const context = `seed ${seed}, queue ${queue.map((q) => q.id)}, running ${running.map((r) => r.id)}, start ${step.start}`;
        for (const id of step.start) assert.ok(!step.waits.has(id), context);
        // Order: an earlier queued item left behind must be waiting for an overlap.
        const last = Math.max(-1, ...step.start.map((id) => queue.findIndex((q) => q.id === id)));
        for (const earlier of queue.slice(0, last)) if (!step.start.includes(earlier.id)) assert.ok(step.waits.has(earlier.id), `${context}: ${earlier.id} overtaken`);
        // Start order follows queue order.
        assert.deepEqual(step.start, [...step.start].sort((x, y) => order.get(x)! - order.get(y)!), context);
        const starting = queue.filter((q) => step.start.includes(q.id));
        queue = queue.filter((q) => !step.start.includes(q.id));
        running = [...running, ...starting];
        started.push(...step.start);
        assert.ok(running.length <= limit, `${context}: ${running.length} running, limit ${limit}`);
        for (let i = 0; i < running.length; i++) {
          for (let j = i + 1; j < running.length; j++) {
            assert.ok(!targetsOverlap(running[i].targetFiles, running[j].targetFiles), `${context}: ${running[i].id} and ${running[j].id} overlap`);
          }
        }
        // Every wait names a running item or an earlier queued one, and they do overlap.
        for (const [waiting, on] of step.waits) {
          const blocker = running.find((r) => r.id === on) ?? queue.find((q) => q.id === on);
          assert.ok(blocker && (running.includes(blocker) || order.get(on)! < order.get(waiting)!), `${context}: ${waiting} waits for ${on}`);
          assert.ok(targetsOverlap(items[order.get(waiting)!].targetFiles, blocker.targetFiles), context);
        }
        // A free slot is never left idle when some queued item could start.
        if (running.length < limit) {
          const again = nextToStart(queue, running, limit);
          assert.deepEqual(again.start, [], `${context}: could still start ${again.start}`);
        }
        if (running.length > 0) {
          const done = Math.floor(rand() * running.length);
          running = running.filter((_, i) => i !== done);
        }
      }
      assert.deepEqual([...started].sort(), items.map((i) => i.id).sort(), `seed ${seed}: every item ran once`);
      // Items that overlap run in queue order.
      for (const a of items) {
        for (const b of items) {
          if (order.get(a.id)! < order.get(b.id)! && targetsOverlap(a.targetFiles, b.targetFiles)) {
            assert.ok(started.indexOf(a.id) < started.indexOf(b.id), `seed ${seed}: ${b.id} ran before the overlapping ${a.id}`);
          }
        }
      }
    }
  });
});
