// How a spec looks in the editor: icon, colour, label, description and tooltip. Shared by the tree,
// and later the CodeLens and status bar, so a status reads the same everywhere.
import * as vscode from 'vscode';
import { shortSpecId } from '../core/ids';
import type { Readiness } from '../core/readiness';
import type { Spec } from '../core/types';

/** The state a maintainer cares about: on-disk status, refined by readiness and parse problems. */
export type DisplayState =
  | 'ready'
  | 'pending'
  | 'blocked'
  | 'in_progress'
  | 'paused'
  | 'completed'
  | 'failed'
  | 'needs_attention'
  | 'cancelled'
  | 'broken'
  | 'unknown';

export function displayStateOf(spec: Spec, readiness: Readiness | undefined): DisplayState {
  if (spec.chantWouldReject && !spec.statusKnown) return 'unknown';
  if (spec.chantWouldReject) return 'broken';
  if (spec.archived) return (spec.status as DisplayState) ?? 'completed';
  if (readiness?.ready && spec.status !== 'failed') return 'ready';
  const effective = readiness?.effective ?? spec.status;
  switch (effective) {
    case 'pending':
    case 'blocked':
    case 'in_progress':
    case 'paused':
    case 'completed':
    case 'failed':
    case 'needs_attention':
    case 'cancelled':
      return effective;
    case 'ready':
      // `status: ready` on disk can never be worked (CHANT-FORMAT §2.3).
      return 'pending';
    default:
      return 'unknown';
  }
}

const ICONS: Record<DisplayState, [codicon: string, color?: string]> = {
  ready: ['play-circle', 'charts.green'],
  pending: ['circle-large-outline', undefined],
  blocked: ['lock', 'charts.orange'],
  in_progress: ['sync~spin', 'charts.blue'],
  paused: ['debug-pause', 'charts.yellow'],
  completed: ['pass-filled', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  needs_attention: ['warning', 'list.warningForeground'],
  cancelled: ['circle-slash', 'disabledForeground'],
  broken: ['warning', 'problemsWarningIcon.foreground'],
  unknown: ['question', 'problemsWarningIcon.foreground'],
};

export const STATE_LABELS: Record<DisplayState, string> = {
  ready: 'Ready',
  pending: 'Pending',
  blocked: 'Blocked',
  in_progress: 'In progress',
  paused: 'Paused',
  completed: 'Completed',
  failed: 'Failed',
  needs_attention: 'Needs attention',
  cancelled: 'Cancelled',
  broken: 'Cannot be loaded by chant',
  unknown: 'Unknown status',
};

export function iconFor(state: DisplayState): vscode.ThemeIcon {
  const [id, color] = ICONS[state];
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

export function specLabel(spec: Spec): string {
  return spec.title?.trim() || spec.id;
}

export function specDescription(spec: Spec): string {
  const parts = [shortSpecId(spec.id)];
  if (spec.acceptance.total > 0) parts.push(`${spec.acceptance.checked}/${spec.acceptance.total}`);
  return parts.join(' · ');
}

/**
 * Markdown tooltip. Every value from the file is untrusted, so it goes through `appendText` or a
 * code span built by `code()`, never straight into markdown.
 */
export function specTooltip(spec: Spec, readiness: Readiness | undefined, state: DisplayState): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = false;
  md.supportHtml = false;
  md.appendMarkdown('**');
  md.appendText(specLabel(spec));
  md.appendMarkdown('**\n\n');
  const row = (name: string, value: string | undefined): void => {
    if (!value) return;
    md.appendMarkdown(`${name}: `);
    md.appendText(value);
    md.appendMarkdown('  \n');
  };
  const listRow = (name: string, values: string[]): void => {
    if (values.length > 0) row(name, values.join(', '));
  };
  row('Id', spec.id);
  row('Type', spec.type);
  row('Status', state === 'ready' ? `${spec.status} (ready to work)` : STATE_LABELS[state]);
  if (readiness && readiness.blockers.length > 0) {
    row('Blocked because', readiness.blockers.map((b) => b.message).join('; '));
  }
  if (readiness?.disagreement) row('Note', readiness.disagreement);
  listRow('Labels', spec.labels);
  listRow('Depends on', spec.dependsOn);
  listRow('Informed by', spec.informedBy);
  listRow('Target files', spec.targetFiles);
  row('Branch', spec.branch);
  row('Completed at', spec.completedAt);
  if (spec.acceptance.total > 0) row('Acceptance', `${spec.acceptance.checked}/${spec.acceptance.total} checked`);
  for (const problem of spec.problems.slice(0, 5)) {
    md.appendMarkdown('$(warning) ');
    md.appendText(`Line ${problem.line + 1}: ${problem.message}`);
    md.appendMarkdown('  \n');
  }
  return md;
}
