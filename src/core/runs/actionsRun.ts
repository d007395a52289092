// A spec worked on GitHub Actions, without the editor: the request the workflow's job reads (the
// prompt and files a local run would give the agent, gzip and base64 so it fits a dispatch input),
// what `gh run list/view --json` says about a run, how the Runs view names its state, and how
// often to ask again. The workflow itself is core/workflow/actionsWorkflow.ts. No `vscode` import.
import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

/** What the job's prepare step reads (actionsWorkflow.ts PREPARE_SCRIPT). */
export interface ActionsRequest {
  version: 1;
  spec: string;
  /** The assembled prompt, written outside the checkout. */
  prompt: string;
  /** Files the checkout lacks or has older: the spec as the main checkout has it, drafts git does not carry. */
  files: Array<{ path: string; text: string }>;
  /** Silent mode: `.chant/` is excluded from git on the runner too. */
  silent: boolean;
  /** Outputs the job sends back when git does not carry them (ignored target files). */
  outputs: string[];
}

/**
 * GitHub refuses a dispatch whose inputs pass 65,535 characters in all; the other inputs (spec id,
 * branch, agent, model, dispatch id) take a few hundred at most.
 */
export const MAX_REQUEST_CHARS = 64_000;

export class RequestTooLargeError extends Error {
  constructor(
    readonly size: number,
    readonly largest: Array<{ what: string; chars: number }>,
  ) {
    super(
      `The run's prompt and files are ${Math.round(size / 1000)} kB compressed; a GitHub Actions dispatch carries at most ${MAX_REQUEST_CHARS / 1000} kB. ` +
        `The largest parts: ${largest.map((l) => `${l.what} (${Math.round(l.chars / 1000)} kB)`).join(', ')}. Shorten the informed_by documents or commit them and work the spec locally.`,
    );
    this.name = 'RequestTooLargeError';
  }
}

/** The request as the `request` input: gzip, then base64. */
export function encodeRequest(request: ActionsRequest): string {
  const encoded = gzipSync(Buffer.from(JSON.stringify(request), 'utf8'), { level: 9 }).toString('base64');
  if (encoded.length > MAX_REQUEST_CHARS) {
    const parts = [{ what: 'the prompt', chars: request.prompt.length }, ...request.files.map((f) => ({ what: f.path, chars: f.text.length }))];
    throw new RequestTooLargeError(encoded.length, parts.sort((a, b) => b.chars - a.chars).slice(0, 3));
  }
  return encoded;
}

/** The inverse (tests, and a check that nothing was lost on the way). */
export function decodeRequest(encoded: string): ActionsRequest {
  return JSON.parse(gunzipSync(Buffer.from(encoded, 'base64')).toString('utf8')) as ActionsRequest;
}

/**
 * A fresh id that the run's name carries (`run-name: chant <spec> (<dispatch>)`), to find the run the dispatch started.
 */
