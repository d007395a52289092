// Lenses at the top of a spec file: where the spec stands (ready, blocked by whom, in progress on
// which branch) and how far its acceptance criteria are. Actions owned by other features (working
// the spec, the frontmatter form, the graph) appear only once their command is registered, so no
// lens ever points at a command that does not exist.
import * as vscode from 'vscode';
import { shortSpecId } from '../core/spec/ids';
import { escapeIconSyntax, oneLine } from '../core/present/plainText';
import { readinessOf, type Readiness } from '../core/project/readiness';
import { Disposable } from '../lifecycle';
import { RunGit } from '../git/runGit';
import { displayStateOf, iconFor, STATE_LABELS, type DisplayState } from '../views/specPresentation';
import type { SpecDocument, SpecDocuments } from './specDocuments';

/** What an optional lens may look at to decide whether it applies. */
export interface LensContext {
  specDocument: SpecDocument;
  state: DisplayState;
  readiness: Readiness | undefined;
  /** An agent works this spec now (the run registry says so). */
  running: boolean;
  /** In progress, no agent works it, and its branch does not exist here (known only in a trusted workspace). */
  branchMissing?: boolean;
}

/** What the lenses need of the run registry. */
export interface RunningSpecs {
  isRunning(id: string, root?: string): boolean;
  readonly onDidChange: vscode.Event<unknown>;
}

/**
 * Lenses for commands other features register. Each command is called with the spec file's Uri
 * (as an editor title menu would pass it) and the spec id. Add a row here when a feature lands.
 */
export const OPTIONAL_LENSES: ReadonlyArray<{
  command: string;
  title: string;
  /** Left of the state lens (true) or after the acceptance lens. */
  first?: boolean;
  appliesTo: (context: LensContext) => boolean;
}> = [
  {
    command: 'chant.workSpec',
    title: `$(play) ${vscode.l10n.t('Work this spec')}`,
    first: true,
    appliesTo: ({ specDocument, state, running, branchMissing }) => !running && !specDocument.spec.archived && (state === 'ready' || state === 'failed' || (state === 'in_progress' && !!branchMissing)),
  },
  { command: 'chant.pauseRun', title: `$(debug-pause) ${vscode.l10n.t('Pause')}`, first: true, appliesTo: ({ running }) => running },
  { command: 'chant.editFrontmatter', title: `$(edit) ${vscode.l10n.t('Edit frontmatter')}`, appliesTo: () => true },
  { command: 'chant.showGraph', title: `$(type-hierarchy) ${vscode.l10n.t('Show graph')}`, appliesTo: ({ specDocument }) => !specDocument.spec.archived },
];

const MAX_BLOCKERS_SHOWN = 3;

export class SpecCodeLensProvider extends Disposable implements vscode.CodeLensProvider {
  private readonly changeEmitter = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changeEmitter.event;

  constructor(
    private readonly documents: SpecDocuments,
    private readonly runs: RunningSpecs,
  ) {
    super();
    // VS Code asks again by itself when the document changes; other specs changing is our news,
    // and so is a run starting or ending.
    this._register(documents.projects.onDidChange(() => this.changeEmitter.fire()));
    this._register(runs.onDidChange(() => this.changeEmitter.fire()));
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const specDocument = await this.documents.get(document);
    if (!specDocument) return [];
    const { spec, index, layout } = specDocument;
    const line = layout.openingLine ?? 0;
    const range = new vscode.Range(line, 0, line, 0);
    const readiness = spec.archived ? undefined : readinessOf(spec, index.specs, index);
    const state = displayStateOf(spec, readiness);
    const running = !spec.archived && this.runs.isRunning(spec.id, index.paths.root);
    const branchMissing = state === 'in_progress' && !running ? await this.branchMissing(specDocument) : undefined;
    const context: LensContext = { specDocument, state, readiness, running, branchMissing };

    const registered = await this.registeredCommands();
    const optional = (first: boolean): vscode.CodeLens[] =>
      OPTIONAL_LENSES.filter(
        (lens) => (lens.first ?? false) === first && registered.has(lens.command) && lens.appliesTo(context),
      ).map(
        (lens) =>
          new vscode.CodeLens(range, { title: lens.title, command: lens.command, arguments: [document.uri, spec.id] }),
      );

    const lenses = [...optional(true), new vscode.CodeLens(range, this.stateCommand(context))];
    if (spec.acceptance.hasSection) {
      const heading = layout.acceptanceHeadingLine ?? line;
      lenses.push(
        new vscode.CodeLens(range, {
          title: vscode.l10n.t('Acceptance {0}/{1}', spec.acceptance.checked, spec.acceptance.total),
          tooltip: vscode.l10n.t('Go to the acceptance criteria'),
          command: 'vscode.open',
          arguments: [
            document.uri,
            { selection: new vscode.Range(heading, 0, heading, 0) } satisfies vscode.TextDocumentShowOptions,
          ],
        }),
      );
    }
    lenses.push(...optional(false));
    return lenses;
  }

