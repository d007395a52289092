#!/usr/bin/env node
// `npm run package`: minified build, then `chant-vscode.vsix`, then its file list.
//
// package.json names no repository (this project has no public home yet, and chant's own
// repository is not it), so vsce is told not to rewrite README links to one and not to turn
// `#1234` into links to a foreign issue tracker. README's relative links and images then resolve
// inside the installed extension and on GitHub. To publish with absolute links (the Marketplace
// page), name the repository:
//
//   CHANT_VSCODE_REPOSITORY=https://github.com/<you>/<repo> npm run package
//
// and vsce prefixes README's relative links and images with its `blob/main` and `raw/main` URLs.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8' });
  process.stdout.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  if (result.status !== 0) process.exit(result.status ?? 1);
  return `${result.stdout ?? ''}${result.stderr ?? ''}`;
}

run(process.execPath, ['esbuild.config.mjs', '--production']);
const repository = process.env.CHANT_VSCODE_REPOSITORY?.replace(/\/+$/, '');
const links = repository
  ? ['--baseContentUrl', `${repository}/blob/main`, '--baseImagesUrl', `${repository}/raw/main`]
  : ['--no-rewrite-relative-links'];
const output = run(process.execPath, [
  vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-gitHubIssueLinking', '--no-gitLabIssueLinking',
  ...links, '--out', 'chant-vscode.vsix',
]);
run(process.execPath, [vsce, 'ls', '--no-dependencies']);
// A warning is a defect of the package (a missing field, an SVG in the README, …): fail on it.
if (/\bWARNING\b/i.test(output)) {
  console.error('npm run package: vsce printed a warning (above).');
  process.exit(1);
}
