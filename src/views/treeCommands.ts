// The Specs view's title-bar actions: Group By and Filter (quick inputs), Clear Filter. Each also
// takes its answer as an argument, which skips the question (tests, keybindings).
import * as vscode from 'vscode';
import { DISPLAY_STATES, STATE_LABELS, type DisplayState } from '../core/present/displayState';
import { describeFilter, GROUPING_MODES, isGroupingMode, normalizeFilter, type SpecFilter } from '../core/present/grouping';
import { SPEC_TYPES } from '../core/spec/types';
import type { ProjectService } from '../workspace/projectService';
import type { SpecTreeProvider } from './specTreeProvider';

export async function groupBy(tree: SpecTreeProvider, mode?: unknown): Promise<void> {
  if (mode !== undefined) {
    if (!isGroupingMode(mode)) throw new Error(`Unknown grouping '${String(mode)}'.`);
    await tree.setGrouping(mode);
    return;
  }
  const picked = await vscode.window.showQuickPick(
    GROUPING_MODES.map((m) => ({
      label: m.mode === tree.grouping ? `$(check) ${m.label}` : m.label,
      detail: m.detail,
      mode: m.mode,
    })),
    { title: vscode.l10n.t('Group Specs By'), placeHolder: vscode.l10n.t('Remembered for this workspace') },
  );
  if (picked) await tree.setGrouping(picked.mode);
}

export async function filterSpecs(tree: SpecTreeProvider, projects: ProjectService, filter?: unknown): Promise<void> {
  if (filter !== undefined) {
    await tree.setFilter(normalizeFilter(filter));
    return;
  }
  const current = tree.filter;
  const show = (values: readonly string[] | undefined): string => (values?.length ? values.join(', ') : vscode.l10n.t('any'));
  const dimension = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('$(search) Text'), description: current.text ? JSON.stringify(current.text) : vscode.l10n.t('any'), part: 'text' as const },
      { label: vscode.l10n.t('$(circle-large-outline) Status'), description: show(current.statuses), part: 'statuses' as const },
      { label: vscode.l10n.t('$(tag) Label'), description: show(current.labels), part: 'labels' as const },
      { label: vscode.l10n.t('$(symbol-class) Type'), description: show(current.types), part: 'types' as const },
      { label: vscode.l10n.t('$(clear-all) Clear filter'), description: describeFilter(current) || vscode.l10n.t('no filter set'), part: 'clear' as const },
    ],
    { title: vscode.l10n.t('Filter Specs'), placeHolder: vscode.l10n.t('Filter by… (parts combine: all must match)') },
  );
  if (!dimension) return;
  const next: SpecFilter = { ...current };
  switch (dimension.part) {
    case 'clear':
      await tree.clearFilter();
      return;
    case 'text': {
      const text = await vscode.window.showInputBox({
        title: vscode.l10n.t('Filter Specs: text'),
        prompt: vscode.l10n.t('Part of the title or id (case-insensitive); empty for any'),
        value: current.text ?? '',
      });
      if (text === undefined) return;
      next.text = text;
      break;
    }
    case 'statuses': {
      const picked = await pickMany(
        DISPLAY_STATES.map((state) => ({ label: STATE_LABELS[state], value: state })),
        current.statuses ?? [],
        'Filter Specs: status',
      );
      if (!picked) return;
      next.statuses = picked as DisplayState[];
      break;
    }
    case 'labels': {
      await projects.ready();
      const labels = new Map<string, string>();
      for (const index of projects.projects()) for (const spec of index.specs.values()) for (const l of spec.labels) labels.set(l.toLowerCase(), l);
      const picked = await pickMany(
        [...labels.values()].sort((a, b) => a.localeCompare(b)).map((label) => ({ label, value: label })),
        current.labels ?? [],
        'Filter Specs: label',
      );
      if (!picked) return;
      next.labels = picked;
      break;
    }
    case 'types': {
      await projects.ready();
      const types = new Set<string>(SPEC_TYPES);
      for (const index of projects.projects()) for (const spec of index.specs.values()) types.add(spec.type);
      const picked = await pickMany([...types].map((type) => ({ label: type, value: type })), current.types ?? [], 'Filter Specs: type');
      if (!picked) return;
      next.types = picked;
      break;
    }
  }
  await tree.setFilter(next);
}

async function pickMany(items: Array<{ label: string; value: string }>, selected: readonly string[], title: string): Promise<string[] | undefined> {
  if (items.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to choose from: no spec has one yet.'));
    return undefined;
  }
  const chosen = new Set(selected.map((s) => s.toLowerCase()));
  const picked = await vscode.window.showQuickPick(
    items.map((item) => ({ ...item, picked: chosen.has(item.value.toLowerCase()) })),
    { title, canPickMany: true, placeHolder: vscode.l10n.t('Select any number; none selected means any') },
  );
  return picked?.map((item) => item.value);
}
