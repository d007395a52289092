// The graph panel's first draw in a real browser: the bundle the extension ships
// (out/webviews/graph.js) and its css, in headless Chromium behind the same CSP and DOM root as the
// webview shell (src/webviews/host/webviewHtml.ts), fed the panel's own `graph` message. Bundled by
// scripts/bench.mjs with playwright-core left external; the suite calls it through
// SuiteOptions.measureDraw, so the rest of the bench runs without a browser.
import { htmlShell, nonce as newNonce } from '../src/webviews/htmlShell';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { GraphMessage } from './graphMessage';
import { countCrossings } from '../src/core/present/graphLayout';
import { layoutGraphView } from '../src/core/present/viewLayout';

export interface DrawInput {
  name: string;
  /** What the graph is, for the report. */
  label: string;
  message: GraphMessage;
  /** Time the extension host took to build the message (Node, before any drawing). */
  messageMs: number;
}

/** One first draw (or live update) as the page measured it; times in ms from posting the message. */
export interface DrawSample {
  /** Until the first frame with the whole new SVG was rendered (requestAnimationFrame, then a task after it). */
  firstDrawMs: number;
  /** Until the app's message handler returned: clone, layout, building the SVG, fit. */
  handlerMs: number;
  /** The app's own figure ("layout N ms" in #graph-status). */
  layoutMs: number;
  /** Longest 'longtask' entry in the span (0: none over 50 ms). */
  longestTaskMs: number;
  /** Longest 'long-animation-frame' in the span: a task plus the rendering it caused (0: none over 50 ms). */
  longestFrameMs: number;
  /** Of that frame: style and layout, and everything after them (paint, commit). */
  frameStyleLayoutMs: number;
  frameScriptMs: number;
  drawnNodes: number;
  drawnEdges: number;
  /** The smallest label on screen as the graph opens (its zoom times the smallest font), in px. */
  smallestLabelPx: number;
}

export interface GraphDrawResult {
  name: string;
  label: string;
  nodes: number;
  edges: number;
  /** Building the message in the host, and its size as JSON (roughly what crosses to the webview). */
  messageMs: number;
  messageKB: number;
  /** Medians over the runs. */
  first: DrawSample;
  /** The same graph posted again with keepViewport (what a live update does). */
  update: DrawSample;
  /** The worst first draw and update over the runs (the median hides a bad one). */
  worstFirstDrawMs: number;
  worstBlockMs: number;
  /** Edge crossings of the drawing (countCrossings on the same layout the webview draws). */
  crossings: number;
}

export interface DrawBenchOptions {
  repo: string;
  chromiumPath: string;
  /** Timed runs per graph, each in a fresh page, after one untimed warm-up. */
  runs: number;
  log?: (message: string) => void;
}

export interface DrawBenchResult {
  browser: string;
  bundle: string;
  bundleBuiltAt: string;
  /** Set when the bundle is older than the app's sources (rebuild with `npm run build`). */
  staleBundle?: string;
  viewport: { width: number; height: number };
  /** Timed runs per graph, and the wall time of the whole measurement (browser start included). */
  runs: number;
  seconds: number;
  graphs: GraphDrawResult[];
}

// From ../shared/VSCODE-HEADLESS.md and test/e2e/workbench.ts: no sandbox (root in containers), no
// GPU, none of Chromium's own network traffic.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const VIEWPORT = { width: 1280, height: 800 };
const DRAW_TIMEOUT_MS = 120_000;

