#!/usr/bin/env node
// `npm run package`: minified build, then `chant-vscode.vsix`, then its file list.
//
// The package's README is made from README.md by scripts/packageReadme.mjs (out/package/README.md),
// because VS Code's extension page resolves no relative link or picture: without a repository its
// pictures are inlined as data: URLs and links to repository files become their text. package.json
// names no repository (this project has no public home yet, and chant's own repository is not it),
// so vsce is also told not to turn `#1234` into links to a foreign issue tracker. For a Marketplace
// upload (which wants https pictures), name the repository:
//
//   CHANT_VSCODE_REPOSITORY=https://github.com/<you>/<repo> npm run package
//
// and the pictures and file links point at its `raw/main` and `blob/main` URLs, which vsce checks.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageReadme } from './packageReadme.mjs';

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
if (repository !== undefined && !/^https:\/\/[^\s/]+\/\S+$/.test(repository)) {
  console.error(`npm run package: CHANT_VSCODE_REPOSITORY must be an https URL, not "${repository}".`);
  process.exit(1);
}
// .vscodeignore ships this file, not README.md; vsce packs it as the extension's readme.md.
const readme = path.join('out', 'package', 'README.md');
fs.mkdirSync(path.join(root, path.dirname(readme)), { recursive: true });
fs.writeFileSync(path.join(root, readme), packageReadme(fs.readFileSync(path.join(root, 'README.md'), 'utf8'), { root, repository }));
// With a repository every target is already absolute; vsce's rewriting then only checks the pictures
// are https, as the Marketplace requires.
const links = repository
  ? ['--baseContentUrl', `${repository}/blob/main`, '--baseImagesUrl', `${repository}/raw/main`]
  : ['--no-rewrite-relative-links'];
const output = run(process.execPath, [
  vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-gitHubIssueLinking', '--no-gitLabIssueLinking',
  '--readme-path', readme, ...links, '--out', 'chant-vscode.vsix',
]);
run(process.execPath, [vsce, 'ls', '--no-dependencies', '--readme-path', readme]);
// A warning is a defect of the package (a missing field, an SVG in the README, …): fail on it.
if (/\bWARNING\b/i.test(output)) {
  console.error('npm run package: vsce printed a warning (above).');
  process.exit(1);
}
