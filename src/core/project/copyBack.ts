// Bringing a file an agent wrote in its worktree back to the main checkout without ever losing a
// byte of the user's: a file the agent did not change (compared with what it started from) is not
// copied; a new file is created; a file the main checkout still holds exactly as the agent got it is
// updated; anything else (the user edited it meanwhile, or it is a file the agent never saw, like
// an ignored `.env`) is kept as it is, and the agent's version is put beside it under a name the
// user sees. Writes are atomic. Symlinks are never followed on either side. No `vscode` import.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from './atomicWrite';

/** sha256 of a regular file's bytes; null when there is none (missing, a folder, a symlink). */
export async function hashFile(file: string): Promise<string | null> {
  const stat = await fs.lstat(file).catch(() => undefined);
  if (!stat?.isFile()) return null;
  return createHash('sha256').update(await fs.readFile(file)).digest('hex');
}

export type CopyBackOutcome =
  | { kind: 'unchanged' | 'same' | 'not-a-file' }
  | { kind: 'created' | 'updated'; target: string }
  | { kind: 'kept-beside'; target: string; beside: string };

/** `notes.md` → `notes.agent-<label>.md` (then `-2`, `-3` …): beside the original, same extension. */
export function besideName(target: string, label: string, n = 1): string {
  const ext = path.extname(target);
  const stem = target.slice(0, target.length - ext.length);
  const tag = label.replace(/[^A-Za-z0-9._-]/g, '_');
  return `${stem}.agent-${tag}${n > 1 ? `-${n}` : ''}${ext}`;
}

/**
 * Copies `source` (the agent's file) to `target` (the main checkout) by the rules above. `baseline`
 * is the hash of what the agent started from at that path (null: nothing; undefined: unknown, which
 * counts as nothing).
 */
export async function copyBack(
  source: string,
  target: string,
  baseline: string | null | undefined,
  label: string,
): Promise<CopyBackOutcome> {
  const agent = await hashFile(source);
  if (agent === null) return { kind: 'not-a-file' };
  if (agent === (baseline ?? null)) return { kind: 'unchanged' };
  const targetStat = await fs.lstat(target).catch(() => undefined);
  const main = targetStat ? await hashFile(target) : null;
  if (main === agent) return { kind: 'same' };
  const bytes = await fs.readFile(source);
  if (!targetStat) {
    await fs.mkdir(path.dirname(target), { recursive: true });
    try {
      await writeFileAtomic(target, bytes, { exclusive: true });
      return { kind: 'created', target };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Created meanwhile: fall through to keeping both.
    }
  } else if (main !== null && main === (baseline ?? null)) {
    await writeFileAtomic(target, bytes);
    return { kind: 'updated', target };
  }
  for (let n = 1; ; n++) {
    const beside = besideName(target, label, n);
    if ((await hashFile(beside)) === agent) return { kind: 'kept-beside', target, beside };
    try {
      await writeFileAtomic(beside, bytes, { exclusive: true });
      return { kind: 'kept-beside', target, beside };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
