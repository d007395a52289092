// Every codicon the extension names exists in VS Code 1.100, the minimum engine (package.json
// `engines.vscode`): a name the running VS Code does not know renders as nothing (the Create
// Upstream PR button in the editor title was blank with `$(git-pull-request-go)`, added later).
// The names come from test/fixtures/codicons/vscode-1.100.txt; when the test code-server is
// installed, that list is checked against its workbench bundle too.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { requireOrSkip } from './prerequisites';

const REPO = path.resolve(__dirname, '../../..');
const LIST = path.join(REPO, 'test', 'fixtures', 'codicons', 'vscode-1.100.txt');
const WORKBENCH = path.join(REPO, '.vscode-test', 'code-server', 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'vs', 'code', 'browser', 'workbench', 'workbench.js');

function known(): Set<string> {
  return new Set(readFileSync(LIST, 'utf8').split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#')));
}

function filesUnder(dir: string, extensions: readonly string[]): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full, extensions));
    else if (extensions.some((ext) => name.endsWith(ext))) out.push(full);
  }
  return out;
}

/**
 * Codicon names in a source text, with where they are: `$(name)` (`~spin` dropped), ThemeIcon('…'), icon('…'),
 * iconButton('…'), `codicon-…` classes, the tree's icon table.
 */
export function codiconsIn(source: string): string[] {
  const names: string[] = [];
  // Comments talk about the syntax (`$(name)`); they draw nothing.
  const text = source.split('\n').filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line)).join('\n');
  for (const m of text.matchAll(/\$\(([a-z0-9-]+)(?:~[a-z]+)?\)/g)) names.push(m[1]);
  for (const m of text.matchAll(/ThemeIcon\(([^)]*)\)/g)) for (const q of m[1].matchAll(/'([a-z0-9-]+)'/g)) names.push(q[1]);
  for (const m of text.matchAll(/\b(?:icon|iconButton)\('([a-z0-9-]+)'/g)) names.push(m[1]);
  for (const m of text.matchAll(/(?<![-\w])codicon-([a-z0-9-]+)/g)) names.push(m[1]);
  for (const m of text.matchAll(/^\s+[a-z_]+: \['([a-z0-9-]+)(?:~[a-z]+)?', (?:'[A-Za-z]+\.[A-Za-z.]+'|undefined)\]/gm)) names.push(m[1]);
  return names;
}

describe('codicons', () => {
  it('the engine is 1.100', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { engines: { vscode: string } };
    assert.equal(pkg.engines.vscode, '^1.100.0', 'raise the list in test/fixtures/codicons with the engine');
  });

  it('package.json, the extension and the webviews use only codicons VS Code 1.100 has', () => {
    const names = known();
    assert.ok(names.size > 500, `the list has ${names.size} names`);
    const files = [path.join(REPO, 'package.json'), ...filesUnder(path.join(REPO, 'src'), ['.ts']), ...filesUnder(path.join(REPO, 'media'), ['.css'])];
    const unknown: string[] = [];
    let seen = 0;
    for (const file of files) {
      for (const name of codiconsIn(readFileSync(file, 'utf8'))) {
        seen++;
        if (name !== 'stylesheet' && !names.has(name)) unknown.push(`${path.relative(REPO, file)}: ${name}`);
      }
    }
    assert.ok(seen > 30, `found ${seen} icon uses`);
    assert.deepEqual(unknown, []);
  });

  it('finds icons in each way they are written', () => {
    assert.deepEqual(codiconsIn(`"icon": "$(git-pull-request-go)" '$(sync~spin) x' new vscode.ThemeIcon(a ? 'issues' : 'folder') icon('add') iconButton('zoom-in', 'Zoom') class="codicon codicon-pass" id="vscode-codicon-stylesheet"\n  ready: ['play-circle', 'charts.green'],`), [
      'git-pull-request-go',
      'sync',
      'issues',
      'folder',
      'add',
      'zoom-in',
      'pass',
      'play-circle',
    ]);
    // Shell lines are not icons.
    assert.deepEqual(codiconsIn('code=$(cat "$F.code")'), []);
  });

  it('the list matches the workbench of the test code-server (VS Code 1.100)', function () {
    // .ci/run installs code-server before the unit tier; elsewhere the check waits for it.
    requireOrSkip(this, existsSync(WORKBENCH), `code-server's workbench (${WORKBENCH}; npm test installs it)`);
    const bundle = readFileSync(WORKBENCH, 'utf8');
    const registered = new Set([...bundle.matchAll(/[A-Za-z0-9]+:[A-Za-z$_]+\("([a-z0-9-]+)",[\d.e]+\)/g)].map((m) => m[1]));
    assert.deepEqual([...known()].sort(), [...registered].sort());
  });
});
