// The two panels' serializers, so open panels come back after a window reload (with the form's
// unsaved draft). Their commands are in the command table (src/commands/index.ts).
import * as vscode from 'vscode';
import type { PhaseDefinition } from '../../core/workflow/phases';
import type { ProjectService } from '../../workspace/projectService';
import { FRONTMATTER_VIEW_TYPE, GRAPH_VIEW_TYPE, parseGraphScope } from '../protocol';
import { FrontmatterPanel } from './frontmatterPanel';
import { GraphPanel } from './graphPanel';
import type { GateStates } from '../../investigation/gateStates';
import { investigationSerializer } from './investigationPanel';
import { INVESTIGATION_VIEW_TYPE } from '../protocol';
import { webviewOptions } from './webviewHtml';

export { FrontmatterPanel, GraphPanel };

/** The panel classes and serializers, which the integration tests drive through the extension's API. */
export interface Webviews {
  FrontmatterPanel: typeof FrontmatterPanel;
  GraphPanel: typeof GraphPanel;
  frontmatterSerializer: vscode.WebviewPanelSerializer;
  graphSerializer: vscode.WebviewPanelSerializer;
}

export function registerWebviews(
  context: vscode.ExtensionContext,
  projects: ProjectService,
  phases: () => readonly PhaseDefinition[],
  gates?: GateStates,
): Webviews {
  const extensionUri = context.extensionUri;

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
    vscode.window.registerWebviewPanelSerializer(
      INVESTIGATION_VIEW_TYPE,
      investigationSerializer({ extensionUri, projects, phases, gates }),
    ),
  );

  return { FrontmatterPanel, GraphPanel, frontmatterSerializer, graphSerializer };
}
