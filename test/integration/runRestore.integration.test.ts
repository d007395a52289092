// Runs survive a window reload: the registry saves live runs in the workspace state, and a new
// registry (the reloaded window's) finds a run whose agent still works, treats it as running, and
// follows its status file to the end. Driven with two real registries over one memento and a real
// process standing in for the agent.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { processStartTime } from '../../src/core/runs/processIdentity';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChantApi } from '../../src/api';
import { LIVE_RUNS_KEY, RunRegistry } from '../../src/runs/runRegistry';
import { reattachRuns } from '../../src/runs/work';
import { EXTENSION_ID, memento } from './runSuite';

/** A process standing in for a run's agent, and the status file the run's wrapper wrote for it. */
function workingAgent(statusFile: string): { agent: ChildProcess; statusFile: string } {
  const agent = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  // As the wrapper writes it: the pid and that process's start time (field 22 of /proc/<pid>/stat).
  fs.writeFileSync(statusFile, `{"status":"working","pid":${agent.pid},"started":"${processStartTime(agent.pid!)}"}\n`);
  return { agent, statusFile };
}

describe('Runs across a window reload', () => {
  let api: ChantApi;
  let dir: string;
  before(async () => {
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as ChantApi;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-restore-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a run whose agent still works is running again after the reload, and ends when its status file says so', async () => {
    const { agent, statusFile } = workingAgent(path.join(dir, 'status.json'));
    const root = api.projects.projects()[0].paths.root;
    const id = '2026-05-01-001-rld';
    const state = memento();
    const before = new RunRegistry(state);
    const run = before.begin(root, id, 'cli');
    before.update(run, { state: 'running', statusFile });
    await before.whenSaved();
    assert.equal((state.get<unknown[]>(LIVE_RUNS_KEY) ?? []).length, 1, 'the live run is saved');
    before.dispose(); // the window goes away; the agent does not

    const after = new RunRegistry(state);
    try {
      const followed = reattachRuns({
        projects: api.projects,
        registry: after,
        terminals: api.terminals,
        logs: api.logs,
        agents: api.agents,
      });
      await followed;
      const restored = after.get(id, root);
      assert.ok(restored?.restored, 'the run is known again');
      assert.equal(after.isRunning(id, root), true, 'a second agent on it would be refused');
      fs.writeFileSync(statusFile, '{"status":"done","exit_code":0}\n');
      const ended = await Promise.race([
        restored.done,
        new Promise<undefined>((r) => setTimeout(() => r(undefined), 15_000)),
      ]);
      assert.ok(ended, 'the run ended when its status file said done');
      assert.equal(ended.state, 'completed');
      assert.equal(after.isRunning(id, root), false);
      await after.whenSaved();
      assert.deepEqual(state.get(LIVE_RUNS_KEY), [], 'nothing is left to restore');
    } finally {
      after.dispose();
      agent.kill();
    }
  });

  it('a parallel batch stays one batch after the reload: its live run is restored in it, its queued run kept in it as not started', async () => {
    const { agent, statusFile } = workingAgent(path.join(dir, 'batch-status.json'));
    const root = api.projects.projects()[0].paths.root;
    const [liveId, queuedId] = ['2026-05-01-004-bat', '2026-05-01-005-bat'];
    const state = memento();
    const before = new RunRegistry(state);
    const batch = before.beginBatch(root);
    const live = before.begin(root, liveId, 'cli', { batch: batch.key });
    before.update(live, { state: 'running', statusFile });
    before.begin(root, queuedId, 'direct', { batch: batch.key, queued: true });
    await before.whenSaved();
    before.dispose(); // the window, and the batch's scheduler with it, goes away; the agent does not

    const after = new RunRegistry(state);
    try {
      const restored = await after.restore();
      assert.deepEqual(restored.map((r) => [r.id, r.batch]), [[liveId, batch.key]], 'the live run is restored in its batch');
      const inBatch = after.history().filter((r) => r.batch === batch.key);
      assert.deepEqual(inBatch.map((r) => r.id).sort(), [liveId, queuedId], 'both runs are still grouped as the batch');
      const notStarted = inBatch.find((r) => r.id === queuedId);
      assert.equal(notStarted?.state, 'stopped');
      assert.match(notStarted?.reason ?? '', /window closed/);
      const record = after.batch(batch.key);
      assert.equal(record?.root, root, 'the registry knows the batch again');
      assert.equal(record?.state, 'done');
      assert.match(record?.outcome ?? '', /queued specs were not started/);
      assert.equal(after.controlBatch(batch.key, 'pause'), false, 'no scheduler runs it in this window');
    } finally {
      after.dispose();
      agent.kill();
    }
  });

  it('a pid now held by another program (its start time differs) is not the run: never restored, nor pid 0 or 1 (issue 19, finding 8)', async () => {
    const other = spawn(process.execPath, ['-e', 'process.on("SIGHUP", () => {}); setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const statusFile = path.join(dir, 'reused.json');
    // The run's shell had this pid before a reboot; a different program holds it now.
    fs.writeFileSync(statusFile, `{"status":"working","pid":${other.pid},"started":"${Number(processStartTime(other.pid!)) - 100}"}\n`);
    const state = memento();
    await state.update(LIVE_RUNS_KEY, [{ id: '2026-05-01-003-rus', root: api.projects.projects()[0].paths.root, runner: 'direct', startedAt: Date.now(), statusFile }]);
    const registry = new RunRegistry(state);
    try {
      assert.deepEqual(await registry.restore(), []);
      assert.equal(registry.runningCount, 0);
      for (const forged of [0, 1]) {
        fs.writeFileSync(statusFile, `{"status":"working","pid":${forged}}\n`);
        assert.deepEqual(await registry.restore(), [], `pid ${forged}`);
      }
      assert.equal(other.exitCode, null, 'the other program still runs');
    } finally {
      registry.dispose();
      other.kill('SIGKILL');
    }
  });

  it('a run whose agent died with the window is not restored', async () => {
    const statusFile = path.join(dir, 'dead.json');
    const dead = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => dead.on('exit', resolve));
    fs.writeFileSync(statusFile, `{"status":"working","pid":${dead.pid}}\n`);
    const state = memento();
    await state.update(LIVE_RUNS_KEY, [{ id: '2026-05-01-002-ded', root: api.projects.projects()[0].paths.root, runner: 'cli', startedAt: Date.now(), statusFile }]);
    const registry = new RunRegistry(state);
    try {
      assert.deepEqual(await registry.restore(), []);
      assert.equal(registry.runningCount, 0);
    } finally {
      registry.dispose();
    }
  });
});
