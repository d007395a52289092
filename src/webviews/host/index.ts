// Registers the two panels: their commands (`chant.editFrontmatter`, `chant.showGraph`, each taking
// an optional spec id, Uri or tree node) and their serializers, so open panels come back after a
// window reload (with the form's unsaved draft).
import * as vscode from 'vscode';
import type { PhaseDefinition } from '../../core/workflow/phases';
import { registerCommands } from '../../commands/registry';
import type { ProjectService } from '../../workspace/projectService';
import { FRONTMATTER_VIEW_TYPE, GRAPH_VIEW_TYPE, parseGraphScope } from '../protocol';
import { FrontmatterPanel } from './frontmatterPanel';
import { GraphPanel } from './graphPanel';
import { activeEditorSpec, pickSpec, specFromArgument } from './specArgument';
import { webviewOptions } from './webviewHtml';

export { FrontmatterPanel, GraphPanel };

export function registerWebviews(context: vscode.ExtensionContext, projects: ProjectService, phases: () => readonly PhaseDefinition[]): void {
  const extensionUri = context.extensionUri;

  registerCommands(context, {
    'chant.editFrontmatter': async (arg?: unknown) => {
      await projects.ready();
      const ref = arg !== undefined ? specFromArgument(projects, arg) : (activeEditorSpec(projects) ?? (await pickSpec(projects, 'Edit the frontmatter of…')));
      if (!ref) {
        if (arg !== undefined) void vscode.window.showWarningMessage('Chant: that spec is not in the index.');
        return undefined;
      }
      return FrontmatterPanel.show(extensionUri, projects, ref.index, ref.spec.id, ref.spec.path);
    },
    'chant.showGraph': async (arg?: unknown) => {
      await projects.ready();
      let ref = arg !== undefined ? specFromArgument(projects, arg) : activeEditorSpec(projects);
      const index = ref?.index ?? projects.projects()[0];
      if (!index) {
        void vscode.window.showInformationMessage('No chant project in this workspace.');
        return undefined;
      }
      if (arg !== undefined && !ref) ref = undefined;
      return GraphPanel.show(extensionUri, projects, phases, index, ref?.spec.id);
    },
  });

  const frontmatterSerializer: vscode.WebviewPanelSerializer = {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
      await projects.ready();
      const s = state as { specId?: unknown } | undefined;
      const found = typeof s?.specId === 'string' ? projects.findSpec(s.specId) : undefined;
      if (!found) {
        panel.dispose();
        return;
      }
      const existing = FrontmatterPanel.panels.get(found.spec.path);
      if (existing) {
        panel.dispose();
        existing.panel.reveal();
        return;
      }
      panel.webview.options = webviewOptions(extensionUri);
      // The webview restores its own draft from getState() and sends it with `ready`.
      new FrontmatterPanel(panel, extensionUri, projects, found.index, found.spec.id, found.spec.path);
    },
  };
  const graphSerializer: vscode.WebviewPanelSerializer = {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
      await projects.ready();
      const s = state as { root?: unknown; scope?: unknown } | undefined;
      const index = projects.projects().find((p) => p.paths.root === s?.root) ?? projects.projects()[0];
      if (!index || GraphPanel.panels.has(index.paths.root)) {
        panel.dispose();
        return;
      }
      const scope = parseGraphScope(s?.scope) ?? { kind: 'all' };
      new GraphPanel(panel, extensionUri, projects, phases, index, scope);
    },
  };
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(FRONTMATTER_VIEW_TYPE, frontmatterSerializer),
    vscode.window.registerWebviewPanelSerializer(GRAPH_VIEW_TYPE, graphSerializer),
  );

  // Integration tests reach the panels through this hook (the bundle and the tests are separate
  // module graphs); it exists only in the test extension host.
  if (process.env.CHANT_TEST_WORKSPACE) {
    (globalThis as Record<symbol, unknown>)[Symbol.for('chant.webviews')] = { FrontmatterPanel, GraphPanel, frontmatterSerializer, graphSerializer };
  }
}
