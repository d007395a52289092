// Restricted Mode in the real UI: a second code-server with workspace trust left on opens a copy of
// the example, and the maintainer answers VS Code's trust dialog with "No, I don't trust the
// authors". Browsing still works (the Specs tree lists the investigation), but "Work Spec" from the
// tree explains that runs need a trusted workspace and changes nothing: no branch, no terminal, the
// spec's bytes as they were.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { type PrivateWorkbench, THEMES, assertEventually, openChantView, openPrivateWorkbench, runCommand, screenshot, session, treeRows, waitForWorkbench, workbenchClasses } from './helpers';

const ID = '2026-02-09-001-a7c';
const TITLE = 'Fix typo in README storage section';

describe('Restricted Mode', () => {
  let bench: PrivateWorkbench | undefined;
  let workspace: string | undefined;
  let page: Page | undefined;
  let hookMarker = '';

  before(async function () {
    if (!session().source.includes('kvstore')) this.skip();
    bench = await openPrivateWorkbench({
      name: 'restricted',
      workspaceTrust: true,
      settings: { 'workbench.colorTheme': THEMES.light.setting },
      // A repository's own config can make git run a program: it must not run in Restricted Mode.
      prepare: (copy) => {
        hookMarker = `${copy}-fsmonitor-ran`;
        execFileSync('git', ['config', 'core.fsmonitor', `touch '${hookMarker}'; false #`], { cwd: copy });
      },
    });
    ({ page, workspace } = bench);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await screenshot(page, `failed-restricted-${this.currentTest.title}`);
  });

  after(async () => {
    await bench?.close();
  });

  it('browses specs but refuses to work one, changing nothing', async () => {
    const p = page!;
    const dialog = p.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 60_000 });
    assert.match(await dialog.innerText(), /trust the authors/i);
    await dialog.locator('.monaco-button', { hasText: "No, I don't trust the authors" }).click();
    await waitForWorkbench(p);
    await assertEventually(async () => (await workbenchClasses(p)).includes(THEMES.light.workbenchClass), 'the light theme');
    await assertEventually(async () => /Restricted Mode/.test(await p.locator('.part.statusbar').innerText()), 'the Restricted Mode status bar item');

    // Browsing works: the tree lists the example's specs.
    await openChantView(p);
    const rows = await treeRows(p, 'Specs');
    assert.ok(rows.some((r) => r.includes(TITLE)), rows.join('\n'));

    const specFile = path.join(workspace!, '.chant', 'specs', `${ID}.md`);
    const before = fs.readFileSync(specFile);
    const row = p.locator('.part.sidebar .monaco-list-row', { hasText: TITLE }).first();
    const work = row.locator('.actions .action-label[aria-label^="Work Spec"]');
    // Inline actions show while the row is hovered; a tree refresh re-renders the row, so hover again.
    await assertEventually(async () => {
      await row.hover();
      return work.isVisible();
    }, 'the row\'s Work Spec action');
    await work.click();

    const toast = p.locator('.notification-toast', { hasText: 'only does in a trusted workspace' });
    await toast.waitFor({ timeout: 20_000 });
    assert.match(await toast.innerText(), /Working a spec runs an agent program and commits to git/);
    assert.ok(await toast.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).isVisible());
    await screenshot(p, 'restricted-mode');

    // Nothing happened: no branch, no run terminal, the spec's bytes unchanged. No wait is needed:
    // the trust check is the command's first step and this toast is its answer, so by now the
    // command has returned without starting anything.
    assert.equal(execFileSync('git', ['branch', '--list', 'chant/*'], { cwd: workspace!, encoding: 'utf8' }).trim(), '');
    assert.ok(fs.readFileSync(specFile).equals(before), 'the spec file is unchanged');
    // A run shows its terminal in the panel; a panel that is not there holds no terminal, and one
    // that is there must be readable (a read error fails the test rather than passing it).
    const panel = p.locator('.part.panel');
    const panelText = (await panel.count()) === 0 ? '' : await panel.innerText({ timeout: 10_000 });
    assert.doesNotMatch(panelText, /chant · 001-a7c/);
    assert.equal(await p.locator('.terminal-tabs-entry, .single-terminal-tab', { hasText: '001-a7c' }).count(), 0, 'no run terminal tab');
  });

  it('shows the graph (drift by file times) without running git, so the repository\'s hook never runs', async () => {
    const p = page!;
    await runCommand(p, 'Chant: Show Graph');
    const graph = p.frameLocator('iframe.webview.ready:visible >> nth=-1').frameLocator('#active-frame');
    await graph.locator('.node').first().waitFor({ timeout: 30_000 });
    // The drift pass runs right after the first draw; give it time to (not) call git.
    await assertEventually(async () => (await graph.locator('.node.drifted').count()) > 0, 'the drift mark (by file times)', 20_000);
    assert.equal(fs.existsSync(hookMarker), false, 'core.fsmonitor ran: git was called in Restricted Mode');
    await screenshot(p, 'restricted-mode-graph');
  });
});
