// A hostile repository for the tests of issue 11, made in temporary folders: secrets outside the
// project (an SSH key, a prompt, a markdown file, the process environment), a project whose specs,
// config.md and prompts try to reach them (absolute paths, `..`, committed symlinks), and a
// marker name that hostile shell text would create.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { initRepo, makeTempDir, writeFiles } from './tempRepo';

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
