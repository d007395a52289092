// The benchmark suite (`npm run bench`): generated projects of growing size, each indexed by the
// floors (plain reads; reads plus `yaml.parse`; gray-matter) and by our core, interleaved run by
// run in one process so that the ratios hold on a noisy machine. At the focus size it also measures
// incremental updates, a burst of changes, heap, the tree model and the graph, and the graph panel's
// first draw in Chromium (through SuiteOptions.measureDraw, see drawBench.ts).
import { existsSync, promises as fs, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import matter from 'gray-matter';
import { parse as parseYaml } from 'yaml';
import { parseFastFrontmatter } from '../src/core/spec/fastFrontmatter';
import { splitFrontmatter } from '../src/core/spec/frontmatter';
import { buildSpecGraph, type SpecGraph } from '../src/core/present/specGraph';
import { compareSpecIds, nearestParentId } from '../src/core/spec/ids';
import { DEFAULT_PHASES, orderedPhaseNames, phaseOf } from '../src/core/workflow/phases';
import { findChantRoots, listArchivedSpecFiles, listSpecFiles, ProjectPaths } from '../src/core/project/project';
import { RACY_WINDOW_MS } from '../src/core/project/fileStamp';
import { forEachTextFile } from '../src/core/project/readFiles';
import { IndexSnapshotStore } from '../src/core/project/snapshotStore';
import type { Readiness, Verdict } from '../src/core/project/readiness';
import { SpecIndex } from '../src/core/project/specIndex';
import type { Spec } from '../src/core/spec/types';
import type { DrawBenchResult, DrawInput } from './drawBench';
import { generateProject, seededRandom, type GeneratedProject } from './generateProject';
import { firstNodes, graphMessageFor } from './graphMessage';
import { layoutGraphView } from '../src/core/present/viewLayout';
import type { ModelChange } from '../src/core/present/grouping';
import { LiveTreeModel } from '../src/core/present/liveTreeModel';
import type { DisplayState } from '../src/core/present/displayState';
import { otherWorkCores, sampleCpu } from './otherWork';

/** The panel width layouts are made for: the draw benchmark's viewport (drawBench.ts). */
const PANEL_WIDTH = 1280;

/** The tree model module (src/core/present/grouping.ts), when it exists; typed by what we call. */
export interface GroupingModule {
  buildTreeModel(
    input: {
      specs: readonly Spec[];
      stateOf(spec: Spec): unknown;
      parentOf(id: string): string | undefined;
      phases: readonly { name: string; labels: readonly string[] }[];
      sorted?: boolean;
    },
    mode: 'phase',
  ): { roots: { kind: string; children?: unknown[] }[] };
  displayStateOf(spec: Spec, readiness: Verdict | undefined): unknown;
}

/** The graph layout module (graphLayout.ts), when it exists. */
export interface LayoutModule {
  layoutGraph(
    nodes: readonly { id: string; width: number; height: number }[],
    edges: readonly { from: string; to: string; weight?: number }[],
  ): { width: number; height: number };
  nodeSize(label: string, kind: 'spec' | 'document' | 'url' | 'gate'): { width: number; height: number };
}

export interface SuiteOptions {
  sizes: number[];
  /** Runs per size (medians are reported); defaults by size. */
  runs?: (size: number) => number;
  /** Size for the incremental, burst, heap and tree measurements. */
  focusSize: number;
  /** Size of the project whose whole graph is laid out. */
  graphSize: number;
  /** Nodes of the whole-project graph that is laid out (default 2,000, the issue's target). */
  graphNodes?: number;
  incrementalSamples: number;
  burstRuns: number;
  seed?: number;
  workDir?: string;
  grouping?: GroupingModule;
  groupingSource?: string;
  layout?: LayoutModule;
  layoutSource?: string;
  log?: (message: string) => void;
  /** Heap of a process that loads `root` (from the saved index in `snapshotDir`) and holds only the index (see heapProbe.ts). */
  measureHeap?: (root: string, snapshotDir?: string) => Promise<{ retainedMB: number; usedMB: number }>;
  /** Draws graph messages in a browser (drawBench.ts); absent: the draw is skipped with `drawSkipped`. */
  measureDraw?: (inputs: DrawInput[]) => Promise<DrawBenchResult>;
  drawSkipped?: string;
  /** The read-only corpus (../shared/corpus); its workspace snapshot's whole graph is drawn too. */
  corpusDir?: string;
}

export interface SizeResult {
  size: number;
  active: number;
  archived: number;
  runs: number;
  /** Medians in milliseconds. */
  readFloorMs: number;
  yamlFloorMs: number;
  grayMatterMs: number;
  indexMs: number;
  /** Opening from the saved index: read and check the snapshot, one stat per file, then what the tree needs. */
  warmIndexMs: number;
  /** Our cold index over the read floor, and the yaml floor over ours. */
  indexOverFloor: number;
  warmOverFloor: number;
  /** Specs the warm open restored from the snapshot (the rest it parsed); all of them when nothing changed. */
  warmRestored: number;
  snapshotBytes: number;
  yamlOverIndex: number;
  /** The same ratios in CPU time. */
  readFloorCpuMs: number;
  yamlFloorCpuMs: number;
  indexCpuMs: number;
  warmIndexCpuMs: number;
  indexOverFloorCpu: number;
  warmOverFloorCpu: number;
  yamlOverIndexCpu: number;
  fastPathShare: number;
}

export interface FocusResult {
  size: number;
  updateP50Ms: number;
  updateP99Ms: number;
  updateSamples: number;
  /** The same percentiles in process CPU time: a wall-time outlier with no CPU behind it was the machine. */
  updateCpuP50Ms: number;
  updateCpuP99Ms: number;
  burstFiles: number;
  burstMs: number;
  /** The burst without the tree refresh: reads, parses, index updates and affected readiness. */
  burstUpdateMs: number;
  /** Bursts after which the view repainted only the rows they touched (no row moved to another list). */
  burstNarrow?: number;
  /** Heap retained by the index (after GC, minus the heap before loading it). */
  heapRetainedMB: number;
  /** Whole process heap in use after indexing and GC. */
  heapUsedMB: number;
  /** Heap retained by an index opened from the saved index. */
  heapWarmRetainedMB?: number;
  gcExposed: boolean;
  /** Where the heap was measured: a separate process holding only the index, or this one. */
  heapSource: string;
  treeMs: number;
  treeSource: string;
  treeRootItems: number;
  treePhaseChildren: number;
  /** Building the tree's model once, when the project is indexed (before the view opens). */
  treeBuildMs?: number;
}

export interface GraphResult {
  size: number;
  nodes: number;
  edges: number;
  buildMs: number;
  layoutMs?: number;
  investigation?: string;
  investigationNodes: number;
  investigationBuildMs: number;
  investigationLayoutMs?: number;
  layoutSource?: string;
  note?: string;
}

export interface DrawResult extends Partial<DrawBenchResult> {
  /** Why nothing was drawn (no Chromium, no bundle). */
  skipped?: string;
  /** Graphs left out, and why (the corpus is optional). */
  notes: string[];
}

export interface SuiteResult {
  machine: {
    cpus: number;
    cpuModel: string;
    node: string;
    platform: string;
    memoryGB: number;
    /** 1-minute load average at the start and the end: other work on the machine skews timings. */
    loadStart: number;
    loadEnd: number;
    /** Cores busy with work other than the benchmark's own processes, on average over the run (Linux). */
    otherWorkCores?: number;
  };
  startedAt: string;
  totalSeconds: number;
  sizes: SizeResult[];
  focus: FocusResult;
  graph: GraphResult;
  draw: DrawResult;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

/** The files the index reads, listed the way the index lists them. */
async function listAll(root: string): Promise<string[]> {
  const paths = new ProjectPaths(root);
  const [active, archived] = await Promise.all([listSpecFiles(paths), listArchivedSpecFiles(paths)]);
  return [...active, ...archived].map((e) => e.path);
}

// The floors keep what a parser would keep (the parsed frontmatter) and drop the texts, as the
// index does, so that the comparison is about parsing and not about memory held.

async function readFloor(root: string): Promise<number> {
  let chars = 0;
  await forEachTextFile(await listAll(root), (text) => {
    chars += text?.length ?? 0;
  });
  return chars;
}

async function yamlFloor(root: string): Promise<unknown[]> {
  const kept: unknown[] = [];
  await forEachTextFile(await listAll(root), (text) => {
    if (text === undefined) return;
    const split = splitFrontmatter(text);
    if (!split.hasFrontmatter) return;
    try {
      kept.push(parseYaml(split.yaml));
    } catch {
      // A broken file costs what it costs.
    }
  });
  return kept;
}

async function grayMatterFloor(root: string): Promise<unknown[]> {
  const kept: unknown[] = [];
  await forEachTextFile(await listAll(root), (text) => {
    if (text === undefined) return;
    try {
      // An options object turns off gray-matter's cache keyed by file content, which would
      // otherwise answer every run after the first from memory.
      kept.push(matter(text, {}).data);
    } catch {
      // As above.
    }
  });
  return kept;
}

/**
 * Everything the tree needs when it opens: parse, ids in order, phases, each spec's verdict (its
 * effective status and whether it is ready: what the groups, their counts and the badge read) and the
 * dependency graph (cycles). The full readiness (reasons, the `chant work` gate) is made only for the
 * rows shown, which the tree row below measures.
 */
async function coldIndex(root: string): Promise<SpecIndex> {
  const index = await SpecIndex.load(root, { includeArchive: true });
  treeState(index);
  return index;
}

/** The same, opened from the snapshot an earlier open saved: read and check it, stat each file. */
async function warmIndex(root: string, store: IndexSnapshotStore): Promise<SpecIndex> {
  const index = await SpecIndex.load(root, { includeArchive: true, snapshot: await store.load(root) });
  treeState(index);
  return index;
}

/** Saves the snapshot a warm open uses, once the files are older than the racy window (else none would be saved). */
async function saveSnapshot(p: GeneratedProject & { writtenAt: number }, store: IndexSnapshotStore): Promise<number> {
  const wait = p.writtenAt + RACY_WINDOW_MS + 50 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  return store.save(await SpecIndex.load(p.root, { includeArchive: true }));
}

function treeState(index: SpecIndex): void {
  const phases = index.sorted().map((spec) => phaseOf(spec));
  for (const spec of index.specs.values()) index.verdict(spec.id);
  index.cycles();
  if (phases.length < 0) throw new Error('unreachable');
}

/** Wall time, and CPU time of the whole process (GC threads included), which other load skews less. */
async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await fn();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, value };
}

