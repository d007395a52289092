// The investigation in the real workbench, light, dark and high contrast: the graph opened from a
// spec (chain scope as phase columns, the spec centred and highlighted, no label under 11 px) and
// the Investigation panel (the phases as a stepper, a research document rendered as markdown).
// Screenshots: test-results/screenshots/graph-chain-<theme>.png and investigation-<theme>.png.
import * as assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import { type Theme, assertEventually, assertFillsPanel, graphDrawingFit, openWorkbench, runCommand, screenshot } from './helpers';

const ROOT_CAUSE = '2026-02-08-005-k9w';
const ROOT_CAUSE_TITLE = 'Root cause: issue #1234 concurrent write data loss';

async function webviewFrame(page: Page, title: string): Promise<FrameLocator> {
  await page.locator(`.tabs-container .tab[aria-label^="${title}"]`).first().waitFor({ timeout: 30_000 });
  await page.locator('iframe.webview.ready:visible').last().waitFor({ timeout: 30_000 });
  return page.frameLocator('iframe.webview.ready:visible >> nth=-1').frameLocator('#active-frame');
}

/** Opens a spec with "Chant: Go to Spec…" (Quick Open leaves `.chant/` out, as files.exclude says). */
async function openSpecFile(page: Page, id: string, title: string): Promise<void> {
  await runCommand(page, 'Chant: Go to Spec…');
  const input = page.locator('.quick-input-widget input');
  await input.fill(title);
  const first = page.locator('.quick-input-widget .monaco-list-row').first();
  await assertEventually(async () => ((await first.getAttribute('aria-label')) ?? '').includes(title), `${title} first in the picker`);
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab[aria-label^="${id}.md"]`).first().waitFor({ timeout: 20_000 });
}

for (const theme of ['light', 'dark', 'highContrast'] as Theme[]) {
  describe(`Investigation (${theme} theme)`, function () {
    this.timeout(180_000);
    let page: Page;

    before(async () => {
      page = await openWorkbench({ theme });
      await runCommand(page, 'View: Close All Editors');
    });

    afterEach(async function () {
      if (this.currentTest?.state === 'failed') await screenshot(page, `failed-investigation-${theme}-${this.currentTest.title}`);
    });

    after(async () => {
      if (page) await runCommand(page, 'View: Close All Editors').catch(() => undefined);
      await page?.close();
    });

    it('the graph opened from a spec reads as a chain, centred on the spec, labels readable', async () => {
      await openSpecFile(page, ROOT_CAUSE, ROOT_CAUSE_TITLE);
      await runCommand(page, 'Chant: Show Graph');
      const graph = await webviewFrame(page, 'Chant Graph');
      const focus = graph.locator(`.node.focus[data-id="spec:${ROOT_CAUSE}"]`);
      await focus.waitFor({ timeout: 30_000 });
      await assertEventually(async () => (await graph.locator('.column-caption').count()) >= 5, 'the phase captions');
      assert.ok((await graph.locator('.node.kind-gate').count()) === 1, 'the Upstream PR gate');
      assert.equal(await graph.locator('.node[data-id^="spec:2026-02-09-002-q3d"]').count(), 0, 'no unrelated docs driver');
      const smallest = Number(await graph.locator('#graph').getAttribute('data-smallest-label-px'));
      assert.ok(smallest >= 11, `smallest label ${smallest} px`);
      // The spec it was opened from is inside the canvas, near its centre.
      const canvas = (await graph.locator('#graph').boundingBox())!;
      const box = (await focus.boundingBox())!;
      assert.ok(box.x >= canvas.x && box.x + box.width <= canvas.x + canvas.width, 'the spec is inside horizontally');
      assert.ok(Math.abs(box.x + box.width / 2 - (canvas.x + canvas.width / 2)) < canvas.width / 4, 'the spec is near the centre');
      // Left to right in workflow order.
      const x = async (id: string): Promise<number> => (await graph.locator(`.node[data-id="${id}"]`).boundingBox())!.x;
      assert.ok((await x(`spec:${ROOT_CAUSE}`)) < (await x('spec:2026-02-08-008-j3n')));
      await page.waitForTimeout(300);
      assertFillsPanel(await graphDrawingFit(graph), 'the chain at open');
      await screenshot(page, `graph-chain-${theme}`);
    });

    it('the Investigation panel shows the phases as a stepper with the research rendered', async () => {
      await runCommand(page, 'View: Close All Editors');
      await openSpecFile(page, ROOT_CAUSE, ROOT_CAUSE_TITLE);
      await runCommand(page, 'Chant: Show Investigation');
      const panel = await webviewFrame(page, 'Investigation issue-1234');
      await panel.locator('.stepper').waitFor({ timeout: 30_000 });
      assert.deepEqual(await panel.locator('.step').evaluateAll((els) => els.map((el) => el.getAttribute('data-phase'))), ['Comprehension', 'Reproduction', 'Root Cause', 'Impact Map', 'Fork Fix', 'Upstream PR']);
      // The comprehension document is rendered as markdown (headings demoted, no raw HTML).
      const doc = panel.locator('.step[data-phase="Comprehension"] .markdown').first();
      await doc.waitFor();
      assert.ok((await doc.locator('h3, h4').count()) > 0, 'headings rendered');
      assert.equal(await doc.locator('script, img, iframe').count(), 0);
      await page.waitForTimeout(300);
      await screenshot(page, `investigation-${theme}`);
    });
  });
}
