// Every agent adapter end to end in a real extension host: the scripted agent prints Claude Code's,
// Codex's, Gemini CLI's and opencode's own event shapes (test/agent/formats.js) through the real
// wrapper, filter and terminal; the run's row then shows the latest activity, usage, the cost (the
// agent's, the price table's estimate, or "cost unknown"), the agent and model and the outcome;
// the live transcript has one line per tool call; a reload reads each run's stream in the format it
// recorded. Also the cost hard stop (chant.runs.budgetStop) and needs-you desktop notifications.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChantApi } from '../../src/api';
import { transcriptText } from '../../src/core/runs/agentStream';
import { recordsFromSaved } from '../../src/core/runs/runRecord';
import { StreamTail } from '../../src/core/runs/streamTail';
import type { NotifyCommand } from '../../src/core/runs/desktopNotification';
import { DesktopNotifier } from '../../src/runs/desktopNotifier';
import type { RunInfo } from '../../src/runs/runRegistry';
import type { RunsNode } from '../../src/views/treeNodes';
import { chantConfig, cleanUpRunSuite, setUpRunSuite, type RunSuite } from './runSuite';
import { waitFor, withTimeout } from './wait';

const FORMATS = ['claude', 'codex', 'gemini', 'opencode'] as const;
const IDS: Record<(typeof FORMATS)[number], string> = { claude: '2026-04-02-001-fmc', codex: '2026-04-02-002-fmx', gemini: '2026-04-02-003-fmg', opencode: '2026-04-02-004-fmo' };
const BUDGET_ID = '2026-04-02-005-bgt';
const PICK_ID = '2026-04-02-006-pck';
const ALL_IDS = [...Object.values(IDS), BUDGET_ID, PICK_ID];

function spec(title: string, target: string): string {
  return ['---', 'type: code', 'status: pending', 'target_files:', `- ${target}`, '---', `# ${title}`, '', 'Write the output file.', '', '## Acceptance Criteria', '', '- [ ] Write the output file', '- [ ] Verify the work is committed', ''].join('\n');
}

