// The Runs view's rows, without the editor: which group each run and chain goes in, in what order,
// and what its row says. The tree provider (src/views/runsTreeProvider.ts) maps these to TreeItems;
// the benchmark measures this with 1,000 past runs. No `vscode` import.
import * as l10n from '@vscode/l10n';
import { shortSpecId } from '../spec/ids';
import { oneLine } from './plainText';
import { chainContextValue, runContextValue } from './contextValues';
import { formatCost } from '../runs/agentStream';
import {
  groupOfChain,
  groupOfRun,
  runDescription,
  RUN_GROUP_LABELS,
  totalCost,
  type ChainRecord,
  type RunGroup,
  type RunRecord,
} from '../runs/runRecord';

export const RUN_GROUP_ORDER: readonly RunGroup[] = ['needs-you', 'running', 'queued', 'done'];

export type RunRow = { kind: 'run'; record: RunRecord; label: string; description: string; contextValue: string } | { kind: 'chain'; chain: ChainRecord; label: string; description: string; contextValue: string };

export interface RunGroupModel {
  group: RunGroup;
  label: string;
  rows: RunRow[];
}

/** Titles come from spec files: one line, no control characters, bounded. */
export function safeTitle(text: string | undefined, fallback: string): string {
  const cleaned = oneLine((text ?? '').replace(/[\x00-\x1f\x7f]/g, ' '), 80).trim();
  return cleaned || fallback;
}

export function runRow(run: RunRecord, now: number, terminalOpen = false): RunRow {
  return {
    kind: 'run',
    record: run,
    label: safeTitle(run.title, run.id),
    description: runDescription(run, shortSpecId(run.id), now),
    contextValue: runContextValue(run, terminalOpen),
  };
}

export function chainRow(chain: ChainRecord, spent?: number): RunRow {
  const current = chain.current ? safeTitle(chain.currentTitle, chain.current) : undefined;
  const description =
    chain.state === 'waiting'
      ? current
        ? l10n.t('waits: merge {0}, then the next phase', current)
        : l10n.t('waits: merge the last phase, then the next phase')
      : chain.state === 'running'
        ? current
          ? l10n.t('working {0}', current)
          : l10n.t('working the next phase')
        : (chain.outcome ?? l10n.t('ended'));
  const cost = spent === undefined ? '' : ` · ${l10n.t('{0} spent', formatCost(spent))}`;
  return { kind: 'chain', chain, label: l10n.t('Phase chain · {0}', chain.investigation), description: description + cost, contextValue: chainContextValue(chain.state) };
}

/**
 * The groups with their rows: Needs you and Done newest first (what happened last is on top),
 * Running oldest first (the longest-running on top), Queued in queue order. Empty groups are left
 * out; `doneLimit` bounds the Done rows built (the rest are counted, not shown).
 */
export function runsViewModel(records: readonly RunRecord[], chains: readonly ChainRecord[], now: number, options: { doneLimit?: number; terminalOpen?: (run: RunRecord) => boolean } = {}): RunGroupModel[] {
  const buckets: Record<RunGroup, RunRecord[]> = { 'needs-you': [], running: [], queued: [], done: [] };
  for (const r of records) buckets[groupOfRun(r)].push(r);
  const chainBuckets: Record<RunGroup, ChainRecord[]> = { 'needs-you': [], running: [], queued: [], done: [] };
  for (const c of chains) chainBuckets[groupOfChain(c)].push(c);
  const limit = options.doneLimit ?? 200;
  const out: RunGroupModel[] = [];
  for (const group of RUN_GROUP_ORDER) {
    let runs = buckets[group];
    if (group === 'needs-you' || group === 'done') runs = [...runs].reverse();
    if (group === 'done') runs = runs.slice(0, limit);
    // A chain's cost is that of the runs it started, not of every run of its investigation.
    const chainRows = [...chainBuckets[group]].reverse().map((c) => chainRow(c, totalCost(records.filter((r) => r.chain === c.key))));
    const rows = [...chainRows, ...runs.map((r) => runRow(r, now, options.terminalOpen?.(r) ?? false))];
    if (rows.length > 0) out.push({ group, label: RUN_GROUP_LABELS[group], rows });
  }
  return out;
}

/** How many rows each group has (the group's description), counting the Done rows not built. */
export function groupCounts(records: readonly RunRecord[], chains: readonly ChainRecord[]): Record<RunGroup, number> {
  const counts: Record<RunGroup, number> = { 'needs-you': 0, running: 0, queued: 0, done: 0 };
  for (const r of records) counts[groupOfRun(r)]++;
  for (const c of chains) counts[groupOfChain(c)]++;
  return counts;
}
