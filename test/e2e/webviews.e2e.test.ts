// The two webview panels in the real workbench, in light and dark: the frontmatter form opened
// from the Specs tree, edited by clicking (a label, a dependency), saved, and the file's bytes
// checked; the graph of the kvstore investigation, a node clicked, the graph exported as SVG. A
// spec whose title carries markup proves that nothing from a spec runs in a webview.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { type Theme, assertEventually, openChantView, openWorkbench, resizeSidebar, runCommand, screenshot, session, treeRows } from './helpers';

/** The content frame of the webview panel whose tab title starts with `title`. */
async function webviewFrame(page: Page, title: string): Promise<FrameLocator> {
  await page.locator(`.tabs-container .tab[aria-label^="${title}"]`).first().waitFor({ timeout: 30_000 });
  // Each webview is an iframe (class `webview ready`) holding the page in `#active-frame`; only
  // the visible one matters.
  const outer = page.locator('iframe.webview.ready:visible').last();
  await outer.waitFor({ timeout: 30_000 });
  return page.frameLocator('iframe.webview.ready:visible >> nth=-1').frameLocator('#active-frame');
}

const KVSTORE_FIX = '2026-02-08-010-v7b';
const KVSTORE_README = '2026-02-09-001-a7c';
const HOSTILE = '2026-02-09-900-zzz';
const HOSTILE_TITLE = `Hostile <img src=x onerror="window.__chantPwned=1"> </script><script>window.__chantPwned=2</script>`;

