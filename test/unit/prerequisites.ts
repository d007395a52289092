// What a suite needs from the machine: the chant corpus beside the repository, or a shell. Without
// it a test skips where a developer runs the suite (visibly: the summary counts skipped tests), and
// FAILS under CI (`CI=true`), where .ci/run provides both, so a CI run can never look green with
// whole suites missing.
import { execFileSync } from 'node:child_process';
import { corpusDir, hasCorpus } from './paths';

const inCi = process.env.CI === 'true';

/** Skips the calling test or hook, or fails it under CI, when `available` is false. */
export function requireOrSkip(context: Mocha.Context, available: boolean, what: string): void {
  if (available) return;
  if (inCi) throw new Error(`${what} is missing: CI must run this test (.ci/run provides it)`);
  context.skip();
}

/** For tests over the corpus: `../shared/corpus` from the repository root, or CHANT_CORPUS. */
export function requireCorpus(context: Mocha.Context): void {
  requireOrSkip(context, hasCorpus, `The chant corpus (${corpusDir}; set CHANT_CORPUS to move it)`);
}

const shellFound = new Map<string, boolean>();

/** Whether `shell -c true` runs here. */
export function hasShell(shell: string): boolean {
  let found = shellFound.get(shell);
  if (found === undefined) {
    try {
      execFileSync(shell, ['-c', 'true'], { stdio: 'ignore' });
      found = true;
    } catch {
      found = false;
    }
    shellFound.set(shell, found);
  }
  return found;
}

export function requireShell(context: Mocha.Context, shell: string): void {
  requireOrSkip(context, hasShell(shell), `The shell '${shell}'`);
}
