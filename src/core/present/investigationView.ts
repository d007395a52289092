// What the Investigation panel shows for one investigation (CHANT-FORMAT §12): its phases in
// workflow order as a stepper, each with its specs' state, acceptance progress, approval, research
// documents and the next actions, and the Upstream PR gate at the end. Plain data for the webview:
// no `vscode`, nothing in it is markup (document text is rendered by the webview as sanitized
// markdown, built node by node).
import * as l10n from '@vscode/l10n';
import { compareSpecIds } from '../spec/ids';
import type { Readiness } from '../project/readiness';
import type { Spec, SpecMap } from '../spec/types';
import { investigationKeyOf, investigationLabelFromIssue, orderedPhaseNames, phaseOf, UNPHASED, type PhaseDefinition } from '../workflow/phases';

export type InvestigationActionKind = 'work' | 'rerun' | 'review' | 'merge' | 'approve' | 'reject' | 'reResearch' | 'open';

export interface InvestigationAction {
  kind: InvestigationActionKind;
  label: string;
  specId: string;
  /** The one thing to do next in the whole investigation. */
  primary?: boolean;
}

/**
 * One agent run of a spec. The run registry fills these in later (the panel shows none until
 * then); the shape is here so the message does not change when it does.
 */
export interface RunSummary {
  startedAt: string;
  outcome: 'running' | 'succeeded' | 'failed' | 'stopped';
  durationMs?: number;
  costUsd?: number;
}

export interface InvestigationDocument {
  /** Relative to the project root. */
  path: string;
  exists: boolean;
  /** The file's text (capped), for the webview to render as sanitized markdown. */
  markdown?: string;
  truncated?: boolean;
}

export interface InvestigationStepSpec {
  id: string;
  title: string;
  /** Effective status (readiness). */
  status: string;
  type: string;
  acceptance: { checked: number; total: number };
  approval?: { required: boolean; status: string; by?: string };
  blockedBy: string[];
  documents: InvestigationDocument[];
  actions: InvestigationAction[];
  runs: RunSummary[];
  /** Sum of the runs' costs, when known. */
  costUsd?: number;
}

export type PhaseState = 'done' | 'active' | 'ready' | 'waiting' | 'failed' | 'empty';

export interface InvestigationPhaseStep {
  name: string;
  state: PhaseState;
  specs: InvestigationStepSpec[];
}

export interface InvestigationGate {
  /** `ready` once every spec of the investigation is completed. */
  state: 'waiting' | 'ready';
  /** Filled by the github layer: the staging and upstream pull requests. */
  stagingPr?: { url: string; state: string };
  upstreamPr?: { url: string; state: string; reviewDecision?: string; mergedAt?: string };
}

export interface InvestigationView {
  key: string;
  issueUrl?: string;
  phases: InvestigationPhaseStep[];
  gate: InvestigationGate;
}

export interface InvestigationViewOptions {
  archived?: SpecMap;
  phases: readonly PhaseDefinition[];
  readiness?: (id: string) => Readiness | undefined;
  /** The text of a project file, or undefined when it does not exist. */
  readDocument?: (relativePath: string) => string | undefined;
  /** `approval.required` in config.md: every spec needs approval unless it says otherwise. */
  approvalRequired?: boolean;
  runs?: (id: string) => readonly RunSummary[];
  /** Whether the spec's branch holds commits the main branch lacks (undefined: not known, e.g. no git in Restricted Mode). */
  unmerged?: (id: string) => boolean | undefined;
}

const MAX_DOCUMENT = 100_000;
const URL_PATTERN = /^https?:\/\//i;

/** The investigation key a user gave (`1234`, `#1234`, `issue-1234`, a URL) or a spec's. */
export function investigationKeyFor(keyOrSpecId: string, specs: SpecMap): string | undefined {
  const spec = specs.get(keyOrSpecId);
  if (spec) return investigationKeyOf(spec);
  return investigationLabelFromIssue(keyOrSpecId);
}

