// How a spec looks in the editor: icon, colour, label, description and tooltip. Shared by the tree,
// and later the CodeLens and status bar, so a status reads the same everywhere.
import * as vscode from 'vscode';
import { shortSpecId } from '../core/spec/ids';
import { displayStateOf, STATE_LABELS, type DisplayState } from '../core/present/displayState';
import { titleUnderPhase } from '../core/present/specTitle';
import type { Readiness } from '../core/project/readiness';
import type { Spec } from '../core/spec/types';

// The state model lives in the core (it is plain data); re-exported for the editor-side callers.
export { displayStateOf, STATE_LABELS, type DisplayState };

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

export function iconFor(state: DisplayState): vscode.ThemeIcon {
  const [id, color] = ICONS[state];
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

export function specLabel(spec: Spec): string {
  return spec.title?.trim() || spec.id;
}

/**
 * The tree row's label: the acceptance progress first, then the title (without its phase's name when
 * the row sits under that phase's group). At the default sidebar width a long title is cut at its
 * end, so what matters goes before it; the state is the row's icon, before everything.
 */
export function specRowLabel(spec: Spec, underPhase?: string): string {
  const title = titleUnderPhase(specLabel(spec), underPhase);
  return spec.acceptance.total > 0 ? `${spec.acceptance.checked}/${spec.acceptance.total} · ${title}` : title;
}

/** The tree row's description, after the title: the short id. */
export function specDescription(spec: Spec): string {
  return shortSpecId(spec.id);
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
  const listRow = (name: string, values: readonly string[]): void => {
    if (values.length > 0) row(name, values.join(', '));
  };
  row(vscode.l10n.t('Id'), spec.id);
  row(vscode.l10n.t('Type'), spec.type);
  row(vscode.l10n.t('Status'), state === 'ready' ? vscode.l10n.t('{0} (ready to work)', spec.status) : STATE_LABELS[state]);
  if (readiness && readiness.blockers.length > 0) {
    row(vscode.l10n.t('Blocked because'), readiness.blockers.map((b) => b.message).join('; '));
  }
  if (readiness?.disagreement) row(vscode.l10n.t('Note'), readiness.disagreement);
  listRow(vscode.l10n.t('Labels'), spec.labels);
  listRow(vscode.l10n.t('Depends on'), spec.dependsOn);
  listRow(vscode.l10n.t('Informed by'), spec.informedBy);
  listRow(vscode.l10n.t('Target files'), spec.targetFiles);
  row(vscode.l10n.t('Branch'), spec.branch);
  row(vscode.l10n.t('Completed at'), spec.completedAt);
  if (spec.acceptance.total > 0) row(vscode.l10n.t('Acceptance'), vscode.l10n.t('{0}/{1} checked', spec.acceptance.checked, spec.acceptance.total));
  for (const problem of spec.problems.slice(0, 5)) {
    md.appendMarkdown('$(warning) ');
    md.appendText(vscode.l10n.t('Line {0}: {1}', problem.line + 1, problem.message));
    md.appendMarkdown('  \n');
  }
  return md;
}
