// chant's MCP server in VS Code's agent mode, with no setup: an MCP server definition provider
// (`contributes.mcpServerDefinitionProviders`, id `chant.mcpServers`) offering `chant mcp` (stdio)
// for each chant project when the chant CLI is installed and the workspace is trusted
// (core/workflow/chantMcp.ts). The list changes when trust is granted, the CLI setting changes or
// projects come and go.
//
// The provider API is stable from VS Code 1.101; on an older VS Code it is absent and nothing is
// registered (the definitions are still what `servers()` answers, for the Check Agent report and tests).
import * as vscode from 'vscode';
import { atLeast, chantMcpServers, type ChantMcpServer } from '../core/workflow/chantMcp';
import { findChantCli } from '../language/chantCliLint';
import { Disposable } from '../lifecycle';
import { log } from '../log';
import { settings } from '../settings';
import { versionOf } from '../workspace/executables';
import type { ProjectService } from '../workspace/projectService';
import { parseVersion } from '../core/runs/agents';

export const MCP_PROVIDER_ID = 'chant.mcpServers';


/** The VS Code 1.101 API used here (stable there), typed locally while the engine allows 1.100. */
interface McpStdioServerDefinitionClass {
  new (
    label: string,
    command: string,
    args?: string[],
    env?: Record<string, string | number | null>,
    version?: string,
  ): { cwd?: vscode.Uri };
}
interface McpApi {
  registerMcpServerDefinitionProvider(
    id: string,
    provider: {
      onDidChangeMcpServerDefinitions?: vscode.Event<void>;
      provideMcpServerDefinitions(token: vscode.CancellationToken): vscode.ProviderResult<unknown[]>;
    },
  ): vscode.Disposable;
}

export class ChantMcpServers extends Disposable {
  private readonly changeEmitter = this._register(new vscode.EventEmitter<void>());

  constructor(private readonly projects: ProjectService) {
    super();
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.changeEmitter.fire()));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => settings.cliPath.affectedBy(e) && this.changeEmitter.fire()),
    );
    // Spec edits change nothing here: only a project appearing or going does.
    let roots = '';
    this._register(
      projects.onDidChange(() => {
        const now = projects.projects().map((p) => p.paths.root).join('\n');
        if (now !== roots) {
          roots = now;
          this.changeEmitter.fire();
        }
      }),
    );
    const lm = vscode.lm as unknown as Partial<McpApi>;
    const Definition = (vscode as unknown as { McpStdioServerDefinition?: McpStdioServerDefinitionClass })
      .McpStdioServerDefinition;
    // 1.100 has a proposed API of the same name that wants another contribution point: only the stable one.
    if (!atLeast(vscode.version, 1, 101) || typeof lm.registerMcpServerDefinitionProvider !== 'function' || !Definition) return;
    try {
      this._register(
        lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
          onDidChangeMcpServerDefinitions: this.changeEmitter.event,
          provideMcpServerDefinitions: async () =>
            (await this.servers()).map((server) => {
              const definition = new Definition(server.label, server.command, server.args, {}, server.version);
              definition.cwd = vscode.Uri.file(server.cwd);
              return definition;
            }),
        }),
      );
    } catch (error) {
      // A VS Code that refuses the provider must not stop the extension: agent mode just lacks chant's server.
      log.warn(`chant's MCP server is not offered to agent mode: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** What the provider offers now: `chant mcp` per project, or nothing (no chant CLI, or Restricted Mode). */
  async servers(): Promise<ChantMcpServer[]> {
    const trusted = vscode.workspace.isTrusted;
    const chant = trusted ? await findChantCli() : undefined;
    const answer = chant ? await versionOf(chant) : undefined;
    await this.projects.ready();
    return chantMcpServers({
      trusted,
      chant,
      version: answer ? (parseVersion(answer) ?? answer) : undefined,
      roots: this.projects.projects().map((p) => p.paths.root),
    });
  }
}
