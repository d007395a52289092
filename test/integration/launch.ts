// Runs the integration suite (index.ts) inside a real VS Code extension host, with one of two
// launchers:
//
// - electron: @vscode/test-electron downloads a desktop VS Code and runs it (under xvfb-run on
//   Linux without a display). Needs VS Code's update server, i.e. internet.
// - code-server: the web build of the same VS Code (scripts/codeServer.mjs) in headless Chromium.
//   Works offline; this is what CI here uses.
//
// CHANT_TEST_LAUNCHER=electron|code-server forces one; otherwise electron is used when
// update.code.visualstudio.com answers within 3 s. Either way the suite never silently skips: a
// launcher that cannot start fails the run.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConsoleMessage, Page } from 'playwright-core';
import { REPO_ROOT, RESULTS_DIR, codeServerScript, failAfter, launchBrowser, workspaceScript } from '../e2e/workbench';

type Launcher = 'electron' | 'code-server';

const EXTENSION_TESTS_PATH = path.join(__dirname, 'index.js');
const TIMEOUT_MS = Number(process.env.CHANT_TEST_TIMEOUT_MS ?? 10 * 60_000);
/** Prefix index.ts puts on the extension host's console lines (see forwardConsole). */
const CONSOLE_MARKER = '@@chant-test@@';
/** A test's request to click a dialog button (answerDialog in ./wait.ts). */
const UI_MARKER = '@@chant-test-click@@';

async function main(): Promise<number> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const { prepareWorkspace, FIXTURE_DIR } = await workspaceScript();
  // A throw-away git repo holding a copy of the fixture: tests may write to it freely.
  const workspace = prepareWorkspace(FIXTURE_DIR, { prefix: 'chant-integration-' });
  const env = { CHANT_TEST_RESULTS_DIR: RESULTS_DIR, CHANT_TEST_WORKSPACE: workspace };
  const launcher = await chooseLauncher();
  console.log(`[integration] launcher: ${launcher}; workspace: ${workspace}`);
  const started = Date.now();
  try {
    const code = launcher === 'electron' ? await runInElectron(workspace, env) : await runInCodeServer(workspace, env);
    console.log(`[integration] finished with exit code ${code} in ${Math.round((Date.now() - started) / 1000)} s`);
    return code;
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

async function chooseLauncher(): Promise<Launcher> {
  const forced = process.env.CHANT_TEST_LAUNCHER;
  if (forced === 'electron' || forced === 'code-server') return forced;
  if (forced) throw new Error(`CHANT_TEST_LAUNCHER must be "electron" or "code-server", not "${forced}".`);
  if (!(await updateServerReachable())) return 'code-server';
  if (needsXvfb() && !hasCommand('xvfb-run')) {
    console.log('[integration] VS Code is downloadable but there is no display and no xvfb-run; using code-server.');
    return 'code-server';
  }
  return 'electron';
}

function updateServerReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const request = https.request('https://update.code.visualstudio.com/api/releases/stable', { method: 'HEAD', timeout: 3000 }, (response) => {
      response.resume();
      resolve(true);
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve(false));
    request.end();
  });
}

// ---------------------------------------------------------------------------------------------
// electron

