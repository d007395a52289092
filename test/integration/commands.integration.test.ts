// The command table (src/commands/index.ts) against package.json and against what the real VS Code
// has registered: every contributed command is in the table and registered, every command of the
// table is contributed unless marked internal.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from '../../src/commands';

const EXTENSION_ID = 'chant-vscode.chant-vscode';

describe('Command table', () => {
  const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
  const contributed: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });

  it('has an entry for every contributed command, and contributes every public entry', () => {
    const table = Object.keys(COMMANDS);
    assert.deepEqual(contributed.filter((id) => !table.includes(id)), [], 'contributed but not in the table');
    const publicEntries = table.filter((id) => !COMMANDS[id].internal);
    assert.deepEqual(publicEntries.filter((id) => !contributed.includes(id)), [], 'in the table but not contributed');
  });

  it('registers exactly the table in the running extension', async () => {
    // VS Code registers `<view id>.focus` and friends for each contributed view itself.
    const views: string[] = Object.values(manifest.contributes.views as Record<string, Array<{ id: string }>>)
      .flat()
      .map((v) => v.id);
    // (Only those: a command may itself start with a view's id, as `chant.runs.openLog` does.)
    const generated = /^(focus|resetViewLocation|removeView|toggleVisibility|open)$/;
    const ours = (id: string): boolean => id.startsWith('chant.') && !views.some((view) => id.startsWith(`${view}.`) && generated.test(id.slice(view.length + 1)));
    const registered = new Set((await vscode.commands.getCommands(true)).filter(ours));
    assert.deepEqual(Object.keys(COMMANDS).filter((id) => !registered.has(id)), [], 'in the table but not registered');
    assert.deepEqual([...registered].filter((id) => !(id in COMMANDS)), [], 'registered outside the table');
  });

  it('menus and the palette name only contributed commands', () => {
    for (const [menu, entries] of Object.entries(manifest.contributes.menus) as Array<
      [string, Array<{ command: string }>]
    >) {
      for (const entry of entries) assert.ok(contributed.includes(entry.command), `${menu}: ${entry.command}`);
    }
  });
});