export async function runSuite(options: SuiteOptions): Promise<SuiteResult> {
  const log = options.log ?? (() => undefined);
  const startedAt = new Date();
  const loadStart = os.loadavg()[0];
  const cpuStart = sampleCpu();
  const t0 = performance.now();
  const workDir = options.workDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'chant-bench-')));
  const seed = options.seed ?? 20260124;
  const runsFor = options.runs ?? ((size: number) => (size <= 5000 ? 7 : size <= 20000 ? 5 : 3));
  const projects = new Map<number, GeneratedProject & { writtenAt: number }>();
  const store = new IndexSnapshotStore(path.join(workDir, 'snapshots'), 'chant-bench');
  const project = (size: number): GeneratedProject & { writtenAt: number } => {
    let p = projects.get(size);
    if (!p) {
      const g0 = performance.now();
      p = { ...generateProject(path.join(workDir, `p${size}`), size, seed), writtenAt: Date.now() };
      log(`generated ${size} specs (${p.archived} archived) in ${Math.round(performance.now() - g0)} ms`);
      projects.set(size, p);
    }
    return p;
  };

  try {
    const sizes: SizeResult[] = [];
    for (const size of options.sizes) {
      const p = project(size);
      // One untimed pass of each so that every timed run finds the files in the page cache and
      // the code compiled.
      await readFloor(p.root);
      await yamlFloor(p.root);
      await grayMatterFloor(p.root);
      const fastShare = fastPathShare(await coldIndex(p.root));
      const snapshotBytes = await saveSnapshot(p, store);
      const opened = await warmIndex(p.root, store);
      const runs = runsFor(size);
      const samples = { read: [] as number[], yaml: [] as number[], gray: [] as number[], index: [] as number[], warm: [] as number[] };
      const cpu = { read: [] as number[], yaml: [] as number[], index: [] as number[], warm: [] as number[] };
      // No forced GC between runs: a full collection makes V8 shrink the young generation, and the
      // next allocating run (ours) then pays for growing it again, which never happens in the
      // extension host. Instead the order rotates from run to run, so that each column follows each
      // other column (and collects its garbage) equally often.
      const columns: Array<{ name: 'read' | 'yaml' | 'gray' | 'index' | 'warm'; run: () => Promise<unknown> }> = [
        { name: 'read', run: () => readFloor(p.root) },
        { name: 'yaml', run: () => yamlFloor(p.root) },
        { name: 'gray', run: () => grayMatterFloor(p.root) },
        { name: 'index', run: () => coldIndex(p.root) },
        { name: 'warm', run: () => warmIndex(p.root, store) },
      ];
      for (let r = 0; r < runs; r++) {
        for (let c = 0; c < columns.length; c++) {
          const column = columns[(c + r) % columns.length];
          const measured = await time(column.run);
          samples[column.name].push(measured.ms);
          if (column.name !== 'gray') cpu[column.name].push(measured.cpuMs);
        }
      }
      const result: SizeResult = {
        size,
        active: p.active,
        archived: p.archived,
        runs,
        readFloorMs: round(median(samples.read)),
        yamlFloorMs: round(median(samples.yaml)),
        grayMatterMs: round(median(samples.gray)),
        indexMs: round(median(samples.index)),
        warmIndexMs: round(median(samples.warm)),
        indexOverFloor: round(median(samples.index) / median(samples.read)),
        warmOverFloor: round(median(samples.warm) / median(samples.read)),
        warmRestored: opened.lastLoad.restored,
        snapshotBytes,
        yamlOverIndex: round(median(samples.yaml) / median(samples.index)),
        readFloorCpuMs: round(median(cpu.read)),
        yamlFloorCpuMs: round(median(cpu.yaml)),
        indexCpuMs: round(median(cpu.index)),
        warmIndexCpuMs: round(median(cpu.warm)),
        indexOverFloorCpu: round(median(cpu.index) / median(cpu.read)),
        warmOverFloorCpu: round(median(cpu.warm) / median(cpu.read)),
        yamlOverIndexCpu: round(median(cpu.yaml) / median(cpu.index)),
        fastPathShare: round(fastShare, 4),
      };
      log(
        `${size}: read ${result.readFloorMs} ms, yaml ${result.yamlFloorMs} ms, gray-matter ${result.grayMatterMs} ms, ` +
          `index ${result.indexMs} ms (${result.indexOverFloor}x floor; CPU ${result.indexOverFloorCpu}x), ` +
          `warm ${result.warmIndexMs} ms (${result.warmOverFloor}x floor; ${result.warmRestored} of ${size} restored, snapshot ${Math.round(snapshotBytes / 1024)} KB)`,
      );
      sizes.push(result);
    }

    const focus = await measureFocus(project(options.focusSize), options, seed, log, store);
    const graph = await measureGraph(project(options.graphSize), options, log);
    const draw = await measureDrawing(project(options.graphSize), options, log);
    return {
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
        memoryGB: round(os.totalmem() / 2 ** 30, 1),
        loadStart: round(loadStart, 2),
        loadEnd: round(os.loadavg()[0], 2),
        otherWorkCores: roundOrUndefined(otherWorkCores(cpuStart, sampleCpu())),
      },
      startedAt: startedAt.toISOString(),
      totalSeconds: round((performance.now() - t0) / 1000, 1),
      sizes,
      focus,
      graph,
      draw,
    };
  } finally {
    if (!options.workDir) rmSync(workDir, { recursive: true, force: true });
  }
}

