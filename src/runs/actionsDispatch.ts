// The `actions` runner's git, gh and file steps, without the editor (as directRun.ts is for the
// direct runner; actionsRunner.ts adds the questions, the Runs view and notifications).
//
// Start: the same preparation as a local run (branch `chant/<id>` from main_branch, a local
// worktree where the branch will come back, the spec marked in_progress), the same prompt, sent
// with the spec's text as the workflow's `request` input; the branch is pushed, the workflow
// dispatched and the run it started found by the id its name carries. End: the branch is fetched
// and fast-forwarded in the worktree, the run's artifact (stream log, exit status, the agent's copy
// of the spec, ignored outputs) is put where a local run leaves them, and finishDirectRun marks the
// spec completed or failed exactly as for a local run. Nothing is forced: a branch that diverged
// is reported, never overwritten.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { actionsAgent } from '../core/runs/agents/actions';
import { ACTIONS_ARTIFACT, ACTIONS_WORKFLOW_NAME, ACTIONS_WORKFLOW_PATH, workflowState, type WorkflowState } from '../core/workflow/actionsWorkflow';
import { encodeRequest, findDispatchedRun, newDispatchId, parseRunView, RUN_LIST_FIELDS, RUN_VIEW_FIELDS, type ActionsRequest, type ActionsRunRef, type ActionsRunView } from '../core/runs/actionsRun';
import { assemblePrompt } from '../core/workflow/prompt';
import { isUrl, ProjectFiles, relativeInside } from '../core/project/containment';
import { appendProjectFile, writeProjectFile } from '../core/project/safeFiles';
import type { ProjectPaths } from '../core/project/project';
import type { ChantConfig, Spec } from '../core/spec/types';
import { isRunnableSpecId } from '../core/spec/ids';
import { AgentStreamReader, transcriptText } from '../core/runs/agentStream';
import { githubRepoOf, githubRepoOfRemote } from '../github/remotes';
import * as gh from '../github/gh';
import { messageOf, RunGit } from '../git/runGit';
import { finishDirectRun, listFiles, prepareDirectRun, type FinishResult, type RunPlan, type SpecWriter } from './directRun';

/** Why the runner cannot dispatch, each with what to do. */
export type ActionsProblem = 'no-gh' | 'not-logged-in' | 'no-remote' | 'no-push-access' | 'workflow-missing' | 'workflow-outdated' | 'workflow-foreign' | 'secret-missing' | 'subfolder';

export class ActionsSetupError extends Error {
  constructor(
    readonly problem: ActionsProblem,
    message: string,
  ) {
    super(message);
    this.name = 'ActionsSetupError';
  }
}

/**
 * Where runs go: gh's path, the GitHub repository, the git remote that is it, the ref the workflow is dispatched from.
 */
export interface ActionsTarget {
  gh: string;
  repo: string;
  remote: string;
  ref: string;
  /** The repository is public: dispatch inputs, job logs and artifacts are visible to anyone. */
  public: boolean;
}

/** What the Runs view and the finish need of a dispatched run (saved with the run). */
export type RemoteRun = ActionsRunRef;

/** The GitHub repository of `remote`: its URL, or (a mirror, insteadOf) its configured URL. */
export async function githubRepository(git: RunGit, remote: string): Promise<string | undefined> {
  const remotes = await git.remotes();
  const configured = await git.configuredRemoteUrl(remote);
  return githubRepoOfRemote(remotes.get(remote), 'fork') ?? (configured ? githubRepoOf(configured) : undefined);
}

/** The workflow file on `remote`'s main branch, compared with the one the settings would write. */
export async function remoteWorkflowState(
  git: RunGit,
  remote: string,
  mainBranch: string,
  expected: string,
): Promise<WorkflowState> {
  const head = await git.fetchBranch(remote, mainBranch);
  if (!head) return { kind: 'missing' };
  return workflowState(await git.show(head, ACTIONS_WORKFLOW_PATH), expected);
}

/**
 * Everything a dispatch needs, checked in the order a user fixes it: gh, its login, a GitHub
 * remote, push access, the workflow on the remote's main branch, the agent's secret (by name only:
 * `gh secret list` never shows a value).
 */
