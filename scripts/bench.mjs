#!/usr/bin/env node
// `npm run bench`: the benchmark suite (generated projects of 1k to 50k specs; floors, our cold
// index, incremental updates, heap, tree, graph, the graph panel's first draw in headless Chromium,
// bundle sizes, activation), printed as a table and written to BENCHMARKS.md with an SVG chart.
// Options: `--json` (print the JSON instead), `--sizes 1000,5000` (fewer sizes, BENCHMARKS.md
// untouched), `--smoke` (200 specs, one run, checks every field and exits non-zero on nonsense; for
// CI, which has Chromium: smoke fails without it, the full bench skips the draw with a note).
// The draw uses out/webviews/graph.js as `npm run build` left it; Chromium is /usr/bin/chromium or
// CHANT_CHROMIUM_PATH; the corpus is ../shared/corpus or CHANT_CORPUS (optional).
// `npm run bench -- --workspace DIR [--json]`: index DIR's .chant with the extension's own core and
// report counts and timings. `--rewrite`: BENCHMARKS.md again from the last run's test-results/bench.json,
// with the current notes and the activation and first-tree-items results the other tiers wrote since.
// The measuring code is TypeScript (bench/); it is bundled here with esbuild so the numbers come
// from the same code the extension ships.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { bundles, LAZY_CHUNKS } from '../esbuild.config.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const json = args.includes('--json');
const wsIndex = args.indexOf('--workspace');
const suiteMode = wsIndex < 0;

// Heap numbers need a collection before each reading: re-run with --expose-gc when it is missing.
if (suiteMode && typeof globalThis.gc !== 'function') {
  const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...args], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