/** How many specs the fast frontmatter reader could take (the rest went through `yaml`). */
function fastPathShare(index: SpecIndex): number {
  // The share is a property of the files, so it is computed outside the timed runs.
  let fast = 0;
  let total = 0;
  for (const spec of [...index.specs.values(), ...(index.archived?.values() ?? [])]) {
    const split = splitFrontmatter(readFileSync(spec.path, 'utf8'));
    if (!split.hasFrontmatter) continue;
    total++;
    if (parseFastFrontmatter(split.yaml)) fast++;
  }
  return total === 0 ? 1 : fast / total;
}

/** Changes a spec the way a run does: pending → in_progress → completed → pending, plus a label. */
function edited(text: string, round: number): string {
  const statuses = ['in_progress', 'completed', 'pending'];
  const next = statuses[round % statuses.length];
  return text.replace(/^status: .*$/m, `status: ${next}`).replace(/\n---\n/, `\nlast_verified: 2026-02-0${(round % 9) + 1}T00:00:00Z\n---\n`);
}

async function measureFocus(
  p: GeneratedProject & { writtenAt: number },
  options: SuiteOptions,
  seed: number,
  log: (m: string) => void,
  store: IndexSnapshotStore,
): Promise<FocusResult> {
  let heapWarmRetainedMB: number | undefined;
  let heapRetainedMB: number;
  let heapUsedMB: number;
  let heapSource: string;
  if (options.measureHeap) {
    const heap = await options.measureHeap(p.root);
    heapRetainedMB = round(heap.retainedMB, 1);
    heapUsedMB = round(heap.usedMB, 1);
    heapSource = 'child process holding only the index';
    await saveSnapshot(p, store);
    heapWarmRetainedMB = round((await options.measureHeap(p.root, store.dir)).retainedMB, 1);
  } else {
    gc();
    const before = process.memoryUsage().heapUsed;
    const probe = await coldIndex(p.root);
    gc();
    const after = process.memoryUsage().heapUsed;
    heapRetainedMB = round((after - before) / 2 ** 20, 1);
    heapUsedMB = round(after / 2 ** 20, 1);
    heapSource = probe.specs.size > 0 ? 'this process' : 'this process (empty)';
  }
  log(`heap: index retains ${heapRetainedMB} MB (${heapUsedMB} MB in use, ${heapSource}); opened from the saved index ${heapWarmRetainedMB ?? 'n/a'} MB`);
  const index = await coldIndex(p.root);

  const next = seededRandom(seed + 1);
  const active = index.sorted().map((s) => s.path);
  const original = new Map<string, string>();
  const textOf = (file: string): string => {
    let text = original.get(file);
    if (text === undefined) {
      text = readFileSync(file, 'utf8');
      original.set(file, text);
    }
    return text;
  };

  // One spec changes on disk; the watcher calls updateFile and the view asks for what changed.
  const refresh = (ids: Iterable<string>): void => {
    for (const id of ids) {
      const spec = index.get(id);
      if (spec) {
        index.readiness(id);
        phaseOf(spec);
      }
    }
  };
  const updates: number[] = [];
  const updateCpu: number[] = [];
  for (let i = 0; i < options.incrementalSamples; i++) {
    const file = active[Math.floor(next() * active.length)];
    await fs.writeFile(file, edited(textOf(file), i));
    const cpu = process.cpuUsage();
    const start = performance.now();
    const change = await index.updateFile(file);
    refresh(change.affected);
    updates.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    updateCpu.push((used.user + used.system) / 1000);
  }

  // A burst: 50 files change at once (an agent run, a checkout); one batch update, one tree refresh.
  const tree = treeBuilder(index, options);
  const burstFiles = Math.min(50, active.length);
  const bursts: number[] = [];
  const burstUpdates: number[] = [];
  let burstNarrow = 0;
  tree.build(); // the view has shown the tree before the burst
  for (let b = 0; b < options.burstRuns; b++) {
    const files: string[] = [];
    while (files.length < burstFiles) {
      const file = active[Math.floor(next() * active.length)];
      if (!files.includes(file)) files.push(file);
    }
    await Promise.all(files.map((file) => fs.writeFile(file, edited(textOf(file), b + 1))));
    const start = performance.now();
    const changes = await index.updateFiles(files);
    const affected = new Set<string>();
    for (const change of changes) for (const id of change.affected) affected.add(id);
    refresh(affected);
    burstUpdates.push(performance.now() - start);
    if (tree.update(changes) === 'narrow') burstNarrow++;
    bursts.push(performance.now() - start);
  }

  // Opening the view after a change (the model follows the change as the view does; readiness
  // caches of the specs it affects are cold, as they are after any update).
  const trees: number[] = [];
  let shape = { rootItems: 0, phaseChildren: 0 };
  for (let r = 0; r < 7; r++) {
    const file = active[Math.floor(next() * active.length)];
    tree.update([index.applyText(file, edited(textOf(file), r))]);
    const start = performance.now();
    shape = tree.build();
    trees.push(performance.now() - start);
  }
  for (const [file, text] of original) await fs.writeFile(file, text);

  const result: FocusResult = {
    size: p.files.length,
    updateP50Ms: round(percentile(updates, 50), 3),
    updateP99Ms: round(percentile(updates, 99), 3),
    updateSamples: updates.length,
    updateCpuP50Ms: round(percentile(updateCpu, 50), 3),
    updateCpuP99Ms: round(percentile(updateCpu, 99), 3),
    burstFiles,
    burstMs: round(median(bursts)),
    burstUpdateMs: round(median(burstUpdates)),
    burstNarrow,
    heapRetainedMB,
    heapUsedMB,
    heapWarmRetainedMB,
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
    heapSource,
    treeMs: round(median(trees)),
    treeSource: tree.source,
    treeRootItems: shape.rootItems,
    treePhaseChildren: shape.phaseChildren,
    treeBuildMs: tree.buildMs === undefined ? undefined : round(tree.buildMs),
  };
  log(
    `update p50 ${result.updateP50Ms} ms, p99 ${result.updateP99Ms} ms; burst of ${burstFiles} ${result.burstMs} ms (${result.burstUpdateMs} ms without the tree); ` +
      `tree ${result.treeMs} ms (${tree.source}${tree.buildMs === undefined ? '' : `; its model built once in ${round(tree.buildMs)} ms`})`,
  );
  return result;
}

