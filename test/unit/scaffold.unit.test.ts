import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../src/core/project/config';
import { splitFrontmatter } from '../../src/core/spec/frontmatter';
import { findGitCommonDir, isSilentMode } from '../../src/core/project/project';
import {
  addMergeDriverAttribute,
  MERGE_DRIVER_ATTRIBUTE,
  addSilentExclude,
  cargoPackageName,
  CHANT_GITIGNORE,
  configText,
  detectProjectName,
  promptTexts,
  SCAFFOLD_PROMPTS,
  scaffoldProject,
  ScaffoldError,
  yamlScalar,
} from '../../src/core/workflow/scaffold';
import { git, initRepo, makeTempDir, removeDir, writeFiles } from './tempRepo';
import * as YAML from 'yaml';

describe('scaffold', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir('chant-scaffold-')));
  afterEach(() => removeDir(dir));

  describe('project name', () => {
    it('prefers package.json, then Cargo.toml, then go.mod, then the folder', async () => {
      writeFiles(dir, { 'go.mod': 'module github.com/acme/kvgo\n\ngo 1.22\n' });
      assert.equal(await detectProjectName(dir), 'kvgo');
      writeFiles(dir, { 'Cargo.toml': '[workspace]\nname = "nope"\n\n[package]\nname = "kvstore"\nversion = "0.1.0"\n' });
      assert.equal(await detectProjectName(dir), 'kvstore');
      writeFiles(dir, { 'package.json': '{ "name": "@acme/kv-web" }' });
      assert.equal(await detectProjectName(dir), '@acme/kv-web');
    });

    it('falls back to the folder name, also past a broken package.json', async () => {
      writeFiles(dir, { 'package.json': '{ not json' });
      assert.equal(await detectProjectName(dir), path.basename(dir));
    });

    it('reads only [package] name from Cargo.toml', () => {
      assert.equal(cargoPackageName("[dependencies]\nname = 'x'\n[package]\nname = 'kv'\n"), 'kv');
      assert.equal(cargoPackageName('[workspace]\nmembers = []\n'), undefined);
    });

    it('quotes the name when a plain YAML scalar would not read back as the same string', () => {
      assert.equal(yamlScalar('kvstore'), 'kvstore');
      assert.equal(yamlScalar('kv-store_2.0'), 'kv-store_2.0');
      for (const name of ['@acme/kv-web', 'yes', 'null', '1.0', 'a: b', '#x', "it's", 'ünïcode']) {
        const scalar = yamlScalar(name);
        assert.equal(YAML.parse(`name: ${scalar}`).name, name, name);
      }
      assert.ok(!yamlScalar('a---b').includes('---'));
    });
  });

  it('writes config.md in the canonical shape chant reads', () => {
    const text = configText('@acme/kv-web', new Date(2026, 1, 8));
    assert.equal(
      text,
      '---\nproject:\n  name: "@acme/kv-web"\n\ndefaults:\n  prompt: standard\n---\n\n# Chant Configuration\n\nProject initialized on 2026-02-08.\n',
    );
    const config = parseConfig(text);
    assert.deepEqual(config.problems, []);
    assert.equal(config.projectName, '@acme/kv-web');
    assert.equal(config.defaultPrompt, 'standard');
  });

  it('has a prompt for each phase plus standard, each a valid chant prompt', () => {
    for (const silent of [false, true]) {
      const texts = promptTexts({ silent });
      assert.deepEqual(Object.keys(texts).sort(), [...SCAFFOLD_PROMPTS].sort());
      for (const name of SCAFFOLD_PROMPTS) {
        const split = splitFrontmatter(texts[name]);
        assert.ok(split.hasFrontmatter, name);
        const fm = YAML.parse(split.yaml) as { name: string; extends?: string };
        assert.equal(fm.name, name);
        if (fm.extends) {
          assert.ok((SCAFFOLD_PROMPTS as readonly string[]).includes(fm.extends), `${name} extends a scaffolded prompt`);
          assert.ok(texts[name].includes(`{{> ${fm.extends}}}`), `${name} includes its parent`);
        }
        // Only variables chant substitutes (CHANT-FORMAT §7.3).
        for (const variable of texts[name].match(/\{\{[^}]*\}\}/g) ?? []) {
          assert.match(variable, /^\{\{(project\.name|spec\.(id|title|description|path)|> \w[\w-]*)\}\}$/, `${name}: ${variable}`);
        }
      }
    }
    assert.match(promptTexts({ silent: true }).research, /silent mode/);
    assert.doesNotMatch(promptTexts({ silent: false }).research, /silent mode/);
  });

  it('creates .chant/ like chant init and refuses a second time', async () => {
    writeFiles(dir, { 'Cargo.toml': '[package]\nname = "kvstore"\n' });
    const result = await scaffoldProject(dir, { silent: false, now: new Date(2026, 1, 8) });
    assert.equal(result.projectName, 'kvstore');
    assert.equal(result.excludeFile, undefined);
    const chant = path.join(dir, '.chant');
    assert.ok(existsSync(path.join(chant, 'specs')));
    assert.deepEqual(readdirSync(path.join(chant, 'prompts')).sort(), SCAFFOLD_PROMPTS.map((n) => `${n}.md`).sort());
    assert.equal(readFileSync(path.join(chant, '.gitignore'), 'utf8'), CHANT_GITIGNORE);
    assert.match(readFileSync(path.join(chant, 'config.md'), 'utf8'), /^---\nproject:\n {2}name: kvstore\n/);
    assert.ok(result.created.includes('.chant/config.md'));
    // chant init's merge-driver line for spec files, appended to what .gitattributes already says.
    assert.equal(result.attributesFile, path.join(dir, '.gitattributes'));
    assert.equal(readFileSync(path.join(dir, '.gitattributes'), 'utf8'), `${MERGE_DRIVER_ATTRIBUTE}\n`);
    await assert.rejects(scaffoldProject(dir, { silent: false }), ScaffoldError);
    writeFileSync(path.join(dir, '.gitattributes'), '*.png binary');
    await addMergeDriverAttribute(path.join(dir, '.gitattributes'));
    await addMergeDriverAttribute(path.join(dir, '.gitattributes'));
    assert.equal(readFileSync(path.join(dir, '.gitattributes'), 'utf8'), `*.png binary\n${MERGE_DRIVER_ATTRIBUTE}\n`);
  });

  it('keeps files that already exist', async () => {
    writeFiles(dir, { '.chant/prompts/standard.md': 'mine\n' });
    const result = await scaffoldProject(dir, { silent: false });
    assert.equal(readFileSync(path.join(dir, '.chant/prompts/standard.md'), 'utf8'), 'mine\n');
    assert.deepEqual(result.kept, ['.chant/prompts/standard.md']);
  });

  it('silent mode lists .chant/ in the common git dir, once, and needs a repository', async () => {
    await assert.rejects(scaffoldProject(dir, { silent: true }), /not inside a git repository/);
    assert.equal(existsSync(path.join(dir, '.chant')), false, 'nothing written without git');
    initRepo(dir, { commit: true });
    const result = await scaffoldProject(dir, { silent: true });
    assert.equal(result.excludeFile, path.join(dir, '.git', 'info', 'exclude'));
    assert.equal(await isSilentMode(dir), true);
    assert.equal(git(dir, 'status', '--porcelain'), '', '.chant/ is invisible to git (and no .gitattributes was written)');
    assert.equal(result.attributesFile, path.join(dir, '.git', 'info', 'attributes'));
    assert.equal(git(dir, 'check-attr', 'merge', '--', '.chant/specs/x.md').trim(), '.chant/specs/x.md: merge: chant-spec');
    await addSilentExclude((await findGitCommonDir(dir))!);
    const lines = readFileSync(result.excludeFile!, 'utf8').split('\n').filter((l) => l.trim() === '.chant/');
    assert.equal(lines.length, 1);
  });

  it('silent mode from a linked worktree writes the shared exclude file', async () => {
    initRepo(dir, { commit: true });
    const worktree = path.join(dir, 'wt');
    git(dir, 'worktree', 'add', '-q', worktree, '-b', 'side');
    const result = await scaffoldProject(worktree, { silent: true });
    assert.equal(result.excludeFile, path.join(dir, '.git', 'info', 'exclude'));
  });

  it('appends after an exclude file without a final newline', async () => {
    initRepo(dir);
    const exclude = path.join(dir, '.git', 'info', 'exclude');
    writeFileSync(exclude, '*.log');
    await addSilentExclude(path.join(dir, '.git'));
    assert.equal(readFileSync(exclude, 'utf8'), '*.log\n.chant/\n');
  });
});
