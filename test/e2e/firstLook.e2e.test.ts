// What a person sees first, in a 1400×900 window, in light, dark and high contrast (the screenshots in
// test-results/screenshots/ are for a person to look at):
// - the Specs tree at the default sidebar width: each spec row shows its state icon and progress
//   before its title, so a cut title loses only its tail;
// - the graph as it opens from the example's Root Cause spec (a panel of about 1000×700 px): every
//   phase of the investigation and every document inside the panel, every label at least 11 px on
//   screen and inside its node, the drawing filling the panel's width or height and centred (no empty
//   band under or above it), and the spec it was opened from marked, not zoomed to.
import * as assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import { assertEventually, assertFillsPanel, graphDrawingFit, openChantView, openWorkbench, resizeSidebar, runCommand, screenshot, THEMES, type Theme } from './helpers';

const ROOT_CAUSE = '2026-02-08-005-k9w';
const PHASES = ['Comprehension', 'Reproduction', 'Root Cause', 'Impact Map', 'Fork Fix'];
const READABLE_PX = 11;

interface Measured {
  text: string;
  kind: string;
  fontPx: number;
  left: number;
  top: number;
  right: number;
  bottom: number;
  /** The node the text belongs to (undefined for a caption). */
  node?: { id: string; left: number; right: number };
}

async function graphFrame(page: Page): Promise<FrameLocator> {
  await page.locator('.tabs-container .tab[aria-label^="Chant Graph"]').first().waitFor({ timeout: 30_000 });
  return page.frameLocator('iframe.webview.ready:visible >> nth=-1').frameLocator('#active-frame');
}