/** Produces what the view shows first: the root's rows and the first group's, as the view would. */
interface TreeBench {
  source: string;
  /** The one build of the model, when the project was indexed (the view opens later). */
  buildMs?: number;
  build(): { rootItems: number; phaseChildren: number };
  /** What the view does after a change (specTreeProvider.onProjectsChanged): the model follows it. */
  update(changes: readonly ModelChange[]): 'narrow' | 'rebuilt';
}

function treeBuilder(index: SpecIndex, options: SuiteOptions): TreeBench {
  const parentOf = (id: string): string | undefined => nearestParentId(id, (up) => index.specs.has(up));
  const grouping = options.grouping;
  if (grouping) {
    // As the view does (src/views/specTreeProvider.ts): a LiveTreeModel built once when the project
    // is indexed, kept up to date per change; opening the view reads the root's first page and the
    // first group's, and each spec row asks for its readiness; the badge's count is kept by the index.
    const stateOf = (spec: Spec): DisplayState => grouping.displayStateOf(spec, index.verdict(spec.id)) as DisplayState;
    const started = performance.now();
    const live = LiveTreeModel.build(
      { sorted: () => index.sorted(), get: (id) => index.specs.get(id), stateOf, phases: DEFAULT_PHASES },
      'phase',
    );
    const bench: TreeBench = {
      source: 'LiveTreeModel, src/core/present/liveTreeModel.ts: the root\'s page and the first group\'s',
      buildMs: performance.now() - started,
      update(changes) {
        const delta = live.apply(changes);
        if (index.readyCount() < 0) throw new Error('unreachable');
        return delta.roots || delta.moved ? 'rebuilt' : 'narrow';
      },
      build() {
        if (index.readyCount() < 0) throw new Error('unreachable');
        const roots = live.roots(100).nodes;
        const first = roots[0] ? live.page(roots[0].key, 100).nodes : [];
        for (const row of first) if (row.kind === 'spec') index.readiness(row.id);
        return { rootItems: roots.length, phaseChildren: first.length };
      },
    };
    return bench;
  }
  return {
    source: 'phaseOf over the index (src/core/present/grouping.ts not present)',
    update() {
      this.build();
      return 'rebuilt';
    },
    build() {
      const byPhase = new Map<string, Spec[]>();
      for (const spec of index.specs.values()) {
        index.readiness(spec.id);
        const phase = phaseOf(spec);
        const list = byPhase.get(phase) ?? [];
        list.push(spec);
        byPhase.set(phase, list);
      }
      const roots = orderedPhaseNames().filter((name) => byPhase.has(name));
      let largest: Spec[] = [];
      for (const list of byPhase.values()) if (list.length > largest.length) largest = list;
      const children = largest.filter((s) => parentOf(s.id) === undefined).sort((a, b) => compareSpecIds(a.id, b.id));
      return { rootItems: roots.length, phaseChildren: children.length };
    },
  };
}

