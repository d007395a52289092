// The agent's copy of its spec (in its worktree) can hold more than ticks: notes, a new section, a
// rewritten step. In silent mode git does not carry that copy anywhere, so before a worktree is
// removed (Start Over, Merge) or when a finished run cannot take the copy whole, the copy is kept
// in the main checkout as `.chant/tmp/agent-copies/<id>.<label>.md`: not under specs/, so it never
// becomes a second spec with the same id, and the user is told where it is. No `vscode` import.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { splitFrontmatter } from '../spec/frontmatter';
import { readProjectFile, writeProjectFile } from '../project/safeFiles';

/** Whether the agent's copy holds something the main spec lacks: its body (below the frontmatter) differs. */
export function agentCopyDiffers(mainText: string, agentText: string): boolean {
  return splitFrontmatter(mainText).body !== splitFrontmatter(agentText).body;
}

export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Keeps `text` (the agent's copy of spec `id`) under the project; returns its project-relative path. */
export async function keepAgentSpecCopy(root: string, id: string, label: string, text: string): Promise<string> {
  const dir = path.join(root, '.chant', 'tmp', 'agent-copies');
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_');
  for (let n = 1; ; n++) {
    const file = path.join(dir, `${safe(id)}.${safe(label)}${n > 1 ? `-${n}` : ''}.md`);
    const existing = await readProjectFile(root, file);
    if (existing === text) return path.relative(root, file).split(path.sep).join('/');
    if (existing !== undefined) continue;
    try {
      await writeProjectFile(root, file, text, { exclusive: true });
      return path.relative(root, file).split(path.sep).join('/');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
