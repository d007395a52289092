// The direct runner end to end against real temporary repositories, with the scripted agent
// (test/agent/scriptedAgent.js) run by the very command line a terminal would get.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { shQuote } from '../../src/core/workflow/commandLine';
import { parseConfig } from '../../src/core/project/config';
import { ProjectPaths } from '../../src/core/project/project';
import { parseSpec } from '../../src/core/spec/specParser';
import { RunGitError } from '../../src/git/runGit';
import { finishDirectRun, mergeSpecBranch, prepareDirectRun, type DirectRunOptions, type RunPlan } from '../../src/runs/directRun';
import { repoRoot } from './paths';
import { git, initRepo, makeTempDir, removeDir, writeFiles } from './tempRepo';

const AGENT = path.join(repoRoot, 'test', 'agent', 'scriptedAgent.js');
const ID = '2026-02-08-001-r4x';
const CONFIG = `---\nproject:\n  name: demo\ndefaults:\n  prompt: standard\n  main_branch: main\n---\n# Config\n`;

function specText(extra = '', title = 'Add the thing'): string {
  return `---\ntype: code\nstatus: pending\ntarget_files:\n- src/thing.txt\n${extra}---\n# ${title}\n\nDo it.\n\n## Acceptance Criteria\n\n- [ ] Thing exists\n- [ ] Thing committed\n`;
}

