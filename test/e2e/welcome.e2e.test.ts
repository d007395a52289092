// A person opens a folder with no chant project, clicks the Chant icon and sees the welcome view
// with its two Initialize buttons: read from the rendered view, not from package.json.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { assertEventually, openChantView, screenshot, session, waitForWorkbench } from './helpers';
import { REPO_ROOT, codeServerScript } from './workbench';

describe('Chant view without a project', () => {
  let page: Page | undefined;
  let folder: string;

  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-e2e-empty-'));
    fs.writeFileSync(path.join(folder, 'README.md'), '# Not a chant project\n');
    const { server, browser } = session();
    const { workbenchUrl } = await codeServerScript();
    page = await browser.context.newPage();
    await page.goto(workbenchUrl({ port: server.port, folder, extensionDevelopmentPath: REPO_ROOT }));
    await waitForWorkbench(page);
  });

  afterEach(async function () {
    if (page && this.currentTest?.state === 'failed') await screenshot(page, `failed-welcome-${this.currentTest.title}`);
  });

  after(async () => {
    await page?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('offers Initialize and Initialize in silent mode in the welcome view', async () => {
    const sidebar = await openChantView(page!);
    // The Specs view's welcome (the Runs view below has one of its own).
    const specsPane = sidebar.locator('.pane', { has: page!.locator('.pane-header[aria-label^="Specs"]') });
    const welcome = specsPane.locator('.welcome-view-content');
    await assertEventually(async () => /No chant project found in this workspace/.test((await welcome.innerText()) ?? ''), 'the welcome text');
    const buttons = await welcome.locator('.monaco-button').allInnerTexts();
    assert.deepEqual(buttons.map((text) => text.trim()), ['Initialize chant', 'Initialize in silent mode']);
    assert.match(await welcome.innerText(), /keeps \.chant\/ out of git/);
    const runsPane = sidebar.locator('.pane', { has: page!.locator('.pane-header[aria-label^="Runs"]') });
    await assertEventually(async () => /Agent runs appear here/.test((await runsPane.locator('.welcome-view-content').innerText()) ?? ''), 'the Runs view\'s welcome text');
    await screenshot(page!, 'welcome-no-project');
  });
});
