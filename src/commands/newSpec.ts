// "New Spec": title → type → phase → labels → depends_on, then `specs/<next id>.md` in chant's shape
// (src/core/workflow/newSpec.ts), opened with the cursor on the first acceptance criterion. Every answer can
// also come in the argument, which skips its question: a group's context menu passes its phase, and
// tests pass everything.
import * as vscode from 'vscode';
import { nextSpecId } from '../core/spec/ids';
import { defaultTargetFile, firstCriterionPosition, isSpecType, labelProblem, listsNeeded, newSpecText, parseLabelList, titleProblem } from '../core/workflow/newSpec';
import type { PhaseDefinition } from '../core/workflow/phases';
import { listTopLevelSpecNames } from '../core/project/project';
import type { SpecIndex } from '../core/project/specIndex';
import { SPEC_TYPES, type SpecType } from '../core/spec/types';
import type { ProjectService } from '../workspace/projectService';
import { pickProject, pickSpecs } from '../views/pickers';
import { writeProjectFile } from '../core/project/safeFiles';
import { treePlaceOf } from './target';

export interface NewSpecArgs {
  /** Root folder of the project (the folder holding `.chant/`). */
  projectRoot?: string;
  title?: string;
  type?: string;
  /** Phase name; `null` for no phase. */
  phase?: string | null;
  labels?: string[];
  dependsOn?: string[];
  /** Research: files or URLs it reads (`informed_by`). */
  informedBy?: string[];
  /** Documentation: files it describes (`tracks`). */
  tracks?: string[];
  /** Research and documentation: the document it writes (default: `defaultTargetFile`). */
  targetFiles?: string[];
  /** Open the new file in an editor (default true). */
  open?: boolean;
}

const TYPE_DETAILS: Record<SpecType, string> = {
  code: 'Change code; the default',
  task: 'Work that is not mainly code, e.g. a reproduction test or a release step',
  research: 'Investigate and write a document (target_files names it)',
  documentation: 'Write or update docs (tracks names what they describe)',
  driver: 'Coordinates member specs (<id>.1, <id>.2, …)',
  group: 'A driver made by chant split',
};

/** Returns the path of the new spec file, or undefined when the user backed out. */
export async function newSpec(projects: ProjectService, phases: () => readonly PhaseDefinition[], arg?: unknown): Promise<string | undefined> {
  await projects.ready();
  const args = argsFrom(arg);
  if (projects.projects().length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There is no chant project in this workspace yet. Use "Initialize chant" first.'));
    return undefined;
  }
  const index = await pickProject(projects, args.projectRoot);
  if (!index) {
    if (args.projectRoot !== undefined) throw new Error(`No chant project at ${args.projectRoot}.`);
    return undefined;
  }

  const title = args.title ?? (await askTitle());
  if (title === undefined) return undefined;
  const titleIssue = titleProblem(title);
  if (titleIssue) return refuse(titleIssue);

  const type = args.type ?? (await askType());
  if (type === undefined) return undefined;
  if (!isSpecType(type)) return refuse(`'${type}' is not a spec type chant accepts (${SPEC_TYPES.join(', ')}).`);

  const phase = args.phase !== undefined ? args.phase : await askPhase(phases());
  if (phase === undefined) return undefined;
  const phaseLabel = phase === null ? undefined : phases().find((p) => p.name === phase)?.labels[0];
  if (phase !== null && phaseLabel === undefined) return refuse(`'${phase}' is not a configured phase (chant.phases), or it has no labels.`);

  const preset = [...(phaseLabel ? [phaseLabel] : []), ...(args.presetLabels ?? [])];
  const labels = args.labels ?? (await askLabels(index, preset));
  if (labels === undefined) return undefined;
  const allLabels = parseLabelList([...preset, ...labels].join(','));
  for (const label of allLabels) {
    const issue = labelProblem(label);
    if (issue) return refuse(issue);
  }

  const dependsOn = args.dependsOn ?? (await askDependsOn(index));
  if (dependsOn === undefined) return undefined;

  // chant's type rule wants to know what a research spec reads and what a documentation spec
  // describes; asked only for those types, with the document it writes offered as a default.
  const needed = listsNeeded(type);
  let informedBy = args.informedBy;
  let tracks = args.tracks;
  let targetFiles = args.targetFiles;
  if (needed.includes('informedBy') && informedBy === undefined) {
    informedBy = await askList('Inputs (informed_by)', 'Files or URLs the research reads, comma-separated, e.g. https://github.com/o/r/issues/12, src/store.rs');
    if (informedBy === undefined) return undefined;
  }
  if (needed.includes('tracks') && tracks === undefined) {
    tracks = await askList('Tracks', 'Files the documentation describes, comma-separated, e.g. src/api/*.ts');
    if (tracks === undefined) return undefined;
  }
  if (needed.includes('targetFiles') && targetFiles === undefined) {
    targetFiles = await askList('Document it writes (target_files)', 'Path relative to the project root', defaultTargetFile(type, title));
    if (targetFiles === undefined) return undefined;
  }

  const text = newSpecText({ title: title.trim(), type, labels: allLabels, dependsOn, informedBy, tracks, targetFiles });
  const file = await writeNewSpec(index, text);
  if (args.open !== false) {
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    const at = firstCriterionPosition(editor.document.getText());
    if (at) {
      // The starting criterion is selected: typing replaces it.
      editor.selection = new vscode.Selection(at.line, at.endCharacter, at.line, at.character);
      editor.revealRange(new vscode.Range(at.line, 0, at.line, at.endCharacter));
    }
  }
  return file;
}

