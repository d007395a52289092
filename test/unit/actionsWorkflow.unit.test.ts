import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { resolveSetting, SETTING_RULES } from '../../src/core/runs/settingValues';
import { ACTIONS_AGENTS, actionsAgent } from '../../src/core/runs/agents/actions';
import { ACTIONS_WORKFLOW_VERSION, actionsWorkflow, ActionsWorkflowError, runnerLabels, workflowState } from '../../src/core/workflow/actionsWorkflow';
import { AGENT_FORMATS } from '../../src/core/runs/agents';
import { parseWorkflowText } from './workflowParser';

// What each agent's job installs and which secret it needs, as the agents' own docs name them
// (package names checked with `npm view <package> name bin`).
const EXPECTED: Record<string, { install: string; secret: string; keyEnv: string[] }> = {
  claude: { install: 'npm install -g @anthropic-ai/claude-code', secret: 'ANTHROPIC_API_KEY', keyEnv: ['ANTHROPIC_API_KEY'] },
  codex: { install: 'npm install -g @openai/codex', secret: 'OPENAI_API_KEY', keyEnv: ['CODEX_API_KEY', 'OPENAI_API_KEY'] },
  gemini: { install: 'npm install -g @google/gemini-cli', secret: 'GEMINI_API_KEY', keyEnv: ['GEMINI_API_KEY'] },
  opencode: { install: 'npm install -g opencode-ai', secret: 'ANTHROPIC_API_KEY', keyEnv: ['ANTHROPIC_API_KEY'] },
};

type Step = { name?: string; if?: string; run?: string; env?: Record<string, string> };

const RUNNERS: Array<{ name: string; labels: string[] }> = [
  { name: 'GitHub-hosted', labels: ['ubuntu-latest'] },
  { name: 'self-hosted', labels: ['self-hosted', 'linux', 'x64'] },
];

