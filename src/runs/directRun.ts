// The direct runner's steps, without the editor: prepare (branch, worktree, spec marked
// in_progress, inputs made visible, prompt written, command line built), finish (commits, checked
// criteria, copy-back, completed/failed) and merge. No `vscode` import, so unit tests run all of
// it against real temporary repositories; the run flows (work.ts and its neighbours) add terminals and notifications.
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { agentModel, expandCommandTemplate, formatCompletedAt, logHeader, privateRunDir, shellScript, wrapAgentRun, writeShellScript } from '../core/workflow/commandLine';
import type { ProjectPaths } from '../core/project/project';
import { assemblePrompt } from '../core/workflow/prompt';
import { resolveAgent, type AgentPick } from '../core/runs/agents/presets';
import type { AgentFormatId } from '../core/runs/agents';
import { setFields } from '../core/spec/specEdit';
import { listCriteria } from '../core/spec/criteria';
import { parseSpec } from '../core/spec/specParser';
import type { ChantConfig, Spec } from '../core/spec/types';
import { defaultWorktreePath, RunGit, RunGitError, type Isolation, type MergeResult } from '../git/runGit';
import { writeFileAtomic } from '../core/project/atomicWrite';
import { appendProjectFile, checkProjectFile, createProjectFile, ensureProjectDir, entryKind, readProjectFile, writeProjectFile } from '../core/project/safeFiles';
import { isDerivedContext, isUrl, ProjectFiles, relativeInside, secretLookingName, type SensitiveEntry } from '../core/project/containment';
import { copyBack, hashFile } from '../core/project/copyBack';
import { snapshotDocuments } from '../core/workflow/researchReview';
import { carryCheckedCriteria } from '../core/spec/criteriaEdit';
import { agentCopyDiffers, keepAgentSpecCopy, textHash } from '../core/project/agentSpecCopy';
import { readStreamTail, runStreamDir, runStreamFileName } from '../core/runs/runFiles';
import { isResearchRun, judgeRunOutcome, NOTHING_DONE_REASON } from '../core/runs/runOutcome';

/** Applies a lossless edit to a spec file (the extension routes it through open editors). */
export type SpecWriter = (file: string, transform: (text: string) => string) => Promise<unknown>;

export const fsSpecWriter: SpecWriter = async (file, transform) => {
  const before = await fs.readFile(file, 'utf8');
  const after = transform(before);
  if (after !== before) await writeFileAtomic(file, after);
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
  /** The agent (and model) picked for this workspace or this run; it wins over agentCommand. */
  agent?: AgentPick;
  startOver?: boolean;
  /** Files of the old worktree the user agreed Start Over may delete (from a 'would-delete' error). */
  confirmedDeletes?: readonly string[];
  stashDirty?: boolean;
  /** Environment used to pick the model (CHANT_MODEL, ANTHROPIC_MODEL). */
  env?: Record<string, string | undefined>;
  writeSpec?: SpecWriter;
  now?: () => Date;
  /** Node (or Electron) binary for the output filter; default: this process's. */
  nodePath?: string;
  /** The stream filter script (out/streamFilter.js); default: the one beside this code. */
  filterScript?: string;
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
  /** The model passed to the agent; undefined when the agent chose its own (a preset without a picked model). */
  model?: string;
  /** How the agent's output is read (its format; `auto` for a program the extension does not know). */
  format: AgentFormatId | 'auto';
  /** The agent as the Runs view names it (`claude`, `codex`, `node scriptedAgent.js`). */
  agent: string;
  logFile: string;
  /**
   * The agent's raw output of this run (stream-json or plain text), appended as it comes:
   * `<root>/.chant/logs/runs/<id>-<UTC yyyymmddThhmmssZ>.jsonl` (see core/runs/runFiles.ts).
   */
  streamFile: string;
  statusFile: string;
  commandLine: string;
  /** Spec-derived values, passed through the environment. */
  env: Record<string, string>;
  continued: boolean;
  notices: string[];
  silent: boolean;
  /**
   * What the agent started from, per project-relative path that copy-back may bring back (sha256,
   * or null for no file): copy-back takes only what the agent created or changed since.
   */
  baselines: Record<string, string | null>;
  /**
   * sha256 of the main spec as the run began (after it was marked in_progress). When the main spec
   * is still that text at the end, the agent's copy (ticks, notes, new sections) becomes the spec
   * whole; otherwise only ticks are carried and the copy is kept aside (agentSpecCopy.ts).
   */
  specStartHash?: string;
}

