// Take Over of a direct run in a real extension host: the scripted agent (stream-json, hanging
// after its first steps) runs in its terminal and worktree; Take Over stops it, pauses the spec,
// writes chant's `## Takeover Analysis` into the spec from the run's stream file, and keeps the
// branch and worktree to continue by hand. The spec is written into the throw-away workspace and
// removed afterwards, so other suites see the fixture unchanged.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChantApi } from '../../src/api';
import { listCriteria } from '../../src/core/spec/criteria';
import type { RunInfo } from '../../src/runs/runRegistry';
import { waitFor, withTimeout } from './wait';

const EXTENSION_ID = 'chant-vscode.chant-vscode';
const ID = '2026-04-02-001-tko';

describe('Take Over of a direct run', function () {
  this.timeout(120_000);
  let root: string;
  let api: ChantApi;
  let scratch: string;
  let agentScript: string;
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  const specFile = (): string => path.join(root, '.chant', 'specs', `${ID}.md`);
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('chant');

  before(async () => {
    const extension = vscode.extensions.getExtension<ChantApi>(EXTENSION_ID)!;
    api = await extension.activate();
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    agentScript = path.join(extension.extensionPath, 'test', 'agent', 'scriptedAgent.js');
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-takeover-it-'));
    fs.writeFileSync(
      specFile(),
      ['---', 'type: code', 'status: pending', 'target_files:', '- src/takeover-output.txt', '---', '# Work that will be taken over', '', 'Write the file.', '', '## Acceptance Criteria', '', '- [ ] Write the output file', '- [ ] Add the file to a commit', ''].join('\n'),
    );
    git('add', '.chant/specs');
    git('-c', 'user.name=Test', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'test: a spec to take over');
    await config().update('worktreeFolder', scratch, vscode.ConfigurationTarget.Global);
    await config().update('agent.command', `node ${agentScript} --prompt \${promptFile} --stream-json --hang`, vscode.ConfigurationTarget.Global);
    await config().update('runner', 'direct', vscode.ConfigurationTarget.Global);
    await waitFor(() => api.projects.findSpec(ID), 20_000, 'the index to see the test spec');
  });

  after(async () => {
    for (const key of ['worktreeFolder', 'agent.command', 'runner']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    try {
      git('worktree', 'remove', '--force', path.join(scratch, `chant-fixture-${ID}`));
    } catch {
      // never created
    }
    git('worktree', 'prune');
    try {
      git('branch', '-D', `chant/${ID}`);
    } catch {
      // never created
    }
    git('rm', '-q', '-f', '--ignore-unmatch', '--', `.chant/specs/${ID}.md`);
    fs.rmSync(specFile(), { force: true });
    try {
      git('-c', 'user.name=Test', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'test: remove the take-over spec');
    } catch {
      // nothing to commit
    }
    fs.rmSync(path.join(root, '.chant', 'logs', `${ID}.log`), { force: true });
    const runsDir = path.join(root, '.chant', 'logs', 'runs');
    for (const name of fs.existsSync(runsDir) ? fs.readdirSync(runsDir) : []) {
      if (name.startsWith(`${ID}-`)) fs.rmSync(path.join(root, '.chant', 'logs', 'runs', name), { force: true });
    }
    fs.rmSync(scratch, { recursive: true, force: true });
    await waitFor(() => !api.projects.findSpec(ID), 20_000, 'the index to drop the test spec');
    for (const t of vscode.window.terminals) if (t.name.startsWith('chant · ')) t.dispose();
  });

  it("stops the agent, pauses the spec, writes the Takeover Analysis from the run's stream, and keeps the branch", async () => {
    const run = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', ID, { startOver: false });
    assert.ok(run?.plan, 'the run started');
    const plan = run.plan;
    assert.match(path.basename(plan.streamFile), new RegExp(`^${ID}-\\d{8}T\\d{6}Z\\.jsonl$`));
    await waitFor(() => fs.existsSync(plan.streamFile) && fs.readFileSync(plan.streamFile, 'utf8').includes('hanging (as asked)'), 30_000, 'the agent to reach its hang');
    assert.equal(api.runs.isRunning(ID), true);
    const before = fs.readFileSync(specFile(), 'utf8');

    const taken = await vscode.commands.executeCommand<boolean>('chant.takeOver', ID);
    assert.equal(taken, true);
    await withTimeout(run.done, 20_000, 'the run to stop');
    assert.equal(run.state, 'stopped');
    assert.equal(api.runs.isRunning(ID), false);

    const text = await waitFor(() => {
      const current = fs.readFileSync(specFile(), 'utf8');
      return current.includes('## Takeover Analysis') ? current : undefined;
    }, 10_000, 'the takeover summary in the spec');
    assert.match(text, /^status: paused$/m);
    // Lossless: the body before the section is what it was (only the status line changed above).
    const body = before.slice(before.indexOf('# Work that will be taken over'));
    assert.ok(text.includes(`${body}\n## Takeover Analysis\n`), text);
    assert.match(text, new RegExp(`the agent was stopped on branch \`chant/${ID}\``));
    assert.match(text, /\*\*Acceptance criteria ticked:\*\* 0 of 2/);
    assert.match(text, /\*\*Commits\*\* \(0\): none/);
    assert.match(text, /### Recent Log Activity\n\n```text\n[\s\S]*› Read [^\n]*prompt[^\n]*\n[\s\S]*hanging \(as asked\)\n```\n/);
    assert.match(text, /### Recommendation\n\n- \[ \] Write the output file\n- \[ \] Add the file to a commit\n/);
    assert.deepEqual(listCriteria(text).items.map((c) => [c.text, c.checked]), [['Write the output file', false], ['Add the file to a commit', false]]);

    assert.ok(git('branch', '--list', `chant/${ID}`).length > 0, 'the branch is kept');
    assert.ok(fs.existsSync(plan.workDir), 'the worktree is kept to continue by hand');
    // The fixture does not ignore .chant/logs/ (its chant log shows as untracked); the runs folder ignores itself.
    assert.equal(git('status', '--porcelain', '--untracked-files=all', '--', '.chant/logs/runs'), '', 'the stream file is not something to commit');
  });
});
