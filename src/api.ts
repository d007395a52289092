// What `activate()` returns: `vscode.extensions.getExtension('chant-vscode.chant-vscode').exports`.
// The integration tests drive the extension through it (the Specs tree's getChildren/getTreeItem,
// the run registry, the panels) instead of scraping the UI. It is not a stable public API for
// other extensions.
import type { RunRegistry } from './runs/runRegistry';
import type { Terminals } from './runs/terminals';
import type { RunLogs } from './runs/runLog';
import type { AgentChoices } from './runs/agentChoice';
import type { ChantMcpServers } from './chat/mcpServers';
import type { RunsTreeProvider } from './views/runsTreeProvider';
import type { SpecTreeProvider } from './views/specTreeProvider';
import type { Webviews } from './webviews/host';
import type { ProjectService } from './workspace/projectService';

export interface ChantApi {
  /** The Specs tree's data provider; `tree.view` is its TreeView (badge, description, message). */
  tree: SpecTreeProvider;
  /** The chant projects of the workspace and their spec indexes. */
  projects: ProjectService;
  /** Agent runs: state per spec, `runningCount`, `onDidChange` and `onDidChangeRunningCount`. */
  runs: RunRegistry;
  /** The run terminals, per spec. */
  terminals: Terminals;
  /** The panel classes (their open panels) and serializers. */
  webviews: Webviews;
  /** The Runs view's data provider. */
  runsView: RunsTreeProvider;
  /** The runs' live logs (transcripts, usage). */
  logs: RunLogs;
  /** The agent and model the workspace's runs use; the agents installed here. */
  agents: AgentChoices;
  /** chant's MCP server as offered to VS Code's agent mode (`servers()`: what the provider answers now). */
  mcpServers: ChantMcpServers;
}
