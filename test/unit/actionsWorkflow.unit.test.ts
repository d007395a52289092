import * as assert from 'node:assert/strict';
import * as YAML from 'yaml';
import { ACTIONS_AGENTS, ACTIONS_WORKFLOW_VERSION, actionsWorkflow, ActionsWorkflowError, runnerLabels, workflowState } from '../../src/core/workflow/actionsWorkflow';
import { parseWorkflowText } from './workflowParser';

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
        const text = actionsWorkflow({ runsOn: runner.labels, agents: [agent.id] });
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
      });
    }
  }

  it('offers every agent in one workflow, each step guarded by the agent input', async () => {
    const text = actionsWorkflow({ runsOn: ['ubuntu-latest'], agents: ACTIONS_AGENTS.map((a) => a.id) });
    const { errors, template } = await parseWorkflowText('chant-work.yml', text);
    assert.deepEqual(errors, []);
    for (const agent of ACTIONS_AGENTS) {
      const steps = (template.jobs?.[0].steps ?? []).filter((s) => s.if?.expr.includes(`'${agent.id}'`));
      assert.equal(steps.length, 2, agent.id);
    }
  });

  it('puts no expression inside a run script: dispatch inputs reach the shell only through env', () => {
    const text = actionsWorkflow({ runsOn: ['self-hosted', 'linux'], agents: ACTIONS_AGENTS.map((a) => a.id) });
    const doc = YAML.parse(text) as { jobs: { work: { steps: Array<{ run?: string; env?: Record<string, string> }> } } };
    const runs = doc.jobs.work.steps.filter((s) => s.run !== undefined);
    assert.ok(runs.length >= 6);
    for (const step of runs) assert.doesNotMatch(step.run!, /\$\{\{/, step.run);
    const env = JSON.stringify(doc.jobs.work.steps.map((s) => s.env ?? {}));
    assert.match(env, /inputs\.request/);
  });

  it('refuses runner labels and agents it cannot write safely', () => {
    assert.throws(() => actionsWorkflow({ runsOn: ['ubuntu-latest\n  evil: 1'], agents: ['claude'] }), ActionsWorkflowError);
    assert.throws(() => actionsWorkflow({ runsOn: ['${{ github.token }}'], agents: ['claude'] }), ActionsWorkflowError);
    assert.throws(() => actionsWorkflow({ runsOn: ['ubuntu-latest'], agents: ['nope'] }), /no GitHub Actions set-up for the agent "nope"/);
    assert.deepEqual(runnerLabels(' self-hosted, linux ,'), ['self-hosted', 'linux']);
    assert.deepEqual(runnerLabels(''), ['ubuntu-latest']);
  });

  it('tells a missing, foreign, outdated, differing and current workflow apart', () => {
    const current = actionsWorkflow({ runsOn: ['ubuntu-latest'], agents: ['claude'] });
    const selfHosted = actionsWorkflow({ runsOn: ['self-hosted'], agents: ['claude'] });
    assert.deepEqual(workflowState(undefined, current), { kind: 'missing' });
    assert.deepEqual(workflowState('name: mine\non: push\n', current), { kind: 'foreign' });
    assert.deepEqual(workflowState(current.replace(`version ${ACTIONS_WORKFLOW_VERSION}`, 'version 0'), current), { kind: 'outdated', version: 0 });
    assert.deepEqual(workflowState(selfHosted, current), { kind: 'differs' });
    assert.deepEqual(workflowState(current, current), { kind: 'current' });
    assert.deepEqual(workflowState(current.replace(/\n/g, '\r\n'), current), { kind: 'current' });
  });
});
