// Turns a suite result into the console table, the target verdicts and BENCHMARKS.md with a
// hand-written SVG chart (no charting dependency).
import { QUIET_OTHER_CORES } from './otherWork';
import type { GraphDrawResult } from './drawBench';
import type { SuiteResult } from './suite';

export interface BundleSizes {
  /** out/extension.js: what VS Code reads and runs before it calls activate(). */
  extensionBytes?: number;
  extensionGzipBytes?: number;
  /** The files out/extension.js requires on first use (esbuild.config.mjs's LAZY_CHUNKS), absent in older reports. */
  lazyChunks?: { name: string; usedFor: string; bytes: number; gzipBytes: number }[];
  webviews: { name: string; bytes: number; gzipBytes: number }[];
}

export interface Activation {
  /** Code loading plus the `activate()` call: what VS Code's "Show Running Extensions" shows. */
  activationMs: number;
  codeLoadingMs?: number;
  /** The `activate()` call (the host's marks around it). */
  activateCallMs?: number;
  /** From loading our code to "activated", host work included. */
  spanMs?: number;
  /** Between loading our code and calling activate(): the host building the ExtensionContext. */
  hostContextMs?: number;
  source?: string;
  measuredAt?: string;
}

/** Activation to the Specs tree's first items in the real VS Code (the e2e tier writes it). */
export interface FirstItems {
  specs: number;
  coldMs: number;
  warmMs: number;
  /** Activation to our log's "Indexed …" line, when the run recorded it. */
  coldIndexedMs?: number;
  warmIndexedMs?: number;
  /** Extension-host heap after the warm open, when the host reported it. */
  heapMB?: number;
  /** 1-minute load average when it was measured: the machine is shared. */
  loadAverage?: number;
  source?: string;
  measuredAt?: string;
}

export interface FullReport extends SuiteResult {
  revision?: { commit: string; dirty: boolean };
  bundles: BundleSizes;
  activation?: Activation;
  firstItems?: FirstItems;
  targets: TargetVerdict[];
}

export interface TargetVerdict {
  name: string;
  target: string;
  measured: string;
  /** undefined when it could not be measured. */
  met?: boolean;
}

const FOCUS = 10000;
/** Whole-project graph, from the host building the message to the first frame drawn. */
const FIRST_DRAW_MS = 1500;
/**
 * The longest stretch the webview's main thread is busy at once (a task plus the frame it renders),
 * on the first draw and on a live update. Web Vitals rate an interaction whose next frame takes more
 * than 500 ms as poor (INP); a live update lands while the user may be panning or hovering, and
 * input that arrives during the draw waits for all of it.
 */
const BLOCK_MS = 500;

/** The longest main-thread block of a graph's first draw and live update. */
export function blockMs(d: GraphDrawResult): number {
  return Math.max(d.first.longestTaskMs, d.first.longestFrameMs, d.update.longestTaskMs, d.update.longestFrameMs);
}

