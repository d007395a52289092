#!/usr/bin/env node
// A real VS Code for tests and `npm start`, without internet: code-server ships the VS Code server
// and web workbench (same extension host, terminals and git as desktop VS Code). See
// ../shared/VSCODE-HEADLESS.md for why this works here and what each workaround is for.
//
// code-server is ~300 MB with native modules, so it is NOT a dependency of the extension: it is
// installed on demand into the git-ignored cache `.vscode-test/code-server/` (the folder
// @vscode/test-electron uses for its downloads) and reused by every later run.
//
//   node scripts/codeServer.mjs            install if needed, print the version
//   import { ensureCodeServer, startCodeServer, workbenchUrl } from './codeServer.mjs'
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE_DIR = path.join(REPO_ROOT, '.vscode-test', 'code-server');

const PACKAGE_DIR = path.join(CACHE_DIR, 'node_modules', 'code-server');
const ENTRY = path.join(PACKAGE_DIR, 'out', 'node', 'entry.js');
const MARKER = path.join(CACHE_DIR, '.installed.json');
const LOCK_DIR = `${CACHE_DIR}.lock`;
const INSTALL_LOG = path.join(CACHE_DIR, 'install.log');

// @vscode/ripgrep (a code-server dependency) downloads rg from GitHub in its postinstall, which
// is unreachable here. It first looks for the release asset in this cache, so we put Debian's rg there.
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';
const RIPGREP_TARGETS = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };

/** Settings every session gets unless the caller overrides them: no welcome page, no network chatter. */
const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.commandCenter.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};

const log = (message) => console.log(`[code-server] ${message}`);

// ---------------------------------------------------------------------------------------------
// Install
// ---------------------------------------------------------------------------------------------

/**
 * Installs code-server into the cache unless a matching install is already there.
 * Returns the path of its entry script (run it with the current Node).
 */
export async function ensureCodeServer() {
  if (isInstalled()) return ENTRY;
  await withInstallLock(async () => {
    if (isInstalled()) return; // another process finished the install while we waited
    await install();
  });
  return ENTRY;
}

function isInstalled() {
  try {
    const marker = JSON.parse(fs.readFileSync(MARKER, 'utf8'));
    // Native modules (node-pty, argon2, …) are built for one Node ABI; a new major needs a rebuild.
    return (
      marker.version === CODE_SERVER_VERSION &&
      marker.nodeMajor === process.versions.node.split('.')[0] &&
      fs.existsSync(ENTRY)
    );
  } catch {
    return false;
  }
}

async function install() {
  checkPrerequisites();
  const started = Date.now();
  fs.rmSync(CACHE_DIR, { recursive: true, force: true }); // a half-finished install is not worth repairing
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  seedRipgrepCache();

  // The cache folder is its own tiny npm project, so npm's `allowScripts` policy applies to it:
  // code-server's postinstall (builds VS Code's native modules: node-pty, kerberos, spdlog, and puts
  // rg in place) and argon2's (builds from source when its prebuilt download fails) must run.
  // Name-only for argon2 because code-server asks for a range and we keep no lockfile here.
  const manifest = {
    name: 'chant-code-server-cache',
    private: true,
    description: 'On-demand code-server for Chant tests; created by scripts/codeServer.mjs',
    dependencies: { 'code-server': CODE_SERVER_VERSION },
    allowScripts: { [`code-server@${CODE_SERVER_VERSION}`]: true, argon2: true },
  };
  fs.writeFileSync(path.join(CACHE_DIR, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  log(`installing code-server@${CODE_SERVER_VERSION} into ${path.relative(REPO_ROOT, CACHE_DIR)} (about a minute)…`);
  const out = fs.openSync(INSTALL_LOG, 'w');
  const npm = npmCommand();
  const child = spawn(npm.command, [...npm.args, 'install', '--no-audit', '--no-fund', '--no-package-lock'], {
    cwd: CACHE_DIR,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      // code-server's postinstall refuses to run as root without it.
      npm_config_unsafe_perm: 'true',
      // node-pty's build calls `npx node-gyp`, which would stop at an install prompt.
      npm_config_yes: 'true',
      // The postinstall runs nested `npm install`s in lib/vscode whose own package.json has no
      // allowScripts; those must run with the default notice, even if a user config made it strict.
      npm_config_strict_allow_scripts: 'false',
      // node-gyp downloads Node headers from nodejs.org unless told where the installed ones are.
      ...nodeHeadersEnv(),
    },
  });
  const [code] = await once(child, 'exit');
  fs.closeSync(out);
  if (code !== 0) {
    throw new Error(`npm install code-server failed (exit ${code}). Last lines of ${INSTALL_LOG}:\n${tail(INSTALL_LOG, 40)}`);
  }
  verifyInstall();
  fs.writeFileSync(
    MARKER,
    `${JSON.stringify({ version: CODE_SERVER_VERSION, nodeMajor: process.versions.node.split('.')[0], installedAt: new Date().toISOString() }, null, 2)}\n`,
  );
  log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Fails early, with the fix, instead of deep inside a native build 40 s later. */
function checkPrerequisites() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) {
    throw new Error(`code-server@${CODE_SERVER_VERSION} needs Node 20 (found ${process.version}); newer lines need Node 22+.`);
  }
  if (process.platform !== 'linux' || !RIPGREP_TARGETS[process.arch]) {
    throw new Error(`The offline code-server install is only set up for Linux x64/arm64 (found ${process.platform}/${process.arch}).`);
  }
  const missing = [];
  if (!which('rg')) missing.push('ripgrep');
  if (!which('krb5-config')) missing.push('libkrb5-dev');
  for (const tool of ['make', 'g++', 'python3']) if (!which(tool)) missing.push(tool);
  if (missing.length > 0) {
    throw new Error(`code-server's install needs: ${missing.join(', ')}. Install with: apt-get install -y ${missing.join(' ')}`);
  }
}

