import * as assert from 'node:assert/strict';
import { agentExecutableOf, AGENT_PRESETS, customAgentCommandProblem, presetExecutable, presetOf, providerExecutable } from '../../src/core/workflow/agentPresets';
import { DEFAULT_AGENT_COMMAND, expandCommandTemplate } from '../../src/core/workflow/commandLine';

describe('agent presets', () => {
  it("offers chant's subprocess providers (claude, kiro) and a custom template, each a valid command template", () => {
    assert.deepEqual(AGENT_PRESETS.map((p) => p.id), ['claude', 'kiro', 'custom']);
    const vars = { promptFile: '/w/.chant/tmp/x-prompt.md', specId: 'x', specFile: '/m/x.md', worktree: '/w', branch: 'chant/x', model: 'haiku' };
    for (const preset of AGENT_PRESETS) assert.doesNotThrow(() => expandCommandTemplate(preset.command || DEFAULT_AGENT_COMMAND, vars), preset.id);
    assert.match(AGENT_PRESETS[1].command, /^kiro --print --output-format stream-json/);
  });

  it('knows which preset a setting is and which program a template starts', () => {
    assert.equal(presetOf('').id, 'claude');
    assert.equal(presetOf(DEFAULT_AGENT_COMMAND).id, 'claude');
    assert.equal(presetOf(AGENT_PRESETS[1].command).id, 'kiro');
    assert.equal(presetOf('aider --yes').id, 'custom');
    assert.equal(agentExecutableOf(''), 'claude');
    assert.equal(agentExecutableOf('FOO=1 env BAR="a b" "/opt/my agent/run" ${promptFile}'), '/opt/my agent/run');
    assert.equal(providerExecutable('kirocli'), 'kiro');
    assert.equal(providerExecutable('ollama'), undefined);
  });

  it('never offers a placeholder: "Another agent…" has no command until the user types one', () => {
    assert.equal(AGENT_PRESETS[2].command, '');
    assert.equal(presetExecutable(AGENT_PRESETS[2]), undefined);
    assert.equal(presetExecutable(AGENT_PRESETS[0]), 'claude');
    assert.equal(presetExecutable(AGENT_PRESETS[1]), 'kiro');
  });

  it('checks a typed command line: something to run, the task passed, a template the runner can expand', () => {
    assert.match(customAgentCommandProblem('  ') ?? '', /Type the command/);
    assert.match(customAgentCommandProblem('aider --yes') ?? '', /\$\{promptFile\}/);
    assert.match(customAgentCommandProblem("aider --message-file '${promptFile}'") ?? '', /single quotes/);
    assert.equal(customAgentCommandProblem('aider --yes --message-file ${promptFile}'), undefined);
    assert.equal(customAgentCommandProblem('sh -c "my-agent < $CHANT_PROMPT_FILE"'), undefined);
  });
});