async function measureGraph(p: GeneratedProject, options: SuiteOptions, log: (m: string) => void): Promise<GraphResult> {
  const index = await coldIndex(p.root);
  const archived = await index.loadArchive();
  const build = (scope?: { kind: 'investigation'; key: string }): SpecGraph =>
    buildSpecGraph(index.specs, { archived, scope, projectRoot: p.root });
  // The layout the panel draws (viewLayout: packed components for the project, phase columns for an
  // investigation, laid out for the draw benchmark's panel width), not a layout it does not use.
  const layout = options.layout;
  const lay = (graph: SpecGraph, scope: 'all' | 'investigation'): void => {
    if (layout) layoutGraphView(graph.nodes, graph.edges, scope, orderedPhaseNames(DEFAULT_PHASES), PANEL_WIDTH);
  };
  // The target is for a 2,000-node graph: the first 2,000 nodes of the project's graph (specs in id
  // order, then what they reference) and the edges between them. A slow layout is timed once: the
  // whole suite must stay within ten minutes.
  const buildTimes: number[] = [];
  const layoutTimes: number[] = [];
  let whole: SpecGraph = { nodes: [], edges: [] };
  for (let r = 0; r < 3; r++) {
    let start = performance.now();
    whole = firstNodes(build(), options.graphNodes ?? 2000);
    buildTimes.push(performance.now() - start);
    if (layout) {
      start = performance.now();
      lay(whole, 'all');
      layoutTimes.push(performance.now() - start);
      if (layoutTimes[0] > 3000) break;
    }
  }
  // The largest investigation: what the graph panel shows most of the time. Its build is what the
  // panel's host does for it (the graph, readiness for the tooltips, the scopes, which documents exist).
  const counts = new Map<string, number>();
  for (const spec of index.specs.values()) {
    const key = spec.labels.find((l) => /^issue-\d+$/.test(l));
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const investigation = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const invBuild: number[] = [];
  const invLayout: number[] = [];
  let invNodes = 0;
  if (investigation) {
    for (let r = 0; r < 7; r++) {
      let start = performance.now();
      const message = graphMessageFor(index, { kind: 'investigation', key: investigation });
      invBuild.push(performance.now() - start);
      invNodes = message.nodes.length;
      if (layout) {
        start = performance.now();
        lay(message, 'investigation');
        invLayout.push(performance.now() - start);
      }
    }
  }
  const result: GraphResult = {
    size: p.files.length,
    nodes: whole.nodes.length,
    edges: whole.edges.length,
    buildMs: round(median(buildTimes)),
    layoutMs: layout ? round(median(layoutTimes)) : undefined,
    investigation,
    investigationNodes: invNodes,
    investigationBuildMs: invBuild.length ? round(median(invBuild)) : 0,
    investigationLayoutMs: layout && invLayout.length ? round(median(invLayout)) : undefined,
    layoutSource: layout ? options.layoutSource : undefined,
    note: layout
      ? 'Layout measured under Node with the layout the webview draws (src/core/present/viewLayout.ts: packed components for the project, phase columns for an investigation, 1,280 px wide); the investigation\'s build is the panel host\'s whole message (graph, tooltips\' readiness, scopes, documents checked); the first draw in the webview is measured in Chromium (below).'
      : 'No layout module exists yet (src/webviews/**/layout*, src/core/present/graphLayout*.ts); only buildSpecGraph is measured.',
  };
  log(
    `graph ${result.nodes} nodes: build ${result.buildMs} ms, layout ${result.layoutMs ?? 'n/a'} ms; ` +
      `investigation ${investigation} (${invNodes} nodes): ${result.investigationBuildMs} + ${result.investigationLayoutMs ?? 'n/a'} ms`,
  );
  return result;
}

/** The corpus's workspace snapshot: the newest `workspace-*` folder with a `.chant/`, else any chant root. */
async function corpusWorkspace(corpusDir: string): Promise<string | undefined> {
  const snapshots = readdirSync(corpusDir)
    .filter((name) => name.startsWith('workspace-') && existsSync(path.join(corpusDir, name, '.chant')))
    .sort();
  if (snapshots.length > 0) return path.join(corpusDir, snapshots[snapshots.length - 1]);
  return (await findChantRoots(corpusDir, 2))[0];
}

/** The graph panel's message as the host builds it (median of three), and the message. */
function timedMessage(index: SpecIndex, limit?: number): { ms: number; message: ReturnType<typeof graphMessageFor> } {
  const times: number[] = [];
  let message = graphMessageFor(index, { kind: 'all' }, limit);
  for (let r = 0; r < 3; r++) {
    const start = performance.now();
    message = graphMessageFor(index, { kind: 'all' }, limit);
    times.push(performance.now() - start);
  }
  return { ms: round(median(times)), message };
}

/** The whole-project graph of the corpus snapshot and of the generated project, drawn in a browser. */
async function measureDrawing(p: GeneratedProject, options: SuiteOptions, log: (m: string) => void): Promise<DrawResult> {
  if (!options.measureDraw) return { skipped: options.drawSkipped ?? 'no browser to draw in', notes: [] };
  const inputs: DrawInput[] = [];
  const notes: string[] = [];
  const corpus = options.corpusDir && existsSync(options.corpusDir) ? await corpusWorkspace(options.corpusDir) : undefined;
  if (corpus) {
    const index = await SpecIndex.load(corpus, { includeArchive: true });
    const { ms, message } = timedMessage(index);
    inputs.push({ name: 'corpus', label: `corpus snapshot ${path.basename(corpus)}, whole project`, message, messageMs: ms });
  } else {
    notes.push(`corpus not found${options.corpusDir ? ` at ${options.corpusDir}` : ''} (set CHANT_CORPUS): its whole-project draw is skipped`);
    log(`bench: ${notes[notes.length - 1]}`);
  }
  // The example investigation, opened from its Root Cause spec (chain scope), as a user first sees it.
  const example = path.resolve(__dirname, '..', '..', 'examples', 'kvstore'); // from out/bench or out-test/bench
  if (existsSync(path.join(example, '.chant'))) {
    const kv = await SpecIndex.load(example, { includeArchive: true });
    const started = performance.now();
    const message = { ...graphMessageFor(kv, { kind: 'around', id: '2026-02-08-005-k9w' }), focus: '2026-02-08-005-k9w' };
    inputs.push({ name: 'kvstore', label: 'examples/kvstore, the chain of its Root Cause spec (issue-1234)', message, messageMs: round(performance.now() - started) });
  }
  const index = await coldIndex(p.root);
  await index.loadArchive();
  const limit = options.graphNodes ?? 2000;
  const { ms, message } = timedMessage(index, limit);
  inputs.push({ name: 'generated', label: `generated ${p.files.length}-spec project, whole project cut to its first ${limit} nodes`, message, messageMs: ms });
  return { ...(await options.measureDraw(inputs)), notes };
}

/** Size in bytes of a file, or undefined. */
export function fileSize(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}

function roundOrUndefined(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.round(value * 100) / 100;
}
