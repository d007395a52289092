// chant's MCP server (`chant mcp`, JSON-RPC over stdio) as VS Code's agent mode is offered it: one
// server per chant project (chant serves the project of its working folder), only when the chant
// CLI is installed and the workspace is trusted (a server runs a program, and chant's tools can
// start agents). No `vscode` import; src/chat/mcpServers.ts hands these to VS Code.

export interface ChantMcpServer {
  /** "chant" for one project; "chant (<folder>)" when the workspace has several. */
  label: string;
  /** The chant executable, by absolute path. */
  command: string;
  args: string[];
  /** The project root: chant reads `.chant/` from its working folder. */
  cwd: string;
  /** chant's version: when it changes, VS Code offers to refresh the server's tools. */
  version?: string;
}

export function chantMcpServers(options: {
  trusted: boolean;
  chant?: string;
  version?: string;
  roots: readonly string[];
}): ChantMcpServer[] {
  if (!options.trusted || !options.chant) return [];
  const several = options.roots.length > 1;
  return options.roots.map((root) => ({
    label: several ? `chant (${root.split(/[\\/]/).filter(Boolean).pop() ?? root})` : 'chant',
    command: options.chant!,
    args: ['mcp'],
    cwd: root,
    ...(options.version ? { version: options.version } : {}),
  }));
}

/** `version` (VS Code's, `1.101.2`, `1.102.0-insider`) is at least major.minor. */
export function atLeast(version: string, major: number, minor: number): boolean {
  const [a, b] = version.split(/[.-]/).map((part) => Number.parseInt(part, 10));
  return Number.isFinite(a) && Number.isFinite(b) && (a > major || (a === major && b >= minor));
}
