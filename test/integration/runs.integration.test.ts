// Agent runs in a real extension host: "Work this spec" (through the CodeLens when it offers one)
// runs the scripted agent (test/agent/scriptedAgent.js, set as chant.agent.command) in a real
// integrated terminal on its own branch and worktree, the spec turns completed, and Merge brings
// the work into main. Also a failing agent with a hostile title, and the chant CLI runner with a
// fake `chant` that records its arguments. The specs are written into the throw-away workspace
// (a git repository) and removed afterwards, so other suites see the fixture unchanged.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChantApi } from '../../src/api';
import type { PrOutcome } from '../../src/investigation/pullRequests';
import type { RunInfo } from '../../src/runs/runRegistry';
import { chantConfig, cleanUpRunSuite, setUpRunSuite, type RunSuite } from './runSuite';
import { waitFor, withTimeout } from './wait';

const RUN_ID = '2026-04-01-001-run';
const FAIL_ID = '2026-04-01-002-bad';
const CLI_ID = '2026-04-01-003-cli';
/** Sorts before every fixture spec, so "Work Next Ready" must pick it. */
const NEXT_ID = '2026-01-01-001-nxt';
const CLASH_ID = '2026-04-01-004-cls'; // chant's id grammar: a 3-character suffix (runs refuse other ids)
const NO_PROMPT_ID = '2026-04-01-005-nop';
/** A spec chant work grades 🔴 Refine: it has no acceptance criteria (AC quality D). */
const REFINE_ID = '2026-04-01-006-red';
const TEST_IDS = [RUN_ID, FAIL_ID, CLI_ID, NEXT_ID, CLASH_ID, NO_PROMPT_ID, REFINE_ID];
const HOSTILE_TITLE = "$(touch PWNED) `touch PWNED` it's; touch PWNED";

function spec(title: string, target: string): string {
  return [
    '---',
    'type: code',
    'status: pending',
    'target_files:',
    `- ${target}`,
    '---',
    `# ${title}`,
    '',
    'Write the output file.',
    '',
    '## Acceptance Criteria',
    '',
    // Two criteria: chant grades the spec 🟢 (or 🟡), so no quality question comes before the run.
    '- [ ] Write the output file',
    '- [ ] Verify the work is committed',
    '',
  ].join('\n');
}

