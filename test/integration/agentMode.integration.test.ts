// chant inside VS Code's own agents, in a real extension host: each language model tool invoked
// through `vscode.lm.invokeTool` (the run tool after VS Code's confirmation, answered in the
// workbench), and chant's MCP server as the definition provider offers it, started against a fake
// `chant mcp` (an MCP server over stdio) and listed with the official MCP SDK as the client.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { ChantApi } from '../../src/api';
import { chantConfig, cleanUpRunSuite, setUpRunSuite, type RunSuite } from './runSuite';
import { answerDialog, withTimeout } from './wait';

const WORK_ID = '2026-04-03-001-lmt';
const COMPREHENSION_ID = '2026-04-03-002-cmp';
const REPRODUCTION_ID = '2026-04-03-003-rpr';
const IDS = [WORK_ID, COMPREHENSION_ID, REPRODUCTION_ID];

function spec(title: string, lines: { status?: string; labels?: string[]; target: string; checked?: boolean }): string {
  const box = lines.checked ? 'x' : ' ';
  return [
    '---',
    'type: code',
    `status: ${lines.status ?? 'pending'}`,
    ...(lines.labels ? ['labels:', ...lines.labels.map((l) => `- ${l}`)] : []),
    'target_files:',
    `- ${lines.target}`,
    '---',
    `# ${title}`,
    '',
    '## Acceptance Criteria',
    '',
    `- [${box}] Write the output file`,
    `- [${box}] Verify the work is committed`,
    '',
  ].join('\n');
}

const textOf = (result: vscode.LanguageModelToolResult): string => result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');

