// A measurement, not a timed assertion: how long after our extension is activated the Specs tree
// shows its first items, for a generated 10,000-spec project in the real VS Code (code-server),
// opened cold (no saved index) and warm (from the index the previous window saved). The result goes
// to test-results/first-tree-items.json, which `npm run bench` puts into BENCHMARKS.md.
// Activation is the extension host's own log line ("ExtensionService#_doActivateExtension"), the
// first items the moment the browser first shows a row in the Specs pane; both clocks are this
// machine's. Select it with CHANT_TEST_GREP='first tree items'; the size with CHANT_FIRST_ITEMS_SPECS.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { generateProject } from '../../bench/generateProject';
import { openChantView, session, waitForWorkbench } from './helpers';
import { REPO_ROOT, RESULTS_DIR, codeServerScript, type CodeServer } from './workbench';

const SPECS = Number(process.env.CHANT_FIRST_ITEMS_SPECS ?? 10000);

/** Every file below `dir` whose name matches. */
function findFiles(dir: string, name: RegExp): string[] {
  const out: string[] = [];
  for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findFiles(full, name));
    else if (name.test(entry.name)) out.push(full);
  }
  return out;
}

/** Local-time log stamp "2026-12-05 10:12:00.123" as epoch milliseconds. */
function logTime(line: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3})/.exec(line);
  return m ? new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]).getTime() : undefined;
}

/** The times of log lines matching `pattern` in any of the server's logs, oldest first. */
function logTimes(userDataDir: string, file: RegExp, pattern: RegExp): { at: number; line: string }[] {
  const found: { at: number; line: string }[] = [];
  for (const log of findFiles(path.join(userDataDir, 'logs'), file)) {
    for (const line of fs.readFileSync(log, 'utf8').split('\n')) {
      const at = pattern.test(line) ? logTime(line) : undefined;
      if (at !== undefined) found.push({ at, line });
    }
  }
  return found.sort((a, b) => a.at - b.at);
}

// A measurement for BENCHMARKS.md, not a test: it takes minutes at 10,000 specs and its numbers mean
// nothing on a loaded machine, so it runs only when asked (CHANT_MEASURE_FIRST_ITEMS=1), e.g.
// `CHANT_MEASURE_FIRST_ITEMS=1 node scripts/test.mjs e2e`, then `node scripts/bench.mjs --rewrite`.
(process.env.CHANT_MEASURE_FIRST_ITEMS ? describe : (): void => undefined)('first tree items (measurement)', function () {
  this.timeout(15 * 60_000);
  let workDir: string;
  let server: CodeServer | undefined;

  before(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-first-items-'));
    generateProject(workDir, SPECS);
    const { startCodeServer } = await codeServerScript();
    server = await startCodeServer({ workspace: workDir, logFile: path.join(RESULTS_DIR, 'code-server-e2e-first-items.log') });
  });

  after(async () => {
    await server?.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  /**
   * Opens a window, waits for the first row of the Specs pane, and gives activation → that row, and
   * activation → our log's "Indexed …" line (the index ready; the rest is the tree and the workbench).
   */
  async function openAndMeasure(
    since: number,
  ): Promise<{ ms: number; indexedMs?: number; indexLine?: string; page: Page }> {
    const { workbenchUrl } = await codeServerScript();
    const page = await session().browser.context.newPage();
    await page.goto(workbenchUrl({ port: server!.port, folder: workDir, extensionDevelopmentPath: REPO_ROOT }));
    await waitForWorkbench(page);
    await openChantView(page);
    // Polled on every frame inside the page, so the moment is the first frame that shows a row.
    const shownAt = (await page
      .waitForFunction(
        () => {
          // The page's DOM, typed loosely: the test project compiles without the DOM library.
          interface Element {
            querySelector(selector: string): Element | null;
            querySelectorAll(selector: string): ArrayLike<Element>;
          }
          const doc = (globalThis as unknown as { document: Element }).document;
          const pane = Array.from(doc.querySelectorAll('.part.sidebar .pane')).find((p) =>
            p.querySelector('.pane-header[aria-label^="Specs"]'),
          );
          return pane && pane.querySelectorAll('.monaco-list-row').length > 0 ? Date.now() : false;
        },
        undefined,
        { polling: 'raf', timeout: 300_000 },
      )
      .then((handle) => handle.jsonValue())) as number;
    const activations = logTimes(server!.userDataDir, /\.log$/, /_doActivateExtension chant-vscode\.chant/).filter(
      (a) => a.at >= since,
    );
    assert.ok(activations.length > 0, 'the extension host logged our activation');
    const activatedAt = activations[activations.length - 1].at;
    const indexed = logTimes(server!.userDataDir, /\.log$/, /Indexed \d+ chant project/).filter(
      (l) => l.at >= activatedAt,
    )[0];
    return {
      ms: shownAt - activatedAt,
      indexedMs: indexed && indexed.at - activatedAt,
      indexLine: indexed?.line.replace(/^.*?Indexed/, 'Indexed'),
      page,
    };
  }

  it(`records activation → first Specs items for ${SPECS} specs, cold and warm`, async () => {
    // 1. Cold: no saved index yet. The Chant view is opened by a click here, and the workbench
    //    remembers it for the next windows, which then show it from the start.
    let since = Date.now();
    const first = await openAndMeasure(since);
    const snapshots = (): string[] => findFiles(path.join(server!.userDataDir, 'User', 'workspaceStorage'), /\.chantidx$/);
    const deadline = Date.now() + 60_000;
    while (snapshots().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(snapshots().length > 0, 'the window saved its index in the workspace storage');
    await first.page.close();

    // 2. Warm: the view is open from the start and the index comes from the snapshot.
    since = Date.now();
    const warm = await openAndMeasure(since);
    await warm.page.close();
    const restored = logTimes(server!.userDataDir, /\.log$/, /restored from the saved index/).filter((l) => l.at >= since);
    assert.ok(restored.some((l) => !/\(0 restored/.test(l.line)), `the warm window used the saved index: ${restored.map((l) => l.line).join(' | ')}`);

    // 3. Cold again, the view open from the start: the saved index removed first.
    for (const file of snapshots()) fs.rmSync(file);
    since = Date.now();
    const cold = await openAndMeasure(since);
    await cold.page.close();

    const result = {
      specs: SPECS,
      coldMs: cold.ms,
      warmMs: warm.ms,
      coldIndexedMs: cold.indexedMs,
      warmIndexedMs: warm.indexedMs,
      coldIndexLine: cold.indexLine,
      warmIndexLine: warm.indexLine,
      firstWindowMs: first.ms,
      source: 'e2e tier, code-server 1.100 (development build), test/e2e/firstTreeItems.e2e.test.ts',
      measuredAt: new Date().toISOString(),
      loadAverage: os.loadavg()[0],
    };
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(RESULTS_DIR, 'first-tree-items.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`  [first tree items] ${JSON.stringify(result)}`);
  });
});
