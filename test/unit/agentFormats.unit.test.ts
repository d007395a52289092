import * as assert from 'node:assert/strict';
import { AGENT_FORMATS, formatOfEvent, formatOfProgram, parseVersion } from '../../src/core/runs/agents';
import { agentExecutableOf, agentName, AGENT_PRESETS, customAgentCommandProblem, presetExecutable, presetOf, providerExecutable, resolveAgent } from '../../src/core/runs/agents/presets';
import { DEFAULT_AGENT_COMMAND, expandCommandTemplate } from '../../src/core/workflow/commandLine';
import { parsePriceTable, withPrices } from '../../src/core/runs/prices';
import { usageSummary } from '../../src/core/runs/agentStream';

describe('agent presets', () => {
  it("offers every agent format, chant's kiro provider and a custom template, each a valid command template", () => {
    assert.deepEqual(AGENT_PRESETS.map((p) => p.id), ['claude', 'codex', 'gemini', 'opencode', 'kiro', 'custom']);
    const vars = { promptFile: '/w/.chant/tmp/x-prompt.md', specId: 'x', specFile: '/m/x.md', worktree: '/w', branch: 'chant/x', model: 'haiku' };
    for (const preset of AGENT_PRESETS)
      assert.doesNotThrow(() => expandCommandTemplate(preset.command || DEFAULT_AGENT_COMMAND, vars), preset.id);
    for (const format of AGENT_FORMATS)
      for (const withModel of [true, false])
        assert.doesNotThrow(() => expandCommandTemplate(format.command(withModel), vars), format.id);
    assert.match(AGENT_PRESETS.find((p) => p.id === 'kiro')!.command, /^kiro --print --output-format stream-json/);
    assert.match(AGENT_PRESETS.find((p) => p.id === 'codex')!.command, /^codex exec --json /);
  });

  it('knows which preset a setting is and which program a template starts', () => {
    assert.equal(presetOf('').id, 'claude');
    assert.equal(presetOf(DEFAULT_AGENT_COMMAND).id, 'claude');
    assert.equal(presetOf(AGENT_PRESETS.find((p) => p.id === 'kiro')!.command).id, 'kiro');
    assert.equal(presetOf('aider --yes').id, 'custom');
    assert.equal(agentExecutableOf(''), 'claude');
    assert.equal(agentExecutableOf('FOO=1 env BAR="a b" "/opt/my agent/run" ${promptFile}'), '/opt/my agent/run');
    assert.equal(providerExecutable('kirocli'), 'kiro');
    assert.equal(providerExecutable('ollama'), undefined);
  });

  it('resolves what a run starts: the pick wins, a Claude model goes only to claude, the program names the format', () => {
    const claude = resolveAgent('', undefined, 'haiku');
    assert.deepEqual([claude.template, claude.format, claude.model, claude.name], [DEFAULT_AGENT_COMMAND, 'claude', 'haiku', 'claude']);
    const codex = resolveAgent('', { agent: 'codex' }, 'haiku');
    assert.equal(codex.format, 'codex');
    assert.equal(codex.model, undefined, "chant's haiku is no Codex model: codex picks its own");
    assert.doesNotMatch(codex.template, /\$\{model\}/);
    const codexModel = resolveAgent('claude', { agent: 'codex', model: 'gpt-5-codex' }, 'haiku');
    assert.equal(codexModel.model, 'gpt-5-codex');
    assert.match(codexModel.template, /--model \$\{model\}/);
    const setting = resolveAgent('/usr/local/bin/gemini --output-format stream-json --yolo -p x', undefined, 'haiku');
    assert.deepEqual([setting.format, setting.model, setting.name], ['gemini', undefined, 'gemini']);
    const scripted = resolveAgent('node /x/test/agent/scriptedAgent.js --model ${model}', undefined, 'sonnet');
    assert.deepEqual([scripted.format, scripted.model, scripted.name], ['auto', 'sonnet', 'node scriptedAgent.js']);
    assert.equal(resolveAgent('', { agent: 'kiro' }, 'haiku').name, 'kiro');
  });

  it('never offers a placeholder: "Another agent…" has no command until the user types one', () => {
    const custom = AGENT_PRESETS.find((p) => p.id === 'custom')!;
    assert.equal(custom.command, '');
    assert.equal(presetExecutable(custom), undefined);
    assert.deepEqual(AGENT_PRESETS.filter((p) => p.id !== 'custom').map(presetExecutable), ['claude', 'codex', 'gemini', 'opencode', 'kiro']);
  });

  it('checks a typed command line: something to run, the task passed, a template the runner can expand', () => {
    assert.match(customAgentCommandProblem('  ') ?? '', /Type the command/);
    assert.match(customAgentCommandProblem('aider --yes') ?? '', /\$\{promptFile\}/);
    assert.match(customAgentCommandProblem("aider --message-file '${promptFile}'") ?? '', /single quotes/);
    assert.equal(customAgentCommandProblem('aider --yes --message-file ${promptFile}'), undefined);
    assert.equal(customAgentCommandProblem('sh -c "my-agent < $CHANT_PROMPT_FILE"'), undefined);
  });

  it('names the agent from the command line', () => {
    assert.equal(agentName(''), 'claude');
    assert.equal(agentName('FOO=1 /usr/local/bin/aider --yes'), 'aider');
  });
});