export interface FinishResult {
  status: 'completed' | 'failed';
  reason?: string;
  /** Why the outcome differs from the agent's exit status (core/runs/runOutcome.ts), shown on the run. */
  overridesExit?: string;
  commits: string[];
  copiedBack: string[];
  /** Outputs kept beside a main-checkout file that changed meanwhile (never overwritten). */
  keptBeside: Array<{ file: string; beside: string }>;
  uncheckedCriteria: string[];
  /** Criteria the agent ticked that no longer exist in the main checkout's spec (by their text). */
  lostCriteria: string[];
  notices: string[];
}

const rel = (from: string, to: string): string => path.relative(from, to).split(path.sep).join('/');

/**
 * The spec's inputs (informed_by, context) that are inside the project but may hold secrets: named
 * like one (`.env`, keys, credentials) or ignored by git (what a repository keeps out of commits).
 * They reach the prompt or the worktree only after the pre-run check names them and the user agrees.
 */
export async function sensitiveInputs(root: string, spec: Spec, git: RunGit): Promise<SensitiveEntry[]> {
  const files = new ProjectFiles(root);
  const out: SensitiveEntry[] = [];
  const fields: Array<['informed_by' | 'context', readonly string[]]> = [
    ['informed_by', spec.informedBy],
    ['context', spec.context.filter((c) => !isDerivedContext(c))],
  ];
  for (const [field, entries] of fields) {
    for (const entry of entries) {
      const resolved = await files.resolve(entry);
      if (resolved.kind !== 'inside' || !resolved.exists || resolved.relative === '') continue;
      // chant's own files (specs, research documents) are what informed_by is for, and silent mode keeps
      // the whole .chant/ folder out of git: "ignored" says nothing about secrets there, a secret's name still does.
      const chantOwn = resolved.relative === '.chant' || resolved.relative.startsWith('.chant/');
      const ignored = !chantOwn && (await git.isIgnored(resolved.relative, root));
      const why = secretLookingName(resolved.relative) ?? (ignored ? 'ignored by git' : undefined);
      if (why) out.push({ field, entry, why });
    }
  }
  return out;
}

/** `chant(<id>):` messages identify a spec's work; its branch is `<branch_prefix><id>`. */
export function specBranch(config: ChantConfig, id: string): string {
  return `${config.branchPrefix}${id}`;
}

