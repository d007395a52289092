// The GitHub Actions runner in a real extension host: Set Up GitHub Actions writes the workflow,
// the test commits and pushes it to `origin` (a local bare repository standing in for
// github.com/acme/fixture through `url.<path>.insteadOf`), and a batch of six specs goes to
// Actions with chant.actions.maxRuns 3. The fake gh of test/fixtures/gh runs each job's steps from
// the pushed workflow in a temporary clone, with the scripted agent as `claude` on the "runner":
// one agent fails, one run is cancelled while it works. Every branch comes back by git fetch, the
// specs are marked as a local run marks them, and Review Changes and Merge work on a fetched branch.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChantApi } from '../../src/api';
import type { RunInfo } from '../../src/runs/runRegistry';
import { runRow } from '../../src/core/present/runsViewModel';
import { ACTIONS_WORKFLOW_PATH } from '../../src/core/workflow/actionsWorkflow';
import { chantConfig, cleanUpRunSuite, memento, setUpRunSuite, type RunSuite } from './runSuite';
import { waitFor, withTimeout } from './wait';
import { RunRegistry } from '../../src/runs/runRegistry';
import { reattachRuns } from '../../src/runs/work';
import { checkActionsSetup, startActionsRun } from '../../src/runs/actionsDispatch';
import { expectedWorkflow } from '../../src/runs/actionsRunner';

const REPO = 'acme/fixture';
const IDS = ['2026-05-01-001-ac1', '2026-05-01-002-ac2', '2026-05-01-003-ac3', '2026-05-01-004-ac4', '2026-05-01-005-fa1', '2026-05-01-006-cn1'];
const RELOAD_ID = '2026-05-01-007-rl7';
const ALL_IDS = [...IDS, RELOAD_ID];
const FAILING = '2026-05-01-005-fa1';
const CANCELLED = '2026-05-01-006-cn1';

function spec(n: number): string {
  return ['---', 'type: code', 'status: pending', 'target_files:', `- src/actions-${n}.txt`, '---', `# Actions output ${n}`, '', 'Write the output file.', '', '## Acceptance Criteria', '', '- [ ] Write the output file', '- [ ] Verify the work is committed', ''].join('\n');
}

