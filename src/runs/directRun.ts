// The direct runner's steps, without the editor: prepare (branch, worktree, spec marked
// in_progress, inputs made visible, prompt written, command line built), finish (commits, checked
// criteria, copy-back, completed/failed) and merge. No `vscode` import, so unit tests run all of
// it against real temporary repositories; the RunManager adds terminals and notifications.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { agentModel, expandCommandTemplate, formatCompletedAt, logHeader, shellScript, wrapAgentRun, writeShellScript, DEFAULT_AGENT_COMMAND } from '../core/workflow/commandLine';
import type { ProjectPaths } from '../core/project/project';
import { assemblePrompt } from '../core/workflow/prompt';
import { STREAM_FILTER_SOURCE } from '../core/workflow/streamFilter';
import { setFields } from '../core/spec/specEdit';
import { listCriteria } from '../core/spec/criteria';
import { setCriterion } from '../core/spec/criteriaEdit';
import { parseSpec } from '../core/spec/specParser';
import type { ChantConfig, Spec } from '../core/spec/types';
import { defaultWorktreePath, RunGit, type Isolation, type MergeResult } from '../git/runGit';

/** Applies a lossless edit to a spec file (the extension routes it through open editors). */
export type SpecWriter = (file: string, transform: (text: string) => string) => Promise<unknown>;

export const fsSpecWriter: SpecWriter = async (file, transform) => {
  const before = await fs.readFile(file, 'utf8');
  const after = transform(before);
  if (after !== before) await fs.writeFile(file, after, 'utf8');
};

export interface DirectRunOptions {
  paths: ProjectPaths;
  config: ChantConfig;
  spec: Spec;
  silent: boolean;
  isolation: Isolation;
  /** `chant.worktreeFolder`; empty = the OS temp folder, as chant does. */
  worktreeFolder?: string;
  /** `chant.agent.command`; empty = chant's claude command line. */
  agentCommand?: string;
  startOver?: boolean;
  stashDirty?: boolean;
  /** Environment used to pick the model (CHANT_MODEL, ANTHROPIC_MODEL). */
  env?: Record<string, string | undefined>;
  writeSpec?: SpecWriter;
  now?: () => Date;
  /** Node (or Electron) binary for the output filter; default: this process's. */
  nodePath?: string;
}

export interface RunPlan {
  id: string;
  root: string;
  specFile: string;
  branch: string;
  base: string;
  isolation: Isolation;
  /** Where the agent runs (the worktree's copy of the project, or the project itself). */
  workDir: string;
  /** The spec's copy where the agent works (same as specFile in checkout isolation). */
  workSpecFile: string;
  promptFile: string;
  promptName: string;
  /** The script the terminal runs (`commandLine` is `sh <runScript>`; the script `cd`s into workDir itself). */
  runScript: string;
  model: string;
  logFile: string;
  statusFile: string;
  commandLine: string;
  /** Spec-derived values, passed through the environment. */
  env: Record<string, string>;
  continued: boolean;
  notices: string[];
  silent: boolean;
}

export interface FinishResult {
  status: 'completed' | 'failed';
  reason?: string;
  commits: string[];
  copiedBack: string[];
  uncheckedCriteria: string[];
}

const rel = (from: string, to: string): string => path.relative(from, to).split(path.sep).join('/');

function isUrl(entry: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(entry);
}

/** `chant(<id>):` messages identify a spec's work; its branch is `<branch_prefix><id>`. */
export function specBranch(config: ChantConfig, id: string): string {
  return `${config.branchPrefix}${id}`;
}

