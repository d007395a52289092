// The Runs view and live logs (issue 12), measured with the code the extension ships:
//  - the Runs view's first items (its groups and the rows of the first one) with 1,000 past runs,
//    built by core/present/runsViewModel.ts from records read back as the registry reads its storage;
//  - the event-loop delay (perf_hooks.monitorEventLoopDelay, p99 and max) while the scripted agent
//    prints 100 stream-json lines a second and a StreamTail follows its output file every 400 ms,
//    as the extension does for a live run.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { recordsFromSaved, type RunRecord } from '../src/core/runs/runRecord';
import { runsViewModel } from '../src/core/present/runsViewModel';
import { StreamTail } from '../src/core/runs/streamTail';

export interface RunsBenchResult {
  pastRuns: number;
  /** Median and worst of 21 builds: reading the saved records back plus the first items. */
  firstItemsMedianMs: number;
  firstItemsMaxMs: number;
  linesPerSecond: number;
  seconds: number;
  linesRead: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  loadAverage: number;
  measuredAt: string;
}

function pastRuns(n: number): unknown[] {
  const states = ['completed', 'completed', 'completed', 'failed', 'stopped'];
  const out: RunRecord[] = [];
  for (let i = 0; i < n; i++) {
    const id = `2026-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}-${String(i % 1000).padStart(3, '0')}-r${(i % 36).toString(36)}x`;
    out.push({
      key: `${id}@${1_760_000_000_000 + i * 60_000}`,
      id,
      root: '/work/project',
      runner: i % 7 === 0 ? 'cli' : 'direct',
      state: states[i % states.length] as RunRecord['state'],
      startedAt: 1_760_000_000_000 + i * 60_000,
      endedAt: 1_760_000_000_000 + i * 60_000 + 45_000,
      title: `Past run number ${i} of the benchmark, with a title of a usual length`,
      phase: ['Comprehension', 'Root Cause', 'Fork Fix', undefined][i % 4],
      agent: 'claude',
      model: 'sonnet',
      branch: `chant/${id}`,
      usage: { inputTokens: 12_000 + i, outputTokens: 4_000, cacheReadTokens: 30_000, cacheCreationTokens: 2_000, costUsd: 0.12 + (i % 10) / 100, turns: 7 },
      lastActivity: `Edit src/module-${i}.rs`,
      need: i % 50 === 0 ? 'merge' : undefined,
    });
  }
  return JSON.parse(JSON.stringify(out));
}

function firstItems(saved: unknown[]): number {
  const start = performance.now();
  const records = recordsFromSaved(saved);
  const groups = runsViewModel(records, [], Date.now());
  // What VS Code asks first: the groups, then the children of the expanded first group.
  if (groups.length === 0 || groups[0].rows.length === 0) throw new Error('the Runs view model built no rows');
  return performance.now() - start;
}

async function streamDelay(agentScript: string, linesPerSecond: number, seconds: number): Promise<{ p99: number; max: number; lines: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-runs-bench-'));
  try {
    execFileSync('git', ['init', '-q'], { cwd: dir });
    fs.mkdirSync(path.join(dir, '.chant', 'specs'), { recursive: true });
    const id = '2026-01-01-001-bch';
    fs.writeFileSync(path.join(dir, '.chant', 'specs', `${id}.md`), '---\ntype: code\nstatus: in_progress\n---\n# Bench\n\n## Acceptance Criteria\n\n- [ ] Done\n');
    const prompt = path.join(dir, 'prompt.md');
    fs.writeFileSync(prompt, 'Benchmark prompt.\n');
    const streamFile = path.join(dir, 'stream.jsonl');
    const out = fs.openSync(streamFile, 'a');
    const child = spawn(process.execPath, [agentScript, '--prompt', prompt, '--stream-json', '--no-commit', '--lines-per-second', String(linesPerSecond), '--seconds', String(seconds)], {
      cwd: dir,
      env: { ...process.env, CHANT_SPEC_ID: id },
      stdio: ['ignore', out, 'ignore'],
    });
    const tail = new StreamTail(streamFile, 0);
    let lines = 0;
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    histogram.enable();
    const timer = setInterval(() => void tail.poll().then((l) => (lines += l.length)), 400);
    await new Promise<void>((resolve) => child.on('exit', () => resolve()));
    clearInterval(timer);
    lines += (await tail.drain()).length;
    histogram.disable();
    fs.closeSync(out);
    return { p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6, lines };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function runRunsBench(options: { agentScript: string; pastRuns?: number; linesPerSecond?: number; seconds?: number }): Promise<RunsBenchResult> {
  const n = options.pastRuns ?? 1000;
  const saved = pastRuns(n);
  firstItems(saved); // warm the code paths, as an activated extension has
  const samples = Array.from({ length: 21 }, () => firstItems(saved)).sort((a, b) => a - b);
  const linesPerSecond = options.linesPerSecond ?? 100;
  const seconds = options.seconds ?? 10;
  const delay = await streamDelay(options.agentScript, linesPerSecond, seconds);
  const round = (x: number): number => Math.round(x * 10) / 10;
  return {
    pastRuns: n,
    firstItemsMedianMs: round(samples[10]),
    firstItemsMaxMs: round(samples[samples.length - 1]),
    linesPerSecond,
    seconds,
    linesRead: delay.lines,
    loopDelayP99Ms: round(delay.p99),
    loopDelayMaxMs: round(delay.max),
    loadAverage: round(os.loadavg()[0]),
    measuredAt: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  };
}

/** The BENCHMARKS.md section (between its markers, kept when the rest of the file is rewritten). */
export function runsSection(r: RunsBenchResult): string {
  return [
    RUNS_START,
    '## Runs view and live logs',
    '',
    '| measure | target | measured | met |',
    '|---|---|---|---|',
    `| Runs view first items, ${r.pastRuns} past runs (records read back from storage + groups + first group's rows) | < 100 ms | median ${r.firstItemsMedianMs} ms, worst of 21 ${r.firstItemsMaxMs} ms | ${r.firstItemsMaxMs < 100 ? 'yes' : 'no'} |`,
    `| event-loop delay while an agent prints ${r.linesPerSecond} stream-json lines/s for ${r.seconds} s, followed every 400 ms (${r.linesRead} transcript lines read) | p99 < 50 ms | p99 ${r.loopDelayP99Ms} ms, max ${r.loopDelayMaxMs} ms | ${r.loopDelayP99Ms < 50 ? 'yes' : 'no'} |`,
    '',
    `Measured ${r.measuredAt}, load average ${r.loadAverage}, with \`npm run bench -- --runs\` (bench/runsBench.ts): the view model and the`,
    'stream follower are the modules the extension runs (core/present/runsViewModel.ts, core/runs/streamTail.ts); the',
    'agent is the test suite\'s scripted agent (`--stream-json --lines-per-second N --seconds S`) writing to a file.',
    RUNS_END,
  ].join('\n');
}

export const RUNS_START = '<!-- runs-bench:start -->';
export const RUNS_END = '<!-- runs-bench:end -->';
