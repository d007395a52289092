// "Chant: Check Agent" in a real extension host, with fake agents on PATH: it finds the program the
// direct runner starts, shows its version, says what is missing, and a preset changes the setting.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkAgent } from '../../src/commands/checkAgent';

describe('Check Agent', () => {
  const fakeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-fake-agent-'));
  const originalPath = process.env.PATH;
  const config = () => vscode.workspace.getConfiguration('chant');

  before(async () => {
    fs.writeFileSync(path.join(fakeDir, 'claude'), '#!/bin/sh\necho "9.9.9 (Claude Code)"\n', { mode: 0o755 });
    await config().update('runner', 'direct', vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    process.env.PATH = originalPath;
    await config().update('runner', undefined, vscode.ConfigurationTarget.Global);
    await config().update('agent.command', undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(fakeDir, { recursive: true, force: true });
  });

  it('finds the agent on PATH and shows its version', async () => {
    process.env.PATH = `${fakeDir}${path.delimiter}${originalPath}`;
    const result = await checkAgent(undefined, { answer: 'none' });
    assert.equal(result.runner, 'direct');
    assert.deepEqual(result.agent, { name: 'claude', path: path.join(fakeDir, 'claude'), version: '9.9.9 (Claude Code)' });
    assert.deepEqual(result.missing, []);
  });

  it('says what is missing, and Choose Agent sets the preset and checks again', async () => {
    process.env.PATH = `${fakeDir}${path.delimiter}${originalPath}`;
    const result = await checkAgent(undefined, { answer: 'Choose Agent…', preset: 'kiro' });
    assert.match(config().get<string>('agent.command', ''), /^kiro --print /);
    assert.equal(result.agent?.name, 'kiro');
    assert.equal(result.agent?.path, undefined);
    assert.equal(result.missing.length, 1);
    assert.match(result.missing[0], /the agent `kiro` is not on PATH: install the Kiro CLI/);
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
      const hidden = await checkAgent(undefined, { answer: 'none' });
      assert.equal(hidden.agent?.path, undefined);
      assert.match(hidden.missing[0], /the agent `claude` is not on PATH/);
      assert.ok(hidden.notes.some((n) => n.includes(`terminal.integrated.env.${key}`)), hidden.notes.join(' '));
      // `${env:PATH}` is the host's PATH, as VS Code resolves it for the terminal.
      process.env.PATH = originalPath;
      await terminalEnv.update(key, { PATH: `${fakeDir}${path.delimiter}\${env:PATH}` }, vscode.ConfigurationTarget.Global);
      const shown = await checkAgent(undefined, { answer: 'none' });
      assert.equal(shown.agent?.path, path.join(fakeDir, 'claude'));
      assert.deepEqual(shown.missing, []);
    } finally {
      await terminalEnv.update(key, before, vscode.ConfigurationTarget.Global);
    }
  });
});
