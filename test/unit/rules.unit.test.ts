// README's rules as checks that fail the build: the layers and the one home of git, gh and the command
// table (dependency-cruiser, .dependency-cruiser.cjs), floating promises, unused code and the one home of
// terminals and of git argument lists, lines of at most 120 characters (typescript-eslint,
// eslint.config.mjs), dead files, exports and dependencies (knip, knip.json).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..', '..');

async function run(
  tool: string,
  args: string[],
  cwd = REPO,
  stdin?: string,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(path.join(REPO, 'node_modules', '.bin', tool), args, {
    cwd,
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  child.stdin.end(stdin ?? '');
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  return { code, output };
}

describe('rules as checks', function () {
  // Type-aware linting of the whole source takes a while on a loaded machine.
  this.timeout(300_000);

  it('the layers and homes hold (dependency-cruiser)', async () => {
    const { code, output } = await run('depcruise', ['src', '--config', '.dependency-cruiser.cjs']);
    assert.equal(code, 0, output);
    assert.match(output, /no dependency violations found/);
  });

  it('a broken rule is caught: the rules are not vacuous', async () => {
    // A small tree that breaks four rules at once, checked with the project's own configuration.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-rules-'));
    try {
      const write = (file: string, text: string): void => {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), text);
      };
      write('tsconfig.json', '{ "compilerOptions": { "module": "commonjs", "strict": true } }\n');
      write('src/core/present/view.ts', 'export const view = 1;\n');
      write(
        'src/core/spec/broken.ts',
        "import * as vscode from 'vscode';\nimport { view } from '../present/view';\nexport const x = [vscode, view];\n",
      );
      write('src/commands/table.ts', 'export const table = 1;\n');
      write(
        'src/runs/broken.ts',
        "import { table } from '../commands/table';\nimport { simpleGit } from 'simple-git';\nexport const y = [table, simpleGit];\n",
      );
      const { output } = await run(
        'depcruise',
        ['src', '--config', path.join(REPO, '.dependency-cruiser.cjs'), '--output-type', 'json'],
        dir,
      );
      const broken = new Set(
        (JSON.parse(output) as { summary: { violations: Array<{ rule: { name: string } }> } }).summary.violations.map(
          (v) => v.rule.name,
        ),
      );
      for (const rule of [
        'core-without-vscode',
        'core-spec-below-project-workflow-runs-present',
        'only-git-runs-git',
        'lazy-libraries-through-their-door',
        'nothing-below-commands-imports-commands',
      ]) {
        assert.ok(broken.has(rule), `${rule} not reported; reported: ${[...broken].join(', ')}`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('no floating promise, nothing unused, terminals and git argument lists at home, lines within 120 (typescript-eslint)', async () => {
    const { code, output } = await run('eslint', ['src', 'test', '--max-warnings', '0']);
    assert.equal(code, 0, output);
  });

  it('a terminal or a git argument list outside its home is caught (typescript-eslint)', async () => {
    // Linted as if it were src/runs/work.ts (a file of the project, so the type-aware rules apply).
    const probe = [
      "import * as vscode from 'vscode';",
      "export const x = (g: { raw(a: string[]): unknown }): unknown => g.raw(['status']);",
      "export const t = (): unknown => vscode.window.createTerminal('x');",
      '',
    ].join('\n');
    const { code, output } = await run('eslint', ['--stdin', '--stdin-filename', 'src/runs/work.ts'], REPO, probe);
    assert.equal(code, 1, output);
    assert.match(output, /git argument lists live in src\/git/);
    assert.match(output, /Terminals have one owner/);
  });

  it('no dead file, export or dependency (knip)', async () => {
    const { code, output } = await run('knip', ['--no-progress']);
    assert.equal(code, 0, output);
  });
});