for (const theme of ['light', 'dark'] as Theme[]) {
  describe(`Webview panels (${theme} theme)`, () => {
    let page: Page;
    let specFile: string;
    let original: string;

    before(async () => {
      const workspace = session().workspace;
      specFile = path.join(workspace, '.chant', 'specs', `${KVSTORE_README}.md`);
      original = fs.readFileSync(specFile, 'utf8');
      fs.writeFileSync(
        path.join(workspace, '.chant', 'specs', `${HOSTILE}.md`),
        `---\ntype: code\nstatus: pending\nlabels:\n- "<b>bold</b>"\ndepends_on:\n- ${KVSTORE_README}\n---\n\n# ${HOSTILE_TITLE}\n`,
      );
      page = await openWorkbench({ theme });
      // Start from an empty editor area whatever an earlier session left open.
      await runCommand(page, 'View: Close All Editors');
    });

    afterEach(async function () {
      if (this.currentTest?.state === 'failed') await screenshot(page, `failed-webviews-${theme}-${this.currentTest.title}`);
    });

    after(async () => {
      fs.writeFileSync(specFile, original);
      fs.rmSync(path.join(session().workspace, '.chant', 'specs', `${HOSTILE}.md`), { force: true });
      // Leave no panel for the next workbench of this workspace to restore.
      if (page) await runCommand(page, 'View: Close All Editors').catch(() => undefined);
      await page?.close();
    });

    it('opens the frontmatter form from the Specs tree', async () => {
      await openChantView(page);
      await resizeSidebar(page, 380);
      // The tree remembers collapsed groups between sessions: open "Unphased" when it is closed.
      await assertEventually(async () => {
        if ((await treeRows(page, 'Specs')).some((r) => r.includes('Fix typo in README'))) return true;
        const group = page.locator('.part.sidebar .monaco-list-row[aria-expanded="false"]', { hasText: 'Unphased' });
        if ((await group.count()) > 0) await group.first().click();
        return false;
      }, 'the README spec row', 30_000);
      const row = (await treeRows(page, 'Specs')).find((r) => r.includes('Fix typo in README'))!;
      const tab = page.locator(`.tabs-container .tab[aria-label^="Frontmatter: ${KVSTORE_README}"]`);
      await assertEventually(async () => {
        if (!(await page.locator('.context-view .monaco-menu').isVisible())) {
          await page.locator(`.part.sidebar .monaco-list-row[aria-label="${row}"]`).click({ button: 'right' });
        }
        const item = page.locator('.context-view .action-item', { hasText: 'Edit Frontmatter' });
        await item.waitFor({ timeout: 3_000 });
        await item.hover();
        await item.click({ timeout: 2_000 });
        await tab.first().waitFor({ timeout: 5_000 });
        return true;
      }, 'Edit Frontmatter from the context menu', 40_000);
      const form = await webviewFrame(page, `Frontmatter: ${KVSTORE_README}`);
      await form.locator('h1').waitFor();
      assert.equal(await form.locator('h1').textContent(), 'Fix typo in README storage section');
      assert.equal(await form.locator('#input-type').inputValue(), 'code');
    });

    it('adds a label and a dependency by clicking, saves, and only those keys change', async () => {
      const form = await webviewFrame(page, `Frontmatter: ${KVSTORE_README}`);
      await form.locator('#input-labels').fill('docs');
      await form.locator('#add-label').click();
      await form.locator('#remove-labels-0').waitFor();
      await form.locator('#input-depends_on').selectOption(KVSTORE_FIX);
      await form.locator('#add-depends_on').click();
      await form.locator('#remove-depends_on-0').waitFor();
      await assertEventually(async () => (await form.locator('#save').isEnabled()) === true, 'Save enabled');
      await screenshot(page, `frontmatter-form-${theme}`);
      await form.locator('#save').click();
      await assertEventually(async () => /Saved/.test((await form.locator('#status').textContent()) ?? ''), 'the form says Saved');
      const text = fs.readFileSync(specFile, 'utf8');
      const expected = original.replace('status: pending\n', `status: pending\ndepends_on:\n- ${KVSTORE_FIX}\nlabels:\n- docs\n`);
      assert.equal(text, expected);
    });

    it('refuses a dependency that would close a cycle, with the reason next to the field', async () => {
      const form = await webviewFrame(page, `Frontmatter: ${KVSTORE_README}`);
      await form.locator('#input-depends_on').selectOption(HOSTILE);
      await form.locator('#add-depends_on').click();
      const cycle = form.locator('#field-depends_on #cycle');
      await assertEventually(async () => ((await cycle.textContent()) ?? '').includes(`${KVSTORE_README} → ${HOSTILE} → ${KVSTORE_README}`), 'the cycle is shown');
      assert.equal(await form.locator('#save').isEnabled(), false, 'Save is disabled');
      await form.locator('#remove-depends_on-1').click();
      await assertEventually(async () => (await cycle.count()) === 0, 'the cycle is gone');
      assert.equal(await form.locator('#save').isEnabled(), false, 'nothing left to save');
    });

    it('renders a hostile spec title as text: nothing runs', async () => {
      // The README's form from the tests above is still open beside: closed first, so the only
      // visible webview is the hostile spec's (the frame locator takes the last visible one).
      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, 'Chant: Edit Frontmatter');
      const input = page.locator('.quick-input-widget input');
      await input.fill('zzz');
      // The picker filters (and may still be loading its items) after the text is in: Enter only once
      // the hostile spec is the first row, or it opens whichever spec was first.
      const first = page.locator('.quick-input-widget .monaco-list-row').first();
      await assertEventually(async () => ((await first.getAttribute('aria-label')) ?? '').includes('Hostile'), 'the hostile spec first in the picker');
      await page.keyboard.press('Enter');
      const form = await webviewFrame(page, `Frontmatter: ${HOSTILE}`);
      await form.locator('h1').waitFor();
      await assertEventually(async () => (await form.locator('h1').textContent()) === HOSTILE_TITLE, 'the hostile title, as text, in the form');
      assert.equal(await form.locator('img').count(), 0, 'no <img> element appeared');
      assert.equal(await form.locator('b').count(), 0, 'no <b> from the label');
      const scripts = await form.locator('script').evaluateAll((els) => els.map((e) => `${e.getAttribute('src') ?? ''} ${e.textContent ?? ''}`));
      assert.ok(!scripts.some((text) => text.includes('__chantPwned')), `an injected script: ${scripts.join(' | ')}`);
      assert.equal(await form.locator('body').evaluate(() => (globalThis as unknown as { __chantPwned?: number }).__chantPwned), undefined);
    });

    it('shows the graph of the investigation, opens a spec by clicking its node, exports SVG', async () => {
      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, 'Chant: Show Graph');
      const graph = await webviewFrame(page, 'Chant Graph');
      await graph.locator('#scope').waitFor();
      await graph.locator('#scope').selectOption('investigation:issue-1234');
      // The whole project's drawing (the scope it opened in) has five specs too: wait for the
      // investigation's own, with its phase captions, before measuring nodes that are redrawn meanwhile.
      await assertEventually(async () => (await graph.locator('.column-caption').count()) >= 5 && (await graph.locator('.node.kind-spec').count()) >= 5, 'the investigation specs are drawn');
      assert.ok((await graph.locator('.node.kind-document').count()) > 0, 'documents are drawn');
      assert.ok((await graph.locator('.edge-informed_by').count()) > 0, 'informed_by edges are drawn');
      // Left to right: the comprehension spec sits left of the fix.
      const x = async (id: string): Promise<number> => (await graph.locator(`.node[data-id="spec:${id}"]`).boundingBox())!.x;
      assert.ok((await x('2026-02-08-001-r4x')) < (await x(KVSTORE_FIX)), 'comprehension left of the fix');
      // The screenshot waits for the drawing to hold still: the same place on two looks in a row.
      let last = '';
      await assertEventually(async () => {
        const box = JSON.stringify(await graph.locator(`.node[data-id="spec:${KVSTORE_FIX}"]`).boundingBox());
        const still = box === last;
        last = box;
        return still;
      }, 'the graph to hold still');
      await screenshot(page, `graph-${theme}`);
      await graph.locator('#fit').click();

      // Hover says why a spec is not ready; the search box marks matches.
      await graph.locator('.node[data-id="spec:2026-02-08-008-j3n"]').hover();
      await assertEventually(async () => /Not ready because/.test((await graph.locator('#tooltip').textContent()) ?? ''), 'the blocked tooltip');
      assert.match((await graph.locator('#tooltip').textContent()) ?? '', /2026-02-08-005-k9w/);
      await graph.locator('#search').fill('impact');
      await assertEventually(async () => (await graph.locator('.node.match').count()) >= 1, 'a search match');
      await graph.locator('#search').fill('');

      await graph.locator(`.node[data-id="spec:${KVSTORE_FIX}"]`).click();
      await page.locator(`.tabs-container .tab[aria-label^="${KVSTORE_FIX}.md"]`).first().waitFor({ timeout: 20_000 });

      const graphTab = page.locator('.tabs-container .tab[aria-label^="Chant Graph"]').first();
      await graphTab.click();
      const again = await webviewFrame(page, 'Chant Graph');
      await again.locator('#export-svg').click();
      // The save dialog (VS Code's simple dialog in the browser) proposes <project>/chant-graph.svg.
      const exported = path.join(session().workspace, 'chant-graph.svg');
      fs.rmSync(exported, { force: true });
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 20_000 });
      await assertEventually(async () => (await input.inputValue()).endsWith('chant-graph.svg'), 'the proposed file name');
      await assertEventually(async () => input.evaluate((element) => element === element.ownerDocument.activeElement), 'the file name box to take the focus');
      await page.keyboard.press('Enter');
      await assertEventually(async () => fs.existsSync(exported), 'the SVG file is written');
      const svg = fs.readFileSync(exported, 'utf8');
      assert.match(svg, /^<svg[\s>]/);
      assert.match(svg, /Comprehension/);
      assert.doesNotMatch(svg, /var\(--vscode/);
    });
  });
}