function seedRipgrepCache() {
  const dir = path.join(os.tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const asset = path.join(dir, `ripgrep-${RIPGREP_RELEASE}-${RIPGREP_TARGETS[process.arch]}.tar.gz`);
  if (fs.existsSync(asset)) return;
  fs.mkdirSync(dir, { recursive: true });
  const rg = fs.realpathSync(which('rg'));
  // The asset holds a single file named `rg` at its root, which the postinstall unpacks into bin/.
  const result = spawnSync('tar', ['-czf', asset, '-C', path.dirname(rg), path.basename(rg)], { encoding: 'utf8' });
  if (result.status !== 0 || path.basename(rg) !== 'rg') {
    fs.rmSync(asset, { force: true });
    throw new Error(`Could not seed the ripgrep cache from ${rg}: ${result.stderr}`);
  }
}

/** A postinstall that "succeeded" may still have skipped a native build; check what we rely on. */
function verifyInstall() {
  const vscodeModules = path.join(PACKAGE_DIR, 'lib', 'vscode', 'node_modules');
  // argon2 is imported by code-server at startup; the others are VS Code's (node-pty = terminals).
  const probe = [
    "const { createRequire } = require('node:module');",
    `createRequire(${JSON.stringify(path.join(PACKAGE_DIR, 'package.json'))})('argon2');`,
    `const vs = createRequire(${JSON.stringify(path.join(PACKAGE_DIR, 'lib', 'vscode', 'package.json'))});`,
    "vs('node-pty'); vs('kerberos'); vs('@vscode/spdlog');",
  ].join('\n');
  const loaded = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
  const rg = path.join(vscodeModules, '@vscode', 'ripgrep', 'bin', 'rg');
  const version = codeServerVersion();
  const problems = [];
  if (loaded.status !== 0) problems.push(`native modules do not load:\n${loaded.stderr}`);
  if (!fs.existsSync(rg)) problems.push(`ripgrep missing at ${rg}`);
  if (version.status !== 0 || !version.stdout.includes(CODE_SERVER_VERSION)) problems.push(`--version failed:\n${version.stderr}`);
  if (problems.length > 0) {
    throw new Error(`code-server installed but is not usable (see ${INSTALL_LOG}):\n${problems.join('\n')}`);
  }
}

/** Serializes installs across processes (`npm start` and `npm test` in two terminals). */
async function withInstallLock(fn) {
  fs.mkdirSync(path.dirname(LOCK_DIR), { recursive: true });
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      fs.writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (lockIsStale()) {
        fs.rmSync(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for another code-server install (${LOCK_DIR}).`);
      await sleep(1000);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

function lockIsStale() {
  try {
    process.kill(Number(fs.readFileSync(path.join(LOCK_DIR, 'pid'), 'utf8')), 0);
    return false;
  } catch (error) {
    // ENOENT: the holder has not written its pid yet, give it a moment. ESRCH: the holder died.
    return error.code === 'ESRCH';
  }
}

function codeServerVersion() {
  // --config: even `--version` writes a default ~/.config/code-server/config.yaml otherwise.
  const config = path.join(CACHE_DIR, 'code-server.yaml');
  return spawnSync(process.execPath, [ENTRY, '--config', config, '--version'], { encoding: 'utf8' });
}

function npmCommand() {
  // Under `npm run`, reuse the very npm that runs us; otherwise whatever `npm` is on PATH.
  const cli = process.env.npm_execpath;
  if (cli && cli.endsWith('.js')) return { command: process.execPath, args: [cli] };
  return { command: 'npm', args: [] };
}

function nodeHeadersEnv() {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node.h')) ? { npm_config_nodedir: prefix } : {};
}

// ---------------------------------------------------------------------------------------------
// Start
// ---------------------------------------------------------------------------------------------

/**
 * Starts code-server on `workspace`, bound to 127.0.0.1 only, and resolves once it answers HTTP.
 *
 * @param {object} options
 * @param {string} options.workspace      folder to open
 * @param {number} [options.port]         default: a free port
 * @param {string} [options.userDataDir]  default: a fresh temp folder (removed by stop())
 * @param {string} [options.extensionsDir] default: a fresh temp folder (removed by stop())
 * @param {Record<string, unknown>} [options.settings] user settings, merged over DEFAULT_SETTINGS
 * @param {Record<string, unknown>} [options.machineSettings] settings of `machine` scope (the Remote tab)
 * @param {Record<string, string>} [options.env] extra environment for the server, its extension
 *        host and terminals (how tests pass paths into the extension host)
 * @param {boolean} [options.workspaceTrust] keep VS Code's workspace trust on (default off: its
 *        dialog blocks the UI); the Restricted Mode test turns it on and answers the dialog
 * @param {string} [options.logFile]      where the server's output goes (default: kept in memory,
 *        printed only if the server fails to start)
 * @returns {Promise<{url: string, port: number, userDataDir: string, stop: () => Promise<void>}>}
 */
export async function startCodeServer(options) {
  const entry = await ensureCodeServer();
  const workspace = path.resolve(options.workspace);
  if (!fs.statSync(workspace, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`Workspace folder does not exist: ${workspace}`);
  }
  const port = options.port ?? (await freePort());
  const ownedDirs = [];
  const tempDir = (prefix) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    ownedDirs.push(dir);
    return dir;
  };
  const userDataDir = path.resolve(options.userDataDir ?? tempDir('chant-cs-user-'));
  const extensionsDir = path.resolve(options.extensionsDir ?? tempDir('chant-cs-ext-'));
  writeUserSettings(userDataDir, options.settings);
  if (options.machineSettings) writeMachineSettings(userDataDir, options.machineSettings);
  // Our own config file, so code-server neither reads nor writes ~/.config/code-server/config.yaml.
  const configFile = path.join(userDataDir, 'code-server.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');

  // VS Code shows the themes "of the extension under development" instead of the configured one
  // when their files lie inside its folder, and so do all built-in themes of this cache inside our
  // repo. A link from outside the repo gives the built-in extensions a location of their own.
  const builtinLink = path.join(tempDir('chant-cs-builtin-'), 'extensions');
  fs.symlinkSync(path.join(PACKAGE_DIR, 'lib', 'vscode', 'extensions'), builtinLink);

  const args = [
    entry,
    '--builtin-extensions-dir', builtinLink,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']), // otherwise a trust dialog blocks the UI
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    workspace,
  ];
  const env = { ...process.env, ...options.env };
  // Inside a VS Code terminal, code-server would hand the folder to that VS Code instead of starting.
  delete env.VSCODE_IPC_HOOK_CLI;
  delete env.PORT; // code-server reads $PORT and it would override --bind-addr

  const output = options.logFile ? fs.openSync(options.logFile, 'w') : 'pipe';
  // detached: own process group, so stop() also ends the extension host, pty host and terminals.
  const child = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', output, output] });
  let recent = '';
  const remember = (chunk) => (recent = (recent + chunk).slice(-8000));
  child.stdout?.on('data', remember);
  child.stderr?.on('data', remember);
  const exited = once(child, 'exit');

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    killGroup(child.pid, 'SIGKILL'); // stragglers that ignored SIGTERM (ptys, watchers)
    if (typeof output === 'number') fs.closeSync(output);
    for (const dir of ownedDirs) fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    await Promise.race([
      waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000),
      exited.then(([code]) => {
        throw new Error(`code-server exited with ${code} before answering`);
      }),
    ]);
  } catch (error) {
    await stop();
    const where = options.logFile ? `see ${options.logFile}` : `output:\n${recent}`;
    throw new Error(`${error.message} (port ${port}); ${where}`);
  }
  return { url: workbenchUrl({ port, folder: workspace }), port, userDataDir, stop };
}

/**
 * The workbench URL. `payload` is how the web workbench takes what desktop VS Code gets as command
 * line flags (VS Code's own browser integration tests use it): extensionDevelopmentPath loads our
 * extension from source, extensionTestsPath runs a mocha suite inside the extension host.
 */
export function workbenchUrl({ port, folder, extensionDevelopmentPath, extensionTestsPath }) {
  const url = new URL(`http://127.0.0.1:${port}/`);
  if (folder) url.searchParams.set('folder', path.resolve(folder));
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remoteUri(port, extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(port, extensionTestsPath)]);
  if (payload.length > 0) {
    payload.push(['skipWelcome', 'true']);
    url.searchParams.set('payload', JSON.stringify(payload));
  }
  return url.toString();
}

/** A path on the code-server machine, as the web workbench names it. */
export function remoteUri(port, absolutePath) {
  return `vscode-remote://127.0.0.1:${port}${pathToFileURL(path.resolve(absolutePath)).pathname}`;
}

/**
 * Writes User/settings.json: our defaults, then what the file already holds (a persistent user data
 * dir keeps the user's own changes), then `settings`. A file we cannot parse (it has comments) is
 * left alone rather than rewritten.
 */
function writeUserSettings(userDataDir, settings = {}) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  let existing = {};
  if (fs.existsSync(file)) {
    try {
      existing = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      if (Object.keys(settings).length > 0) log(`not touching ${file}: it is not plain JSON`);
      return;
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ ...DEFAULT_SETTINGS, ...existing, ...settings }, null, 2)}\n`);
}

/**
 * Writes Machine/settings.json, the Remote tab: where code-server (a remote window) reads settings of
 * `machine` scope, which it ignores in User/settings.json (e.g. workbench.welcomePage.walkthroughs.openOnInstall).
 */
function writeMachineSettings(userDataDir, settings) {
  const file = path.join(userDataDir, 'Machine', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
}

/**
 * Merges `settings` into the Remote tab (Machine/settings.json) of a running server: where a remote
 * window reliably reads `machine`-scoped settings (chant.agent.command, chant.runner, ...); a value of
 * undefined removes the key. Takes effect when a workbench (re)loads.
 */
export function updateMachineSettings(userDataDir, settings) {
  const file = path.join(userDataDir, 'Machine', 'settings.json');
  let existing = {};
  try {
    existing = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    // No Remote settings yet.
  }
  writeMachineSettings(userDataDir, { ...existing, ...settings });
}

/** Rewrites the user settings of a running server; takes effect when a workbench (re)loads. */
export function updateUserSettings(userDataDir, settings) {
  writeUserSettings(userDataDir, settings);
}

async function freePort() {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

async function waitForHttp(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await new Promise((resolve) => {
      const request = http.get(url, { timeout: 2000 }, (response) => {
        response.resume();
        resolve(response.statusCode);
      });
      request.on('error', () => resolve(0));
      request.on('timeout', () => request.destroy());
    });
    if (status >= 200 && status < 400) return;
    if (Date.now() > deadline) throw new Error(`code-server did not answer ${url} within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

// ---------------------------------------------------------------------------------------------

function which(command) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

function tail(file, lines) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await ensureCodeServer();
    log(`ready: ${codeServerVersion().stdout.trim().split('\n').pop()}`);
  } catch (error) {
    console.error(`[code-server] ${error.message}`);
    process.exit(1);
  }
}
