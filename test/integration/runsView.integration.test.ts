// The Runs view in a real extension host (issue 12): a parallel batch of ten specs worked by the
// scripted agent speaking claude's stream-json (limit two, one pair with overlapping targets), the
// run history across a reload, and a phase chain that waits in Needs you between phases, however
// long its notification is ignored, until Merge and Continue in the view moves it on.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ChantApi } from '../../src/api';
import { RunRegistry, type RunInfo } from '../../src/runs/runRegistry';
import type { RunGroupNode, RunsNode } from '../../src/views/treeNodes';
import { cleanUpRunSuite, memento, setUpRunSuite, type RunSuite } from './runSuite';
import { waitFor, withTimeout } from './wait';

const BATCH = Array.from({ length: 10 }, (_, i) => `2026-06-01-${String(i + 1).padStart(3, '0')}-p${String.fromCharCode(97 + i)}x`);
/** The first two write the same file: they must never run at the same time. */
const target = (i: number): string => (i < 2 ? 'src/par-shared.txt' : `src/par-${i}.txt`);

function batchSpec(i: number): string {
  return [
    '---',
    'type: code',
    'status: pending',
    'target_files:',
    `- ${target(i)}`,
    '---',
    `# Parallel spec ${i + 1}`,
    '',
    '## Goal',
    '',
    `Write ${target(i)} with the spec's output.`,
    '',
    '## Acceptance Criteria',
    '',
    `- [ ] Create ${target(i)}`,
    '- [ ] Add the output text',
    '- [ ] Add the file to a commit',
    '- [ ] Check the criteria',
    '',
  ].join('\n');
}