export async function prepareDirectRun(options: DirectRunOptions): Promise<RunPlan> {
  const { paths, config, spec } = options;
  const writeSpec = options.writeSpec ?? fsSpecWriter;
  const now = options.now ?? (() => new Date());
  // Links the repository placed where this run writes in the main checkout are refused before
  // anything changes (no branch, no worktree, no status written).
  await checkProjectFile(paths.root, path.join(paths.chantDir, 'logs', `${spec.id}.log`));
  await ensureProjectDir(paths.root, runStreamDir(paths.chantDir));
  await ensureProjectDir(paths.root, path.join(paths.chantDir, 'tmp'));
  const git = await RunGit.open(paths.root);
  const topLevel = await git.topLevel();
  const projectRel = path.relative(topLevel, paths.root);
  const branch = specBranch(config, spec.id);
  const prepared = await git.prepare({
    branch,
    mainBranch: config.mainBranch,
    isolation: options.isolation,
    worktreePath: defaultWorktreePath(config.projectName, spec.id, options.worktreeFolder),
    startOver: options.startOver,
    confirmedDeletes: options.confirmedDeletes,
    stashDirty: options.stashDirty,
  });
  const workDir = path.join(prepared.workDir, projectRel);
  const specFile = paths.specFile(spec.id);
  const workSpecFile = path.join(workDir, '.chant', 'specs', `${spec.id}.md`);

  // What the spec's `.chant/` documents were before the agent, for Review Changes (git does not see
  // them in silent mode).
  await snapshotDocuments(paths.root, spec);
  // Mark the spec in the main checkout (lossless), as chant does before it starts the agent.
  await writeSpec(specFile, (text) => setFields(text, { status: 'in_progress', branch }));
  const mainText = await fs.readFile(specFile, 'utf8');

  if (prepared.isolation === 'worktree') {
    // The agent ticks boxes in its copy; give it the current one (chant copies it too, §6.2 step 6).
    await writeProjectFile(workDir, workSpecFile, mainText);
    // Inputs git does not carry into the worktree (silent mode, uncommitted files): copy them, but
    // only from inside the project (containment), never through a symlink out. In silent mode the
    // spec's own documents under .chant/ that exist already (a draft the agent continues) come too,
    // so copy-back compares the agent's version with what it got rather than with nothing. Other
    // outputs (an ignored `.env`) are never handed to the agent.
    const files = new ProjectFiles(paths.root);
    const drafts = options.silent ? spec.targetFiles.filter((t) => t.replace(/^\.\//, '').startsWith('.chant/')) : [];
    for (const entry of [...spec.informedBy, ...spec.context, ...drafts]) {
      const resolved = await files.resolve(entry);
      if (resolved.kind !== 'inside' || !resolved.exists || resolved.relative === '') continue;
      const target = path.join(workDir, resolved.relative);
      if (relativeInside(workDir, target) === undefined) continue;
      const [src, dst] = await Promise.all([
        fs.stat(resolved.real).catch(() => undefined),
        fs.lstat(target).catch(() => undefined),
      ]);
      if (src?.isFile() && !dst) {
        // The worktree holds the repository's committed links too: its folders are checked.
        await ensureProjectDir(workDir, path.dirname(target));
        await fs.copyFile(resolved.real, target, fsConstants.COPYFILE_EXCL);
      }
    }
  }
  // In checkout isolation too: finish compares the target files with them to tell what the run wrote.
  const baselines = await snapshotOutputs(spec, workDir, options.silent);

  const prompt = await assemblePrompt(spec, mainText, config, paths, {
    worktree: prepared.isolation === 'worktree' ? { path: prepared.workDir, branch } : undefined,
  });
  // Every file below is written through safeFiles: a link the repository committed in place of
  // `.chant/tmp`, the log or the runs folder is refused, never written through.
  const tmpDir = path.join(workDir, '.chant', 'tmp');
  // Keeps the prompt out of `git add -A` without touching the repository's exclude files.
  await writeProjectFile(workDir, path.join(tmpDir, '.gitignore'), '*\n');
  const promptFile = path.join(tmpDir, `${spec.id}-prompt.md`);
  await writeProjectFile(workDir, promptFile, prompt.text);

  const logFile = path.join(paths.chantDir, 'logs', `${spec.id}.log`);
  const existingLog = (await entryKind(logFile)) !== 'missing';
  await appendProjectFile(paths.root, logFile, logHeader(spec.id, prompt.name, now(), existingLog));
  const streamFile = await newStreamFile(paths.root, paths.chantDir, spec.id, now());
  // The wrapper's status file, its exit code and the output filter live in a private folder
  // outside the project: nothing the repository placed can be under their names.
  const runDir = await privateRunDir();
  const statusFile = path.join(runDir, 'status.json');

  const resolved = resolveAgent(options.agentCommand ?? '', options.agent, agentModel(options.env ?? process.env, config.defaultModel));
  const model = resolved.model;
  const agent = expandCommandTemplate(resolved.template, { promptFile, specId: spec.id, specFile, worktree: prepared.workDir, branch, model: model ?? '' });
  const env: Record<string, string> = {
    ...agent.env,
    CHANT_SPEC_ID: spec.id,
    CHANT_SPEC_FILE: specFile,
    CHANT_WORKTREE_PATH: prepared.workDir,
    CHANT_BRANCH: branch,
    CHANT_PROMPT_FILE: promptFile,
  };
  if (model !== undefined) env.CHANT_MODEL = model;
  if (prepared.isolation === 'worktree') env.CHANT_WORKTREE = '1';
  // The wrapped command (with the `cd` into the work folder) goes into a script executed by an
  // explicit sh, so the terminal line is `sh <fixed safe path>` whatever the user's shell, and no
  // id, title or folder name from the repository is ever typed into it. The filter is the
  // extension's own file, run in place: nothing of it is written into the work folder.
  const filter = {
    script: options.filterScript ?? bundledStreamFilter(),
    node: options.nodePath ?? process.execPath,
    format: resolved.format,
  };
  const wrapped = wrapAgentRun({ agentLine: agent.line, env, logFile, statusFile, filter, streamFile });
  const script = await writeShellScript(shellScript({ cwd: workDir, steps: [{ line: wrapped }], label: `chant agent run for ${spec.id}` /* l10n-exempt: the script's comment */ }), 'agent-run', runDir);
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
    format: resolved.format,
    agent: resolved.name,
    logFile,
    streamFile,
    statusFile,
    commandLine,
    env,
    continued: prepared.continued,
    notices: prepared.notices,
    silent: options.silent,
    baselines,
    specStartHash: textHash(mainText),
  };
}

/**
 * The stream filter beside this code: `out/streamFilter.js` next to the extension bundle, or the
 * compiled `src/streamFilter.js` above this file in a compiled source tree (tests).
 */
export function bundledStreamFilter(): string {
  const candidates = [path.join(__dirname, 'streamFilter.js'), path.join(__dirname, '..', 'streamFilter.js')];
  return candidates.find((file) => existsSync(file)) ?? candidates[0];
}

/**
 * Creates this run's (empty) stream file, never reusing one: two runs of a spec started in the same
 * second get `-2`, `-3`…. The folder ignores itself in git whatever the repository's ignore files say.
 */
async function newStreamFile(root: string, chantDir: string, id: string, started: Date): Promise<string> {
  const dir = runStreamDir(chantDir);
  await ensureProjectDir(root, dir);
  const ignore = path.join(dir, '.gitignore');
  if ((await readProjectFile(root, ignore)) !== '*\n') await writeProjectFile(root, ignore, '*\n');
  const name = runStreamFileName(id, started);
  for (let n = 1; ; n++) {
    const file = path.join(dir, n === 1 ? name : name.replace(/\.jsonl$/, `-${n}.jsonl`));
    try {
      await createProjectFile(root, file);
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n > 1000) throw error;
    }
  }
}