function drawVerdicts(result: SuiteResult): TargetVerdict[] {
  const draw = result.draw;
  const g = result.graph;
  const v: TargetVerdict[] = [];
  const graphs: Array<{ name: string; title: string; nodes?: number }> = [
    { name: 'generated', title: 'graph, whole project', nodes: g.nodes },
    { name: 'corpus', title: 'graph, corpus snapshot (whole project)' },
  ];
  for (const { name, title, nodes } of graphs) {
    const d = draw.graphs?.find((x) => x.name === name);
    const why = draw.skipped ?? (name === 'corpus' ? draw.notes.find((n) => n.startsWith('corpus')) : undefined) ?? 'not measured';
    const size = d ? `${d.nodes} nodes, ${d.edges} edges` : nodes === undefined ? '' : `${nodes} nodes`;
    if (!d && name === 'generated' && g.layoutMs !== undefined) {
      v.push({
        name: `${title} (${size}): build, layout and first draw`,
        target: `< ${FIRST_DRAW_MS / 1000} s`,
        measured: `build ${g.buildMs} + layout ${g.layoutMs} ms in Node; first draw not measured (${why})`,
        met: undefined,
      });
    } else {
      v.push({
        name: `${title}${size ? ` (${size})` : ''}: build, layout and first draw`,
        target: `< ${FIRST_DRAW_MS / 1000} s`,
        measured: d
          ? `${round(d.messageMs + d.first.firstDrawMs)} ms (message ${d.messageMs} ms in the host + first draw ${d.first.firstDrawMs} ms in Chromium, of which layout ${d.first.layoutMs} ms; worst run ${d.worstFirstDrawMs} ms)`
          : `not measured (${why})`,
        met: d ? d.messageMs + d.first.firstDrawMs < FIRST_DRAW_MS : undefined,
      });
    }
    v.push({
      name: `${title}${size ? ` (${size})` : ''}: longest main-thread block, first draw or live update`,
      target: `< ${BLOCK_MS} ms (no freeze)`,
      measured: d
        ? `${round(blockMs(d))} ms (first draw: task ${d.first.longestTaskMs}, frame ${d.first.longestFrameMs}; live update: task ${d.update.longestTaskMs}, frame ${d.update.longestFrameMs}; worst run ${d.worstBlockMs} ms)`
        : `not measured (${why})`,
      met: d ? blockMs(d) < BLOCK_MS : undefined,
    });
  }
  return v;
}

