// Which agent and model a workspace's runs use, and which agents this machine has. The pick (Choose
// Agent, Work Spec with Agent…, a parallel batch) is remembered in the workspace state, never in a
// file the repository could ship; without one, `chant.agent.command` decides (empty: claude). The
// agents found are the presets' programs on the extension host's PATH with their `--version`,
// asked in parallel and kept for a minute (each answer starts a process).
import * as vscode from 'vscode';
import { AGENT_PRESETS, resolveAgent, type AgentPick, type AgentPreset, type AgentPresetId, type ResolvedAgent } from '../core/runs/agents/presets';
import { parseVersion } from '../core/runs/agents';
import { agentModel } from '../core/workflow/commandLine';
import { findOnPath, versionOf } from '../workspace/executables';
import { settings } from '../settings';

const PICK_KEY = 'chant.agentPick';
const DETECT_TTL_MS = 60_000;

export interface DetectedAgent {
  preset: AgentPreset;
  /** Absolute path on PATH; undefined when the program is not installed. */
  path?: string;
  /** The version its `--version` printed (`0.46.0`), or its first line when it has no number. */
  version?: string;
}

export class AgentChoices {
  private detected: { at: number; agents: Promise<DetectedAgent[]> } | undefined;

  constructor(private readonly state: vscode.Memento) {}

  /** The workspace's pick, when one was made (and names a preset that exists). */
  pick(): AgentPick | undefined {
    const saved = this.state.get<unknown>(PICK_KEY);
    if (typeof saved !== 'object' || saved === null) return undefined;
    const { agent, model } = saved as { agent?: unknown; model?: unknown };
    if (!AGENT_PRESETS.some((p) => p.id === agent && p.id !== 'custom')) return undefined;
    return { agent: agent as AgentPresetId, ...(typeof model === 'string' && model.trim() ? { model: model.trim().slice(0, 200) } : {}) };
  }

  /** Remembers a pick for this workspace; undefined forgets it (chant.agent.command decides again). */
  async remember(pick: AgentPick | undefined): Promise<void> {
    await this.state.update(PICK_KEY, pick && pick.agent !== 'custom' ? { agent: pick.agent, ...(pick.model ? { model: pick.model } : {}) } : undefined);
  }

  /** The agent a run started now would use (the pick, else the setting), with chant's model for claude. */
  resolve(pick: AgentPick | undefined = this.pick(), defaultModel?: string): ResolvedAgent {
    const setting = settings.agentCommand.value;
    return resolveAgent(setting, pick, agentModel(process.env, defaultModel));
  }

  /** The presets' programs found on PATH, with versions (cached for a minute; `fresh` asks again). */
  detect(fresh = false): Promise<DetectedAgent[]> {
    if (!fresh && this.detected && Date.now() - this.detected.at < DETECT_TTL_MS) return this.detected.agents;
    const agents = Promise.all(
      AGENT_PRESETS.map(async (preset): Promise<DetectedAgent> => {
        if (!preset.program) return { preset };
        const found = await findOnPath(preset.program);
        if (!found) return { preset };
        const answer = await versionOf(found);
        return { preset, path: found, version: answer ? (parseVersion(answer) ?? answer) : undefined };
      }),
    );
    this.detected = { at: Date.now(), agents };
    return agents;
  }
}

export interface PickAgentOptions {
  title?: string;
  /** Answers instead of asking (tests): the preset id, and the model ('' = the agent's default). */
  agent?: AgentPresetId;
  model?: string;
}

/**
 * Asks which agent (the ones installed first, each with its version) and which model, remembers
 * the answer for the workspace and returns it; undefined when the user cancels. `custom` opens the
 * chant.agent.command setting and forgets the pick, so the setting decides.
 */
export async function pickAgent(choices: AgentChoices, options: PickAgentOptions = {}): Promise<AgentPick | undefined> {
  const current = choices.pick();
  let presetId = options.agent;
  if (!presetId) {
    const agents = await choices.detect();
    const items = [...agents]
      .sort((a, b) => Number(!!b.path || !b.preset.program) - Number(!!a.path || !a.preset.program))
      .map((agent) => ({
        label: agent.preset.label,
        description: [
          agent.preset.program
            ? agent.path
              ? vscode.l10n.t('installed {0}', agent.version ?? '')
              : vscode.l10n.t('not found on PATH')
            : '',
          current?.agent === agent.preset.id ? vscode.l10n.t('current') : '',
        ]
          .filter(Boolean)
          .join(' · '),
        detail:
          agent.path || !agent.preset.program ? agent.preset.detail : (agent.preset.install ?? agent.preset.detail),
        id: agent.preset.id,
      }));
    const chosen = await vscode.window.showQuickPick(items, {
      title: options.title ?? vscode.l10n.t('Agent for this workspace'),
      placeHolder: vscode.l10n.t('ollama and openai run only through the chant CLI (chant talks to them itself)'),
    });
    if (!chosen) return undefined;
    presetId = chosen.id;
  }
  if (presetId === 'custom') {
    await choices.remember(undefined);
    await vscode.commands.executeCommand('workbench.action.openSettings', 'chant.agent.command');
    return { agent: 'custom' };
  }
  let model = options.model;
  if (model === undefined) {
    model = await vscode.window.showInputBox({
      title: vscode.l10n.t('Model for {0}', AGENT_PRESETS.find((p) => p.id === presetId)?.label ?? presetId),
      prompt: vscode.l10n.t("Passed as --model; empty: the agent's default (chant's model for claude)"),
      value: current?.agent === presetId ? (current.model ?? '') : '',
    });
    if (model === undefined) return undefined;
  }
  const pick: AgentPick = { agent: presetId, ...(model.trim() ? { model: model.trim() } : {}) };
  await choices.remember(pick);
  return pick;
}
