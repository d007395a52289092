// A hostile repository for the tests of issue 11, made in temporary folders: secrets outside the
// project (an SSH key, a prompt, a markdown file, the process environment), a project whose specs,
// config.md and prompts try to reach them (absolute paths, `..`, committed symlinks), and a
// marker name that hostile shell text would create.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../src/core/project/config';
import { ProjectPaths } from '../../src/core/project/project';
import { parseSpec } from '../../src/core/spec/specParser';
import type { Spec } from '../../src/core/spec/types';
import { shQuote } from '../../src/core/workflow/commandLine';
import type { runChecks } from '../../src/core/workflow/runChecks';
import type { DirectRunOptions, RunPlan } from '../../src/runs/directRun';
import { repoRoot } from './paths';
import { git, initRepo, makeTempDir, removeDir, writeFiles } from './tempRepo';

export const SECRETS = {
  ssh: 'SECRET-SSH-KEY-4f1c',
  prompt: 'SECRET-PROMPT-TEXT-9a2e',
  extension: 'SECRET-EXTENSION-7b3d',
  env: 'SECRET-ENV-TOKEN-c0de',
};
export const ENV_NAME = 'CHANT_HOSTILE_TEST_TOKEN';
export const ID = '2026-02-08-001-r4x';
export const CONFIG = `---\nproject:\n  name: demo\ndefaults:\n  prompt: standard\n  main_branch: main\n  prompt_extensions: ['../../../home/x']\n---\n# Config\n`;

export interface HostileRepo {
  /** The temporary folder holding everything. */
  base: string;
  /** The stand-in for the user's home: secrets live here, outside the project. */
  home: string;
  /** The project (a git repository). */
  project: string;
  /** A folder for worktrees. */
  worktrees: string;
}

/** Builds the hostile layout; the project is a git repository without commits (callers commit). */
export function makeHostileRepo(files: Record<string, string> = {}): HostileRepo {
  const base = makeTempDir('chant-hostile-');
  const home = path.join(base, 'home');
  const project = path.join(base, 'project');
  const worktrees = path.join(base, 'worktrees');
  mkdirSync(worktrees);
  writeFiles(home, { '.ssh/id_rsa': `${SECRETS.ssh}\n`, 'outside-prompt.md': `${SECRETS.prompt}\n`, 'x.md': `${SECRETS.extension}\n` });
  mkdirSync(project);
  initRepo(project);
  writeFiles(project, { 'README.md': '# demo\n', '.chant/config.md': CONFIG, '.chant/.gitignore': 'logs/\n', ...files });
  mkdirSync(path.join(project, 'docs'), { recursive: true });
  // Committed symlinks: a design document that is the SSH key, a prompt that lives in home, a folder out.
  symlinkSync(path.join(home, '.ssh', 'id_rsa'), path.join(project, 'docs', 'design.md'));
  mkdirSync(path.join(project, '.chant', 'prompts'), { recursive: true });
  symlinkSync(path.join(home, 'outside-prompt.md'), path.join(project, '.chant', 'prompts', 'evil.md'));
  symlinkSync(home, path.join(project, 'linked-home'));
  return { base, home, project, worktrees };
}

export function specText(frontmatter: string, title = 'Add the thing', criteria = ['Thing exists', 'Thing committed']): string {
  return `---\ntype: code\nstatus: pending\n${frontmatter}---\n# ${title}\n\nDo it.\n\n## Acceptance Criteria\n\n${criteria.map((c) => `- [ ] ${c}`).join('\n')}\n`;
}

/** True when `text` holds any planted secret. */
export function leaksSecret(text: string): string | undefined {
  return Object.values(SECRETS).find((secret) => text.includes(secret));
}

export function writeText(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

export const SCRIPTED_AGENT = path.join(repoRoot, 'test', 'agent', 'scriptedAgent.js');

/** Readiness that lets a spec run (the run checks' other findings are what a test looks at). */
export const READY = { ready: true, blocked: false, blockers: [], workBlockers: [] } as unknown as Parameters<typeof runChecks>[0]['readiness'];

/**
 * The fixture the hostile repository suites share: a hostile repository per test (removed after
 * it), the direct runner's options for its spec, and the agent's line run as a terminal would.
 * Made inside a `describe`, whose tests it serves.
 */
export class HostileFixture {
  repo!: HostileRepo;
  paths!: ProjectPaths;

  constructor() {
    afterEach(() => {
      try {
        git(this.repo.project, 'worktree', 'prune');
      } catch {
        // no repository
      }
      removeDir(this.repo.base);
    });
  }

  /**
   * The hostile project with `files`, then `links` (project-relative -> target), committed as the
   * pull request would; `silent`: `.chant/` excluded from git first, as silent mode does.
   */
  make(files: Record<string, string>, links: Record<string, string> = {}, { silent = false } = {}): void {
    this.repo = makeHostileRepo(files);
    this.paths = new ProjectPaths(this.repo.project);
    if (silent) writeFileSync(path.join(this.repo.project, '.git', 'info', 'exclude'), '.chant/\n', { flag: 'a' });
    for (const [at, target] of Object.entries(links)) {
      mkdirSync(path.dirname(path.join(this.repo.project, at)), { recursive: true });
      symlinkSync(target, path.join(this.repo.project, at));
    }
    git(this.repo.project, 'add', '-A');
    // A link the pull request commits where git ignores files (.chant/logs/) is committed all the same.
    if (Object.keys(links).length > 0) git(this.repo.project, 'add', '-f', '--', ...Object.keys(links));
    git(this.repo.project, 'commit', '-q', '-m', 'pull request');
  }

  /** Turns the project silent after the fact, as `chant silent` does: `.chant/` excluded from git and untracked. */
  untrackChant(): void {
    writeFileSync(path.join(this.repo.project, '.git', 'info', 'exclude'), '.chant/\n', { flag: 'a' });
    git(this.repo.project, 'rm', '-r', '-q', '--cached', '.chant');
    git(this.repo.project, 'commit', '-q', '-m', 'silent');
  }

  spec(id = ID): Spec {
    return parseSpec(readFileSync(this.paths.specFile(id), 'utf8'), { id, path: this.paths.specFile(id) });
  }

  options(extra: Partial<DirectRunOptions> = {}): DirectRunOptions {
    return {
      paths: this.paths,
      config: parseConfig(readFileSync(this.paths.configFile, 'utf8')),
      spec: this.spec(),
      silent: false,
      isolation: 'worktree',
      worktreeFolder: this.repo.worktrees,
      agentCommand: `node ${shQuote(SCRIPTED_AGENT)} --prompt \${promptFile}`,
      env: {},
      ...extra,
    };
  }

  /** Runs the plan's command line in `shell` from the repository's folder; its exit status. */
  runAgent(plan: RunPlan, shell = 'bash'): number {
    return spawnSync(shell, ['-c', plan.commandLine], { cwd: this.repo.base, stdio: 'pipe' }).status ?? 1;
  }
}