describe('Runs view', function () {
  this.timeout(240_000);
  let suite: RunSuite | undefined;
  let root: string;
  let api: ChantApi;
  let chainIds: string[] = [];
  const git = (...args: string[]): string => suite!.git(...args);
  const specFile = (id: string): string => suite!.specFile(id);
  const groups = async (): Promise<RunGroupNode[]> => (await api.runsView.getChildren()) as RunGroupNode[];

  before(async () => {
    suite = await setUpRunSuite({
      scratchPrefix: 'chant-runsview-it-',
      specs: Object.fromEntries(BATCH.map((id, i) => [id, batchSpec(i)])),
      message: 'test: specs for a parallel batch',
      settings: (agent) => ({ 'agent.command': `node ${agent} --prompt \${promptFile} --stream-json --delay 800`, runner: 'direct' }),
    });
    ({ root, api } = suite);
  });

  after(async () => {
    await cleanUpRunSuite(suite, {
      ids: [...BATCH, ...chainIds],
      settings: ['agent.command', 'runner'],
      files: ['.chant/research/issue-4400-comprehension.md', '.chant/research/issue-4400-reproduction.md'],
      message: 'test: remove the Runs view specs',
    });
    api.runs.clearHistory();
    for (const record of api.runs.history()) if (record.need) api.runs.dismiss(record.key);
  });

  it('works a batch of ten, two at a time, never the overlapping pair together, and loses nothing', async () => {
    // Who runs when, from the registry's own events.
    const live = new Set<string>();
    let most = 0;
    const spans = new Map<string, { start: number; end?: number }>();
    const listener = api.runs.onDidChange(({ id, run }) => {
      if (!run || !BATCH.includes(id)) return;
      const active = run.state === 'starting' || run.state === 'running' || run.state === 'finishing';
      if (active && !live.has(id)) {
        live.add(id);
        spans.set(id, { start: Date.now() });
      } else if (!active && live.has(id)) {
        live.delete(id);
        spans.get(id)!.end = Date.now();
      }
      most = Math.max(most, live.size);
    });
    let runs: RunInfo[];
    try {
      const batch = vscode.commands.executeCommand<RunInfo[]>('chant.workParallel', { ids: BATCH, maxAgents: 2 });
      // While it works, the view shows running and queued runs, and the second of the pair waits for the first.
      await waitFor(async () => (await groups()).some((g) => g.group === 'queued'), 20_000, 'the Queued group');
      const queued = (await groups()).find((g) => g.group === 'queued')!;
      assert.ok(queued.rows.length >= 1);
      runs = (await withTimeout(Promise.resolve(batch), 200_000, 'the batch to finish'))!;
    } finally {
      listener.dispose();
    }
    assert.equal(runs.length, 10);
    assert.deepEqual(runs.map((r) => r.state), BATCH.map(() => 'completed'), runs.map((r) => `${r.id}: ${r.state} ${r.reason ?? ''}`).join('\n'));
    assert.ok(most <= 2, `at most two at once (saw ${most})`);
    assert.ok(most === 2, 'two did run at once');
    const [a, b] = [spans.get(BATCH[0])!, spans.get(BATCH[1])!];
    assert.ok(a.end! <= b.start || b.end! <= a.start, `the overlapping pair ran at the same time: ${JSON.stringify([a, b])}`);
    // Nothing lost: every spec's file is committed on its branch, and the spec says completed.
    BATCH.forEach((id, i) => {
      assert.match(git('show', `chant/${id}:${target(i)}`), /Written by the scripted agent/, id);
      assert.match(fs.readFileSync(specFile(id), 'utf8'), /^status: completed$/m, id);
    });
    // Each run reports the agent's usage and cost (stream-json's result event) and its last activity.
    for (const run of runs) {
      assert.ok(run.usage && run.usage.costUsd !== undefined && run.usage.costUsd > 0, `${run.id} has a cost`);
      assert.ok(run.usage.outputTokens > 0);
      assert.ok(run.lastActivity, `${run.id} has a latest activity`);
      assert.equal(run.need, 'merge', 'a completed run with commits waits for review and merge');
    }
    // The view: the ten wait in Needs you (the badge counts them), nothing is running or queued.
    const needs = (await groups()).find((g) => g.group === 'needs-you')!;
    assert.ok(BATCH.every((id) => needs.rows.some((r) => r.kind === 'run' && r.record.id === id)));
    assert.ok(!(await groups()).some((g) => g.group === 'running' || g.group === 'queued'));
    const view = (api.runsView as unknown as { view: vscode.TreeView<RunsNode> }).view;
    await waitFor(() => (view.badge?.value ?? 0) >= 10, 5_000, 'the badge to count the runs that need the user');
    const item = api.runsView.getTreeItem((await api.runsView.getChildren(needs))[0]);
    assert.match(String(item.description), /completed|review and merge/);
    assert.match(String(item.description), /\$\d/);
  });

  it('opens a run\'s readable transcript from its row', async () => {
    const needs = (await groups()).find((g) => g.group === 'needs-you')!;
    const row = (await api.runsView.getChildren(needs)).find((n) => n.kind === 'run' && BATCH.includes(n.record.id))!;
    await vscode.commands.executeCommand('chant.run.openLog', row);
    const doc = await waitFor(() => vscode.window.visibleTextEditors.map((e) => e.document).find((d) => d.uri.scheme === 'chant-run-log'), 10_000, 'the transcript editor');
    const text = doc.getText();
    assert.match(text, /› Write /, 'one line per tool call with its main argument');
    assert.match(text, /scripted agent/i);
    assert.doesNotMatch(text, /"type":"assistant"/, 'no raw JSON');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('keeps the history across a reload: a new registry over the same storage shows the same runs', async () => {
    const state = memento();
    const before = new RunRegistry(state);
    const done = before.begin(root, BATCH[0], 'direct', { title: 'Parallel spec 1', phase: 'Fork Fix' });
    before.update(done, { state: 'running', usage: { inputTokens: 10, outputTokens: 20, cacheReadTokens: 0, cacheCreationTokens: 0, costUsd: 0.5 } });
    before.finish(done, 'completed', 'merge');
    const failed = before.begin(root, BATCH[1], 'cli');
    before.finish(failed, 'failed');
    const chain = before.beginChain(root, 'issue-4400');
    void before.waitForDecision(chain, BATCH[2], 'Comprehension');
    await before.whenSaved();
    before.dispose();
    const after = new RunRegistry(state);
    try {
      assert.deepEqual(after.history().map((r) => [r.id, r.state, r.need, r.title, r.usage?.costUsd]), [
        [BATCH[0], 'completed', 'merge', 'Parallel spec 1', 0.5],
        [BATCH[1], 'failed', 'failed', undefined, undefined],
      ]);
      assert.equal(after.chains()[0].state, 'waiting', 'the chain still waits for the user');
      assert.equal(after.needsYouCount, 3);
      // No loop listens after a reload: deciding tells the caller to resume the chain itself.
      assert.equal(after.decide(chain.key, 'continue'), false);
    } finally {
      after.dispose();
    }
  });

  it('parks a chain in Needs you between phases; an unanswered notification loses nothing; Merge and Continue from the view goes on', async () => {
    chainIds = (await vscode.commands.executeCommand<string[]>('chant.startInvestigation', {
      issue: 'https://github.com/yourproject/kvstore/issues/4400',
      summary: 'stalls on compaction',
      mode: 'chain',
      showGraph: false,
    }))!;
    await waitFor(() => chainIds.every((id) => api.projects.findSpec(id)), 20_000, 'the index to see the investigation');
    const chainDone = vscode.commands.executeCommand<string[]>('chant.workPhaseChain', chainIds[0], { pauseBetweenPhases: true, maxPhases: 2 });
    const chain = await waitFor(() => api.runs.chains().find((c) => c.investigation === 'issue-4400' && c.state === 'waiting'), 120_000, 'the chain to wait between phases');
    assert.equal(chain.current, chainIds[0]);
    // The question's notification is never answered; the chain waits in the view, in Needs you.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(chain.state, 'waiting');
    assert.equal(git('branch', '--list', `chant/${chainIds[1]}`), '', 'the next phase has not started');
    const needs = (await groups()).find((g) => g.group === 'needs-you')!;
    const row = (await api.runsView.getChildren(needs)).find((n) => n.kind === 'chain' && n.chain.key === chain.key);
    assert.ok(row, 'the chain has its own row in Needs you');
    assert.equal(api.runsView.getTreeItem(row).contextValue, 'chain:waiting');
    const firstHead = git('rev-parse', `chant/${chainIds[0]}`);
    await vscode.commands.executeCommand('chant.run.chainContinue', row);
    await waitFor(() => chain.state === 'waiting' && chain.current === chainIds[1], 120_000, 'the second phase to be worked and the chain to wait again');
    // One merge path: Merge and Continue merges as "Merge and Delete Branch" does; the merged branch is gone.
    execFileSync('git', ['merge-base', '--is-ancestor', firstHead, 'main'], { cwd: root });
    assert.equal(git('branch', '--list', `chant/${chainIds[0]}`), '', 'the merged phase branch was deleted');
    await vscode.commands.executeCommand('chant.run.chainStop', chain.key);
    assert.deepEqual(await withTimeout(Promise.resolve(chainDone), 20_000, 'the chain to end'), chainIds.slice(0, 2));
    assert.equal(chain.state, 'done');
  });
});
