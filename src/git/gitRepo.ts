// simple-git behind a small interface, so callers ask questions ("which branch is checked out?",
// "is the tree dirty?") instead of assembling git command lines. Every method resolves with a
// value or rejects with a GitError whose message says what a maintainer can do about it.
import type { SimpleGit } from 'simple-git';
import { simpleGit } from './simpleGitLoader';

export class GitError extends Error {
  constructor(
    message: string,
    readonly reason: 'no-git' | 'not-a-repo' | 'no-commits' | 'failed',
  ) {
    super(message);
    this.name = 'GitError';
  }
}

export interface RepoState {
  topLevel: string;
  /** Undefined on a detached HEAD. */
  branch?: string;
  hasCommits: boolean;
  dirty: boolean;
}

export class GitRepo {
  private readonly git: SimpleGit;

  private constructor(readonly dir: string) {
    this.git = simpleGit({ baseDir: dir, maxConcurrentProcesses: 4, trimmed: true });
  }

  /** Opens the repository containing `dir`; rejects with a clear reason when there is none. */
  static async open(dir: string): Promise<GitRepo> {
    const repo = new GitRepo(dir);
    try {
      await repo.git.raw(['--version']);
    } catch (error) {
      throw new GitError(`git is not available: ${messageOf(error)}. Install git and make sure it is on PATH.`, 'no-git');
    }
    const inside = await repo.git.raw(['rev-parse', '--is-inside-work-tree']).catch(() => '');
    if (inside.trim() !== 'true') {
      throw new GitError(`${dir} is not inside a git repository. Run 'git init' there first.`, 'not-a-repo');
    }
    return repo;
  }

  async topLevel(): Promise<string> {
    return (await this.git.raw(['rev-parse', '--show-toplevel'])).trim();
  }

  async hasCommits(): Promise<boolean> {
    return this.git
      .raw(['rev-parse', '--verify', '--quiet', 'HEAD'])
      .then((out) => out.trim().length > 0)
      .catch(() => false);
  }

  /** The checked-out branch name, or undefined on a detached HEAD. Works before the first commit. */
  async currentBranch(): Promise<string | undefined> {
    const name = await this.git.raw(['symbolic-ref', '--quiet', '--short', 'HEAD']).catch(() => '');
    return name.trim() || undefined;
  }

  async branchExists(branch: string): Promise<boolean> {
    return this.git
      .raw(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`])
      .then((out) => out.trim().length > 0)
      .catch(() => false);
  }

  /** Changes to tracked files, staged or not, and untracked files that are not ignored. */
  async isDirty(): Promise<boolean> {
    const status = await this.git.status();
    return !status.isClean();
  }

  async state(): Promise<RepoState> {
    const [topLevel, branch, hasCommits, dirty] = await Promise.all([
      this.topLevel(),
      this.currentBranch(),
      this.hasCommits(),
      this.isDirty(),
    ]);
    return { topLevel, branch, hasCommits, dirty };
  }

  /**
   * Whether everything on `branch` is reachable from `into` (a merge, fast-forward or `chant merge`
   * has brought it in). `branch` is a branch name, else any commit (a SHA from `commits:`).
   * Undefined means "cannot tell": either ref does not exist here, or the name is not one git would
   * accept as a ref. A squash merge reads as not merged, as it does for chant.
   */
  async isMerged(branch: string, into: string): Promise<boolean | undefined> {
    const [from, to] = await Promise.all([this.resolveCommit(branch), this.resolveCommit(into)]);
    if (!from || !to) return undefined;
    if (from === to) return true;
    const ahead = await this.git.raw(['rev-list', '--count', `${to}..${from}`]).catch(() => undefined);
    return ahead === undefined ? undefined : ahead.trim() === '0';
  }

  /** Whether `file` (absolute, or relative to the repository's directory) is in the index. */
  async isTracked(file: string): Promise<boolean> {
    const out = await this.git.raw(['ls-files', '--error-unmatch', '--', file]).catch(() => '');
    return out.trim().length > 0;
  }

  /** `git mv`: the move is staged, as chant's archive stages it. The target folder must exist. */
  async move(from: string, to: string): Promise<void> {
    try {
      await this.git.raw(['mv', '--', from, to]);
    } catch (error) {
      throw new GitError(`git mv failed: ${messageOf(error)}`, 'failed');
    }
  }

  /** The commit a branch (preferred) or other ref names, or undefined when there is none. */
  private async resolveCommit(ref: string): Promise<string | undefined> {
    // Refs come from spec files: refuse anything git could read as an option or a range.
    if (!isSafeRef(ref)) return undefined;
    for (const candidate of [`refs/heads/${ref}`, ref]) {
      const sha = await this.git.raw(['rev-parse', '--verify', '--quiet', `${candidate}^{commit}`]).catch(() => '');
      if (sha.trim()) return sha.trim();
    }
    return undefined;
  }

  /** The shared git directory of all worktrees (where `info/exclude` lives). */
  async commonDir(): Promise<string> {
    const out = (await this.git.raw(['rev-parse', '--path-format=absolute', '--git-common-dir'])).trim();
    return out;
  }
}

/** A name git accepts as a ref and cannot mistake for an option, a range or a revision expression. */
export function isSafeRef(ref: string): boolean {
  return (
    ref.length > 0 &&
    ref.length <= 255 &&
    !ref.startsWith('-') &&
    !ref.includes('..') &&
    !ref.includes('@{') &&
    !/[\s~^:?*[\\\x00-\x1f\x7f]/.test(ref) &&
    !ref.endsWith('/') &&
    !ref.endsWith('.lock')
  );
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
