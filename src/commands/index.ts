// THE command table: every command of the extension, with what it acts on (`target`), whether it
// needs a trusted workspace, and what it runs. One registrar below resolves the target once, checks
// trust once, and reports any failure with a "Show Log" action. Adding a command: contribute it in
// package.json, add its line here (its code in a file of its own when it is more than a call), and
// the consistency test (test/integration/commands.integration.test.ts) checks the two agree.
import * as vscode from 'vscode';
import type { PhaseDefinition } from '../core/workflow/phases';
import type { GateStates } from '../investigation/gateStates';
import { continueChain, reviewChain, stopChain, workPhaseChain, type ChainOptions } from '../investigation/chain';
import type { ChainRecord, RunRecord } from '../core/runs/runRecord';
import { controlBatch, workParallel, type ParallelOptions } from '../runs/parallel';
import { cancelActionsRun, openActionsRun, setUpActions, showActionsJobLog } from '../runs/actionsRunner';
import { discardRun, dismissRun, openRunLog, openRunTerminal } from '../runs/runActions';
import { createStagingPr, createUpstreamPr, prepareUpstreamPr } from '../investigation/pullRequests';
import { startInvestigation, type StartInvestigationOptions } from '../investigation/start';
import { log, showError } from '../log';
import type { RunContext } from '../runs/context';
import { mergeSpec, pickSpecToMerge, type MergeOptions } from '../runs/merge';
import { isPausable, pauseRun } from '../runs/pause';
import { isReviewable, reviewChanges } from '../runs/review';
import { takeOver } from '../runs/takeOver';
import { isWorkable, workNextReady, workSpec, type WorkOptions } from '../runs/work';
import { openBranchSpec, OPEN_BRANCH_SPEC_COMMAND, type SpecStatusBar } from '../statusbar/specStatusBar';
import { SHOW_MORE_COMMAND, type SpecTreeProvider } from '../views/specTreeProvider';
import { MoreNode } from '../views/treeNodes';
import { filterSpecs, groupBy } from '../views/treeCommands';
import { FrontmatterPanel } from '../webviews/host/frontmatterPanel';
import { GraphPanel } from '../webviews/host/graphPanel';
import { InvestigationPanel } from '../webviews/host/investigationPanel';
import type { ProjectService } from '../workspace/projectService';
import { requireTrust } from '../workspace/trust';
import { checkCancel } from '../core/project/specLifecycle';
import { decideApproval, isApprovable, isReResearchable, reResearch, type ApprovalOptions, type ReResearchOptions } from './approvalCommands';
import { archiveSpec, isArchivable, type ArchiveOptions } from './archiveSpec';
import { cancelSpec, type CancelOptions } from './cancelSpec';
import { checkAgent, type CheckAgentOptions } from './checkAgent';
import { pickAgent } from '../runs/agentChoice';
import { initProject } from './initProject';
import { newSpec } from './newSpec';
import { copySpecId, openResearchOutput, revealSpecInExplorer } from './specActions';
import {
  activeSpec,
  optionsOf,
  resolveChain,
  resolveInvestigation,
  resolveRun,
  resolveSpec,
  specOfArgument,
  type InvestigationTarget,
  type SpecTarget,
  type SpecTargetOptions,
} from './target';

/** What the commands work with, built once in extension.ts. */
export interface Services {
  extensionUri: vscode.Uri;
  projects: ProjectService;
  tree: SpecTreeProvider;
  runs: RunContext;
  gates: GateStates;
  statusBar: SpecStatusBar;
  phases: () => readonly PhaseDefinition[];
}

interface Trust {
  /** "Working a spec" … */
  action: string;
  /** … "runs an agent program and commits to git" (default: changes files). */
  why?: string;
}

export interface CommandEntry {
  needsTrust?: Trust;
  /** Registered but not in package.json (called by other commands, lenses or links only). */
  internal?: boolean;
  invoke(services: Services, args: unknown[]): unknown;
}

