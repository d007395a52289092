// Issue 19 in the real extension host, each attack as the audit did it. Finding 1: links committed
// under .chant/ (the log to a file outside, the old status-code name to an ignored `.env`, the runs
// folder to another folder) make Work Spec write nothing through them. Finding 2: a committed
// `.chant/tmp/staging-pr-issue-<n>.md -> id_rsa` is never shown or sent as the staging PR draft.
// Finding 4: two quick Work Spec calls start one agent, and the losing call leaves the winner
// registered. (Finding 3, the workspace's settings: hostileSettings.integration.test.ts.)
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChantApi } from '../../src/api';
import type { PrOutcome } from '../../src/investigation/pullRequests';
import type { RunInfo } from '../../src/runs/runRegistry';
import { waitFor, withTimeout } from './wait';

const EXTENSION_ID = 'chant-vscode.chant-vscode';
const LOG_ID = '2026-07-01-001-lnk';
const CODE_ID = '2026-07-01-002-cod';
const RUNS_ID = '2026-07-01-003-rns';
const TWICE_ID = '2026-07-01-004-two';
const FIX_ID = '2026-07-01-005-fix';
const CLI_ID = '2026-07-01-006-cli';
const BATCH_IDS = ['2026-07-01-007-baa', '2026-07-01-008-bab'];
const ISSUE = 4242;
const KEY = 'SECRET-PRIVATE-KEY-19a7';