describe('GitHub Actions runner', function () {
  this.timeout(300_000);
  let suite: RunSuite | undefined;
  let root: string;
  let api: ChantApi;
  let scratch: string;
  let bare: string;
  let home: string;
  const savedEnv = {
    PATH: process.env.PATH,
    FAKE_GH_HOME: process.env.FAKE_GH_HOME,
    FAKE_GH_AGENT_BIN: process.env.FAKE_GH_AGENT_BIN,
    FAKE_GH_QUEUE_MS: process.env.FAKE_GH_QUEUE_MS,
  };
  const git = (...args: string[]): string => suite!.git(...args);
  const commit = (message: string): string => suite!.commit(message);
  const specFile = (id: string): string => suite!.specFile(id);
  const config = chantConfig;

  before(async () => {
    suite = await setUpRunSuite({
      scratchPrefix: 'chant-actions-it-',
      specs: Object.fromEntries(ALL_IDS.map((id, n) => [id, spec(n + 1)])),
      message: 'test: specs for GitHub Actions runs',
    });
    ({ root, api, scratch } = suite);
    bare = path.join(scratch, 'origin.git');
    home = path.join(scratch, 'github');
    const runnerBin = path.join(scratch, 'runner-bin');
    fs.mkdirSync(home);
    fs.mkdirSync(runnerBin);
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
    fs.writeFileSync(path.join(home, 'repos.json'), JSON.stringify({ [REPO]: { path: bare, secrets: ['ANTHROPIC_API_KEY'], permission: 'ADMIN', visibility: 'PRIVATE' } }));
    fs.writeFileSync(
      path.join(runnerBin, 'claude'),
      `#!/bin/sh\ncase "$CHANT_SPEC_ID" in *-fa1) export SCRIPTED_AGENT_FAIL=1;; *-cn1) export SCRIPTED_AGENT_DELAY=120000;; esac\nexec node '${suite.agentScript}' --stream-json "$@"\n`,
    );
    fs.chmodSync(path.join(runnerBin, 'claude'), 0o755);
    process.env.PATH = `${path.join(suite.extensionPath, 'test', 'fixtures', 'gh')}${path.delimiter}${process.env.PATH}`;
    process.env.FAKE_GH_HOME = home;
    process.env.FAKE_GH_AGENT_BIN = runnerBin;
    process.env.FAKE_GH_QUEUE_MS = '500';
    git('remote', 'add', 'origin', `https://github.com/${REPO}.git`);
    git('config', `url.${bare}.insteadOf`, `https://github.com/${REPO}.git`);
    await config().update('actions.maxRuns', 3, vscode.ConfigurationTarget.Workspace);
    await config().update('actions.pollMs', 300, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    if (!suite) return;
    for (const key of ['actions.maxRuns', 'actions.pollMs']) await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    git('remote', 'remove', 'origin');
    git('config', '--unset', `url.${bare}.insteadOf`);
    await cleanUpRunSuite(suite, {
      ids: ALL_IDS,
      files: [...ALL_IDS.map((_, n) => `src/actions-${n + 1}.txt`), ACTIONS_WORKFLOW_PATH],
      message: 'test: remove GitHub Actions specs',
    });
  });

  it('Set Up never writes the workflow through a .github link the repository placed', async () => {
    const elsewhere = fs.mkdtempSync(path.join(scratch, 'elsewhere-'));
    fs.symlinkSync(elsewhere, path.join(root, '.github'));
    try {
      const file = await vscode.commands.executeCommand<string | undefined>('chant.actions.setUp', { confirmed: true });
      assert.equal(file, undefined, 'refused');
      assert.deepEqual(fs.readdirSync(elsewhere), [], 'nothing written where the link points');
    } finally {
      fs.unlinkSync(path.join(root, '.github'));
    }
  });

  it('refuses to dispatch before the workflow is on GitHub, and Set Up writes it', async () => {
    git('push', '-q', 'origin', 'main');
    const none = await vscode.commands.executeCommand<RunInfo | undefined>('chant.actions.workSpec', IDS[0], { startOver: false });
    assert.equal(none, undefined, 'no run without the workflow on GitHub');
    assert.equal(api.runs.get(IDS[0]), undefined);
    const file = await vscode.commands.executeCommand<string>('chant.actions.setUp', { confirmed: true });
    assert.equal(file, path.join(root, ACTIONS_WORKFLOW_PATH));
    assert.match(fs.readFileSync(file, 'utf8'), /^# chant-work-workflow: version \d+\n/);
    git('add', ACTIONS_WORKFLOW_PATH);
    commit('Add the chant-work workflow');
    git('push', '-q', 'origin', 'main');
  });

  it('works a batch of six on GitHub Actions, at most three at once: four complete, one fails, one is cancelled', async () => {
    let maxLive = 0;
    const rowsSeen = new Set<string>();
    const watch = api.runs.onDidChange(() => {
      const live = api.runs.all().filter((r) => r.runner === 'actions' && ['starting', 'running', 'finishing'].includes(r.state));
      maxLive = Math.max(maxLive, live.length);
      for (const r of live) {
        const state = /GitHub Actions[^·]*· [a-z ]+/.exec(runRow(r, Date.now()).description);
        if (state) rowsSeen.add(state[0].trim());
      }
    });
    try {
      const batch = vscode.commands.executeCommand<RunInfo[]>('chant.actions.workParallel', { ids: IDS });
      // Cancel the slow one once its agent works on the runner.
      const slow = await waitFor(() => {
        const run = api.runs.get(CANCELLED);
        return run?.actions?.status === 'in_progress' && run.lastActivity === 'step: Run Claude Code' ? run : undefined;
      }, 180_000, 'the slow run to reach its agent step');
      assert.equal(await vscode.commands.executeCommand('chant.actions.cancelRun', slow.key), true);
      const runs = await withTimeout(Promise.resolve(batch), 240_000, 'the batch to end');
      assert.equal(runs.length, 6);
      const byId = new Map(runs.map((r) => [r.id, r]));
      for (const id of IDS.slice(0, 4)) {
        const run = byId.get(id)!;
        assert.equal(run.state, 'completed', `${id}: ${run.reason ?? ''}`);
        assert.equal(run.need, 'merge');
        assert.equal(run.runner, 'actions');
        assert.match(run.actions?.url ?? '', /^https:\/\/github\.com\/acme\/fixture\/actions\/runs\/\d+$/);
        // The branch came back by git fetch, with the agent's commit and the finalized spec.
        assert.match(git('log', '--format=%s', `chant/${id}`), new RegExp(`chant\\(${id}\\): scripted agent work`));
        assert.equal(git('rev-parse', `refs/remotes/origin/chant/${id}`), git('rev-parse', `chant/${id}~1`));
        const text = fs.readFileSync(specFile(id), 'utf8');
        assert.match(text, /status: completed/);
        assert.match(text, /completed_at: /);
        assert.match(text, /- \[x\] Write the output file/);
        // Usage and cost from the artifact's stream log.
        assert.ok(run.usage?.costUsd !== undefined && run.usage.costUsd > 0, `${id} usage ${JSON.stringify(run.usage)}`);
      }
      const failed = byId.get(FAILING)!;
      assert.equal(failed.state, 'failed');
      assert.match(failed.reason ?? '', /Agent exited with status: 3/);
      assert.match(fs.readFileSync(specFile(FAILING), 'utf8'), /status: failed/);
      const cancelled = byId.get(CANCELLED)!;
      assert.equal(cancelled.state, 'failed');
      assert.match(cancelled.reason ?? '', /Cancelled on GitHub Actions/);
      assert.equal(cancelled.actions?.conclusion, 'cancelled');
      assert.ok(maxLive <= 3, `at most three runs on Actions at once (saw ${maxLive})`);
      assert.ok(maxLive >= 2, `runs overlapped (saw ${maxLive})`);
      assert.ok([...rowsSeen].some((r) => /^GitHub Actions #\d+ · in progress$/.test(r)), [...rowsSeen].join(' | '));
      // Each run is its own GitHub run; nothing read a secret.
      const calls = fs.readFileSync(path.join(home, 'calls.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);
      assert.equal(calls.filter((c) => c[0] === 'workflow' && c[1] === 'run').length, 6);
      assert.ok(calls.every((c) => c[0] !== 'secret' || c[1] === 'list'));
      assert.ok(calls.some((c) => c[0] === 'run' && c[1] === 'cancel'));
    } finally {
      watch.dispose();
    }
  });

  it('reviews and merges a branch that came back from GitHub Actions', async () => {
    const id = IDS[0];
    await vscode.commands.executeCommand('chant.reviewChanges', id);
    const merged = await vscode.commands.executeCommand<boolean>('chant.mergeSpec', id, { confirmed: true, deleteBranch: false });
    assert.ok(merged, 'the merge went through');
    assert.equal(git('rev-parse', 'main'), git('rev-parse', `chant/${id}`));
    assert.ok(fs.existsSync(path.join(root, 'src', 'actions-1.txt')));
    await waitFor(() => api.runs.history().some((r) => r.id === id && r.state === 'completed' && !r.need) || undefined, 10_000, 'the run to leave Needs you');
  });

  it('a run on Actions survives a window reload: the new window follows it on GitHub and finishes it', async () => {
    const found = api.projects.findSpec(RELOAD_ID)!;
    const target = await checkActionsSetup({ ghPath: path.join(suite!.extensionPath, 'test', 'fixtures', 'gh', 'gh'), root, config: found.index.config, remote: 'origin', agent: 'claude', expectedWorkflow: expectedWorkflow() });
    const state = memento();
    // The first window dispatched it and was closed.
    const before = new RunRegistry(state);
    const { plan, remote } = await startActionsRun({ paths: found.index.paths, config: found.index.config, spec: found.spec, silent: false, target, agent: 'claude', worktreeFolder: scratch });
    const first = before.begin(root, RELOAD_ID, 'actions');
    before.update(first, { state: 'running', plan, actions: remote });
    await before.whenSaved();
    before.dispose();
    // The reloaded window: a new registry over the same workspace state.
    const after = new RunRegistry(state);
    try {
      await reattachRuns({
        projects: api.projects,
        registry: after,
        terminals: api.terminals,
        logs: api.logs,
        agents: api.agents,
      });
      const run = after.get(RELOAD_ID, root);
      assert.ok(run && run.runner === 'actions' && run.restored, 'the run is registered again as running on Actions');
      assert.equal(after.isRunning(RELOAD_ID, root), true);
      await withTimeout(run.done, 120_000, 'the restored run to end');
      assert.equal(run.state, 'completed', run.reason ?? '');
      assert.match(fs.readFileSync(specFile(RELOAD_ID), 'utf8'), /status: completed/);
      assert.match(git('log', '--format=%s', `chant/${RELOAD_ID}`), new RegExp(`chant\\(${RELOAD_ID}\\): scripted agent work`));
    } finally {
      after.dispose();
    }
  });
});
