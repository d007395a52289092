// A person opens the workspace, clicks the Chant icon and sees their specs, in a light and a dark
// theme. Screenshots of both land in test-results/screenshots/ for a human to look at.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { THEMES, type Theme, openChantView, openWorkbench, resizeSidebar, screenshot, session, specTitles, treeRows, workbenchClasses } from './helpers';

for (const theme of ['light', 'dark'] as Theme[]) {
  describe(`Chant view (${theme} theme)`, () => {
    let page: Page;

    before(async () => {
      page = await openWorkbench({ theme });
    });

    afterEach(async function () {
      if (this.currentTest?.state === 'failed') await screenshot(page, `failed-${theme}-${this.currentTest.title}`);
    });

    after(async () => {
      await page?.close();
    });

    it('runs our extension in an Extension Development Host', async () => {
      assert.match(await page.title(), /Extension Development Host/);
    });

    it(`uses the ${theme} theme`, async () => {
      // VS Code marks the workbench with the theme's base (`vs` or `vs-dark`) and the theme itself.
      const classes = await workbenchClasses(page);
      assert.equal(classes.includes('vs-dark'), theme === 'dark', classes.join(' '));
      assert.ok(classes.includes(THEMES[theme].workbenchClass), classes.join(' '));
    });

    it('opens the Chant view container with its Specs view', async () => {
      const sidebar = await openChantView(page);
      const title = (await sidebar.locator('.composite.title .title-label').textContent())?.trim() ?? '';
      // With a single view VS Code merges the titles: "CHANT: SPECS".
      assert.match(title, /^chant(: specs)?$/i);
      assert.equal(await sidebar.locator('.pane-header[aria-label^="Specs"]').count(), 1, 'a Specs pane');
    });

    it('lists the workspace specs by title', async () => {
      const rows = await treeRows(page, 'Specs');
      const titles = specTitles(session().workspace);
      assert.ok(titles.length > 0, `no spec titles found in ${session().source}`);
      const shown = titles.filter((title) => rows.some((row) => row.includes(title)));
      assert.ok(shown.length > 0, `none of ${JSON.stringify(titles)} in rows ${JSON.stringify(rows)}`);
      await resizeSidebar(page, 480);
      await screenshot(page, `chant-view-${theme}`);
    });
  });
}
