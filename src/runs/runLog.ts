// A run's live log: while an agent runs, its output (the raw stream the wrapper captures, or chant's
// text log for the chant CLI runner) is read as it grows, from where it was read last. The reader
// (core/runs/agentStream.ts) turns claude's stream-json into a readable transcript, the latest
// activity and the usage, which go to the registry (the Runs view) a few times a second at most.
// Open Log shows the transcript in a read-only editor (`chant-run-log:` documents) that follows it.
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { formatCost, transcriptText, type AgentStreamReader, type TranscriptLine } from '../core/runs/agentStream';
import { StreamTail } from '../core/runs/streamTail';
import { isLive, type RunRecord } from '../core/runs/runRecord';
import { Disposable } from '../lifecycle';
import { withPrices } from '../core/runs/prices';
import type { RunRegistry } from './runRegistry';
import { agentPrices, settings } from '../settings';

export const RUN_LOG_SCHEME = 'chant-run-log';
/** How often a live run's output is read. */
const POLL_MS = 400;
/** The most transcript lines kept per run (the head of a very long run is dropped, with a note). */
const MAX_LINES = 20_000;

class Follower {
  readonly tail: StreamTail;
  readonly lines: TranscriptLine[] = [];
  dropped = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly run: RunRecord,
    file: string,
    /** The chant CLI's log is plain text; only its new part is read (it is appended to on every run). */
    startAt: number,
    private readonly onLines: () => void,
  ) {
    // A run's stream is read in the format it recorded; chant's text log is plain text.
    this.tail = new StreamTail(file, startAt, undefined, file === run.streamFile ? (run.format ?? 'auto') : 'plain');
  }

  get reader(): AgentStreamReader {
    return this.tail.reader;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.tail.poll().then((lines) => this.add(lines)), POLL_MS);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.add(await this.tail.drain());
  }

  private add(lines: TranscriptLine[]): void {
    if (lines.length === 0) return;
    this.lines.push(...lines);
    if (this.lines.length > MAX_LINES) {
      const extra = this.lines.length - MAX_LINES;
      this.lines.splice(0, extra);
      this.dropped += extra;
    }
    this.onLines();
  }
}

/**
 * Follows the output of live runs and serves `chant-run-log:` documents. One instance per window.
 */
