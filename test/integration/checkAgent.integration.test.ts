// "Chant: Check Agent" and Choose Agent in a real extension host, with fake agents on PATH: it finds
// the program the direct runner starts, shows its version, says what is missing; Choose Agent lists
// the agents installed here with their versions and remembers the pick for the workspace.
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

  it('Choose Agent remembers the agent and model for the workspace, and the check follows it', async () => {
    process.env.PATH = `${fakeDir}${path.delimiter}${originalPath}`;
    const codex = await checkAgent(undefined, api.agents, { answer: 'Choose Agent…', preset: 'codex', model: 'gpt-5-codex' });
    assert.deepEqual(api.agents.pick(), { agent: 'codex', model: 'gpt-5-codex' });
    assert.equal(config().get<string>('agent.command', ''), '', 'no setting is written: the pick is per workspace');
    assert.deepEqual([codex.agent?.name, codex.agent?.version, codex.model], ['codex', 'codex-cli 0.46.0', 'gpt-5-codex']);

    const kiro = await checkAgent(undefined, api.agents, { answer: 'Choose Agent…', preset: 'kiro' });
    assert.deepEqual(api.agents.pick(), { agent: 'kiro' });
    assert.equal(kiro.agent?.name, 'kiro');
    assert.equal(kiro.agent?.path, undefined);
    assert.equal(kiro.missing.length, 1);
    assert.match(kiro.missing[0], /the agent `kiro` is not on PATH: install the Kiro CLI/);
  });
});