/** The files copy-back may bring back: target files, and in silent mode the research folder. */
async function outputCandidates(targetFiles: readonly string[], workDir: string, silent: boolean): Promise<string[]> {
  const candidates = new Set<string>();
  for (const entry of targetFiles) {
    if (isUrl(entry) || /[*?[]/.test(entry)) continue;
    const inside = relativeInside(workDir, path.resolve(workDir, entry));
    if (inside) candidates.add(inside.split(path.sep).join('/'));
  }
  if (silent) for (const file of await listFiles(path.join(workDir, '.chant/research'))) candidates.add(rel(workDir, file));
  return [...candidates];
}

/** What the agent starts from at each output path (see RunPlan.baselines). */
async function snapshotOutputs(spec: Spec, workDir: string, silent: boolean): Promise<Record<string, string | null>> {
  const baselines: Record<string, string | null> = {};
  for (const file of await outputCandidates(spec.targetFiles, workDir, silent))
    baselines[file] = await hashFile(path.join(workDir, file));
  return baselines;
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
  // the agent created or changed under ignored paths of the worktree. Never over a user's bytes.
  const copiedBack: string[] = [];
  const keptBeside: FinishResult['keptBeside'] = [];
  const notices: string[] = [];
  if (plan.isolation === 'worktree') {
    const mainFiles = new ProjectFiles(plan.root);
    for (const inside of await outputCandidates(mainSpec.targetFiles, plan.workDir, plan.silent)) {
      if (!(await git.isIgnored(inside, plan.workDir)) && ((await git.isTracked(inside, plan.workDir)) || !plan.silent))
        continue;
      const target = await mainFiles.resolve(inside);
      if (target.kind !== 'inside') {
        notices.push(`${inside} was not copied back: in the main checkout it points outside the project.`);
        continue;
      }
      const outcome = await copyBack(
        path.join(plan.workDir, inside),
        path.join(plan.root, inside),
        plan.baselines?.[inside],
        plan.id,
      );
      if (outcome.kind === 'created' || outcome.kind === 'updated') copiedBack.push(inside);
      if (outcome.kind === 'kept-beside') {
        const beside = rel(plan.root, outcome.beside);
        keptBeside.push({ file: inside, beside });
        notices.push(`${inside} changed in the main checkout during the run, so it was kept; the agent's version is beside it as ${beside}.`);
      }
    }
  }

  const commits = await git.specCommits(plan.id, plan.branch, plan.base);
  const checked = workText ? listCriteria(workText).items : listCriteria(mainText).items;
  const uncheckedCriteria = checked.filter((c) => !c.checked).map((c) => c.text);

  const targets = await targetWrites(plan, git, mainSpec.targetFiles, copiedBack, keptBeside);
  notices.push(...targets.notices);
  const stream = plan.streamFile ? await readStreamTail(plan.streamFile, plan.format ?? 'auto') : undefined;
  const outcome = judgeRunOutcome({
    exitCode,
    commits,
    targetFiles: targets.files,
    criteria: { total: checked.length, checked: checked.length - uncheckedCriteria.length },
    isResearch: isResearchRun(mainSpec.type, mainSpec.targetFiles),
    agentSaysError: stream?.reader.isError,
  });
  const status = outcome.status;
  const reason =
    outcome.reason === NOTHING_DONE_REASON
      ? `No commits found: the agent changed nothing (no commit with "chant(${plan.id}):" on ${plan.branch}, and no target file written).`
      : outcome.reason;

  const completedAt = formatCompletedAt(now());
  let lostCriteria: string[] = [];
  const finalize = (text: string): string => {
    // The agent's ticks are carried over by the criterion's text, not its position: the user may
    // have edited the list during the run.
    const carried = carryCheckedCriteria(text, checked);
    lostCriteria = carried.lost;
    let out = carried.text;
    if (status === 'failed') return setFields(out, { status: 'failed', branch: plan.branch });
    // The model the agent reported using (its stream's init event), else the one it was asked for; never removed.
    const model = stream?.reader.model ?? plan.model;
    return setFields(out, {
      status: 'completed',
      branch: plan.branch,
      commits,
      completed_at: completedAt,
      ...(model ? { model } : {}),
    });
  };

  const specRel = rel(plan.isolation === 'worktree' ? plan.workDir : plan.root, plan.workSpecFile);
  const tracked = await git.isTracked(specRel, plan.isolation === 'worktree' ? plan.workDir : plan.root);
  if (status === 'completed' && tracked) {
    // Commit the finalized spec on the branch: the agent's copy (its ticks and notes) plus the fields.
    const branchText = finalize(workText ?? mainText);
    if (plan.isolation === 'worktree') {
      await writeProjectFile(plan.workDir, plan.workSpecFile, branchText);
    } else {
      await writeSpec(plan.specFile, () => branchText);
    }
    await git.commitPaths(plan.isolation === 'worktree' ? plan.workDir : plan.root, [specRel], `chant(${plan.id}): finalize spec`);
  }
  if (plan.isolation === 'worktree' && !tracked && workText !== undefined) {
    // Silent mode: nothing carries the agent's copy but this. Taken whole when the main spec is as
    // the run left it; else the ticks are carried and the copy is kept aside, and the user told.
    let whole = false;
    await writeSpec(plan.specFile, (text) => {
      whole = plan.specStartHash !== undefined && textHash(text) === plan.specStartHash;
      return finalize(whole ? workText : text);
    });
    const after = await fs.readFile(plan.specFile, 'utf8').catch(() => undefined);
    if (!whole && after !== undefined && agentCopyDiffers(after, workText)) {
      const copy = await keepAgentSpecCopy(plan.root, plan.id, `agent-${formatCompletedAt(now()).replace(/[-:]/g, '')}`, workText);
      notices.push(`The spec changed in the main checkout during the run, so only the agent's ticks were carried to it; the agent's copy (its notes and other edits) is kept as ${copy}.`);
    }
  } else if (plan.isolation === 'worktree' || !tracked || status === 'failed') {
    await writeSpec(plan.specFile, finalize);
  }
  await fs.rm(plan.statusFile, { force: true });
  const summary = status === 'completed' ? `completed (${commits.length} commit(s)${outcome.overridesExit ? `; ${outcome.overridesExit}` : ''})` : `failed: ${reason}`;
  await appendProjectFile(plan.root, plan.logFile, `\n# Finished: ${formatCompletedAt(now())} ${summary}\n`).catch(() => undefined);
  if (lostCriteria.length > 0) {
    notices.push(`The agent ticked criteria that are no longer in the spec: ${lostCriteria.map((c) => `"${c}"`).join(', ')}.`);
  }
  return {
    status,
    reason,
    ...(outcome.overridesExit ? { overridesExit: outcome.overridesExit } : {}),
    commits,
    copiedBack,
    keptBeside,
    uncheckedCriteria,
    lostCriteria,
    notices,
  };
}

/**
 * Which target files (no globs, no URLs) this run wrote where the user gets them: committed on the
 * branch, copied back, kept beside, or (checkout isolation) changed in place since the run began.
 * A file changed in a worktree but neither committed nor copied back would be left behind by the
 * merge, so it does not count, and a notice says where it is.
 */
async function targetWrites(
  plan: RunPlan,
  git: RunGit,
  targetFiles: readonly string[],
  copiedBack: readonly string[],
  keptBeside: FinishResult['keptBeside'],
): Promise<{ files: Array<{ path: string; written: boolean }>; notices: string[] }> {
  const files: Array<{ path: string; written: boolean }> = [];
  const notices: string[] = [];
  const prefix = rel(await git.topLevel(), plan.root);
  const committed = new Set((await git.changedFiles(plan.branch, plan.base).catch(() => [])).map((f) => f.path));
  for (const target of await outputCandidates(targetFiles, plan.workDir, false)) {
    let written = committed.has(prefix ? `${prefix}/${target}` : target) || copiedBack.includes(target) || keptBeside.some((k) => k.file === target);
    const baseline = plan.baselines?.[target];
    if (!written && baseline !== undefined && (await hashFile(path.join(plan.workDir, target))) !== baseline) {
      if (plan.isolation === 'checkout') written = true;
      else notices.push(`${target} was written but not committed, so merging the branch will not bring it; it is only in the worktree ${plan.workDir}.`);
    }
    files.push({ path: target, written });
  }
  return { files, notices };
}

/** Every regular file below `dir` (none when it is missing). */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

export interface MergeOutcome extends MergeResult {
  worktreeRemoved?: string;
  /** The worktree was kept because removing it would delete these files (ask, then removeRunWorktree). */
  worktreeKept?: { dir: string; files: string[] };
  branchDeleted: boolean;
}

/**
 * The branches Merge accepts for a spec: `<branch_prefix><id>`, or the branch this extension
 * recorded for its run. The spec's `branch:` field comes from the repository, so any other value
 * (`feature-x`, the user's unfinished work) is refused with the reason, never merged.
 */
export function mergeableBranch(
  config: ChantConfig,
  id: string,
  requested: string | undefined,
  recorded?: string,
): string {
  const expected = specBranch(config, id);
  const branch = requested ?? expected;
  if (branch === expected || (recorded !== undefined && branch === recorded)) return branch;
  throw new RunGitError(
    `Refusing to merge ${branch}: ${id}'s branch field names it, but Chant merges only the spec's own branch ${expected}${recorded && recorded !== expected ? ` or ${recorded}, the branch its run used` : ''}. Merge other branches yourself.`,
    'bad-ref',
  );
}

/**
 * Removes a run's worktree: first the ignored or excluded outputs under `.chant/` are copied back
 * (never over a differing file); anything else it would delete must be in `confirmed`, otherwise
 * it stays and the files are returned for the caller to ask about.
 */
export async function removeRunWorktree(
  paths: ProjectPaths,
  dir: string,
  label: string,
  confirmed: readonly string[] = [],
): Promise<{ removed: boolean; notices: string[]; needsConfirmation: string[] }> {
  const git = await RunGit.open(paths.root);
  const kept = await git.keepWorktreeOutputs(dir, label);
  try {
    await git.removeWorktree(dir, [...kept.kept, ...confirmed]);
    return { removed: true, notices: kept.notices, needsConfirmation: [] };
  } catch (error) {
    if (error instanceof RunGitError && error.reason === 'would-delete') return { removed: false, notices: [...kept.notices, error.message], needsConfirmation: error.files };
    throw error;
  }
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
  options: {
    branch?: string;
    recordedBranch?: string;
    deleteBranch?: boolean;
    confirmedDeletes?: readonly string[];
  } = {},
): Promise<MergeOutcome> {
  const branch = mergeableBranch(config, id, options.branch, options.recordedBranch);
  const git = await RunGit.open(paths.root);
  const notices: string[] = [];
  const specFile = paths.specFile(id);
  const topLevel = await git.topLevel();
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
        await writeProjectFile(paths.root, backup, setAside);
        notices.push(
          `The main checkout's uncommitted copy of the spec differed from the branch's; it is kept at ${backup}.`,
        );
      }
      await fs.rm(specFile);
    }
  }
  if (specTracked && dirty.includes(specRel)) {
    const ours = await fs.readFile(specFile, 'utf8');
    const theirs = await git.show(branch, specRel);
    if (theirs !== undefined && theirs === ours) {
      await git.restoreFromHead(specRel);
    } else {
      await git.stashPaths(`chant: spec edits set aside to merge ${branch}`, [specRel]);
      notices.push(
        `Your uncommitted edits to ${specRel} were stashed ("chant: spec edits set aside to merge ${branch}").`,
      );
    }
  }
  const worktree = await git.worktreeOf(branch);
  let result: MergeResult;
  try {
    result = await git.merge(branch, config.mainBranch);
  } catch (error) {
    if (
      setAside !== undefined &&
      !(await fs.stat(specFile).then(
        () => true,
        () => false,
      ))
    )
      await writeProjectFile(paths.root, specFile, setAside);
    throw error;
  }
  notices.push(...result.notices);
  let worktreeRemoved: string | undefined;
  let worktreeKept: MergeOutcome['worktreeKept'];
  if (worktree && path.resolve(worktree) !== path.resolve(topLevel)) {
    try {
      const removal = await removeRunWorktree(paths, worktree, id, options.confirmedDeletes);
      notices.push(...removal.notices);
      if (removal.removed) worktreeRemoved = worktree;
      else worktreeKept = { dir: worktree, files: removal.needsConfirmation };
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
  return { ...result, notices, worktreeRemoved, worktreeKept, branchDeleted };
}
