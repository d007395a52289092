// Language model tools for VS Code's own agents (chat in agent mode): what only the extension knows,
// through `vscode.lm.registerTool` (declared in package.json's `contributes.languageModelTools`).
// - chant_listRuns: the runs and their state: what needs the user, what runs, what waits, what ended.
// - chant_workSpec: starts a run of a spec through the extension: the same pre-run checks and
//   questions as Work Spec, after VS Code asks the user to confirm (prepareInvocation); it shows in
//   the Runs view like any run. Needs a trusted workspace.
// - chant_investigationStatus: an investigation's phases, their specs' state and the next step.
// Reading tools run nothing and ask nothing; the one that runs something always asks.
import * as vscode from 'vscode';
import { investigationText, runsText, runStateText } from '../core/present/chatText';
import { buildInvestigationView, investigationKeyFor } from '../core/present/investigationView';
import type { RunGroup } from '../core/runs/runRecord';
import { AGENT_PRESETS, type AgentPick, type AgentPresetId } from '../core/runs/agents/presets';
import { resolveSpecId } from '../core/spec/ids';
import type { Spec } from '../core/spec/types';
import type { SpecIndex } from '../core/project/specIndex';
import { investigationKeysOf } from '../core/workflow/phases';
import type { RunContext } from '../runs/context';
import { workSpec } from '../runs/work';
import { configuredPhases } from '../settings';
import { log } from '../log';
import { oneLine } from '../core/present/plainText';

export const TOOL_NAMES = { listRuns: 'chant_listRuns', workSpec: 'chant_workSpec', investigationStatus: 'chant_investigationStatus' } as const;

interface ListRunsInput {
  group?: RunGroup | 'all';
  limit?: number;
}

interface WorkSpecInput {
  specId: string;
  agent?: string;
  model?: string;
}

interface InvestigationInput {
  investigation?: string;
}

const text = (value: string): vscode.LanguageModelToolResult =>
  new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(value)]);
const GROUPS: ReadonlyArray<RunGroup | 'all'> = ['needs-you', 'running', 'queued', 'done', 'all'];

/** The spec a tool's `specId` names: a full id or what chant's short-id rules resolve, in any project. */
function findSpec(ctx: RunContext, query: unknown): { index: SpecIndex; spec: Spec } | { problem: string } {
  if (typeof query !== 'string' || !query.trim()) return { problem: 'specId is required: a spec id such as 2026-02-08-001-r4x, or its short form 001-r4x.' };
  const wanted = query.trim();
  const exact = ctx.projects.findSpec(wanted);
  if (exact) return exact;
  const found: Array<{ index: SpecIndex; spec: Spec }> = [];
  for (const index of ctx.projects.projects()) {
    const resolved = resolveSpecId(wanted, [...index.specs.keys()]);
    if (resolved.kind === 'found') found.push({ index, spec: index.specs.get(resolved.id)! });
  }
  if (found.length === 1) return found[0];
  return { problem: found.length > 1 ? `"${wanted}" matches specs in several projects; use the full id.` : `No spec "${wanted}" in this workspace (or the id is ambiguous); use chant_listRuns or the Specs view for ids.` };
}

function agentPickOf(input: WorkSpecInput): AgentPick | undefined | { problem: string } {
  if (input.agent === undefined || input.agent === '') return input.model ? { problem: 'model needs agent: name the agent the model is for.' } : undefined;
  const preset = AGENT_PRESETS.find((p) => p.id === input.agent && p.id !== 'custom');
  if (!preset) return { problem: `Unknown agent "${String(input.agent)}"; one of ${AGENT_PRESETS.filter((p) => p.id !== 'custom').map((p) => p.id).join(', ')}.` };
  return { agent: preset.id as AgentPresetId, ...(typeof input.model === 'string' && input.model.trim() ? { model: input.model.trim().slice(0, 200) } : {}) };
}