/** Input chant could not load: say why and create nothing (not an error worth a log entry). */
function refuse(reason: string): undefined {
  void vscode.window.showWarningMessage(vscode.l10n.t('New Spec: {0}', reason));
  return undefined;
}

interface ResolvedArgs extends NewSpecArgs {
  /** Labels a group context menu adds (its investigation), asked about nothing. */
  presetLabels?: string[];
}

/** Accepts NewSpecArgs, or a tree group node (phase and investigation come from the group). */
function argsFrom(arg: unknown): ResolvedArgs {
  if (typeof arg !== 'object' || arg === null) return {};
  const place = treePlaceOf(arg);
  if (place) return { projectRoot: place.projectRoot, phase: place.phase, presetLabels: place.investigation ? [place.investigation] : undefined };
  const raw = arg as Record<string, unknown>;
  const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined);
  return {
    projectRoot: typeof raw.projectRoot === 'string' ? raw.projectRoot : undefined,
    title: typeof raw.title === 'string' ? raw.title : undefined,
    type: typeof raw.type === 'string' ? raw.type : undefined,
    phase: typeof raw.phase === 'string' || raw.phase === null ? (raw.phase as string | null) : undefined,
    labels: strings(raw.labels),
    dependsOn: strings(raw.dependsOn),
    informedBy: strings(raw.informedBy),
    tracks: strings(raw.tracks),
    targetFiles: strings(raw.targetFiles),
    open: typeof raw.open === 'boolean' ? raw.open : undefined,
  };
}

function askTitle(): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t('New Spec (1/5): title'),
    prompt: vscode.l10n.t('One line, e.g. "Root cause: issue #1234 concurrent write data loss"'),
    ignoreFocusOut: true,
    validateInput: (value) => titleProblem(value),
  });
}

async function askType(): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick(
    SPEC_TYPES.map((type) => ({ label: type, detail: TYPE_DETAILS[type] })),
    { title: vscode.l10n.t('New Spec (2/5): type'), placeHolder: vscode.l10n.t('The spec type (chant accepts exactly these)'), ignoreFocusOut: true },
  );
  return picked?.label;
}

/** The phase name, null for "no phase", undefined when dismissed. */
async function askPhase(phases: readonly PhaseDefinition[]): Promise<string | null | undefined> {
  const items = [
    ...phases.map((phase) => ({ label: phase.name, description: phase.labels[0] ? vscode.l10n.t('label: {0}', phase.labels[0]) : '', phase: phase.name as string | null })),
    { label: vscode.l10n.t('No phase'), description: vscode.l10n.t('Unphased'), phase: null as string | null },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('New Spec (3/5): phase'), placeHolder: vscode.l10n.t('Sets the phase label'), ignoreFocusOut: true });
  return picked ? picked.phase : undefined;
}

