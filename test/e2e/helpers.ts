// Building blocks for e2e tests: one code-server + one browser per run (started by run.ts), a
// workbench page per test group, and helpers that click through VS Code the way a person does.
// Selectors are VS Code's own DOM (1.100); keep them here so a VS Code update is fixed in one place.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { type Browser, type CodeServer, REPO_ROOT, RESULTS_DIR, codeServerScript, launchBrowser, workspaceScript } from './workbench';

export const SCREENSHOT_DIR = path.join(RESULTS_DIR, 'screenshots');

/**
 * The Get Started walkthrough opens by itself on a first activation; tests other than the ones about it
 * turn that off (VS Code's own setting, which the extension honours; it has machine scope, so in
 * code-server it is read from the Remote tab's settings) so it covers no editor they use.
 */
export const NO_WALKTHROUGH = { 'workbench.welcomePage.walkthroughs.openOnInstall': false } as const;

/** Theme setting values, and the class VS Code puts on the workbench once the theme is applied. */
export const THEMES = {
  light: { setting: 'Default Light Modern', workbenchClass: 'vscode-theme-defaults-themes-light_modern-json' },
  dark: { setting: 'Default Dark Modern', workbenchClass: 'vscode-theme-defaults-themes-dark_modern-json' },
  highContrast: { setting: 'Default High Contrast', workbenchClass: 'vscode-theme-defaults-themes-hc_black-json' },
} as const;
export type Theme = keyof typeof THEMES;

export interface Session {
  server: CodeServer;
  browser: Browser;
  /** The throw-away workspace the workbench opens. */
  workspace: string;
  /** Which sample it is a copy of: `examples/kvstore` or `test/fixtures/workspace`. */
  source: string;
}

let current: Session | undefined;

/** The running session; e2e tests call this, run.ts starts and stops it. */
export function session(): Session {
  if (!current) throw new Error('No e2e session: run the e2e tests through out-test/test/e2e/run.js.');
  return current;
}

export async function startSession(): Promise<Session> {
  const { prepareExampleWorkspace, prepareWorkspace, EXAMPLE_DIR, FIXTURE_DIR } = await workspaceScript();
  // The kvstore example is what a newcomer sees; until it has specs, the test fixture stands in.
  const useExample = fs.existsSync(path.join(EXAMPLE_DIR, '.chant', 'specs'));
  const workspace = useExample ? prepareExampleWorkspace() : prepareWorkspace(FIXTURE_DIR, { prefix: 'chant-e2e-' });
  const source = path.relative(REPO_ROOT, useExample ? EXAMPLE_DIR : FIXTURE_DIR);
  const { startCodeServer } = await codeServerScript();
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const server = await startCodeServer({ workspace, machineSettings: NO_WALKTHROUGH, logFile: path.join(RESULTS_DIR, 'code-server-e2e.log') });
  try {
    current = { server, browser: await launchBrowser(), workspace, source };
  } catch (error) {
    await server.stop();
    throw error;
  }
  console.log(`  [e2e] ${source} at ${workspace}, code-server on port ${server.port}`);
  return current;
}

export async function stopSession(): Promise<void> {
  if (!current) return;
  const { browser, server, workspace } = current;
  current = undefined;
  await browser.close();
  await server.stop();
  fs.rmSync(workspace, { recursive: true, force: true });
}

/**
 * A new workbench page on the session's workspace with our extension loaded from source (only
 * `extensionDevelopmentPath` in the payload), in the given colour theme. The theme is a user
 * setting, which the workbench reads when it loads.
 */
export async function openWorkbench({ theme = 'light' }: { theme?: Theme } = {}): Promise<Page> {
  const { server, browser, workspace } = session();
  const { updateUserSettings, workbenchUrl } = await codeServerScript();
  updateUserSettings(server.userDataDir, { 'workbench.colorTheme': THEMES[theme].setting });
  const page = await browser.context.newPage();
  await page.goto(workbenchUrl({ port: server.port, folder: workspace, extensionDevelopmentPath: REPO_ROOT }));
  await waitForWorkbench(page);
  // The first paint uses the theme the browser profile remembers; the setting wins a moment later.
  await assertEventually(async () => (await workbenchClasses(page)).includes(THEMES[theme].workbenchClass), `the ${theme} theme`);
  return page;
}

/** Resolves once the workbench is up and our extension's contributions are in the activity bar. */
export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
  await chantActivityItem(page).waitFor({ timeout: 60_000 });
}

export async function workbenchClasses(page: Page): Promise<string[]> {
  return ((await page.locator('.monaco-workbench').getAttribute('class')) ?? '').split(/\s+/);
}

function chantActivityItem(page: Page): Locator {
  return page.locator('.part.activitybar .action-item a[aria-label^="Chant"]');
}

/** Shows the Chant view container in the side bar (a click on its activity bar icon) and returns the side bar. */
export async function openChantView(page: Page): Promise<Locator> {
  const sidebar = page.locator('.part.sidebar');
  const title = sidebar.locator('.composite.title .title-label');
  // A click on the icon of the container already shown would hide the side bar instead.
  if (!/^chant/i.test(((await title.textContent().catch(() => '')) ?? '').trim()) || !(await sidebar.isVisible())) {
    await chantActivityItem(page).click();
  }
  await assertEventually(async () => /^chant/i.test(((await title.textContent()) ?? '').trim()), 'the side bar shows Chant');
  return sidebar;
}

/** Drags the side bar's edge so long tree labels fit (the default 300 px cuts spec titles short). */
export async function resizeSidebar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  const edge = { x: box.x + box.width - 1, y: box.y + box.height / 2 };
  await page.mouse.move(edge.x, edge.y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, edge.y, { steps: 5 });
  await page.mouse.up();
}