describe('Agent runs', function () {
  this.timeout(120_000);
  let suite: RunSuite | undefined;
  let root: string;
  let api: ChantApi;
  let scratch: string;
  let agentScript: string;
  const git = (...args: string[]): string => suite!.git(...args);
  const specFile = (id: string): string => suite!.specFile(id);
  const config = chantConfig;

  before(async () => {
    suite = await setUpRunSuite({
      scratchPrefix: 'chant-runs-it-',
      specs: {
        [RUN_ID]: spec('Write the run output', 'src/run-output.txt'),
        [FAIL_ID]: spec(HOSTILE_TITLE, 'src/fail-output.txt'),
        [CLI_ID]: spec('Run through the chant CLI', 'src/cli-output.txt'),
        [NEXT_ID]: spec('The next ready spec', 'src/next-output.txt'),
        [CLASH_ID]: spec('Write a file main writes too', 'src/clash.txt'),
        [NO_PROMPT_ID]: spec('Uses a prompt nobody wrote', 'src/nop.txt').replace('status: pending\n', 'status: pending\nprompt: nonexistent\n'),
        [REFINE_ID]: spec('No criteria for chant to count', 'src/red.txt').replace('- [ ] Write the output file\n- [ ] Verify the work is committed\n', ''),
      },
      message: 'test: specs for agent runs',
      settings: (agent) => ({ 'agent.command': `node ${agent} --prompt \${promptFile}`, runner: 'direct' }),
    });
    ({ root, api, scratch, agentScript } = suite);
  });

  after(() =>
    cleanUpRunSuite(suite, {
      ids: TEST_IDS,
      settings: ['agent.command', 'runner', 'cliPath'],
      files: ['src/run-output.txt', 'src/clash.txt'],
      message: 'test: remove agent-run specs',
    }),
  );

  it('works a spec from its CodeLens in a named terminal, completes it, and merges it into main', async () => {
    const doc = await vscode.workspace.openTextDocument(specFile(RUN_ID));
    await vscode.window.showTextDocument(doc);
    // The editor's CodeLens offers "Work this spec" once chant.workSpec is registered.
    const lens = await waitFor(async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      return found?.find((l) => l.command?.command === 'chant.workSpec');
    }, 10_000, 'the "Work this spec" CodeLens');
    assert.equal(lens.command!.title, '$(play) Work this spec');
    // Clicking the lens passes (uri, id); the options skip the one question an existing branch would raise.
    const [uri] = lens.command!.arguments as [vscode.Uri, string];
    assert.equal(uri.fsPath, specFile(RUN_ID));
    const run = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', uri, { startOver: false });
    assert.ok(run, 'the run started');
    assert.equal(api.terminals.of(RUN_ID)?.name, 'chant · 001-run · Write the run output');
    assert.ok(api.runs.isRunning(RUN_ID) || run.state !== 'running');
    await withTimeout(run.done, 90_000, 'the agent run to finish');
    assert.equal(run.state, 'completed', `run ended ${run.state}: ${run.result?.reason ?? ''}`);
    assert.equal(api.runs.isRunning(RUN_ID), false);

    const text = fs.readFileSync(specFile(RUN_ID), 'utf8');
    assert.match(text, /^status: completed$/m);
    assert.match(text, /^branch: chant\/2026-04-01-001-run$/m);
    assert.match(text, /^completed_at: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);
    assert.match(text, /^model: haiku$/m);
    assert.match(text, /^commits:\n- '?[0-9a-f]{7,}'?$/m);
    assert.match(text, /- \[x\] Write the output file/);
    const log = fs.readFileSync(path.join(root, '.chant', 'logs', `${RUN_ID}.log`), 'utf8');
    assert.match(log, /^# Agent Log: 2026-04-01-001-run/);
    assert.match(log, /scripted agent: done/);

    // Review Changes: the branch's files against main, in a diff editor.
    const reviewed = await vscode.commands.executeCommand<number>('chant.reviewChanges', RUN_ID);
    assert.ok(reviewed >= 2, `files to review: ${reviewed}`);
    await waitFor(
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputTextDiff || /chant\/2026-04-01-001-run/.test(t.label)),
      10_000,
      'a diff editor',
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    const merged = await vscode.commands.executeCommand<boolean>('chant.mergeSpec', RUN_ID, { confirmed: true, deleteBranch: true });
    assert.equal(merged, true);
    assert.equal(git('symbolic-ref', '--short', 'HEAD'), 'main');
    assert.match(fs.readFileSync(path.join(root, 'src', 'run-output.txt'), 'utf8'), /Written by the scripted agent/);
    assert.equal(git('branch', '--list', 'chant/2026-04-01-001-run'), '');
    assert.equal(fs.existsSync(path.join(scratch, `chant-fixture-${RUN_ID}`)), false, 'the worktree is removed');
    assert.match(fs.readFileSync(specFile(RUN_ID), 'utf8'), /^status: completed$/m);
  });

  it('a failing agent marks the spec failed and a hostile title executes nothing', async () => {
    await config().update('agent.command', `node ${agentScript} --prompt \${promptFile} --fail`, vscode.ConfigurationTarget.Global);
    try {
      const run = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', FAIL_ID, { startOver: false });
      assert.ok(run);
      assert.match(api.terminals.of(FAIL_ID)?.name ?? '', /^chant · 002-bad · /);
      await withTimeout(run.done, 90_000, 'the failing run to finish');
      assert.equal(run.state, 'failed');
      assert.equal(run.result?.reason, 'Agent exited with status: 3');
      assert.match(fs.readFileSync(specFile(FAIL_ID), 'utf8'), /^status: failed$/m);
      const worktree = run.plan!.workDir;
      assert.ok(fs.existsSync(worktree), 'a failed run keeps its worktree');
      for (const dir of [root, worktree]) assert.equal(fs.existsSync(path.join(dir, 'PWNED')), false);
      assert.ok(git('branch', '--list', `chant/${FAIL_ID}`).length > 0, 'a failed run keeps its branch');
    } finally {
      await config().update('agent.command', `node ${agentScript} --prompt \${promptFile}`, vscode.ConfigurationTarget.Global);
    }
  });

  it('Pause stops a hanging agent, sets paused and keeps the branch; Work continues it', async () => {
    await config().update('agent.command', `node ${agentScript} --prompt \${promptFile} --hang`, vscode.ConfigurationTarget.Global);
    try {
      const run = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', FAIL_ID, { startOver: false, workAnyway: true, rerun: true });
      assert.ok(run);
      assert.equal(run.plan?.continued, true, 'the branch of the failed run is continued');
      await waitFor(() => fs.existsSync(run.plan!.logFile) && /hanging \(as asked\)/.test(fs.readFileSync(run.plan!.logFile, 'utf8')), 30_000, 'the agent to start');
      assert.equal(api.runs.isRunning(FAIL_ID), true);
      assert.ok(api.runs.runningCount >= 1);
      // The run registry reaches the tree and the CodeLens at once, not through the spec file:
      // the row says `running` (its menus offer Pause), the lens says the agent runs.
      const node = await waitFor(() => api.tree.findSpecNode(FAIL_ID), 10_000, 'the spec row');
      const item = await api.tree.getTreeItem(node);
      assert.match(String(item.contextValue), /^spec:running:/);
      const specDoc = await vscode.workspace.openTextDocument(specFile(FAIL_ID));
      const lenses = await waitFor(async () => {
        const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', specDoc.uri);
        return found?.some((l) => l.command?.command === 'chant.pauseRun') ? found : undefined;
      }, 10_000, 'the Pause lens');
      assert.ok(lenses.some((l) => l.command?.title === '$(sync~spin) Agent running'), lenses.map((l) => l.command?.title).join(' | '));
      assert.ok(lenses.some((l) => l.command?.command === 'chant.pauseRun'));
      const paused = await vscode.commands.executeCommand<boolean>('chant.pauseRun', FAIL_ID);
      assert.equal(paused, true);
      await withTimeout(run.done, 20_000, 'the paused run to end');
      assert.equal(run.state, 'stopped');
      assert.equal(api.runs.isRunning(FAIL_ID), false);
      assert.doesNotMatch(String((await api.tree.getTreeItem(node)).contextValue), /^spec:running:/);
      assert.match(fs.readFileSync(specFile(FAIL_ID), 'utf8'), /^status: paused$/m);
      assert.ok(git('branch', '--list', `chant/${FAIL_ID}`).length > 0, 'pause keeps the branch');
    } finally {
      await config().update('agent.command', `node ${agentScript} --prompt \${promptFile}`, vscode.ConfigurationTarget.Global);
    }
  });

  it('tracks the exit code through the status file when shell integration is not used', async () => {
    const { runInTerminal } = await import('../../src/runs/terminals');
    const { wrapAgentRun } = await import('../../src/core/workflow/commandLine');
    const statusFile = path.join(scratch, 'status.json');
    const terminal = vscode.window.createTerminal({ name: 'chant · fallback test', cwd: scratch });
    try {
      const line = wrapAgentRun({ agentLine: 'echo "$CHANT_SPEC_ID"; exit 5', env: { CHANT_SPEC_ID: '$(touch PWNED)' }, logFile: path.join(scratch, 'fallback.log'), statusFile });
      const result = await withTimeout(runInTerminal({ terminal, line, statusFile, useShellIntegration: false }), 30_000, 'the fallback run');
      assert.deepEqual(result, { exitCode: 5, via: 'status-file' });
      assert.equal(fs.readFileSync(path.join(scratch, 'fallback.log'), 'utf8').trim(), '$(touch PWNED)');
      assert.equal(fs.existsSync(path.join(scratch, 'PWNED')), false);
    } finally {
      terminal.dispose();
    }
  });

  it('notices a run the chant CLI started in any terminal through its .chant-status file', async () => {
    const status = path.join(root, '.chant', 'specs', `.chant-status-${CLI_ID}.json`);
    const counts: number[] = [];
    const listener = api.runs.onDidChangeRunningCount((n) => counts.push(n));
    try {
      fs.writeFileSync(status, '{"status":"working"}');
      await waitFor(() => api.runs.isRunning(CLI_ID), 10_000, 'the external run to be noticed');
      fs.rmSync(status);
      await waitFor(() => !api.runs.isRunning(CLI_ID), 10_000, 'the external run to end');
      assert.ok(counts.length >= 2, `running count events: ${counts.join(',')}`);
    } finally {
      listener.dispose();
      fs.rmSync(status, { force: true });
    }
  });

  it('the chant CLI runner runs `chant work --no-watch <full id>` in the project root; a completed spec with unmerged commits waits in Needs you', async () => {
    const record = path.join(scratch, 'chant-args.txt');
    const fake = path.join(scratch, 'chant');
    // A fake chant that does what `chant work` leaves: a commit on the spec's branch (main's tree,
    // without touching any checkout) and the spec finalized as completed.
    fs.writeFileSync(
      fake,
      [
        '#!/bin/sh',
        `pwd > '${record}'`,
        `for a in "$@"; do printf '%s\\n' "$a" >> '${record}'; done`,
        '[ "$1" = work ] || exit 0',
        `c=$(git -c user.name=chant -c user.email=c@example.com commit-tree 'HEAD^{tree}' -p HEAD -m 'chant(${CLI_ID}): work')`,
        `git branch -f 'chant/${CLI_ID}' "$c"`,
        `sed -i 's/^status: .*/status: completed/' '.chant/specs/${CLI_ID}.md'`,
        'exit 0',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    await config().update('cliPath', fake, vscode.ConfigurationTarget.Global);
    try {
      const run = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', CLI_ID, { runner: 'cli' });
      assert.ok(run);
      assert.equal(run.runner, 'cli');
      await withTimeout(run.done, 60_000, 'the chant CLI run to finish');
      assert.equal(run.exitCode, 0);
      const lines = fs.readFileSync(record, 'utf8').trim().split('\n');
      assert.equal(fs.realpathSync(lines[0]), fs.realpathSync(root));
      // --no-watch: no `chant watch` daemon is left running after VS Code closes.
      assert.deepEqual(lines.slice(1), ['work', '--no-watch', CLI_ID]);
      // As a direct run would: completed, its branch waiting for review and merge (Needs you).
      assert.equal(run.state, 'completed');
      assert.equal(run.need, 'merge');
    } finally {
      await config().update('cliPath', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('the chant CLI runner says why chant turned a spec failed, and offers no merge after exit 1', async () => {
    const fake = path.join(scratch, 'chant-failing');
    const statusFile = path.join(root, '.chant', 'specs', `.chant-status-${CLI_ID}.json`);
    fs.writeFileSync(
      fake,
      [
        '#!/bin/sh',
        '[ "$1" = work ] || exit 0',
        `sed -i 's/^status: .*/status: failed/' '.chant/specs/${CLI_ID}.md'`,
        `printf '%s' '{"spec_id":"${CLI_ID}","status":"failed","updated_at":"2026-04-01T00:00:00Z","error":"Failed to invoke agent claude","commits":[]}' > '${statusFile}'`,
        'exit 1',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    await config().update('cliPath', fake, vscode.ConfigurationTarget.Global);
    try {
      const run = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', CLI_ID, { runner: 'cli', rerun: true });
      assert.ok(run);
      await withTimeout(run.done, 60_000, 'the failing chant CLI run to finish');
      assert.equal(run.exitCode, 1);
      assert.equal(run.state, 'failed');
      assert.equal(run.need, 'failed');
      assert.match(run.reason ?? '', /chant marked the spec failed: Failed to invoke agent claude/);
    } finally {
      fs.rmSync(statusFile, { force: true });
      git('branch', '-D', `chant/${CLI_ID}`);
      await config().update('cliPath', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a merge conflict stops with the files open and the merge in progress; nothing is reset', async () => {
    const run = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', CLASH_ID, { startOver: false });
    assert.ok(run);
    await withTimeout(run.done, 90_000, 'the run to finish');
    assert.equal(run.state, 'completed');
    const branch = `chant/${CLASH_ID}`;
    const branchHead = git('rev-parse', branch);
    // Meanwhile main wrote the same file differently.
    fs.writeFileSync(path.join(root, 'src', 'clash.txt'), "main's own version\n");
    git('add', 'src/clash.txt');
    git('-c', 'user.name=Test', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'main: clash.txt');
    const mainHead = git('rev-parse', 'HEAD');

    const merged = await vscode.commands.executeCommand<boolean>('chant.mergeSpec', CLASH_ID, { confirmed: true, deleteBranch: true });
    assert.equal(merged, false);
    assert.equal(git('rev-parse', 'MERGE_HEAD'), branchHead, 'the merge is left in progress');
    assert.equal(git('rev-parse', 'HEAD'), mainHead, 'main is not reset');
    assert.equal(git('rev-parse', branch), branchHead, 'the branch keeps its commits (and is not deleted)');
    assert.match(fs.readFileSync(path.join(root, 'src', 'clash.txt'), 'utf8'), /^<<<<<<< /m);
    const clash = path.join(root, 'src', 'clash.txt');
    await waitFor(
      () =>
        vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          // A merge editor tab has no public input type; its label names the file.
          .some((t) => (t.input instanceof vscode.TabInputText && t.input.uri.fsPath === clash) || t.label.includes('clash.txt')),
      10_000,
      'the conflicted file to open',
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    git('merge', '--abort');
  });

  it('a refused check starts nothing: no branch, no terminal, the spec unchanged', async () => {
    const before = fs.readFileSync(specFile(NO_PROMPT_ID));
    const run = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', NO_PROMPT_ID, { startOver: false });
    assert.equal(run, undefined);
    assert.equal(git('branch', '--list', `chant/${NO_PROMPT_ID}`), '');
    assert.equal(api.terminals.of(NO_PROMPT_ID), undefined);
    assert.ok(fs.readFileSync(specFile(NO_PROMPT_ID)).equals(before));
    // It was the missing prompt: with the prompt written, the same spec runs.
    const prompt = path.join(root, '.chant', 'prompts', 'nonexistent.md');
    fs.mkdirSync(path.dirname(prompt), { recursive: true });
    fs.writeFileSync(prompt, '# Prompt\n\n{{spec}}\n');
    try {
      const again = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', NO_PROMPT_ID, { startOver: false });
      assert.ok(again, 'the spec runs once its prompt exists');
      await withTimeout(again.done, 90_000, 'the run with its prompt');
      assert.equal(again.state, 'completed');
    } finally {
      fs.rmSync(prompt, { force: true });
    }
  });

  it('asks before working a spec chant grades 🔴 Refine: unanswered, nothing starts; despiteGrade works it', async () => {
    const before = fs.readFileSync(specFile(REFINE_ID));
    // VS Code shows no modal under test: the question is left unanswered, as if dismissed. The spec
    // passes every other check (the same call with the answer given runs it, below), so the quality
    // question is what held it back.
    const unanswered = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', REFINE_ID, { startOver: false });
    assert.equal(unanswered, undefined);
    assert.equal(git('branch', '--list', `chant/${REFINE_ID}`), '');
    assert.equal(api.terminals.of(REFINE_ID), undefined);
    assert.ok(fs.readFileSync(specFile(REFINE_ID)).equals(before));
    const run = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', REFINE_ID, { startOver: false, despiteGrade: true });
    assert.ok(run, 'the answer given in advance starts the run');
    await withTimeout(run.done, 90_000, 'the 🔴 spec run to finish');
    assert.equal(run.state, 'completed');
  });

  it('Work Next Ready works the first ready spec in id order', async () => {
    assert.equal(api.projects.findSpec(NEXT_ID)!.index.readiness(NEXT_ID)?.ready, true);
    const run = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workNextReady', { startOver: false });
    assert.ok(run, 'a run started');
    assert.equal(run.id, NEXT_ID);
    assert.equal(run.runner, 'direct');
    await withTimeout(run.done, 90_000, 'the next ready spec to finish');
    assert.equal(run.state, 'completed');
    assert.match(fs.readFileSync(specFile(NEXT_ID), 'utf8'), /^status: completed$/m);
    assert.match(git('log', '--format=%s', `chant/${NEXT_ID}`), new RegExp(`^chant\\(${NEXT_ID}\\):`, 'm'));
  });

  it('with the chant CLI runner, Pause and Take Over hand the running spec to `chant pause|takeover <id> --force`', async () => {
    // A fake chant: records each call (cwd, then one argument per line); `work` hangs like an agent.
    const record = path.join(scratch, 'chant-calls.txt');
    const fake = path.join(scratch, 'chant-hanging');
    fs.writeFileSync(
      fake,
      `#!/bin/sh\n{ pwd; for a in "$@"; do printf '%s\\n' "$a"; done; echo ---; } >> '${record}'\n[ "$1" = work ] && exec sleep 600\nexit 0\n`,
      { mode: 0o755 },
    );
    // The editor also runs `chant lint` on saved specs while a chant CLI is configured: only the
    // run commands count here.
    const calls = (): string[][] =>
      fs.existsSync(record)
        ? completeCalls(fs.readFileSync(record, 'utf8')).filter((call) => call[1] !== 'lint')
        : [];
    await config().update('cliPath', fake, vscode.ConfigurationTarget.Global);
    try {
      for (const [command, verb] of [['chant.pauseRun', 'pause'], ['chant.takeOver', 'takeover']] as const) {
        const before = calls().length;
        const run = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', CLI_ID, { runner: 'cli', rerun: true });
        assert.ok(run);
        await waitFor(() => calls().length > before, 20_000, `chant work to start (before ${verb})`);
        assert.deepEqual(calls()[before].slice(1), ['work', '--no-watch', CLI_ID]);
        assert.equal(api.runs.isRunning(CLI_ID), true);
        const workTerminal = api.terminals.of(CLI_ID);
        assert.equal(await vscode.commands.executeCommand<boolean>(command, CLI_ID), true);
        await withTimeout(run.done, 20_000, `the CLI run to end after ${verb}`);
        assert.equal(run.state, 'stopped');
        assert.equal(api.runs.isRunning(CLI_ID), false);
        await waitFor(() => calls().length > before + 1, 20_000, `chant ${verb} to be called`);
        const call = calls()[before + 1];
        assert.equal(fs.realpathSync(call[0]), fs.realpathSync(root), 'chant runs in the project root');
        assert.deepEqual(call.slice(1), [verb, CLI_ID, '--force']);
        assert.notEqual(api.terminals.of(CLI_ID), workTerminal, `${verb} runs in a fresh terminal, not the closed one`);
      }
    } finally {
      await config().update('cliPath', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

describe('Issue investigation', function () {
  this.timeout(180_000);
  let suite: RunSuite | undefined;
  let root: string;
  let api: ChantApi;
  let scratch: string;
  let ids: string[] = [];
  const git = (...args: string[]): string => suite!.git(...args);

  before(async () => {
    suite = await setUpRunSuite({
      scratchPrefix: 'chant-chain-it-',
      settings: (agent) => ({ 'agent.command': `node ${agent} --prompt \${promptFile}`, runner: 'direct' }),
    });
    ({ root, api, scratch } = suite);
  });

  after(() =>
    cleanUpRunSuite(suite, {
      ids,
      settings: ['agent.command', 'runner'],
      files: ['.chant/research/issue-4321-comprehension.md', '.chant/research/issue-4321-reproduction.md'],
      message: 'test: remove the investigation',
    }),
  );

  it('scaffolds the six-phase chain and works its first two phases one after another, merging each', async () => {
    ids = (await vscode.commands.executeCommand<string[]>('chant.startInvestigation', {
      issue: 'https://github.com/yourproject/kvstore/issues/4321',
      summary: 'lost writes under load',
      mode: 'chain',
      // The graph panel loads the archive, which changes what later tree tests see.
      showGraph: false,
    }))!;
    assert.equal(ids.length, 5);
    await waitFor(() => ids.every((id) => api.projects.findSpec(id)), 20_000, 'the index to see the investigation');
    const first = api.projects.findSpec(ids[0])!.spec;
    assert.equal(first.title, 'Comprehension: issue #4321 lost writes under load');
    assert.deepEqual(api.projects.findSpec(ids[1])!.spec.dependsOn, [ids[0]]);
    assert.equal(api.projects.findSpec(ids[0])!.index.readiness(ids[0])?.ready, true);
    assert.equal(api.projects.findSpec(ids[1])!.index.readiness(ids[1])?.ready, false);

    const worked = await vscode.commands.executeCommand<string[]>('chant.workPhaseChain', ids[0], { pauseBetweenPhases: false, maxPhases: 2 });
    assert.deepEqual(worked, ids.slice(0, 2));
    for (const id of ids.slice(0, 2)) {
      assert.match(fs.readFileSync(path.join(root, '.chant', 'specs', `${id}.md`), 'utf8'), /^status: completed$/m, id);
    }
    assert.match(fs.readFileSync(path.join(root, '.chant', 'research', 'issue-4321-comprehension.md'), 'utf8'), /Written by the scripted agent/);
    assert.match(fs.readFileSync(path.join(root, '.chant', 'research', 'issue-4321-reproduction.md'), 'utf8'), /Written by the scripted agent/);
    assert.equal(git('symbolic-ref', '--short', 'HEAD'), 'main');
    await waitFor(() => api.projects.findSpec(ids[2])!.index.readiness(ids[2])?.ready, 10_000, 'the third phase to become ready');
  });

  it('drafts the upstream PR from the gate node of the tree, sending nothing', async () => {
    // The Upstream PR gate of the tree hands its node to the command; the node names the investigation.
    const gateNode = await waitFor(async () => {
      const queue = [...(await api.tree.getChildren())];
      while (queue.length > 0) {
        const node = queue.shift()!;
        if (node.kind === 'gate' && node.model.gate.investigation === 'issue-4321') return node;
        if (node.kind === 'group' || node.kind === 'project') queue.push(...(await api.tree.getChildren(node)));
      }
      return undefined;
    }, 10_000, 'the Upstream PR gate of issue-4321 in the tree');
    const draft = await vscode.commands.executeCommand<vscode.Uri | undefined>('chant.prepareUpstreamPr', gateNode);
    assert.ok(draft, 'a draft was written');
    assert.match(path.basename(draft.fsPath), /^upstream-pr-issue-4321\.md$/);
    const text = fs.readFileSync(draft.fsPath, 'utf8');
    assert.match(text.split('\n')[0], /^# .*#4321/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, draft.fsPath, 'the draft is open for the human to edit');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('says exactly what is missing for a staging PR: gh and a remote', async () => {
    // A PATH with git and nothing else: no gh.
    const bin = fs.mkdtempSync(path.join(scratch, 'bin-git-only-'));
    fs.symlinkSync(execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim(), path.join(bin, 'git'));
    const saved = process.env.PATH;
    process.env.PATH = bin;
    try {
      const outcome = await vscode.commands.executeCommand<PrOutcome | undefined>('chant.createStagingPr', 'issue-4321');
      assert.ok(outcome && 'missing' in outcome, JSON.stringify(outcome));
      assert.equal(outcome.missing.length, 3, outcome.missing.join(' | '));
      assert.match(outcome.missing[0], /GitHub CLI `gh` is not installed or not on PATH/);
      assert.match(outcome.missing[1], /no git remote: add your fork with `git remote add origin <url>`/);
      // The chain merged the worked phases and deleted their branches; the fix phase is not worked yet.
      assert.match(outcome.missing[2], /does not exist in this repository/);
    } finally {
      process.env.PATH = saved;
    }
  });

  describe('with a fork, an upstream and gh', () => {
    // origin names a GitHub fork, but pushes go to a local bare repository (git's pushInsteadOf,
    // as with an ssh push URL); gh is a fake on PATH that records its calls.
    const FORK_URL = 'https://github.com/me/kvstore.git';
    let fork: string;
    let record: string;
    let savedPath: string | undefined;
    const ghCalls = (): string[][] =>
      fs.existsSync(record) ? completeCalls(fs.readFileSync(record, 'utf8')) : [];

    before(() => {
      fork = path.join(scratch, 'fork.git');
      execFileSync('git', ['init', '-q', '--bare', fork]);
      git('remote', 'add', 'origin', FORK_URL);
      git('remote', 'add', 'upstream', 'https://github.com/yourproject/kvstore.git');
      git('config', `url.${fork}.pushInsteadOf`, FORK_URL);
      const bin = fs.mkdtempSync(path.join(scratch, 'bin-gh-'));
      record = path.join(scratch, 'gh-calls.txt');
      fs.writeFileSync(
        path.join(bin, 'gh'),
        `#!/bin/sh\n[ "$1" = --version ] && { echo 'gh version 2.0.0 (fake)'; exit 0; }\n{ pwd; for a in "$@"; do printf '%s\\n' "$a"; done; echo ---; } >> '${record}'\necho https://github.com/pull/1\n`,
        { mode: 0o755 },
      );
      savedPath = process.env.PATH;
      process.env.PATH = `${bin}${path.delimiter}${savedPath ?? ''}`;
      // The Fork Fix phase, worked: a commit on its branch (made in a worktree, main untouched) and
      // the spec completed with it, as a run leaves them. Merge and Continue deleted the merged
      // research and reproduction branches; the fix's branch is what the PRs push.
      const fixId = ids[4];
      const worktree = path.join(scratch, 'fix-worktree');
      git('worktree', 'add', '-q', '-b', `chant/${fixId}`, worktree, 'main');
      fs.writeFileSync(path.join(worktree, 'lock.txt'), 'an exclusive lock from load to rename\n');
      execFileSync('git', ['-C', worktree, 'add', 'lock.txt']);
      execFileSync('git', ['-C', worktree, '-c', 'user.name=Agent', '-c', 'user.email=a@example.com', 'commit', '-q', '-m', `chant(${fixId}): take an exclusive lock from load to rename`]);
      const sha = execFileSync('git', ['-C', worktree, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
      git('worktree', 'remove', worktree);
      const file = path.join(root, '.chant', 'specs', `${fixId}.md`);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^status: .*$/m, `status: completed\nbranch: chant/${fixId}\ncommits:\n- ${sha}`));
      return waitFor(() => api.projects.findSpec(fixId)?.spec.branch === `chant/${fixId}`, 10_000, 'the index to read the fix branch');
    });

    after(() => {
      process.env.PATH = savedPath;
      git('remote', 'remove', 'origin');
      git('remote', 'remove', 'upstream');
      git('config', '--remove-section', `url.${fork}`);
    });

    it('Create Staging PR pushes the fix branch to the fork and opens a PR into the fork\'s main', async () => {
      const fix = api.projects.findSpec(ids[4])!.spec;
      assert.ok(fix.branch, 'the fix phase has its branch');
      // The first call drafts the PR text and shows it; nothing is pushed or sent yet.
      const drafted = await vscode.commands.executeCommand<PrOutcome | undefined>('chant.createStagingPr', 'issue-4321');
      assert.ok(drafted && 'drafted' in drafted, JSON.stringify(drafted));
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, drafted.drafted, 'the draft is in front of the user');
      assert.equal(ghCalls().length, 0, 'nothing is sent before the user has seen the text');
      // With the draft in front of them, the command sends it.
      const outcome = await vscode.commands.executeCommand<PrOutcome | undefined>('chant.createStagingPr', 'issue-4321');
      assert.ok(outcome && 'sent' in outcome, JSON.stringify(outcome));
      assert.match(outcome.sent, /^\/[A-Za-z0-9_./-]*\/sh \/[A-Za-z0-9_./-]+$/, 'the terminal line is only the script path');
      await waitFor(() => ghCalls().length >= 1, 30_000, 'gh pr create to run');
      const [cwd, ...args] = ghCalls()[0];
      assert.equal(fs.realpathSync(cwd), fs.realpathSync(root));
      const bodyFile = args[args.indexOf('--body-file') + 1];
      assert.deepEqual(args, ['pr', 'create', '--repo', 'me/kvstore', '--base', 'main', '--head', fix.branch, '--title', 'Lost writes under load (#4321)', '--body-file', bodyFile]);
      // Into the fork: the upstream issue is referred to, not closed from there.
      const body = fs.readFileSync(bodyFile, 'utf8');
      assert.match(body, /^Refs yourproject\/kvstore#4321$/m);
      assert.match(body, /^## Fix\n\n- take an exclusive lock from load to rename \([0-9a-f]{7}\)\n\nFiles changed: `lock\.txt`\.$/m);
      assert.doesNotMatch(body, /\.chant\/|chant\(/, 'nothing private in the body');
      // The push ran before gh (`&&`): the fork has the branch at the same commit.
      const pushed = execFileSync('git', ['--git-dir', fork, 'rev-parse', `refs/heads/${fix.branch}`], { encoding: 'utf8' }).trim();
      assert.equal(pushed, git('rev-parse', fix.branch));
    });

    it('refuses a fix branch that git would read as something else (`:main` deletes, `--mirror`), pushing nothing', async () => {
      const file = path.join(root, '.chant', 'specs', `${ids[4]}.md`);
      const original = fs.readFileSync(file, 'utf8');
      const branch = api.projects.findSpec(ids[4])!.spec.branch!;
      try {
        for (const hostile of [':main', '--mirror', '+HEAD:main']) {
          fs.writeFileSync(file, original.replace(/^branch: .*$/m, `branch: '${hostile}'`));
          await waitFor(() => api.projects.findSpec(ids[4])!.spec.branch === hostile, 10_000, `the index to read branch ${hostile}`);
          const before = ghCalls().length;
          const refsBefore = execFileSync('git', ['--git-dir', fork, 'for-each-ref'], { encoding: 'utf8' });
          const outcome = await vscode.commands.executeCommand<PrOutcome | undefined>('chant.createStagingPr', 'issue-4321');
          assert.ok(outcome && 'missing' in outcome, `${hostile}: ${JSON.stringify(outcome)}`);
          assert.match(outcome.missing.join(' '), /is not a branch name git accepts/);
          assert.equal(ghCalls().length, before, 'gh is not run');
          assert.equal(execFileSync('git', ['--git-dir', fork, 'for-each-ref'], { encoding: 'utf8' }), refsBefore, 'the fork is untouched');
        }
      } finally {
        fs.writeFileSync(file, original);
        await waitFor(() => api.projects.findSpec(ids[4])!.spec.branch === branch, 10_000, 'the index to read the branch back');
      }
    });

    it('Create Upstream PR pushes the fix branch the fork lacks, then sends the edited draft to upstream only when asked, quoting its title', async () => {
      const fixBranch = api.projects.findSpec(ids[4])!.spec.branch!;
      // Whether or not a staging PR pushed it: here the fork does not have it.
      execFileSync('git', ['--git-dir', fork, 'update-ref', '-d', `refs/heads/${fixBranch}`]);
      // The gate test drafted before the fix phase had a branch: a fresh draft for the worked fix.
      fs.rmSync(path.join(root, '.chant', 'tmp', 'upstream-pr-issue-4321.md'), { force: true });
      const draft = await vscode.commands.executeCommand<vscode.Uri>('chant.prepareUpstreamPr', 'issue-4321');
      assert.ok(draft);
      const drafted = fs.readFileSync(draft.fsPath, 'utf8');
      assert.match(drafted, /^# Lost writes under load \(#4321\)\n\nFixes #4321\n/, 'a maintainer\'s title, and Fixes #N into the issue\'s own repository');
      assert.match(drafted, /^## How it was tested$/m);
      const before = ghCalls().length;
      assert.ok(!vscode.window.terminals.some((t) => t.name === 'chant · upstream PR'), 'preparing the draft opens no PR terminal');
      // The human edits the title (unsaved); it comes from a file anyone can write, so make it hostile.
      const title = "Fix lost writes $(touch PWNED) `touch PWNED`; it's #4321";
      const doc = await vscode.workspace.openTextDocument(draft);
      // The editor may still hold the earlier draft's text for a moment: edit the new one.
      await waitFor(() => doc.lineAt(0).text === '# Lost writes under load (#4321)', 10_000, 'the editor to show the new draft');
      const edit = new vscode.WorkspaceEdit();
      edit.replace(draft, doc.lineAt(0).range, `# ${title}`);
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.equal(doc.isDirty, true);

      const outcome = await vscode.commands.executeCommand<PrOutcome | undefined>('chant.createUpstreamPr', draft);
      assert.ok(outcome && 'sent' in outcome, JSON.stringify(outcome));
      assert.equal(doc.isDirty, false, 'the draft is saved before it is sent');
      await waitFor(() => ghCalls().length > before, 30_000, 'gh pr create (upstream) to run');
      const [, ...args] = ghCalls()[before];
      const fix = api.projects.findSpec(ids[4])!.spec;
      // The body file is in a private folder outside the project (no link the repository placed there).
      const bodyFile = args[args.indexOf('--body-file') + 1];
      assert.ok(!bodyFile.startsWith(root), bodyFile);
      assert.deepEqual(args, ['pr', 'create', '--repo', 'yourproject/kvstore', '--head', `me:${fix.branch}`, '--title', title, '--body-file', bodyFile]);
      // The push ran first (the script stops before gh if it fails): the fork has what the PR proposes.
      assert.equal(execFileSync('git', ['--git-dir', fork, 'rev-parse', `refs/heads/${fixBranch}`], { encoding: 'utf8' }).trim(), git('rev-parse', fixBranch));
      assert.doesNotMatch(fs.readFileSync(bodyFile, 'utf8'), /PWNED/, 'the title line is not part of the body');
      assert.equal(fs.existsSync(path.join(root, 'PWNED')), false);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });
  });
});

/**
 * The calls a fake program recorded (cwd, then one argument per line, then `---`). A call still
 * being written has no `---` yet and is left out, so a test never reads half of one.
 */
function completeCalls(text: string): string[][] {
  const parts = text.split('---\n');
  parts.pop(); // '' after the last complete call, or the one being written
  return parts.map((call) => call.trim().split('\n'));
}