for (const theme of Object.keys(THEMES) as Theme[]) {
  describe(`the first look (${theme})`, () => {
    let page: Page | undefined;
    /** What the webviews' frames log (code-server's webview bootstrap says why a panel stays blank). */
    const webviewConsole: string[] = [];

    before(async function () {
      this.timeout(3 * 60_000);
      page = await openWorkbench({ theme });
      page.on('console', (message) => {
        const url = message.location().url ?? '';
        if (/webview/i.test(url) || /service ?worker|controllerchange|webview/i.test(message.text())) webviewConsole.push(`${new Date().toISOString()} ${message.type()} ${url.replace(/\?.*$/, '')}: ${message.text()}`);
      });
      await page.setViewportSize({ width: 1400, height: 900 });
      // The e2e profile is shared, and earlier suites widen the side bar to read long titles (VS Code keeps
      // the width): put it back to the 300 px a first-time user gets.
      await openChantView(page);
      await resizeSidebar(page, 300);
    });

    afterEach(async function () {
      if (page && this.currentTest?.state === 'failed') await screenshot(page, `failed-graph-open-${theme}`);
    });

    after(async () => {
      await page?.close();
    });

    it('Specs tree rows at the default sidebar width show the state and progress before the title', async function () {
      this.timeout(2 * 60_000);
      const p = page!;
      const sidebar = await openChantView(p);
      const width = (await sidebar.boundingBox())!.width;
      assert.ok(width <= 320, `the default sidebar width: ${width}`);
      const pane = sidebar.locator('.pane', { has: p.locator('.pane-header[aria-label^="Specs"]') });
      const specRows = pane.locator('.monaco-list-row', { has: p.locator('.label-name', { hasText: /^\d+\/\d+ · / }) });
      await assertEventually(async () => (await specRows.count()) >= 5, 'spec rows with their progress');
      const rows = await specRows.evaluateAll((elements) =>
        elements.map((row) => {
          const name = row.querySelector('.label-name');
          const icon = row.querySelector('.custom-view-tree-node-item-icon, .codicon');
          const box = row.getBoundingClientRect();
          const nameBox = name?.getBoundingClientRect();
          return { text: name?.textContent ?? '', icon: Boolean(icon), left: nameBox?.left ?? 0, rowRight: box.right };
        }),
      );
      for (const row of rows) {
        assert.ok(row.icon, `"${row.text}" has its state icon`);
        // The progress is the first thing of the label, well inside the row.
        assert.match(row.text, /^\d+\/\d+ · \S/);
        assert.ok(row.left + 60 < row.rowRight, `"${row.text}" starts inside the row`);
      }
      // Under its phase's group a title loses the phase's name ("Root cause: …").
      assert.ok(!rows.some((row) => /^\d+\/\d+ · (Root cause|Impact map|Comprehension):/.test(row.text)), rows.map((r) => r.text).join(' | '));
      await screenshot(p, `specs-tree-${theme}`);
    });

    it("opened from the Root Cause spec, shows every phase and document inside the panel at >= 11 px", async function () {
      this.timeout(3 * 60_000);
      const p = page!;
      await runCommand(p, 'View: Close All Editors');
      // The Specs view beside the graph, as a person works (and as the README's picture shows it).
      await openChantView(p);
      // Open the spec as a person does (Go to Spec…), then Show Graph on it.
      await runCommand(p, 'Chant: Go to Spec…');
      await p.locator('.quick-input-widget input').fill('Root cause');
      await assertEventually(async () => /Root cause/.test((await p.locator('.quick-input-widget .monaco-list-row').first().innerText().catch(() => '')) ?? ''), 'Open Spec finds the Root Cause spec');
      await p.keyboard.press('Enter');
      await p.locator(`.tabs-container .tab[aria-label^="${ROOT_CAUSE}.md"]`).first().waitFor({ timeout: 20_000 });
      await runCommand(p, 'Chant: Show Graph');
      let graph = await graphFrame(p);
      const drawn = async (): Promise<boolean> => (await graph.locator('.node.kind-spec').count()) >= 5;
      // code-server's webview bootstrap can stall on its service worker (a blank panel, none of our script run;
      // see test/integration/wait.ts openWebview): a panel still blank after 30 s is closed and opened again.
      if (!(await assertEventually(drawn, 'the chain is drawn', 30_000).then(() => true, () => false))) {
        await screenshot(p, `graph-open-stalled-${theme}`);
        console.log(`  [e2e] the graph panel stayed blank (${theme}); the webviews' console:\n    ${webviewConsole.slice(-40).join('\n    ')}`);
        await runCommand(p, 'View: Close Editor');
        await p.locator(`.tabs-container .tab.active[aria-label^="${ROOT_CAUSE}.md"]`).first().waitFor({ timeout: 20_000 });
        await runCommand(p, 'Chant: Show Graph');
        graph = await graphFrame(p);
        await assertEventually(drawn, 'the chain is drawn (second opening)', 30_000);
      }

      // Hold still (a relayout after the panel settles its size) before measuring.
      let last = '';
      await assertEventually(async () => {
        const now = JSON.stringify([await graph.locator('#graph').getAttribute('data-zoom'), await graph.locator(`.node[data-id="spec:${ROOT_CAUSE}"]`).boundingBox()]);
        const still = now === last;
        last = now;
        return still;
      }, 'the graph to hold still');

      const canvas = (await graph.locator('#graph').boundingBox())!;
      assert.ok(canvas.width >= 900 && canvas.width <= 1150, `a panel of about 1000 px: ${canvas.width}`);
      assert.ok(canvas.height >= 560, `a panel of about 700 px: ${canvas.height}`);
      const zoom = Number(await graph.locator('#graph').getAttribute('data-zoom'));
      const texts: Measured[] = await graph.locator('#viewport text').evaluateAll((elements, k) =>
        elements.map((el) => {
          const r = el.getBoundingClientRect();
          const node = el.closest('g.node');
          const box = node?.querySelector('.node-shape')?.getBoundingClientRect();
          return {
            text: el.textContent ?? '',
            kind: el.getAttribute('class') ?? '',
            fontPx:
              parseFloat(
                (
                  el.ownerDocument.defaultView as unknown as { getComputedStyle(e: unknown): { fontSize: string } }
                ).getComputedStyle(el).fontSize,
              ) * k,
            left: r.left,
            top: r.top,
            right: r.right,
            bottom: r.bottom,
            node:
              node && box ? { id: node.getAttribute('data-id') ?? '', left: box.left, right: box.right } : undefined,
          };
        }),
        zoom,
      );
      // The frame's coordinates start at the webview's corner; the canvas box is in the page's.
      const frameOrigin = (await graph.locator('body').boundingBox())!;
      const inside = {
        left: canvas.x - frameOrigin.x,
        top: canvas.y - frameOrigin.y,
        right: canvas.x - frameOrigin.x + canvas.width,
        bottom: canvas.y - frameOrigin.y + canvas.height,
      };
      const labels = texts.filter((t) => t.text.trim() !== '');
      assert.ok(labels.length >= 25, `${labels.length} labels`);
      const problems: string[] = [];
      for (const t of labels) {
        if (t.fontPx < READABLE_PX - 0.05) problems.push(`"${t.text}" is ${t.fontPx.toFixed(1)} px`);
        if (t.left < inside.left - 0.5 || t.right > inside.right + 0.5 || t.top < inside.top - 0.5 || t.bottom > inside.bottom + 0.5) problems.push(`"${t.text}" is outside the panel`);
        if (t.node && !/glyph/.test(t.kind) && (t.left < t.node.left - 0.5 || t.right > t.node.right + 0.5)) problems.push(`"${t.text}" runs out of its node ${t.node.id}`);
      }
      assert.deepEqual(problems, [], `${problems.length} of ${labels.length} labels`);

      // Every phase has its caption, the Upstream PR gate is there, and the documents too.
      const captions = texts.filter((t) => /column-caption/.test(t.kind)).map((t) => t.text);
      assert.deepEqual(captions, PHASES);
      assert.equal(await graph.locator('.node.kind-gate').count(), 1);
      assert.ok((await graph.locator('.node.kind-document').count()) >= 10, 'the documents of the chain');
      // The drawing uses the panel: no empty band under (or above) it, nothing cut.
      assertFillsPanel(await graphDrawingFit(graph), 'the chain at open');
      // The spec it was opened from is marked, at the zoom everything else has.
      assert.equal(await graph.locator(`.node.focus[data-id="spec:${ROOT_CAUSE}"]`).count(), 1);
      await screenshot(p, `graph-open-${theme}`);
    });
  });
}
