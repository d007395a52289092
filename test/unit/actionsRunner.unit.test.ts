// The GitHub Actions runner end to end without the editor and without a network: real git (a local
// bare repository stands in for github.com/acme/widget through `url.<path>.insteadOf`), the fake gh
// of test/fixtures/gh (which runs the job's steps from the workflow file in the repository, in a
// temporary clone) and the scripted agent installed on the "runner" as `claude`.
import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { actionsWorkflow, ACTIONS_WORKFLOW_PATH } from '../../src/core/workflow/actionsWorkflow';
import { ACTIONS_AGENTS, actionsAgent } from '../../src/core/runs/agents/actions';
import { decodeRequest } from '../../src/core/runs/actionsRun';
import { parseConfig } from '../../src/core/project/config';
import { ProjectPaths } from '../../src/core/project/project';
import { parseSpec } from '../../src/core/spec/specParser';
import { checkActionsSetup, finishActionsRun, findRun, startActionsRun, viewRemoteRun, ActionsSetupError, type RemoteRun } from '../../src/runs/actionsDispatch';
import { mergeSpecBranch } from '../../src/runs/directRun';
import { RunGitError } from '../../src/git/runGit';
import { repoRoot } from './paths';
import { git, initRepo, makeTempDir, removeDir, writeFiles } from './tempRepo';