// VS Code sets its theme as --vscode-* variables on the webview's <html>; these are the Dark Modern
// values of the variables the panel's css uses, so that fills, strokes and dashes cost what they cost.
const THEME_CSS = `:root {
  --vscode-font-family: system-ui, "Ubuntu", "Droid Sans", sans-serif; --vscode-font-size: 13px; --vscode-font-weight: normal;
  --vscode-foreground: #cccccc; --vscode-descriptionForeground: #9d9d9d; --vscode-disabledForeground: #cccccc80;
  --vscode-editor-background: #1f1f1f; --vscode-editorWidget-background: #202020; --vscode-editorWidget-border: #313131;
  --vscode-widget-border: #313131; --vscode-widget-shadow: #0000005c; --vscode-panel-border: #2b2b2b; --vscode-focusBorder: #0078d4;
  --vscode-icon-foreground: #cccccc; --vscode-textLink-foreground: #4daafc; --vscode-textBlockQuote-background: #2b2b2b;
  --vscode-editor-findMatchBorder: #9e6a03; --vscode-toolbar-hoverBackground: #5a5d5e50;
  --vscode-charts-blue: #3794ff; --vscode-charts-green: #89d185; --vscode-charts-orange: #d18616; --vscode-charts-purple: #b180d7;
  --vscode-charts-red: #f14c4c; --vscode-charts-yellow: #cca700;
  --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff; --vscode-button-border: #ffffff12; --vscode-button-hoverBackground: #026ec1;
  --vscode-button-secondaryBackground: #313131; --vscode-button-secondaryForeground: #cccccc; --vscode-button-secondaryHoverBackground: #3c3c3c;
  --vscode-dropdown-background: #313131; --vscode-dropdown-border: #3c3c3c; --vscode-dropdown-foreground: #cccccc;
  --vscode-input-background: #313131; --vscode-input-border: #3c3c3c; --vscode-input-foreground: #cccccc; --vscode-input-placeholderForeground: #989898;
  --vscode-editorHoverWidget-background: #202020; --vscode-editorHoverWidget-border: #454545; --vscode-editorHoverWidget-foreground: #cccccc;
}
`;

// Runs in the page before the app: the acquireVsCodeApi stub (messages to the host are kept, state
// is held in memory), the performance observers, and window.__chantBench.draw(message).
const PROBE_JS = `'use strict';
(() => {
  const sent = [];
  let state;
  window.acquireVsCodeApi = () => ({ postMessage: (m) => { sent.push(m); }, getState: () => state, setState: (s) => { state = s; } });
  const observe = (type, into) => {
    try {
      const observer = new PerformanceObserver((list) => { into.push(...list.getEntries()); });
      observer.observe({ type, buffered: true });
      return () => { into.push(...observer.takeRecords()); };
    } catch {
      return () => undefined;
    }
  };
  const tasks = [];
  const frames = [];
  const flushTasks = observe('longtask', tasks);
  const flushFrames = observe('long-animation-frame', frames);
  // After the next frame has been rendered: rAF runs just before rendering, a task posted from it runs after.
  const afterFrame = () => new Promise((resolve) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(performance.now());
    channel.port2.postMessage(0);
  }));
  const longest = (entries) => entries.reduce((a, e) => (a && a.duration >= e.duration ? a : e), undefined);
  window.__chantBench = {
    sent,
    supported: PerformanceObserver.supportedEntryTypes,
    async draw(message) {
      await afterFrame();
      await afterFrame();
      let handled = 0;
      const painted = new Promise((resolve) => {
        // Registered after the app's listener, so it runs when the app's handler has returned.
        window.addEventListener('message', () => { handled = performance.now(); afterFrame().then(resolve); }, { once: true });
      });
      const start = performance.now();
      window.postMessage(message, '*');
      let end = await painted;
      // A big graph is drawn over several frames; the app marks the SVG busy until it is whole.
      while (document.getElementById('graph')?.getAttribute('aria-busy') === 'true') end = await afterFrame();
      await afterFrame();
      await new Promise((resolve) => setTimeout(resolve, 30));
      flushTasks();
      flushFrames();
      const inSpan = (e) => e.startTime + e.duration > start && e.startTime < end;
      const task = longest(tasks.filter(inSpan));
      const frame = longest(frames.filter(inSpan));
      const status = document.getElementById('graph-status')?.textContent ?? '';
      const layout = /layout (\\d+(?:\\.\\d+)?) ms/.exec(status);
      const frameEnd = frame ? frame.startTime + frame.duration : 0;
      return {
        firstDrawMs: end - start,
        handlerMs: handled - start,
        layoutMs: layout ? Number(layout[1]) : -1,
        longestTaskMs: task ? task.duration : 0,
        longestFrameMs: frame ? frame.duration : 0,
        frameStyleLayoutMs: frame && frame.styleAndLayoutStart ? frameEnd - frame.styleAndLayoutStart : 0,
        frameScriptMs: frame ? frame.scripts.reduce((sum, s) => sum + s.duration, 0) : 0,
        drawnNodes: document.querySelectorAll('#viewport .node').length,
        drawnEdges: document.querySelectorAll('#viewport .edge').length,
        smallestLabelPx: Number(document.getElementById('graph')?.dataset.smallestLabelPx ?? -1),
        status,
      };
    },
  };
})();
`;