describe('Hostile repository, round 2 (issue 19)', function () {
  this.timeout(240_000);
  let api: ChantApi;
  let root: string;
  let scratch: string;
  let outside: string;
  let agentScript: string;
  let savedPath: string | undefined;
  const placed: string[] = [];
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('chant');
  const specFile = (id: string): string => path.join(root, '.chant', 'specs', `${id}.md`);
  const spec = (title: string, extra = ''): string =>
    `---\ntype: code\nstatus: pending\ntarget_files:\n- src/out-${title.length}.txt\n${extra}---\n# ${title}\n\nWrite the output.\n\n## Acceptance Criteria\n\n- [ ] Write the output\n`;
  /** A link the pull request commits, relative as git stores it. */
  const link = (at: string, target: string): void => {
    const file = path.join(root, at);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.symlinkSync(path.relative(path.dirname(file), target), file);
    placed.push(file);
  };

  before(async () => {
    const extension = vscode.extensions.getExtension<ChantApi>(EXTENSION_ID)!;
    api = await extension.activate();
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    agentScript = path.join(extension.extensionPath, 'test', 'agent', 'scriptedAgent.js');
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-hostile2-it-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-hostile2-outside-'));
    fs.writeFileSync(path.join(outside, 'bashrc'), 'export PS1=$\n');
    fs.mkdirSync(path.join(outside, 'otherrepo'));
    fs.writeFileSync(path.join(outside, 'otherrepo', '.gitignore'), 'node_modules/\n');
    fs.writeFileSync(path.join(outside, 'id_rsa'), `-----BEGIN OPENSSH PRIVATE KEY-----\n${KEY}\n`);
    fs.writeFileSync(path.join(root, '.env.hostile'), 'DATABASE_PASSWORD=hunter2\n');
    placed.push(path.join(root, '.env.hostile'));
    for (const [id, title] of [
      [LOG_ID, 'Log through a link'],
      [CODE_ID, 'Exit code through a link'],
      [RUNS_ID, 'Runs folder through a link'],
      [TWICE_ID, 'Worked twice at once'],
      [CLI_ID, 'The chant CLI through a link'],
      [BATCH_IDS[0], 'First of a batch'],
      [BATCH_IDS[1], 'Second of a batch, longer'],
    ]) {
      fs.writeFileSync(specFile(id), spec(title));
      placed.push(specFile(id));
    }
    link(`.chant/logs/${LOG_ID}.log`, path.join(outside, 'bashrc'));
    link(`.chant/specs/.chant-status-${CODE_ID}.json.code`, path.join(root, '.env.hostile'));
    // The chant CLI runner's old status names, linked to the ignored .env as well.
    link(`.chant/tmp/vscode-run-${CLI_ID}.json.code`, path.join(root, '.env.hostile'));
    link(`.chant/tmp/vscode-run-${CLI_ID}.json`, path.join(root, '.env.hostile'));
    // The fix of an investigation whose staging PR draft the pull request placed as a link.
    git('branch', `chant/${FIX_ID}`);
    fs.writeFileSync(specFile(FIX_ID), `---\ntype: code\nstatus: completed\nbranch: chant/${FIX_ID}\nlabels:\n- fix\n- issue-${ISSUE}\n---\n# Fix #${ISSUE}\n`);
    placed.push(specFile(FIX_ID));
    link(`.chant/tmp/staging-pr-issue-${ISSUE}.md`, path.join(outside, 'id_rsa'));
    git('remote', 'add', 'origin', 'https://github.com/me/kvstore.git');
    const bin = path.join(scratch, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'gh'), `#!/bin/sh\n[ "$1" = --version ] && { echo 'gh version 2.0.0 (fake)'; exit 0; }\nprintf '%s\\n' "$@" >> '${path.join(scratch, 'gh-calls')}'\n`, { mode: 0o755 });
    savedPath = process.env.PATH;
    process.env.PATH = `${bin}${path.delimiter}${savedPath ?? ''}`;
    // The user's own settings (these name programs and folders: never the workspace's).
    await config().update('worktreeFolder', path.join(scratch, 'worktrees'), vscode.ConfigurationTarget.Global);
    await config().update('agent.command', `node ${agentScript} --prompt \${promptFile} --delay 3000`, vscode.ConfigurationTarget.Global);
    await config().update('runner', 'direct', vscode.ConfigurationTarget.Global);
    await api.projects.reload();
    // The user's chant: exits 0 after a moment (it would do the work).
    fs.writeFileSync(path.join(bin, 'chant-user'), '#!/bin/sh\nsleep 1\nexit 0\n', { mode: 0o755 });
    await waitFor(() => [LOG_ID, CODE_ID, RUNS_ID, TWICE_ID, FIX_ID, CLI_ID, ...BATCH_IDS].every((id) => api.projects.findSpec(id)), 20_000, 'the index to see the specs');
  });

  after(async () => {
    for (const key of ['worktreeFolder', 'agent.command', 'runner', 'cliPath']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await config().update('isolation', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    process.env.PATH = savedPath;
    for (const t of vscode.window.terminals) if (t.name.startsWith('chant · ')) t.dispose();
    try {
      git('remote', 'remove', 'origin');
    } catch {
      // not added
    }
    for (const line of git('worktree', 'list', '--porcelain').split('\n')) {
      const dir = line.startsWith('worktree ') ? line.slice('worktree '.length) : undefined;
      if (dir && dir.startsWith(scratch)) git('worktree', 'remove', '--force', dir);
    }
    git('worktree', 'prune');
    for (const id of [LOG_ID, CODE_ID, RUNS_ID, TWICE_ID, FIX_ID, CLI_ID, ...BATCH_IDS]) {
      try {
        git('branch', '-D', `chant/${id}`);
      } catch {
        // never created
      }
      fs.rmSync(path.join(root, '.chant', 'logs', `${id}.log`), { force: true });
    }
    // rm never follows a link: each placed link is removed itself.
    for (const file of placed) fs.rmSync(file, { force: true, recursive: true });
    fs.rmSync(path.join(root, '.chant', 'logs', 'runs'), { recursive: true, force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
    await api.projects.reload();
  });

  it('finding 1: a log committed as a link out stops Work Spec before anything is written through it', async () => {
    const run = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', LOG_ID, { startOver: false });
    assert.equal(run, undefined, 'no run started');
    assert.equal(api.runs.isRunning(LOG_ID, root), false);
    assert.equal(fs.readFileSync(path.join(outside, 'bashrc'), 'utf8'), 'export PS1=$\n');
    assert.equal(git('branch', '--list', `chant/${LOG_ID}`), '', 'no branch was made');
    assert.match(fs.readFileSync(specFile(LOG_ID), 'utf8'), /status: pending/, 'the spec was not marked');
  });

  it('finding 1: the status code linked to an ignored .env is never written: the run completes and .env keeps its bytes', async () => {
    const run = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', CODE_ID, { startOver: false });
    assert.ok(run, 'the run started');
    assert.ok(!run.plan!.statusFile.startsWith(root), `the status file ${run.plan!.statusFile} is outside the project`);
    await withTimeout(run.done, 90_000, 'the agent run');
    assert.equal(run.state, 'completed', `run ended ${run.state}: ${run.result?.reason ?? ''}`);
    assert.equal(fs.readFileSync(path.join(root, '.env.hostile'), 'utf8'), 'DATABASE_PASSWORD=hunter2\n');
  });

  it('finding 1: a runs folder linked to another folder is refused: that folder\'s .gitignore is untouched', async () => {
    fs.rmSync(path.join(root, '.chant', 'logs', 'runs'), { recursive: true, force: true });
    link('.chant/logs/runs', path.join(outside, 'otherrepo'));
    const run = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', RUNS_ID, { startOver: false });
    assert.equal(run, undefined, 'no run started');
    assert.equal(git('branch', '--list', `chant/${RUNS_ID}`), '', 'no branch was made');
    assert.equal(fs.readFileSync(path.join(outside, 'otherrepo', '.gitignore'), 'utf8'), 'node_modules/\n');
    assert.deepEqual(fs.readdirSync(path.join(outside, 'otherrepo')), ['.gitignore']);
    fs.rmSync(path.join(root, '.chant', 'logs', 'runs'));
  });

  it('finding 2: a staging PR draft committed as a link to a private key is never shown or sent', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const outcome = await vscode.commands.executeCommand<PrOutcome | undefined>('chant.createStagingPr', `issue-${ISSUE}`);
      assert.equal(outcome, undefined, JSON.stringify(outcome));
    }
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.getText().includes(KEY)), 'the key was opened as the draft');
    assert.equal(fs.existsSync(path.join(scratch, 'gh-calls')), false, 'gh was called');
    assert.ok(fs.lstatSync(path.join(root, '.chant', 'tmp', `staging-pr-issue-${ISSUE}.md`)).isSymbolicLink(), 'the link is left for the user to see');
  });

  it('finding 4: two quick Work Spec calls start one agent, and the losing call leaves the winner registered', async () => {
    const terminals = vscode.window.terminals.length;
    const [a, b] = await Promise.all([
      vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', TWICE_ID, { startOver: false }),
      vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', TWICE_ID, { startOver: false }),
    ]);
    const started = [a, b].filter((r): r is RunInfo => r !== undefined && r.plan !== undefined);
    assert.equal(new Set(started.map((r) => r.key)).size, 1, 'exactly one run started');
    const run = started[0];
    assert.equal(api.runs.isRunning(TWICE_ID, root), true);
    assert.equal(api.runs.get(TWICE_ID, root), run, 'the registry still holds the winner');
    assert.equal(vscode.window.terminals.length - terminals <= 1, true, 'one terminal at most');
    // A third call while the agent works (Continue) is refused and changes nothing.
    const third = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', TWICE_ID, { startOver: true });
    assert.equal(third, run);
    assert.equal(api.runs.isRunning(TWICE_ID, root), true);
    await withTimeout(run.done, 90_000, 'the agent run');
    assert.equal(run.state, 'completed', `run ended ${run.state}: ${run.result?.reason ?? ''}`);
    assert.equal(git('log', '--format=%s', `chant/${TWICE_ID}`).split('\n').filter((s) => s.startsWith(`chant(${TWICE_ID}):`)).length >= 1, true);
    assert.equal(api.runs.isRunning(TWICE_ID, root), false);
  });
  it('finding 1: the chant CLI runner writes its status nowhere under .chant/: the links at its old names are untouched', async () => {
    await config().update('runner', 'cli', vscode.ConfigurationTarget.Global);
    await config().update('cliPath', path.join(scratch, 'bin', 'chant-user'), vscode.ConfigurationTarget.Global);
    try {
      const run = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', CLI_ID, { startOver: false, quietOnSuccess: true });
      assert.ok(run, 'the CLI run started');
      await withTimeout(run.done, 120_000, 'chant work');
      assert.equal(run.exitCode, 0, run.reason);
      assert.ok(!run.statusFile!.startsWith(root), run.statusFile);
      assert.equal(fs.readFileSync(path.join(root, '.env.hostile'), 'utf8'), 'DATABASE_PASSWORD=hunter2\n');
    } finally {
      await config().update('runner', 'direct', vscode.ConfigurationTarget.Global);
      await config().update('cliPath', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('finding 5: with chant.isolation checkout, a batch still runs each spec in its own worktree, each branch holding its own commits', async () => {
    await config().update('isolation', 'checkout', vscode.ConfigurationTarget.Workspace);
    const head = git('rev-parse', '--abbrev-ref', 'HEAD');
    const runs = await withTimeout(
      Promise.resolve(vscode.commands.executeCommand<RunInfo[]>('chant.workParallel', { ids: BATCH_IDS, maxAgents: 2, runner: 'direct' })),
      120_000,
      'the batch',
    );
    assert.equal(runs.length, 2);
    for (const run of runs) {
      assert.equal(run.state, 'completed', `${run.id} ended ${run.state}: ${run.result?.reason ?? run.reason ?? ''}`);
      assert.equal(run.plan?.isolation, 'worktree', `${run.id} ran in ${run.plan?.isolation}`);
      const subjects = git('log', '--format=%s', `main..chant/${run.id}`).split('\n').filter(Boolean);
      assert.ok(subjects.length > 0 && subjects.every((s) => !s.startsWith('chant(') || s.startsWith(`chant(${run.id}):`)), `${run.id}'s branch: ${subjects.join(' | ')}`);
    }
    assert.equal(git('rev-parse', '--abbrev-ref', 'HEAD'), head, 'the main checkout was not switched');
  });
});