/**
 * Comma-separated labels, with the labels already in use offered as completions: picking one
 * appends it; Enter on the first row accepts the list. Returns the labels beyond `preset`.
 */
function askLabels(index: SpecIndex, preset: readonly string[]): Promise<string[] | undefined> {
  const counts = new Map<string, number>();
  for (const spec of index.specs.values()) for (const label of spec.labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  const suggestions = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([label]) => label);
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { role: 'accept' | 'error' | 'suggestion' }>();
    qp.title = vscode.l10n.t('New Spec (4/5): labels');
    qp.placeholder = vscode.l10n.t('Comma-separated labels, e.g. issue-1234 (optional)');
    qp.ignoreFocusOut = true;
    const update = (): void => {
      const typed = parseLabelList(qp.value);
      const last = qp.value.split(',').pop()!.trim().toLowerCase();
      const taken = new Set([...preset, ...typed].map((l) => l.toLowerCase()));
      const all = parseLabelList([...preset, ...typed].join(','));
      const problem = all.map(labelProblem).find(Boolean);
      qp.items = [
        {
          label: problem ? `$(error) ${problem}` : `$(check) ${all.length ? all.join(', ') : vscode.l10n.t('No labels')}`,
          description: problem ? '' : vscode.l10n.t('Enter to use these labels'),
          alwaysShow: true,
          role: problem ? 'error' : 'accept',
        },
        ...suggestions
          .filter((label) => !taken.has(label.toLowerCase()) || label.toLowerCase() === last)
          .filter((label) => last === '' || label.toLowerCase().includes(last))
          .slice(0, 30)
          .map((label) => ({ label, description: vscode.l10n.t('in use ({0})', counts.get(label) ?? 0), alwaysShow: true, role: 'suggestion' as const })),
      ];
    };
    let done = false;
    const finish = (value: string[] | undefined): void => {
      if (done) return;
      done = true;
      resolve(value);
      qp.dispose();
    };
    qp.onDidChangeValue(update);
    qp.onDidAccept(() => {
      const item = qp.activeItems[0];
      if (item?.role === 'error') return;
      if (item?.role === 'suggestion') {
        // A suggestion replaces the word being typed, and the list stays open for more.
        const parts = qp.value.split(',');
        parts[parts.length - 1] = ` ${item.label}`;
        qp.value = `${parts.join(',').replace(/^\s+/, '')}, `;
        update();
        return;
      }
      finish(parseLabelList(qp.value));
    });
    qp.onDidHide(() => finish(undefined));
    update();
    qp.show();
  });
}

/** A comma-separated list, at least one entry (chant's type rule needs the field); undefined when dismissed. */
async function askList(title: string, prompt: string, value?: string): Promise<string[] | undefined> {
  const answer = await vscode.window.showInputBox({
    title: vscode.l10n.t('New Spec: {0}', title),
    prompt,
    value,
    ignoreFocusOut: true,
    validateInput: (text) => (text.split(',').some((part) => part.trim() !== '') ? undefined : 'Name at least one (chant lint warns without it)'),
  });
  return answer === undefined ? undefined : answer.split(',').map((part) => part.trim()).filter(Boolean);
}

async function askDependsOn(index: SpecIndex): Promise<string[] | undefined> {
  const specs = index.sorted();
  if (specs.length === 0) return [];
  const picked = await pickSpecs(index, specs, {
    title: vscode.l10n.t('New Spec (5/5): depends on'),
    placeHolder: vscode.l10n.t('Specs that must be completed first (optional; Enter with none selected for no dependencies)'),
  });
  return picked?.map((spec) => spec.id);
}

/** Writes `specs/<next id>.md`; a new id is drawn if another writer took this one meanwhile. */
async function writeNewSpec(index: SpecIndex, text: string): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = nextSpecId(await listTopLevelSpecNames(index.paths), new Date());
    const file = index.paths.specFile(id);
    try {
      // A specs folder that is a link the repository placed is refused (safeFiles.ts).
      await writeProjectFile(index.paths.root, file, text, { exclusive: true });
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error('Could not find a free spec id after 5 attempts.');
}