  /**
   * Whether an in-progress spec's branch is missing from this repository: the spec says a run is
   * under way, but nothing here can continue it (the run was in another clone, or its branch was
   * deleted). Git is not run in Restricted Mode (undefined: not known).
   */
  private async branchMissing({ spec, index }: SpecDocument): Promise<boolean | undefined> {
    if (!vscode.workspace.isTrusted) return undefined;
    const branch = spec.branch ?? `${index.config.branchPrefix}${spec.id}`;
    const git = await RunGit.open(index.paths.root).catch(() => undefined);
    return git ? !(await git.branchExists(branch)) : undefined;
  }

  private stateCommand({ specDocument, state, readiness, running, branchMissing }: LensContext): vscode.Command {
    const { spec, index } = specDocument;
    if (running) return { title: `$(sync~spin) ${vscode.l10n.t('Agent running')}`, command: '', tooltip: vscode.l10n.t('An agent is working this spec now') };
    const icon = `$(${iconFor(state).id})`;
    const reasons = readiness?.blockers.map((b) => b.message).join('\n');
    switch (state) {
      case 'completed':
        return { title: `$(pass-filled) ${vscode.l10n.t('Completed')}`, command: '' };
      case 'in_progress': {
        const branch = spec.branch ?? `${index.config.branchPrefix}${spec.id}`;
        if (branchMissing) {
          return {
            title: vscode.l10n.t('$(warning) In progress, but {0} is not here', escapeIconSyntax(oneLine(branch))),
            command: '',
            tooltip: vscode.l10n.t('The spec says in_progress, but no agent runs it and its branch {0} does not exist in this repository (the run was in another clone, or the branch was deleted). Work this spec starts it again on a new branch.', oneLine(branch)),
          };
        }
        return { title: `$(sync~spin) ${vscode.l10n.t('In progress on {0}', escapeIconSyntax(oneLine(branch)))}`, command: '' };
      }
      case 'ready':
        return readiness?.disagreement
          ? { title: `$(play-circle) ${vscode.l10n.t('Ready, but chant work will refuse it')}`, command: '', tooltip: readiness.disagreement }
          : { title: `$(play-circle) ${vscode.l10n.t('Ready')}`, command: '' };
      case 'blocked':
      case 'pending': {
        const ids = [...new Set((readiness?.blockers ?? []).flatMap((b) => (b.id === undefined ? [] : [b.id])))];
        if (state === 'pending' && ids.length === 0) return { title: `${icon} ${STATE_LABELS[state]}`, command: '', tooltip: reasons };
        const more = ids.length > MAX_BLOCKERS_SHOWN ? ` +${ids.length - MAX_BLOCKERS_SHOWN}` : '';
        // Ids come from the file (a depends_on entry may say anything): no icon syntax from them.
        const shown = escapeIconSyntax(oneLine(ids.slice(0, MAX_BLOCKERS_SHOWN).map(shortSpecId).join(', '), 120)) + more;
        const title =
          state === 'pending'
            ? `${icon} ${vscode.l10n.t('Pending, waits for {0}', shown)}`
            : ids.length > 0
              ? `$(lock) ${vscode.l10n.t('Blocked by {0}', shown)}`
              : `$(lock) ${vscode.l10n.t('Blocked: needs approval')}`;
        const first = ids.map((id) => index.get(id)).find((target) => target !== undefined);
        return first
          ? { title, command: 'vscode.open', arguments: [vscode.Uri.file(first.path)], tooltip: reasons }
          : { title, command: '', tooltip: reasons };
      }
      default:
        return { title: `${icon} ${STATE_LABELS[state]}`, command: '', tooltip: reasons };
    }
  }

  /** Asked at lens time, every time: a feature may register its command at any moment. */
  private async registeredCommands(): Promise<Set<string>> {
    return new Set(await vscode.commands.getCommands(true));
  }
}
