// Locations the tests share. Compiled tests live in out-test/test/unit, three levels below the repo.
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
/** The read-only corpus beside the repository. Tests that use it skip when it is absent. */
export const corpusDir = process.env.CHANT_CORPUS ?? path.resolve(repoRoot, '..', 'shared', 'corpus');
export const hasCorpus = existsSync(corpusDir);
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');
/** The stream filter the agent wrapper runs, as compiled beside these tests (src/streamFilter.ts). */
export const streamFilterScript = path.resolve(__dirname, '..', '..', 'src', 'streamFilter.js');

/** Every `.md` file below `dir`, sorted, for the tests that sweep the corpus. */
export function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...markdownFiles(full));
    else if (name.endsWith('.md')) out.push(full);
  }
  return out.sort();
}
