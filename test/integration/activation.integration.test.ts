// The extension loads in a real extension host, on the fixture workspace, with its commands and a
// working integrated terminal. Also records how long activation took, for the benchmark.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { resultsDir } from './index';
import { eventually } from './wait';

// `${publisher}.${name}` from package.json.
const EXTENSION_ID = 'chant-vscode.chant-vscode';

describe('Activation', () => {
  let extension: vscode.Extension<unknown>;

  before(async () => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `extension ${EXTENSION_ID} is not installed in the extension host`);
    extension = found;
    const wasActive = extension.isActive;
    const started = performance.now();
    await extension.activate();
    const activateCallMs = performance.now() - started;
    writeActivationTiming(wasActive, activateCallMs);
  });

  it('activates the extension', () => {
    assert.equal(extension.isActive, true);
    assert.equal(extension.packageJSON.name, 'chant-vscode');
  });

  it('opens the fixture workspace', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1, 'exactly one workspace folder');
    const root = folders[0].uri.fsPath;
    // The launchers open a throw-away copy of test/fixtures/workspace and say where.
    if (process.env.CHANT_TEST_WORKSPACE) assert.equal(root, process.env.CHANT_TEST_WORKSPACE);
    const config = fs.readFileSync(path.join(root, '.chant', 'config.md'), 'utf8');
    assert.match(config, /name: fixture/);
    const specs = fs.readdirSync(path.join(root, '.chant', 'specs')).filter((f) => f.endsWith('.md'));
    assert.equal(specs.length, 4);
  });

  it('registers chant.refresh and chant.showLog', async () => {
    const commands = new Set(await vscode.commands.getCommands(true));
    assert.ok(commands.has('chant.refresh'), 'chant.refresh');
    assert.ok(commands.has('chant.showLog'), 'chant.showLog');
  });

  it('registers every command it contributes', async () => {
    // A command in package.json that nobody registers fails with "command not found" when clicked.
    const contributed: { command: string }[] = extension.packageJSON.contributes?.commands ?? [];
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, []);
  });

  it('runs a shell command in an integrated terminal', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-terminal-'));
    const marker = path.join(dir, 'ran.txt');
    const terminal = vscode.window.createTerminal({ name: 'chant-test', cwd: dir });
    try {
      // `pwd` proves the shell really started in `cwd`, not just that a file appeared.
      terminal.sendText(`pwd > '${marker}'`);
      const text = await eventually(() => (fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : undefined), 'the terminal to write its working folder', 20_000);
      assert.equal(fs.realpathSync(text.trim()), fs.realpathSync(dir));
    } finally {
      terminal.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The extension usually activates on `workspaceContains:.chant/**` before any test runs, so timing
 * `activate()` here would measure a cached promise. VS Code's extension host keeps performance marks
 * around every activation; we read those and fall back to our own timing when they are missing.
 *
 * `activationMs` is what VS Code's "Show Running Extensions" shows as an extension's activation time:
 * the time to load its code plus the `activate()` call (the workbench adds `codeLoadingTime` and
 * `activateCallTime`). The whole span from loading to "activated" is kept too: between loading our
 * code and calling `activate()` the host builds the ExtensionContext (storage, secrets, over IPC to
 * the workbench), which no extension code runs in.
 */
function writeActivationTiming(wasActive: boolean, activateCallMs: number): void {
  const marks = extensionHostMarks();
  const at = (name: string): number | undefined => marks.get(`code/extHost/${name}/${EXTENSION_ID}`);
  const [willLoad, didLoad, willActivate, didActivate] = ['willLoadExtensionCode', 'didLoadExtensionCode', 'willActivateExtension', 'didActivateExtension'].map(at);
  const round = (ms: number): number => Math.round(ms * 10) / 10;
  const codeLoadingMs = willLoad !== undefined && didLoad !== undefined ? didLoad - willLoad : undefined;
  // Our own timing only means something when this call really activated; otherwise it timed a
  // cached promise, and the host's marks around activate() say how long the call took.
  const callMs =
    willActivate !== undefined && didActivate !== undefined
      ? didActivate - willActivate
      : wasActive
        ? undefined
        : activateCallMs;
  const timing = {
    activationMs: round((codeLoadingMs ?? 0) + (callMs ?? 0)),
    source: codeLoadingMs !== undefined ? 'extension-host-marks' : 'activate-call',
    codeLoadingMs: codeLoadingMs === undefined ? undefined : round(codeLoadingMs),
    activateCallMs: callMs === undefined ? undefined : round(callMs),
    spanMs: willLoad !== undefined && didActivate !== undefined ? round(didActivate - willLoad) : undefined,
    hostContextMs: didLoad !== undefined && willActivate !== undefined ? round(willActivate - didLoad) : undefined,
    alreadyActive: wasActive,
    vscodeVersion: vscode.version,
    appHost: vscode.env.appHost,
    measuredAt: new Date().toISOString(),
  };
  fs.mkdirSync(resultsDir(), { recursive: true });
  fs.writeFileSync(path.join(resultsDir(), 'activation.json'), `${JSON.stringify(timing, null, 2)}\n`);
}

/** Marks VS Code's `vs/base/common/performance` keeps on globalThis (name → epoch ms). */
function extensionHostMarks(): Map<string, number> {
  const perf = (globalThis as { MonacoPerformanceMarks?: { getMarks(): { name: string; startTime: number }[] } })
    .MonacoPerformanceMarks;
  return new Map((perf?.getMarks() ?? []).map((mark) => [mark.name, mark.startTime]));
}