export async function checkActionsSetup(options: {
  ghPath: string | undefined;
  root: string;
  config: ChantConfig;
  remote: string;
  agent: string;
  expectedWorkflow: string;
}): Promise<ActionsTarget> {
  const ghPath = options.ghPath;
  if (!ghPath) throw new ActionsSetupError('no-gh', `GitHub Actions runs need ${gh.GH_MISSING}.`);
  await gh.authStatus(ghPath).catch((error: unknown) => {
    throw new ActionsSetupError(
      'not-logged-in',
      `gh is not logged in to GitHub (${messageOf(error)}). Run \`gh auth login\` in a terminal, then try again.`,
    );
  });
  const git = await RunGit.open(options.root);
  if (path.resolve(await git.topLevel()) !== path.resolve(options.root)) {
    throw new ActionsSetupError(
      'subfolder',
      'GitHub Actions runs need the .chant/ project at the top of its git repository; this one is in a subfolder. Work its specs locally.',
    );
  }
  const repo = await githubRepository(git, options.remote);
  if (!repo)
    throw new ActionsSetupError(
      'no-remote',
      `The git remote "${options.remote}" is not a GitHub repository. Add one (git remote add ${options.remote} https://github.com/<owner>/<repo>.git) or set chant.actions.remote.`,
    );
  const about = await gh.viewRepository(ghPath, repo).catch((error: unknown) => {
    throw new ActionsSetupError('no-remote', `gh cannot see ${repo}: ${messageOf(error)}`);
  });
  let permission = '';
  let visibility = '';
  try {
    const parsed = JSON.parse(about) as { viewerPermission?: unknown; visibility?: unknown };
    permission = typeof parsed.viewerPermission === 'string' ? parsed.viewerPermission : '';
    visibility = typeof parsed.visibility === 'string' ? parsed.visibility : '';
  } catch {
    // An answer gh did not give as JSON: the push below says what is wrong.
  }
  if (permission && !['ADMIN', 'MAINTAIN', 'WRITE'].includes(permission)) {
    throw new ActionsSetupError(
      'no-push-access',
      `You cannot push to ${repo} (your permission is ${permission.toLowerCase()}), and a run pushes the spec branch there. Work in a fork you own, or ask for write access.`,
    );
  }
  const state = await remoteWorkflowState(git, options.remote, options.config.mainBranch, options.expectedWorkflow);
  if (state.kind === 'missing') {
    throw new ActionsSetupError(
      'workflow-missing',
      `${repo} has no ${ACTIONS_WORKFLOW_PATH} on ${options.config.mainBranch}. Run "Chant: Set Up GitHub Actions", then commit and push the workflow.`,
    );
  }
  if (state.kind === 'outdated') {
    throw new ActionsSetupError(
      'workflow-outdated',
      `${ACTIONS_WORKFLOW_PATH} on ${repo}'s ${options.config.mainBranch} is version ${state.version}; this extension needs the current one. Run "Chant: Set Up GitHub Actions" to update it, then commit and push.`,
    );
  }
  if (state.kind === 'foreign') {
    throw new ActionsSetupError(
      'workflow-foreign',
      `${ACTIONS_WORKFLOW_PATH} on ${repo} was not written by this extension (no version marker). Rename it, or run "Chant: Set Up GitHub Actions" to replace it.`,
    );
  }
  const agent = actionsAgent(options.agent);
  if (!agent)
    throw new ActionsSetupError('workflow-outdated', `The workflow has no set-up for the agent "${options.agent}".`);
  const secrets = await gh.listSecretNames(ghPath, repo).catch(() => undefined);
  if (secrets !== undefined) {
    let names: string[] = [];
    try {
      names = (JSON.parse(secrets) as Array<{ name?: unknown }>).map((s) => String(s.name));
    } catch {
      names = [];
    }
    if (!names.includes(agent.secret)) {
      throw new ActionsSetupError(
        'secret-missing',
        `${repo} has no repository secret ${agent.secret}, which the workflow passes to ${agent.label}. Set it with \`gh secret set ${agent.secret} --repo ${repo}\` (or in the repository's Settings → Secrets and variables → Actions).`,
      );
    }
  }
  return { gh: ghPath, repo, remote: options.remote, ref: options.config.mainBranch, public: visibility === 'PUBLIC' };
}