const require = createRequire(import.meta.url);
async function bundle(entry, name, external = []) {
  const outfile = path.join(repo, 'out', 'bench', `${name}.js`);
  await esbuild.build({
    entryPoints: [path.join(repo, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external,
    logLevel: 'warning',
  });
  return require(outfile);
}

if (args.includes('--rewrite')) {
  await rewriteDoc();
} else if (args.includes('--runs')) {
  await runRunsMode();
} else if (args.includes('--ui')) {
  await runUiMode();
} else if (suiteMode) {
  await runSuiteMode();
} else {
  await runWorkspaceMode();
}

async function runWorkspaceMode() {
const workspace = path.resolve(args[wsIndex + 1] ? args[wsIndex + 1] : path.join(repo, 'examples', 'kvstore'));
const { benchWorkspace } = await bundle('bench/indexBench.ts', 'indexBench');

try {
  const result = await benchWorkspace(workspace);
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    const rows = [
      ['workspace', result.root],
      ['specs', result.specs],
      ['archived', result.archived],
      ['parse errors', result.parseErrors],
      ['rejected by chant', result.rejectedByChant],
      ['ready', result.ready],
      ['blocked', result.blocked],
      ['cycles', result.cycles],
      ['cold index (ms)', result.indexMs],
      ['warm open (ms)', `${result.warmIndexMs} (${result.warmRestored} restored from the saved index, ${result.warmParsed} parsed)`],
      ['saved index (KB)', `${Math.round(result.snapshotBytes / 1024)} (${result.snapshotFile})`],
      ['update one file (ms)', result.updateMs],
      ['heap (MB)', result.heapMB],
      ['by status', JSON.stringify(result.byStatus)],
      ['by type', JSON.stringify(result.byType)],
    ];
    for (const [k, v] of rows) console.log(`${String(k).padEnd(22)} ${v}`);
  }
} catch (error) {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
}

/** Optional modules other parts of the extension may not have yet; bundled only when present. */
function findLayoutModule() {
  const candidates = [];
  const core = path.join(repo, 'src', 'core', 'present');
  for (const f of readdirSync(core)) if (/^graphLayout.*\.ts$/.test(f)) candidates.push(path.join('src', 'core', 'present', f));
  const walk = (dir) => {
    if (!existsSync(path.join(repo, dir))) return;
    for (const entry of readdirSync(path.join(repo, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (/layout.*\.ts$/i.test(entry.name) && !entry.name.endsWith('.d.ts')) candidates.push(rel);
    }
  };
  walk(path.join('src', 'webviews'));
  return candidates[0];
}

/**
 * The production bundles, built into a temporary folder so `out/` (and anyone using it) is left
 * alone, with the options of `npm run build:prod` (esbuild.config.mjs's `bundles()`): the extension's
 * entry (what VS Code loads before activate()), the chunks it loads on first use, and the webviews.
 */
async function bundleSizes() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chant-bundle-'));
  try {
    const { extension, lazyChunks, webviews } = bundles({ production: true, outDir: dir, absWorkingDir: repo });
    const quiet = { logLevel: 'error' };
    await Promise.all([extension, ...lazyChunks, ...(webviews ? [webviews] : [])].map((config) => esbuild.build({ ...config, ...quiet })));
    const size = (file) => {
      const content = readFileSync(file);
      return { bytes: content.length, gzipBytes: gzipSync(content).length };
    };
    const ext = size(path.join(dir, 'extension.js'));
    const lazy = LAZY_CHUNKS.map((chunk) => ({ name: `out/${chunk.file}`, usedFor: chunk.usedFor, ...size(path.join(dir, chunk.file)) }));
    const apps = webviews ? webviews.entryPoints.map((entry) => path.basename(entry).replace(/\.ts$/, '.js')) : [];
    const views = apps.map((name) => ({ name, ...size(path.join(dir, 'webviews', name)) }));
    return { extensionBytes: ext.bytes, extensionGzipBytes: ext.gzipBytes, lazyChunks: lazy, webviews: views };
  } catch (error) {
    console.error(`bench: production build failed: ${error instanceof Error ? error.message : String(error)}`);
    return { webviews: [] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The commit measured, and whether src/ had uncommitted changes (the bench measures the working tree). */
function revision() {
  const git = (...a) => spawnSync('git', a, { cwd: repo, encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  if (head.status !== 0) return undefined;
  const dirty = git('status', '--porcelain', '--', 'src', 'scripts', 'package.json').stdout.trim().length > 0;
  return { commit: head.stdout.trim(), dirty };
}

/** A measurement another tier wrote into test-results/, when it has the field that makes it one. */
function readResult(name, field) {
  const file = path.join(repo, 'test-results', name);
  if (!existsSync(file)) return undefined;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8'));
    return typeof data[field] === 'number' ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Measures the heap of one index in a fresh `node --expose-gc` process. */
async function heapProbe() {
  await bundle('bench/heapProbe.ts', 'heapProbe');
  const probe = path.join(repo, 'out', 'bench', 'heapProbe.js');
  return async (root, snapshotDir) => {
    const script = `require(${JSON.stringify(probe)}).probeHeap(${JSON.stringify(root)}, ${JSON.stringify(snapshotDir)}).then((r) => process.stdout.write(JSON.stringify(r)), (e) => { console.error(e); process.exit(1); })`;
    const child = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`heap probe failed: ${child.stderr}`);
    return JSON.parse(child.stdout);
  };
}

/** Every field a consumer of `--json` relies on, with a sanity check; returns the failures. */
function checkReport(report) {
  const failures = [];
  const num = (where, value, min = 0, max = Infinity) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) failures.push(`${where} = ${value}`);
  };
  if (!Array.isArray(report.sizes) || report.sizes.length === 0) failures.push('sizes missing');
  for (const s of report.sizes ?? []) {
    num(`sizes[${s.size}].size`, s.size, 1);
    if (s.active + s.archived !== s.size) failures.push(`sizes[${s.size}]: active + archived != size`);
    for (const k of ['readFloorMs', 'yamlFloorMs', 'grayMatterMs', 'indexMs', 'warmIndexMs']) num(`sizes[${s.size}].${k}`, s[k], 0.001, 600000);
    num(`sizes[${s.size}].indexOverFloor`, s.indexOverFloor, 0.01, 1000);
    num(`sizes[${s.size}].warmOverFloor`, s.warmOverFloor, 0.01, 1000);
    num(`sizes[${s.size}].warmOverFloorCpu`, s.warmOverFloorCpu, 0.01, 1000);
    num(`sizes[${s.size}].snapshotBytes`, s.snapshotBytes, 100, 1e9);
    // Nothing changed between the save and the warm opens: every spec must come from the snapshot.
    if (s.warmRestored !== s.size) failures.push(`sizes[${s.size}]: warm open restored ${s.warmRestored} of ${s.size}`);
    num(`sizes[${s.size}].yamlOverIndex`, s.yamlOverIndex, 0.01, 1000);
    num(`sizes[${s.size}].indexOverFloorCpu`, s.indexOverFloorCpu, 0.01, 1000);
    num(`sizes[${s.size}].yamlOverIndexCpu`, s.yamlOverIndexCpu, 0.01, 1000);
    num(`sizes[${s.size}].fastPathShare`, s.fastPathShare, 0.5, 1);
  }
  const f = report.focus ?? {};
  for (const k of ['updateP50Ms', 'updateP99Ms', 'burstMs', 'treeMs']) num(`focus.${k}`, f[k], 0, 60000);
  if (f.updateP99Ms < f.updateP50Ms) failures.push('focus: p99 < p50');
  num('focus.heapRetainedMB', f.heapRetainedMB, -100, 4096);
  num('focus.heapUsedMB', f.heapUsedMB, 1, 4096);
  num('focus.heapWarmRetainedMB', f.heapWarmRetainedMB, -100, 4096);
  num('focus.treeRootItems', f.treeRootItems, 1);
  const g = report.graph ?? {};
  num('graph.nodes', g.nodes, 1);
  num('graph.buildMs', g.buildMs, 0, 60000);
  const d = report.draw ?? {};
  if (d.skipped) failures.push(`draw skipped: ${d.skipped}`);
  if (!Array.isArray(d.graphs) || !d.graphs.some((x) => x.name === 'generated')) failures.push('draw.graphs: no generated graph');
  num('draw.seconds', d.seconds, 0.1, 600);
  for (const x of d.graphs ?? []) {
    const at = `draw.${x.name}`;
    num(`${at}.nodes`, x.nodes, 1);
    num(`${at}.edges`, x.edges, 0);
    num(`${at}.messageMs`, x.messageMs, 0, 60000);
    num(`${at}.messageKB`, x.messageKB, 0.1);
    for (const [which, sample] of [['first', x.first], ['update', x.update]]) {
      const w = `${at}.${which}`;
      if (!sample) {
        failures.push(`${w} missing`);
        continue;
      }
      num(`${w}.firstDrawMs`, sample.firstDrawMs, 0.1, 120000);
      num(`${w}.handlerMs`, sample.handlerMs, 0.01, sample.firstDrawMs);
      num(`${w}.layoutMs`, sample.layoutMs, 0, sample.handlerMs + 1);
      num(`${w}.longestTaskMs`, sample.longestTaskMs, 0, 120000);
      num(`${w}.longestFrameMs`, sample.longestFrameMs, 0, 120000);
      // Every node and edge of the message must be in the SVG (the layout draws every edge it is given).
      if (sample.drawnNodes !== x.nodes) failures.push(`${w}: ${sample.drawnNodes} nodes drawn of ${x.nodes}`);
      if (sample.drawnEdges !== x.edges) failures.push(`${w}: ${sample.drawnEdges} edges drawn of ${x.edges}`);
    }
  }
  if (!Array.isArray(report.targets) || report.targets.length < 8) failures.push('targets missing');
  if (!report.bundles || typeof report.bundles.extensionBytes !== 'number' || report.bundles.extensionBytes < 1000) {
    failures.push('bundles.extensionBytes missing');
  }
  const chunks = report.bundles?.lazyChunks ?? [];
  if (chunks.length !== LAZY_CHUNKS.length || chunks.some((c) => !(c.bytes > 1000))) failures.push('bundles.lazyChunks missing');
  return failures;
}

function writeDoc(report, full) {
  const notesFile = path.join(repo, 'bench', 'notes.md');
  const notes = existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : '';
  writeFileSync(path.join(repo, 'benchmarks-index.svg'), report.chartSvg(full));
  // The Runs section comes from `--runs`, measured on its own: carried over as it is.
  const doc = path.join(repo, 'BENCHMARKS.md');
  const old = existsSync(doc) ? readFileSync(doc, 'utf8') : '';
  const runs = /<!-- runs-bench:start -->[\s\S]*<!-- runs-bench:end -->/.exec(old)?.[0];
  const ui = /<!-- ui-bench:start -->[\s\S]*<!-- ui-bench:end -->/.exec(old)?.[0];
  writeFileSync(doc, report.markdownReport(full, notes) + (ui ? `\n${ui}\n` : '') + (runs ? `\n${runs}\n` : ''));
  mkdirSync(path.join(repo, 'test-results'), { recursive: true });
  writeFileSync(path.join(repo, 'test-results', 'bench.json'), `${JSON.stringify(full, null, 2)}\n`);
}

/** `--runs`: the Runs view and live-log measurements (bench/runsBench.ts) into BENCHMARKS.md's Runs section. */
async function runRunsMode() {
  const { runRunsBench, runsSection, RUNS_START, RUNS_END } = await bundle('bench/runsBench.ts', 'runsBench');
  const smoke = args.includes('--smoke');
  const result = await runRunsBench({ agentScript: path.join(repo, 'test', 'agent', 'scriptedAgent.js'), seconds: smoke ? 2 : 10 });
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else console.log(runsSection(result));
  if (result.linesRead < result.linesPerSecond * result.seconds * 0.9) {
    console.error(`bench --runs: read ${result.linesRead} transcript lines of ${result.linesPerSecond * result.seconds}`);
    process.exit(1);
  }
  if (smoke) return;
  mkdirSync(path.join(repo, 'test-results'), { recursive: true });
  writeFileSync(path.join(repo, 'test-results', 'runs-bench.json'), `${JSON.stringify(result, null, 2)}\n`);
  const doc = path.join(repo, 'BENCHMARKS.md');
  const old = readFileSync(doc, 'utf8');
  const at = old.indexOf(RUNS_START);
  const end = old.indexOf(RUNS_END);
  const next = at >= 0 && end > at ? old.slice(0, at) + runsSection(result) + old.slice(end + RUNS_END.length) : `${old.trimEnd()}\n\n${runsSection(result)}\n`;
  writeFileSync(doc, next);
  console.log('wrote the Runs section of BENCHMARKS.md');
}

/**
 * `--ui`: click on the Chant icon → first Specs rows in code-server, 10,000 specs against a small
 * project (bench/uiBench.ts), into BENCHMARKS.md's UI section, marked not publishable when the load
 * exceeded the core count. `--ui --sizes 2000,200` for other sizes (BENCHMARKS.md untouched).
 */
async function runUiMode() {
  const { runUiBench, uiSection, UI_START, UI_END } = await bundle('bench/uiBench.ts', 'uiBench', ['playwright-core']);
  const chromiumPath = process.env.CHANT_CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) {
    console.error(`bench --ui: Chromium not found at ${chromiumPath} (apt-get install chromium, or set CHANT_CHROMIUM_PATH)`);
    process.exit(1);
  }
  const sizesArg = args.indexOf('--sizes');
  const [largeSpecs, smallSpecs] = sizesArg >= 0 ? args[sizesArg + 1].split(',').map(Number) : [10000, 631];
  mkdirSync(path.join(repo, 'test-results'), { recursive: true });
  const result = await runUiBench({ repo, chromiumPath, largeSpecs, smallSpecs, log: (m) => console.error(m) });
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else console.log(uiSection(result));
  writeFileSync(path.join(repo, 'test-results', 'ui-bench.json'), `${JSON.stringify(result, null, 2)}\n`);
  if (sizesArg >= 0) return;
  const doc = path.join(repo, 'BENCHMARKS.md');
  const old = readFileSync(doc, 'utf8');
  const at = old.indexOf(UI_START);
  const end = old.indexOf(UI_END);
  const next = at >= 0 && end > at ? old.slice(0, at) + uiSection(result) + old.slice(end + UI_END.length) : `${old.trimEnd()}\n\n${uiSection(result)}\n`;
  writeFileSync(doc, next);
  console.error(`wrote the UI section of BENCHMARKS.md${result.publishable ? '' : ' (marked not publishable: the machine was loaded)'}`);
}

async function rewriteDoc() {
  const report = await bundle('bench/report.ts', 'report');
  const last = JSON.parse(readFileSync(path.join(repo, 'test-results', 'bench.json'), 'utf8'));
  const activation = readResult('activation.json', 'activationMs') ?? last.activation;
  const firstItems = readResult('first-tree-items.json', 'warmMs') ?? last.firstItems;
  const full = { ...last, activation, firstItems, targets: report.verdicts(last, last.bundles, activation, firstItems) };
  writeDoc(report, full);
  console.log('wrote BENCHMARKS.md and benchmarks-index.svg from test-results/bench.json');
}

async function runSuiteMode() {
  const smoke = args.includes('--smoke');
  const sizesArg = args.indexOf('--sizes');
  const customSizes = sizesArg >= 0 ? args[sizesArg + 1].split(',').map(Number) : undefined;
  const sizes = smoke ? [200] : customSizes ?? [1000, 2000, 5000, 10000, 20000, 50000];
  const writeBenchmarks = !smoke && !customSizes && !args.includes('--no-write');
  const log = json ? (m) => console.error(m) : (m) => console.log(m);

  const { runSuite } = await bundle('bench/suite.ts', 'suite');
  const report = await bundle('bench/report.ts', 'report');
  const options = {
    sizes,
    focusSize: smoke ? 200 : sizes.includes(10000) ? 10000 : sizes[sizes.length - 1],
    graphSize: smoke ? 200 : sizes.includes(2000) ? 2000 : sizes[0],
    incrementalSamples: smoke ? 20 : 300,
    burstRuns: smoke ? 1 : 7,
    runs: smoke ? () => 1 : undefined,
    log,
    measureHeap: await heapProbe(),
    corpusDir: process.env.CHANT_CORPUS ?? path.resolve(repo, '..', 'shared', 'corpus'),
  };
  const drawBench = await bundle('bench/drawBench.ts', 'drawBench', ['playwright-core']);
  const chromiumPath = process.env.CHANT_CHROMIUM_PATH ?? '/usr/bin/chromium';
  const noChromium = drawBench.chromiumMissing(chromiumPath);
  if (noChromium && smoke) {
    // CI installs chromium (.ci/run), so a smoke run without it is a broken setup, not a skip.
    console.error(`bench:smoke: ${noChromium}; the graph draw measurement needs it.`);
    process.exit(1);
  }
  if (noChromium) {
    options.drawSkipped = noChromium;
    log(`bench: ${noChromium}: the graph draw is not measured`);
  } else {
    options.measureDraw = (inputs) => drawBench.measureDraw(inputs, { repo, chromiumPath, runs: smoke ? 1 : 5, log });
  }
  const grouping = path.join(repo, 'src', 'core', 'present', 'grouping.ts');
  const displayState = path.join(repo, 'src', 'core', 'present', 'displayState.ts');
  if (existsSync(grouping) && existsSync(displayState)) {
    try {
      const { buildTreeModel } = await bundle('src/core/present/grouping.ts', 'grouping');
      const { displayStateOf } = await bundle('src/core/present/displayState.ts', 'displayState');
      if (typeof buildTreeModel === 'function' && typeof displayStateOf === 'function') {
        options.grouping = { buildTreeModel, displayStateOf };
        options.groupingSource = 'buildTreeModel, src/core/present/grouping.ts';
      }
    } catch (error) {
      log(`bench: tree model not measurable: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const layoutFile = findLayoutModule();
  if (layoutFile) {
    try {
      const layout = await bundle(layoutFile, 'layout');
      if (typeof layout.layoutGraph === 'function' && typeof layout.nodeSize === 'function') {
        options.layout = layout;
        options.layoutSource = layoutFile;
      }
    } catch (error) {
      log(`bench: layout not measurable: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  let result;
  try {
    result = await runSuite(options);
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  }
  const bundles = await bundleSizes();
  const activation = readResult('activation.json', 'activationMs');
  const firstItems = readResult('first-tree-items.json', 'warmMs');
  const full = { ...result, revision: revision(), bundles, activation, firstItems, targets: report.verdicts(result, bundles, activation, firstItems) };

  if (json) process.stdout.write(`${JSON.stringify(full, null, 2)}\n`);
  else console.log(`\n${report.consoleReport(full)}`);

  if (smoke) {
    const failures = checkReport(full);
    if (failures.length > 0) {
      console.error(`bench:smoke failed:\n  ${failures.join('\n  ')}`);
      process.exit(1);
    }
    console.error(`bench:smoke ok (${full.totalSeconds} s)`);
    return;
  }
  if (writeBenchmarks) {
    writeDoc(report, full);
    log('wrote BENCHMARKS.md, benchmarks-index.svg and test-results/bench.json');
  }
}