export class RunLogs extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly followers = new Map<string, Follower>();
  private readonly changeEmitter = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changeEmitter.event;
  private readonly dirty = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly warnedBudget = new Set<string>();
  private readonly budgetEmitter = this._register(
    new vscode.EventEmitter<{ run: RunRecord; cost: number; budget: number }>(),
  );
  /** A live run's cost passed chant.runs.budgetUsd with chant.runs.budgetStop on: it must be paused. */
  readonly onDidPassBudget = this.budgetEmitter.event;

  constructor(private readonly registry: RunRegistry) {
    super();
    this._register(vscode.workspace.registerTextDocumentContentProvider(RUN_LOG_SCHEME, this));
    this._register({ dispose: () => this.followers.forEach((f) => void f.stop()) });
  }

  /** Starts following a run's output (the stream file, else chant's log from its current end). */
  async follow(run: RunRecord): Promise<void> {
    if (this.followers.has(run.key)) return;
    const file = run.streamFile ?? run.logFile;
    if (!file) return;
    const startAt = run.streamFile
      ? 0
      : await fs.stat(file).then(
          (s) => s.size,
          () => 0,
        );
    const follower = new Follower(run, file, startAt, () => this.changed(run.key));
    this.followers.set(run.key, follower);
    follower.start();
  }

  /** The run ended: read what is left, record its usage, stop polling (the transcript stays). */
  async settle(run: RunRecord): Promise<void> {
    const follower = this.followers.get(run.key);
    if (!follower) return;
    await follower.stop();
    this.publish(follower);
  }

  /** Usage and latest activity as the reader knows them now. */
  private publish(follower: Follower): void {
    const { reader, run } = follower;
    const change: Partial<RunRecord> = {};
    if (reader.lastActivity && reader.lastActivity !== run.lastActivity) change.lastActivity = reader.lastActivity;
    // The model the agent says it runs (its init event) over the one it was asked for (CHANT_MODEL).
    if (reader.model && reader.model !== run.model) change.model = reader.model;
    // A program the extension does not know: the format its output turned out to be, so a reload reads it the same way.
    if (run.format === 'auto' && reader.format !== 'plain') change.format = reader.format;
    // Agents that report no cost (codex, gemini) get one from the user's price table, or none.
    if (reader.usage) change.usage = withPrices(reader.usage, change.model ?? run.model, agentPrices());
    if (Object.keys(change).length > 0) this.registry.activity(run, change);
    this.checkBudget(run);
  }

  private checkBudget(run: RunRecord): void {
    const budget = { usd: settings.budgetUsd.value, stop: settings.budgetStop.value };
    const cost = run.usage?.costUsd;
    if (!budget.usd || cost === undefined || cost <= budget.usd || this.warnedBudget.has(run.key)) return;
    this.warnedBudget.add(run.key);
    if (budget.stop && isLive(run.state)) {
      // The hard stop (chant.runs.budgetStop): the run is paused; its listener says so.
      this.budgetEmitter.fire({ run, cost, budget: budget.usd });
      return;
    }
    void vscode.window
      .showWarningMessage(
        vscode.l10n.t(
          'The run of {0} has cost {1}, over the budget of {2} (chant.runs.budgetUsd).',
          run.id,
          formatCost(cost),
          formatCost(budget.usd),
        ),
        vscode.l10n.t('Open Log'),
      )
      .then((choice) => {
        if (choice) void this.open(run);
      });
  }

  private changed(runKey: string): void {
    this.dirty.add(runKey);
    // Several chunks a second become one repaint and one registry update.
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      for (const k of this.dirty) {
        const follower = this.followers.get(k);
        if (!follower) continue;
        this.publish(follower);
        this.changeEmitter.fire(uriOf(follower.run));
      }
      this.dirty.clear();
    }, 250);
  }

  /** Opens the run's readable transcript; it follows the run while it lives. */
  async open(run: RunRecord): Promise<void> {
    if (!this.followers.has(run.key) && !run.streamFile) {
      // A past run of the chant CLI (or of an agent whose output was not captured): chant's own log.
      if (
        run.logFile &&
        (await fs.stat(run.logFile).then(
          () => true,
          () => false,
        ))
      ) {
        await vscode.window.showTextDocument(vscode.Uri.file(run.logFile), { preview: false });
        return;
      }
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} has no log yet.', run.id));
      return;
    }
    if (!this.followers.has(run.key) && run.streamFile) {
      // A past run: read its stream once.
      const follower = new Follower(run, run.streamFile, 0, () => undefined);
      this.followers.set(run.key, follower);
      await follower.stop();
    }
    const doc = await vscode.workspace.openTextDocument(uriOf(run));
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    const end = new vscode.Position(doc.lineCount, 0);
    editor.revealRange(new vscode.Range(end, end));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const runKey = decodeURIComponent(uri.query);
    const follower = this.followers.get(runKey);
    const run = follower?.run ?? this.registry.record(runKey);
    if (!run) return 'This run is no longer known (its history was cleared).\n';
    const header = [
      `# ${run.title ?? run.id}`,
      `# ${run.id} · ${run.runner === 'cli' ? 'chant CLI' : run.runner === 'actions' ? `GitHub Actions${run.actions?.url ? ` ${run.actions.url}` : ''}` : 'direct'}${run.model ? ` · ${run.model}` : ''} · started ${new Date(run.startedAt).toISOString()}`,
    ];
    if (!follower) return `${header.join('\n')}\n\n(no output captured)\n`;
    if (follower.dropped > 0) header.push(`# (${follower.dropped} earlier lines not shown)`);
    return `${header.join('\n')}\n\n${transcriptText(follower.lines)}\n`;
  }

  /** The transcript lines of a run (Take Over's summary uses the last messages). */
  transcript(runKey: string): readonly TranscriptLine[] {
    return this.followers.get(runKey)?.lines ?? [];
  }
}

function uriOf(run: RunRecord): vscode.Uri {
  // The path is only the tab's name (the short id); the run key goes in the query.
  const name = run.id.replace(/[^A-Za-z0-9._-]/g, '_').slice(-60);
  return vscode.Uri.from({ scheme: RUN_LOG_SCHEME, path: `/${name}.log`, query: encodeURIComponent(run.key) });
}
