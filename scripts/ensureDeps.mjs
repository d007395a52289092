#!/usr/bin/env node
// Makes `npm start` and `npm test` work on a fresh clone: first the system packages they need
// (prerequisites.mjs; `--for start` or `--for test`), then the locked npm dependencies when
// node_modules is missing or older than package-lock.json. Uses only Node built-ins.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePrerequisites } from './prerequisites.mjs';

const purpose = process.argv.includes('--for') ? process.argv[process.argv.indexOf('--for') + 1] : 'start';
ensurePrerequisites(purpose === 'test' ? 'test' : 'start');

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const marker = path.join(repo, 'node_modules', '.package-lock.json');
const lock = path.join(repo, 'package-lock.json');
const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs;
// A linked node_modules (a git worktree sharing another checkout's) is someone else's: npm ci would
// empty the folder it points to, so it is left alone.
const linked = lstatSync(path.join(repo, 'node_modules'), { throwIfNoEntry: false })?.isSymbolicLink();
if (stale && linked) {
  console.log('node_modules is a link to another checkout; not reinstalling it (run npm ci there if needed).');
} else if (stale) {
  console.log('Installing npm dependencies (npm ci)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: repo, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
