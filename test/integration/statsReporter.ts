// Mocha's spec reporter, plus a small JSON file with the run's counts. Every tier (unit in plain
// Node, integration inside the extension host, e2e driving a browser) uses it, so scripts/test.mjs
// can add the tiers up into one `N passed, N failed` line without parsing anyone's console output.
//
// Where the file goes: reporter option `statsFile` (unit: .mocharc.json `reporter-option`;
// programmatic runs: `reporterOptions`), relative paths against the working directory.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

interface TierStats {
  passes: number;
  failures: number;
  pending: number;
  tests: number;
  durationMs: number;
}

class StatsReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const statsFile = (options?.reporterOptions as { statsFile?: string } | undefined)?.statsFile;
    if (!statsFile) return;
    // Written at the start too: a run that crashes half-way must not leave a previous run's counts.
    write(statsFile, { passes: 0, failures: 0, pending: 0, tests: 0, durationMs: 0 });
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const stats = runner.stats;
      write(statsFile, {
        passes: stats?.passes ?? 0,
        failures: stats?.failures ?? 0,
        pending: stats?.pending ?? 0,
        tests: stats?.tests ?? 0,
        durationMs: stats?.duration ?? 0,
      });
    });
  }
}

function write(file: string, stats: TierStats): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(stats, null, 2)}\n`);
}

// Mocha loads reporters by path with require() and expects the constructor itself.
export = StatsReporter;
