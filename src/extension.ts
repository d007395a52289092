// Wiring only: build the services, register the features, report activation failures ourselves
// (VS Code shows none). Each feature lives in its own module. Activation does no I/O of its own:
// indexing starts in the background and the views wait for it.
import * as vscode from 'vscode';
import type { ChantApi } from './api';
import { openSpec } from './commands/openSpec';
import { registerCommands } from './commands/registry';
import { specCommands } from './commands/specCommands';
import { registerEditorFeatures } from './language';
import { createLog, log, showError } from './log';
import { investigationCommands } from './runs/investigationCommands';
import { runCommands } from './runs/runCommands';
import { RunManager } from './runs/runManager';
import { configuredPhases } from './settings';
import { SpecTreeProvider } from './views/specTreeProvider';
import { registerWebviews } from './webviews/host';
import { ProjectService } from './workspace/projectService';

export function activate(context: vscode.ExtensionContext): ChantApi | undefined {
  context.subscriptions.push(createLog());
  try {
    const projects = new ProjectService();
    context.subscriptions.push(projects);

    const tree = new SpecTreeProvider(projects, configuredPhases, context.workspaceState);
    const view = vscode.window.createTreeView('chant.specs', { treeDataProvider: tree, showCollapseAll: true });
    tree.attachView(view);
    context.subscriptions.push(tree, view);
    context.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('chant.phases') && tree.refresh()),
    );

    const editor = registerEditorFeatures(context, projects);
    registerWebviews(context, projects, configuredPhases);

    const runs = new RunManager(projects);
    context.subscriptions.push(runs);
    // The status bar counts agents running now (started here or by the chant CLI in any terminal);
    // a click shows the terminals they run in.
    context.subscriptions.push(
      editor.statusBar.attachRunningAgents({
        onDidChange: (listener) => runs.onDidChangeRunningCount(() => listener()),
        runningCount: () => runs.runningCount,
        command: 'workbench.action.terminal.focus',
      }),
    );

    registerCommands(context, {
      'chant.refresh': async () => {
        tree.refresh({ git: true });
        await projects.reload();
      },
      'chant.openSpec': () => openSpec(projects),
      'chant.showLog': () => log.show(),
      ...specCommands(projects, tree, configuredPhases),
      ...runCommands(runs),
      ...investigationCommands(projects, runs),
    });

    void projects.ready().catch((error) => showError('Chant could not index this workspace', error));
    return { tree, projects, runs };
  } catch (error) {
    void showError('Chant failed to activate', error);
    return undefined;
  }
}

export function deactivate(): void {}