describe('chant in VS Code agent mode', function () {
  this.timeout(180_000);
  let suite: RunSuite | undefined;
  let root: string;
  let api: ChantApi;
  let extensionPath: string;
  const config = chantConfig;

  before(async () => {
    suite = await setUpRunSuite({
      scratchPrefix: 'chant-agent-mode-',
      specs: {
        [WORK_ID]: spec('Work me from chat', { target: 'src/chat-output.txt' }),
        [COMPREHENSION_ID]: spec('Understand issue 4242', {
          status: 'completed',
          labels: ['comprehension', 'issue-4242'],
          target: '.chant/research/issue-4242-comprehension.md',
          checked: true,
        }),
        [REPRODUCTION_ID]: spec('Reproduce issue 4242', { labels: ['reproduction', 'issue-4242'], target: '.chant/research/issue-4242-repro.md' }).replace(
          'status: pending\n',
          `status: pending\ndepends_on:\n- ${COMPREHENSION_ID}\n`,
        ),
      },
      message: 'test: specs for agent mode',
      settings: (agent) => ({ runner: 'direct', 'agent.command': `node ${agent} --prompt \${promptFile} --format codex` }),
    });
    ({ root, api, extensionPath } = suite);
    await api.agents.remember(undefined);
  });

  after(() => cleanUpRunSuite(suite, { ids: IDS, settings: ['agent.command', 'runner', 'cliPath'], message: 'test: remove agent mode specs' }));

  it('offers its tools to VS Code, and each answers through vscode.lm.invokeTool', async () => {
    const names = vscode.lm.tools.map((t) => t.name);
    for (const name of ['chant_listRuns', 'chant_workSpec', 'chant_investigationStatus']) assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    const token = new vscode.CancellationTokenSource().token;

    const status = textOf(await vscode.lm.invokeTool('chant_investigationStatus', { input: { investigation: '4242' }, toolInvocationToken: undefined }, token));
    assert.match(status, /^Investigation issue-4242/);
    assert.match(status, /- Comprehension: done/);
    assert.match(status, /"Reproduce issue 4242" \(2026-04-03-003-rpr, code\): (ready|pending)/);
    assert.match(status, /Next step: Work "Reproduce issue 4242" \(2026-04-03-003-rpr\)/);
    const unknown = textOf(await vscode.lm.invokeTool('chant_investigationStatus', { input: { investigation: 'issue-999999' }, toolInvocationToken: undefined }, token));
    assert.match(unknown, /No investigation "issue-999999"/);

    const missing = textOf(await vscode.lm.invokeTool('chant_workSpec', { input: { specId: 'no-such-spec' }, toolInvocationToken: undefined }, token));
    assert.match(missing, /No spec "no-such-spec"/);
    assert.equal(api.runs.isRunning(WORK_ID), false);

    // Starting a run asks the user first (in chat, VS Code shows prepareInvocation's confirmation; called
    // from outside a chat request, the tool asks itself). Dismissed, nothing runs; accepted, the run starts.
    assert.ok(answerDialog('Clear Notification|Close Notification', 'A language model tool asks'), 'the launcher clicks notifications (code-server)');
    const declined = textOf(await vscode.lm.invokeTool('chant_workSpec', { input: { specId: '001-lmt' }, toolInvocationToken: undefined }, token));
    assert.match(declined, /^The user declined: 2026-04-03-001-lmt was not started\./);
    assert.equal(api.runs.isRunning(WORK_ID), false);
    answerDialog('Work Spec', 'A language model tool asks');
    const started = textOf(await vscode.lm.invokeTool('chant_workSpec', { input: { specId: '001-lmt' }, toolInvocationToken: undefined }, token));
    assert.match(started, /^Started\. 2026-04-03-001-lmt is running on chant\/2026-04-03-001-lmt, agent node scriptedAgent\.js/);
    const run = api.runs.get(WORK_ID)!;
    assert.ok(run, 'the run is in the registry (the Runs view)');
    await withTimeout(run.done, 90_000, 'the run started from chat to finish');
    assert.equal(run.state, 'completed', run.reason);

    const runs = textOf(await vscode.lm.invokeTool('chant_listRuns', { input: { group: 'needs-you' }, toolInvocationToken: undefined }, token));
    assert.match(runs, /need/);
    assert.match(runs, /Needs you \(\d+\):/);
    assert.match(runs, /"Work me from chat" · spec 2026-04-03-001-lmt · 001-lmt · review and merge · .* · node scriptedAgent\.js/);
    assert.doesNotMatch(runs, /^Running/m, 'only the group asked for');
  });

  it("offers `chant mcp` for the project when chant is installed; the MCP SDK lists the server's tools", async () => {
    const fakeBin = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-fake-cli-'));
    const chant = path.join(fakeBin, 'chant');
    fs.writeFileSync(
      chant,
      `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "chant 0.23.2"; exit 0; fi\nif [ "$1" = "mcp" ]; then exec ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(extensionPath, 'test', 'agent', 'fakeChantMcp.js'))}; fi\nexit 2\n`,
      { mode: 0o755 },
    );
    try {
      await config().update('cliPath', chant, vscode.ConfigurationTarget.Global);
      const servers = await api.mcpServers.servers();
      assert.deepEqual(servers, [{ label: 'chant', command: chant, args: ['mcp'], cwd: root, version: '0.23.2' }]);

      const client = new Client({ name: 'chant-vscode-test', version: '1.0.0' });
      const transport = new StdioClientTransport({ command: servers[0].command, args: servers[0].args, cwd: servers[0].cwd, stderr: 'pipe' });
      await client.connect(transport);
      try {
        const { tools } = await client.listTools();
        assert.deepEqual(tools.map((t) => t.name).sort(), ['chant_ready', 'chant_spec_list', 'chant_status', 'chant_work_start']);
        const listed = await client.callTool({ name: 'chant_spec_list', arguments: {} });
        const text = (listed.content as Array<{ type: string; text?: string }>).map((c) => c.text ?? '').join('\n');
        assert.match(text, new RegExp(WORK_ID), 'the server runs in the project folder');
      } finally {
        await client.close();
      }

      await config().update('cliPath', path.join(fakeBin, 'not-there'), vscode.ConfigurationTarget.Global);
      assert.deepEqual(await api.mcpServers.servers(), [], 'no chant CLI: nothing is offered');
    } finally {
      await config().update('cliPath', undefined, vscode.ConfigurationTarget.Global);
      fs.rmSync(fakeBin, { recursive: true, force: true });
    }
  });
});
