// "Chant: Check Agent" and Choose Agent in a real extension host, with fake agents on PATH: it finds
// the program a run starts (the workspace's pick, else the setting), shows its version, says what is
// missing; the agents installed here are listed with their versions; Choose Agent sets the preset.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChantApi } from '../../src/api';
import { checkAgent } from '../../src/commands/checkAgent';

const EXTENSION_ID = 'chant-vscode.chant-vscode';

describe('Check Agent', () => {
  const fakeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-fake-agent-'));
  const originalPath = process.env.PATH;
  const config = () => vscode.workspace.getConfiguration('chant');
  let api: ChantApi;

  before(async () => {
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as ChantApi;
    fs.writeFileSync(path.join(fakeDir, 'claude'), '#!/bin/sh\necho "9.9.9 (Claude Code)"\n', { mode: 0o755 });
    fs.writeFileSync(path.join(fakeDir, 'codex'), '#!/bin/sh\necho "codex-cli 0.46.0"\n', { mode: 0o755 });
    await config().update('runner', 'direct', vscode.ConfigurationTarget.Global);
    await api.agents.remember(undefined);
  });

  after(async () => {
    process.env.PATH = originalPath;
    await api.agents.remember(undefined);
    await config().update('runner', undefined, vscode.ConfigurationTarget.Global);
    await config().update('agent.command', undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(fakeDir, { recursive: true, force: true });
  });

  it('finds the agent on PATH and shows its version', async () => {
    process.env.PATH = `${fakeDir}${path.delimiter}${originalPath}`;
    const result = await checkAgent(undefined, api.agents, { answer: 'none' });
    assert.equal(result.runner, 'direct');
    assert.deepEqual(result.agent, { name: 'claude', path: path.join(fakeDir, 'claude'), version: '9.9.9 (Claude Code)' });
    assert.deepEqual(result.missing, []);
  });

  it('lists the agents installed on this machine with their versions', async () => {
    process.env.PATH = `${fakeDir}${path.delimiter}${originalPath}`;
    const found = await api.agents.detect(true);
    const byId = new Map(found.map((a) => [a.preset.id, a]));
    assert.deepEqual([byId.get('claude')?.path, byId.get('claude')?.version], [path.join(fakeDir, 'claude'), '9.9.9']);
    assert.deepEqual([byId.get('codex')?.path, byId.get('codex')?.version], [path.join(fakeDir, 'codex'), '0.46.0']);
    assert.equal(byId.get('gemini')?.path, undefined, 'not installed here');
    assert.ok(byId.has('custom'));
  });

  it('Choose Agent sets the preset for the user, clears a workspace pick, and checks again', async () => {
    process.env.PATH = `${fakeDir}${path.delimiter}${originalPath}`;
    await api.agents.remember({ agent: 'gemini', model: 'gemini-2.5-pro' });
    const picked = await checkAgent(undefined, api.agents, { answer: 'none' });
    assert.deepEqual([picked.agent?.name, picked.model], ['gemini', 'gemini-2.5-pro'], "the workspace's pick is what runs");
    assert.match(picked.missing[0] ?? '', /the agent `gemini` is not on PATH: npm install -g @google\/gemini-cli/);

    const codex = await checkAgent(undefined, api.agents, { answer: 'Choose Agent…', preset: 'codex' });
    assert.match(config().get<string>('agent.command', ''), /^codex exec --json /);
    assert.equal(api.agents.pick(), undefined, 'the choice is what runs from now on');
    assert.deepEqual([codex.agent?.name, codex.agent?.version], ['codex', 'codex-cli 0.46.0']);

    const kiro = await checkAgent(undefined, api.agents, { answer: 'Choose Agent…', preset: 'kiro' });
    assert.match(config().get<string>('agent.command', ''), /^kiro --print /);
    assert.equal(kiro.agent?.name, 'kiro');
    assert.equal(kiro.agent?.path, undefined);
    assert.equal(kiro.missing.length, 1);
    assert.match(kiro.missing[0], /the agent `kiro` is not on PATH: install the Kiro CLI/);
  });

  it("looks on the PATH the terminal gets (terminal.integrated.env.<platform>), where runs start, not the host's", async () => {
    await config().update('agent.command', undefined, vscode.ConfigurationTarget.Global);
    const terminalEnv = vscode.workspace.getConfiguration('terminal.integrated.env');
    const key = process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'osx' : 'linux';
    const before = terminalEnv.inspect(key)?.globalValue;
    process.env.PATH = `${fakeDir}${path.delimiter}${originalPath}`;
    try {
      // The host finds claude, but the terminal's PATH leaves its folder out: the run would not find it.
      await terminalEnv.update(key, { PATH: originalPath }, vscode.ConfigurationTarget.Global);
      const hidden = await checkAgent(undefined, api.agents, { answer: 'none' });
      assert.equal(hidden.agent?.path, undefined);
      assert.match(hidden.missing[0], /the agent `claude` is not on PATH/);
      assert.ok(hidden.notes.some((n) => n.includes(`terminal.integrated.env.${key}`)), hidden.notes.join(' '));
      // `${env:PATH}` is the host's PATH, as VS Code resolves it for the terminal.
      process.env.PATH = originalPath;
      await terminalEnv.update(key, { PATH: `${fakeDir}${path.delimiter}\${env:PATH}` }, vscode.ConfigurationTarget.Global);
      const shown = await checkAgent(undefined, api.agents, { answer: 'none' });
      assert.equal(shown.agent?.path, path.join(fakeDir, 'claude'));
      assert.deepEqual(shown.missing, []);
    } finally {
      await terminalEnv.update(key, before, vscode.ConfigurationTarget.Global);
    }
  });
});
