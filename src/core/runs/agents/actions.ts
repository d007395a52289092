// The agents a GitHub Actions job can run (../../workflow/actionsWorkflow.ts writes their steps), one
// per adapter in this folder: its npm package, secret and key variables come from the adapter's
// `ci`, its command line from the adapter's preset. No `vscode` import.
import type { ActionsAgent } from '../../workflow/actionsWorkflow';
import type { AgentFormat } from './agentFormat';
import { AGENT_FORMATS } from './index';

/**
 * The job's command line is the local preset's (with a model), so a run on Actions behaves as one on
 * the user's machine: `--model ${model}` becomes the `model_args` array (empty when no model was
 * given) and `${promptFile}` the prompt file the prepare step wrote.
 */
function actionsAgentOf(format: AgentFormat): ActionsAgent {
  const local = format.command(true);
  const command = local.replace('--model ${model}', '"${model_args[@]}"').split('${promptFile}').join('$CHANT_PROMPT_FILE');
  if (!command.includes('"${model_args[@]}"') || !command.includes('$CHANT_PROMPT_FILE') || /\$\{(?!model_args\[@\]\})/.test(command)) {
    throw new Error(`The ${format.id} preset "${local}" has no GitHub Actions form (it needs --model \${model} and \${promptFile}, and no other placeholder).`);
  }
  return { id: format.id, label: format.label, program: format.program, install: `npm install -g ${format.ci.npmPackage}`, secret: format.ci.secret, keyEnv: format.ci.keyEnv, command };
}

export const ACTIONS_AGENTS: readonly ActionsAgent[] = AGENT_FORMATS.map(actionsAgentOf);

export function actionsAgent(id: string): ActionsAgent | undefined {
  return ACTIONS_AGENTS.find((a) => a.id === id);
}