describe('the GitHub Actions workflow', function () {
  // The first parse bundles GitHub's parser with esbuild.
  this.timeout(60_000);

  for (const runner of RUNNERS) {
    for (const agent of ACTIONS_AGENTS) {
      it(`passes GitHub's workflow parser without an error: ${runner.name} runner, ${agent.id}`, async () => {
        const text = actionsWorkflow({ runsOn: runner.labels, agents: [agent] });
        const { errors, template } = await parseWorkflowText('chant-work.yml', text);
        assert.deepEqual(errors, []);
        const job = template.jobs?.[0];
        assert.equal(job?.id.value, 'work');
        const uses = (job?.steps ?? []).map((s) => s.uses?.value).filter(Boolean);
        assert.deepEqual(uses, ['actions/checkout@v4', 'actions/setup-node@v4', 'actions/upload-artifact@v4']);
        const doc = YAML.parse(text) as { jobs: { work: { 'runs-on': unknown } }; on: { workflow_dispatch: { inputs: Record<string, { options?: string[] }> } } };
        assert.deepEqual(doc.jobs.work['runs-on'], runner.labels.length === 1 ? runner.labels[0] : runner.labels);
        assert.deepEqual(Object.keys(doc.on.workflow_dispatch.inputs), ['spec', 'branch', 'agent', 'model', 'dispatch', 'request']);
        assert.deepEqual(doc.on.workflow_dispatch.inputs.agent.options, [agent.id]);
        assert.match(text, new RegExp(`secrets\\.${agent.secret}`));
        const steps = (YAML.parse(text) as { jobs: { work: { steps: Step[] } } }).jobs.work.steps;
        const install = steps.find((st) => st.name === `Install ${agent.label}`);
        const run = steps.find((st) => st.name === `Run ${agent.label}`);
        assert.equal(install?.run, `command -v ${agent.program} >/dev/null 2>&1 || ${EXPECTED[agent.id].install}`);
        assert.deepEqual(run?.env, Object.fromEntries(EXPECTED[agent.id].keyEnv.map((name) => [name, `\${{ secrets.${EXPECTED[agent.id].secret} }}`])));
        assert.ok(run?.run?.includes(`${agent.command} | tee`), run?.run);
        assert.match(text, new RegExp(`^# Secrets: ${EXPECTED[agent.id].secret} \\(`, 'm'));
      });
    }
  }

  it('sets up every agent the direct runner has, with the command line its local preset uses', () => {
    assert.deepEqual(ACTIONS_AGENTS.map((a) => a.id), AGENT_FORMATS.map((f) => f.id));
    assert.deepEqual(Object.keys(EXPECTED).sort(), ACTIONS_AGENTS.map((a) => a.id).sort());
    for (const format of AGENT_FORMATS) {
      const agent = ACTIONS_AGENTS.find((a) => a.id === format.id)!;
      assert.equal(agent.secret, EXPECTED[format.id].secret);
      // The same words as the preset, the model as an array that is empty when none was picked.
      const local = format.command(true).replace('--model ${model}', '"${model_args[@]}"').replace('${promptFile}', '$CHANT_PROMPT_FILE');
      assert.equal(agent.command, local);
      assert.ok(agent.command.startsWith(`${format.program} `), agent.command);
    }
    assert.equal(
      ACTIONS_AGENTS[0].command,
      'claude --print --output-format stream-json --verbose "${model_args[@]}" --dangerously-skip-permissions "Read and execute the task in $CHANT_PROMPT_FILE"',
    );
  });

  it('offers every agent in chant.actions.agent', () => {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: Array<{ properties: Record<string, { enum?: string[] }> }> | { properties: Record<string, { enum?: string[] }> } } };
    const sections = Array.isArray(pkg.contributes.configuration)
      ? pkg.contributes.configuration
      : [pkg.contributes.configuration];
    const setting = sections.map((c) => c.properties['chant.actions.agent']).find(Boolean);
    assert.deepEqual(setting?.enum, ACTIONS_AGENTS.map((a) => a.id));
    for (const agent of ACTIONS_AGENTS)
      assert.equal(resolveSetting(SETTING_RULES.actionsAgent, { globalValue: agent.id }), agent.id);
  });

  it('offers every agent in one workflow, each step guarded by the agent input', async () => {
    const text = actionsWorkflow({ runsOn: ['ubuntu-latest'], agents: ACTIONS_AGENTS });
    const { errors, template } = await parseWorkflowText('chant-work.yml', text);
    assert.deepEqual(errors, []);
    for (const agent of ACTIONS_AGENTS) {
      const steps = (template.jobs?.[0].steps ?? []).filter((s) => s.if?.expr.includes(`'${agent.id}'`));
      assert.equal(steps.length, 2, agent.id);
    }
  });

  it('puts no expression inside a run script: dispatch inputs reach the shell only through env', () => {
    const text = actionsWorkflow({ runsOn: ['self-hosted', 'linux'], agents: ACTIONS_AGENTS });
    const doc = YAML.parse(text) as {
      jobs: { work: { steps: Array<{ run?: string; env?: Record<string, string> }> } };
    };
    const runs = doc.jobs.work.steps.filter((s) => s.run !== undefined);
    assert.ok(runs.length >= 6);
    for (const step of runs) assert.doesNotMatch(step.run!, /\$\{\{/, step.run);
    const env = JSON.stringify(doc.jobs.work.steps.map((s) => s.env ?? {}));
    assert.match(env, /inputs\.request/);
  });

  it('refuses runner labels and agents it cannot write safely', () => {
    assert.throws(() => actionsWorkflow({ runsOn: ['ubuntu-latest\n  evil: 1'], agents: [actionsAgent('claude')!] }), ActionsWorkflowError);
    assert.throws(() => actionsWorkflow({ runsOn: ['${{ github.token }}'], agents: [actionsAgent('claude')!] }), ActionsWorkflowError);
    assert.equal(actionsAgent('nope'), undefined);
    assert.throws(() => actionsWorkflow({ runsOn: ['ubuntu-latest'], agents: [] }), /at least one agent/);
    assert.throws(() => actionsWorkflow({ runsOn: ['ubuntu-latest'], agents: [{ ...actionsAgent('claude')!, secret: 'X }}\n  evil: 1' }] }), /cannot be written into a workflow/);
    assert.deepEqual(runnerLabels(' self-hosted, linux ,'), ['self-hosted', 'linux']);
    assert.deepEqual(runnerLabels(''), ['ubuntu-latest']);
  });

  it('tells a missing, foreign, outdated, differing and current workflow apart', () => {
    const current = actionsWorkflow({ runsOn: ['ubuntu-latest'], agents: [actionsAgent('claude')!] });
    const selfHosted = actionsWorkflow({ runsOn: ['self-hosted'], agents: [actionsAgent('claude')!] });
    assert.deepEqual(workflowState(undefined, current), { kind: 'missing' });
    assert.deepEqual(workflowState('name: mine\non: push\n', current), { kind: 'foreign' });
    assert.deepEqual(workflowState(current.replace(`version ${ACTIONS_WORKFLOW_VERSION}`, 'version 0'), current), { kind: 'outdated', version: 0 });
    assert.deepEqual(workflowState(selfHosted, current), { kind: 'differs' });
    assert.deepEqual(workflowState(current, current), { kind: 'current' });
    assert.deepEqual(workflowState(current.replace(/\n/g, '\r\n'), current), { kind: 'current' });
  });
});
