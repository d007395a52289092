// Choose Agent as a person walks it in code-server (a remote window): Check Agent → Choose Agent… →
// Another agent… → a typed command line. The setting is written where VS Code keeps it, the Settings
// editor opens on the tab that shows it (Remote: the User tab hides machine settings in a remote
// window), every agent setting is visible there, and Check Agent then confirms the agent. A command
// whose program is missing is refused with what to install, and nothing is written.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { assertEventually, openChantView, openPrivateWorkbench, runCommand, screenshot, waitForWorkbench, type PrivateWorkbench } from './helpers';
import { REPO_ROOT } from './workbench';

const SCRIPTED_AGENT = path.join(REPO_ROOT, 'test', 'agent', 'scriptedAgent.js');

describe('Choose Agent', () => {
  let bench: PrivateWorkbench | undefined;
  let page: Page;

  before(async function () {
    this.timeout(3 * 60_000);
    bench = await openPrivateWorkbench({ name: 'choose-agent', settings: { 'chant.runner': 'direct' } });
    page = bench.page;
    await waitForWorkbench(page);
    await openChantView(page);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshot(page, `failed-choose-agent-${this.currentTest.title}`);
  });

  after(async () => {
    await bench?.close();
  });

  async function chooseAnotherAgent(command: string): Promise<void> {
    await runCommand(page, 'Chant: Check Agent');
    const report = page.locator('.notification-toast', { hasText: 'Work Spec uses the direct runner' }).last();
    await report.waitFor({ timeout: 60_000 });
    await report.locator('.monaco-button', { hasText: 'Choose Agent…' }).click();
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Another agent…' }).first();
    await row.waitFor({ timeout: 30_000 });
    // Each preset says whether its program is installed.
    const claude = await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Claude Code' }).first().innerText();
    assert.match(claude, /found at|not installed/, claude);
    await row.click();
    const input = page.locator('.quick-input-widget input');
    await assertEventually(async () => /Command line of your agent/.test(await page.locator('.quick-input-widget').innerText()), 'the command line box');
    await input.fill(command);
  }

  it('refuses a program that is not installed, saying so, and writes nothing', async function () {
    this.timeout(2 * 60_000);
    await chooseAnotherAgent('no-such-agent-xyz --prompt-file ${promptFile}');
    const message = page.locator('.quick-input-widget .quick-input-message');
    await assertEventually(async () => /`no-such-agent-xyz` is not on PATH: install it, or give its full path/.test(await message.innerText()), 'the box names the missing program');
    await page.keyboard.press('Enter');
    // The box stays open while its text is refused; Escape leaves without writing.
    await page.keyboard.press('Escape');
    const settings = path.join(bench!.workspace, '.vscode', 'settings.json');
    assert.ok(!fs.existsSync(settings) || !/agent\.command/.test(fs.readFileSync(settings, 'utf8')));
  });

  it('writes a typed command line, opens the tab that shows it, and Check Agent confirms the agent', async function () {
    this.timeout(3 * 60_000);
    const command = `node ${SCRIPTED_AGENT} \${promptFile}`;
    await chooseAnotherAgent(command);
    await page.keyboard.press('Enter');

    // The Settings editor, on the Remote tab (code-server is a remote window), at the setting.
    const editor = page.locator('.settings-editor');
    await editor.waitFor({ timeout: 30_000 });
    await assertEventually(async () => /Remote/.test((await editor.locator('.settings-tabs-widget .checked').first().innerText()) ?? ''), 'the Remote tab is selected');
    const row = editor.locator('.setting-item', { hasText: 'Agent: Command' }).first();
    await row.waitFor({ timeout: 30_000 });
    assert.equal(await row.locator('input, textarea').first().inputValue(), command);
    await screenshot(page, 'choose-agent-remote-settings');

    // Every Chant setting that names a program or folder is on this tab too.
    for (const [key, label] of [['chant.agent.command', 'Agent: Command'], ['chant.cliPath', 'Cli Path'], ['chant.worktreeFolder', 'Worktree Folder']]) {
      await editor.locator('.settings-header .suggest-input-container').first().click();
      await page.keyboard.press('Control+A');
      await page.keyboard.type(key);
      await assertEventually(async () => (await editor.locator('.setting-item', { hasText: label }).count()) > 0, `"${label}" on the Remote tab`);
    }

    // Check Agent ran again after the choice and found the program.
    await assertEventually(
      async () => (await page.locator('.notification-toast', { hasText: 'Ready to run.' }).count()) > 0,
      'Check Agent confirms the agent',
      30_000,
    );
    const confirmed = await page.locator('.notification-toast', { hasText: 'Ready to run.' }).last().innerText();
    assert.match(confirmed, /Found: node /, confirmed);
  });
});