export interface ActionsStartOptions {
  paths: ProjectPaths;
  config: ChantConfig;
  spec: Spec;
  silent: boolean;
  target: ActionsTarget;
  agent: string;
  worktreeFolder?: string;
  startOver?: boolean;
  confirmedDeletes?: readonly string[];
  env?: Record<string, string | undefined>;
  writeSpec?: SpecWriter;
}

/**
 * The files the job's checkout needs beside git's: the spec as it is here, and in silent mode its drafts under .chant/.
 */
async function requestFiles(paths: ProjectPaths, spec: Spec, specText: string, silent: boolean): Promise<ActionsRequest['files']> {
  const files: ActionsRequest['files'] = [{ path: `.chant/specs/${spec.id}.md`, text: specText }];
  if (!silent) return files;
  const project = new ProjectFiles(paths.root);
  for (const entry of spec.targetFiles) {
    if (!entry.replace(/^\.\//, '').startsWith('.chant/')) continue;
    const read = await project.read(entry, 200_000);
    if (read.kind === 'read' && !read.truncated) files.push({ path: read.relative, text: read.text });
  }
  return files;
}

/** Target files the job may send back (not URLs or globs, inside the project). */
function outputPaths(spec: Spec): string[] {
  const out = new Set<string>();
  for (const entry of spec.targetFiles) {
    if (isUrl(entry) || /[*?[]/.test(entry)) continue;
    const rel = relativeInside('/project', path.posix.resolve('/project', entry.trim()));
    if (rel) out.add(rel.split(path.sep).join('/'));
  }
  return [...out];
}

/**
 * Prepares the run as a local one (branch, worktree, spec in_progress), pushes the branch and
 * dispatches the workflow. The run's id comes later (findRun): GitHub does not return it.
 */
export async function startActionsRun(options: ActionsStartOptions): Promise<{ plan: RunPlan; remote: RemoteRun }> {
  const { spec, target } = options;
  if (!isRunnableSpecId(spec.id)) throw new ActionsSetupError('workflow-outdated', `"${spec.id}" is not a spec id chant runs.`);
  const plan = await prepareDirectRun({
    paths: options.paths,
    config: options.config,
    spec,
    silent: options.silent,
    isolation: 'worktree',
    worktreeFolder: options.worktreeFolder,
    startOver: options.startOver,
    confirmedDeletes: options.confirmedDeletes,
    env: options.env,
    writeSpec: options.writeSpec,
  });
  const specText = await fs.readFile(plan.specFile, 'utf8');
  // The prompt a local run gets, without the local worktree's path (the job works in its checkout).
  const prompt = await assemblePrompt(spec, specText, options.config, options.paths);
  await writeProjectFile(plan.workDir, plan.promptFile, prompt.text);
  const request = encodeRequest({
    version: 1,
    spec: spec.id,
    prompt: prompt.text,
    files: await requestFiles(options.paths, spec, specText, options.silent),
    silent: options.silent,
    outputs: outputPaths(spec),
  });
  const git = await RunGit.open(options.paths.root);
  await git.pushBranch(target.remote, plan.branch);
  const dispatchId = newDispatchId();
  await gh.dispatchWorkflow(target.gh, target.repo, ACTIONS_WORKFLOW_NAME, target.ref, {
    spec: spec.id,
    branch: plan.branch,
    agent: options.agent,
    model: plan.model ?? '',
    dispatch: dispatchId,
    request,
  });
  return { plan, remote: { repo: target.repo, remote: target.remote, dispatchId, agent: options.agent } };
}

/** The run a dispatch started, once GitHub lists it (undefined until then). */
export async function findRun(ghPath: string, remote: RemoteRun): Promise<ActionsRunView | undefined> {
  return findDispatchedRun(
    await gh.listWorkflowRuns(ghPath, remote.repo, ACTIONS_WORKFLOW_NAME, RUN_LIST_FIELDS),
    remote.dispatchId,
  );
}

/** What GitHub says of the run now. */
export async function viewRemoteRun(ghPath: string, remote: RemoteRun): Promise<ActionsRunView> {
  if (remote.runId === undefined) throw new Error('The run has not been found on GitHub yet.');
  const view = parseRunView(await gh.viewRun(ghPath, remote.repo, remote.runId, RUN_VIEW_FIELDS));
  if (!view) throw new Error(`gh gave no readable answer about run ${remote.runId}.`);
  return view;
}

export interface ActionsFinish {
  result: FinishResult;
  /** The agent's exit status from the artifact; undefined when the agent never finished. */
  exitCode: number | undefined;
  /** The artifact was there. */
  artifact: boolean;
}

/**
 * After the run completed on GitHub: fetch the branch into the run's worktree, lay the artifact out
 * as a local run leaves it, and finish as a local run does.
 */
export async function finishActionsRun(
  plan: RunPlan,
  remote: RemoteRun,
  ghPath: string,
  options: { projectPaths: ProjectPaths; writeSpec?: SpecWriter },
): Promise<ActionsFinish> {
  const git = await RunGit.open(plan.root);
  const notices: string[] = [];
  const fetched = await git.fetchBranch(remote.remote, plan.branch);
  if (fetched) {
    // The worktree's copy of the spec is the one prepare wrote; the branch may bring the agent's.
    const specRel = path.relative(plan.workDir, plan.workSpecFile).split(path.sep).join('/');
    if ((await git.isTracked(specRel, plan.workDir)) && (await git.dirtyPaths(plan.workDir, true)).includes(specRel)) {
      await git.restoreFromHead(specRel, plan.workDir);
    }
    await git.fastForward(plan.workDir, fetched);
  }
  const download = await fs.mkdtemp(path.join(os.tmpdir(), 'chant-actions-'));
  let exitCode: number | undefined;
  let artifact = false;
  try {
    artifact =
      remote.runId !== undefined &&
      (await gh.downloadArtifact(ghPath, remote.repo, remote.runId, ACTIONS_ARTIFACT, download).then(
        () => true,
        () => false,
      ));
    if (artifact) {
      const code = (await fs.readFile(path.join(download, 'exit-code'), 'utf8').catch(() => '')).trim();
      exitCode = /^\d+$/.test(code) ? Number(code) : undefined;
      const stream = await fs.readFile(path.join(download, 'stream.jsonl')).catch(() => undefined);
      if (stream) {
        // Under the project: never through a link a pull request committed (safeFiles).
        await appendProjectFile(options.projectPaths.root, plan.streamFile, stream.toString('utf8'));
        const reader = new AgentStreamReader();
        const text = transcriptText([...reader.push(stream.toString('utf8')), ...reader.end()]);
        await appendProjectFile(
          options.projectPaths.root,
          plan.logFile,
          `# Ran on GitHub Actions: ${remote.url ?? remote.repo}\n${text}${text.endsWith('\n') ? '' : '\n'}`,
        );
      }
      const agentSpec = await fs.readFile(path.join(download, 'spec.md'), 'utf8').catch(() => undefined);
      if (agentSpec !== undefined) await writeProjectFile(plan.workDir, plan.workSpecFile, agentSpec);
      // Outputs git does not carry (silent mode): into the worktree, where copy-back finds them.
      const work = new ProjectFiles(plan.workDir);
      for (const file of await listFiles(path.join(download, 'outputs'))) {
        const rel = path.relative(path.join(download, 'outputs'), file);
        const resolved = await work.resolve(rel);
        if (resolved.kind !== 'inside') continue;
        await writeProjectFile(plan.workDir, path.join(plan.workDir, resolved.relative), await fs.readFile(file));
      }
      const uncommitted = (await fs.readFile(path.join(download, 'uncommitted.txt'), 'utf8').catch(() => ''))
        .split('\n')
        .map((l) => l.slice(3).trim())
        .filter(Boolean);
      if (uncommitted.length > 0)
        notices.push(
          `The agent left changes it did not commit on the runner (${uncommitted.slice(0, 5).join(', ')}${uncommitted.length > 5 ? ', …' : ''}); they are not in the branch.`,
        );
    }
  } finally {
    await fs.rm(download, { recursive: true, force: true });
  }
  const result = await finishDirectRun(plan, exitCode, {
    writeSpec: options.writeSpec,
    projectPaths: options.projectPaths,
  });
  result.notices.unshift(...notices);
  return { result, exitCode, artifact };
}

