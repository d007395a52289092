// chant's own lint in a real extension host: a fake `chant` on PATH answers `lint -f json` as chant
// 0.23 does (CHANT-FORMAT §8.3); saving a spec runs it in the project, its findings become
// diagnostics with source `chant lint`, the built-in copies of chant's rules step aside while it
// covers the project, and come back without it. The quality grade has its own lens.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from './wait';

const SPEC = '2026-03-02-001-cli';
const TYPE_WARNING = "Research spec missing both 'informed_by' and 'origin' fields";

describe('chant lint from the CLI', () => {
  const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
  const file = path.join(root, '.chant', 'specs', `${SPEC}.md`);
  const uri = vscode.Uri.file(file);
  const fakeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-fake-cli-'));
  const calls = path.join(fakeDir, 'calls.jsonl');
  const originalPath = process.env.PATH;

  before(async () => {
    // Answers like chant: the JSON report on stdout, exit 1 because there is an error in it.
    fs.writeFileSync(
      path.join(fakeDir, 'chant'),
      `#!/usr/bin/env node
const fs = require('node:fs');
fs.appendFileSync(${JSON.stringify(calls)}, JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd() }) + '\\n');
const diagnostics = [
  { spec_id: ${JSON.stringify(SPEC)}, rule: 'required', severity: 'error', message: "Missing required field 'public'", suggestion: null },
  { spec_id: ${JSON.stringify(SPEC)}, rule: 'type', severity: 'warning', message: ${JSON.stringify(TYPE_WARNING)}, suggestion: null },
  { spec_id: ${JSON.stringify(SPEC)}, rule: 'title', severity: 'error', message: 'Missing title', suggestion: null },
];
console.log(JSON.stringify({ diagnostics, passed: 0, warned: 0, failed: 1, total: 1 }, null, 2));
process.exit(1);
`,
      { mode: 0o755 },
    );
    fs.writeFileSync(file, ['---', 'type: research', 'status: pending', 'target_files:', '- .chant/research/cli.md', '---', '', '# Linted by the CLI', '', '## Acceptance Criteria', '', '- [ ] Write the findings', ''].join('\n'));
  });

  after(() => {
    process.env.PATH = originalPath;
    fs.rmSync(file, { force: true });
    fs.rmSync(fakeDir, { recursive: true, force: true });
  });

  const sourced = (source: string) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === source);

  it('without the CLI, the built-in rules report chant warnings as you type', async () => {
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const builtIn = await waitFor(() => sourced('chant').find((d) => d.message === TYPE_WARNING), 15_000, 'the built-in type warning');
    assert.equal(builtIn.code, 'chant-type');
    assert.equal(builtIn.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepEqual(sourced('chant lint'), []);
  });

  it("shows chant's quality grade in a lens", async () => {
    await vscode.workspace.openTextDocument(uri);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const grade = lenses.find((lens) => /^Quality (🟢|🟡|🔴) /u.test(lens.command?.title ?? ''));
    assert.ok(grade, 'a grade lens');
    // One criterion, no prose: chant counts one criterion as AC quality C, so it grades the spec Review.
    assert.equal(grade.command!.title, 'Quality 🟡 Review (Splittable C, Criteria C)');
    // A completed spec has one state, "Completed": no grade beside it.
    const completed = path.join(root, '.chant', 'specs', '2026-02-08-0c9-cmp.md');
    fs.writeFileSync(completed, ['---', 'type: code', 'status: completed', '---', '', '# Done already', '', '## Acceptance Criteria', '', '- [x] Write it', ''].join('\n'));
    try {
      const doc = await vscode.workspace.openTextDocument(completed);
      const titles = await waitFor(async () => {
        const found = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)).map((l) => l.command?.title ?? '');
        return found.some((t) => t.includes('Completed')) ? found : undefined;
      }, 15_000, 'the completed spec lenses');
      assert.ok(!titles.some((t) => t.startsWith('Quality ')), titles.join(' | '));
    } finally {
      fs.rmSync(completed, { force: true });
    }
  });

  it('on save, runs `chant lint -f json` in the project and shows its findings as `chant lint` diagnostics', async () => {
    process.env.PATH = `${fakeDir}${path.delimiter}${originalPath}`;
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await editor.edit((edit) => edit.insert(new vscode.Position(editor.document.lineCount - 1, 0), '\n'));
    assert.ok(await editor.document.save());
    const fromCli = await waitFor(() => {
      const found = sourced('chant lint');
      return found.length >= 2 ? found : undefined;
    }, 15_000, 'the chant lint diagnostics');
    assert.deepEqual(
      fromCli.map((d) => [d.code, d.severity, d.message]).sort(),
      [
        ['required', vscode.DiagnosticSeverity.Error, "Missing required field 'public'"],
        ['type', vscode.DiagnosticSeverity.Warning, TYPE_WARNING],
      ],
      "the editor's own title check already says 'Missing title', so chant's copy is not repeated",
    );
    assert.equal(fromCli[0].range.start.line, 7, 'placed on the title line');
    const invocations = fs.readFileSync(calls, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { args: string[]; cwd: string });
    assert.deepEqual(invocations[invocations.length - 1], { args: ['lint', '-f', 'json'], cwd: root });
    // The built-in copy of the type rule steps aside while chant reports it.
    await waitFor(() => !sourced('chant').some((d) => d.code === 'chant-type'), 15_000, 'the built-in type warning to go');
  });

  it('without the CLI again, the next save clears them and the built-in rules come back', async () => {
    process.env.PATH = originalPath;
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await editor.edit((edit) => edit.insert(new vscode.Position(editor.document.lineCount - 1, 0), '\n'));
    assert.ok(await editor.document.save());
    await waitFor(() => sourced('chant lint').length === 0, 15_000, 'the chant lint diagnostics to clear');
    await waitFor(() => sourced('chant').some((d) => d.code === 'chant-type'), 15_000, 'the built-in type warning');
  });
});
