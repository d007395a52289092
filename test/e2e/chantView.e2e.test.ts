// A person opens the workspace, clicks the Chant icon and sees their specs, in a light and a dark
// theme. Screenshots of both land in test-results/screenshots/ for a human to look at.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { THEMES, type Theme, assertEventually, openChantView, openWorkbench, resizeSidebar, runCommand, screenshot, session, specTitles, treeRows, workbenchClasses } from './helpers';

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
      const titles = specTitles(session().workspace);
      assert.ok(titles.length > 0, `no spec titles found in ${session().source}`);
      // The group rows come first; their specs a moment later (children are fetched per group).
      let rows: string[] = [];
      await assertEventually(async () => {
        rows = await treeRows(page, 'Specs');
        return titles.some((title) => rows.some((row) => row.includes(title)));
      }, 'spec rows under the groups').catch(() => assert.fail(`none of ${JSON.stringify(titles)} in rows ${JSON.stringify(rows)}`));
      await resizeSidebar(page, 480);
      await screenshot(page, `chant-view-${theme}`);
    });

    it('switches the grouping from the title bar and back', async () => {
      const pickGrouping = async (label: string): Promise<void> => {
        // The Group By action sits in the view's title bar; the palette is the fallback when the
        // toolbar is collapsed into its overflow menu.
        const button = page.locator('.part.sidebar .actions-container [aria-label="Group By…"]').first();
        if (await button.isVisible().catch(() => false)) await button.click();
        else await runCommand(page, 'Chant: Group By…');
        const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
        await row.waitFor();
        await row.click();
      };
      try {
        await pickGrouping('Status');
        await assertEventually(async () => (await treeRows(page)).some((r) => /^Completed, \d+ specs?$/.test(r)), 'a Completed group');
        const rows = await treeRows(page);
        // Group rows read "<name>, <n> specs"; spec rows read "<title>, <id>, <state>".
        assert.ok(!rows.some((r) => /^Comprehension, \d+ specs?$/.test(r)), `no phase groups while grouped by status: ${JSON.stringify(rows)}`);
        await screenshot(page, `chant-view-by-status-${theme}`);
      } finally {
        // The grouping is remembered per workspace; later suites expect the default.
        await pickGrouping('Phase');
      }
      await assertEventually(async () => (await treeRows(page)).some((r) => /^(Comprehension|Unphased), \d+ specs?$/.test(r)), 'phase groups again');
    });

    it('opens a spec when its row is clicked', async () => {
      const titles = specTitles(session().workspace);
      let rows: string[] = [];
      await assertEventually(async () => {
        rows = await treeRows(page);
        return titles.some((t) => rows.some((r) => r.startsWith(t)));
      }, 'a spec row').catch(() => assert.fail(`a spec row among ${JSON.stringify(rows)}`));
      const title = titles.find((t) => rows.some((r) => r.startsWith(t)))!;
      const pane = page.locator('.part.sidebar .pane', { has: page.locator('.pane-header[aria-label^="Specs"]') });
      await pane.locator(`.monaco-list-row[aria-label^="${title.replace(/"/g, '\\"')}"]`).first().click();
      // The editor renders spaces as non-breaking spaces; compare on words.
      const editorText = async (): Promise<string> =>
        ((await page.locator('.part.editor .monaco-editor .view-lines').first().textContent()) ?? '').replace(/\u00a0/g, ' ');
      await assertEventually(async () => (await editorText()).includes(`# ${title}`), `"${title}" opened in an editor`);
      assert.match((await page.locator('.part.editor .tab.active').first().getAttribute('aria-label')) ?? '', /\.md\b/);
      await screenshot(page, `chant-spec-open-${theme}`);
      await runCommand(page, 'View: Close All Editors');
    });
  });
}
