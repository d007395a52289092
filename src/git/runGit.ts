// The one git module: every git command the extension runs goes through RunGit (simple-git
// underneath), and every failure is a RunGitError with a reason code. Besides questions about a
// repository (top level, remotes, branches, merged or not), it does the git side of an agent run:
// the spec's branch, its worktree (or a checkout), its commits, and the merge back. Unlike `chant work` (CHANT-FORMAT
// §6.2) nothing here deletes a branch, resets
// commits or force-removes a worktree with changes in it: a re-run continues the existing branch,
// and "start over" first keeps the old branch under a backup name.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SimpleGit } from 'simple-git';
import { simpleGit } from './simpleGitLoader';
import { copyBack } from '../core/project/copyBack';
import { agentCopyDiffers, keepAgentSpecCopy } from '../core/project/agentSpecCopy';
import { readProjectFile } from '../core/project/safeFiles';

export class RunGitError extends Error {
  constructor(
    message: string,
    readonly reason: 'no-git' | 'not-a-repo' | 'no-commits' | 'dirty' | 'would-delete' | 'bad-ref' | 'worktree' | 'conflict' | 'diverged' | 'failed',
    readonly files: string[] = [],
  ) {
    super(message);
    this.name = 'RunGitError';
  }
}

export type Isolation = 'worktree' | 'checkout';

/** A remote's URLs as `git remote -v` prints them. */
export interface Remote {
  fetch?: string;
  push?: string;
}

export interface PrepareOptions {
  branch: string;
  /** `main_branch` from config.md. */
  mainBranch: string;
  isolation: Isolation;
  /** Worktree folder for `worktree` isolation. */
  worktreePath?: string;
  /** Checkout isolation with a dirty tree: `git stash push -u` first. */
  stashDirty?: boolean;
  /** Discard nothing, but begin again from the base: the old branch is renamed to a backup. */
  startOver?: boolean;
  /** Files of the old worktree the user agreed to delete (from a RunGitError 'would-delete'). */
  confirmedDeletes?: readonly string[];
}

export interface PreparedBranch {
  branch: string;
  /** Where the agent works: the worktree, or the main checkout. */
  workDir: string;
  isolation: Isolation;
  /** The branch (or commit) the spec branch started from. */
  base: string;
  /** The branch existed already and was continued. */
  continued: boolean;
  /** Messages worth showing: base fallback, stash made, backup branch name. */
  notices: string[];
  backupBranch?: string;
  stashed?: boolean;
}

export interface MergeResult {
  kind: 'fast-forward' | 'merge-commit' | 'up-to-date';
  into: string;
  notices: string[];
}

/** Default worktree path, the one chant uses (`/tmp/chant-<project>-<id>`), so `chant merge` finds it. */
export function defaultWorktreePath(projectName: string, id: string, folder?: string): string {
  const base = folder && folder.trim() ? folder : os.tmpdir();
  const name = projectName ? `chant-${projectName}-${id}` : `chant-${id}`;
  return path.join(base, name.replace(/[^A-Za-z0-9._-]/g, '_'));
}

export class RunGit {
  private readonly git: SimpleGit;

  private constructor(readonly root: string) {
    this.git = simpleGit({ baseDir: root, trimmed: false });
  }

  static async open(root: string): Promise<RunGit> {
    const repo = new RunGit(root);
    const inside = await repo.raw(['rev-parse', '--is-inside-work-tree']).catch(async (error: unknown) => {
      // Tell "no git at all" from "not a repository": the way forward differs.
      await repo.raw(['--version']).catch(() => {
        throw new RunGitError(`git is not available: ${messageOf(error)}. Install git and make sure it is on PATH.`, 'no-git');
      });
      return '';
    });
    if (inside.trim() !== 'true') throw new RunGitError(`${root} is not inside a git repository. Run 'git init' there and make a first commit.`, 'not-a-repo');
    return repo;
  }

  /** Every git command line is built in this class: callers use its named operations. */
  private raw(args: string[], cwd?: string): Promise<string> {
    return (cwd ? simpleGit({ baseDir: cwd, trimmed: false }) : this.git).raw(args);
  }

  async hasCommits(): Promise<boolean> {
    return (await this.raw(['rev-parse', '--verify', '--quiet', 'HEAD']).catch(() => '')).trim().length > 0;
  }

