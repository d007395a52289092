// "Chant: Edit Frontmatter": one panel per spec. The webview edits a draft; the host validates it
// with the core's rules, and saves it as a WorkspaceEdit made by the core's lossless setFields (only
// changed keys change, Undo works, an open editor stays in sync). When the file changes under
// unsaved edits the form is told and the user chooses: reload, or apply the edits on top.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { relativeBelow } from '../../core/project/insideFolder';
import {
  changesBetween,
  formValuesOf,
  isDirty,
  labelsInUse,
  readOnlyFieldsOf,
  rebaseDraft,
  validateForm,
  type FormValues,
} from '../../core/present/frontmatterForm';
import { parseSpec } from '../../core/spec/specParser';
import { setFields } from '../../core/spec/specEdit';
import type { SpecIndex } from '../../core/project/specIndex';
import { Disposable } from '../../lifecycle';
import { log } from '../../log';
import type { ProjectService } from '../../workspace/projectService';
import {
  FRONTMATTER_VIEW_TYPE,
  parseFrontmatterMessage,
  type FormOptions,
  type FrontmatterHostMessage,
  type FrontmatterPanelState,
  type FrontmatterWebviewMessage,
} from '../protocol';
import { webviewHtml, webviewOptions } from './webviewHtml';
import { openWorkspaceFile } from './workspaceFiles';

interface Base {
  text: string;
  values: FormValues;
  frontmatter: Record<string, unknown>;
}

export class FrontmatterPanel extends Disposable {
  /** Open panels by spec file path. */
  static readonly panels = new Map<string, FrontmatterPanel>();

  private base: Base | undefined;
  private draft: FormValues | undefined;
  private ready = false;
  private saving = false;
  private changeTimer: NodeJS.Timeout | undefined;
  private validationSeq = 0;
  private closedForDeletion = false;
  /** Rejected messages, for tests and the log. */
  refused = 0;
  private static readonly postEmitter = new vscode.EventEmitter<{ panel: FrontmatterPanel; message: FrontmatterHostMessage }>();
  /** Every message any form posts to its webview (whether or not the webview is ready for it yet). */
  static readonly onDidPostMessage = FrontmatterPanel.postEmitter.event;

