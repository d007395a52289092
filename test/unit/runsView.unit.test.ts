// The Runs view's model without the editor: which group a run goes in, the order, what a row says,
// records read back from storage (malformed ones dropped, live ones marked stopped), the agent's
// name, and following a growing stream file.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { agentName } from '../../src/core/runs/agents/presets';
import { chainsFromSaved, groupOfRun, recordsFromSaved, runDescription, runDetails, todaysCost, todaysCostLabel, totalCost, type RunRecord } from '../../src/core/runs/runRecord';
import { runsViewModel, safeTitle } from '../../src/core/present/runsViewModel';
import { StreamTail } from '../../src/core/runs/streamTail';

const base = (over: Partial<RunRecord>): RunRecord => ({ key: `${over.id ?? 'x'}@1`, id: '2026-01-01-001-abc', root: '/p', runner: 'direct', state: 'completed', startedAt: 1000, ...over });

describe('Runs view model', () => {
  it('puts each run in its group: waiting for the user, running, queued, done', () => {
    assert.equal(groupOfRun(base({ state: 'completed', need: 'merge' })), 'needs-you');
    assert.equal(groupOfRun(base({ state: 'failed', need: 'failed' })), 'needs-you');
    assert.equal(groupOfRun(base({ state: 'running' })), 'running');
    assert.equal(groupOfRun(base({ state: 'finishing' })), 'running');
    assert.equal(groupOfRun(base({ state: 'queued' })), 'queued');
    assert.equal(groupOfRun(base({ state: 'completed' })), 'done');
    assert.equal(groupOfRun(base({ state: 'stopped' })), 'done');
  });

  it('orders Needs you and Done newest first, Running oldest first, Queued in queue order; leaves empty groups out', () => {
    const records = [
      base({ key: 'a', id: 'a', state: 'completed', startedAt: 1 }),
      base({ key: 'b', id: 'b', state: 'running', startedAt: 2 }),
      base({ key: 'c', id: 'c', state: 'completed', startedAt: 3 }),
      base({ key: 'd', id: 'd', state: 'running', startedAt: 4 }),
      base({ key: 'e', id: 'e', state: 'queued', startedAt: 5, waitsFor: 'b' }),
      base({ key: 'f', id: 'f', state: 'queued', startedAt: 6 }),
    ];
    const model = runsViewModel(records, [{ key: 'ch', root: '/p', investigation: 'issue-7', state: 'waiting', startedAt: 0, current: 'a', currentTitle: 'Root cause' }], 10_000);
    assert.deepEqual(model.map((g) => g.group), ['needs-you', 'running', 'queued', 'done']);
    assert.deepEqual(model[0].rows.map((r) => r.kind), ['chain']);
    assert.match(model[0].rows[0].description, /waits: merge Root cause/);
    const ids = (i: number): string[] => model[i].rows.map((r) => (r.kind === 'run' ? r.record.id : r.chain.key));
    assert.deepEqual(ids(1), ['b', 'd']);
    assert.deepEqual(ids(2), ['e', 'f']);
    assert.deepEqual(ids(3), ['c', 'a']);
    assert.match(model[2].rows[0].description, /waits for b/);
    assert.deepEqual(runsViewModel([], [], 0), []);
  });

  it("counts a chain's cost from the runs it started only, not every run of its investigation", () => {
    const usage = (costUsd: number) => ({
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheCreationTokens: 0,
      costUsd,
    });
    const records = [
      base({ key: 'before', id: 'a', state: 'completed', investigation: 'issue-7', usage: usage(1) }),
      base({ key: 'in1', id: 'a', state: 'completed', investigation: 'issue-7', chain: 'ch', usage: usage(0.25) }),
      base({ key: 'in2', id: 'b', state: 'completed', investigation: 'issue-7', chain: 'ch', usage: usage(0.5) }),
      base({ key: 'other', id: 'c', state: 'completed', investigation: 'issue-7', chain: 'older', usage: usage(2) }),
    ];
    const model = runsViewModel(records, [{ key: 'ch', root: '/p', investigation: 'issue-7', state: 'done', startedAt: 0, outcome: 'every phase completed' }], 10_000);
    const row = model.flatMap((g) => g.rows).find((r) => r.kind === 'chain')!;
    assert.match(row.description, /\$0\.75 spent$/);
    assert.equal(recordsFromSaved([{ key: 'k', id: 'a', root: '/p', state: 'completed', startedAt: 1, chain: 'ch' }])[0].chain, 'ch');
  });

  it('says short id, phase, state, duration and cost on a row, and keeps titles to one clean line', () => {
    const run = base({ id: '2026-02-08-005-k9w', phase: 'Root Cause', state: 'completed', need: 'merge', startedAt: 0, endedAt: 125_000, usage: { inputTokens: 1, outputTokens: 2, cacheReadTokens: 0, cacheCreationTokens: 0, costUsd: 0.42 } });
    assert.equal(runDescription(run, '005-k9w', 999_999), '005-k9w · Root Cause · review and merge · 2 min 5 s · $0.42');
    assert.equal(runDescription({ ...run, agent: 'codex', model: 'gpt-5-codex' }, '005-k9w', 999_999), '005-k9w · Root Cause · review and merge · 2 min 5 s · $0.42 · codex gpt-5-codex');
    assert.equal(safeTitle('Fix\u001b[31m it\nnow', 'id'), 'Fix [31m it now');
    assert.equal(safeTitle('   ', 'the-id'), 'the-id');
    assert.equal(
      totalCost([
        run,
        base({ usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0, costUsd: 0.08 } }),
        base({}),
      ]),
      0.5,
    );
    assert.equal(totalCost([base({})]), undefined);
  });

  it('reads saved records back, dropping malformed ones; a run live when the window closed is stopped', () => {
    const saved = [
      { key: 'k1', id: 'a', root: '/p', runner: 'direct', state: 'completed', startedAt: 5, need: 'merge', usage: { inputTokens: 3, outputTokens: 4, costUsd: 0.1 }, title: 'T' },
      { key: 'k2', id: 'b', root: '/p', runner: 'cli', state: 'running', startedAt: 6 },
      { key: 'k3', id: 'c', root: '/p', state: 'exploded', startedAt: 7 },
      { id: 'd', root: '/p', state: 'completed', startedAt: 8 },
      'nonsense',
      null,
      { key: 'k4', id: 'e', root: '/p', state: 'failed', startedAt: 9, need: 'bogus', title: 42, format: 'nonsense' },
      { key: 'k5', id: 'f', root: '/p', state: 'completed', startedAt: 10, format: 'codex', agent: 'codex', usage: { inputTokens: 1, outputTokens: 2, costUsd: 0.2, costFromPrices: true } },
    ];
    const records = recordsFromSaved(saved);
    assert.deepEqual(records.map((r) => [r.key, r.state, r.need, r.runner, r.title]), [
      ['k1', 'completed', 'merge', 'direct', 'T'],
      ['k2', 'stopped', undefined, 'cli', undefined],
      ['k4', 'failed', undefined, 'direct', undefined],
      ['k5', 'completed', undefined, 'direct', undefined],
    ]);
    assert.deepEqual(records.map((r) => r.format), [undefined, undefined, undefined, 'codex'], 'the format a run recorded comes back, so its stream is read right');
    assert.equal(records[3].usage?.costFromPrices, true);
    assert.match(runDescription(records[3], 'f', 20), / · ~\$0\.20 · codex$/);
    assert.deepEqual(runDetails({ ...records[2], usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheCreationTokens: 0 } }).find((d) => d.label === 'Usage')?.value, '1 in · 1 out · cost unknown');
    assert.deepEqual(records[0].usage, {
      inputTokens: 3,
      outputTokens: 4,
      cacheReadTokens: 0,
      cacheCreationTokens: 0,
      costUsd: 0.1,
    });
    assert.deepEqual(recordsFromSaved({ not: 'an array' }), []);
    const chains = chainsFromSaved([{ key: 'c', root: '/p', investigation: 'issue-1', state: 'running', startedAt: 1 }, { key: 'x' }]);
    assert.deepEqual(chains.map((c) => c.state), ['waiting'], 'a chain whose loop died with the window waits for the user');
  });

  it('names the agent from chant.agent.command', () => {
    assert.equal(agentName(''), 'claude');
    assert.equal(agentName('claude --print --model ${model}'), 'claude');
    assert.equal(agentName('node /x/test/agent/scriptedAgent.js --prompt ${promptFile}'), 'node scriptedAgent.js');
    assert.equal(agentName('FOO=1 /usr/local/bin/aider --yes'), 'aider');
  });
});

