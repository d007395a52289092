// Every quick pick that chooses what a command acts on (a spec, several specs, an investigation, a
// project, a run), in one label format: a spec reads "title" with its short id beside it and
// "state · type · labels" below, wherever it is offered. Questions inside one command's flow (New
// Spec's type and phase, which agent, a batch's scope, a grouping) stay in that command's file.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { displayStateOf, STATE_LABELS } from '../core/present/displayState';
import type { SpecIndex } from '../core/project/specIndex';
import { shortSpecId } from '../core/spec/ids';
import type { RunRecord } from '../core/runs/runRecord';
import type { Spec } from '../core/spec/types';
import { investigationKeysIn, specsOfInvestigation } from '../core/workflow/investigationSpecs';
import type { ProjectService } from '../workspace/projectService';

export interface SpecTarget {
  index: SpecIndex;
  spec: Spec;
}

export interface InvestigationTarget {
  index: SpecIndex;
  key: string;
}

/** The one way a spec is shown in a quick pick. */
export function specPickItem(index: SpecIndex, spec: Spec): vscode.QuickPickItem & { target: SpecTarget } {
  const state = STATE_LABELS[displayStateOf(spec, spec.archived ? undefined : index.verdict(spec.id))];
  return {
    label: spec.title?.trim() || spec.id,
    description: shortSpecId(spec.id),
    detail: [state, spec.type, ...(spec.labels.length ? [spec.labels.join(', ')] : [])].join(' · '),
    target: { index, spec },
  };
}

export async function pickSpec(
  projects: ProjectService,
  placeHolder: string,
  include?: (spec: Spec, index: SpecIndex) => boolean,
): Promise<SpecTarget | undefined> {
  const items = projects.projects().flatMap((index) =>
    index
      .sorted()
      .filter((spec) => include?.(spec, index) ?? true)
      .map((spec) => specPickItem(index, spec)),
  );
  if (items.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There is no spec this command applies to.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, {
    placeHolder,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.target;
}

/** Several specs of one project (none chosen is an answer too: an empty list); undefined when dismissed. */
export async function pickSpecs(
  index: SpecIndex,
  specs: readonly Spec[],
  options: { title?: string; placeHolder: string },
): Promise<Spec[] | undefined> {
  const picked = await vscode.window.showQuickPick(
    specs.map((spec) => specPickItem(index, spec)),
    { ...options, canPickMany: true, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true },
  );
  return picked?.map((item) => item.target.spec);
}

/** One of these specs, `preselected` highlighted (Enter takes it); the items keep their own details. */
export function pickSpecFrom(
  items: ReadonlyArray<vscode.QuickPickItem & { target: SpecTarget }>,
  placeHolder: string,
  preselected?: SpecTarget,
): Promise<SpecTarget | undefined> {
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { target: SpecTarget }>();
  pick.items = items;
  pick.placeholder = placeHolder;
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  const active = items.find(
    (i) => preselected && i.target.spec.id === preselected.spec.id && i.target.index === preselected.index,
  );
  if (active) pick.activeItems = [active];
  return new Promise((resolve) => {
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]?.target ?? pick.activeItems[0]?.target);
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

/** Investigations of every project; the one of the active spec (if any) comes first and is chosen alone. */
export async function pickInvestigation(
  projects: ProjectService,
  preferred?: InvestigationTarget,
): Promise<InvestigationTarget | undefined> {
  const items = projects.projects().flatMap((index) =>
    investigationKeysIn(index.sorted()).map((key) => {
      const specs = specsOfInvestigation(index.sorted(), key);
      const open = specs.filter((s) => s.status !== 'completed' && s.status !== 'cancelled').length;
      return {
        label: key,
        description: projects.projects().length > 1 ? path.basename(index.paths.root) : undefined,
        detail:
          specs.length === 1
            ? vscode.l10n.t('1 spec, {0} open', open)
            : vscode.l10n.t('{0} specs, {1} open', specs.length, open),
        target: { index, key },
      };
    }),
  );
  if (items.length === 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('There is no investigation (specs labelled issue-<n>) in this workspace.'),
    );
    return undefined;
  }
  if (items.length === 1) return items[0].target;
  if (preferred) {
    const first = items.findIndex((i) => i.target.key === preferred.key && i.target.index === preferred.index);
    if (first > 0) items.unshift(...items.splice(first, 1));
  }
  return (await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Which investigation?') }))?.target;
}

/** The project at `root`, the only one, or the one the user picks. */
export async function pickProject(projects: ProjectService, root?: string): Promise<SpecIndex | undefined> {
  await projects.ready();
  const all = projects.projects();
  if (root !== undefined) return all.find((p) => p.paths.root === root);
  if (all.length <= 1) return all[0];
  const picked = await vscode.window.showQuickPick(
    all.map((index) => ({
      label: index.config.projectName || path.basename(index.paths.root),
      description: index.paths.root,
      index,
    })),
    { placeHolder: vscode.l10n.t('Which chant project?') },
  );
  return picked?.index;
}

/** One of the runs (newest first), by its spec's title, id, state and start. */
export async function pickRun(newestFirst: readonly RunRecord[]): Promise<RunRecord | undefined> {
  const items = newestFirst.slice(0, 200).map((r) => ({
    label: r.title?.trim() || r.id,
    description: r.id,
    detail: `${r.state}${r.need ? ` · ${r.need}` : ''} · ${new Date(r.startedAt).toLocaleString()}`,
    run: r,
  }));
  return (await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Which run?'), matchOnDescription: true }))?.run;
}