describe('agent formats', () => {
  it('tells the formats apart by a line only one prints', () => {
    const cases: Array<[Record<string, unknown>, string | undefined]> = [
      [{ type: 'system', subtype: 'init', model: 'claude-haiku', session_id: 's' }, 'claude'],
      [{ type: 'result', subtype: 'success', is_error: false }, 'claude'],
      [{ type: 'thread.started', thread_id: 't' }, 'codex'],
      [{ type: 'item.completed', item: { id: 'item_0', type: 'agent_message', text: 'hi' } }, 'codex'],
      [{ type: 'init', timestamp: 'x', session_id: 's', model: 'gemini-2.5-pro' }, 'gemini'],
      [{ type: 'tool_use', timestamp: 'x', tool_name: 'read_file', tool_id: 't', parameters: {} }, 'gemini'],
      [{ type: 'result', timestamp: 'x', status: 'success', stats: {} }, 'gemini'],
      [{ type: 'tool_use', timestamp: 1, sessionID: 'ses_1', part: { type: 'tool' } }, 'opencode'],
      [{ type: 'step_finish', timestamp: 1, sessionID: 'ses_1', part: { type: 'step-finish' } }, 'opencode'],
      [{ type: 'progress', percent: 3 }, undefined],
    ];
    for (const [event, id] of cases) assert.equal(formatOfEvent(event)?.id, id, JSON.stringify(event));
  });

  it('maps a program to its format and reads versions', () => {
    assert.equal(formatOfProgram('/usr/local/bin/codex')?.id, 'codex');
    assert.equal(formatOfProgram('gemini.cmd')?.id, 'gemini');
    assert.equal(formatOfProgram('aider'), undefined);
    assert.equal(parseVersion('codex-cli 0.46.0'), '0.46.0');
    assert.equal(parseVersion('2.0.14 (Claude Code)'), '2.0.14');
    assert.equal(parseVersion('0.24.0-preview.1'), '0.24.0-preview.1');
    assert.equal(parseVersion('no number'), undefined);
  });
});

describe('price table', () => {
  it('prices tokens for agents that report no cost, by exact model or the longest prefix; unknown models stay unknown', () => {
    const table = parsePriceTable({ 'gpt-5-codex': { input: 1.25, output: 10, cacheRead: 0.125 }, 'gemini-*': { input: 1, output: 2 }, 'gemini-2.5-pro*': { input: 2, output: 4 }, broken: { input: 'x' }, '': { input: 1, output: 1 } });
    assert.deepEqual(Object.keys(table), ['gpt-5-codex', 'gemini-*', 'gemini-2.5-pro*']);
    const usage = { inputTokens: 1_000_000, outputTokens: 100_000, cacheReadTokens: 2_000_000, cacheCreationTokens: 0 };
    const codex = withPrices(usage, 'gpt-5-codex', table);
    assert.equal(codex.costFromPrices, true);
    assert.ok(Math.abs(codex.costUsd! - (1.25 + 1 + 0.25)) < 1e-9);
    assert.ok(Math.abs(withPrices(usage, 'gemini-2.5-pro', table).costUsd! - (2 + 0.4 + 4)) < 1e-9, 'the longest prefix wins; cache reads at the input price');
    assert.equal(withPrices(usage, 'gemini-2.5-flash', table).costUsd, 1 + 0.2 + 2);
    assert.equal(withPrices(usage, 'o3', table).costUsd, undefined, 'not listed: cost unknown');
    assert.equal(withPrices(usage, undefined, table).costUsd, undefined, 'no model: cost unknown');
    const reported = { ...usage, costUsd: 0.5 };
    assert.equal(withPrices(reported, 'gpt-5-codex', table), reported, "the agent's own cost is never replaced");
    assert.equal(withPrices(codex, 'o3', {}).costUsd, undefined, 'a price taken out of the table takes the cost with it');
    assert.equal(usageSummary(codex), '3.0M in · 100k out · ~$2.50');
  });
});
