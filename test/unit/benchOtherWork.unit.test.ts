// The benchmark's "quiet machine" rule: the CPU time of the benchmark's own process tree (children
// included, once they end) is never counted as other work, and the publication verdict follows
// other work where it is known and the load average only where it is not.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { otherWorkCores, QUIET_OTHER_CORES, sampleCpu, ticksPerSecond } from '../../bench/otherWork';
import { publishable } from '../../bench/report';

describe('benchmark: work other than the benchmark', () => {
  it("counts a child process's CPU time as the benchmark's own, not as other work", function () {
    const before = sampleCpu();
    if (!before) this.skip(); // no /proc (not Linux)
    // A child that keeps one core busy for 400 ms, then ends and is reaped.
    execFileSync(process.execPath, ['-e', 'const end = Date.now() + 400; while (Date.now() < end);']);
    const after = sampleCpu()!;
    const ownSeconds = (after.ownTicks - before.ownTicks) / ticksPerSecond();
    assert.ok(ownSeconds >= 0.3, `the child's 0.4 s of CPU in the benchmark's own time (got ${ownSeconds} s)`);
    // The machine's busy ticks include the child's: other work is what is left, never negative.
    const other = otherWorkCores(before, after)!;
    assert.ok(other >= 0 && Number.isFinite(other), `other work ${other}`);
  });

  it('publishes by other work where it is known, by the load average where it is not', () => {
    const loadedByItself = { cpus: 2, loadStart: 0.8, loadEnd: 3.1, otherWorkCores: 0.1 };
    assert.equal(publishable(loadedByItself).publishable, true);
    const busyMachine = { ...loadedByItself, otherWorkCores: QUIET_OTHER_CORES + 0.2 };
    assert.equal(publishable(busyMachine).publishable, false);
    assert.match(publishable(busyMachine).why, /other than the benchmark/);
    assert.equal(publishable({ cpus: 2, loadStart: 0.8, loadEnd: 3.1 }).publishable, false);
    assert.equal(publishable({ cpus: 2, loadStart: 0.8, loadEnd: 1.5 }).publishable, true);
  });
});