export function buildInvestigationView(specs: SpecMap, key: string, options: InvestigationViewOptions): InvestigationView {
  const members: Spec[] = [];
  for (const map of [specs, options.archived ?? new Map<string, Spec>()]) {
    for (const spec of map.values()) if (investigationKeyOf(spec) === key && !members.some((m) => m.id === spec.id)) members.push(spec);
  }
  members.sort((a, b) => compareSpecIds(a.id, b.id));
  const names = orderedPhaseNames(options.phases).filter((name) => name !== 'Upstream PR');
  const byPhase = new Map<string, Spec[]>(names.map((name) => [name, []]));
  for (const spec of members) {
    const phase = phaseOf(spec, options.phases);
    byPhase.get(phase)?.push(spec) ?? byPhase.set(phase, [spec]);
  }
  let issueUrl: string | undefined;
  for (const spec of members) issueUrl ??= spec.informedBy.find((entry) => URL_PATTERN.test(entry.trim()))?.trim();

  let primaryGiven = false;
  const phases: InvestigationPhaseStep[] = [];
  for (const [name, list] of byPhase) {
    if (name === UNPHASED && list.length === 0) continue;
    const steps = list.map((spec) => stepOf(spec, specs, options));
    for (const step of steps) {
      const next = step.actions.find((a) => a.kind === 'work' || a.kind === 'approve' || a.kind === 'rerun');
      if (!primaryGiven && next) {
        next.primary = true;
        primaryGiven = true;
      }
    }
    phases.push({ name, state: phaseState(steps), specs: steps });
  }
  const allDone = members.length > 0 && members.every((spec) => (options.readiness?.(spec.id)?.effective ?? spec.status) === 'completed' || !specs.has(spec.id));
  return { key, ...(issueUrl ? { issueUrl } : {}), phases, gate: { state: allDone ? 'ready' : 'waiting' } };
}

function stepOf(spec: Spec, specs: SpecMap, options: InvestigationViewOptions): InvestigationStepSpec {
  const readiness = options.readiness?.(spec.id);
  const archived = !specs.has(spec.id);
  const status = archived ? spec.status : (readiness?.effective ?? spec.status);
  const required = spec.approval?.required ?? options.approvalRequired ?? false;
  const approvalStatus = spec.approval?.status ?? 'pending';
  const actions: InvestigationAction[] = [];
  const add = (kind: InvestigationActionKind, label: string): void => void actions.push({ kind, label, specId: spec.id });
  if (!archived) {
    if (required && approvalStatus !== 'approved' && (status === 'pending' || status === 'blocked' || status === 'ready')) {
      add('approve', l10n.t('Approve'));
      add('reject', l10n.t('Reject…'));
    } else if (readiness?.ready) add('work', l10n.t('Work'));
    if (status === 'failed' || status === 'needs_attention' || status === 'paused') add('rerun', l10n.t('Re-run'));
    if (status === 'completed' || status === 'in_progress' || status === 'failed' || status === 'needs_attention') add('review', l10n.t('Review'));
    // Only a branch still to merge: a merged phase is done, whatever its `branch:` field says.
    if (status === 'completed' && options.unmerged?.(spec.id)) add('merge', l10n.t('Merge and Continue'));
    if (spec.type === 'research' || status === 'completed') add('reResearch', l10n.t('Re-research from here'));
  }
  add('open', l10n.t('Open spec'));
  const documents = spec.targetFiles
    .filter((file) => file.startsWith('.chant/research/') || /\.(md|markdown)$/i.test(file))
    .map((file): InvestigationDocument => {
      const text = options.readDocument?.(file);
      if (text === undefined) return { path: file, exists: false };
      return text.length > MAX_DOCUMENT ? { path: file, exists: true, markdown: text.slice(0, MAX_DOCUMENT), truncated: true } : { path: file, exists: true, markdown: text };
    });
  const runs = [...(options.runs?.(spec.id) ?? [])];
  const costs = runs.map((r) => r.costUsd).filter((c): c is number => typeof c === 'number');
  const step: InvestigationStepSpec = {
    id: spec.id,
    title: spec.title ?? spec.id,
    status,
    type: spec.type,
    acceptance: { checked: spec.acceptance.checked, total: spec.acceptance.total },
    blockedBy: readiness?.blockers.map((b) => b.message) ?? [],
    documents,
    actions,
    runs,
  };
  if (costs.length > 0) step.costUsd = costs.reduce((a, b) => a + b, 0);
  if (spec.approval || options.approvalRequired) step.approval = { required, status: approvalStatus, ...(spec.approval?.by ? { by: spec.approval.by } : {}) };
  return step;
}

function phaseState(steps: readonly InvestigationStepSpec[]): PhaseState {
  if (steps.length === 0) return 'empty';
  if (steps.some((s) => s.status === 'failed' || s.status === 'needs_attention')) return 'failed';
  if (steps.every((s) => s.status === 'completed' || s.status === 'cancelled')) return 'done';
  if (steps.some((s) => s.status === 'in_progress')) return 'active';
  if (steps.some((s) => s.actions.some((a) => a.kind === 'work' || a.kind === 'approve'))) return 'ready';
  return 'waiting';
}
