#!/usr/bin/env node
// `npm start`: try the extension by hand in a real VS Code in your browser. Builds the extension,
// opens a fresh copy of examples/kvstore in code-server with the extension loaded from source, and
// prints the URL. Ctrl-C stops it.
//
// The extension is installed as a link to this repository in npm start's own extensions folder,
// not passed as `extensionDevelopmentPath`: so the URL needs no payload (it is just the address), the
// window title names the workspace instead of "[Extension Development Host]", and a rebuild
// (`--watch`) is picked up by "Developer: Reload Window" all the same.
//
//   npm start [-- --port 9000] [-- --watch] [-- --workspace DIR]
//
//   --port N         default $PORT or 8080 (bound to 127.0.0.1 only; forward it to reach it remotely)
//   --watch          rebuild on change; "Developer: Reload Window" in VS Code picks the build up
//   --workspace DIR  open DIR itself instead of a copy of the example
//
// Settings and UI state persist between runs in .vscode-test/start-user-data/.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, startCodeServer, workbenchUrl } from './codeServer.mjs';
import { prepareExampleWorkspace } from './exampleWorkspace.mjs';

const { values: options } = parseArgs({
  options: {
    port: { type: 'string' },
    watch: { type: 'boolean', default: false },
    workspace: { type: 'string' },
  },
});
const port = Number(options.port ?? process.env.PORT ?? 8080);
if (!Number.isInteger(port) || port <= 0 || port > 65535) fail(`Not a port: ${options.port ?? process.env.PORT}`);

try {
  const build = spawnSync(npm().command, [...npm().args, 'run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (build.status !== 0) fail('The build failed.');
  if (!(await portIsFree(port))) fail(`Port ${port} is in use; pick another with --port or PORT.`);

  const workspace = options.workspace ? path.resolve(options.workspace) : prepareExampleWorkspace();
  const extensionsDir = path.join(REPO_ROOT, '.vscode-test', 'start-extensions');
  linkExtension(extensionsDir);
  const server = await startCodeServer({
    workspace,
    port,
    userDataDir: path.join(REPO_ROOT, '.vscode-test', 'start-user-data'),
    extensionsDir,
    logFile: path.join(REPO_ROOT, '.vscode-test', 'start-code-server.log'),
  });
  const watcher = options.watch
    ? spawn(process.execPath, ['esbuild.config.mjs', '--watch'], { cwd: REPO_ROOT, stdio: 'inherit' })
    : undefined;

  // code-server opens the workspace it was started with, so the address alone is the URL.
  const url = workbenchUrl({ port });
  console.log(`\nChant is running in VS Code (code-server) on ${workspace}`);
  console.log(`\n  Open: ${url}\n`);
  console.log(options.workspace ? 'Ctrl-C stops it.' : 'Ctrl-C stops it. The workspace copy stays where it is.');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    watcher?.kill();
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

/**
 * Installs this repository as an extension of `extensionsDir` by link: VS Code loads an installed
 * extension from the folder its extensions.json names, and a link there points at the live build.
 */
function linkExtension(extensionsDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`;
  const folderName = `${id}-${manifest.version}`;
  const link = path.join(extensionsDir, folderName);
  fs.mkdirSync(extensionsDir, { recursive: true });
  for (const entry of fs.readdirSync(extensionsDir)) {
    if (!entry.startsWith(`${id}-`)) continue;
    // An earlier link is unlinked (never followed); an installed copy is removed.
    const old = path.join(extensionsDir, entry);
    fs.rmSync(old, { recursive: !fs.lstatSync(old).isSymbolicLink(), force: true });
  }
  fs.symlinkSync(REPO_ROOT, link, 'dir');
  const location = { $mid: 1, fsPath: link, external: `file://${link}`, path: link, scheme: 'file' };
  const entry = { identifier: { id }, version: manifest.version, location, relativeLocation: folderName, metadata: { installedTimestamp: Date.now(), source: 'vsix' } };
  fs.writeFileSync(path.join(extensionsDir, 'extensions.json'), JSON.stringify([entry]));
}

function npm() {
  const cli = process.env.npm_execpath;
  return cli && cli.endsWith('.js') ? { command: process.execPath, args: [cli] } : { command: 'npm', args: [] };
}

function portIsFree(candidate) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(candidate, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function fail(message) {
  console.error(`npm start: ${message}`);
  process.exit(1);
}