export async function prepareDirectRun(options: DirectRunOptions): Promise<RunPlan> {
  const { paths, config, spec } = options;
  const writeSpec = options.writeSpec ?? fsSpecWriter;
  const now = options.now ?? (() => new Date());
  const git = await RunGit.open(paths.root);
  const topLevel = (await git.raw(['rev-parse', '--show-toplevel'])).trim();
  const projectRel = path.relative(topLevel, paths.root);
  const branch = specBranch(config, spec.id);
  const prepared = await git.prepare({
    branch,
    mainBranch: config.mainBranch,
    isolation: options.isolation,
    worktreePath: defaultWorktreePath(config.projectName, spec.id, options.worktreeFolder),
    startOver: options.startOver,
    stashDirty: options.stashDirty,
  });
  const workDir = path.join(prepared.workDir, projectRel);
  const specFile = paths.specFile(spec.id);
  const workSpecFile = path.join(workDir, '.chant', 'specs', `${spec.id}.md`);

  // Mark the spec in the main checkout (lossless), as chant does before it starts the agent.
  await writeSpec(specFile, (text) => setFields(text, { status: 'in_progress', branch }));
  const mainText = await fs.readFile(specFile, 'utf8');

  if (prepared.isolation === 'worktree') {
    // The agent ticks boxes in its copy; give it the current one (chant copies it too, §6.2 step 6).
    await fs.mkdir(path.dirname(workSpecFile), { recursive: true });
    await fs.writeFile(workSpecFile, mainText, 'utf8');
    // Inputs git does not carry into the worktree (silent mode, uncommitted files): copy them.
    for (const entry of [...spec.informedBy, ...spec.context]) {
      if (isUrl(entry)) continue;
      const source = path.resolve(paths.root, entry);
      const inside = rel(paths.root, source);
      if (inside.startsWith('..') || path.isAbsolute(inside)) continue;
      const target = path.join(workDir, inside);
      const [src, dst] = await Promise.all([fs.stat(source).catch(() => undefined), fs.stat(target).catch(() => undefined)]);
      if (src?.isFile() && !dst) {
        await fs.mkdir(path.dirname(target), { recursive: true });
        await fs.copyFile(source, target);
      }
    }
  }

  const prompt = await assemblePrompt(spec, mainText, config, paths, {
    worktree: prepared.isolation === 'worktree' ? { path: prepared.workDir, branch } : undefined,
  });
  const tmpDir = path.join(workDir, '.chant', 'tmp');
  await fs.mkdir(tmpDir, { recursive: true });
  // Keeps the prompt out of `git add -A` without touching the repository's exclude files.
  await fs.writeFile(path.join(tmpDir, '.gitignore'), '*\n', 'utf8');
  const promptFile = path.join(tmpDir, `${spec.id}-prompt.md`);
  await fs.writeFile(promptFile, prompt.text, 'utf8');

  const logFile = path.join(paths.chantDir, 'logs', `${spec.id}.log`);
  await fs.mkdir(path.dirname(logFile), { recursive: true });
  const existingLog = await fs.stat(logFile).then(() => true, () => false);
  await fs.appendFile(logFile, logHeader(spec.id, prompt.name, now(), existingLog), 'utf8');
  const statusFile = path.join(paths.specsDir, `.chant-status-${spec.id}.json`);
  await fs.rm(statusFile, { force: true });

  const model = agentModel(options.env ?? process.env, config.defaultModel);
  const template = options.agentCommand?.trim() || DEFAULT_AGENT_COMMAND;
  const agent = expandCommandTemplate(template, { promptFile, specId: spec.id, specFile, worktree: prepared.workDir, branch, model });
  const env: Record<string, string> = {
    ...agent.env,
    CHANT_SPEC_ID: spec.id,
    CHANT_SPEC_FILE: specFile,
    CHANT_WORKTREE_PATH: prepared.workDir,
    CHANT_BRANCH: branch,
    CHANT_PROMPT_FILE: promptFile,
    CHANT_MODEL: model,
  };
  if (prepared.isolation === 'worktree') env.CHANT_WORKTREE = '1';
  // The wrapped command (with the `cd` into the work folder) goes into a script executed by an
  // explicit sh, so the terminal line is `sh <fixed safe path>` whatever the user's shell, and no
  // id, title or folder name from the repository is ever typed into it.
  const filterScript = path.join(tmpDir, 'stream-filter.js');
  await fs.writeFile(filterScript, STREAM_FILTER_SOURCE, 'utf8');
  const wrapped = wrapAgentRun({ agentLine: agent.line, env, logFile, statusFile, filter: { script: filterScript, node: options.nodePath ?? process.execPath } });
  const script = await writeShellScript(shellScript({ cwd: workDir, steps: [{ line: wrapped }], label: `chant agent run for ${spec.id}` }), 'agent-run');
  const runScript = script.file;
  const commandLine = script.line;
  return {
    id: spec.id,
    root: paths.root,
    specFile,
    branch,
    base: prepared.base,
    isolation: prepared.isolation,
    workDir,
    workSpecFile,
    promptFile,
    promptName: prompt.name,
    runScript,
    model,
    logFile,
    statusFile,
    commandLine,
    env,
    continued: prepared.continued,
    notices: prepared.notices,
    silent: options.silent,
  };
}

