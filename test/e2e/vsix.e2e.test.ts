// The packaged extension as a user gets it: `npm run package` builds chant-vscode.vsix, code-server
// installs it with --install-extension into an empty extensions folder, and a workbench opened on the
// kvstore example WITHOUT extensionDevelopmentPath (nothing loaded from this repository) shows the
// Chant view with the example's specs, so the installed copy activated, and the Get Started walkthrough
// opened by itself with the steps the example has done ticked. The installed folder holds
// the bundle and its assets only: no sources, tests or node_modules. Then the extension's page, as a
// person opens it from the Extensions view: every README picture loaded (naturalWidth > 0), every
// link an https/mailto address the workbench opens or an anchor of the page, and clicking each kind
// does what it says.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { answerDialog, assertEventually, openChantView, runCommand, session, screenshot, treeRows, waitForWorkbench } from './helpers';
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
    for (const shipped of ['out/extension.js', 'out/streamFilter.js', 'out/webviews/graph.js', manifest.icon, 'readme.md', 'changelog.md']) {
      assert.ok(fs.existsSync(path.join(folder, shipped)), `${shipped} is in the package`);
    }
    // What the entry requires on first use (out/lazy/, esbuild.config.mjs's LAZY_CHUNKS) is shipped beside it:
    // read from the installed bundle itself, so a chunk added later is checked too.
    const bundle = fs.readFileSync(path.join(folder, 'out', 'extension.js'), 'utf8');
    const chunks = [...new Set([...bundle.matchAll(/require\("(\.\/[^"]+)"\)/g)].map((m) => path.posix.join('out', m[1])))];
    assert.ok(chunks.length >= 2, `the entry requires its lazy chunks: ${chunks.join(', ')}`);
    for (const chunk of chunks) assert.ok(fs.existsSync(path.join(folder, chunk)), `${chunk} (required by out/extension.js) is in the package`);
    for (const dev of ['src', 'test', 'node_modules', 'scripts', 'out-test', '.vscode-test', 'examples', 'docs', 'README.md']) {
      assert.ok(!fs.readdirSync(path.dirname(path.join(folder, dev))).includes(path.basename(dev)), `${dev} is not in the package`);
    }
    // The package's README is the one made for the extension's page (scripts/packageReadme.mjs): no
    // relative target is left, since that page resolves none.
    const readme = fs.readFileSync(path.join(folder, 'readme.md'), 'utf8');
    const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    assert.ok(targets.length >= 6, targets.join(', '));
    for (const target of targets) assert.match(target.slice(0, 60), /^(#|https:|mailto:|data:image\/)/, 'a target the extension page can show or open');
    assert.doesNotMatch(readme, /\.\.\/shared|github\.com\/lex00\/chant\/issues\/1234/, 'no link outside the package, no #1234 linked to chant');
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

    // A first install: the Get Started walkthrough opened by itself, and the steps the example has
    // already done (initialized, an investigation, worked and merged phases) are ticked.
    const walkthrough = page.locator('.gettingStartedContainer');
    await walkthrough.locator('.category-title', { hasText: 'Get Started with Chant' }).first().waitFor({ timeout: 60_000 });
    // VS Code names an extension's steps `<extension id>#<walkthrough id>#<step id>`.
    try {
      for (const step of ['init', 'investigate', 'work', 'review']) {
        await assertEventually(
          async () => (await walkthrough.locator(`[data-done-step-id$="#${step}"]`).first().getAttribute('aria-checked')) === 'true',
          `the walkthrough step ${step} is ticked`,
        );
      }
    } catch (error) {
      await screenshot(page, 'failed-vsix-walkthrough');
      throw error;
    }
    await screenshot(page, 'vsix-walkthrough');
  });

  it("shows the extension's page with every README picture loaded and every link going somewhere", async function () {
    this.timeout(3 * 60_000);
    assert.ok(page, 'the workbench of the previous test');
    const readme = fs.readFileSync(path.join(extensionsDir, fs.readdirSync(extensionsDir).find((n) => n.startsWith('chant-vscode.chant-vscode-'))!, 'readme.md'), 'utf8');
    const pictures = [...readme.matchAll(/!\[[^\]]*\]\(data:image\//g)].length;
    assert.ok(pictures >= 3, `${pictures} pictures`);

    // As a person does: the Extensions view's list of enabled extensions, then the extension's row.
    await runCommand(page, 'Extensions: Show Enabled Extensions');
    await page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Chant Spec Workflow' }).first().click();
    const frame = await readmeFrame(page);

    await assertEventually(
      async () => (await frame.evaluate<number>('[...document.images].filter((img) => img.complete && img.naturalWidth > 0).length')) === pictures,
      `all ${pictures} README pictures loaded`,
      60_000,
    );
    const images = await frame.evaluate<{ alt: string; width: number }[]>('[...document.images].map((img) => ({ alt: img.alt, width: img.naturalWidth }))');
    assert.equal(images.length, pictures, JSON.stringify(images));
    for (const image of images) assert.ok(image.width > 0, `"${image.alt}" shows`);

    // Every link: an anchor of a heading on this page (the webview scrolls to it) or an address the
    // workbench opens (the page opens only http(s) and mailto); a link whose address the page's
    // sanitizer dropped would have no href at all.
    const links = await frame.evaluate<{ text: string; href: string | null; target?: boolean }[]>(`[...document.querySelectorAll('a')].map((a) => {
      const href = a.getAttribute('href');
      return { text: a.textContent, href, target: href?.startsWith('#') ? Boolean(document.getElementById(decodeURIComponent(href.slice(1)))) : undefined };
    })`);
    assert.ok(links.length >= 5, JSON.stringify(links));
    for (const link of links) {
      assert.ok(link.href, `"${link.text}" has an address`);
      // `#` alone is the page's own scroll-to-top button.
      if (link.href === '#') continue;
      if (link.href.startsWith('#')) assert.ok(link.target, `"${link.text}" (${link.href}) names a heading of the page`);
      else assert.match(link.href, /^(https:\/\/[^/\s]+\.[a-z]+\/|mailto:)/, `"${link.text}" opens from the page`);
    }
    await screenshot(page, 'vsix-extension-page');

    // An anchor scrolls the page to its heading.
    const anchor = links.find((l) => l.href === '#working-on-the-extension');
    assert.ok(anchor, 'README links its Working on the extension section');
    await frame.locator('a[href="#working-on-the-extension"]').first().click();
    await assertEventually(
      async () => frame.evaluate<boolean>("Math.abs(document.getElementById('working-on-the-extension').getBoundingClientRect().top) < 80"),
      'the page scrolled to Working on the extension',
    );

    // An address opens in the browser (after VS Code's question about an outside site): the request leaves.
    const external = links.find((l) => l.href?.startsWith('https://github.com/lex00/chant'));
    assert.ok(external?.href, 'README links chant');
    const requested: string[] = [];
    const context = session().browser.context;
    const onRequest = (request: { url(): string }): void => void requested.push(request.url());
    context.on('request', onRequest);
    try {
      await frame.evaluate('window.scrollTo(0, 0)');
      await frame.locator(`a[href="${external.href}"]`).first().click();
      await answerDialog(page, 'external website', 'Open', 5_000);
      await assertEventually(async () => requested.some((url) => url.startsWith(external.href!)), `the browser asked for ${external.href}`);
    } finally {
      context.off('request', onRequest);
      for (const other of context.pages()) if (other !== page && other.url().includes('lex00')) await other.close();
    }
  });
});

/** The frame of the extension page's README webview (an iframe in an iframe), once its heading is there. */
async function readmeFrame(page: Page): Promise<Frame> {
  let found: Frame | undefined;
  await assertEventually(
    async () => {
      for (const frame of page.frames()) {
        const heading = await frame.evaluate<string>("document.querySelector('h1')?.textContent ?? ''").catch(() => '');
        if (heading.includes('Chant Spec Workflow for VS Code')) {
          found = frame;
          return true;
        }
      }
      return false;
    },
    "the extension's README page",
    60_000,
  );
  return found!;
}
