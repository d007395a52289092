// The Investigation panel in a real extension host: opened by `chant.showInvestigation` from an
// investigation key or a spec id, it posts the phases in order with their state and research
// documents (as data: the HTML shell never carries them), and a button's message runs the
// extension's command with the spec id; a message about a spec of another investigation is refused.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { InvestigationPanel } from '../../src/webviews/host/investigationPanel';
import { eventually, openWebview } from './wait';

const EXTENSION_ID = 'chant-vscode.chant-vscode';
const COMP = '2026-03-02-001-iv1';
const ROOT = '2026-03-02-002-iv2';
const STRAY = '2026-03-02-003-iv3';
const DOC = '.chant/research/issue-4321-comprehension.md';
const HOSTILE_DOC = '# Findings\n\n<img src=x onerror="globalThis.pwned=1"> the writer races\n';

describe('Investigation panel', function () {
  // A webview the workbench fails to start gets a nudge (openWebview): up to 35 s before a test begins.
  this.timeout(90_000);
  let root: string;
  const files: string[] = [];

  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    await extension.activate();
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const specs = path.join(root, '.chant', 'specs');
    const write = (rel: string, text: string): void => {
      const file = path.join(root, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      files.push(file);
    };
    write(
      path.relative(root, path.join(specs, `${COMP}.md`)),
      `---\ntype: research\nstatus: completed\nlabels:\n- comprehension\n- issue-4321\ntarget_files:\n- ${DOC}\ninformed_by:\n- https://github.com/o/r/issues/4321\n---\n\n# Comprehension: issue #4321 lost writes\n\n## Acceptance Criteria\n\n- [x] one\n- [x] two\n`,
    );
    write(
      path.relative(root, path.join(specs, `${ROOT}.md`)),
      `---\ntype: research\nstatus: pending\ndepends_on:\n- ${COMP}\nlabels:\n- root-cause\n- issue-4321\ninformed_by:\n- ${DOC}\n---\n\n# Root cause: issue #4321 lost writes\n\n## Acceptance Criteria\n\n- [ ] one\n`,
    );
    write(path.relative(root, path.join(specs, `${STRAY}.md`)), `---\ntype: code\nstatus: pending\nlabels:\n- fix\n- issue-9999\n---\n\n# Another investigation\n`);
    write(DOC, HOSTILE_DOC);
    const api = extension.exports as { projects: { findSpec(id: string): unknown } };
    await eventually(() => [COMP, ROOT, STRAY].every((id) => api.projects.findSpec(id) !== undefined), 'the index to see the new specs');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const file of files) fs.rmSync(file, { force: true });
  });

  /** Opens the panel and waits for its webview's own `ready`, which the host answers with the view. */
  async function open(arg: string): Promise<InvestigationPanel> {
    return openWebview(
      async () => {
        const panel = (await vscode.commands.executeCommand('chant.showInvestigation', arg)) as InvestigationPanel | undefined;
        assert.ok(panel, 'a panel');
        return panel;
      },
      (panel) => panel.lastMessage?.type === 'investigation',
      `the investigation panel of ${arg}`,
    );
  }

  it('opens from a spec id with the phases in order, their state and the research document as data', async () => {
    const panel = await open(ROOT);
    assert.equal(panel.key, 'issue-4321');
    const message = panel.lastMessage;
    assert.ok(message?.type === 'investigation');
    const phases = message.view.phases.filter((p) => p.specs.length > 0).map((p) => [p.name, p.state]);
    assert.deepEqual(phases, [
      ['Comprehension', 'done'],
      ['Root Cause', 'ready'],
    ]);
    assert.equal(message.view.issueUrl, 'https://github.com/o/r/issues/4321');
    const doc = message.view.phases[0].specs[0].documents[0];
    assert.deepEqual([doc.path, doc.exists, doc.markdown], [DOC, true, HOSTILE_DOC]);
    assert.ok(!panel.panel.webview.html.includes('onerror') && !panel.panel.webview.html.includes('Findings'), 'no document text in the HTML');
    assert.match(panel.panel.webview.html, /default-src 'none'/);
    // The same investigation from its key reuses the panel.
    assert.equal(await open('issue-4321'), panel);
  });

  it('a button runs the command with the spec id; a spec of another investigation is refused', async () => {
    const panel = await open('4321');
    // Review on the completed phase: chant.reviewChanges with its id (its branch is gone: it says so).
    assert.equal(await panel.onMessage({ type: 'action', action: 'review', specId: COMP }), true);
    assert.deepEqual(panel.ran.at(-1), { command: 'chant.reviewChanges', arg: COMP });
    assert.equal(await panel.onMessage({ type: 'action', action: 'open', specId: ROOT }), true);
    await eventually(() => vscode.window.activeTextEditor?.document.uri.fsPath.endsWith(`${ROOT}.md`) === true, 'the spec in the editor');
    const refused = panel.refused;
    assert.equal(await panel.onMessage({ type: 'action', action: 'work', specId: STRAY }), false);
    assert.equal(await panel.onMessage({ type: 'action', action: 'rm -rf', specId: ROOT }), false);
    assert.equal(await panel.onMessage({ type: 'openFile', path: '../../etc/passwd' }), false);
    assert.equal(panel.refused, refused + 3);
  });
});