/**
 * After the agent exits: collect its commits, read the criteria it checked in its copy, copy back
 * outputs git would lose with the worktree, then mark the spec completed or failed in the main
 * checkout. With a tracked spec, the finalized spec is also committed on the branch
 * (`chant(<id>): finalize spec`, as `chant finalize` does) so the merge carries it cleanly.
 */
export async function finishDirectRun(
  plan: RunPlan,
  exitCode: number | undefined,
  options: { writeSpec?: SpecWriter; now?: () => Date; projectPaths: ProjectPaths },
): Promise<FinishResult> {
  const writeSpec = options.writeSpec ?? fsSpecWriter;
  const now = options.now ?? (() => new Date());
  const git = await RunGit.open(plan.root);
  const mainText = await fs.readFile(plan.specFile, 'utf8');
  const mainSpec = parseSpec(mainText, { id: plan.id, path: plan.specFile, archived: false });
  const workText = await fs.readFile(plan.workSpecFile, 'utf8').catch(() => undefined);

  // Copy back outputs git would not carry: target files (and, in silent mode, research documents)
  // the agent wrote under ignored paths of the worktree.
  const copiedBack: string[] = [];
  if (plan.isolation === 'worktree') {
    const candidates = new Set(mainSpec.targetFiles.filter((f) => !isUrl(f)));
    for (const dir of plan.silent ? ['.chant/research'] : []) {
      for (const file of await listFiles(path.join(plan.workDir, dir))) candidates.add(rel(plan.workDir, file));
    }
    for (const file of candidates) {
      const source = path.join(plan.workDir, file);
      const inside = rel(plan.workDir, source);
      if (inside.startsWith('..') || path.isAbsolute(inside)) continue;
      if (!(await fs.stat(source).then((s) => s.isFile(), () => false))) continue;
      if (!(await git.isIgnored(inside, plan.workDir)) && (await git.isTracked(inside, plan.workDir) || !plan.silent)) continue;
      const target = path.join(plan.root, inside);
      const [a, b] = await Promise.all([fs.readFile(source), fs.readFile(target).catch(() => undefined)]);
      if (b && a.equals(b)) continue;
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.copyFile(source, target);
      copiedBack.push(inside);
    }
  }

  const commits = await git.specCommits(plan.id, plan.branch, plan.base);
  const checked = workText ? listCriteria(workText).items : listCriteria(mainText).items;
  const uncheckedCriteria = checked.filter((c) => !c.checked).map((c) => c.text);

  let status: 'completed' | 'failed' = 'completed';
  let reason: string | undefined;
  if (exitCode === undefined) {
    status = 'failed';
    reason = 'The agent was stopped before it finished.';
  } else if (exitCode !== 0) {
    status = 'failed';
    reason = `Agent exited with status: ${exitCode}`;
  } else if (commits.length === 0 && copiedBack.length === 0) {
    status = 'failed';
    reason = `No commits found: the agent made no commit with "chant(${plan.id}):" on ${plan.branch} and wrote no output under an excluded path.`;
  }

  const completedAt = formatCompletedAt(now());
  const finalize = (text: string): string => {
    let out = text;
    const items = listCriteria(out).items;
    if (items.length === checked.length) {
      checked.forEach((c, i) => {
        if (c.checked) out = setCriterion(out, i, true);
      });
    }
    if (status === 'failed') return setFields(out, { status: 'failed', branch: plan.branch });
    return setFields(out, {
      status: 'completed',
      branch: plan.branch,
      commits,
      completed_at: completedAt,
      model: plan.model,
    });
  };

  const specRel = rel(plan.isolation === 'worktree' ? plan.workDir : plan.root, plan.workSpecFile);
  const tracked = await git.isTracked(specRel, plan.isolation === 'worktree' ? plan.workDir : plan.root);
  if (status === 'completed' && tracked) {
    // Commit the finalized spec on the branch: the agent's copy (its ticks and notes) plus the fields.
    const branchText = finalize(workText ?? mainText);
    if (plan.isolation === 'worktree') {
      await fs.writeFile(plan.workSpecFile, branchText, 'utf8');
    } else {
      await writeSpec(plan.specFile, () => branchText);
    }
    await git.commitPaths(plan.isolation === 'worktree' ? plan.workDir : plan.root, [specRel], `chant(${plan.id}): finalize spec`);
  }
  if (plan.isolation === 'worktree' || !tracked || status === 'failed') {
    await writeSpec(plan.specFile, finalize);
  }
  await fs.rm(plan.statusFile, { force: true });
  const summary = status === 'completed' ? `completed (${commits.length} commit(s))` : `failed: ${reason}`;
  await fs.appendFile(plan.logFile, `\n# Finished: ${formatCompletedAt(now())} ${summary}\n`, 'utf8').catch(() => undefined);
  return { status, reason, commits, copiedBack, uncheckedCriteria };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

export interface MergeOutcome extends MergeResult {
  worktreeRemoved?: string;
  branchDeleted: boolean;
}

/**
 * Merges the spec's branch into `main_branch` in the main checkout, then removes its worktree and,
 * when asked, the branch (`git branch -d`, which refuses unmerged work). The main checkout's copy
 * of a tracked spec, edited by finish, is set aside first: restored to HEAD when the branch holds
 * the same text, otherwise stashed (never discarded).
 */
export async function mergeSpecBranch(
  paths: ProjectPaths,
  config: ChantConfig,
  id: string,
  options: { branch?: string; deleteBranch?: boolean } = {},
): Promise<MergeOutcome> {
  const git = await RunGit.open(paths.root);
  const branch = options.branch ?? specBranch(config, id);
  const notices: string[] = [];
  const specFile = paths.specFile(id);
  const topLevel = (await git.raw(['rev-parse', '--show-toplevel'])).trim();
  const specRel = rel(topLevel, specFile);
  const dirty = await git.dirtyPaths();
  const specTracked = await git.isTracked(specRel);
  let setAside: string | undefined;
  if (!specTracked && dirty.includes(specRel)) {
    // A spec created but never committed (chant add commits; the editor may not): the branch
    // added it, and git refuses to overwrite an untracked file. Its content is on the branch, or
    // kept in .chant/tmp when it differs; it comes back if the merge fails.
    const theirs = await git.show(branch, specRel);
    if (theirs !== undefined) {
      setAside = await fs.readFile(specFile, 'utf8');
      if (setAside !== theirs) {
        const backup = path.join(paths.chantDir, 'tmp', `${id}.before-merge.md`);
        await fs.mkdir(path.dirname(backup), { recursive: true });
        await fs.writeFile(backup, setAside, 'utf8');
        notices.push(`The main checkout's uncommitted copy of the spec differed from the branch's; it is kept at ${backup}.`);
      }
      await fs.rm(specFile);
    }
  }
  if (specTracked && dirty.includes(specRel)) {
    const ours = await fs.readFile(specFile, 'utf8');
    const theirs = await git.show(branch, specRel);
    if (theirs !== undefined && theirs === ours) {
      await git.raw(['checkout', 'HEAD', '--', specRel]);
    } else {
      await git.raw(['stash', 'push', '-m', `chant: spec edits set aside to merge ${branch}`, '--', specRel]);
      notices.push(`Your uncommitted edits to ${specRel} were stashed ("chant: spec edits set aside to merge ${branch}").`);
    }
  }
  const worktree = await git.worktreeOf(branch);
  let result: MergeResult;
  try {
    result = await git.merge(branch, config.mainBranch);
  } catch (error) {
    if (setAside !== undefined && !(await fs.stat(specFile).then(() => true, () => false))) await fs.writeFile(specFile, setAside, 'utf8');
    throw error;
  }
  notices.push(...result.notices);
  let worktreeRemoved: string | undefined;
  if (worktree && path.resolve(worktree) !== path.resolve(topLevel)) {
    try {
      await git.removeWorktree(worktree);
      worktreeRemoved = worktree;
    } catch (error) {
      notices.push(error instanceof Error ? error.message : String(error));
    }
  }
  let branchDeleted = false;
  if (options.deleteBranch) {
    try {
      await git.deleteBranch(branch);
      branchDeleted = true;
    } catch (error) {
      notices.push(`The branch ${branch} was kept: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { ...result, notices, worktreeRemoved, branchDeleted };
}
