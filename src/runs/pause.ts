// Pause: stop the agent and set `paused`; the branch is kept. A run chant owns is handed to
// `chant pause --force` (§9), which stops its own agent and writes the status.
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { SpecIndex } from '../core/project/specIndex';
import { setFields } from '../core/spec/specEdit';
import type { Spec } from '../core/spec/types';
import { rewriteSpecFile } from '../workspace/specWriter';
import { cancelActionsRun } from './actionsRunner';
import { handToCli } from './cliRunner';
import type { RunContext } from './context';
import { isActive } from './runRegistry';
import { readStatus } from './terminals';
import { isRunProcess } from '../core/runs/processIdentity';

/** Specs Pause and Take Over offer: running here or elsewhere, or in progress on disk. */
export function isPausable(ctx: RunContext, spec: Spec, index: SpecIndex): boolean {
  return ctx.registry.isRunning(spec.id, index.paths.root) || spec.status === 'in_progress';
}

/** `quiet`: the caller (Take Over) says what happened itself. */
export async function pauseRun(
  ctx: RunContext,
  index: SpecIndex,
  spec: Spec,
  options: { quiet?: boolean } = {},
): Promise<boolean> {
  const root = index.paths.root;
  const run = ctx.registry.get(spec.id, root);
  if (run?.runner === 'cli' || (!run && ctx.registry.isExternal(spec.id, root))) {
    await handToCli(ctx, root, spec, ['pause', spec.id, '--force']);
    return true;
  }
  if (run?.runner === 'actions' && isActive(run)) {
    // The agent runs on GitHub: cancelling the job is the only way to stop it. Its follower
    // finishes the run (failed, as a paused local run) when GitHub says the job is over.
    await cancelActionsRun(ctx, run);
    if (!options.quiet)
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Asked GitHub Actions to cancel the run of {0}; the spec is marked when the job stops.', spec.id),
      );
    return true;
  }
  if (run && isActive(run)) {
    ctx.registry.update(run, { state: 'stopped' });
    ctx.terminals.close(root, spec.id);
    // A run from before a reload has no terminal of ours: hang up its process group as closing
    // its terminal would.
    if (run.restored) {
      const refused = await hangUp(run.statusFile);
      if (refused) void vscode.window.showWarningMessage(refused);
    }
    await fs.rm(run.plan?.statusFile ?? '', { force: true }).catch(() => undefined);
    ctx.registry.finish(run);
  }
  await rewriteSpecFile(spec.path, (text) => setFields(text, { status: 'paused' }));
  if (!options.quiet)
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        '{0} is paused. Its branch{1} is kept; work the spec again to continue it.',
        spec.id,
        run?.plan ? ` ${run.plan.branch}` : '',
      ),
    );
  return true;
}

/**
 * Hangs up the run's process group (or the process alone), but only a process provably the run's
 * own (core/runs/processIdentity.ts): a stale or forged pid is never signalled. Returns why nothing
 * was signalled, for the user, or undefined.
 */
async function hangUp(statusFile: string | undefined): Promise<string | undefined> {
  const status = await readStatus(statusFile);
  if (status?.status !== 'working' || status.pid === undefined) return undefined;
  if (!isRunProcess(status.pid, status.started)) {
    return vscode.l10n.t('The run is marked stopped, but no process was signalled: process {0} could not be proven to be the run\'s own (it may have ended, or its number now belongs to another program).', status.pid);
  }
  for (const target of [-status.pid, status.pid]) {
    try {
      process.kill(target, 'SIGHUP');
      return undefined;
    } catch {
      // Not a process group leader: the process alone.
    }
  }
}
