// A real VS Code (code-server, see scripts/codeServer.mjs) and a real browser (Debian's Chromium via
// playwright-core). Used by the e2e tier and by the integration launcher's code-server mode.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';

/** Compiled files live in out-test/test/<tier>/, three levels below the repository. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');

export interface CodeServer {
  url: string;
  port: number;
  userDataDir: string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  workspace: string;
  port?: number;
  userDataDir?: string;
  extensionsDir?: string;
  settings?: Record<string, unknown>;
  /** Settings of `machine` scope (code-server reads them from the Remote tab's file). */
  machineSettings?: Record<string, unknown>;
  env?: Record<string, string>;
  workspaceTrust?: boolean;
  logFile?: string;
}

export interface WorkbenchUrlOptions {
  port: number;
  folder?: string;
  extensionDevelopmentPath?: string;
  extensionTestsPath?: string;
}

interface CodeServerScript {
  startCodeServer(options: CodeServerOptions): Promise<CodeServer>;
  workbenchUrl(options: WorkbenchUrlOptions): string;
  updateUserSettings(userDataDir: string, settings: Record<string, unknown>): void;
  updateMachineSettings(userDataDir: string, settings: Record<string, unknown>): void;
}

interface WorkspaceScript {
  EXAMPLE_DIR: string;
  FIXTURE_DIR: string;
  prepareExampleWorkspace(destDir?: string): string;
  prepareWorkspace(sourceDir: string, options?: { destDir?: string; silent?: boolean; prefix?: string }): string;
}

// The scripts are ES modules shared with `npm start`. Under "module": "commonjs", tsc turns
// `import()` into `require()`, which cannot load them on every Node 20; a Function keeps a real import().
const importEsm = new Function('specifier', 'return import(specifier)') as <T>(specifier: string) => Promise<T>;
const script = <T>(name: string): Promise<T> => importEsm<T>(pathToFileURL(path.join(REPO_ROOT, 'scripts', name)).href);

export const codeServerScript = (): Promise<CodeServerScript> => script<CodeServerScript>('codeServer.mjs');
export const workspaceScript = (): Promise<WorkspaceScript> => script<WorkspaceScript>('exampleWorkspace.mjs');

export const CHROMIUM_PATH = process.env.CHANT_CHROMIUM_PATH ?? '/usr/bin/chromium';
// From ../shared/VSCODE-HEADLESS.md: no sandbox (we run as root in containers), no GPU, and none of
// Chromium's own network traffic (there is no internet to reach).
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile, so no state leaks from one run into the next. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install chromium, or set CHANT_CHROMIUM_PATH.`);
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Node's `setTimeout` as a promise that rejects, for `Promise.race` against slow UI or runs. */
export function failAfter(ms: number, message: string): { promise: Promise<never>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}