  async currentBranch(cwd?: string): Promise<string | undefined> {
    return (await this.raw(['symbolic-ref', '--quiet', '--short', 'HEAD'], cwd).catch(() => '')).trim() || undefined;
  }

  async branchExists(branch: string): Promise<boolean> {
    if (!isSafeRef(branch)) return false;
    return (await this.raw(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]).catch(() => '')).trim().length > 0;
  }

  /**
   * Paths with changes from `git status --porcelain`: tracked changes, plus untracked files that
   * are not ignored unless `trackedOnly` (a checkout carries untracked files along, and chant's own
   * logs and scratch files must not block a branch switch).
   */
  async dirtyPaths(cwd?: string, trackedOnly = false): Promise<string[]> {
    const out = await this.raw(['status', '--porcelain', '-z', trackedOnly ? '--untracked-files=no' : '--untracked-files=all'], cwd);
    const paths: string[] = [];
    const parts = out.split('\0');
    for (let i = 0; i < parts.length; i++) {
      const entry = parts[i];
      if (entry.length < 4) continue;
      paths.push(entry.slice(3));
      if (entry[0] === 'R' || entry[0] === 'C') i++; // the rename's source follows
    }
    return paths;
  }

  /** Whether `file` (relative to `cwd` or absolute) is ignored or excluded by git there. */
  async isIgnored(file: string, cwd?: string): Promise<boolean> {
    // Not `-q`: simple-git resolves a non-zero exit without stderr, so read the output instead.
    const out = await this.raw(['check-ignore', '--', file], cwd).catch(() => '');
    return out.trim().length > 0;
  }

  async isTracked(file: string, cwd?: string): Promise<boolean> {
    return (await this.raw(['ls-files', '--', file], cwd).catch(() => '')).trim().length > 0;
  }

  /** The base for a new spec branch: `main_branch`, else the current branch, else HEAD's commit. */
  async resolveBase(mainBranch: string): Promise<{ base: string; notice?: string }> {
    if (await this.branchExists(mainBranch)) return { base: mainBranch };
    const current = await this.currentBranch();
    if (current) return { base: current, notice: `main_branch '${mainBranch}' does not exist; branching from the current branch '${current}'.` };
    const sha = (await this.raw(['rev-parse', '--short', 'HEAD'])).trim();
    return { base: sha, notice: `main_branch '${mainBranch}' does not exist and HEAD is detached; branching from commit ${sha}.` };
  }

  /** Registered worktrees: path → branch (undefined when detached). */
  async worktrees(): Promise<Map<string, string | undefined>> {
    const out = await this.raw(['worktree', 'list', '--porcelain']);
    const map = new Map<string, string | undefined>();
    let current: string | undefined;
    for (const line of out.split('\n')) {
      if (line.startsWith('worktree ')) {
        current = line.slice(9);
        map.set(current, undefined);
      } else if (line.startsWith('branch ') && current) {
        map.set(current, line.slice(7).replace(/^refs\/heads\//, ''));
      }
    }
    return map;
  }

  async worktreeOf(branch: string): Promise<string | undefined> {
    for (const [dir, b] of await this.worktrees()) if (b === branch) return dir;
    return undefined;
  }

  /** Creates or continues the spec's branch and the place the agent works in. */
  async prepare(options: PrepareOptions): Promise<PreparedBranch> {
    const { branch } = options;
    if (!isSafeRef(branch) || !(await this.raw(['check-ref-format', '--branch', branch]).then(() => true, () => false))) {
      throw new RunGitError(`'${branch}' is not a valid branch name. Check branch_prefix in .chant/config.md.`, 'bad-ref');
    }
    if (!(await this.hasCommits())) {
      throw new RunGitError('This repository has no commits yet. Make a first commit, then run the spec again.', 'no-commits');
    }
    const notices: string[] = [];
    const { base, notice } = await this.resolveBase(options.mainBranch);
    if (notice) notices.push(notice);
    let exists = await this.branchExists(branch);
    let backupBranch: string | undefined;

    if (exists && options.startOver) {
      const holder = await this.worktreeOf(branch);
      if (holder && path.resolve(holder) !== path.resolve(this.root)) {
        const dirty = await this.dirtyPaths(holder);
        if (dirty.length > 0) {
          throw new RunGitError(`The worktree ${holder} has uncommitted changes (${dirty.slice(0, 5).join(', ')}). Commit or remove them before starting over.`, 'dirty', dirty);
        }
        const kept = await this.keepWorktreeOutputs(holder, branch.replace(/[^A-Za-z0-9._-]/g, '_'));
        notices.push(...kept.notices);
        await this.removeWorktree(holder, [...kept.kept, ...(options.confirmedDeletes ?? [])]);
      } else if (holder) {
        throw new RunGitError(`${branch} is checked out in the main checkout; switch to another branch before starting over.`, 'worktree');
      }
      backupBranch = await this.freeBackupName(branch);
      await this.raw(['branch', '-m', branch, backupBranch]);
      notices.push(`The previous work on ${branch} is kept on ${backupBranch}.`);
      exists = false;
    }

    if (options.isolation === 'checkout') {
      const dirty = await this.dirtyPaths(undefined, true);
      let stashed = false;
      if (dirty.length > 0) {
        if (!options.stashDirty) {
          throw new RunGitError(`The working tree has uncommitted changes: ${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', …' : ''}.`, 'dirty', dirty);
        }
        await this.raw(['stash', 'push', '-m', `chant: before working ${branch}`]);
        stashed = true;
        notices.push(`Your uncommitted changes were stashed ("chant: before working ${branch}"); 'git stash pop' brings them back.`);
      }
      const holder = exists ? await this.worktreeOf(branch) : undefined;
      if (holder && path.resolve(holder) !== path.resolve(this.root)) {
        throw new RunGitError(`${branch} is checked out in the worktree ${holder}; use worktree isolation or remove that worktree.`, 'worktree');
      }
      if (exists) await this.raw(['checkout', branch]);
      else await this.raw(['checkout', '-b', branch, base]);
      return { branch, workDir: this.root, isolation: 'checkout', base, continued: exists, notices, backupBranch, stashed };
    }

    const wanted = path.resolve(options.worktreePath ?? defaultWorktreePath('', branch.replace(/\//g, '-')));
    if (exists) {
      const holder = await this.worktreeOf(branch);
      if (holder) {
        // Continue in the worktree that already has the branch (a paused or failed run).
        if (path.resolve(holder) === path.resolve(this.root)) {
          throw new RunGitError(`${branch} is checked out in the main checkout. Switch the main checkout to another branch, or use checkout isolation.`, 'worktree');
        }
        return { branch, workDir: holder, isolation: 'worktree', base, continued: true, notices, backupBranch };
      }
    }
    await this.raw(['worktree', 'prune']).catch(() => '');
    const stat = await fs.stat(wanted).catch(() => undefined);
    if (stat) {
      const entries = stat.isDirectory() ? await fs.readdir(wanted) : ['(a file)'];
      if (entries.length > 0) {
        throw new RunGitError(`${wanted} already exists and is not a worktree of ${branch}. Move it away or choose another chant.worktreeFolder.`, 'worktree');
      }
    }
    await fs.mkdir(path.dirname(wanted), { recursive: true });
    try {
      if (exists) await this.raw(['worktree', 'add', wanted, branch]);
      else await this.raw(['worktree', 'add', '-b', branch, wanted, base]);
    } catch (error) {
      throw new RunGitError(`git worktree add failed: ${messageOf(error)}`, 'worktree');
    }
    return { branch, workDir: wanted, isolation: 'worktree', base, continued: exists, notices, backupBranch };
  }

  private async freeBackupName(branch: string): Promise<string> {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
    for (let n = 0; ; n++) {
      const name = `${branch}-backup-${stamp}${n ? `-${n}` : ''}`;
      if (!(await this.branchExists(name))) return name;
    }
  }

  /** Commits whose message contains `chant(<id>):` on `branch`, oldest first, as short SHAs. */
  async specCommits(id: string, branch: string, since?: string): Promise<string[]> {
    if (!isSafeRef(branch)) return [];
    const range = since && isSafeRef(since) ? `${since}..${branch}` : branch;
    const out = await this.raw(['log', range, '--fixed-strings', `--grep=chant(${id}):`, '--reverse', '--format=%h', '--']).catch(() => '');
    return out.split('\n').map((l) => l.trim()).filter(Boolean);
  }

  /** Commits on `branch` not on `base`, oldest first: short SHA and subject (for summaries). */
  async commitSubjects(branch: string, base: string): Promise<Array<{ sha: string; subject: string }>> {
    if (!isSafeRef(branch) || !isSafeRef(base)) return [];
    const out = await this.raw(['log', '--reverse', '-z', '--format=%h%x09%s', `${base}..${branch}`, '--']).catch(() => '');
    return out
      .split('\0')
      .filter((entry) => entry.trim().length > 0)
      .map((entry) => {
        const clean = entry.replace(/^\n/, '');
        const tab = clean.indexOf('\t');
        return tab < 0 ? { sha: clean.trim(), subject: '' } : { sha: clean.slice(0, tab), subject: clean.slice(tab + 1) };
      });
  }

  /**
   * Named commits (hex SHAs a spec's `commits:` lists; anything else is skipped): short SHA,
   * subject and the files each changes, in the order given. A SHA git does not know is skipped.
   */
  async commitsWithFiles(shas: readonly string[]): Promise<Array<{ sha: string; subject: string; files: string[] }>> {
    const out: Array<{ sha: string; subject: string; files: string[] }> = [];
    for (const sha of shas.filter((s) => /^[0-9a-f]{4,40}$/i.test(s))) {
      const head = await this.raw(['show', '-s', '--format=%h%x09%s', `${sha}^{commit}`, '--']).catch(() => '');
      const tab = head.indexOf('\t');
      if (tab < 0) continue;
      const files = await this.raw(['diff-tree', '--no-commit-id', '--name-only', '-r', '-z', '--root', sha]).catch(() => '');
      out.push({ sha: head.slice(0, tab).trim(), subject: head.slice(tab + 1).trim(), files: files.split('\0').filter(Boolean) });
    }
    return out;
  }

  /** The commit `refs/heads/<branch>` names, or undefined when there is no such branch. */
  async branchHead(branch: string): Promise<string | undefined> {
    if (!isSafeRef(branch)) return undefined;
    return (await this.raw(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]).catch(() => '')).trim() || undefined;
  }

  /** Commits on `branch` not on `base`, oldest first (to review or to detect "no work done"). */
  async commitsAhead(branch: string, base: string): Promise<string[]> {
    if (!isSafeRef(branch) || !isSafeRef(base)) return [];
    const out = await this.raw(['rev-list', '--reverse', `${base}..${branch}`, '--']).catch(() => '');
    return out.split('\n').map((l) => l.trim()).filter(Boolean);
  }

  /** The merge base of two refs. */
  async mergeBase(a: string, b: string): Promise<string | undefined> {
    if (!isSafeRef(a) || !isSafeRef(b)) return undefined;
    return (await this.raw(['merge-base', a, b]).catch(() => '')).trim() || undefined;
  }

  /** Files changed on `branch` since it left `base`: status letter and path. */
  async changedFiles(branch: string, base: string): Promise<Array<{ status: string; path: string; oldPath?: string }>> {
    const mb = await this.mergeBase(base, branch);
    if (!mb) return [];
    const out = await this.raw(['diff', '--name-status', '-z', '-M', mb, branch, '--']);
    const parts = out.split('\0').filter((p) => p.length > 0);
    const files: Array<{ status: string; path: string; oldPath?: string }> = [];
    for (let i = 0; i < parts.length; i++) {
      const status = parts[i];
      if (status.startsWith('R') || status.startsWith('C')) {
        files.push({ status: status[0], oldPath: parts[i + 1], path: parts[i + 2] });
        i += 2;
      } else {
        files.push({ status: status[0], path: parts[i + 1] });
        i += 1;
      }
    }
    return files;
  }

  /** A file's content at a commit, or undefined when it does not exist there. */
  async show(ref: string, file: string): Promise<string | undefined> {
    if (!/^[0-9a-f]{4,40}$/i.test(ref) && !isSafeRef(ref)) return undefined;
    return this.raw(['show', `${ref}:${file.split(path.sep).join('/')}`]).catch(() => undefined);
  }

  /** Commits `files` (relative to `cwd`) only, whatever else is staged. Nothing to commit is not an error. */
  async commitPaths(cwd: string, files: string[], message: string): Promise<string | undefined> {
    await this.raw(['add', '--', ...files], cwd);
    const staged = (await this.raw(['diff', '--cached', '--name-only', '--', ...files], cwd)).trim();
    if (!staged) return undefined;
    await this.raw(['commit', '--no-verify', '-m', message, '--', ...files], cwd);
    return (await this.raw(['rev-parse', '--short', 'HEAD'], cwd)).trim();
  }

  /** Commits what is staged (hooks skipped, as chant does); returns the new commit's short sha. */
  async commitStaged(message: string): Promise<string> {
    await this.raw(['commit', '--no-verify', '-q', '-m', message]);
    return (await this.raw(['rev-parse', '--short', 'HEAD'])).trim();
  }

  /** Puts a tracked file (relative to `cwd`) back as HEAD has it, dropping its uncommitted changes. */
  async restoreFromHead(file: string, cwd?: string): Promise<void> {
    await this.raw(['checkout', 'HEAD', '--', file], cwd);
  }

  /** Stashes the uncommitted changes of these files only, under `message`. */
  async stashPaths(message: string, files: readonly string[]): Promise<void> {
    await this.raw(['stash', 'push', '-m', message, '--', ...files]);
  }

  /** Sets a key of the repository's own config (`.git/config`). */
  async setConfig(key: string, value: string): Promise<void> {
    await this.raw(['config', key, value]);
  }

  /**
   * Merges `branch` into `into` in the main checkout: fast-forward when possible, else a merge
   * commit `Merge <branch>`. The main checkout must be on `into` or switchable to it (clean).
   * A conflict leaves the merge in progress (nothing is reset) and throws with the files.
   */
  async merge(branch: string, into: string): Promise<MergeResult> {
    if (!isSafeRef(branch) || !isSafeRef(into)) throw new RunGitError(`Invalid branch name ${branch} or ${into}.`, 'bad-ref');
    if (!(await this.branchExists(branch))) throw new RunGitError(`The branch ${branch} does not exist.`, 'bad-ref');
    if (!(await this.branchExists(into))) throw new RunGitError(`The branch ${into} (main_branch) does not exist here.`, 'bad-ref');
    const notices: string[] = [];
    const current = await this.currentBranch();
    if (current !== into) {
      const dirty = await this.dirtyPaths(undefined, true);
      if (dirty.length > 0) {
        throw new RunGitError(
          `The main checkout is on ${current ?? 'a detached HEAD'} with uncommitted changes (${dirty.slice(0, 5).join(', ')}); commit or stash them, or switch to ${into} yourself.`,
          'dirty',
          dirty,
        );
      }
      await this.raw(['checkout', into]);
      notices.push(`Switched the main checkout from ${current ?? 'a detached HEAD'} to ${into}.`);
    }
    const ahead = await this.commitsAhead(branch, into);
    if (ahead.length === 0) return { kind: 'up-to-date', into, notices };
    // simple-git resolves some failing git commands (no stderr), so results are checked, not trusted.
    const tip = (await this.raw(['rev-parse', `refs/heads/${branch}`])).trim();
    await this.raw(['merge', '--ff-only', branch]).catch(() => '');
    if ((await this.raw(['rev-parse', 'HEAD'])).trim() === tip) return { kind: 'fast-forward', into, notices };
    let failure: unknown;
    await this.raw(['merge', '--no-ff', '--no-edit', '-m', `Merge ${branch}`, branch]).catch((error: unknown) => (failure = error));
    const conflicted = (await this.raw(['diff', '--name-only', '--diff-filter=U']).catch(() => ''))
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    if (conflicted.length > 0) {
      throw new RunGitError(`Merging ${branch} into ${into} stopped with conflicts in: ${conflicted.join(', ')}`, 'conflict', conflicted);
    }
    const merged = (await this.commitsAhead(branch, 'HEAD')).length === 0;
    if (failure || !merged) throw new RunGitError(`git merge failed${failure ? `: ${messageOf(failure)}` : ''}`, 'failed');
    return { kind: 'merge-commit', into, notices };
  }

  /**
   * Every file removing the worktree `dir` would delete, relative to it: modified tracked files,
   * untracked files and ignored or excluded ones (each file, not just its folder). Chant's own
   * scratch (`.chant/tmp/`, the prompt and scripts) is left out.
   */
  async worktreeLeftovers(dir: string): Promise<string[]> {
    const [modified, others] = await Promise.all([
      this.dirtyPaths(dir, true),
      this.raw(['ls-files', '-z', '--others', '--exclude-standard'], dir).catch(() => ''),
    ]);
    const ignored = await this.raw(['ls-files', '-z', '--others', '--ignored', '--exclude-standard'], dir).catch(() => '');
    const all = [...modified, ...others.split('\0'), ...ignored.split('\0')].filter((f) => f !== '' && !isScratch(f));
    return [...new Set(all)].sort();
  }

  /**
   * Before a worktree is removed: the ignored or excluded files the run produced under `.chant/`
   * (research documents, notes; never the scratch in `.chant/tmp/`) are copied back to the main
   * checkout, never over a file that differs there (the agent's version is kept beside it). Returns
   * the worktree-relative files now safe to delete.
   */
  async keepWorktreeOutputs(dir: string, label: string): Promise<{ kept: string[]; notices: string[] }> {
    const mainTop = (await this.raw(['rev-parse', '--show-toplevel'])).trim();
    const ignored = (await this.raw(['ls-files', '-z', '--others', '--ignored', '--exclude-standard'], dir).catch(() => '')).split('\0');
    const kept: string[] = [];
    const notices: string[] = [];
    for (const file of ignored) {
      if (file === '' || isScratch(file) || !/(^|\/)\.chant\//.test(file)) continue;
      // The spec's own copy (silent mode). The main spec stays the one spec (a copy beside it in
      // specs/ would be a second spec file); when the agent's copy holds edits the main spec lacks
      // (a paused run's notes on Start Over), it is kept under .chant/tmp/agent-copies and said.
      if (/(^|\/)\.chant\/specs\/[^/]+\.md$/.test(file)) {
        // Read only through real folders: a link the branch placed is no copy of the spec.
        const agentText = await readProjectFile(dir, path.join(dir, file)).catch(() => undefined);
        const mainText = await readProjectFile(mainTop, path.join(mainTop, file)).catch(() => undefined);
        if (agentText !== undefined && (mainText === undefined || agentCopyDiffers(mainText, agentText))) {
          const projectRoot = path.join(mainTop, file.slice(0, file.lastIndexOf('.chant/specs/')));
          const copy = await keepAgentSpecCopy(projectRoot, path.basename(file, '.md'), label, agentText);
          notices.push(`The agent's copy of ${file} held edits the main spec does not have (notes, ticks or sections); it is kept as ${copy}.`);
        }
        kept.push(file);
        continue;
      }
      const outcome = await copyBack(path.join(dir, file), path.join(mainTop, file), undefined, label);
      if (outcome.kind === 'not-a-file') continue;
      kept.push(file);
      if (outcome.kind === 'kept-beside') notices.push(`${file} from the worktree was kept as ${path.relative(mainTop, outcome.beside)} (the main checkout's copy differs).`);
      else if (outcome.kind === 'created') notices.push(`${file} from the worktree was copied to the main checkout before the worktree was removed.`);
    }
    return { kept, notices };
  }

  /**
   * Removes a worktree. Refuses when it has uncommitted changes to tracked files, and when removing
   * it would delete any file not in `confirmed` (a RunGitError 'would-delete' lists them, for the
   * caller to ask the user). `--force` is used only when every such file was confirmed.
   */
  async removeWorktree(dir: string, confirmed: readonly string[] = []): Promise<void> {
    const known = await this.worktrees();
    if (![...known.keys()].some((d) => path.resolve(d) === path.resolve(dir))) return;
    const dirty = (await this.dirtyPaths(dir, true)).filter((f) => !isScratch(f));
    if (dirty.length > 0) {
      throw new RunGitError(`The worktree ${dir} has uncommitted changes (${dirty.slice(0, 5).join(', ')}); it was left in place.`, 'dirty', dirty);
    }
    const agreed = new Set(confirmed);
    const unknown = (await this.worktreeLeftovers(dir)).filter((f) => !agreed.has(f));
    if (unknown.length > 0) {
      throw new RunGitError(
        `Removing the worktree ${dir} would delete ${unknown.length} file(s) that are in no commit: ${unknown.slice(0, 8).join(', ')}${unknown.length > 8 ? ', …' : ''}. It was left in place.`,
        'would-delete',
        unknown,
      );
    }
    // Left: chant's scratch and the files the user agreed to lose, which a plain remove refuses.
    await this.raw(['worktree', 'remove', '--force', dir]);
  }

  /** `git branch -d`: refuses an unmerged branch. */
  async deleteBranch(branch: string): Promise<void> {
    if (!isSafeRef(branch)) throw new RunGitError(`Invalid branch name ${branch}.`, 'bad-ref');
    await this.raw(['branch', '-d', branch]);
  }

  /** The top folder of the working tree holding `root` (paths in git output are relative to it). */
  async topLevel(): Promise<string> {
    return (await this.raw(['rev-parse', '--show-toplevel'])).trim();
  }

  /** The shared git directory of all worktrees (where `info/exclude` lives). */
  async commonDir(): Promise<string> {
    return (await this.raw(['rev-parse', '--path-format=absolute', '--git-common-dir'])).trim();
  }

  /** `git config user.name` (the name chant's `approve --by` expects), or undefined when unset. */
  async userName(): Promise<string | undefined> {
    const name = await this.raw(['config', '--get', 'user.name']).catch(() => '');
    return name.trim() || undefined;
  }

  /** Remote name -> its fetch and push URLs (after git's insteadOf rewriting). */
  async remotes(): Promise<Map<string, Remote>> {
    const out = await this.raw(['remote', '-v']).catch(() => '');
    const map = new Map<string, Remote>();
    for (const line of out.split('\n')) {
      const m = /^(\S+)\s+(\S+)\s+\((fetch|push)\)$/.exec(line.trim());
      if (m) map.set(m[1], { ...map.get(m[1]), [m[3]]: m[2] });
    }
    return map;
  }

  /** A remote's URL as configured (before insteadOf rewriting): the GitHub name of a mirrored remote. */
  async configuredRemoteUrl(remote: string): Promise<string | undefined> {
    if (!/^[A-Za-z0-9._-]+$/.test(remote)) return undefined;
    return (await this.raw(['config', '--get', `remote.${remote}.url`]).catch(() => '')).trim() || undefined;
  }

  /**
   * git that talks to a remote. The extension host has no terminal for a password prompt, and a
   * remote that stops answering is given up after two minutes rather than waited for.
   */
  private network(args: string[], cwd?: string): Promise<string> {
    // One at a time per repository: fetches running side by side (a batch's runs ending together)
    // race on the object store and refs ("did not send all necessary objects").
    const key = path.resolve(this.root);
    const previous = RunGit.networkQueue.get(key) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(() => simpleGit({ baseDir: cwd ?? this.root, trimmed: false, timeout: { block: 120_000 } }).raw(args));
    const settled = next.then(() => undefined, () => undefined);
    RunGit.networkQueue.set(key, settled);
    void settled.then(() => {
      if (RunGit.networkQueue.get(key) === settled) RunGit.networkQueue.delete(key);
    });
    return next;
  }

  private static readonly networkQueue = new Map<string, Promise<void>>();

  /**
   * Pushes `branch` to the same branch on `remote`, never forced. A remote branch with commits this
   * one lacks is refused ('diverged'), with git's words.
   */
  async pushBranch(remote: string, branch: string): Promise<void> {
    if (!isSafeRef(branch) || !/^[A-Za-z0-9._-]+$/.test(remote)) throw new RunGitError(`Invalid remote or branch: ${remote} ${branch}`, 'bad-ref');
    try {
      await this.network(['push', '--', remote, `refs/heads/${branch}:refs/heads/${branch}`]);
    } catch (error) {
      const message = messageOf(error);
      if (/non-fast-forward|\[rejected\]|fetch first/.test(message)) {
        throw new RunGitError(`${remote} has commits on ${branch} that this repository lacks (the branch diverged). Fetch and merge them into ${branch}, or start the spec over.`, 'diverged');
      }
      throw new RunGitError(`git push to ${remote} failed: ${message}`, 'failed');
    }
  }

  /**
   * Fetches `branch` from `remote` into `refs/remotes/<remote>/<branch>` and returns its commit, or
   * undefined when the remote has no such branch.
   */
  async fetchBranch(remote: string, branch: string): Promise<string | undefined> {
    if (!isSafeRef(branch) || !/^[A-Za-z0-9._-]+$/.test(remote)) throw new RunGitError(`Invalid remote or branch: ${remote} ${branch}`, 'bad-ref');
    const listed = await this.network(['ls-remote', '--heads', '--', remote, `refs/heads/${branch}`]).catch((error: unknown) => {
      throw new RunGitError(`git could not reach ${remote}: ${messageOf(error)}`, 'failed');
    });
    if (!listed.trim()) return undefined;
    // A worktree being added at the same moment (another run of a batch starting) makes a fetch
    // fail while it walks the worktrees' refs; it holds a moment later.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.network(['fetch', '--no-tags', '--', remote, `+refs/heads/${branch}:refs/remotes/${remote}/${branch}`]);
        break;
      } catch (error) {
        if (attempt >= 4) throw new RunGitError(`git fetch from ${remote} failed: ${messageOf(error)}`, 'failed');
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
    }
    return (await this.raw(['rev-parse', '--verify', '--quiet', `refs/remotes/${remote}/${branch}^{commit}`])).trim() || undefined;
  }

  /**
   * Moves the branch checked out in `dir` forward to `commit`; refused ('diverged') when the branch
   * has commits `commit` does not, so nothing local is ever dropped.
   */
  async fastForward(dir: string, commit: string): Promise<void> {
    if (!/^[0-9a-f]{40}$/i.test(commit)) throw new RunGitError(`Not a commit: ${commit}`, 'bad-ref');
    const head = (await this.raw(['rev-parse', 'HEAD'], dir)).trim();
    if (head === commit) return;
    // simple-git resolves a failing command without stderr, so count instead of `merge-base --is-ancestor`.
    const localOnly = (await this.raw(['rev-list', '--count', `${commit}..${head}`], dir)).trim();
    if (localOnly !== '0') throw new RunGitError(`The branch in ${dir} has commits the fetched branch lacks (it diverged).`, 'diverged');
    await this.raw(['merge', '--ff-only', '--quiet', commit], dir);
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
    const ahead = await this.raw(['rev-list', '--count', `${to}..${from}`]).catch(() => undefined);
    return ahead === undefined ? undefined : ahead.trim() === '0';
  }

  /**
   * Branches under `refs/heads/<prefix>` with commits `into` does not have, most recently committed
   * first (the Merge picker). Empty when the prefix is not a safe ref part or git cannot tell.
   */
  async unmergedBranches(prefix: string, into: string): Promise<string[]> {
    if (!isSafeRef(into) || (prefix !== '' && !isSafeRef(prefix.replace(/\/$/, '')))) return [];
    const out = await this.raw(['for-each-ref', `--no-merged=refs/heads/${into}`, '--sort=-committerdate', '--format=%(refname:short)', prefix.endsWith('/') ? `refs/heads/${prefix.slice(0, -1)}` : `refs/heads/${prefix}*`]).catch(() => '');
    return out.split('\n').map((l) => l.trim()).filter(Boolean);
  }

  /** The commit a branch (preferred) or other ref names, or undefined when there is none. */
  private async resolveCommit(ref: string): Promise<string | undefined> {
    // Refs come from spec files: refuse anything git could read as an option or a range.
    if (!isSafeRef(ref)) return undefined;
    for (const candidate of [`refs/heads/${ref}`, ref]) {
      const sha = await this.raw(['rev-parse', '--verify', '--quiet', `${candidate}^{commit}`]).catch(() => '');
      if (sha.trim()) return sha.trim();
    }
    return undefined;
  }

  /** `git mv`: the move is staged, as chant's archive stages it. The target folder must exist. */
  async move(from: string, to: string): Promise<void> {
    try {
      await this.raw(['mv', '--', from, to]);
    } catch (error) {
      throw new RunGitError(`git mv failed: ${messageOf(error)}`, 'failed');
    }
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

/** Chant's scratch in a worktree: the prompt, run scripts and filter under `.chant/tmp/`. */
function isScratch(file: string): boolean {
  return /(^|\/)\.chant\/tmp\//.test(file);
}
