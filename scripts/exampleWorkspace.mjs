#!/usr/bin/env node
// Throw-away copies of sample workspaces, each in its own fresh git repository, so that `npm start`
// and the tests can let chant (and the extension) commit, branch and dirty files freely without
// ever touching this project's own git history.
//
//   node scripts/exampleWorkspace.mjs [destDir]    prepare the kvstore example, print its path
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const EXAMPLE_DIR = path.join(REPO_ROOT, 'examples', 'kvstore');
export const FIXTURE_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace');

/**
 * Copies examples/kvstore into `destDir` (default: a new folder under the OS temp dir) as a git
 * repo in chant's silent mode: `.chant/` is listed in .git/info/exclude before the first commit,
 * so the specs exist on disk but are never committed (what `chant silent` sets up).
 * @returns {string} the absolute path of the prepared workspace
 */
export function prepareExampleWorkspace(destDir) {
  if (!fs.existsSync(EXAMPLE_DIR)) {
    throw new Error(`The example workspace ${path.relative(REPO_ROOT, EXAMPLE_DIR)}/ does not exist (yet).`);
  }
  return prepareWorkspace(EXAMPLE_DIR, { destDir, silent: true, prefix: 'chant-kvstore-' });
}

/**
 * Copies any folder into a fresh git repository with one commit on `main`.
 * @param {string} sourceDir
 * @param {{destDir?: string, silent?: boolean, prefix?: string}} [options]
 *        silent: exclude `.chant/` from git (chant's silent mode); otherwise it is committed too.
 */
export function prepareWorkspace(sourceDir, { destDir, silent = false, prefix = 'chant-workspace-' } = {}) {
  const dest = destDir ? path.resolve(destDir) : fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (fs.existsSync(dest) && fs.readdirSync(dest).length > 0) {
    throw new Error(`Refusing to prepare a workspace in a folder that is not empty: ${dest}`);
  }
  // A copy of a checkout could drag a nested .git along; the workspace gets its own history.
  fs.cpSync(sourceDir, dest, { recursive: true, filter: (src) => path.basename(src) !== '.git' });

  // No inherited GIT_DIR & co.: inside a git hook or `git rebase -x` they would point at our repo.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('GIT_')));
  const git = (...args) => execFileSync('git', args, { cwd: dest, env, stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q', '-b', 'main');
  // Local identity, so commits work on machines (CI) with no global git config.
  git('config', 'user.name', 'Chant Example');
  git('config', 'user.email', 'example@chant.invalid');
  git('config', 'commit.gpgsign', 'false');
  if (silent) fs.appendFileSync(path.join(dest, '.git', 'info', 'exclude'), '\n# chant silent mode\n.chant/\n');
  git('add', '-A');
  git('commit', '-q', '--no-verify', '-m', 'Initial commit');
  return dest;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(prepareExampleWorkspace(process.argv[2]));
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