async function runInElectron(workspace: string, env: Record<string, string>): Promise<number> {
  if (needsXvfb() && !process.env.CHANT_UNDER_XVFB) {
    // Re-run this very script under a virtual display; the child inherits the launcher choice.
    if (!hasCommand('xvfb-run')) throw new Error('No DISPLAY and no xvfb-run: install xvfb or use CHANT_TEST_LAUNCHER=code-server.');
    const child = spawn('xvfb-run', ['-a', process.execPath, __filename], {
      stdio: 'inherit',
      env: { ...process.env, CHANT_UNDER_XVFB: '1', CHANT_TEST_LAUNCHER: 'electron' },
    });
    return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  }
  const { runTests } = await import('@vscode/test-electron');
  // A user data folder of the run's own whose settings keep the Get Started walkthrough from opening
  // on activation (it would take the editor a test works in); in a desktop window this machine-scoped
  // setting is read from the User settings.
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-electron-user-'));
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ 'workbench.welcomePage.walkthroughs.openOnInstall': false }));
  try {
    return await runTests({
      version: process.env.CHANT_TEST_VSCODE_VERSION,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: EXTENSION_TESTS_PATH,
      extensionTestsEnv: env,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', `--user-data-dir=${userDataDir}`],
    });
  } catch (error) {
    // runTests rejects with the exit code or a message when the suite fails.
    console.error(`[integration] ${String(error)}`);
    return 1;
  } finally {
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

function needsXvfb(): boolean {
  return process.platform === 'linux' && !process.env.DISPLAY;
}

function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

// ---------------------------------------------------------------------------------------------
// code-server

async function runInCodeServer(workspace: string, env: Record<string, string>): Promise<number> {
  const { startCodeServer, workbenchUrl } = await codeServerScript();
  const server = await startCodeServer({
    workspace,
    env: { ...env, CHANT_TEST_CONSOLE_MARKER: CONSOLE_MARKER, CHANT_TEST_UI_MARKER: UI_MARKER },
    // The Get Started walkthrough would open on activation and take the editor a test works in.
    machineSettings: { 'workbench.welcomePage.walkthroughs.openOnInstall': false },
    logFile: path.join(RESULTS_DIR, 'code-server-integration.log'),
  });
  const browser = await launchBrowser().catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  const timeout = failAfter(TIMEOUT_MS, `integration tests did not finish within ${TIMEOUT_MS / 1000} s`);
  try {
    const page = await browser.context.newPage();
    // Must exist before the workbench loads: it calls this once run() settles (0 = passed).
    const exitCode = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    page.on('console', (message) => forwardConsole(message, page));
    page.on('pageerror', (error) => verbose(`[workbench:pageerror] ${error.message}`));
    await page.goto(
      workbenchUrl({
        port: server.port,
        folder: workspace,
        extensionDevelopmentPath: REPO_ROOT,
        extensionTestsPath: EXTENSION_TESTS_PATH,
      }),
    );
    return await Promise.race([exitCode, timeout.promise]).catch(async (error: unknown) => {
      const shot = path.join(RESULTS_DIR, 'integration-timeout.png');
      await page.screenshot({ path: shot }).catch(() => undefined);
      throw new Error(`${String(error)}; screenshot: ${shot}; rerun with CHANT_TEST_VERBOSE=1 for the workbench log`);
    });
  } finally {
    timeout.cancel();
    await browser.close();
    await server.stop();
  }
}

/**
 * Prints mocha's report from the extension host, which the workbench relays as its own log lines,
 * e.g. `%c INFO color: #33f @@chant-test@@    ✔ activates`. Everything else (tests' own
 * console.log, workbench noise such as the unreachable extension gallery) is shown only with
 * CHANT_TEST_VERBOSE=1.
 */
function forwardConsole(message: ConsoleMessage, page?: Page): void {
  const text = message.text();
  // A test asks for a click on a button of a dialog or notification the workbench shows (out of an
  // extension's reach, e.g. a language model tool's confirmation): see answerDialog in ./wait.ts.
  const ui = text.indexOf(UI_MARKER);
  if (ui >= 0 && page) {
    // `button` (alternatives separated by |), optionally `@@` and a text the dialog or notification holds.
    const [button, holding] = text.slice(ui + UI_MARKER.length).trim().split('@@');
    const name = new RegExp(`^(${button.replace(/[.*+?^${}()[\]\\]/g, '\\$&')})`);
    void page
      .locator('.monaco-dialog-box, .notification-toast', holding ? { hasText: holding } : {})
      .getByRole('button', { name })
      .first()
      .click({ timeout: 30_000 })
      .catch((error: unknown) => process.stderr.write(`[integration] could not click "${button}" in a dialog or notification: ${String(error)}\n`));
    return;
  }
  const at = text.indexOf(CONSOLE_MARKER);
  if (at >= 0) {
    const stream = message.type() === 'error' || message.type() === 'warning' ? process.stderr : process.stdout;
    stream.write(`${text.slice(at + CONSOLE_MARKER.length)}\n`);
  } else {
    verbose(`[workbench:${message.type()}] ${text}`);
  }
}

function verbose(line: string): void {
  if (process.env.CHANT_TEST_VERBOSE) process.stdout.write(`${line}\n`);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`[integration] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
