// What `activate()` returns: `vscode.extensions.getExtension('chant-vscode.chant-vscode').exports`.
// The integration tests drive the Specs tree through it (getChildren/getTreeItem, grouping, filter)
// instead of scraping the UI. It is not a stable public API for other extensions.
import type { RunManager } from './runs/runManager';
import type { SpecTreeProvider } from './views/specTreeProvider';
import type { ProjectService } from './workspace/projectService';

export interface ChantApi {
  /** The Specs tree's data provider; `tree.view` is its TreeView (badge, description, message). */
  tree: SpecTreeProvider;
  /** The chant projects of the workspace and their spec indexes. */
  projects: ProjectService;
  /** Agent runs: state per spec, `runningCount` and `onDidChangeRunningCount` (status bar). */
  runs: RunManager;
}