type SpecTargetFor = Omit<SpecTargetOptions, 'include'> & { include?: (spec: SpecTarget['spec'], index: SpecTarget['index'], services: Services) => boolean };

/** A command on one spec: the argument (node, Uri, id) or the active editor's spec, else a pick. */
function onSpec(target: SpecTargetFor, run: (s: Services, t: SpecTarget, ...rest: unknown[]) => unknown, needsTrust?: Trust): CommandEntry {
  return {
    needsTrust,
    async invoke(s, [arg, ...rest]) {
      const { include } = target;
      const resolved = await resolveSpec(s.projects, arg, { ...target, include: include && ((spec, index) => include(spec, index, s)) });
      return resolved ? run(s, resolved, ...rest) : undefined;
    },
  };
}

/** A command on one investigation: a key, a spec of it, its tree group or gate, else a pick. */
function onInvestigation(run: (s: Services, t: InvestigationTarget, ...rest: unknown[]) => unknown, needsTrust?: Trust): CommandEntry {
  return {
    needsTrust,
    async invoke(s, [arg, ...rest]) {
      const resolved = await resolveInvestigation(s.projects, arg);
      return resolved ? run(s, resolved, ...rest) : undefined;
    },
  };
}

/** A command on one run: a Runs view row or a run key, else the active spec's latest run, else a pick. */
function onRun(run: (s: Services, record: RunRecord, ...rest: unknown[]) => unknown, needsTrust?: Trust): CommandEntry {
  return {
    needsTrust,
    async invoke(s, [arg, ...rest]) {
      const record = await resolveRun(s.runs.registry, s.projects, arg);
      return record ? run(s, record, ...rest) : undefined;
    },
  };
}

/** A command on a phase chain's row (or its key). */
function onChain(run: (s: Services, chain: ChainRecord) => unknown, needsTrust?: Trust): CommandEntry {
  return {
    needsTrust,
    invoke(s, [arg]) {
      const chain = resolveChain(s.runs.registry, arg);
      return chain ? run(s, chain) : undefined;
    },
  };
}

/** A command that takes its arguments as they come. */
function plain(run: (s: Services, ...args: unknown[]) => unknown, needsTrust?: Trust, internal?: boolean): CommandEntry {
  return { needsTrust, internal, invoke: (s, args) => run(s, ...args) };
}

const RUNS_AGENT: Trust = { action: 'Working a spec', why: 'runs an agent program and commits to git' };
const STOPS_RUN: Trust = { action: 'Stopping a run', why: 'stops a program and changes the spec' };

