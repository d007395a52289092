// Every agent format the extension reads, and how a run's format is chosen: the configured one, the
// one its command's program names, or (for a program the extension does not know, such as a
// wrapper script) the first output line only one format prints. No `vscode` import.
import * as path from 'node:path';
import { AGENT_FORMAT_IDS, type AgentFormat, type AgentFormatId, type Json } from './agentFormat';
import { claude } from './claude';
import { codex } from './codex';
import { gemini } from './gemini';
import { opencode } from './opencode';

export type { AgentEvent, AgentFormat, AgentFormatId, FormatReader, TokenCounts } from './agentFormat';
export { parseVersion } from './agentFormat';

/** The agents with a machine-readable format, in the order Choose Agent lists them. */
export const AGENT_FORMATS: readonly AgentFormat[] = [claude, codex, gemini, opencode];

export function agentFormat(id: AgentFormatId | undefined): AgentFormat | undefined {
  return AGENT_FORMATS.find((f) => f.id === id);
}

export function isAgentFormatId(value: unknown): value is AgentFormatId {
  return typeof value === 'string' && (AGENT_FORMAT_IDS as readonly string[]).includes(value);
}

/** The format whose program a command starts (`/usr/local/bin/codex` → codex); undefined for any other program. */
export function formatOfProgram(program: string | undefined): AgentFormat | undefined {
  if (!program) return undefined;
  const name = path.basename(program).replace(/\.(exe|cmd|bat)$/i, '');
  return AGENT_FORMATS.find((f) => f.program === name);
}

/** The format that prints `event`, when exactly one recognizes it. */
export function formatOfEvent(event: Json): AgentFormat | undefined {
  const matches = AGENT_FORMATS.filter((f) => f.recognizes(event));
  return matches.length === 1 ? matches[0] : undefined;
}