const GH = path.join(repoRoot, 'test', 'fixtures', 'gh', 'gh');
const AGENT = path.join(repoRoot, 'test', 'agent', 'scriptedAgent.js');
const ID = '2026-03-01-001-a1b';
const REPO = 'acme/widget';
const CONFIG = `---\nproject:\n  name: widget\ndefaults:\n  prompt: standard\n  main_branch: main\n---\n# Config\n`;
const SPEC = `---\ntype: code\nstatus: pending\ntarget_files:\n- src/thing.txt\n---\n# Add the thing\n\nDo it.\n\n## Acceptance Criteria\n\n- [ ] Thing exists\n- [ ] Thing committed\n`;
const WORKFLOW = actionsWorkflow({ runsOn: ['ubuntu-latest'], agents: [actionsAgent('claude')!] });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('GitHub Actions runner (fake gh running the workflow, real git, scripted agent)', function () {
  this.timeout(90_000);
  let dir: string;
  let repo: string;
  let bare: string;
  let home: string;
  let paths: ProjectPaths;
  const saved = { ...process.env };

  beforeEach(() => {
    dir = makeTempDir('chant-actions-');
    repo = path.join(dir, 'work');
    bare = path.join(dir, 'origin.git');
    home = path.join(dir, 'github');
    const bin = path.join(dir, 'runner-bin');
    mkdirSync(repo);
    mkdirSync(home);
    mkdirSync(bin);
    git(dir, 'init', '-q', '--bare', '-b', 'main', bare);
    initRepo(repo);
    git(repo, 'remote', 'add', 'origin', `https://github.com/${REPO}.git`);
    git(repo, 'config', `url.${bare}.insteadOf`, `https://github.com/${REPO}.git`);
    writeFileSync(path.join(home, 'repos.json'), JSON.stringify({ [REPO]: { path: bare, secrets: ['ANTHROPIC_API_KEY'], permission: 'WRITE' } }));
    // The "runner" has claude installed already: the scripted agent, failing for specs named so.
    writeFileSync(path.join(bin, 'claude'), `#!/bin/sh\ncase "$CHANT_SPEC_ID" in *-fa1) export SCRIPTED_AGENT_FAIL=1;; esac\nexec node '${AGENT}' --stream-json "$@"\n`);
    chmodSync(path.join(bin, 'claude'), 0o755);
    process.env.FAKE_GH_HOME = home;
    process.env.FAKE_GH_AGENT_BIN = bin;
    process.env.FAKE_GH_QUEUE_MS = '100';
    paths = new ProjectPaths(repo);
  });
  afterEach(() => {
    for (const key of ['FAKE_GH_HOME', 'FAKE_GH_AGENT_BIN', 'FAKE_GH_QUEUE_MS']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    try {
      git(repo, 'worktree', 'prune');
    } catch {
      // already gone
    }
    removeDir(dir);
  });

  function setup(files: Record<string, string> = {}, workflow: string | null = WORKFLOW): void {
    writeFiles(repo, { 'README.md': '# widget\n', '.chant/config.md': CONFIG, '.chant/.gitignore': 'logs/\ntmp/\n', [`.chant/specs/${ID}.md`]: SPEC, ...(workflow ? { [ACTIONS_WORKFLOW_PATH]: workflow } : {}), ...files });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'initial');
    git(repo, 'push', '-q', 'origin', 'main');
  }

  const config = () => parseConfig(readFileSync(paths.configFile, 'utf8'));
  const specOf = (id = ID) => parseSpec(readFileSync(paths.specFile(id), 'utf8'), { id, path: paths.specFile(id) });
  const check = () => checkActionsSetup({ ghPath: GH, root: repo, config: config(), remote: 'origin', agent: 'claude', expectedWorkflow: WORKFLOW });

  async function follow(remote: RemoteRun): Promise<string> {
    for (let i = 0; i < 400; i++) {
      if (remote.runId === undefined) {
        const found = await findRun(GH, remote);
        if (found) Object.assign(remote, { runId: found.runId, number: found.number, url: found.url });
      } else {
        const view = await viewRemoteRun(GH, remote);
        if (view.status === 'completed') return view.conclusion;
      }
      await sleep(150);
    }
    throw new Error('the run did not end');
  }

  it('works a spec on Actions: the branch comes back by git fetch with the agent commit, the spec is completed with ticks, usage, and merges', async () => {
    setup();
    const target = await check();
    assert.deepEqual({ repo: target.repo, remote: target.remote, ref: target.ref, public: target.public }, { repo: REPO, remote: 'origin', ref: 'main', public: false });
    const worktrees = makeTempDir('chant-actions-wt-');
    try {
      const { plan, remote } = await startActionsRun({ paths, config: config(), spec: specOf(), silent: false, target, agent: 'claude', worktreeFolder: worktrees, env: { CHANT_MODEL: 'sonnet' } });
      assert.match(readFileSync(paths.specFile(ID), 'utf8'), /status: in_progress/);
      // The dispatch carried the inputs through gh, the request holding the prompt a local run gets.
      const calls = readFileSync(path.join(home, 'calls.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);
      const dispatch = calls.find((c) => c[0] === 'workflow' && c[1] === 'run')!;
      assert.deepEqual(dispatch.slice(0, 7), ['workflow', 'run', 'chant-work.yml', '--repo', REPO, '--ref', 'main']);
      const field = (name: string) => dispatch.find((a) => a.startsWith(`${name}=`))!.slice(name.length + 1);
      assert.equal(field('spec'), ID);
      assert.equal(field('model'), 'sonnet');
      const request = decodeRequest(field('request'));
      assert.match(request.prompt, /Add the thing/);
      assert.match(request.prompt, new RegExp(`chant\\(${ID}\\)`));
      assert.deepEqual(request.outputs, ['src/thing.txt']);
      // Nothing asked for a secret's value.
      assert.ok(!calls.some((c) => c.includes('secret') && c[1] !== 'list'));

      assert.equal(await follow(remote), 'success');
      const done = await finishActionsRun(plan, remote, GH, { projectPaths: paths });
      assert.equal(done.exitCode, 0);
      assert.equal(done.result.status, 'completed', done.result.reason);
      assert.equal(done.result.commits.length, 1);
      assert.match(git(repo, 'log', '-1', '--format=%s', `chant/${ID}~1`), new RegExp(`^chant\\(${ID}\\): scripted agent work`));
      assert.equal(git(repo, 'show', `chant/${ID}:src/thing.txt`), `# Output of ${ID}\n\nWritten by the scripted agent.`);
      const spec = readFileSync(paths.specFile(ID), 'utf8');
      assert.match(spec, /status: completed/);
      assert.match(spec, /model: sonnet/);
      assert.match(spec, /completed_at: /);
      assert.match(spec, /- \[x\] Thing exists/);
      // The stream log came back as the run's stream file, with the usage the agent reported.
      assert.match(readFileSync(plan.streamFile, 'utf8'), /"total_cost_usd"/);
      assert.match(readFileSync(plan.logFile, 'utf8'), /Ran on GitHub Actions/);
      const merged = await mergeSpecBranch(paths, config(), ID);
      assert.equal(merged.kind, 'fast-forward');
      assert.ok(existsSync(path.join(repo, 'src', 'thing.txt')));
    } finally {
      removeDir(worktrees);
    }
  });

  it('a failing agent fails the job; the spec is marked failed with the exit status, the branch kept', async () => {
    const id = '2026-03-01-002-fa1';
    setup({ [`.chant/specs/${id}.md`]: SPEC });
    const worktrees = makeTempDir('chant-actions-wt-');
    try {
      const { plan, remote } = await startActionsRun({ paths, config: config(), spec: specOf(id), silent: false, target: await check(), agent: 'claude', worktreeFolder: worktrees });
      assert.equal(await follow(remote), 'failure');
      const done = await finishActionsRun(plan, remote, GH, { projectPaths: paths });
      assert.equal(done.exitCode, 3);
      assert.equal(done.result.status, 'failed');
      assert.match(done.result.reason ?? '', /Agent exited with status: 3/);
      assert.match(readFileSync(paths.specFile(id), 'utf8'), /status: failed/);
    } finally {
      removeDir(worktrees);
    }
  });

  it('silent mode: .chant/ stays out of git on the runner and the research document comes back through the artifact', async () => {
    const id = '2026-03-01-003-s1l';
    writeFileSync(path.join(repo, '.git', 'info', 'exclude'), '.chant/\n');
    setup({ [`.chant/specs/${id}.md`]: SPEC.replace('type: code', 'type: research').replace('src/thing.txt', '.chant/research/notes.md') });
    const worktrees = makeTempDir('chant-actions-wt-');
    try {
      const { plan, remote } = await startActionsRun({ paths, config: config(), spec: specOf(id), silent: true, target: await check(), agent: 'claude', worktreeFolder: worktrees });
      await follow(remote);
      const done = await finishActionsRun(plan, remote, GH, { projectPaths: paths });
      assert.equal(done.result.status, 'completed', done.result.reason);
      assert.deepEqual(done.result.copiedBack, ['.chant/research/notes.md']);
      assert.match(readFileSync(path.join(repo, '.chant', 'research', 'notes.md'), 'utf8'), /Written by the scripted agent/);
      assert.match(readFileSync(paths.specFile(id), 'utf8'), /- \[x\] Thing exists/);
      // Nothing under .chant/ was pushed.
      assert.equal(git(bare, 'ls-tree', '-r', '--name-only', `chant/${id}`).split('\n').filter((f) => f.startsWith('.chant/')).length, 0);
    } finally {
      removeDir(worktrees);
    }
  });

  it('a hostile title and model reach the job as data: nothing in them runs on the runner', async () => {
    const id = '2026-03-01-004-h0s';
    const pwned = path.join(dir, 'PWNED');
    const title = `$(touch ${pwned}) \`touch ${pwned}\` it's; touch ${pwned}`;
    setup({ [`.chant/specs/${id}.md`]: SPEC.replace('# Add the thing', `# ${title}`) });
    const worktrees = makeTempDir('chant-actions-wt-');
    try {
      const { plan, remote } = await startActionsRun({ paths, config: config(), spec: specOf(id), silent: false, target: await check(), agent: 'claude', worktreeFolder: worktrees, env: { CHANT_MODEL: `sonnet$(touch ${pwned});touch ${pwned}` } });
      assert.equal(await follow(remote), 'success');
      const done = await finishActionsRun(plan, remote, GH, { projectPaths: paths });
      assert.equal(done.result.status, 'completed', done.result.reason);
      assert.equal(existsSync(pwned), false);
      assert.match(readFileSync(paths.specFile(id), 'utf8'), /model: .*sonnet\$\(touch/);
    } finally {
      removeDir(worktrees);
    }
  });

  it('says what to do: gh logged out, no push access, workflow missing or outdated, secret missing', async () => {
    setup({}, null);
    const problem = async (): Promise<string> => {
      try {
        await check();
        return 'none';
      } catch (error) {
        assert.ok(error instanceof ActionsSetupError, String(error));
        return `${error.problem}: ${error.message}`;
      }
    };
    assert.match(await problem(), /^workflow-missing: .*Set Up GitHub Actions/);
    writeFiles(repo, { [ACTIONS_WORKFLOW_PATH]: WORKFLOW.replace('version 1', 'version 0') });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'old workflow');
    git(repo, 'push', '-q', 'origin', 'main');
    assert.match(await problem(), /^workflow-outdated: .*version 0/);
    writeFiles(repo, { [ACTIONS_WORKFLOW_PATH]: WORKFLOW });
    git(repo, 'commit', '-q', '-am', 'workflow');
    git(repo, 'push', '-q', 'origin', 'main');
    assert.equal(await problem(), 'none');
    writeFileSync(path.join(home, 'repos.json'), JSON.stringify({ [REPO]: { path: bare, secrets: [], permission: 'WRITE' } }));
    assert.match(await problem(), /^secret-missing: .*gh secret set ANTHROPIC_API_KEY --repo acme\/widget/);
    // Each agent's check names that agent's secret (against a workflow offering them all).
    const everyAgent = actionsWorkflow({ runsOn: ['ubuntu-latest'], agents: ACTIONS_AGENTS });
    for (const agent of ACTIONS_AGENTS) {
      const wanted = { claude: 'ANTHROPIC_API_KEY', codex: 'OPENAI_API_KEY', gemini: 'GEMINI_API_KEY', opencode: 'ANTHROPIC_API_KEY' }[agent.id];
      assert.ok(wanted, agent.id);
      writeFileSync(path.join(home, 'repos.json'), JSON.stringify({ [REPO]: { path: bare, secrets: ['SOME_OTHER_KEY'], permission: 'WRITE' } }));
      const missing = await checkActionsSetup({ ghPath: GH, root: repo, config: config(), remote: 'origin', agent: agent.id, expectedWorkflow: everyAgent }).then(
        () => 'none',
        (error: unknown) => (error instanceof ActionsSetupError ? `${error.problem}: ${error.message}` : String(error)),
      );
      assert.match(missing, new RegExp(`^secret-missing: .*no repository secret ${wanted}, which the workflow passes to ${agent.label}\\. Set it with \`gh secret set ${wanted} --repo acme/widget\``));
      writeFileSync(path.join(home, 'repos.json'), JSON.stringify({ [REPO]: { path: bare, secrets: ['SOME_OTHER_KEY', wanted], permission: 'WRITE' } }));
      await checkActionsSetup({ ghPath: GH, root: repo, config: config(), remote: 'origin', agent: agent.id, expectedWorkflow: everyAgent });
    }
    writeFileSync(path.join(home, 'repos.json'), JSON.stringify({ [REPO]: { path: bare, secrets: ['ANTHROPIC_API_KEY'], permission: 'READ' } }));
    assert.match(await problem(), /^no-push-access: /);
    writeFileSync(path.join(home, 'logged-out'), '');
    assert.match(await problem(), /^not-logged-in: .*gh auth login/);
    await assert.rejects(checkActionsSetup({ ghPath: undefined, root: repo, config: config(), remote: 'origin', agent: 'claude', expectedWorkflow: WORKFLOW }), /no-gh|GitHub CLI/);
  });

  it('a branch that diverged on GitHub is reported, never overwritten', async () => {
    setup();
    const worktrees = makeTempDir('chant-actions-wt-');
    try {
      // Someone else pushed chant/<id> with other work.
      const other = path.join(dir, 'other');
      git(dir, 'clone', '-q', bare, other);
      git(other, 'checkout', '-q', '-b', `chant/${ID}`);
      writeFiles(other, { 'elsewhere.txt': 'x\n' });
      git(other, 'add', '-A');
      git(other, '-c', 'user.name=O', '-c', 'user.email=o@x', 'commit', '-q', '-m', 'other work');
      git(other, 'push', '-q', 'origin', `chant/${ID}`);
      git(repo, 'commit', '-q', '--allow-empty', '-m', 'local');
      await assert.rejects(startActionsRun({ paths, config: config(), spec: specOf(), silent: false, target: await check(), agent: 'claude', worktreeFolder: worktrees }), (error: unknown) => error instanceof RunGitError && error.reason === 'diverged');
    } finally {
      removeDir(worktrees);
    }
  });
});