export function newDispatchId(): string {
  return `d${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

/** What a run record keeps of its GitHub Actions run (saved with the run, shown on its row). */
export interface ActionsRunRef {
  /** `owner/repo`. */
  repo: string;
  /** The git remote that is that repository. */
  remote: string;
  /** The id the run's name carries (see newDispatchId). */
  dispatchId: string;
  agent: string;
  runId?: number;
  number?: number;
  url?: string;
  status?: string;
  conclusion?: string;
}

/** A saved ActionsRunRef read back: each field checked, undefined when it is not one. */
export function actionsRunRefFrom(value: unknown): ActionsRunRef | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const text = (x: unknown): string | undefined => (typeof x === 'string' && x.length <= 2000 ? x : undefined);
  const repo = text(v.repo);
  const remote = text(v.remote);
  const dispatchId = text(v.dispatchId);
  const agent = text(v.agent);
  if (!repo || !remote || !dispatchId || !agent) return undefined;
  const ref: ActionsRunRef = { repo, remote, dispatchId, agent };
  if (typeof v.runId === 'number' && Number.isSafeInteger(v.runId)) ref.runId = v.runId;
  if (typeof v.number === 'number' && Number.isSafeInteger(v.number)) ref.number = v.number;
  const url = text(v.url);
  if (url && url.startsWith('https://')) ref.url = url;
  for (const field of ['status', 'conclusion'] as const) {
    const value = text(v[field]);
    if (value) ref[field] = value;
  }
  return ref;
}

export type ActionsStatus = 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';

export interface ActionsStep {
  name: string;
  status: string;
  conclusion: string;
}

/** What GitHub says of a workflow run (`gh run view --json …`). */
export interface ActionsRunView {
  runId: number;
  number: number;
  url: string;
  status: ActionsStatus;
  /** success, failure, cancelled, timed_out, … once completed; empty before. */
  conclusion: string;
  displayTitle: string;
  createdAt?: string;
  steps: ActionsStep[];
}

/** The fields the extension asks `gh run view` and `gh run list` for. */
export const RUN_VIEW_FIELDS = 'databaseId,number,url,status,conclusion,displayTitle,createdAt,jobs';
export const RUN_LIST_FIELDS = 'databaseId,number,url,status,conclusion,displayTitle,createdAt';

const STATUSES: readonly ActionsStatus[] = ['queued', 'in_progress', 'completed', 'waiting', 'requested', 'pending'];
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function viewOf(value: unknown): ActionsRunView | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const runId = typeof v.databaseId === 'number' ? v.databaseId : undefined;
  const status = STATUSES.find((s) => s === v.status);
  if (runId === undefined || !status) return undefined;
  const steps: ActionsStep[] = [];
  for (const job of Array.isArray(v.jobs) ? v.jobs : []) {
    const s = (job as { steps?: unknown }).steps;
    for (const step of Array.isArray(s) ? s : []) {
      const st = step as Record<string, unknown>;
      steps.push({ name: str(st.name), status: str(st.status), conclusion: str(st.conclusion) });
    }
  }
  return {
    runId,
    number: typeof v.number === 'number' ? v.number : 0,
    url: str(v.url),
    status,
    conclusion: str(v.conclusion),
    displayTitle: str(v.displayTitle),
    createdAt: str(v.createdAt) || undefined,
    steps,
  };
}

/** `gh run view <id> --json RUN_VIEW_FIELDS`, parsed; undefined for anything else. */
export function parseRunView(json: string): ActionsRunView | undefined {
  try {
    return viewOf(JSON.parse(json));
  } catch {
    return undefined;
  }
}

/** The run a dispatch started, from `gh run list --json RUN_LIST_FIELDS`: its name carries the dispatch id. */
export function findDispatchedRun(json: string, dispatchId: string): ActionsRunView | undefined {
  let list: unknown;
  try {
    list = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!Array.isArray(list)) return undefined;
  for (const entry of list) {
    const view = viewOf(entry);
    if (view && view.displayTitle.includes(`(${dispatchId})`)) return view;
  }
  return undefined;
}

const STATUS_WORDS: Record<ActionsStatus, string> = {
  queued: 'queued',
  in_progress: 'in progress',
  completed: 'completed',
  waiting: 'waiting',
  requested: 'queued',
  pending: 'queued',
};

/**
 * What a run's row says: `GitHub Actions #123 · in progress` (or `… · failure` once over; `dispatched` before GitHub
 * lists it).
 */
export function actionsRunLabel(ref: Pick<ActionsRunRef, 'number' | 'status' | 'conclusion'>): string {
  const status = STATUSES.find((s) => s === ref.status);
  const state = !status ? 'dispatched' : status === 'completed' && ref.conclusion && ref.conclusion !== 'success' ? ref.conclusion.replace(/_/g, ' ') : STATUS_WORDS[status];
  return `GitHub Actions${ref.number ? ` #${ref.number}` : ''} · ${state}`;
}

/** The step that runs now, or the first that failed (for the row's latest activity). */
export function currentStep(view: ActionsRunView): string | undefined {
  const failed = view.steps.find((s) => s.conclusion === 'failure');
  if (failed) return `step failed: ${failed.name}`;
  const running = view.steps.find((s) => s.status === 'in_progress');
  return running ? `step: ${running.name}` : undefined;
}

/**
 * How long to wait before asking GitHub again: every few seconds while the job runs, backing off
 * (up to a minute) while the run waits in the queue, where nothing changes for a long time.
 */
export function nextPollMs(status: ActionsStatus | undefined, polls: number, base = 3000): number {
  if (status === 'in_progress') return base;
  return Math.min(60_000, base * Math.pow(1.5, Math.min(polls, 12)));
}

/** The last `n` lines of a job log (`gh run view --log-failed`: `job<TAB>step<TAB>line`), without the job column. */
export function logTail(log: string, n = 20): string[] {
  const lines = log.split(/\r?\n/).filter((l) => l.trim());
  return lines.slice(-n).map((l) => {
    const parts = l.split('\t');
    return parts.length >= 3 ? `${parts[1]}: ${parts.slice(2).join('\t')}` : l;
  });
}