describe('Agent adapters in the Runs view', function () {
  // Four runs, a paused one and a picked one: minutes on a loaded machine.
  this.timeout(900_000);
  let suite: RunSuite | undefined;
  let api: ChantApi;
  let agentScript: string;
  const git = (...args: string[]): string => suite!.git(...args);
  const specFile = (id: string): string => suite!.specFile(id);
  const config = chantConfig;
  const useAgent = (format: string, ...flags: string[]) =>
    config().update('agent.command', `node ${agentScript} --prompt \${promptFile} --model \${model} --format ${format}${flags.map((f) => ` ${f}`).join('')}`, vscode.ConfigurationTarget.Global);

  before(async () => {
    suite = await setUpRunSuite({
      scratchPrefix: 'chant-formats-it-',
      specs: {
        ...Object.fromEntries(FORMATS.map((format) => [IDS[format], spec(`Work with ${format}`, `src/${format}-output.txt`)])),
        [BUDGET_ID]: spec('An expensive run', 'src/budget-output.txt'),
        [PICK_ID]: spec('Work with the picked agent', 'src/pick-output.txt'),
      },
      message: 'test: specs for agent adapters',
      settings: () => ({ runner: 'direct' }),
    });
    ({ api, agentScript } = suite);
    await api.agents.remember(undefined);
  });

  after(async () => {
    await config().update('runs.budgetUsd', undefined, vscode.ConfigurationTarget.Workspace);
    await cleanUpRunSuite(suite, { ids: ALL_IDS, settings: ['agent.command', 'runner', 'agent.prices', 'runs.budgetStop'], message: 'test: remove agent adapter specs' });
  });

  async function rowOf(run: RunInfo): Promise<{ description: string; details: string[] }> {
    const groups = await api.runsView.getChildren();
    for (const group of groups) {
      for (const node of await api.runsView.getChildren(group)) {
        if (node.kind !== 'run' || node.record.key !== run.key) continue;
        const details = (await api.runsView.getChildren(node)).map((d: RunsNode) => {
          const item = api.runsView.getTreeItem(d);
          return `${String(item.label)}: ${String(item.description)}`;
        });
        return { description: String(api.runsView.getTreeItem(node).description), details };
      }
    }
    throw new Error(`no row for ${run.key}`);
  }

  it('works a spec with each agent: live transcript, latest activity, usage, cost or "cost unknown", agent, model and outcome; a reload reads each format right', async () => {
    const sent: NotifyCommand[] = [];
    const notifier = new DesktopNotifier(api.runs, {
      enabled: () => true,
      focused: () => false,
      local: () => true,
      send: (c) => sent.push(c),
    });
    const fakeBin = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-notify-'));
    fs.writeFileSync(path.join(fakeBin, 'notify-send'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const originalPath = process.env.PATH;
    process.env.PATH = `${fakeBin}${path.delimiter}${originalPath}`;
    try {
      for (const format of FORMATS) {
        await useAgent(format);
        // Codex reports no cost: the price table prices its model; Gemini's model is left unpriced.
        await config().update('agent.prices', format === 'codex' ? { 'hai*': { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 } } : undefined, vscode.ConfigurationTarget.Global);
        const run = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', IDS[format], { startOver: false });
        assert.ok(run, `${format}: the run started`);
        await withTimeout(run.done, 180_000, `the ${format} run to finish`);
        assert.equal(run.state, 'completed', `${format}: ${run.reason ?? ''}`);
        assert.equal(run.format, format, `${format}: the format is told from the output and recorded`);
        assert.equal(run.agent, 'node scriptedAgent.js');
        assert.equal(run.model, 'haiku');
        assert.equal(run.lastActivity, 'done');
        assert.ok(run.usage && run.usage.outputTokens > 0, `${format}: usage ${JSON.stringify(run.usage)}`);
        const transcript = transcriptText(api.logs.transcript(run.key));
        assert.match(transcript, new RegExp(`› \\S+ .*src/${format}-output\\.txt`), `${format}: one line per tool call with its file\n${transcript}`);
        assert.match(transcript, /^Finished · /m);
        assert.doesNotMatch(transcript, /"type":/, 'no raw JSON');

        const row = await rowOf(run);
        assert.match(row.description, /node scriptedAgent\.js haiku$/, row.description);
        const usageLine = row.details.find((d) => d.startsWith('Usage'))!;
        if (format === 'claude' || format === 'opencode') {
          assert.equal(run.usage.costFromPrices, undefined, `${format} reports its own cost`);
          assert.match(row.description, / · \$0\.\d\d · /);
        } else if (format === 'codex') {
          assert.equal(run.usage.costFromPrices, true, 'codex: priced from chant.agent.prices');
          assert.match(row.description, / · ~(\$|<\$)/);
        } else {
          assert.equal(run.usage.costUsd, undefined);
          assert.match(usageLine, /cost unknown$/, usageLine);
        }
        assert.match(fs.readFileSync(specFile(IDS[format]), 'utf8'), /^model: haiku$/m);

        // A reload: the record as saved, read back; its stream read in the format it recorded.
        const saved = recordsFromSaved(JSON.parse(JSON.stringify(api.runs.history()))).find((r) => r.key === run.key)!;
        assert.equal(saved.format, format);
        const tail = new StreamTail(saved.streamFile!, 0, undefined, saved.format);
        const again = transcriptText(await tail.drain());
        assert.equal(again, transcript, `${format}: the reloaded transcript is the live one`);
        assert.deepEqual(tail.reader.usage?.outputTokens, run.usage.outputTokens);
      }
      await waitFor(() => sent.length >= 1, 10_000, 'a desktop notification');
      assert.equal(sent[0].file, path.join(fakeBin, 'notify-send'));
      assert.match(sent.map((c) => c.args.join(' ')).join('\n'), /Work with claude finished: review and merge/);
    } finally {
      process.env.PATH = originalPath;
      notifier.dispose();
      fs.rmSync(fakeBin, { recursive: true, force: true });
    }
  });

  it('the hard stop pauses a run whose cost passes the budget; it waits in Needs you with the reason', async () => {
    await config().update('runs.budgetUsd', 0.001, vscode.ConfigurationTarget.Workspace);
    await config().update('runs.budgetStop', true, vscode.ConfigurationTarget.Global);
    // opencode reports cost per step, so the cost grows while the agent thinks.
    await useAgent('opencode', '--delay', '600000');
    const run = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', BUDGET_ID, { startOver: false });
    assert.ok(run);
    await withTimeout(run.done, 180_000, 'the run over budget to be paused');
    assert.equal(run.state, 'stopped');
    await waitFor(() => run.need === 'attention', 10_000, 'the paused run to wait in Needs you');
    assert.match(run.reason ?? '', /passed the budget of <\$0\.01/);
    await waitFor(() => /^status: paused$/m.test(fs.readFileSync(specFile(BUDGET_ID), 'utf8')), 10_000, 'the spec to be paused');
    assert.ok(git('branch', '--list', `chant/${BUDGET_ID}`).length > 0, 'the branch is kept');
  });

  it("Work Spec with Agent runs the preset's real command line, and remembers agent and model for the workspace", async () => {
    // A `codex` on PATH that is the scripted agent printing codex's events, whatever flags the preset passes.
    const fakeBin = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-fake-codex-'));
    fs.writeFileSync(path.join(fakeBin, 'codex'), `#!/bin/sh\necho "$@" > ${JSON.stringify(path.join(fakeBin, 'argv'))}\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(agentScript)} --format codex\n`, { mode: 0o755 });
    // The agent runs in a terminal, whose environment is the workbench's, not this process's.
    const terminalEnv = vscode.workspace.getConfiguration('terminal.integrated.env');
    await terminalEnv.update('linux', { PATH: `${fakeBin}${path.delimiter}${process.env.PATH ?? ''}` }, vscode.ConfigurationTarget.Global);
    const originalPath = process.env.PATH;
    process.env.PATH = `${fakeBin}${path.delimiter}${originalPath}`;
    try {
      const run = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpecWithAgent', PICK_ID, { startOver: false, agent: { agent: 'codex', model: 'gpt-5-codex' } });
      assert.ok(run);
      assert.deepEqual(api.agents.pick(), { agent: 'codex', model: 'gpt-5-codex' }, 'remembered for the workspace');
      await withTimeout(run.done, 180_000, 'the codex run to finish');
      assert.equal(run.state, 'completed', run.reason);
      assert.deepEqual([run.agent, run.model, run.format], ['codex', 'gpt-5-codex', 'codex']);
      assert.match(fs.readFileSync(path.join(fakeBin, 'argv'), 'utf8'), /^exec --json --model gpt-5-codex --dangerously-bypass-approvals-and-sandbox Read and execute the task in \/.*-prompt\.md$/m);
      assert.match((await rowOf(run)).description, / · codex gpt-5-codex$/);
    } finally {
      process.env.PATH = originalPath;
      await terminalEnv.update('linux', undefined, vscode.ConfigurationTarget.Global);
      await api.agents.remember(undefined);
      fs.rmSync(fakeBin, { recursive: true, force: true });
    }
  });
});