export function verdicts(result: SuiteResult, bundles: BundleSizes, activation?: Activation, firstItems?: FirstItems): TargetVerdict[] {
  const atFocus = result.sizes.find((s) => s.size === FOCUS) ?? result.sizes[result.sizes.length - 1];
  const f = result.focus;
  const g = result.graph;
  const v: TargetVerdict[] = [];
  if (atFocus) {
    v.push({
      name: `cold index, ${atFocus.size} specs`,
      target: '≤ 2 × read floor (stretch 1.5 ×)',
      measured: `${atFocus.indexMs} ms = ${atFocus.indexOverFloor} × floor (${atFocus.readFloorMs} ms); CPU time ${atFocus.indexOverFloorCpu} ×`,
      met: atFocus.indexOverFloor <= 2,
    });
    v.push({
      name: `warm open from the saved index, ${atFocus.size} specs`,
      target: '≤ 1.0 × read floor (stretch 0.5 ×)',
      measured:
        `${atFocus.warmIndexMs} ms = ${atFocus.warmOverFloor} × floor; CPU time ${atFocus.warmOverFloorCpu} ×; ` +
        `${atFocus.warmRestored} of ${atFocus.size} restored`,
      met: atFocus.warmOverFloor <= 1,
    });
    v.push({
      name: `saved index size, ${atFocus.size} specs`,
      target: '< 5 MB',
      measured: `${round(atFocus.snapshotBytes / 2 ** 20)} MB`,
      met: atFocus.snapshotBytes < 5 * 2 ** 20,
    });
    v.push({
      name: `cold index vs yaml floor, ${atFocus.size} specs`,
      target: 'several times faster (≥ 3 ×)',
      measured: `yaml floor ${atFocus.yamlFloorMs} ms = ${atFocus.yamlOverIndex} × ours; CPU time ${atFocus.yamlOverIndexCpu} ×`,
      met: atFocus.yamlOverIndex >= 3,
    });
  }
  v.push({ name: `incremental update p50, ${f.size} specs`, target: '< 2 ms', measured: `${f.updateP50Ms} ms`, met: f.updateP50Ms < 2 });
  v.push({
    name: `incremental update p99, ${f.size} specs`,
    target: '< 10 ms',
    measured: `${f.updateP99Ms} ms (CPU time p99 ${f.updateCpuP99Ms} ms)`,
    met: f.updateP99Ms < 10,
  });
  v.push({
    name: `burst of ${f.burstFiles} files + one tree refresh`,
    target: '< 100 ms',
    measured: `${f.burstMs} ms (updates ${f.burstUpdateMs} ms + tree ${round(f.burstMs - f.burstUpdateMs)} ms${f.burstNarrow !== undefined ? `; only the touched rows repainted after ${f.burstNarrow} of the bursts` : ''})`,
    met: f.burstMs < 100,
  });
  v.push({
    name: `heap retained by the index, ${f.size} specs`,
    target: '< 60 MB',
    measured:
      `cold ${f.heapRetainedMB} MB (process ${f.heapUsedMB} MB; ${f.heapSource})` +
      (f.heapWarmRetainedMB === undefined ? '' : `; opened from the saved index ${f.heapWarmRetainedMB} MB`),
    met: f.heapRetainedMB < 60 && (f.heapWarmRetainedMB ?? 0) < 60,
  });
  v.push({
    name: `first Specs tree items after activation in VS Code (code-server), ${firstItems?.specs ?? FOCUS} specs`,
    target: '≤ 300 ms, cold or warm',
    measured: firstItems
      ? `cold ${firstItems.coldMs} ms, warm ${firstItems.warmMs} ms` +
        (firstItems.coldIndexedMs === undefined ? '' : ` (index ready after ${firstItems.coldIndexedMs} / ${firstItems.warmIndexedMs} ms)`) +
        (firstItems.heapMB === undefined ? '' : `; extension-host heap ${firstItems.heapMB} MB`) +
        (firstItems.loadAverage === undefined ? '' : `; load average ${round(firstItems.loadAverage)} while measured`) +
        ` (${firstItems.source ?? 'e2e tier'}, ${firstItems.measuredAt ?? 'undated'})`
      : 'no test-results/first-tree-items.json (run the e2e suite "first tree items")',
    met: firstItems ? Math.max(firstItems.coldMs, firstItems.warmMs) <= 300 : undefined,
  });
  v.push({
    name: `tree root + a phase's children, ${f.size} specs`,
    target: 'first items < 500 ms',
    measured: `${f.treeMs} ms (${f.treeRootItems} root items, ${f.treePhaseChildren} children)`,
    met: f.treeMs < 500,
  });
  v.push(...drawVerdicts(result));
  v.push({
    name: `graph, one investigation (${g.investigationNodes} nodes)`,
    target: '< 100 ms',
    measured:
      g.investigationLayoutMs === undefined
        ? `not measurable (build only: ${g.investigationBuildMs} ms)`
        : `${round(g.investigationBuildMs + g.investigationLayoutMs)} ms (build ${g.investigationBuildMs} + layout ${g.investigationLayoutMs})`,
    met: g.investigationLayoutMs === undefined ? undefined : g.investigationBuildMs + g.investigationLayoutMs < 100,
  });
  v.push({
    name: 'out/extension.js (minified)',
    target: '< 600 KB',
    measured:
      bundles.extensionBytes === undefined
        ? 'not built'
        : `${kb(bundles.extensionBytes)} KB (${kb(bundles.extensionGzipBytes ?? 0)} KB gzip)${lazyNote(bundles)}`,
    met: bundles.extensionBytes === undefined ? undefined : bundles.extensionBytes < 600 * 1024,
  });
  v.push({
    name: 'activate() in the extension host',
    target: '< 50 ms',
    measured: activation ? describeActivation(activation) : 'no test-results/activation.json (run the integration tier)',
    met: activation ? activation.activationMs < 50 : undefined,
  });
  return v;
}

function describeActivation(a: Activation): string {
  const parts =
    a.codeLoadingMs !== undefined
      ? `${a.activationMs} ms = loading the code ${a.codeLoadingMs} ms + activate() ${a.activateCallMs ?? '?'} ms, as VS Code's Running Extensions counts it`
      : `${a.activationMs} ms`;
  const span = a.spanMs !== undefined ? `; whole span ${a.spanMs} ms, ${a.hostContextMs ?? '?'} ms of it the host preparing the ExtensionContext` : '';
  return `${parts}${span} (${a.source ?? 'integration tier'}, ${a.measuredAt ?? 'undated'})`;
}