/**
 * Text (the accessible label) of every row of a view's tree, e.g. "Map the storage layer,
 * 2026-01-10-001-abc, completed". Waits until the tree has rows.
 */
export async function treeRows(page: Page, viewName = 'Specs'): Promise<string[]> {
  const pane = page.locator('.part.sidebar .pane', { has: page.locator(`.pane-header[aria-label^="${viewName}"]`) });
  const rows = pane.locator('.monaco-list-row');
  await assertEventually(async () => (await rows.count()) > 0, `the ${viewName} view has rows`);
  return rows.evaluateAll((elements) => elements.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
}

/** Runs a command by its title from the command palette (F1). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  // Enter picks the first match; wait until that is the command asked for, not a fuzzy neighbour.
  const first = page.locator('.quick-input-widget .monaco-list-row').first();
  await assertEventually(async () => ((await first.getAttribute('aria-label')) ?? '').startsWith(title), `"${title}" in the command palette`);
  await page.keyboard.press('Enter');
}

/** Saves a full-window PNG as test-results/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  // Park the mouse on the editor area so no hover or tooltip ends up in the picture.
  await page.mouse.move(900, 600);
  await page.waitForTimeout(300);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Answers the workbench's modal dialog that says `text` by clicking `button`. False when no such
 * dialog shows within `timeoutMs` (the caller decides whether that is a failure).
 */
export async function answerDialog(page: Page, text: string, button: string, timeoutMs = 15_000): Promise<boolean> {
  const dialog = page.locator('.monaco-dialog-box', { hasText: text });
  if (!(await dialog.waitFor({ timeout: timeoutMs }).then(() => true, () => false))) return false;
  await dialog.locator('.monaco-button', { hasText: button }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  return true;
}

/** Spec titles (first `# ` heading) in a workspace's `.chant/specs`, to recognise tree rows by. */
export function specTitles(workspace: string): string[] {
  const dir = path.join(workspace, '.chant', 'specs');
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.md'))
    .map((file) => /^# (.+)$/m.exec(fs.readFileSync(path.join(dir, file), 'utf8'))?.[1].trim())
    .filter((title): title is string => Boolean(title));
}

export async function assertEventually(
  condition: () => Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition().catch(() => false)) return;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A workbench on a copy of the example of its own: its own code-server, settings and workspace. */
export interface PrivateWorkbench {
  page: Page;
  workspace: string;
  close(): Promise<void>;
}

/**
 * How the graph's drawing uses its canvas (the graph webview's `#viewport` inside `#graph`, px): the
 * empty bands left, right, above and below it (negative: cut off) and the part of the canvas it spans.
 */
export async function graphDrawingFit(
  graph: FrameLocator,
): Promise<{
  width: number;
  height: number;
  left: number;
  right: number;
  above: number;
  below: number;
  widthShare: number;
  heightShare: number;
}> {
  return graph.locator('#graph').evaluate((svg) => {
    const canvas = svg.getBoundingClientRect();
    const drawing = svg.querySelector('#viewport')!.getBoundingClientRect();
    return {
      width: canvas.width,
      height: canvas.height,
      left: drawing.left - canvas.left,
      right: canvas.right - drawing.right,
      above: drawing.top - canvas.top,
      below: canvas.bottom - drawing.bottom,
      widthShare: drawing.width / canvas.width,
      heightShare: drawing.height / canvas.height,
    };
  });
}

/**
 * The drawing opened whole and uses the panel: nothing cut, at least 70% of the panel's width or
 * height, and centred, so the spare room is a margin on both sides rather than one empty band.
 */
export function assertFillsPanel(fit: Awaited<ReturnType<typeof graphDrawingFit>>, what: string): void {
  const text = `${what}: ${JSON.stringify(fit, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 100) / 100 : v))}`;
  for (const side of ['left', 'right', 'above', 'below'] as const) assert.ok(fit[side] >= -1, `${text}: cut off ${side === 'above' || side === 'below' ? side : `on the ${side}`}`);
  assert.ok(fit.widthShare >= 0.7 || fit.heightShare >= 0.7, `${text}: fills less than 70% of the panel both ways`);
  assert.ok(Math.abs(fit.above - fit.below) <= 24, `${text}: an empty band ${fit.above > fit.below ? 'above' : 'below'} the drawing`);
  assert.ok(Math.abs(fit.left - fit.right) <= 24, `${text}: an empty band on the ${fit.left > fit.right ? 'left' : 'right'}`);
}

/**
 * For tests that must not share the session's server: another trust setting, or a run that changes
 * the workspace's git history. `prepare` edits the fresh copy before the server opens it. The page
 * is loaded but not waited on: with workspace trust on, VS Code's trust dialog comes first.
 */
export async function openPrivateWorkbench(options: {
  name: string;
  settings?: Record<string, unknown>;
  workspaceTrust?: boolean;
  prepare?: (workspace: string) => void;
}): Promise<PrivateWorkbench> {
  const { prepareExampleWorkspace } = await workspaceScript();
  const workspace = prepareExampleWorkspace();
  options.prepare?.(workspace);
  const { startCodeServer, workbenchUrl } = await codeServerScript();
  const server = await startCodeServer({
    workspace,
    workspaceTrust: options.workspaceTrust,
    settings: options.settings,
    machineSettings: NO_WALKTHROUGH,
    logFile: path.join(RESULTS_DIR, `code-server-e2e-${options.name}.log`),
  });
  const page = await session().browser.context.newPage();
  await page.goto(workbenchUrl({ port: server.port, folder: workspace, extensionDevelopmentPath: REPO_ROOT }));
  return {
    page,
    workspace,
    close: async () => {
      await page.close();
      await server.stop();
      fs.rmSync(workspace, { recursive: true, force: true });
    },
  };
}