/** The panel's own shell (webviews/htmlShell.ts) served from here, with the probe ahead of the app. */
function page(nonceValue: string): string {
  return htmlShell({
    app: 'graph',
    title: 'Graph',
    nonce: nonceValue,
    source: "'self'",
    url: (...segments) => `/${segments.join('/')}`,
    extraStyles: ['/bench/theme.css'],
    extraScripts: ['/bench/probe.js'],
    bodyClass: 'vscode-dark',
  });
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html' };

/** Serves the page, the probe, the theme and the extension's own files, nothing else. */
async function serve(repo: string): Promise<{ server: Server; url: string }> {
  const nonce = newNonce();
  const files = ['out/webviews/graph.js', 'out/webviews/codicons/codicon.css', 'out/webviews/codicons/codicon.ttf', 'media/webviews/common.css', 'media/webviews/graph.css'];
  const fixed: Record<string, { type: string; body: string }> = {
    '/': { type: TYPES['.html'], body: page(nonce) },
    '/bench/probe.js': { type: TYPES['.js'], body: PROBE_JS },
    '/bench/theme.css': { type: TYPES['.css'], body: THEME_CSS },
  };
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const own = fixed[url.pathname];
    const file = files.find((f) => `/${f}` === url.pathname);
    if (own) {
      response.writeHead(200, { 'content-type': own.type });
      response.end(own.body);
    } else if (file) {
      response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      response.end(readFileSync(path.join(repo, file)));
    } else if (url.pathname === '/favicon.ico') {
      response.writeHead(204);
      response.end();
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/** The bundle's age against the sources it is built from (the app, its lib, the core it imports). */
function staleness(repo: string, bundle: string): string | undefined {
  const built = statSync(bundle).mtimeMs;
  const sources = ['src/webviews/app/graph.ts', 'src/webviews/app/lib/dom.ts', 'src/core/present/graphLayout.ts', 'media/webviews/graph.css'];
  const newer = sources.filter((f) => existsSync(path.join(repo, f)) && statSync(path.join(repo, f)).mtimeMs > built);
  return newer.length > 0 ? `${newer.join(', ')} changed after ${path.relative(repo, bundle)} was built` : undefined;
}

interface PageSample extends DrawSample {
  status: string;
}

async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`);
  });
  await page.goto(url, { waitUntil: 'load' });
  // The app says `ready` once it has built its chrome, as it does to the panel.
  await page.waitForFunction(() => (globalThis as unknown as { __chantBench?: { sent: { type?: string }[] } }).__chantBench?.sent.some((m) => m.type === 'ready'), undefined, { timeout: 30_000 });
  return { page, errors };
}

async function drawOnce(page: Page, message: GraphMessage, errors: string[]): Promise<PageSample> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no frame within ${DRAW_TIMEOUT_MS / 1000} s of posting the graph`)), DRAW_TIMEOUT_MS);
  });
  try {
    const sample = await Promise.race([
      page.evaluate((m) => (globalThis as unknown as { __chantBench: { draw(message: unknown): Promise<PageSample> } }).__chantBench.draw(m), message as unknown),
      timeout,
    ]);
    if (errors.length > 0) throw new Error(`the page reported: ${errors.join('; ')}`);
    return sample;
  } finally {
    clearTimeout(timer);
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (n: number): number => Math.round(n * 10) / 10;

function medianSample(samples: DrawSample[]): DrawSample {
  const pick = (key: keyof DrawSample): number => round(median(samples.map((s) => s[key])));
  return {
    firstDrawMs: pick('firstDrawMs'),
    handlerMs: pick('handlerMs'),
    layoutMs: pick('layoutMs'),
    longestTaskMs: pick('longestTaskMs'),
    longestFrameMs: pick('longestFrameMs'),
    frameStyleLayoutMs: pick('frameStyleLayoutMs'),
    frameScriptMs: pick('frameScriptMs'),
    drawnNodes: Math.min(...samples.map((s) => s.drawnNodes)),
    drawnEdges: Math.min(...samples.map((s) => s.drawnEdges)),
    smallestLabelPx: Math.min(...samples.map((s) => s.smallestLabelPx)),
  };
}

export function chromiumMissing(chromiumPath: string): string | undefined {
  return existsSync(chromiumPath) ? undefined : `Chromium not found at ${chromiumPath} (apt-get install chromium, or set CHANT_CHROMIUM_PATH)`;
}

export async function measureDraw(inputs: DrawInput[], options: DrawBenchOptions): Promise<DrawBenchResult> {
  const log = options.log ?? (() => undefined);
  const bundle = path.join(options.repo, 'out', 'webviews', 'graph.js');
  if (!existsSync(bundle)) throw new Error(`${path.relative(options.repo, bundle)} not found: run \`npm run build\` first`);
  const missing = chromiumMissing(options.chromiumPath);
  if (missing) throw new Error(missing);
  const staleBundle = staleness(options.repo, bundle);
  if (staleBundle) log(`bench: ${staleBundle}; measuring it anyway (npm run build to refresh)`);

  const started = Date.now();
  const { server, url } = await serve(options.repo);
  const browser = await chromium.launch({ executablePath: options.chromiumPath, headless: true, args: CHROMIUM_ARGS });
  try {
    const graphs: GraphDrawResult[] = [];
    for (const input of inputs) {
      const firsts: DrawSample[] = [];
      const updates: DrawSample[] = [];
      const update = { ...input.message, keepViewport: true };
      // Run 0 is the warm-up (disk cache, code cache); every run is a fresh page, as a newly opened panel is.
      for (let run = 0; run <= options.runs; run++) {
        const { page, errors } = await openPage(browser, url);
        try {
          const first = await drawOnce(page, input.message, errors);
          const again = await drawOnce(page, update, errors);
          if (run > 0) {
            firsts.push(first);
            updates.push(again);
          }
        } finally {
          await page.context().close();
        }
      }
      const result: GraphDrawResult = {
        name: input.name,
        label: input.label,
        nodes: input.message.nodes.length,
        edges: input.message.edges.length,
        messageMs: input.messageMs,
        messageKB: round(Buffer.byteLength(JSON.stringify(input.message)) / 1024),
        first: medianSample(firsts),
        update: medianSample(updates),
        worstFirstDrawMs: round(Math.max(...firsts.map((s) => s.firstDrawMs))),
        worstBlockMs: round(Math.max(...[...firsts, ...updates].map((s) => Math.max(s.longestTaskMs, s.longestFrameMs)))),
        crossings: countCrossings(layoutGraphView(input.message.nodes, input.message.edges, input.message.scope.kind, input.message.phaseOrder ?? [])),
      };
      log(
        `draw ${input.name} (${result.nodes} nodes, ${result.edges} edges): first draw ${result.first.firstDrawMs} ms ` +
          `(handler ${result.first.handlerMs}, layout ${result.first.layoutMs}), longest task ${result.first.longestTaskMs} ms, ` +
          `longest frame ${result.first.longestFrameMs} ms; live update ${result.update.firstDrawMs} ms; ` +
          `${result.crossings} crossings, smallest label ${result.first.smallestLabelPx} px`,
      );
      graphs.push(result);
    }
    return {
      browser: `Chromium ${browser.version()} (headless, --disable-gpu)`,
      bundle: path.relative(options.repo, bundle),
      bundleBuiltAt: statSync(bundle).mtime.toISOString(),
      staleBundle,
      viewport: VIEWPORT,
      runs: options.runs,
      seconds: round((Date.now() - started) / 1000),
      graphs,
    };
  } finally {
    await browser.close().catch(() => undefined);
    server.close();
  }
}
