// The webview panels' host side inside a real extension host: saving through a WorkspaceEdit
// (only the changed keys change, Undo works), conflicts when the file changes under unsaved
// edits, a deleted spec closing the form, the serializers reviving panels, the HTML shell
// carrying no spec text, and forged webview messages being refused. The tests talk to the panel
// objects directly, as the webview would (its messages go through the same `onMessage`).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formValuesOf, type FormValues } from '../../src/core/present/frontmatterForm';
import type { FrontmatterPanel } from '../../src/webviews/host/frontmatterPanel';
import type { GraphPanel } from '../../src/webviews/host/graphPanel';
import type { FrontmatterHostMessage } from '../../src/webviews/protocol';
import type { ChantApi } from '../../src/api';
import { eventually, openWebview } from './wait';

type Hook = ChantApi['webviews'];

/** What each form posted to its webview, recorded from the panels' own event. */
const sentBy = new WeakMap<FrontmatterPanel, FrontmatterHostMessage[]>();
function sentOf(panel: FrontmatterPanel): FrontmatterHostMessage[] {
  let list = sentBy.get(panel);
  if (!list) sentBy.set(panel, (list = []));
  return list;
}

const EXTENSION_ID = 'chant-vscode.chant-vscode';
const ID = '2026-03-01-001-wv1';
const OTHER = '2026-03-01-002-wv2';
const HOSTILE = '2026-03-01-003-wv3';
const HOSTILE_TITLE = 'Evil <img src=x onerror="globalThis.pwned=1"> </script><script>pwned=2</script>';
const ORIGINAL = `---
type: code
status: pending   # set by hand
labels:
- alpha
x-team: storage
---

# Webview fixture spec

## Acceptance Criteria

- [ ] works
`;

