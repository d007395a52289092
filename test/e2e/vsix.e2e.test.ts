// The packaged extension as a user gets it: `npm run package` builds chant-vscode.vsix, code-server
// installs it with --install-extension into an empty extensions folder, and a workbench opened on the
// kvstore example WITHOUT extensionDevelopmentPath (nothing loaded from this repository) shows the
// Chant view with the example's specs, so the installed copy activated. The installed folder holds
// the bundle and its assets only: no sources, tests or node_modules.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { openChantView, session, screenshot, treeRows, waitForWorkbench } from './helpers';
import { codeServerScript, REPO_ROOT, RESULTS_DIR, workspaceScript, type CodeServer } from './workbench';

describe('the packaged .vsix', () => {
  const vsix = path.join(REPO_ROOT, 'chant-vscode.vsix');
  const extensionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-vsix-ext-'));
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-vsix-user-'));
  let server: CodeServer | undefined;
  let page: Page | undefined;
  let workspace: string | undefined;

  after(async () => {
    await page?.close();
    await server?.stop();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(extensionsDir, { recursive: true, force: true });
    fs.rmSync(userDataDir, { recursive: true, force: true });
    // The package step built minified bundles into out/; put the development build back for the other tiers.
    spawnSync(process.execPath, ['esbuild.config.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
  });

  it('packages without warnings and installs with code-server --install-extension', async function () {
    this.timeout(5 * 60_000);
    const packaged = spawnSync(process.execPath, ['scripts/package.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(packaged.status, 0, `${packaged.stdout}\n${packaged.stderr}`);
    assert.ok(fs.existsSync(vsix));
    const { ensureCodeServer } = (await codeServerScript()) as unknown as { ensureCodeServer(): Promise<string> };
    const entry = await ensureCodeServer();
    const installed = spawnSync(process.execPath, [entry, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix], { encoding: 'utf8' });
    assert.equal(installed.status, 0, `${installed.stdout}\n${installed.stderr}`);
    const folders = fs.readdirSync(extensionsDir).filter((name) => name.startsWith('chant-vscode.chant-vscode-'));
    assert.equal(folders.length, 1, fs.readdirSync(extensionsDir).join(', '));
    const folder = path.join(extensionsDir, folders[0]);
    const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8')) as { displayName: string; icon: string };
    assert.equal(manifest.displayName, 'Chant Spec Workflow');
    for (const shipped of ['out/extension.js', 'out/streamFilter.js', 'out/webviews/graph.js', manifest.icon, 'readme.md', 'changelog.md', 'docs/images/specs-view-light.png']) {
      assert.ok(fs.existsSync(path.join(folder, shipped)), `${shipped} is in the package`);
    }
    for (const dev of ['src', 'test', 'node_modules', 'scripts', 'out-test', '.vscode-test', 'examples']) {
      assert.ok(!fs.existsSync(path.join(folder, dev)), `${dev} is not in the package`);
    }
    // Every relative link and image of README resolves inside the installed extension (vsce names it readme.md).
    const readme = fs.readFileSync(path.join(folder, 'readme.md'), 'utf8');
    const relative = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]).filter((target) => !/^[a-z]+:/i.test(target));
    assert.ok(relative.length >= 6, relative.join(', '));
    for (const target of relative) assert.ok(fs.existsSync(path.join(folder, target)), `README links ${target}`);
    assert.doesNotMatch(readme, /\]\(\.\.\/shared|github\.com\/lex00\/chant\/issues\/1234/, 'no link outside the package, no #1234 linked to chant');
  });

  it('activates on the example from the installed copy, without the development payload', async function () {
    this.timeout(5 * 60_000);
    const { prepareExampleWorkspace } = await workspaceScript();
    workspace = prepareExampleWorkspace();
    const { startCodeServer, workbenchUrl } = await codeServerScript();
    server = await startCodeServer({ workspace, extensionsDir, userDataDir, logFile: path.join(RESULTS_DIR, 'code-server-e2e-vsix.log') });
    page = await session().browser.context.newPage();
    const url = workbenchUrl({ port: server.port, folder: workspace });
    assert.doesNotMatch(url, /payload|extensionDevelopmentPath/);
    await page.goto(url);
    await waitForWorkbench(page);
    await openChantView(page);
    const rows = await treeRows(page);
    assert.ok(rows.some((row) => /Comprehension/.test(row)), rows.join('\n'));
    await screenshot(page, 'vsix-installed');
  });
});
