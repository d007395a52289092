// The set-up and clean-up every suite that runs agents in the throw-away workspace (a git repository)
// shares. Set-up writes and commits the suite's specs, points the runs' worktrees at a scratch folder
// and sets the user settings it names (the scripted agent's command line), then waits until the index
// sees the specs. Clean-up takes away everything the suite made, so the next suite sees the fixture
// unchanged: its settings, the worktrees under the scratch folder, the specs and the files it names
// (committed away), the spec branches, chant's logs, the scratch folder and chant's terminals; it
// returns once the index has dropped the specs (later suites count the fixture's).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChantApi } from '../../src/api';
import { waitFor } from './wait';

export const EXTENSION_ID = 'chant-vscode.chant-vscode';

export interface RunSuite {
  api: ChantApi;
  /** The workspace folder: the fixture project and its git repository. */
  root: string;
  /** The runs' worktree folder (chant.worktreeFolder), removed afterwards. */
  scratch: string;
  extensionPath: string;
  /** test/agent/scriptedAgent.js of this extension. */
  agentScript: string;
  git(...args: string[]): string;
  /** Commits what is staged as the test user. */
  commit(message: string): string;
  specFile(id: string): string;
}

export interface RunSuiteSetUp {
  /** The scratch folder's name prefix in the system's temporary folder. */
  scratchPrefix: string;
  /** Spec id -> file text, written and committed with `message`. */
  specs?: Record<string, string>;
  message?: string;
  /** chant.<key> user settings besides worktreeFolder, given the scripted agent's path. */
  settings?: (agentScript: string) => Record<string, unknown>;
}

export const chantConfig = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('chant');

export async function setUpRunSuite(options: RunSuiteSetUp): Promise<RunSuite> {
  const extension = vscode.extensions.getExtension<ChantApi>(EXTENSION_ID)!;
  const api = await extension.activate();
  const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
  const agentScript = path.join(extension.extensionPath, 'test', 'agent', 'scriptedAgent.js');
  assert.ok(fs.existsSync(agentScript), agentScript);
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  const suite: RunSuite = {
    api,
    root,
    scratch: fs.mkdtempSync(path.join(os.tmpdir(), options.scratchPrefix)),
    extensionPath: extension.extensionPath,
    agentScript,
    git,
    commit: (message) => git('-c', 'user.name=Test', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', message),
    specFile: (id) => path.join(root, '.chant', 'specs', `${id}.md`),
  };
  const ids = Object.keys(options.specs ?? {});
  if (ids.length > 0) {
    for (const [id, text] of Object.entries(options.specs!)) fs.writeFileSync(suite.specFile(id), text);
    git('add', '.chant/specs');
    suite.commit(options.message ?? 'test: specs');
  }
  // Settings that name a program or folder are the user's alone (src/settings.ts).
  const settings = { worktreeFolder: suite.scratch, ...options.settings?.(agentScript) };
  for (const [key, value] of Object.entries(settings))
    await chantConfig().update(key, value, vscode.ConfigurationTarget.Global);
  await waitFor(() => ids.every((id) => api.projects.findSpec(id)), 20_000, 'the index to see the test specs');
  return suite;
}

export interface RunSuiteCleanUp {
  /** The specs the suite wrote or made: their files and branches `chant/<id>` go. */
  ids: readonly string[];
  /** chant.<key> user settings to clear besides worktreeFolder. */
  settings?: readonly string[];
  /** Other files of the project the suite made (relative to the root). */
  files?: readonly string[];
  message: string;
}

function tryGit(suite: RunSuite, ...args: string[]): void {
  try {
    suite.git(...args);
  } catch {
    // nothing to do: never created, already removed, nothing to commit
  }
}

/** Takes away what the suite made; nothing when its set-up never ran (activation failed). */
export async function cleanUpRunSuite(suite: RunSuite | undefined, options: RunSuiteCleanUp): Promise<void> {
  if (!suite) return;
  const { git, root, scratch } = suite;
  for (const key of ['worktreeFolder', ...(options.settings ?? [])]) await chantConfig().update(key, undefined, vscode.ConfigurationTarget.Global);
  for (const line of git('worktree', 'list', '--porcelain').split('\n')) {
    const dir = /^worktree (.+)$/.exec(line)?.[1];
    if (dir && dir.startsWith(scratch)) tryGit(suite, 'worktree', 'remove', '--force', dir);
  }
  git('worktree', 'prune');
  tryGit(suite, 'merge', '--abort');
  git('checkout', '-q', 'main');
  const files = [...options.ids.map((id) => `.chant/specs/${id}.md`), ...(options.files ?? [])];
  git('rm', '-q', '-f', '--ignore-unmatch', '--', ...files);
  for (const file of files) fs.rmSync(path.join(root, file), { force: true });
  tryGit(suite, '-c', 'user.name=Test', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', options.message);
  for (const id of options.ids) tryGit(suite, 'branch', '-D', `chant/${id}`);
  fs.rmSync(path.join(root, '.chant', 'logs'), { recursive: true, force: true });
  fs.rmSync(scratch, { recursive: true, force: true });
  for (const t of vscode.window.terminals) if (t.name.startsWith('chant · ')) t.dispose();
  await waitFor(() => !options.ids.some((id) => suite.api.projects.findSpec(id)), 20_000, 'the index to drop the test specs');
}

/** A workspace state in memory, as a reloaded window reads it back (each value a JSON copy). */
export function memento(): vscode.Memento {
  const store = new Map<string, unknown>();
  return {
    keys: () => [...store.keys()],
    get: <T,>(key: string, fallback?: T) =>
      store.has(key) ? (JSON.parse(JSON.stringify(store.get(key))) as T) : fallback,
    update: async (key: string, value: unknown) => void store.set(key, value),
  } as vscode.Memento;
}
