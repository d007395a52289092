// Review Changes on a research phase whose output git does not carry (silent mode, or a document
// git does not track): the run copies the spec's `.chant/` documents aside before the agent starts
// (snapshotDocuments, as prepareDirectRun calls it); Review Changes then opens a new document, diffs
// a changed one against its copy, and says "no changes" only when the document is as it was.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { snapshotDir, snapshotDocuments } from '../../src/core/workflow/researchReview';
import { eventually } from './wait';

const EXTENSION_ID = 'chant-vscode.chant-vscode';
const ID = '2026-04-03-001-rvw';
const DOC = '.chant/research/issue-7070-comprehension.md';
const SPEC = `---
type: research
status: completed
branch: chant/${ID}
labels:
- comprehension
- issue-7070
target_files:
- ${DOC}
---

# Comprehension: issue #7070 slow start
`;

const tabs = (): vscode.Tab[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs);

describe('Review Changes on a research phase (silent mode)', () => {
  let root: string;
  let api: { projects: { findSpec(id: string): { spec: { id: string; targetFiles: string[] } } | undefined } };
  const doc = (): string => path.join(root, DOC);

  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    await extension.activate();
    api = extension.exports as typeof api;
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    fs.writeFileSync(path.join(root, '.chant', 'specs', `${ID}.md`), SPEC);
    await eventually(() => api.projects.findSpec(ID), 'the index to see the spec', 10_000);
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(() => {
    fs.rmSync(path.join(root, '.chant', 'specs', `${ID}.md`), { force: true });
    fs.rmSync(doc(), { force: true });
    fs.rmSync(snapshotDir(root, ID), { recursive: true, force: true });
  });

  it('opens the document the run created, though the branch does not exist and git does not track it', async () => {
    await snapshotDocuments(root, api.projects.findSpec(ID)!.spec);
    fs.mkdirSync(path.dirname(doc()), { recursive: true });
    fs.writeFileSync(doc(), '# Comprehension\n\nStart-up reads every segment.\n');
    assert.equal(await vscode.commands.executeCommand('chant.reviewChanges', ID), 1);
    const tab = await eventually(() => tabs().find((t) => t.input instanceof vscode.TabInputText && t.input.uri.fsPath === fs.realpathSync(doc())), 'the document in an editor', 10_000);
    assert.ok(!(tab.input instanceof vscode.TabInputTextDiff));
  });

  it('diffs a document the run changed against what it was before the run', async () => {
    await snapshotDocuments(root, api.projects.findSpec(ID)!.spec);
    fs.writeFileSync(doc(), '# Comprehension\n\nStart-up reads every segment twice.\n');
    assert.equal(await vscode.commands.executeCommand('chant.reviewChanges', ID), 1);
    const diff = await eventually(() => tabs().map((t) => t.input).find((i): i is vscode.TabInputTextDiff => i instanceof vscode.TabInputTextDiff), 'a diff editor', 10_000);
    assert.equal(diff.modified.fsPath, fs.realpathSync(doc()));
    assert.equal(fs.readFileSync(diff.original.fsPath, 'utf8'), '# Comprehension\n\nStart-up reads every segment.\n', 'the left side is the document before the run');
  });

  it('says there is nothing to review only when the document is as it was before the run', async () => {
    await snapshotDocuments(root, api.projects.findSpec(ID)!.spec);
    assert.equal(await vscode.commands.executeCommand('chant.reviewChanges', ID), 0);
  });
});
