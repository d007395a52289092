// What the language model tools (src/chat/tools.ts) answer an agent in VS Code's chat: the runs and
// what needs the user, an investigation's phases and next step. Plain text for a model to read; every
// piece that comes from a spec (titles, ids, reasons) is one bounded line, so a title cannot pose as
// more of the answer. No `vscode` import.
import { shortSpecId } from '../spec/ids';
import { runDescription, runStateLabel, todaysCost, todaysCostLabel, type ChainRecord, type RunGroup, type RunRecord } from '../runs/runRecord';
import { RUN_GROUP_ORDER, runsViewModel, safeTitle } from './runsViewModel';
import type { InvestigationView } from './investigationView';

const line = (text: string | undefined, max = 160): string => safeTitle(text, '').slice(0, max);

export const RUN_GROUP_NAMES: Record<RunGroup, string> = { 'needs-you': 'Needs you', running: 'Running', queued: 'Queued', done: 'Done' };

/** The runs by group, newest first where the Runs view shows them so; at most `limit` per group. */
export function runsText(records: readonly RunRecord[], chains: readonly ChainRecord[], now: number, options: { group?: RunGroup | 'all'; limit?: number } = {}): string {
  const limit = Math.max(1, Math.min(options.limit ?? 10, 50));
  const groups = runsViewModel(records, chains, now, { doneLimit: limit }).filter((g) => !options.group || options.group === 'all' || g.group === options.group);
  const out: string[] = [];
  const today = todaysCostLabel(todaysCost(records, now));
  if (today) out.push(`Runs ${today}.`);
  for (const group of RUN_GROUP_ORDER) {
    const model = groups.find((g) => g.group === group);
    if (!model) continue;
    out.push('', `${RUN_GROUP_NAMES[group]} (${model.rows.length}):`);
    for (const row of model.rows.slice(0, limit)) {
      if (row.kind === 'chain') {
        out.push(`- ${row.label}: ${line(row.description)}`);
        continue;
      }
      const run = row.record;
      const facts = [`spec ${run.id}`, line(runDescription(run, shortSpecId(run.id), now), 200)];
      if (run.reason) facts.push(`outcome: ${line(run.reason, 240)}`);
      if (run.lastActivity) facts.push(`latest: ${line(run.lastActivity)}`);
      if (run.branch) facts.push(`branch ${line(run.branch, 120)}`);
      out.push(`- "${row.label}" · ${facts.join(' · ')}`);
    }
    if (model.rows.length > limit) out.push(`- … ${model.rows.length - limit} more`);
  }
  if (out.filter(Boolean).length === 0) return 'No agent runs in this workspace yet.';
  const needs = groups.find((g) => g.group === 'needs-you')?.rows.length ?? 0;
  out.unshift(needs > 0 ? `${needs} run${needs === 1 ? '' : 's'} need${needs === 1 ? 's' : ''} the user (review and merge, a failure, a conflict, a chain waiting).` : 'Nothing needs the user now.');
  return out.join('\n').trim();
}

/** One run's state in a sentence (the answer to starting one). */
export function runStateText(run: RunRecord): string {
  return `${run.id} is ${runStateLabel(run)}${run.branch ? ` on ${run.branch}` : ''}${run.agent ? `, agent ${run.agent}${run.model ? ` ${run.model}` : ''}` : ''}.`;
}

/** An investigation's phases in order, each spec's state and progress, and the one next step. */
export function investigationText(view: InvestigationView): string {
  const out = [`Investigation ${view.key}${view.issueUrl ? ` (${line(view.issueUrl, 200)})` : ''}:`];
  let next: string | undefined;
  for (const phase of view.phases) {
    out.push(`- ${phase.name}: ${phase.state}`);
    for (const spec of phase.specs) {
      const progress = spec.acceptance.total > 0 ? `, ${spec.acceptance.checked}/${spec.acceptance.total} criteria` : '';
      const blocked = spec.blockedBy.length > 0 ? `, waits for ${spec.blockedBy.slice(0, 3).join(', ')}` : '';
      out.push(`  - "${line(spec.title) || spec.id}" (${spec.id}, ${spec.type}): ${spec.status}${progress}${blocked}`);
      const primary = spec.actions.find((a) => a.primary);
      if (primary && !next) next = `${primary.label} "${line(spec.title) || spec.id}" (${spec.id})`;
    }
  }
  out.push(`- Upstream PR: ${view.gate.state === 'ready' ? 'ready: every phase is completed' : 'waits for the phases'}${view.gate.upstreamPr ? ` (${view.gate.upstreamPr.state} ${line(view.gate.upstreamPr.url, 200)})` : ''}`);
  out.push('', next ? `Next step: ${next}.` : view.gate.state === 'ready' ? 'Next step: prepare the upstream pull request (Chant: Prepare Upstream PR…).' : 'Next step: nothing can start now; a phase waits for a run, a review or a merge.');
  return out.join('\n');
}
