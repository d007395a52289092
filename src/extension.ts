// A table of contents: build the services, register the command table, the views, the editor
// features, the panels and the status bar, and report activation failures ourselves (VS Code shows
// none). Activation does no I/O of its own: indexing starts in the background and the views wait.
import * as vscode from 'vscode';
import type { ChantApi } from './api';
import { registerCommands } from './commands';
import { GateStates } from './investigation/gateStates';
import { registerEditorFeatures } from './language';
import { createLog, showError } from './log';
import { RunRegistry } from './runs/runRegistry';
import { Terminals } from './runs/terminals';
import { RunLogs } from './runs/runLog';
import { AgentChoices } from './runs/agentChoice';
import { registerBudgetStop } from './runs/budgetStop';
import { DesktopNotifier } from './runs/desktopNotifier';
import { ChantMcpServers } from './chat/mcpServers';
import { registerTools } from './chat/tools';
import { RunsTreeProvider } from './views/runsTreeProvider';
import { reattachRuns } from './runs/work';
import { configuredPhases, settings } from './settings';
import { SpecTreeProvider } from './views/specTreeProvider';
import { registerWalkthrough } from './views/walkthrough';
import { registerWebviews } from './webviews/host';
import { indexSnapshotStore } from './workspace/indexSnapshots';
import { ProjectService } from './workspace/projectService';
import { configureCoreTranslations } from './l10n';

export function activate(context: vscode.ExtensionContext): ChantApi | undefined {
  configureCoreTranslations();
  context.subscriptions.push(createLog());
  try {
    const projects = new ProjectService(indexSnapshotStore(context));
    const registry = new RunRegistry(context.workspaceState);
    const terminals = new Terminals();
    const gates = new GateStates();
    const logs = new RunLogs(registry);
    context.subscriptions.push(projects, registry, terminals, gates, logs);
    const runs = { projects, registry, terminals, logs, agents: new AgentChoices(context.workspaceState) };
    // Cost control's hard stop and needs-you desktop notifications (both opt-in settings).
    context.subscriptions.push(registerBudgetStop(runs), new DesktopNotifier(registry));
    // VS Code's own agents: chant's MCP server (when the CLI is installed) and the extension's tools.
    const mcpServers = new ChantMcpServers(projects);
    context.subscriptions.push(mcpServers, ...registerTools(runs));

    const tree = new SpecTreeProvider(projects, configuredPhases, registry, gates, context.workspaceState);
    const view = vscode.window.createTreeView('chant.specs', { treeDataProvider: tree, showCollapseAll: true });
    tree.attachView(view);
    context.subscriptions.push(tree, view);
    context.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => settings.phases.affectedBy(e) && tree.refresh()),
    );

    // The Runs view: every run, live and past; its badge counts the runs that need the user.
    const runsTree = new RunsTreeProvider(registry, terminals);
    const runsView = vscode.window.createTreeView('chant.runs', { treeDataProvider: runsTree });
    runsTree.attachView(runsView);
    context.subscriptions.push(runsTree, runsView);

    const { statusBar } = registerEditorFeatures(context, projects, registry);
    const webviews = registerWebviews(context, projects, configuredPhases, gates);
    registerCommands(context, { extensionUri: context.extensionUri, projects, tree, runs, gates, statusBar, phases: configuredPhases });

    // The status bar counts agents running now (started here or by the chant CLI in any terminal)
    // and the runs that wait for the user; a click opens the Runs view.
    context.subscriptions.push(
      statusBar.attachRunningAgents({
        onDidChange: (listener) => registry.onDidChangeList(() => listener()),
        runningCount: () => registry.runningCount,
        needsYouCount: () => registry.needsYouCount,
        command: 'chant.runs.focus',
      }),
    );

    // Get Started: opened once, on the first activation in a workspace; its steps tick themselves.
    registerWalkthrough(context, projects, runs.agents, gates);

    void projects.ready().catch((error) => showError(vscode.l10n.t('Chant could not index this workspace'), error));
    // Runs an earlier window left going (a reload): known again, followed to their end.
    void reattachRuns(runs).catch((error) => showError(vscode.l10n.t('Chant could not re-attach to running agents'), error));
    return { tree, projects, runs: registry, terminals, webviews, runsView: runsTree, logs, agents: runs.agents, mcpServers };
  } catch (error) {
    void showError(vscode.l10n.t('Chant failed to activate'), error);
    return undefined;
  }
}

export function deactivate(): void {}
