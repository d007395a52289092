// Runs the e2e tier: mocha in plain Node, driving a real VS Code (code-server) in headless
// Chromium. One server and one browser serve every *.e2e.test.js file (root hooks below); each
// test group opens its own workbench page. Screenshots and logs go to test-results/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import StatsReporter = require('../integration/statsReporter');
import { startSession, stopSession } from './helpers';
import { RESULTS_DIR } from './workbench';

async function main(): Promise<number> {
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 120_000, // a cold workbench load on 2 cores takes a while
    color: Boolean(process.stdout.isTTY),
    reporter: StatsReporter,
    reporterOptions: { statsFile: path.join(RESULTS_DIR, 'e2e.json') },
    rootHooks: {
      async beforeAll(this: Mocha.Context) {
        this.timeout(10 * 60_000); // includes the code-server install on a first run
        await startSession();
      },
      async afterAll(this: Mocha.Context) {
        this.timeout(60_000);
        await stopSession();
      },
    },
  });
  const grep = process.env.CHANT_TEST_GREP;
  if (grep) mocha.grep(grep);
  const files = fs
    .readdirSync(__dirname)
    .filter((file) => file.endsWith('.e2e.test.js'))
    .sort();
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  return new Promise<number>((resolve) => mocha.run((failures) => resolve(failures > 0 ? 1 : 0)));
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    console.error(`[e2e] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await stopSession().catch(() => undefined);
    process.exitCode = 1;
  },
);
