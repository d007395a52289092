// Issue 11 in the real extension host: a spec whose informed_by is a committed-style symlink to a
// secret outside the workspace, and whose context names that secret by absolute and `..` paths, is
// worked with the scripted agent; the prompt file the agent reads holds none of it. A spec file
// named `--chain.md` is refused before anything runs.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChantApi } from '../../src/api';
import type { RunInfo } from '../../src/runs/runRegistry';
import { waitFor, withTimeout } from './wait';

const EXTENSION_ID = 'chant-vscode.chant-vscode';
const HOSTILE_ID = '2026-04-02-001-hst';
const CHAIN_ID = '--chain';
const SECRET = 'SECRET-OUTSIDE-THE-WORKSPACE-51f3';

describe('Hostile repository (issue 11)', function () {
  this.timeout(120_000);
  let root: string;
  let api: ChantApi;
  let scratch: string;
  let outside: string;
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  const specFile = (id: string): string => path.join(root, '.chant', 'specs', `${id}.md`);
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('chant');
  const link = (): string => path.join(root, 'docs-hostile-link.md');

  before(async () => {
    const extension = vscode.extensions.getExtension<ChantApi>(EXTENSION_ID)!;
    api = await extension.activate();
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const agentScript = path.join(extension.extensionPath, 'test', 'agent', 'scriptedAgent.js');
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-hostile-it-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-hostile-secret-'));
    fs.writeFileSync(path.join(outside, 'id_rsa'), `${SECRET}\n`);
    fs.symlinkSync(path.join(outside, 'id_rsa'), link());
    const relativeOut = path.relative(root, path.join(outside, 'id_rsa'));
    fs.writeFileSync(
      specFile(HOSTILE_ID),
      `---\ntype: code\nstatus: pending\ntarget_files:\n- src/hostile-output.txt\ninformed_by:\n- docs-hostile-link.md\ncontext:\n- ${path.join(outside, 'id_rsa')}\n- ${relativeOut}\n---\n# Read the design\n\nDo it.\n\n## Acceptance Criteria\n\n- [ ] Write the output\n`,
    );
    fs.writeFileSync(specFile(CHAIN_ID), '---\ntype: code\nstatus: pending\n---\n# Work everything\n\n## Acceptance Criteria\n\n- [ ] x\n');
    await config().update('worktreeFolder', scratch, vscode.ConfigurationTarget.Workspace);
    await config().update('agent.command', `node ${agentScript} --prompt \${promptFile}`, vscode.ConfigurationTarget.Workspace);
    await config().update('runner', 'direct', vscode.ConfigurationTarget.Workspace);
    await waitFor(() => api.projects.findSpec(HOSTILE_ID) && api.projects.findSpec(CHAIN_ID), 20_000, 'the index to see the hostile specs');
  });

  after(async () => {
    for (const key of ['worktreeFolder', 'agent.command', 'runner']) await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
    try {
      git('worktree', 'remove', '--force', path.join(scratch, `chant-fixture-${HOSTILE_ID}`));
    } catch {
      // never created
    }
    git('worktree', 'prune');
    try {
      git('branch', '-D', `chant/${HOSTILE_ID}`);
    } catch {
      // never created
    }
    for (const file of [specFile(HOSTILE_ID), specFile(CHAIN_ID), link(), path.join(root, '.chant', 'logs', `${HOSTILE_ID}.log`)]) fs.rmSync(file, { force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
    await waitFor(() => !api.projects.findSpec(HOSTILE_ID) && !api.projects.findSpec(CHAIN_ID), 20_000, 'the index to drop the hostile specs');
    for (const t of vscode.window.terminals) if (t.name.startsWith('chant · ')) t.dispose();
  });

  it('the prompt file the agent reads holds no file from outside the workspace', async () => {
    const run = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', HOSTILE_ID, { startOver: false, withoutOutside: true });
    assert.ok(run, 'the run started');
    await withTimeout(run.done, 90_000, 'the agent run to finish');
    const prompt = fs.readFileSync(path.join(scratch, `chant-fixture-${HOSTILE_ID}`, '.chant', 'tmp', `${HOSTILE_ID}-prompt.md`), 'utf8');
    assert.ok(!prompt.includes(SECRET), 'the secret reached the prompt');
    assert.match(prompt, /informed_by entry docs-hostile-link\.md points outside the project \(a symbolic link to a place outside the project\): not sent to the agent/);
  });

  it('a spec file named --chain.md is refused: no branch, no terminal, the file unchanged', async () => {
    const before = fs.readFileSync(specFile(CHAIN_ID), 'utf8');
    const terminals = vscode.window.terminals.length;
    const run = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', CHAIN_ID, { startOver: false });
    assert.equal(run, undefined);
    assert.equal(git('branch', '--list', `chant/${CHAIN_ID}`), '');
    assert.equal(vscode.window.terminals.length, terminals);
    assert.equal(fs.readFileSync(specFile(CHAIN_ID), 'utf8'), before);
  });
});
