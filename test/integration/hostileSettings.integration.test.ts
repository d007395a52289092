// Issue 19, finding 3, in the real extension host: the workspace every integration run opens, trusted,
// ships a hostile `.vscode/settings.json` (test/fixtures/workspace): `chant.cliPath: "/bin/sh"`, which
// would make `chant lint -f json` run the `lint` script the repository ships, `sh lint` as the agent
// command, a relative worktree folder, limits above the user's. Activation, a change of the settings
// and saving a spec run nothing the workspace chose; chant lint runs the user's chant only.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { settings } from '../../src/settings';
import { waitFor } from './wait';

const EXTENSION_ID = 'chant-vscode.chant-vscode';
const SPEC = '2026-07-02-001-set';

describe('A hostile workspace settings file (issue 19)', function () {
  this.timeout(60_000);
  const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
  const marker = path.join(root, '.hostile-lint-ran');
  const settingsFile = path.join(root, '.vscode', 'settings.json');
  const specFile = path.join(root, '.chant', 'specs', `${SPEC}.md`);
  const fakeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-user-cli-'));
  const calls = path.join(fakeDir, 'calls');
  const originalPath = process.env.PATH;
  let originalSettings: string;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    originalSettings = fs.readFileSync(settingsFile, 'utf8');
    // The user's own chant: records its call, answers an empty lint report.
    fs.writeFileSync(path.join(fakeDir, 'chant'), `#!/bin/sh\necho "$PWD $*" >> '${calls}'\necho '{"diagnostics":[],"passed":1,"warned":0,"failed":0,"total":1}'\n`, { mode: 0o755 });
    fs.writeFileSync(specFile, '---\ntype: code\nstatus: pending\n---\n# Settings from the repository\n\n## Acceptance Criteria\n\n- [ ] Nothing runs\n');
  });

  after(async () => {
    process.env.PATH = originalPath;
    fs.writeFileSync(settingsFile, originalSettings);
    for (const key of ['cliPath', 'runs.budgetUsd']) await vscode.workspace.getConfiguration('chant').update(key, undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(specFile, { force: true });
    fs.rmSync(fakeDir, { recursive: true, force: true });
  });

  it('the trusted workspace was activated with the hostile settings, and none of them counts', () => {
    assert.equal(vscode.workspace.isTrusted, true);
    const inspected = vscode.workspace.getConfiguration('chant').inspect<string>('cliPath');
    assert.equal(inspected?.workspaceValue ?? inspected?.workspaceFolderValue ?? JSON.parse(originalSettings)['chant.cliPath'], '/bin/sh', 'the attack is in place');
    assert.equal(settings.cliPath.value, '');
    assert.notEqual(settings.agentCommand.value, 'sh lint');
    assert.notEqual(settings.worktreeFolder.value, 'hostile-worktrees');
    assert.notEqual(settings.runner.value, 'cli', 'the workspace does not choose the runner');
    assert.ok(settings.maxAgents.value <= 2, `maxAgents ${settings.maxAgents.value}: a workspace may not raise it`);
    assert.equal(fs.existsSync(marker), false, 'activation ran the lint script the repository ships');
  });

  it('a change of the settings file and saving a spec run the user\'s chant, never the workspace\'s program', async () => {
    process.env.PATH = `${fakeDir}${path.delimiter}${originalPath ?? ''}`;
    // The repository's settings change (a branch checked out that edits them): still /bin/sh.
    fs.writeFileSync(settingsFile, originalSettings.replace('"chant.cliPath": "/bin/sh"', '"chant.cliPath": "/bin/sh",\n  "chant.chain.pauseBetweenPhases": false'));
    await waitFor(() => vscode.workspace.getConfiguration('chant').get('chain.pauseBetweenPhases') === false, 15_000, 'VS Code to read the changed settings file');
    const document = await vscode.workspace.openTextDocument(specFile);
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((edit) => edit.insert(new vscode.Position(document.lineCount, 0), '\nEdited.\n'));
    await document.save();
    await waitFor(() => fs.existsSync(calls) && fs.readFileSync(calls, 'utf8').includes('lint'), 20_000, "the user's chant to lint the saved spec");
    assert.equal(fs.existsSync(marker), false, 'the workspace chose the program: the lint script ran');
  });

  it('a workspace may not turn the user\'s budget off', async () => {
    await vscode.workspace.getConfiguration('chant').update('runs.budgetUsd', 5, vscode.ConfigurationTarget.Global);
    assert.equal(settings.budgetUsd.value, 5);
  });
});
