// The Get Started walkthrough: opened once, the first time the extension starts in a workspace, and
// its steps ticked when what they ask for is already done (src/core/present/walkthroughProgress.ts).
//
// VS Code's walkthrough service has a quirk this works around: a step's `onContext:` event that is
// already true when the walkthrough is registered is marked as seen and never ticks the step (and the
// service is often created only when the Welcome editor first opens, after activation set the keys).
// So the `chant.walkthrough.*` keys stay unset until the walkthrough is known to be registered: after
// this module opened it, or when a Welcome/walkthrough tab shows. From then on they follow the specs.
import * as vscode from 'vscode';
import { fixBranchesOf, walkthroughContextKey, walkthroughProgress, type WalkthroughProgress } from '../core/present/walkthroughProgress';
import type { GateStates } from '../investigation/gateStates';
import { inspectAgent } from '../workspace/agentCheck';
import type { AgentChoices } from '../runs/agentChoice';
import { log } from '../log';
import type { ProjectService } from '../workspace/projectService';

export const WALKTHROUGH_ID = 'chant.getStarted';
/** globalState key: the walkthrough was opened once by itself; never again. */
const OPENED_KEY = 'chant.walkthrough.opened';

export function registerWalkthrough(
  context: vscode.ExtensionContext,
  projects: ProjectService,
  agents: AgentChoices,
  gates: GateStates,
): void {
  let published: Partial<Record<keyof WalkthroughProgress | 'agentReady' | 'upstreamPr', boolean>> | undefined;

  const publish = async (): Promise<void> => {
    published ??= {};
    const facts = { ...walkthroughProgress(projects.projects().map((index) => index.specs.values())) };
    for (const [fact, value] of Object.entries(facts) as [keyof WalkthroughProgress, boolean][]) {
      if (published[fact] === value) continue;
      published[fact] = value;
      await vscode.commands.executeCommand('setContext', walkthroughContextKey(fact), value);
    }
    if (!published.upstreamPr && upstreamPrOpened(projects, gates)) {
      published.upstreamPr = true;
      await vscode.commands.executeCommand('setContext', 'chant.walkthrough.upstreamPr', true);
    }
    if (!published.agentReady) {
      // The agent step is done when Check Agent would say "Ready to run" (it asks the programs for
      // their version, so only once the walkthrough is there, and in the background).
      const ready = (await inspectAgent(projects, agents).catch(() => undefined))?.missing.length === 0;
      if (ready) {
        published.agentReady = true;
        await vscode.commands.executeCommand('setContext', 'chant.walkthrough.agentReady', true);
      }
    }
  };
  const publishWhenShown = (): void => {
    if (published === undefined && walkthroughTabOpen()) void projects.ready().then(publish, () => undefined);
  };

  context.subscriptions.push(
    projects.onDidChange(() => published !== undefined && void publish()),
    // gh answers about the fix branches' pull requests in the background.
    gates.onDidChange(() => published !== undefined && void publish()),
    vscode.window.tabGroups.onDidChangeTabs(publishWhenShown),
  );
  publishWhenShown();

  const shouldOpen =
    !context.globalState.get<boolean>(OPENED_KEY) &&
    (vscode.workspace.workspaceFolders?.length ?? 0) > 0 &&
    vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall', true);
  log.info(
    `Get Started walkthrough: ${shouldOpen ? 'opening it (first activation)' : 'not opening it'} (openOnInstall ${String(vscode.workspace.getConfiguration('workbench.welcomePage').get('walkthroughs.openOnInstall'))})`,
  );
  if (!shouldOpen) return;
  void (async () => {
    await context.globalState.update(OPENED_KEY, true);
    await vscode.commands.executeCommand(
      'workbench.action.openWalkthrough',
      `${context.extension.id}#${WALKTHROUGH_ID}`,
      false,
    );
    await projects.ready();
    await publish();
  })().catch((error) => log.warn(`Could not open the Get Started walkthrough: ${String(error)}`));
}

/**
 * An investigation's fix branch has a pull request into the upstream repository, as gh knows it (the
 * Investigation panel's "Upstream" fact). Asks gh once per branch in the background (only in a trusted
 * workspace): false until it answered, and the gates' change event publishes again.
 */
function upstreamPrOpened(projects: ProjectService, gates: GateStates): boolean {
  return projects.projects().some((index) =>
    fixBranchesOf(index.sorted()).some((branch) => gates.pullRequestsOf(index, branch)?.some((pr) => pr.kind === 'upstream')),
  );
}

/** A Welcome or walkthrough editor is open (VS Code gives extensions no typed input for it). */
function walkthroughTabOpen(): boolean {
  return vscode.window.tabGroups.all.some((group) =>
    group.tabs.some((tab) => tab.input === undefined && /^(Welcome|Walkthrough\b)/.test(tab.label)),
  );
}