  static show(extensionUri: vscode.Uri, projects: ProjectService, index: SpecIndex, specId: string, file: string): FrontmatterPanel {
    const existing = FrontmatterPanel.panels.get(file);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(FRONTMATTER_VIEW_TYPE, titleFor(specId), vscode.ViewColumn.Beside, webviewOptions(extensionUri));
    return new FrontmatterPanel(panel, extensionUri, projects, index, specId, file);
  }

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly projects: ProjectService,
    private index: SpecIndex,
    readonly specId: string,
    readonly file: string,
  ) {
    super();
    FrontmatterPanel.panels.set(file, this);
    panel.title = titleFor(specId);
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = webviewHtml(panel.webview, extensionUri, { app: 'frontmatter', title: vscode.l10n.t('Edit Frontmatter') });
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(panel.webview.onDidReceiveMessage((raw) => void this.onMessage(raw)));
    this._register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.fsPath === file) this.scheduleExternalCheck();
      }),
    );
    this._register(
      projects.onDidChange((e) => {
        for (const project of e.projects) {
          if (project.index !== this.index && project.index.paths.root === this.index.paths.root) this.index = project.index;
        }
        this.scheduleExternalCheck();
      }),
    );
    this._register({ dispose: () => this.changeTimer && clearTimeout(this.changeTimer) });
  }

  override dispose(): void {
    if (FrontmatterPanel.panels.get(this.file) === this) FrontmatterPanel.panels.delete(this.file);
    super.dispose();
    this.panel.dispose();
  }

  /** The handler of webview messages; public so tests can send forged ones. */
  async onMessage(raw: unknown): Promise<void> {
    const message = parseFrontmatterMessage(raw);
    if (!message) {
      this.refused++;
      log.warn(`Frontmatter editor: ignored a malformed message from the webview`);
      return;
    }
    try {
      await this.handle(message);
    } catch (error) {
      log.error(`Frontmatter editor (${this.specId}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      this.post({ type: 'saveFailed', message: error instanceof Error ? error.message : String(error) });
    }
  }

  private async handle(message: FrontmatterWebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready': {
        this.ready = true;
        const base = await this.readBase();
        if (!base) return;
        if (message.draft && message.base) {
          // Restored after a reload: keep the user's edits, on top of whatever the file says now.
          const draft = rebaseDraft(message.base, message.draft, base.values);
          this.draft = isDirty(draft, base.values) ? draft : undefined;
        }
        this.base = base;
        await this.sendInit();
        return;
      }
      case 'edit':
        this.draft = message.values;
        await this.sendValidation(message.values);
        return;
      case 'save':
        if (message.specId !== this.specId) {
          this.refused++;
          this.post({ type: 'saveFailed', message: vscode.l10n.t('This form can only save its own spec.') });
          return;
        }
        await this.save(message.values);
        return;
      case 'reload':
        this.draft = undefined;
        this.base = await this.readBase();
        await this.sendInit();
        return;
      case 'applyOnTop': {
        const old = this.base;
        const current = await this.readBase();
        if (!old || !current) return;
        const draft = rebaseDraft(old.values, message.values, current.values);
        this.base = current;
        this.draft = isDirty(draft, current.values) ? draft : undefined;
        await this.sendInit();
        return;
      }
      case 'pickFile': {
        const picked = await vscode.window.showOpenDialog({
          canSelectMany: true,
          canSelectFolders: false,
          defaultUri: vscode.Uri.file(this.index.paths.root),
          openLabel: vscode.l10n.t('Add'),
          title: vscode.l10n.t('Add to {0}', message.field),
        });
        const paths = (picked ?? [])
          .map((uri) => relativeBelow(this.index.paths.root, uri.fsPath))
          .filter((rel): rel is string => rel !== undefined)
          .map((rel) => rel.split(path.sep).join('/'));
        if (picked && paths.length < picked.length) void vscode.window.showWarningMessage(vscode.l10n.t('Chant: only files inside the project can be referenced.'));
        this.post({ type: 'pickedFiles', field: message.field, paths });
        return;
      }
      case 'openFile':
        await openWorkspaceFile(message.path, this.index.paths.root);
        return;
      case 'openSpec': {
        const found = this.projects.findSpec(message.specId);
        if (found) await vscode.window.showTextDocument(vscode.Uri.file(found.spec.path), { preview: true });
        return;
      }
    }
  }

  /** State for the serializer (also kept by the webview with setState). */
  state(): FrontmatterPanelState {
    const state: FrontmatterPanelState = { specId: this.specId, root: this.index.paths.root };
    if (this.draft && this.base) {
      state.draft = this.draft;
      state.base = this.base.values;
    }
    return state;
  }

  private async currentText(): Promise<string | undefined> {
    const open = vscode.workspace.textDocuments.find((doc) => doc.uri.scheme === 'file' && doc.uri.fsPath === this.file);
    if (open && !open.isClosed) return open.getText();
    try {
      return await fs.promises.readFile(this.file, 'utf8');
    } catch {
      return undefined;
    }
  }

  private async readBase(): Promise<Base | undefined> {
    const text = await this.currentText();
    if (text === undefined) {
      this.closeForDeletion();
      return undefined;
    }
    return baseOf(text, this.file, this.specId);
  }

  private closeForDeletion(): void {
    if (this.closedForDeletion) return;
    this.closedForDeletion = true;
    void vscode.window.showInformationMessage(vscode.l10n.t('Chant: the spec {0} was deleted or moved; its frontmatter editor was closed.', this.specId));
    this.dispose();
  }

  private scheduleExternalCheck(): void {
    if (this.changeTimer) clearTimeout(this.changeTimer);
    this.changeTimer = setTimeout(() => void this.externalCheck(), 120);
  }

  /** The file changed: follow it silently when the form is clean, else ask. */
  private async externalCheck(): Promise<void> {
    if (this.saving || !this.ready || !this.base) return;
    if (!fs.existsSync(this.file)) {
      this.closeForDeletion();
      return;
    }
    const text = await this.currentText();
    if (text === undefined || text === this.base.text) return;
    const current = baseOf(text, this.file, this.specId);
    if (this.draft && isDirty(this.draft, this.base.values)) {
      this.post({ type: 'conflict', theirs: current.values, reason: 'The spec file changed while you were editing.' });
      return;
    }
    this.base = current;
    this.draft = undefined;
    await this.sendInit();
  }

  private async save(values: FormValues): Promise<void> {
    const base = this.base;
    if (!base) return;
    const validation = await validateForm(values, this.environment());
    if (!validation.valid) {
      this.post({ type: 'validation', forValues: values, validation });
      this.post({ type: 'saveFailed', message: vscode.l10n.t('Fix the errors marked in the form first.') });
      return;
    }
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(this.file));
    const text = document.getText();
    if (text !== base.text) {
      const theirs = baseOf(text, this.file, this.specId);
      this.post({ type: 'conflict', theirs: theirs.values, reason: 'The spec file changed since the form loaded it.' });
      return;
    }
    const changes = changesBetween(base.values, values, base.frontmatter);
    if (Object.keys(changes).length === 0) {
      this.draft = undefined;
      this.post({ type: 'saved', values: base.values, message: vscode.l10n.t('Nothing to save.') });
      return;
    }
    const newText = setFields(text, changes);
    const wasDirty = document.isDirty;
    this.saving = true;
    try {
      const edit = new vscode.WorkspaceEdit();
      const { start, end, replacement } = minimalReplacement(text, newText);
      edit.replace(document.uri, new vscode.Range(document.positionAt(start), document.positionAt(end)), replacement);
      if (!(await vscode.workspace.applyEdit(edit))) throw new Error('VS Code did not apply the edit.');
      if (!wasDirty) await document.save();
      this.base = baseOf(document.getText(), this.file, this.specId);
      this.draft = undefined;
    } finally {
      this.saving = false;
    }
    const keys = Object.keys(changes).join(', ');
    this.post({ type: 'saved', values: this.base.values, message: wasDirty ? vscode.l10n.t('Applied {0} to the open editor (not saved to disk: it had unsaved changes).', keys) : vscode.l10n.t('Saved {0}.', keys) });
    await this.sendValidation(this.base.values);
  }

  private environment(): Parameters<typeof validateForm>[1] {
    const index = this.index;
    return {
      specId: this.specId,
      specs: index.specs,
      isArchived: (id) => index.archived?.has(id) ?? false,
      root: index.paths.root,
      promptExists: (name) => exists(index.paths.promptFile(name)),
      exists,
    };
  }

  private async sendInit(): Promise<void> {
    const base = this.base;
    if (!base || !this.ready) return;
    const spec = this.index.get(this.specId);
    const message: FrontmatterHostMessage = {
      type: 'init',
      specId: this.specId,
      root: this.index.paths.root,
      title: spec?.title ?? this.specId,
      relativePath: this.index.paths.relative(this.file),
      values: base.values,
      readOnly: readOnlyFieldsOf(base.frontmatter),
      options: await this.options(),
    };
    if (this.draft) message.draft = this.draft;
    this.post(message);
    await this.sendValidation(this.draft ?? base.values);
  }

  private async sendValidation(values: FormValues): Promise<void> {
    const seq = ++this.validationSeq;
    const validation = await validateForm(values, this.environment());
    if (seq !== this.validationSeq) return; // a newer edit is on its way
    this.post({ type: 'validation', forValues: values, validation });
  }

  private async options(): Promise<FormOptions> {
    const index = this.index;
    let prompts: string[] = [];
    try {
      prompts = (await fs.promises.readdir(index.paths.promptsDir)).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3)).sort();
    } catch {
      // no prompts folder
    }
    return {
      labels: labelsInUse(index.specs.values()),
      specs: index
        .sorted()
        .filter((spec) => spec.id !== this.specId)
        .map((spec) => ({ id: spec.id, title: spec.title ?? '', status: index.readiness(spec.id)?.effective ?? spec.status })),
      prompts,
    };
  }

  private post(message: FrontmatterHostMessage): void {
    FrontmatterPanel.postEmitter.fire({ panel: this, message });
    if (this.ready) void this.panel.webview.postMessage(message);
  }
}

function titleFor(specId: string): string {
  return `Frontmatter: ${specId}`;
}

function baseOf(text: string, file: string, specId: string): Base {
  const frontmatter = parseSpec(text, { id: specId, path: file, archived: false }).frontmatter;
  return { text, values: formValuesOf(frontmatter), frontmatter };
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.promises.access(file);
    return true;
  } catch {
    return false;
  }
}

/** The smallest single replacement that turns `a` into `b` (keeps the undo step and the diff small). */
export function minimalReplacement(a: string, b: string): { start: number; end: number; replacement: string } {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return { start, end: endA, replacement: b.slice(start, endB) };
}