export function registerTools(ctx: RunContext): vscode.Disposable[] {
  const listRuns: vscode.LanguageModelTool<ListRunsInput> = {
    invoke(options) {
      const group = GROUPS.find((g) => g === options.input?.group) ?? 'all';
      const limit = typeof options.input?.limit === 'number' && Number.isFinite(options.input.limit) ? options.input.limit : 10;
      return text(runsText(ctx.registry.history(), ctx.registry.chains(), Date.now(), { group, limit }));
    },
  };

  const work: vscode.LanguageModelTool<WorkSpecInput> = {
    prepareInvocation(options) {
      const target = findSpec(ctx, options.input?.specId);
      const pick = agentPickOf(options.input ?? { specId: '' });
      if ('problem' in target || (pick && 'problem' in pick)) return { invocationMessage: vscode.l10n.t('Checking the spec to work') };
      const agent = ctx.agents.resolve(pick ?? ctx.agents.pick(), target.index.config.defaultModel);
      const message = new vscode.MarkdownString();
      message.appendText(vscode.l10n.t('Run {0} {1} on spec "{2}" ({3}): it works on branch {4}{5} in a terminal, and shows in the Runs view. Chant checks the spec first (dependencies, approval, quality) and asks when something is off.', agent.name, agent.model ?? '', target.spec.title ?? target.spec.id, target.spec.id, target.index.config.branchPrefix, target.spec.id));
      return {
        invocationMessage: vscode.l10n.t('Starting a run of {0}', target.spec.id),
        confirmationMessages: { title: vscode.l10n.t('Work this spec with an agent?'), message },
      };
    },
    async invoke(options) {
      if (!vscode.workspace.isTrusted) return text('Runs need a trusted workspace: this folder is in Restricted Mode, so nothing was started. The user can grant trust (Manage Workspace Trust).');
      const target = findSpec(ctx, options.input?.specId);
      if ('problem' in target) return text(target.problem);
      const pick = agentPickOf(options.input);
      if (pick && 'problem' in pick) return text(pick.problem);
      // In chat VS Code has shown prepareInvocation's confirmation; a call from elsewhere (another
      // extension's invokeTool, with no chat request) is confirmed here, so nothing ever runs unasked.
      if (!options.toolInvocationToken) {
        const go = vscode.l10n.t('Work Spec');
        // A notification, not a modal dialog: the call waits for it, and dismissing it declines.
        const answer = await vscode.window.showWarningMessage(
          vscode.l10n.t('A language model tool asks to run an agent on "{0}" ({1}). Work this spec?', oneLine(target.spec.title ?? target.spec.id, 120), target.spec.id),
          go,
        );
        if (answer !== go) return text(`The user declined: ${target.spec.id} was not started.`);
      }
      const run = await workSpec(ctx, target.index, target.spec, pick ? { agent: pick } : {});
      if (!run) return text(`The run of ${target.spec.id} did not start: a pre-run check refused it, the user declined a question, or it is running already. Chant said why in a notification.`);
      return text(`Started. ${runStateText(run)} Follow it in the Runs view; chant_listRuns reports its state.`);
    },
  };

  const investigation: vscode.LanguageModelTool<InvestigationInput> = {
    invoke(options) {
      const wanted = typeof options.input?.investigation === 'string' ? options.input.investigation.trim() : '';
      const projects = ctx.projects.projects();
      if (!wanted) {
        const keys = new Map<string, SpecIndex>();
        for (const index of projects)
          for (const spec of index.specs.values())
            for (const key of investigationKeysOf(spec)) if (!keys.has(key)) keys.set(key, index);
        if (keys.size === 0) return text('No investigation in this workspace (specs labelled issue-<number>). Chant: Start Issue Investigation… scaffolds one.');
        const parts = [...keys].slice(0, 10).map(([key, index]) => investigationText(viewOf(index, key)));
        return text(parts.join('\n\n'));
      }
      for (const index of projects) {
        const key = investigationKeyFor(wanted, index.specs);
        if (key && [...index.specs.values()].some((s) => investigationKeysOf(s).includes(key)))
          return text(investigationText(viewOf(index, key)));
      }
      return text(`No investigation "${wanted}": give issue-<number>, the issue number or URL, or a spec id of the investigation.`);
    },
  };

  const viewOf = (index: SpecIndex, key: string) =>
    buildInvestigationView(index.specs, key, {
      archived: index.archived,
      phases: configuredPhases(),
      readiness: (id) => index.readiness(id),
    });

  const registered: vscode.Disposable[] = [];
  for (const [name, tool] of [
    [TOOL_NAMES.listRuns, listRuns],
    [TOOL_NAMES.workSpec, work],
    [TOOL_NAMES.investigationStatus, investigation],
  ] as Array<[string, vscode.LanguageModelTool<never>]>) {
    try {
      registered.push(vscode.lm.registerTool(name, tool));
    } catch (error) {
      // A VS Code without chat tools must not stop the extension.
      log.warn(`The language model tool ${name} is not available: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return registered;
}