export const COMMANDS: Record<string, CommandEntry> = {
  // The Specs view
  'chant.refresh': plain(async (s) => {
    s.gates.clear();
    s.tree.refresh();
    await s.projects.reload();
  }),
  'chant.groupBy': plain((s, mode) => groupBy(s.tree, mode)),
  'chant.filter': plain((s, filter) => filterSpecs(s.tree, s.projects, filter)),
  'chant.clearFilter': plain((s) => s.tree.clearFilter()),
  // The "Show more" row of a long list in the Specs view.
  [SHOW_MORE_COMMAND]: plain((s, node) => node instanceof MoreNode && s.tree.showMore(node), undefined, true),
  'chant.showLog': plain(() => log.show()),

  // One spec
  // Go to Spec…: every spec by title, short id and status; in silent mode Quick Open cannot see `.chant/`.
  'chant.openSpec': onSpec({ placeHolder: vscode.l10n.t('Go to a spec by title, id or status'), alwaysPick: true }, (_s, t) => vscode.window.showTextDocument(vscode.Uri.file(t.spec.path))),
  [OPEN_BRANCH_SPEC_COMMAND]: plain((s) => openBranchSpec(s.statusBar)),
  'chant.editFrontmatter': onSpec({ placeHolder: vscode.l10n.t('Edit the frontmatter of…') }, (s, t) => FrontmatterPanel.show(s.extensionUri, s.projects, t.index, t.spec.id, t.spec.path)),
  'chant.showGraph': plain(async (s, arg) => {
    // Opened on a spec when one is named or open in the editor; else on the whole project.
    await s.projects.ready();
    const t = arg === undefined ? activeSpec(s.projects) : specOfArgument(s.projects, arg);
    const index = t?.index ?? s.projects.projects()[0];
    if (!index) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No chant project in this workspace.'));
      return undefined;
    }
    return GraphPanel.show(s.extensionUri, s.projects, s.phases, index, t?.spec.id);
  }),
  'chant.openResearchOutput': onSpec(
    { placeHolder: vscode.l10n.t('Open the output of which spec?'), include: (spec) => spec.targetFiles.length > 0 },
    (_s, t, pick) => openResearchOutput(t, typeof pick === 'string' ? pick : undefined),
  ),
  'chant.copySpecId': onSpec({ placeHolder: vscode.l10n.t('Copy the id of which spec?') }, (_s, t) => copySpecId(t)),
  'chant.revealSpecInExplorer': onSpec({ placeHolder: vscode.l10n.t('Reveal which spec in the Explorer?') }, (_s, t) => revealSpecInExplorer(t)),
  'chant.newSpec': plain((s, arg) => newSpec(s.projects, s.phases, arg), { action: 'Creating a spec' }),
  'chant.cancelSpec': onSpec(
    { placeHolder: vscode.l10n.t('Cancel which spec?'), include: (spec, index) => checkCancel(spec, index.specs).ok },
    (_s, t, options) => cancelSpec(t, optionsOf<CancelOptions>(options)),
    { action: 'Cancelling a spec' },
  ),
  'chant.archiveSpec': onSpec(
    { placeHolder: vscode.l10n.t('Archive which spec?'), include: isArchivable },
    (_s, t, options) => archiveSpec(t, optionsOf<ArchiveOptions>(options)),
    { action: 'Archiving a spec' },
  ),
  'chant.init': plain((s, folder) => initProject(s.projects, false, folder), { action: 'Initializing chant' }),
  'chant.initSilent': plain((s, folder) => initProject(s.projects, true, folder), { action: 'Initializing chant' }),

  // Agent runs
  'chant.workSpec': onSpec({ placeHolder: vscode.l10n.t('Spec to work'), include: isWorkable }, (s, t, options) => workSpec(s.runs, t.index, t.spec, optionsOf<WorkOptions>(options)), RUNS_AGENT),
  'chant.workNextReady': plain((s, options) => workNextReady(s.runs, optionsOf<WorkOptions>(options)), RUNS_AGENT),
  // Asks the agent (those installed here, with versions) and model, remembers them for the workspace, then works the spec.
  'chant.workSpecWithAgent': onSpec({ placeHolder: vscode.l10n.t('Spec to work'), include: isWorkable }, async (s, t, options) => {
    const opts = optionsOf<WorkOptions>(options);
    const pick = await pickAgent(s.runs.agents, { agent: opts.agent?.agent, model: opts.agent ? (opts.agent.model ?? '') : undefined });
    if (!pick || pick.agent === 'custom') return undefined;
    return workSpec(s.runs, t.index, t.spec, { ...opts, agent: pick });
  }, RUNS_AGENT),
  'chant.pauseRun': onSpec({ placeHolder: vscode.l10n.t('Run to pause'), include: (spec, index, s) => isPausable(s.runs, spec, index) }, (s, t) => pauseRun(s.runs, t.index, t.spec), STOPS_RUN),
  'chant.takeOver': onSpec({ placeHolder: vscode.l10n.t('Run to take over'), include: (spec, index, s) => isPausable(s.runs, spec, index) }, (s, t) => takeOver(s.runs, t.index, t.spec), STOPS_RUN),
  // Reads only, but runs git, which a repository's config can make run programs.
  'chant.reviewChanges': onSpec(
    { placeHolder: vscode.l10n.t('Spec whose changes to review'), include: (spec, index, s) => isReviewable(s.runs, spec, index) },
    (s, t) => reviewChanges(s.runs, t.index, t.spec),
    { action: 'Reviewing changes', why: 'runs git' },
  ),
  // The picker offers only unmerged spec branches, newest first, the active spec pre-selected.
  'chant.mergeSpec': plain(
    async (s, arg, options) => {
      const target = arg !== undefined && arg !== null ? await resolveSpec(s.projects, arg, { placeHolder: vscode.l10n.t('Spec to merge') }) : await pickSpecToMerge(s.projects, activeSpec(s.projects));
      if (!target) return undefined;
      const merged = await mergeSpec(s.runs, target.index, target.spec, optionsOf<MergeOptions>(options));
      // The gate asks git again now, not only when the refs watcher notices (it may not see .git).
      if (merged) s.gates.clear();
      return merged;
    },
    { action: 'Merging a spec branch', why: 'changes git branches and files' },
  ),

  'chant.checkAgent': plain((s, options) => checkAgent(s.projects, s.runs.agents, optionsOf<CheckAgentOptions>(options))),

  // The investigation
  'chant.startInvestigation': plain((s, options) => startInvestigation(s.projects, optionsOf<StartInvestigationOptions>(options)), { action: 'Starting an investigation' }),
  'chant.workPhaseChain': onInvestigation((s, t, options) => workPhaseChain(s.runs, t, optionsOf<ChainOptions>(options)), {
    action: 'Working a phase chain',
    why: 'runs agent programs and commits to git',
  }),
  'chant.showInvestigation': onInvestigation((s, t) =>
    InvestigationPanel.show({ extensionUri: s.extensionUri, projects: s.projects, phases: s.phases, gates: s.gates }, t.index, t.key),
  ),
  // chant's approval gate (CHANT-FORMAT §9 approve / reject) and re-research, each a spec edit.
  'chant.approveSpec': onSpec(
    { placeHolder: vscode.l10n.t('Approve which spec?'), include: isApprovable },
    (_s, t, options) => decideApproval(t, 'approve', optionsOf<ApprovalOptions>(options)),
    { action: 'Approving a spec' },
  ),
  'chant.rejectSpec': onSpec(
    { placeHolder: vscode.l10n.t('Reject which spec?'), include: isApprovable },
    (_s, t, options) => decideApproval(t, 'reject', optionsOf<ApprovalOptions>(options)),
    { action: 'Rejecting a spec' },
  ),
  'chant.reResearch': onSpec(
    { placeHolder: vscode.l10n.t('Re-research from which phase?'), include: isReResearchable },
    (s, t, options) => reResearch(s.projects, s.phases(), t, optionsOf<ReResearchOptions>(options)),
    { action: 'Creating a research spec' },
  ),
  'chant.createStagingPr': onInvestigation((s, t) => createStagingPr(s.runs, t), { action: 'Creating a pull request' }),
  'chant.prepareUpstreamPr': onInvestigation((_s, t) => prepareUpstreamPr(t), { action: 'Creating a pull request' }),
  'chant.createUpstreamPr': plain((s, arg) => createUpstreamPr(s.runs, arg), { action: 'Creating a pull request' }),

  // The Runs view: a row is a run (the spec commands above take it as their spec too) or a chain.
  'chant.workParallel': plain((s, options) => workParallel(s.runs, optionsOf<ParallelOptions>(options)), { action: 'Working specs in parallel', why: 'runs agent programs and commits to git' }),
  'chant.run.openLog': onRun((s, run) => openRunLog(s.runs, run)),
  'chant.run.openTerminal': onRun((s, run) => openRunTerminal(s.runs, run)),
  'chant.run.openSpec': onRun((s, run) => {
    const found = s.projects.findSpec(run.id);
    if (!found) throw new Error(`${run.id} is no longer in the index.`);
    return vscode.window.showTextDocument(vscode.Uri.file(found.spec.path));
  }),
  'chant.run.dismiss': onRun((s, run) => dismissRun(s.runs, run)),
  'chant.run.discard': onRun((s, run) => discardRun(s.runs, run), { action: 'Discarding a run', why: 'runs git and removes a worktree' }),
  'chant.run.continue': onRun((s, run) => workRunAgain(s, run, false), RUNS_AGENT),
  'chant.run.startOver': onRun((s, run) => workRunAgain(s, run, true), RUNS_AGENT),
  'chant.run.chainContinue': onChain((s, chain) => continueChain(s.runs, chain), { action: 'Continuing a phase chain', why: 'merges branches and runs agent programs' }),
  'chant.run.chainReview': onChain((s, chain) => reviewChain(s.runs, chain), { action: 'Reviewing changes', why: 'runs git' }),
  'chant.run.chainStop': onChain((s, chain) => stopChain(s.runs, chain)),
  'chant.run.pauseBatch': onRun((s, run) => controlBatch(s.runs, run.batch, 'pause')),
  'chant.run.resumeBatch': onRun((s, run) => controlBatch(s.runs, run.batch, 'resume')),
  'chant.run.cancelBatch': onRun((s, run) => controlBatch(s.runs, run.batch, 'cancel'), STOPS_RUN),
  'chant.run.clearHistory': plain((s) => s.runs.registry.clearHistory()),

  // GitHub Actions (the `actions` runner)
  'chant.actions.setUp': plain((s, options) => setUpActions(s.runs, optionsOf<{ confirmed?: boolean }>(options)), { action: 'Setting up GitHub Actions', why: 'writes a workflow file and runs git' }),
  'chant.actions.workSpec': onSpec({ placeHolder: vscode.l10n.t('Spec to work on GitHub Actions'), include: isWorkable }, (s, t, options) => workSpec(s.runs, t.index, t.spec, { ...optionsOf<WorkOptions>(options), runner: 'actions' }), RUNS_AGENT),
  'chant.actions.workParallel': plain((s, options) => workParallel(s.runs, { ...optionsOf<ParallelOptions>(options), runner: 'actions' }), { action: 'Working specs in parallel', why: 'pushes branches and starts GitHub Actions runs' }),
  'chant.actions.cancelRun': onRun((s, run) => cancelActionsRun(s.runs, run), STOPS_RUN),
  'chant.actions.openRun': onRun((_s, run) => openActionsRun(run)),
  'chant.actions.showJobLog': onRun((_s, run) => showActionsJobLog(run), { action: 'Reading the job log', why: 'runs gh' }),
};

/** Continue (on its branch) or Start Over a run's spec. */
function workRunAgain(s: Services, run: RunRecord, startOver: boolean): unknown {
  const found = s.projects.findSpec(run.id);
  if (!found) throw new Error(`${run.id} is no longer in the index.`);
  return workSpec(s.runs, found.index, found.spec, { startOver, rerun: true });
}

/** Registers every command of the table, each disposed with the extension. */
export function registerCommands(context: vscode.ExtensionContext, services: Services, table: Record<string, CommandEntry> = COMMANDS): void {
  for (const [id, entry] of Object.entries(table)) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        if (entry.needsTrust && !vscode.workspace.isTrusted) {
          // Not awaited: the warning stays up while the command returns (tests, chains).
          void requireTrust(entry.needsTrust.action, entry.needsTrust.why);
          return undefined;
        }
        try {
          return await entry.invoke(services, args);
        } catch (error) {
          // Not awaited: the notification stays until dismissed, and callers of executeCommand
          // (tests, other commands) must not hang on it.
          void showError(vscode.l10n.t('Chant: {0} failed: {1}', id.replace(/^chant\./, ''), error instanceof Error ? error.message : String(error)), error);
          return undefined;
        }
      }),
    );
  }
}