describe("today's cost", () => {
  it('sums the runs started today, says when part is estimated, and counts the runs whose cost is unknown', () => {
    const now = new Date(2026, 11, 7, 15, 0, 0).getTime();
    const usage = (costUsd?: number, costFromPrices?: boolean) => ({
      inputTokens: 1,
      outputTokens: 1,
      cacheReadTokens: 0,
      cacheCreationTokens: 0,
      ...(costUsd !== undefined ? { costUsd } : {}),
      ...(costFromPrices ? { costFromPrices } : {}),
    });
    const runs = [
      base({ key: 'a', startedAt: new Date(2026, 11, 6, 23, 59).getTime(), usage: usage(5) }),
      base({ key: 'b', startedAt: new Date(2026, 11, 7, 0, 1).getTime(), usage: usage(0.5) }),
      base({ key: 'c', startedAt: new Date(2026, 11, 7, 9, 0).getTime(), usage: usage(0.25, true) }),
      base({ key: 'd', startedAt: new Date(2026, 11, 7, 10, 0).getTime(), usage: usage() }),
      base({ key: 'e', startedAt: new Date(2026, 11, 7, 11, 0).getTime(), state: 'queued' }),
    ];
    const today = todaysCost(runs, now);
    assert.deepEqual(today, { usd: 0.75, runs: 3, unknown: 1, estimated: true });
    assert.equal(todaysCostLabel(today), 'today ~$0.75 · 3 runs (1 cost unknown)');
    assert.equal(todaysCostLabel(todaysCost([], now)), '');
    // When no run reported a cost, no "$0.00" that would read as free.
    assert.equal(todaysCostLabel(todaysCost([runs[3]], now)), 'today · 1 run, cost unknown');
  });
});

describe('StreamTail', () => {
  it('reads only what the file gained, keeps a split character whole, and finishes a last unterminated line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-tail-'));
    try {
      const file = path.join(dir, 'stream.jsonl');
      const tail = new StreamTail(file, 0, 5);
      assert.deepEqual(await tail.poll(), [], 'a missing file is no output yet');
      const text = '{"type":"assistant","message":{"content":[{"type":"text","text":"Café ok"}]}}\n';
      fs.writeFileSync(file, text);
      const lines = [];
      // 5 bytes a read: the é (two bytes) is split across reads at some point.
      for (let i = 0; i < 40; i++) lines.push(...(await tail.poll()));
      assert.deepEqual(lines.map((l) => l.text), ['Café ok']);
      fs.appendFileSync(file, 'plain tail without newline');
      assert.deepEqual((await tail.drain()).map((l) => [l.kind, l.text]), [['plain', 'plain tail without newline']]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
