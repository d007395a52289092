// The agent a run uses, as the Runs view names it: the program of `chant.agent.command` (claude by
// default), and for an interpreter (`node agent.js`) the script it runs. No `vscode` import.
import * as path from 'node:path';

const INTERPRETERS = new Set(['node', 'python', 'python3', 'sh', 'bash', 'deno', 'bun', 'npx']);

/** `claude`, `node scriptedAgent.js`; from the setting (empty: chant's claude command). */
export function agentName(_commandLine: string, template: string): string {
  const words = template.trim().split(/\s+/).filter((w) => w && !/^[A-Z_][A-Z0-9_]*=/.test(w));
  if (words.length === 0) return 'claude';
  const program = path.basename(words[0].replace(/^['"]|['"]$/g, ''));
  if (INTERPRETERS.has(program) && words[1] && !words[1].startsWith('-')) return `${program} ${path.basename(words[1].replace(/^['"]|['"]$/g, ''))}`;
  return program;
}