describe('Webview panels (host side)', function () {
  // A webview the workbench fails to start gets a nudge (openWebview): up to 35 s before a test begins.
  this.timeout(90_000);
  let root: string;
  let specsDir: string;
  let file: string;
  let hook: Hook;
  let recorder: vscode.Disposable | undefined;

  const lastOf = <T extends FrontmatterHostMessage['type']>(
    panel: FrontmatterPanel,
    type: T,
  ): Extract<FrontmatterHostMessage, { type: T }> | undefined =>
    [...sentOf(panel)].reverse().find((m) => m.type === type) as
      Extract<FrontmatterHostMessage, { type: T }> | undefined;

  /** Opens the form and waits for its webview's own `ready`, which the host answers with `init`. */
  async function openForm(id = ID): Promise<FrontmatterPanel> {
    const target = path.join(specsDir, `${id}.md`);
    return openWebview(
      async () => {
        await vscode.commands.executeCommand('chant.editFrontmatter', id);
        const panel = hook.FrontmatterPanel.panels.get(target);
        assert.ok(panel, 'a frontmatter panel for the spec');
        return panel;
      },
      (panel) => sentOf(panel).some((m) => m.type === 'init'),
      `the form of ${id}`,
    );
  }

  function values(panel: FrontmatterPanel): FormValues {
    const init = lastOf(panel, 'init');
    assert.ok(init);
    return JSON.parse(JSON.stringify(init.values)) as FormValues;
  }

  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    await extension.activate();
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    specsDir = path.join(root, '.chant', 'specs');
    file = path.join(specsDir, `${ID}.md`);
    fs.writeFileSync(file, ORIGINAL);
    fs.writeFileSync(path.join(specsDir, `${OTHER}.md`), `---\ntype: code\nstatus: pending\ndepends_on:\n- ${ID}\n---\n\n# Other\n`);
    fs.writeFileSync(path.join(specsDir, `${HOSTILE}.md`), `---\ntype: code\nstatus: pending\n---\n\n# ${HOSTILE_TITLE}\n`);
    const api = extension.exports as { projects: { findSpec(id: string): unknown } };
    await eventually(() => [ID, OTHER, HOSTILE].every((id) => api.projects.findSpec(id) !== undefined), 'the index to see the new specs');
    hook = (extension.exports as ChantApi).webviews;
    recorder = hook.FrontmatterPanel.onDidPostMessage(({ panel, message }) => sentOf(panel).push(message));
  });

  afterEach(async () => {
    for (const panel of [...hook.FrontmatterPanel.panels.values()]) panel.dispose();
    for (const panel of [...hook.GraphPanel.panels.values()]) panel.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.writeFileSync(file, ORIGINAL);
    await new Promise((resolve) => setTimeout(resolve, 300));
  });

  after(() => {
    recorder?.dispose();
    for (const id of [ID, OTHER, HOSTILE]) fs.rmSync(path.join(specsDir, `${id}.md`), { force: true });
  });

  it('serves a locked-down shell with no spec text in it', async () => {
    const panel = await openForm(HOSTILE);
    const html = panel.panel.webview.html;
    assert.match(html, /default-src 'none'/);
    const nonce = /script-src 'nonce-([A-Za-z0-9]+)'/.exec(html)?.[1];
    assert.ok(nonce && nonce.length >= 16, 'a nonce');
    for (const tag of html.match(/<script[^>]*>/g) ?? []) assert.ok(tag.includes(`nonce="${nonce}"`), tag);
    assert.ok(!html.includes('Evil') && !html.includes('onerror') && !html.includes('pwned'), 'no spec text in the HTML');
    assert.ok(!/'unsafe-(inline|eval)'/.test(html));
    // The title reaches the webview as data only.
    assert.equal(lastOf(panel, 'init')?.title, HOSTILE_TITLE);
    const roots = (panel.panel.webview.options.localResourceRoots ?? []).map((uri) => path.relative(path.resolve(__dirname, '..', '..', '..'), uri.fsPath));
    assert.deepEqual(roots.sort(), [path.join('media'), path.join('out', 'webviews')].sort());
  });

  it('saves through a WorkspaceEdit: only the changed keys change, and Undo restores the file', async () => {
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
    const panel = await openForm();
    const draft = values(panel);
    draft.labels = ['alpha', 'beta'];
    draft.depends_on = ['2026-01-10-001-abc'];
    await panel.onMessage({ type: 'save', specId: ID, values: draft });
    const saved = lastOf(panel, 'saved');
    assert.ok(saved, JSON.stringify(sentOf(panel).slice(-3)));
    const expected = ORIGINAL.replace('status: pending   # set by hand\n', 'status: pending   # set by hand\ndepends_on:\n- 2026-01-10-001-abc\n').replace(
      'labels:\n- alpha\n',
      'labels:\n- alpha\n- beta\n',
    );
    assert.equal(fs.readFileSync(file, 'utf8'), expected);
    assert.equal(editor.document.getText(), expected, 'the open editor is in sync');

    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), ORIGINAL, 'one Undo reverts the whole save');
    await editor.document.save();
  });

  it('refuses to save a draft with errors (a cycle), and says why', async () => {
    const panel = await openForm();
    const draft = values(panel);
    draft.depends_on = [OTHER];
    await panel.onMessage({ type: 'save', specId: ID, values: draft });
    assert.ok(lastOf(panel, 'saveFailed'));
    const validation = lastOf(panel, 'validation')!.validation;
    assert.deepEqual(validation.cycle, [ID, OTHER, ID]);
    assert.equal(fs.readFileSync(file, 'utf8'), ORIGINAL);
  });

  it('reports a conflict when the file changed under unsaved edits, then applies the edits on top', async () => {
    const panel = await openForm();
    const draft = values(panel);
    draft.labels = ['alpha', 'mine'];
    await panel.onMessage({ type: 'edit', values: draft });
    const theirs = ORIGINAL.replace('status: pending', 'status: in_progress');
    fs.writeFileSync(file, theirs);
    await eventually(() => lastOf(panel, 'conflict') !== undefined, 'the conflict message');
    assert.equal(lastOf(panel, 'conflict')!.theirs.status, 'in_progress');

    // Saving without resolving writes nothing.
    const before = sentOf(panel).length;
    await panel.onMessage({ type: 'save', specId: ID, values: draft });
    assert.ok(sentOf(panel).slice(before).some((m) => m.type === 'conflict'));
    assert.equal(fs.readFileSync(file, 'utf8'), theirs);

    await panel.onMessage({ type: 'applyOnTop', values: draft });
    const init = lastOf(panel, 'init')!;
    assert.equal(init.values.status, 'in_progress');
    assert.deepEqual(init.draft?.labels, ['alpha', 'mine']);
    assert.equal(init.draft?.status, 'in_progress', 'their change is kept');
    await panel.onMessage({ type: 'save', specId: ID, values: init.draft! });
    assert.equal(fs.readFileSync(file, 'utf8'), theirs.replace('labels:\n- alpha\n', 'labels:\n- alpha\n- mine\n'));
  });

  it('follows the file silently when the form is clean; reload drops the draft', async () => {
    const panel = await openForm();
    fs.writeFileSync(file, ORIGINAL.replace('- alpha', '- gamma'));
    await eventually(() => lastOf(panel, 'init')?.values.labels[0] === 'gamma', 'the form to follow the file');
    const draft = values(panel);
    draft.labels = ['x'];
    await panel.onMessage({ type: 'edit', values: draft });
    await panel.onMessage({ type: 'reload' });
    assert.equal(lastOf(panel, 'init')?.draft, undefined);
  });

  it('closes the form when its spec is deleted', async () => {
    const panel = await openForm();
    let disposed = false;
    panel.panel.onDidDispose(() => (disposed = true));
    fs.rmSync(file);
    try {
      await eventually(() => disposed, 'the panel to close');
    } finally {
      fs.writeFileSync(file, ORIGINAL);
    }
    await eventually(async () => {
      const api = vscode.extensions.getExtension(EXTENSION_ID)!.exports as {
        projects: { findSpec(id: string): unknown };
      };
      return api.projects.findSpec(ID) !== undefined;
    }, 'the spec to come back');
  });

  it('refuses forged or malformed messages', async () => {
    const panel = await openForm();
    const draft = values(panel);
    draft.labels = ['forged'];
    await panel.onMessage({ type: 'save', specId: OTHER, values: draft });
    await panel.onMessage({ type: 'write', path: '/etc/passwd', text: 'x' });
    await panel.onMessage({ type: 'save', specId: ID, values: { ...draft, labels: 'not a list' } });
    assert.equal(panel.refused, 3);
    assert.equal(fs.readFileSync(file, 'utf8'), ORIGINAL);
    assert.equal(fs.readFileSync(path.join(specsDir, `${OTHER}.md`), 'utf8').includes('forged'), false);

    await vscode.commands.executeCommand('chant.showGraph', ID);
    const graph = hook.GraphPanel.panels.get(root)!;
    assert.ok(graph);
    const outside = path.resolve(root, '..', 'outside.md');
    fs.writeFileSync(outside, 'secret');
    try {
      const editorsBefore = vscode.window.visibleTextEditors.length;
      assert.equal(await graph.onMessage({ type: 'open', target: { kind: 'file', path: outside } }), false);
      assert.equal(await graph.onMessage({ type: 'open', target: { kind: 'file', path: '../outside.md' } }), false);
      assert.equal(await graph.onMessage({ type: 'open', target: { kind: 'file', path: '/etc/passwd' } }), false);
      // Symbolic links inside the workspace that lead out of it: to the file, and to its folder.
      fs.symlinkSync(outside, path.join(root, 'escape-link.md'));
      fs.symlinkSync(path.dirname(outside), path.join(root, 'escape-dir'));
      assert.equal(await graph.onMessage({ type: 'open', target: { kind: 'file', path: 'escape-link.md' } }), false);
      assert.equal(await graph.onMessage({ type: 'open', target: { kind: 'file', path: 'escape-dir/outside.md' } }), false);
      await panel.onMessage({ type: 'openFile', path: 'escape-link.md' });
      const escaped = [outside, path.join(root, 'escape-link.md'), path.join(root, 'escape-dir', 'outside.md')];
      assert.ok(!vscode.window.visibleTextEditors.some((e) => escaped.includes(e.document.uri.fsPath)), 'nothing outside was opened');
      assert.equal(await graph.onMessage({ type: 'open', target: { kind: 'url', url: 'file:///etc/passwd' } }), false);
      assert.equal(await graph.onMessage({ type: 'exportSvg', svg: '<script>alert(1)</script>' }), false);
      assert.ok(!vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath === outside));
      assert.equal(vscode.window.visibleTextEditors.length, editorsBefore);
      // A file inside the workspace opens.
      assert.equal(await graph.onMessage({ type: 'open', target: { kind: 'spec', specId: ID } }), true);
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, file);
    } finally {
      fs.rmSync(outside, { force: true });
      fs.rmSync(path.join(root, 'escape-link.md'), { force: true });
      fs.rmSync(path.join(root, 'escape-dir'), { force: true });
    }
  });

  it("opens both panels from the spec's CodeLens", async () => {
    await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    let lenses: vscode.CodeLens[] = [];
    await eventually(async () => {
      lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', vscode.Uri.file(file))) ?? [];
      return lenses.some((lens) => lens.command?.command === 'chant.showGraph');
    }, 'the lenses');
    for (const id of ['chant.editFrontmatter', 'chant.showGraph']) {
      const command = lenses.find((lens) => lens.command?.command === id)?.command;
      assert.ok(command, id);
      await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    }
    assert.ok(hook.FrontmatterPanel.panels.get(file), 'the form');
    assert.deepEqual(hook.GraphPanel.panels.get(root)?.currentScope, { kind: 'around', id: ID });
  });

  it('revives panels through the serializers, with the unsaved draft', async () => {
    const webviewPanel = vscode.window.createWebviewPanel('chant.frontmatter', 'restored', vscode.ViewColumn.One, {});
    const base = formValuesOf({ type: 'code', status: 'pending', labels: ['alpha'] });
    const draft = { ...base, labels: ['alpha', 'restored'] };
    await hook.frontmatterSerializer.deserializeWebviewPanel(webviewPanel, { specId: ID, root, draft, base });
    const panel = hook.FrontmatterPanel.panels.get(file);
    assert.ok(panel, 'the form came back');
    assert.equal(panel.panel, webviewPanel);
    assert.match(webviewPanel.webview.html, /Content-Security-Policy/);
    // The restored webview sends its draft with `ready`.
    await panel.onMessage({ type: 'ready', draft, base });
    assert.deepEqual(lastOf(panel, 'init')?.draft?.labels, ['alpha', 'restored']);
    assert.deepEqual(panel.state().draft?.labels, ['alpha', 'restored']);

    const graphPanel = vscode.window.createWebviewPanel('chant.graph', 'restored graph', vscode.ViewColumn.One, {});
    await hook.graphSerializer.deserializeWebviewPanel(graphPanel, { root, scope: { kind: 'phase', name: 'Unphased' } });
    const graph = hook.GraphPanel.panels.get(root);
    assert.ok(graph);
    assert.deepEqual(graph.currentScope, { kind: 'phase', name: 'Unphased' });

    // A spec that no longer exists: the revived panel is closed.
    const stale = vscode.window.createWebviewPanel('chant.frontmatter', 'stale', vscode.ViewColumn.One, {});
    let disposed = false;
    stale.onDidDispose(() => (disposed = true));
    await hook.frontmatterSerializer.deserializeWebviewPanel(stale, { specId: '2020-01-01-001-nop', root });
    assert.equal(disposed, true);
  });
});

