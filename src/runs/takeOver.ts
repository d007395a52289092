// Take Over: `chant takeover <id> --force` stops chant's agent, adds its analysis to the spec and
// sets paused. For a direct run the extension does the same itself: it stops the agent (as Pause
// does, the branch and worktree kept), then appends a `## Takeover Analysis` to the spec (commits,
// files changed, criteria ticked, the agent's last lines, next steps as a checklist) through the
// lossless writer, and leaves the branch ready to continue by hand.
import * as vscode from 'vscode';
import type { SpecIndex } from '../core/project/specIndex';
import { appendTakeoverSummary } from '../core/runs/takeoverSummary';
import type { Spec } from '../core/spec/types';
import { showError } from '../log';
import { rewriteSpecFile } from '../workspace/specWriter';
import { handToCli } from './cliRunner';
import type { RunContext } from './context';
import { pauseRun } from './pause';
import { gatherTakeoverSummary } from './takeoverFacts';

export async function takeOver(ctx: RunContext, index: SpecIndex, spec: Spec): Promise<boolean> {
  const run = ctx.registry.get(spec.id, index.paths.root);
  if (run?.runner !== 'direct') {
    await handToCli(ctx, index.paths.root, spec, ['takeover', spec.id, '--force']);
    return true;
  }
  const plan = run.plan;
  await pauseRun(ctx, index, spec, { quiet: true });
  if (!plan) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} is paused. Its run left no record to summarize; work the spec again to continue it.', spec.id));
    return true;
  }
  try {
    const summary = await gatherTakeoverSummary(plan);
    await rewriteSpecFile(spec.path, (text) => appendTakeoverSummary(text, summary));
  } catch (error) {
    void showError(vscode.l10n.t('{0} is paused, but its takeover summary could not be written', spec.id), error);
    return true;
  }
  const openSpec = vscode.l10n.t('Open Spec');
  const openFolder = vscode.l10n.t('Open Worktree');
  const message =
    plan.isolation === 'worktree'
      ? vscode.l10n.t('Took over {0}: the agent is stopped and a Takeover Analysis is in the spec. Continue on {1} in {2}.', spec.id, plan.branch, plan.workDir)
      : vscode.l10n.t('Took over {0}: the agent is stopped and a Takeover Analysis is in the spec. Continue on {1}.', spec.id, plan.branch);
  void vscode.window
    .showInformationMessage(message, openSpec, ...(plan.isolation === 'worktree' ? [openFolder] : []))
    .then(async (choice) => {
      if (choice === openSpec) await vscode.window.showTextDocument(vscode.Uri.file(spec.path));
      else if (choice === openFolder) await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(plan.workDir), { forceNewWindow: true });
    });
  return true;
}
