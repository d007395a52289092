// Entry point VS Code loads inside the extension host (`extensionTestsPath`). Both launchers use
// it: @vscode/test-electron with a desktop VS Code, and the code-server launcher (launch.ts), whose
// web workbench calls `run()` and reports its outcome through `codeAutomationExit`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import StatsReporter = require('./statsReporter');

/** test-results/ of the repository, unless the launcher says otherwise. */
export function resultsDir(): string {
  return process.env.CHANT_TEST_RESULTS_DIR ?? path.resolve(__dirname, '..', '..', '..', 'test-results');
}

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    // The extension host is shared by every test and a cold VS Code is slow on 2 cores.
    timeout: 30_000,
    color: false, // output reaches the launcher as console text, not a terminal
    reporter: StatsReporter,
    reporterOptions: { statsFile: path.join(resultsDir(), 'integration.json') },
  });
  const grep = process.env.CHANT_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const file of findTests(__dirname)) mocha.addFile(file);

  // The web workbench relays this process's console mixed with its own log lines; the code-server
  // launcher asks for a marker on mocha's report so it can print exactly that.
  const marker = process.env.CHANT_TEST_CONSOLE_MARKER;
  const restoreConsole = marker ? markConsole(marker) : () => undefined;
  let failures: number;
  try {
    failures = await new Promise<number>((resolve) => mocha.run(resolve));
  } finally {
    restoreConsole();
  }
  if (failures > 0) throw new Error(`${failures} integration test(s) failed.`);
}

function findTests(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.integration.test.js'))
    .sort()
    .map((file) => path.join(dir, file));
}

/**
 * Prefixes every line mocha's reporter prints. (The console itself cannot be patched here: the
 * extension host replaces console.log & co. with accessors that ignore assignment.)
 */
function markConsole(marker: string): () => void {
  const reporterLog = Mocha.reporters.Base.consoleLog;
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(marker + format(...args));
  return () => {
    Mocha.reporters.Base.consoleLog = reporterLog;
  };
}