/** The entry's size says what activation loads; the chunks it loads later are named beside it, not hidden. */
function lazyNote(bundles: BundleSizes): string {
  const chunks = bundles.lazyChunks ?? [];
  if (chunks.length === 0) return '';
  const total = chunks.reduce((sum, c) => sum + c.bytes, 0);
  return `; ${kb(total)} KB more loaded on first use (${chunks.map((c) => `${c.name} ${kb(c.bytes)} KB`).join(', ')})`;
}

function kb(bytes: number): number {
  return Math.round((bytes / 1024) * 10) / 10;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function mark(met: boolean | undefined): string {
  return met === undefined ? 'n/a' : met ? 'met' : 'MISSED';
}

export function sizeTable(result: SuiteResult): string[][] {
  const rows = [['specs', 'active', 'archived', 'runs', 'read floor', 'yaml floor', 'gray-matter', 'ours (cold)', 'ours / floor', 'ours (warm)', 'warm / floor', 'yaml / ours', 'CPU: ours / floor', 'CPU: warm / floor', 'CPU: yaml / ours', 'saved index', 'fast path']];
  for (const s of result.sizes) {
    rows.push([
      String(s.size),
      String(s.active),
      String(s.archived),
      String(s.runs),
      `${s.readFloorMs} ms`,
      `${s.yamlFloorMs} ms`,
      `${s.grayMatterMs} ms`,
      `${s.indexMs} ms`,
      `${s.indexOverFloor} ×`,
      `${s.warmIndexMs} ms`,
      `${s.warmOverFloor} ×`,
      `${s.yamlOverIndex} ×`,
      `${s.indexOverFloorCpu} ×`,
      `${s.warmOverFloorCpu} ×`,
      `${s.yamlOverIndexCpu} ×`,
      `${kb(s.snapshotBytes)} KB`,
      `${Math.round(s.fastPathShare * 1000) / 10} %`,
    ]);
  }
  return rows;
}

export function consoleTable(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}

function markdownTable(rows: string[][]): string {
  const [head, ...body] = rows;
  return [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function consoleReport(report: FullReport): string {
  const lines = [consoleTable(sizeTable(report)), ''];
  lines.push(consoleTable([['target', 'goal', 'measured', ''], ...report.targets.map((t) => [t.name, t.target, t.measured, mark(t.met)])]));
  lines.push('', `load average ${report.machine.loadStart} → ${report.machine.loadEnd}; total ${report.totalSeconds} s on ${report.machine.cpus} × ${report.machine.cpuModel}, node ${report.machine.node}`);
  return lines.join('\n');
}

/** Index time against project size, ours and the floors, on log-log axes. */
export function chartSvg(result: SuiteResult): string {
  const width = 720;
  const height = 420;
  const m = { left: 70, right: 170, top: 30, bottom: 50 };
  const sizes = result.sizes.map((s) => s.size);
  const series = [
    { name: 'read floor', color: '#7f7f7f', dash: '4 3', values: result.sizes.map((s) => s.readFloorMs) },
    { name: 'yaml floor', color: '#d62728', dash: '', values: result.sizes.map((s) => s.yamlFloorMs) },
    { name: 'gray-matter', color: '#ff7f0e', dash: '', values: result.sizes.map((s) => s.grayMatterMs) },
    { name: 'ours (cold index)', color: '#1f77b4', dash: '', values: result.sizes.map((s) => s.indexMs) },
    { name: 'ours (warm, saved index)', color: '#2ca02c', dash: '', values: result.sizes.map((s) => s.warmIndexMs) },
  ];
  const all = series.flatMap((s) => s.values).filter((v) => v > 0);
  const log = Math.log10;
  const xMin = log(Math.min(...sizes));
  const xMax = log(Math.max(...sizes));
  const yMin = Math.floor(log(Math.min(...all)));
  const yMax = Math.ceil(log(Math.max(...all)));
  const x = (size: number): number => m.left + ((log(size) - xMin) / (xMax - xMin || 1)) * (width - m.left - m.right);
  const y = (ms: number): number => height - m.bottom - ((log(ms) - yMin) / (yMax - yMin || 1)) * (height - m.top - m.bottom);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${m.left}" y="18" font-size="14" font-weight="bold">Index time against project size, cold and warm (log-log, median of runs)</text>`);
  for (let p = yMin; p <= yMax; p++) {
    const ms = 10 ** p;
    const yy = y(ms).toFixed(1);
    out.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${yy}" y2="${yy}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${m.left - 8}" y="${yy}" text-anchor="end" dominant-baseline="middle">${ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`}</text>`);
  }
  for (const size of sizes) {
    const xx = x(size).toFixed(1);
    out.push(`<line x1="${xx}" x2="${xx}" y1="${m.top}" y2="${height - m.bottom}" stroke="#f0f0f0"/>`);
    out.push(`<text x="${xx}" y="${height - m.bottom + 18}" text-anchor="middle">${size >= 1000 ? `${size / 1000}k` : size}</text>`);
  }
  out.push(`<text x="${(m.left + width - m.right) / 2}" y="${height - 10}" text-anchor="middle">spec files in the project</text>`);
  out.push(`<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${height - m.bottom}" stroke="#333"/>`);
  out.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${height - m.bottom}" y2="${height - m.bottom}" stroke="#333"/>`);
  series.forEach((s, i) => {
    const points = s.values.map((v, j) => `${x(sizes[j]).toFixed(1)},${y(Math.max(v, 10 ** yMin)).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${points}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    for (const pt of points.split(' ')) {
      const [px, py] = pt.split(',');
      out.push(`<circle cx="${px}" cy="${py}" r="3" fill="${s.color}"/>`);
    }
    const ly = m.top + 20 + i * 20;
    out.push(`<line x1="${width - m.right + 15}" x2="${width - m.right + 40}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    out.push(`<text x="${width - m.right + 46}" y="${ly}" dominant-baseline="middle">${s.name}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function drawSection(report: FullReport): string[] {
  const draw = report.draw;
  const lines = ['## Graph panel: first draw in Chromium', ''];
  if (draw.skipped) return [...lines, `Not measured in this run: ${draw.skipped}.`, ''];
  const graphs = draw.graphs ?? [];
  const rows = [['graph', 'nodes', 'edges', 'message in the host', 'first draw', 'handler', 'layout', 'longest task', 'longest frame (rendering)', 'live update', 'update: longest frame', 'edge crossings', 'smallest label on opening']];
  for (const d of graphs) {
    rows.push([
      d.label,
      String(d.nodes),
      String(d.edges),
      `${d.messageMs} ms, ${d.messageKB} KB`,
      `${d.first.firstDrawMs} ms`,
      `${d.first.handlerMs} ms`,
      `${d.first.layoutMs} ms`,
      `${d.first.longestTaskMs} ms`,
      `${d.first.longestFrameMs} ms (${d.first.frameStyleLayoutMs} ms)`,
      `${d.update.firstDrawMs} ms`,
      `${d.update.longestFrameMs} ms`,
      d.crossings === undefined ? 'n/a' : String(d.crossings),
      d.first.smallestLabelPx === undefined ? 'n/a' : `${d.first.smallestLabelPx} px`,
    ]);
  }
  lines.push(
    `${draw.browser}, ${draw.viewport?.width}×${draw.viewport?.height}, drawing \`${draw.bundle}\` (built ${draw.bundleBuiltAt}` +
      `${draw.staleBundle ? `; stale: ${draw.staleBundle}` : ''}) behind the webview's CSP, with its css and codicons and a dark theme's ` +
      '`--vscode-*` variables. Each graph is posted as the panel\'s `graph` message (built by `graphMessageFor`, the ' +
      'host\'s `buildGraphView` and `scopeChoices`) to a freshly loaded page, then posted again with `keepViewport` (a live update). ' +
      '**first draw**: from `postMessage` to the end of the first frame rendered with the whole drawing (a big graph is drawn ' +
      'in steps over several frames, the SVG `aria-busy` until it is whole; requestAnimationFrame, then a task queued from it). ' +
      '**handler**: until the app\'s message listener returned (clone, layout, the first step of the SVG, fit). **layout**: the app\'s own figure in `#graph-status`. **longest task** and **longest frame**: the ' +
      "longest `longtask` and `long-animation-frame` entries in that span (0: none over 50 ms); a frame is a task plus the style, " +
      `layout and paint it caused; **(rendering)** is the part of it from style and layout on. Medians of ${draw.runs} runs after a warm-up page; ` +
      `${draw.seconds} s in all.`,
    '',
    markdownTable(rows),
    '',
  );
  for (const note of draw.notes) lines.push(`Note: ${note}.`, '');
  return lines;
}

export function markdownReport(report: FullReport, notes: string): string {
  const f = report.focus;
  const g = report.graph;
  const lines: string[] = [];
  lines.push('# Benchmarks', '');
  lines.push(
    `Latest run of \`npm run bench\`: ${report.startedAt}` +
      (report.revision ? `, commit ${report.revision.commit}${report.revision.dirty ? ' plus uncommitted changes in the working tree' : ''}` : '') +
      `, ${report.totalSeconds} s in one process on ` +
      `${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGB} GB, node ${report.machine.node} (${report.machine.platform}). ` +
      `Load average ${report.machine.loadStart} at the start and ${report.machine.loadEnd} at the end` +
      (report.machine.otherWorkCores !== undefined
        ? `; work other than the benchmark's own processes kept ${report.machine.otherWorkCores} of the ${report.machine.cpus} cores busy on average.`
        : ' (other work on the machine slows every column, not always equally).'),
    '',
  );
  // The rule BENCHMARKS.md keeps: no absolute figure taken on a loaded machine. The load average also
  // counts the benchmark's own Chromium, so where Linux says whose the CPU time was, other work decides.
  const verdict = publishable(report.machine);
  if (!verdict.publishable) {
    lines.push(
      `**Not publishable as absolute times**: ${verdict.why}. ` +
        'Read the ratios (columns run interleaved, CPU time besides wall time); run `npm run bench` again on a quiet machine for the times.',
      '',
    );
  }
  lines.push('## Targets', '', markdownTable([['what', 'target', 'measured', 'verdict'], ...report.targets.map((t) => [t.name, t.target, t.measured, mark(t.met)])]), '');
  lines.push('## Cold index and warm open against the floors', '');
  lines.push(
    'Every column reads the same files with the same reader (`src/core/project/readFiles.ts`). **read floor**: reading and nothing else. ' +
      '**yaml floor**: reading plus `yaml.parse` of each frontmatter. **gray-matter**: reading plus `matter(text)` (cache off). ' +
      '**ours**: `SpecIndex.load` with the archive, then the verdict of every spec (its effective status and whether it is ' +
      'ready: what the tree\'s groups, counts and badge read; the full readiness is made for the rows shown), the dependency ' +
      'cycles and the phase of every spec — everything the tree needs when it opens. **ours (warm)**: the same, opened from ' +
      'the index an earlier open saved (`src/core/project/indexSnapshot.ts`): reading and checking the snapshot, listing ' +
      'the folders whose entries changed (the others from their saved listing), one stat per file, restoring the unchanged ' +
      'specs, then the same verdicts, cycles and phases. **saved index**: the snapshot file\'s size. ' +
      'Medians of the runs shown; all columns interleaved run by run. ' +
      'The CPU columns divide process CPU time (GC threads included) instead of wall time: they move less when other work shares the machine.',
    '',
  );
  lines.push('![Cold index and warm open time against project size](benchmarks-index.svg)', '');
  lines.push(markdownTable(sizeTable(report)), '');
  lines.push(`## After the index is built (${f.size} specs)`, '');
  lines.push(
    markdownTable([
      ['measure', 'value'],
      [`incremental update p50 / p99 (${f.updateSamples} edits: write, \`updateFile\`, readiness of the affected ids)`, `${f.updateP50Ms} ms / ${f.updateP99Ms} ms (CPU time ${f.updateCpuP50Ms} / ${f.updateCpuP99Ms} ms)`],
      [`burst: ${f.burstFiles} files changed (status), \`updateFiles\`, affected readiness, the tree's update as the view does it (the model kept and the touched investigations' gates worked out again, or the whole model built when a spec moved)`, `${f.burstMs} ms (${f.burstUpdateMs} ms before the tree)`],
      ['heap retained by the index (after GC)', `${f.heapRetainedMB} MB`],
      ['heap retained by an index opened from the saved index (after GC)', f.heapWarmRetainedMB === undefined ? 'n/a' : `${f.heapWarmRetainedMB} MB`],
      ['process heap in use after indexing (after GC)', `${f.heapUsedMB} MB`],
      [`tree: root and a phase's children (${f.treeSource})`, `${f.treeMs} ms (${f.treeRootItems} roots, ${f.treePhaseChildren} children)`],
    ]),
    '',
  );
  lines.push(`## Graph (${g.size}-spec project)`, '');
  lines.push(
    markdownTable([
      ['measure', 'value'],
      [`whole project: ${g.nodes} nodes, ${g.edges} edges — buildSpecGraph`, `${g.buildMs} ms`],
      ['whole project — layout (packed components)', g.layoutMs === undefined ? 'not measurable yet' : `${g.layoutMs} ms`],
      [`investigation ${g.investigation ?? '(none)'}: ${g.investigationNodes} nodes — the panel's message (buildGraphView, scopes, documents)`, `${g.investigationBuildMs} ms`],
      ['investigation — layout (phase columns)', g.investigationLayoutMs === undefined ? 'not measurable yet' : `${g.investigationLayoutMs} ms`],
    ]),
    '',
    g.note ? `${g.note}${g.layoutSource ? ` Layout code: \`${g.layoutSource}\`.` : ''}` : '',
    '',
  );
  lines.push(...drawSection(report));
  lines.push('## Bundles', '');
  const b = report.bundles;
  lines.push(
    markdownTable([
      ['bundle', 'loaded', 'minified', 'gzip'],
      [
        'out/extension.js',
        'by VS Code, before it calls activate()',
        b.extensionBytes === undefined ? 'n/a' : `${kb(b.extensionBytes)} KB`,
        b.extensionGzipBytes === undefined ? 'n/a' : `${kb(b.extensionGzipBytes)} KB`,
      ],
      ...(b.lazyChunks ?? []).map((c) => [c.name, `on first use: ${c.usedFor}`, `${kb(c.bytes)} KB`, `${kb(c.gzipBytes)} KB`]),
      ...b.webviews.map((w) => [`out/webviews/${w.name}`, 'in its webview', `${kb(w.bytes)} KB`, `${kb(w.gzipBytes)} KB`]),
    ]),
    '',
  );
  lines.push(
    report.activation
      ? `Activation: ${describeActivation(report.activation)}, read from \`test-results/activation.json\`.`
      : 'Activation: not measured in this run (`test-results/activation.json` is written by the integration tier).',
    '',
  );
  lines.push(notes.trim(), '');
  return lines.join('\n');
}

/** Whether a run's absolute times may be published: other work stayed under QUIET_OTHER_CORES (or, where that is unknown, the load average under the core count). */
export function publishable(machine: { cpus: number; loadStart: number; loadEnd: number; otherWorkCores?: number }): { publishable: boolean; why: string } {
  if (machine.otherWorkCores !== undefined) {
    return machine.otherWorkCores <= QUIET_OTHER_CORES
      ? { publishable: true, why: '' }
      : { publishable: false, why: `work other than the benchmark kept ${machine.otherWorkCores} cores busy on average (at most ${QUIET_OTHER_CORES})` };
  }
  const loadMax = Math.max(machine.loadStart, machine.loadEnd);
  return loadMax <= machine.cpus
    ? { publishable: true, why: '' }
    : { publishable: false, why: `the load average reached ${loadMax} on ${machine.cpus} cores` };
}
