// Issue 11 in the real extension host. Finding 1: a spec whose informed_by is a committed-style
// symlink to a secret outside the workspace, whose context names that secret by absolute and `..`
// paths and /proc/self/environ, in a project whose config.md adds prompt extensions out of the
// project, is worked with the scripted agent; the prompt file the agent reads holds none of it.
// Finding 4: a spec file named `--chain.md` is refused before anything runs. Finding 5: copy-back
// keeps the user's bytes when the main checkout's file changed during the run. Finding 8: drift
// patterns `/**`, `../**` and a linked folder out are refused in the editor and the graph's drift
// lists nothing from outside. (Finding 3, in every shell: hostileShells.integration.test.ts.)
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
const COPY_ID = '2026-04-02-002-cpb';
const DRIFT_ID = '2026-04-02-003-drf';
const SECRET = 'SECRET-OUTSIDE-THE-WORKSPACE-51f3';
const SECRET_EXTENSION = 'SECRET-PROMPT-EXTENSION-77ab';
/** An ignored output (git's info/exclude): copy-back is what brings it to the main checkout. */
const NOTES = 'notes.hostile-local';

describe('Hostile repository (issue 11)', function () {
  this.timeout(120_000);
  let root: string;
  let api: ChantApi;
  let scratch: string;
  let outside: string;
  let agentScript: string;
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  const specFile = (id: string): string => path.join(root, '.chant', 'specs', `${id}.md`);
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('chant');
  const link = (): string => path.join(root, 'docs-hostile-link.md');
  const configFile = (): string => path.join(root, '.chant', 'config.md');
  const contextPrompt = (): string => path.join(root, '.chant', 'prompts', 'hostile-context.md');
  const linkedExtension = (): string => path.join(root, '.chant', 'prompts', 'linked-extension.md');
  const excludeFile = (): string => path.join(root, '.git', 'info', 'exclude');
  let configText: string;
  let excludeText: string;

  before(async () => {
    const extension = vscode.extensions.getExtension<ChantApi>(EXTENSION_ID)!;
    api = await extension.activate();
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    agentScript = path.join(extension.extensionPath, 'test', 'agent', 'scriptedAgent.js');
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-hostile-it-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-hostile-secret-'));
    fs.writeFileSync(path.join(outside, 'id_rsa'), `${SECRET}\n`);
    fs.symlinkSync(path.join(outside, 'id_rsa'), link());
    const relativeOut = path.relative(root, path.join(outside, 'id_rsa'));
    fs.writeFileSync(
      specFile(HOSTILE_ID),
      `---\ntype: code\nstatus: pending\nprompt: hostile-context\ntarget_files:\n- src/hostile-output.txt\ninformed_by:\n- docs-hostile-link.md\ncontext:\n- ${path.join(outside, 'id_rsa')}\n- ${relativeOut}\n- /proc/self/environ\n---\n# Read the design\n\nDo it.\n\n## Acceptance Criteria\n\n- [ ] Write the output\n`,
    );
    fs.writeFileSync(specFile(CHAIN_ID), '---\ntype: code\nstatus: pending\n---\n# Work everything\n\n## Acceptance Criteria\n\n- [ ] x\n');
    fs.writeFileSync(specFile(COPY_ID), `---\ntype: code\nstatus: pending\ntarget_files:\n- ${NOTES}\n---\n# Update the notes\n\n## Acceptance Criteria\n\n- [ ] Write the notes\n`);
    fs.writeFileSync(
      specFile(DRIFT_ID),
      `---\ntype: documentation\nstatus: completed\ncompleted_at: 2020-01-01T00:00:00Z\ntracks:\n- /**\n- ../**\n- linked-out/**\n- hostile-drift-in.txt\n---\n# Track the whole disk\n`,
    );
    // Outside: a folder of files newer than the completion, which drift would report if it looked.
    fs.mkdirSync(path.join(outside, 'tree'));
    for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(outside, 'tree', `outside-${i}.txt`), 'outside\n');
    fs.symlinkSync(path.join(outside, 'tree'), path.join(root, 'linked-out'));
    fs.writeFileSync(path.join(root, 'hostile-drift-in.txt'), 'inside, changed after completion\n');
    // config.md (from the repository) adds prompt extensions: a path out, and a prompt file linked out.
    configText = fs.readFileSync(configFile(), 'utf8');
    // A prompt the same pull request adds, which inlines {{spec.context}}.
    fs.mkdirSync(path.dirname(contextPrompt()), { recursive: true });
    fs.writeFileSync(contextPrompt(), '# Work with context\n\n{{spec.context}}\n\n{{spec}}\n');
    fs.writeFileSync(path.join(outside, 'extension.md'), `${SECRET_EXTENSION}\n`);
    fs.mkdirSync(path.dirname(linkedExtension()), { recursive: true });
    fs.symlinkSync(path.join(outside, 'extension.md'), linkedExtension());
    const relativeExtension = path.relative(path.join(root, '.chant', 'prompts'), path.join(outside, 'extension'));
    fs.writeFileSync(configFile(), configText.replace('  main_branch: main\n', `  main_branch: main\n  prompt_extensions:\n  - ${relativeExtension}\n  - linked-extension\n`));
    excludeText = fs.readFileSync(excludeFile(), 'utf8');
    fs.appendFileSync(excludeFile(), '\n*.hostile-local\n');
    await config().update('worktreeFolder', scratch, vscode.ConfigurationTarget.Global);
    await config().update('agent.command', `node ${agentScript} --prompt \${promptFile}`, vscode.ConfigurationTarget.Global);
    await config().update('runner', 'direct', vscode.ConfigurationTarget.Global);
    await waitFor(() => [HOSTILE_ID, CHAIN_ID, COPY_ID, DRIFT_ID].every((id) => api.projects.findSpec(id)), 20_000, 'the index to see the hostile specs');
    await waitFor(() => api.projects.findSpec(HOSTILE_ID)!.index.config.promptExtensions.length === 2, 20_000, 'the index to read config.md');
  });

  after(async () => {
    for (const key of ['worktreeFolder', 'agent.command', 'runner']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    for (const panel of [...api.webviews.GraphPanel.panels.values()]) panel.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const id of [HOSTILE_ID, COPY_ID]) {
      try {
        git('worktree', 'remove', '--force', path.join(scratch, `chant-fixture-${id}`));
      } catch {
        // never created
      }
    }
    git('worktree', 'prune');
    for (const id of [HOSTILE_ID, COPY_ID]) {
      try {
        git('branch', '-D', `chant/${id}`);
      } catch {
        // never created
      }
    }
    if (configText !== undefined) fs.writeFileSync(configFile(), configText);
    if (excludeText !== undefined) fs.writeFileSync(excludeFile(), excludeText);
    const leftovers = [specFile(HOSTILE_ID), specFile(CHAIN_ID), specFile(COPY_ID), specFile(DRIFT_ID), link(), linkedExtension(), contextPrompt(), path.join(root, 'linked-out'), path.join(root, 'hostile-drift-in.txt')];
    leftovers.push(path.join(root, NOTES), path.join(root, `notes.agent-${COPY_ID}.hostile-local`));
    for (const id of [HOSTILE_ID, COPY_ID]) leftovers.push(path.join(root, '.chant', 'logs', `${id}.log`));
    for (const file of leftovers) fs.rmSync(file, { force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
    await waitFor(() => ![HOSTILE_ID, CHAIN_ID, COPY_ID, DRIFT_ID].some((id) => api.projects.findSpec(id)), 20_000, 'the index to drop the hostile specs');
    await waitFor(() => api.projects.projects()[0]?.config.promptExtensions.length === 0, 20_000, 'the index to read config.md back');
    for (const t of vscode.window.terminals) if (t.name.startsWith('chant · ')) t.dispose();
  });

  it('the prompt file the agent reads holds no file from outside the workspace', async () => {
    const run = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', HOSTILE_ID, { startOver: false, withoutOutside: true });
    assert.ok(run, 'the run started');
    await withTimeout(run.done, 90_000, 'the agent run to finish');
    const prompt = fs.readFileSync(path.join(scratch, `chant-fixture-${HOSTILE_ID}`, '.chant', 'tmp', `${HOSTILE_ID}-prompt.md`), 'utf8');
    assert.ok(!prompt.includes(SECRET), 'the secret reached the prompt');
    assert.ok(!prompt.includes(SECRET_EXTENSION), 'a prompt extension from outside reached the prompt');
    // /proc/self/environ is this very process's environment (the extension host reads it the same).
    const environ = fs.readFileSync('/proc/self/environ', 'utf8').split('\0').filter((entry) => /^[A-Za-z_][A-Za-z0-9_]*=.{8,}/s.test(entry));
    assert.ok(environ.length > 0, 'the extension host has an environment to leak');
    assert.deepEqual(environ.filter((entry) => prompt.includes(entry)), [], 'environment entries reached the prompt');
    assert.match(prompt, /informed_by entry docs-hostile-link\.md points outside the project \(a symbolic link to a place outside the project\): not sent to the agent/);
    assert.match(prompt, /context entry \/proc\/self\/environ points outside the project \(an absolute path elsewhere on this machine\): not sent to the agent/);
  });

  it('copy-back keeps the file the user changed in the main checkout during the run, and puts the agent\'s beside it', async () => {
    const main = path.join(root, NOTES);
    fs.writeFileSync(main, "the user's notes, as they were\n");
    await config().update('agent.command', `node ${agentScript} --prompt \${promptFile} --delay 4000`, vscode.ConfigurationTarget.Global);
    try {
      const run = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', COPY_ID, { startOver: false, withoutOutside: true });
      assert.ok(run, 'the run started');
      await waitFor(() => fs.existsSync(run.plan!.logFile) && /thinking for/.test(fs.readFileSync(run.plan!.logFile, 'utf8')), 30_000, 'the agent to start');
      const edited = Buffer.from("the user's notes, edited while the agent works\n");
      fs.writeFileSync(main, edited);
      await withTimeout(run.done, 90_000, 'the agent run to finish');
      assert.equal(run.state, 'completed', `run ended ${run.state}: ${run.result?.reason ?? ''}`);
      assert.ok(fs.readFileSync(main).equals(edited), "the user's bytes were replaced");
      const beside = `notes.agent-${COPY_ID}.hostile-local`;
      assert.deepEqual(run.result?.keptBeside, [{ file: NOTES, beside }]);
      assert.deepEqual(run.result?.copiedBack, []);
      assert.equal(fs.readFileSync(path.join(root, beside), 'utf8'), fs.readFileSync(path.join(run.plan!.workDir, NOTES), 'utf8'));
      assert.match(fs.readFileSync(path.join(root, beside), 'utf8'), /Written by the scripted agent/);
      assert.ok(run.result?.notices.some((n) => n.includes(`${NOTES} changed in the main checkout during the run`)), run.result?.notices.join(' | '));
    } finally {
      await config().update('agent.command', `node ${agentScript} --prompt \${promptFile}`, vscode.ConfigurationTarget.Global);
    }
  });

  it('drift patterns out of the project are refused in the editor, and the graph\'s drift lists nothing from outside', async () => {
    const doc = await vscode.workspace.openTextDocument(specFile(DRIFT_ID));
    await vscode.window.showTextDocument(doc);
    const messages = await waitFor(() => {
      const found = vscode.languages.getDiagnostics(doc.uri).map((d) => d.message).filter((m) => m.includes('points outside the project'));
      return found.length >= 3 ? found : undefined;
    }, 20_000, 'the outside-the-project diagnostics');
    assert.deepEqual(messages.sort(), [
      'tracks entry ../** points outside the project (it leaves the project folder): drift never looks at it',
      'tracks entry /** points outside the project (an absolute path elsewhere on this machine): drift never looks at it',
      'tracks entry linked-out/** points outside the project (a symbolic link to a place outside the project): drift never looks at it',
    ]);

    await vscode.commands.executeCommand('chant.showGraph', DRIFT_ID);
    const graph = api.webviews.GraphPanel.panels.get(root);
    assert.ok(graph, 'the graph panel');
    // The real webview says `ready`; a webview the workbench has not rendered may not: say it for it
    // (as the graph drift test in webviews.integration.test.ts does).
    try {
      await waitFor(() => graph.lastGraph !== undefined, 8_000, 'the first graph');
    } catch {
      await graph.onMessage({ type: 'ready' });
    }
    const node = () => graph.lastGraph?.nodes.find((n) => n.id === `spec:${DRIFT_ID}`);
    const drift = await waitFor(() => node()?.drift, 30_000, 'the drift lines of the spec');
    assert.equal(drift.length, 1, drift.join(' | '));
    assert.match(drift[0], /^hostile-drift-in\.txt changed after completion \(modified on disk .*, tracks\)$/);
    assert.ok(!drift.some((line) => line.includes('outside-') || line.includes(outside)), drift.join(' | '));
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