describe('Graph drift mark (host side)', function () {
  // A webview the workbench fails to start gets a nudge (openWebview): up to 35 s before the test begins.
  this.timeout(90_000);
  const DRIFTED = '2026-03-02-001-dr1';
  const CLEAN = '2026-03-02-002-dr2';
  const COMMITTED = '2026-03-02-003-dr3';
  const COMPLETED = new Date('2026-01-15T10:00:00Z');
  let root: string;
  let specsDir: string;
  let hook: Hook;
  let storeMtime: Date;
  let storeText: string;
  let readmeMtime: Date;

  const setMtime = (rel: string, when: Date): void => fs.utimesSync(path.join(root, rel), when, when);
  const rfc3339 = (when: Date): string => when.toISOString().replace(/\.\d{3}Z$/, 'Z');

  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    await extension.activate();
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    specsDir = path.join(root, '.chant', 'specs');
    const store = path.join(root, 'src', 'store.js');
    storeMtime = fs.statSync(store).mtime;
    storeText = fs.readFileSync(store, 'utf8');
    readmeMtime = fs.statSync(path.join(root, 'README.md')).mtime;
    fs.writeFileSync(path.join(root, 'drift-notes.md'), '# Notes\n');
    setMtime('drift-notes.md', new Date('2026-01-01T00:00:00Z'));
    // Changed locally, so git does not vouch for it: its mtime decides.
    fs.writeFileSync(store, `${storeText}// edited after completion\n`);
    setMtime('src/store.js', new Date('2026-02-01T08:15:00Z'));
    const completed = (extra: string, at = COMPLETED): string => `---\ntype: documentation\nstatus: completed\ncompleted_at: ${rfc3339(at)}\n${extra}---\n`;
    fs.writeFileSync(path.join(specsDir, `${DRIFTED}.md`), `${completed('tracks:\n- src/store.js\n- drift-notes.md\n')}\n# Document the store\n`);
    fs.writeFileSync(path.join(specsDir, `${CLEAN}.md`), `${completed(`depends_on:\n- ${DRIFTED}\ninformed_by:\n- drift-notes.md\n`)}\n# Notes on the store\n`);
    // README.md is committed (when the test workspace was made) before this completion, then
    // written again afterwards, as a fresh clone or a `touch` does: chant's mtime rule would call
    // that drift, git's commit date does not.
    const now = new Date();
    fs.writeFileSync(path.join(specsDir, `${COMMITTED}.md`), `${completed(`depends_on:\n- ${DRIFTED}\ntracks:\n- README.md\n`, now)}\n# The readme\n`);
    setMtime('README.md', new Date(now.getTime() + 60_000));
    const api = extension.exports as { projects: { findSpec(id: string): unknown } };
    await eventually(() => [DRIFTED, CLEAN, COMMITTED].every((id) => api.projects.findSpec(id) !== undefined), 'the index to see the new specs');
    hook = (extension.exports as ChantApi).webviews;
  });

  after(async () => {
    for (const panel of [...hook.GraphPanel.panels.values()]) panel.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const id of [DRIFTED, CLEAN, COMMITTED]) fs.rmSync(path.join(specsDir, `${id}.md`), { force: true });
    fs.rmSync(path.join(root, 'drift-notes.md'), { force: true });
    fs.writeFileSync(path.join(root, 'src', 'store.js'), storeText);
    setMtime('src/store.js', storeMtime);
    setMtime('README.md', readmeMtime);
  });

  it('posts a drifted completed spec with its drift lines, and drops the mark once the file is older again', async () => {
    // The graph is posted only after the webview's own `ready`.
    const graph = await openWebview(
      async () => {
        await vscode.commands.executeCommand('chant.showGraph', DRIFTED);
        const panel = hook.GraphPanel.panels.get(root);
        assert.ok(panel, 'the graph panel');
        return panel;
      },
      (panel) => panel.lastGraph !== undefined,
      'the graph',
    );
    const node = (id: string) => graph.lastGraph?.nodes.find((n) => n.id === `spec:${id}`);
    await eventually(() => (node(DRIFTED)?.drift?.length ?? 0) > 0, 'the drift lines of the drifted spec');
    assert.deepEqual(node(DRIFTED)?.drift, ['src/store.js changed after completion (modified on disk 2026-02-01 08:15 UTC, tracks)']);
    assert.equal(node(CLEAN)?.status, 'completed');
    assert.equal(node(CLEAN)?.drift, undefined, 'a completed spec whose inputs are older has no mark');
    assert.equal(node(COMMITTED)?.status, 'completed');
    assert.equal(node(COMMITTED)?.drift, undefined, 'a committed file rewritten after completion has not drifted');

    // The tracked file is older than the completion again: the next update takes the mark away,
    // in a re-post that keeps the viewport.
    setMtime('src/store.js', new Date('2026-01-10T00:00:00Z'));
    const passes = graph.driftPasses;
    await graph.onMessage({ type: 'setScope', scope: { kind: 'all' } });
    await eventually(() => graph.driftPasses > passes && node(DRIFTED)?.drift === undefined, 'the mark to go away');
    assert.equal(graph.lastGraph?.keepViewport, true, 'the drift update keeps the viewport');
    assert.deepEqual(graph.lastGraph?.scope, { kind: 'all' });
  });
});