describe('direct runner (real repositories, scripted agent)', function () {
  this.timeout(30_000);
  let repo: string;
  let wtFolder: string;
  let paths: ProjectPaths;

  beforeEach(() => {
    repo = makeTempDir('chant-run-');
    wtFolder = makeTempDir('chant-wt-');
    initRepo(repo);
    paths = new ProjectPaths(repo);
  });
  afterEach(() => {
    try {
      git(repo, 'worktree', 'prune');
    } catch {
      // already gone
    }
    removeDir(repo);
    removeDir(wtFolder);
  });

  function setup(files: Record<string, string> = {}, options: { silent?: boolean; spec?: string } = {}): void {
    if (options.silent) appendFileSync(path.join(repo, '.git', 'info', 'exclude'), '\n.chant/\n');
    writeFiles(repo, { 'README.md': '# demo\n', '.chant/config.md': CONFIG, '.chant/.gitignore': 'logs/\n', [`.chant/specs/${ID}.md`]: options.spec ?? specText(), ...files });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'initial');
  }

  function options(extra: Partial<DirectRunOptions> = {}, agentFlags = ''): DirectRunOptions {
    const text = readFileSync(paths.specFile(ID), 'utf8');
    return {
      paths,
      config: parseConfig(readFileSync(paths.configFile, 'utf8')),
      spec: parseSpec(text, { id: ID, path: paths.specFile(ID) }),
      silent: false,
      isolation: 'worktree',
      worktreeFolder: wtFolder,
      agentCommand: `node ${shQuote(AGENT)} --prompt \${promptFile} ${agentFlags}`,
      env: {},
      ...extra,
    };
  }

  /** Runs the plan's command line as the terminal would; returns its exit code. */
  function runAgent(plan: RunPlan): number {
    try {
      execFileSync('bash', ['-c', plan.commandLine], { cwd: plan.workDir, stdio: 'pipe' });
      return 0;
    } catch (error) {
      return (error as { status: number }).status;
    }
  }

  it('works a spec in a worktree: completed with commits, then merged fast-forward and the worktree removed', async () => {
    setup();
    const plan = await prepareDirectRun(options());
    assert.equal(plan.branch, `chant/${ID}`);
    assert.equal(plan.base, 'main');
    assert.equal(plan.continued, false);
    assert.ok(plan.workDir.startsWith(wtFolder));
    const marked = parseSpec(readFileSync(paths.specFile(ID), 'utf8'), { id: ID, path: '' });
    assert.equal(marked.status, 'in_progress');
    assert.equal(marked.branch, `chant/${ID}`);
    assert.ok(existsSync(plan.promptFile));
    assert.ok(plan.promptFile.startsWith(plan.workDir));
    assert.match(readFileSync(plan.promptFile, 'utf8'), /git commit -m "chant\(2026-02-08-001-r4x\): <brief description of changes>"/);

    assert.equal(runAgent(plan), 0);
    const status = JSON.parse(readFileSync(plan.statusFile, 'utf8'));
    assert.deepEqual(status, { status: 'done', exit_code: 0 });
    assert.match(readFileSync(plan.logFile, 'utf8'), /^# Agent Log: 2026-02-08-001-r4x\n# Started: .*\n# Prompt: standard\n\n[\s\S]*scripted agent: done/);

    const result = await finishDirectRun(plan, 0, {
      projectPaths: paths,
      now: () => new Date(Date.UTC(2026, 1, 8, 10, 0, 0)),
    });
    assert.equal(result.status, 'completed');
    assert.equal(result.commits.length, 1);
    assert.deepEqual(result.uncheckedCriteria, []);
    const done = parseSpec(readFileSync(paths.specFile(ID), 'utf8'), { id: ID, path: '' });
    assert.equal(done.status, 'completed');
    assert.equal(done.completedAt, '2026-02-08T10:00:00Z');
    assert.equal(done.model, 'haiku');
    assert.deepEqual(done.commits, result.commits);
    assert.equal(done.acceptance.checked, 2);
    assert.equal(existsSync(plan.statusFile), false);

    const merged = await mergeSpecBranch(paths, parseConfig(CONFIG), ID, { deleteBranch: true });
    assert.equal(merged.kind, 'fast-forward');
    assert.equal(merged.worktreeRemoved, path.dirname(path.dirname(plan.workSpecFile)).replace(/\/\.chant$/, ''));
    assert.equal(merged.branchDeleted, true);
    assert.equal(readFileSync(path.join(repo, 'src', 'thing.txt'), 'utf8'), `# Output of ${ID}\n\nWritten by the scripted agent.\n`);
    const after = parseSpec(readFileSync(paths.specFile(ID), 'utf8'), { id: ID, path: '' });
    assert.equal(after.status, 'completed');
    assert.equal(after.acceptance.checked, 2);
    assert.equal(git(repo, 'status', '--porcelain'), '');
    assert.equal(existsSync(plan.workDir), false);
  });

  it('silent mode: inputs are copied into the worktree, outputs under .chant/ copied back', async () => {
    const spec = `---\ntype: research\nstatus: pending\ntarget_files:\n- .chant/research/out.md\ninformed_by:\n- .chant/research/in.md\n- https://example.com/issues/1\n---\n# Research it\n\n## Acceptance Criteria\n\n- [ ] Written\n`;
    setup({ '.chant/research/in.md': '# earlier findings\n' }, { silent: true, spec });
    const plan = await prepareDirectRun(options({ silent: true }));
    assert.equal(readFileSync(path.join(plan.workDir, '.chant/research/in.md'), 'utf8'), '# earlier findings\n');
    assert.equal(readFileSync(plan.workSpecFile, 'utf8'), readFileSync(paths.specFile(ID), 'utf8'));
    const prompt = readFileSync(plan.promptFile, 'utf8');
    assert.match(prompt, /# earlier findings/);
    assert.match(prompt, /- https:\/\/example.com\/issues\/1/);
    assert.equal(runAgent(plan), 0);
    const result = await finishDirectRun(plan, 0, { projectPaths: paths });
    assert.equal(result.status, 'completed');
    assert.deepEqual(result.copiedBack, ['.chant/research/out.md']);
    assert.equal(result.commits.length, 0);
    assert.match(readFileSync(path.join(repo, '.chant/research/out.md'), 'utf8'), /Written by the scripted agent/);
    const done = parseSpec(readFileSync(paths.specFile(ID), 'utf8'), { id: ID, path: '' });
    assert.equal(done.status, 'completed');
    assert.equal(done.acceptance.checked, 1);
    // Merging removes the worktree; its copy of the spec goes with it, never beside the spec in specs/.
    await mergeSpecBranch(paths, parseConfig(CONFIG), ID);
    assert.deepEqual(readdirSync(path.join(repo, '.chant', 'specs')).filter((f) => f.endsWith('.md')), [`${ID}.md`]);
  });

  it('keeps the raw agent output in .chant/logs/runs/<id>-<UTC stamp>.jsonl, which git never picks up', async () => {
    // No chant .gitignore at all: the runs folder ignores itself.
    setup();
    git(repo, 'rm', '-q', '.chant/.gitignore');
    git(repo, 'commit', '-q', '-m', 'no chant ignore file');
    const started = new Date(Date.UTC(2026, 11, 5, 9, 7, 3));
    const plan = await prepareDirectRun(options({ isolation: 'checkout', now: () => started }));
    assert.equal(plan.streamFile, path.join(repo, '.chant', 'logs', 'runs', `${ID}-20261205T090703Z.jsonl`));
    assert.equal(runAgent(plan), 0);
    const stream = readFileSync(plan.streamFile, 'utf8');
    assert.match(stream, /scripted agent: read \d+ characters of prompt\n[\s\S]*scripted agent: done\n$/);
    assert.ok(readFileSync(plan.logFile, 'utf8').endsWith(stream), 'plain output: the log holds the same lines');
    git(repo, 'check-ignore', '-q', '--', plan.streamFile);
    git(repo, 'add', '-A');
    assert.doesNotMatch(git(repo, 'status', '--porcelain'), /logs\/runs/);
    assert.equal((await finishDirectRun(plan, 0, { projectPaths: paths })).status, 'completed');
    assert.doesNotMatch(git(repo, 'show', '--name-only', '--format=', `chant/${ID}`), /logs/);

    // The next run of the same spec in the same second gets its own file.
    git(repo, 'checkout', '-q', 'main');
    const again = await prepareDirectRun(options({ now: () => started }));
    assert.equal(path.basename(again.streamFile), `${ID}-20261205T090703Z-2.jsonl`);
  });

  it("records the model the agent says it used (its init event), not the one it was asked for", async () => {
    setup();
    const plan = await prepareDirectRun(options({}, '--stream-json --model claude-sonnet-4-5'));
    assert.equal(plan.model, 'haiku');
    assert.equal(runAgent(plan), 0);
    assert.equal((await finishDirectRun(plan, 0, { projectPaths: paths })).status, 'completed');
    assert.equal(parseSpec(readFileSync(paths.specFile(ID), 'utf8'), { id: ID, path: '' }).model, 'claude-sonnet-4-5');
  });

  it('silent mode: the stream file is under the excluded .chant/', async () => {
    setup({}, { silent: true });
    const plan = await prepareDirectRun(options({ silent: true }));
    git(repo, 'check-ignore', '-q', '--', plan.streamFile);
    assert.equal(runAgent(plan), 0);
    assert.match(readFileSync(plan.streamFile, 'utf8'), /scripted agent: done/);
  });

  it('a failing agent marks the spec failed with the reason; a re-run continues the branch, commits kept', async () => {
    setup();
    const plan = await prepareDirectRun(options({}, '--fail'));
    const code = runAgent(plan);
    assert.equal(code, 3);
    const failed = await finishDirectRun(plan, code, { projectPaths: paths });
    assert.equal(failed.status, 'failed');
    assert.equal(failed.reason, 'Agent exited with status: 3');
    assert.equal(parseSpec(readFileSync(paths.specFile(ID), 'utf8'), { id: ID, path: '' }).status, 'failed');

    // A commit on the branch from the failed run must survive the re-run.
    writeFileSync(path.join(plan.workDir, 'partial.txt'), 'partial\n');
    git(plan.workDir, 'add', 'partial.txt');
    git(plan.workDir, 'commit', '-q', '-m', `chant(${ID}): partial work`);
    const partial = git(repo, 'rev-parse', `chant/${ID}`);

    const again = await prepareDirectRun(options());
    assert.equal(again.continued, true);
    assert.equal(again.workDir, plan.workDir);
    assert.equal(git(repo, 'rev-parse', `chant/${ID}`), partial);
    assert.equal(runAgent(again), 0);
    const done = await finishDirectRun(again, 0, { projectPaths: paths });
    assert.equal(done.status, 'completed');
    assert.equal(done.commits.length, 2);
    assert.equal(git(repo, 'merge-base', '--is-ancestor', partial, `chant/${ID}`), '');
  });

  it('an agent that commits nothing fails with "No commits found"; a stopped one fails as stopped', async () => {
    setup();
    const plan = await prepareDirectRun(options({}, '--no-commit'));
    assert.equal(runAgent(plan), 0);
    const result = await finishDirectRun(plan, 0, { projectPaths: paths });
    assert.equal(result.status, 'failed');
    assert.match(result.reason ?? '', /^No commits found/);
    const stopped = await finishDirectRun(plan, undefined, { projectPaths: paths });
    assert.equal(stopped.status, 'failed');
    assert.equal(stopped.reason, 'The agent was stopped before it finished.');
  });

  it('a research run in silent mode whose closing git commit fails is completed: its document was written and copied back', async () => {
    const spec = `---\ntype: research\nstatus: pending\ntarget_files:\n- .chant/research/out.md\n---\n# Research it\n\n## Acceptance Criteria\n\n- [ ] Written\n`;
    setup({}, { silent: true, spec });
    const plan = await prepareDirectRun(options({ silent: true }, '--commit-fails --stream-json'));
    assert.equal(runAgent(plan), 1);
    const result = await finishDirectRun(plan, 1, { projectPaths: paths });
    assert.equal(result.status, 'completed');
    assert.equal(result.reason, undefined);
    assert.equal(result.overridesExit, "the research document .chant/research/out.md was written; the agent's exit status 1 is ignored");
    assert.deepEqual(result.copiedBack, ['.chant/research/out.md']);
    assert.equal(parseSpec(readFileSync(paths.specFile(ID), 'utf8'), { id: ID, path: '' }).status, 'completed');
    const log = readFileSync(plan.logFile, 'utf8');
    assert.match(log, /^the commit failed \(as asked\)$/m);
    assert.doesNotMatch(log, /"type":/, 'the chant log holds text, not events');
    assert.match(log, /# Finished: .* completed \(0 commit\(s\); the research document .* is ignored\)\n$/);
    assert.match(readFileSync(plan.streamFile, 'utf8'), /"type":"result"/);
  });

  it('a code run whose commit fails is failed with the exit status; the uncommitted target is named', async () => {
    setup();
    const plan = await prepareDirectRun(options({}, '--commit-fails'));
    assert.equal(runAgent(plan), 1);
    const result = await finishDirectRun(plan, 1, { projectPaths: paths });
    assert.equal(result.status, 'failed');
    assert.equal(result.reason, 'Agent exited with status: 1');
    assert.equal(result.overridesExit, undefined);
    assert.ok(result.notices.some((n) => n.startsWith('src/thing.txt was written but not committed')), result.notices.join('\n'));
  });

  it('checkout isolation: a target written in place without a commit completes the run', async () => {
    setup();
    const plan = await prepareDirectRun(options({ isolation: 'checkout' }, '--no-commit'));
    assert.equal(runAgent(plan), 0);
    const result = await finishDirectRun(plan, 0, { projectPaths: paths });
    assert.equal(result.status, 'completed', result.reason);
    assert.deepEqual(result.commits, []);
  });

  it('start over keeps the old branch under a backup name', async () => {
    setup();
    const plan = await prepareDirectRun(options());
    assert.equal(runAgent(plan), 0);
    await finishDirectRun(plan, 0, { projectPaths: paths });
    const old = git(repo, 'rev-parse', `chant/${ID}`);
    git(repo, 'checkout', '-q', '--', '.');
    const fresh = await prepareDirectRun(options({ startOver: true }));
    assert.equal(fresh.continued, false);
    const backups = git(repo, 'branch', '--list', `chant/${ID}-backup-*`, '--format=%(refname:short)').split('\n').filter(Boolean);
    assert.equal(backups.length, 1);
    assert.equal(git(repo, 'rev-parse', backups[0]), old);
    assert.equal(git(repo, 'rev-parse', `chant/${ID}`), git(repo, 'rev-parse', 'main'));
  });

  it('checkout isolation refuses a dirty tree unless asked to stash, then works on the branch', async () => {
    setup();
    writeFileSync(path.join(repo, 'README.md'), 'local edit\n');
    await assert.rejects(prepareDirectRun(options({ isolation: 'checkout' })), (e: unknown) => e instanceof RunGitError && e.reason === 'dirty' && e.files.includes('README.md'));
    const plan = await prepareDirectRun(options({ isolation: 'checkout', stashDirty: true }));
    assert.equal(plan.workDir, repo);
    assert.equal(git(repo, 'symbolic-ref', '--short', 'HEAD'), `chant/${ID}`);
    assert.match(git(repo, 'stash', 'list'), /chant: before working/);
    assert.equal(runAgent(plan), 0);
    const result = await finishDirectRun(plan, 0, { projectPaths: paths });
    assert.equal(result.status, 'completed');
    // The finalized spec is committed on the branch, so switching back to main is clean.
    assert.equal(git(repo, 'status', '--porcelain', '--', '.chant/specs'), '');
    const merged = await mergeSpecBranch(paths, parseConfig(CONFIG), ID);
    assert.equal(merged.kind, 'fast-forward');
    assert.equal(git(repo, 'symbolic-ref', '--short', 'HEAD'), 'main');
    assert.equal(parseSpec(readFileSync(paths.specFile(ID), 'utf8'), { id: ID, path: '' }).status, 'completed');
  });

  it('merges a spec that was never committed on main (the branch added it)', async () => {
    setup();
    git(repo, 'rm', '-q', '--cached', `.chant/specs/${ID}.md`);
    git(repo, 'commit', '-q', '-m', 'untrack the spec');
    const plan = await prepareDirectRun(options());
    assert.equal(runAgent(plan), 0);
    assert.equal((await finishDirectRun(plan, 0, { projectPaths: paths })).status, 'completed');
    const merged = await mergeSpecBranch(paths, parseConfig(CONFIG), ID);
    assert.equal(merged.kind, 'fast-forward');
    assert.equal(parseSpec(readFileSync(paths.specFile(ID), 'utf8'), { id: ID, path: '' }).status, 'completed');
    assert.equal(git(repo, 'status', '--porcelain'), '');
  });

  it('refuses a repository without commits', async () => {
    writeFiles(repo, { '.chant/config.md': CONFIG, [`.chant/specs/${ID}.md`]: specText() });
    await assert.rejects(prepareDirectRun(options()), (e: unknown) => e instanceof RunGitError && e.reason === 'no-commits');
  });

  it('falls back to the current branch, or HEAD when detached, with a notice', async () => {
    setup();
    git(repo, 'branch', '-m', 'main', 'trunk');
    const plan = await prepareDirectRun(options());
    assert.equal(plan.base, 'trunk');
    assert.match(plan.notices.join('\n'), /main_branch 'main' does not exist; branching from the current branch 'trunk'/);
    git(repo, 'checkout', '-q', '--', '.');
    git(repo, 'worktree', 'remove', '--force', plan.workDir);
    git(repo, 'branch', '-D', `chant/${ID}`);
    git(repo, 'checkout', '-q', '--detach');
    const detached = await prepareDirectRun(options());
    assert.match(detached.notices.join('\n'), /HEAD is detached; branching from commit/);
  });

  it('a merge conflict stops with the files listed and leaves the merge for the user', async () => {
    setup({ 'src/thing.txt': 'original\n' });
    const plan = await prepareDirectRun(options());
    assert.equal(runAgent(plan), 0);
    await finishDirectRun(plan, 0, { projectPaths: paths });
    // main moves on with a conflicting change to the same file.
    git(repo, 'stash', 'push', '-q', '--', '.chant/specs');
    writeFileSync(path.join(repo, 'src', 'thing.txt'), 'changed on main\n');
    git(repo, 'commit', '-q', '-am', 'main change');
    git(repo, 'stash', 'pop', '-q');
    await assert.rejects(mergeSpecBranch(paths, parseConfig(CONFIG), ID), (e: unknown) => {
      assert.ok(e instanceof RunGitError);
      assert.equal(e.reason, 'conflict');
      assert.deepEqual(e.files, ['src/thing.txt']);
      return true;
    });
    assert.ok(existsSync(path.join(repo, '.git', 'MERGE_HEAD')), 'the merge is left in progress, not reset');
    assert.ok(existsSync(plan.workDir), 'the worktree is kept');
  });

  it('a title with shell syntax executes nothing', async () => {
    setup({}, { spec: specText('', "$(touch PWNED) `touch PWNED` '; touch PWNED; echo \"") });
    const plan = await prepareDirectRun(options());
    assert.equal(runAgent(plan), 0);
    assert.equal(existsSync(path.join(plan.workDir, 'PWNED')), false);
    assert.equal(existsSync(path.join(repo, 'PWNED')), false);
    assert.match(readFileSync(plan.promptFile, 'utf8'), /\$\(touch PWNED\)/);
  });
});
