// Take Over of a direct run in a real extension host: the scripted agent (stream-json, hanging
// after its first steps) runs in its terminal and worktree; Take Over stops it, pauses the spec,
// writes chant's `## Takeover Analysis` into the spec from the run's stream file, and keeps the
// branch and worktree to continue by hand. The spec is written into the throw-away workspace and
// removed afterwards, so other suites see the fixture unchanged.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChantApi } from '../../src/api';
import { listCriteria } from '../../src/core/spec/criteria';
import type { RunInfo } from '../../src/runs/runRegistry';
import { cleanUpRunSuite, setUpRunSuite, type RunSuite } from './runSuite';
import { waitFor, withTimeout } from './wait';

const ID = '2026-04-02-001-tko';

describe('Take Over of a direct run', function () {
  this.timeout(120_000);
  let suite: RunSuite | undefined;
  let api: ChantApi;
  const git = (...args: string[]): string => suite!.git(...args);
  const specFile = (): string => suite!.specFile(ID);

  before(async () => {
    const text = ['---', 'type: code', 'status: pending', 'target_files:', '- src/takeover-output.txt', '---', '# Work that will be taken over', '', 'Write the file.'];
    suite = await setUpRunSuite({
      scratchPrefix: 'chant-takeover-it-',
      specs: { [ID]: [...text, '', '## Acceptance Criteria', '', '- [ ] Write the output file', '- [ ] Add the file to a commit', ''].join('\n') },
      message: 'test: a spec to take over',
      settings: (agent) => ({ 'agent.command': `node ${agent} --prompt \${promptFile} --stream-json --hang`, runner: 'direct' }),
    });
    ({ api } = suite);
  });

  after(() => cleanUpRunSuite(suite, { ids: [ID], settings: ['agent.command', 'runner'], message: 'test: remove the take-over spec' }));

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
