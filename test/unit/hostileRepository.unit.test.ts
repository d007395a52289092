// Issue 11: a repository is untrusted input. One payload per finding (1-11), each against the real
// mechanism in a hostile repository made in temporary folders (hostileRepo.ts).
import * as assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { outsideEntries, ProjectFiles } from '../../src/core/project/containment';
import { parseConfig } from '../../src/core/project/config';
import { detectDrift, expandGlob, newGlobBudget, nodeDriftFs, type DriftFs } from '../../src/core/project/drift';
import { ProjectPaths } from '../../src/core/project/project';
import { SpecIndex } from '../../src/core/project/specIndex';
import { lintSpec } from '../../src/core/project/specLint';
import { carryCheckedCriteria } from '../../src/core/spec/criteriaEdit';
import { specLayout } from '../../src/core/spec/frontmatterRanges';
import { setFields } from '../../src/core/spec/specEdit';
import { isRunnableSpecId } from '../../src/core/spec/ids';
import { parseSpec } from '../../src/core/spec/specParser';
import { shQuote } from '../../src/core/workflow/commandLine';
import { draftPrBody } from '../../src/core/workflow/prBody';
import { assemblePrompt, PromptError } from '../../src/core/workflow/prompt';
import { runChecks } from '../../src/core/workflow/runChecks';
import { RunGitError } from '../../src/git/runGit';
import { finishDirectRun, mergeSpecBranch, prepareDirectRun } from '../../src/runs/directRun';
import { CONFIG, ENV_NAME, HostileFixture, ID, leaksSecret, READY, SCRIPTED_AGENT, SECRETS, specText, writeText } from './hostileRepo';
import { repoRoot } from './paths';
import { git } from './tempRepo';


describe('hostile repositories (issue 11)', function () {
  this.timeout(30_000);
  const fx = new HostileFixture();

  it('1. the prompt holds no file from outside the project: absolute, .., /proc, symlinks, prompts, extensions', async () => {
    fx.make({
      [`.chant/specs/${ID}.md`]: specText(
        `target_files:\n- src/thing.txt\ncontext:\n- CONTEXT_ABSOLUTE\n- ../home/.ssh/id_rsa\n- /proc/self/environ\n- linked-home/x.md\ninformed_by:\n- docs/design.md\n- https://example.com/issue/1\n`,
      ),
    });
    const file = fx.paths.specFile(ID);
    writeFileSync(file, readFileSync(file, 'utf8').replace('CONTEXT_ABSOLUTE', path.join(fx.repo.home, '.ssh', 'id_rsa')));
    // The pull request also adds a prompt that would print the context.
    writeText(fx.paths.promptFile('standard'), 'Context:\n{{spec.context}}\n');
    process.env[ENV_NAME] = SECRETS.env;
    try {
      const plan = await prepareDirectRun(fx.options({ spec: fx.spec() }));
      const prompt = readFileSync(plan.promptFile, 'utf8');
      assert.equal(leaksSecret(prompt), undefined, prompt);
      assert.match(prompt, /informed_by entry docs\/design\.md points outside the project \(a symbolic link to a place outside the project\): not sent to the agent/);
      assert.match(prompt, /https:\/\/example\.com\/issue\/1/, 'URLs are listed');
    } finally {
      delete process.env[ENV_NAME];
    }
    // A prompt file that is a symlink out is refused; the extension named `../../../home/x` is skipped.
    const evil = parseSpec(specText('prompt: evil\n'), { id: ID, path: fx.paths.specFile(ID) });
    await assert.rejects(assemblePrompt(evil, specText('prompt: evil\n'), parseConfig(CONFIG), fx.paths), (e: unknown) => e instanceof PromptError && /outside the project/.test(e.message));
    const plain = parseSpec(specText(''), { id: ID, path: fx.paths.specFile(ID) });
    const assembled = await assemblePrompt(plain, specText(''), parseConfig(CONFIG), fx.paths);
    assert.equal(leaksSecret(assembled.text), undefined);

    // The editor and the pre-run checks name every such entry.
    const hostile = fx.spec();
    const outside = await outsideEntries(
      hostile,
      parseConfig(CONFIG).promptExtensions,
      new ProjectFiles(fx.repo.project),
    );
    assert.deepEqual(
      outside.map((o) => `${o.field} ${o.entry}`),
      [
        'informed_by docs/design.md',
        `context ${path.join(fx.repo.home, '.ssh', 'id_rsa')}`,
        'context ../home/.ssh/id_rsa',
        'context /proc/self/environ',
        'context linked-home/x.md',
        'prompt_extensions ../../../home/x',
      ],
    );
    const checks = runChecks({
      spec: hostile,
      readiness: READY,
      hasCommits: true,
      promptExists: true,
      outside,
      rerun: true,
    });
    assert.ok(checks.some((c) => c.kind === 'confirm' && c.code === 'outside-project' && c.message.includes('informed_by entry docs/design.md points outside the project')));
    const text = readFileSync(fx.paths.specFile(ID), 'utf8');
    const problems = await lintSpec(hostile, text, specLayout(text), {
      specs: new Map(),
      root: fx.repo.project,
      promptFile: (name) => fx.paths.promptFile(name),
      exists: async (f) => existsSync(f),
    });
    assert.equal(problems.filter((p) => p.code === 'outside-project').length, 5);
  });

  it('2. a PR body quotes research documents from inside .chant/research only', async () => {
    fx.make({
      [`.chant/specs/${ID}.md`]: specText('target_files:\n- .chant/research/ok.md\n- .chant/research/../../../home/.ssh/id_rsa\n- .chant/research/../../docs/design.md\n- .chant/research/../../README.md\n'),
      '.chant/research/ok.md': '# Research\n\n## Summary\nThe cache is stale.\n\n## Details\nmore\n',
    });
    const draft = await draftPrBody([fx.spec()], fx.spec(), fx.repo.project);
    assert.equal(leaksSecret(draft.body), undefined);
    assert.match(draft.body, /The cache is stale\./);
    assert.doesNotMatch(draft.body, /# demo/, 'README.md is in the project but not a research document');
    assert.deepEqual(
      draft.skipped.map((s) => s.entry),
      ['.chant/research/../../../home/.ssh/id_rsa', '.chant/research/../../docs/design.md', '.chant/research/../../README.md'],
    );
  });

  it('3. a nested project folder with shell syntax in its name runs nothing, in every shell', async () => {
    const nested = "sub'; touch PWNED; '\\'x $(touch PWNED) `touch PWNED`\ntouch PWNED";
    fx.make({ [`${nested}/.chant/config.md`]: CONFIG.replace(/  prompt_extensions.*\n/, ''), [`${nested}/.chant/specs/${ID}.md`]: specText('target_files:\n- out.txt\n', "Fix the bug\\';touch PWNED;\\'") });
    fx.paths = new ProjectPaths(path.join(fx.repo.project, nested));
    // --no-commit: the same plan runs once per shell.
    const plan = await prepareDirectRun(fx.options({ spec: fx.spec(), agentCommand: `node ${shQuote(SCRIPTED_AGENT)} --no-commit --prompt \${promptFile}` }));
    assert.match(plan.commandLine, /^\/[A-Za-z0-9_./-]*\/sh \/[A-Za-z0-9_./-]+$/);
    for (const shell of ['bash', 'sh', 'zsh', 'fish']) {
      if (spawnSync('sh', ['-c', `command -v ${shell}`]).status !== 0) continue;
      assert.equal(fx.runAgent(plan, shell), 0, shell);
    }
    const markers = (readdirSync(fx.repo.base, { recursive: true }) as string[]).filter((f) => path.basename(f) === 'PWNED');
    assert.deepEqual(markers, []);
  });

  it('4. a spec file named --chain is indexed with a problem and never run', async () => {
    fx.make({ '.chant/specs/--chain.md': specText(''), [`.chant/specs/${ID}.md`]: specText('') });
    const index = await SpecIndex.load(fx.repo.project);
    const chain = index.specs.get('--chain')!;
    assert.ok(chain.problems.some((p) => p.code === 'invalid-id'));
    assert.equal(isRunnableSpecId('--chain'), false);
    assert.equal(isRunnableSpecId(ID), true);
    assert.equal(isRunnableSpecId(`proj_1-${ID}.2`), true);
    assert.deepEqual(
      runChecks({ spec: chain, readiness: READY, hasCommits: true, promptExists: true }).filter((c) => c.kind === 'refuse').map((c) => c.code),
      ['invalid-id'],
    );
  });

  it('5. copy-back never overwrites: a user edit made during the run, an ignored .env', async () => {
    fx.make({
      '.gitignore': '.env\n',
      [`.chant/specs/${ID}.md`]: specText('target_files:\n- .env\n- .chant/research/new.md\ninformed_by:\n- .chant/research/input.md\n'),
      '.chant/research/input.md': 'input as committed\n',
      '.env': 'USER-DATABASE-PASSWORD\n',
    }, {}, { silent: true });
    writeFileSync(path.join(fx.repo.project, '.env'), 'USER-DATABASE-PASSWORD\n');
    const plan = await prepareDirectRun(fx.options({ silent: true }));
    // The user edits the input while the agent works.
    writeFileSync(path.join(fx.repo.project, '.chant/research/input.md'), 'input edited by the user during the run\n');
    assert.equal(fx.runAgent(plan), 0);
    const result = await finishDirectRun(plan, 0, { projectPaths: fx.paths });
    assert.equal(readFileSync(path.join(fx.repo.project, '.chant/research/input.md'), 'utf8'), 'input edited by the user during the run\n');
    assert.equal(readFileSync(path.join(fx.repo.project, '.env'), 'utf8'), 'USER-DATABASE-PASSWORD\n');
    assert.deepEqual(result.copiedBack, ['.chant/research/new.md']);
    assert.deepEqual(result.keptBeside, [{ file: '.env', beside: `.env.agent-${ID}` }]);
    assert.match(readFileSync(path.join(fx.repo.project, `.env.agent-${ID}`), 'utf8'), /scripted agent/);
    assert.ok(result.notices.some((n) => n.includes('.env changed in the main checkout')));
  });

  it('6. Start Over keeps a paused run\'s ignored research document and lists any other file it would delete', async () => {
    fx.make({ [`.chant/specs/${ID}.md`]: specText('target_files:\n- .chant/research/doc.md\n') }, {}, { silent: true });
    const plan = await prepareDirectRun(fx.options({ silent: true }));
    assert.equal(fx.runAgent(plan), 0);
    // Paused: never finished. The worktree also holds an ignored build output.
    writeText(path.join(plan.workDir, 'build', 'out.bin'), 'build output\n');
    writeFileSync(path.join(fx.repo.project, '.git', 'info', 'exclude'), 'build/\n', { flag: 'a' });
    const doc = readFileSync(path.join(plan.workDir, '.chant/research/doc.md'), 'utf8');
    await assert.rejects(prepareDirectRun(fx.options({ silent: true, startOver: true })), (e: unknown) => e instanceof RunGitError && e.reason === 'would-delete' && e.files.includes('build/out.bin'));
    assert.equal(readFileSync(path.join(fx.repo.project, '.chant/research/doc.md'), 'utf8'), doc, 'the research document was kept in the main checkout');
    assert.ok(existsSync(path.join(plan.workDir, 'build', 'out.bin')), 'nothing unconfirmed was deleted');
    const again = await prepareDirectRun(fx.options({ silent: true, startOver: true, confirmedDeletes: ['build/out.bin'] }));
    assert.ok(again.notices.some((n) => /kept on/.test(n)));
  });

  it('7. Merge refuses a branch: field that is not the spec\'s own branch', async () => {
    fx.make({ [`.chant/specs/${ID}.md`]: specText('branch: feature-x\n') });
    git(fx.repo.project, 'branch', 'feature-x');
    const head = git(fx.repo.project, 'rev-parse', 'HEAD');
    await assert.rejects(mergeSpecBranch(fx.paths, parseConfig(CONFIG), ID, { branch: 'feature-x' }), /Refusing to merge feature-x: .*chant\/2026-02-08-001-r4x/);
    assert.equal(git(fx.repo.project, 'rev-parse', 'HEAD'), head);
    assert.equal(git(fx.repo.project, 'branch', '--list', 'feature-x').trim(), 'feature-x');
  });

  it('8. drift never looks outside the project, and a glob has a budget', async () => {
    fx.make({ [`.chant/specs/${ID}.md`]: specText(''), 'src/a.txt': 'a\n' });
    const completed = { ...fx.spec(), status: 'completed' as const, completedAt: '2020-01-01T00:00:00Z', tracks: ['/**', '../**', 'linked-home/**', 'src/*/../../../home/*', 'docs/*'], origin: [], informedBy: [] };
    const report = await detectDrift(completed, fx.repo.project);
    assert.deepEqual(report.outside, ['/**', '../**', 'linked-home/**']);
    assert.equal(report.files.some((f) => path.isAbsolute(f.path) || f.path.startsWith('..') || f.path.startsWith('linked-home')), false);
    assert.equal(report.files.some((f) => f.path === 'docs/design.md'), false, 'a symlink out is outside');
    const budget = newGlobBudget(3);
    await expandGlob('**', fx.repo.project, undefined, budget);
    assert.equal(budget.exhausted, true);
  });

  it('8b. drift stats, lists and reads nothing outside the project, whatever the pattern', async () => {
    // Inside: a file written after the completion (drifted). Outside: a home full of files, also
    // newer, reached by every way out a pattern has: `/`, `..`, a linked folder, a linked file
    // matched by a glob, a linked folder matched by a glob's middle component.
    fx.make({ [`.chant/specs/${ID}.md`]: specText(''), 'src/a.txt': 'a\n', 'src/b.txt': 'b\n' });
    for (let i = 0; i < 50; i++) writeText(path.join(fx.repo.home, 'many', `f${i}.md`), 'outside\n');
    symlinkSync(path.join(fx.repo.home, 'x.md'), path.join(fx.repo.project, 'src', 'linked-file.txt'));
    symlinkSync(path.join(fx.repo.home, 'many'), path.join(fx.repo.project, 'src', 'linked-dir'));
    const tracks = ['/**', '../**', `${fx.repo.home}/**`, 'linked-home/**', 'src/*', 'src/*/f1.md', '**/*.md', 'src/linked-file.txt'];
    const completed = { ...fx.spec(), status: 'completed' as const, completedAt: '2020-01-01T00:00:00Z', tracks, origin: [], informedBy: [] };
    const realProject = realpathSync(fx.repo.project);
    const touched: string[] = [];
    const recording: DriftFs = {
      stat: (file) => (touched.push(file), nodeDriftFs.stat(file)),
      readdir: (dir) => (touched.push(dir), nodeDriftFs.readdir(dir)),
      // Resolving a path is how containment decides; it reads no file and no folder listing.
      realpath: (file) => nodeDriftFs.realpath!(file),
    };
    const report = await detectDrift(completed, fx.repo.project, recording);
    const outside = touched.filter((file) => {
      const real = (() => {
        try {
          return realpathSync(file);
        } catch {
          return path.resolve(file);
        }
      })();
      return real !== realProject && !real.startsWith(realProject + path.sep);
    });
    assert.deepEqual([...new Set(outside)], [], 'stat or readdir reached outside the project');
    assert.deepEqual(report.outside, ['/**', '../**', `${fx.repo.home}/**`, 'linked-home/**', 'src/linked-file.txt']);
    // Every drifted file is a file of the project (the `**/*.md` finds its markdown); none outside.
    assert.deepEqual(report.files.map((f) => f.path).sort(), ['.chant/config.md', `.chant/specs/${ID}.md`, 'README.md', 'src/a.txt', 'src/b.txt']);
    // The editor names each refused pattern as written, not the folder it starts from.
    const text = specText('tracks:\n- /**\n- ../**\n- linked-home/**\n');
    const problems = await lintSpec(parseSpec(text, { id: ID, path: fx.paths.specFile(ID) }), text, specLayout(text), {
      specs: new Map(),
      root: fx.repo.project,
      promptFile: (name) => fx.paths.promptFile(name),
      exists: async (f) => existsSync(f),
    });
    const named = problems.filter((p) => p.code === 'outside-project').map((p) => /^tracks entry (\S+) points outside the project \(.+\): drift never looks at it$/.exec(p.message)?.[1]);
    assert.deepEqual(named, ['/**', '../**', 'linked-home/**']);
  });

  it('9. a spec save killed with SIGKILL mid-write leaves the old or the new file whole (and the harness catches a plain write)', async function () {
    this.timeout(120_000);
    fx.make({ [`.chant/specs/${ID}.md`]: specText('') });
    const file = fx.paths.specFile(ID);
    // A large spec (8 MB body): one save takes long enough for a kill to land in the middle of it.
    const original = specText('', 'A large spec', ['Big']) + `\n${'lorem ipsum dolor sit amet\n'.repeat(300_000)}`;
    const whole = new Set([original, setFields(original, { status: 'in_progress' }), setFields(original, { status: 'completed' })]);
    // The control: the same saves through a plain writeFile (truncate, then write) must be caught
    // torn by this harness, or the atomic case below would prove nothing.
    let tornPlain = 0;
    for (let attempt = 0; attempt < 20 && tornPlain === 0; attempt++) {
      writeFileSync(file, original);
      if (!whole.has(await killMidSave(file, 'plain'))) tornPlain++;
    }
    assert.ok(tornPlain > 0, 'the harness never caught a plain writeFile torn: the kills do not land mid-save');
    // The real lossless spec writer (directRun's fsSpecWriter over writeFileAtomic), killed mid-save.
    for (let attempt = 0; attempt < 12; attempt++) {
      writeFileSync(file, original);
      const text = await killMidSave(file, 'atomic');
      assert.ok(whole.has(text), `attempt ${attempt}: a torn file of ${text.length} characters (whole files have ${original.length}±)`);
    }
    const left = readdirSync(path.dirname(file)).filter((name) => name.endsWith('.tmp'));
    assert.ok(left.every((name) => name.startsWith(`.${ID}.md.`)), `only the writer's own temporary files are left: ${left.join(', ')}`);
  });

  it('10. the agent\'s ticks land on the criteria with the same text after the user edited the list', async () => {
    fx.make({ [`.chant/specs/${ID}.md`]: specText('target_files:\n- src/thing.txt\n') });
    const plan = await prepareDirectRun(fx.options());
    // During the run the user inserts a criterion first and drops "Thing committed".
    const file = fx.paths.specFile(ID);
    writeFileSync(file, readFileSync(file, 'utf8').replace('- [ ] Thing exists\n- [ ] Thing committed', '- [ ] A new first criterion\n- [ ] Thing exists'));
    assert.equal(fx.runAgent(plan), 0);
    const result = await finishDirectRun(plan, 0, { projectPaths: fx.paths });
    const text = readFileSync(file, 'utf8');
    assert.match(text, /- \[ \] A new first criterion\n- \[x\] Thing exists/);
    assert.deepEqual(result.lostCriteria, ['Thing committed']);
    assert.deepEqual(carryCheckedCriteria('## Acceptance Criteria\n\n- [ ] b\n- [ ] a\n', [{ text: 'a', checked: true }]).text, '## Acceptance Criteria\n\n- [ ] b\n- [x] a\n');
  });

  it('11. two files with one id: both reported, deleting either keeps the other, runs refuse it', async () => {
    fx.make({ [`.chant/specs/${ID}.md`]: specText('', 'First'), [`.chant/specs/sub/${ID}.md`]: specText('', 'Second') });
    const index = await SpecIndex.load(fx.repo.project);
    const files = index.filesOf(ID);
    assert.equal(files.length, 2);
    assert.deepEqual(
      runChecks({ spec: index.specs.get(ID)!, readiness: READY, hasCommits: true, promptExists: true, filesWithId: files }).map((c) => c.kind === 'refuse' && c.code),
      ['duplicate-id'],
    );
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const problems = await lintSpec(parseSpec(text, { id: ID, path: file }), text, specLayout(text), {
        specs: index.specs,
        root: fx.repo.project,
        promptFile: (name) => fx.paths.promptFile(name),
        exists: async () => true,
        filesWithId: (id) => index.filesOf(id),
      });
      assert.ok(problems.some((p) => p.code === 'duplicate-id'), file);
    }
    const active = index.specs.get(ID)!.path;
    const other = files.find((f) => f !== active)!;
    execFileSync('rm', [active]);
    await index.updateFile(active);
    assert.equal(index.specs.get(ID)?.path, other, 'the other file took over');
    assert.deepEqual(index.filesOf(ID), [other]);
    execFileSync('rm', [other]);
    await index.updateFile(other);
    assert.equal(index.specs.has(ID), false);
  });
});

const OUT = path.join(repoRoot, 'out-test', 'src');

/**
 * Runs a real Node process that saves `file` over and over (status in_progress, completed, …),
 * through the lossless spec writer (`atomic`) or a plain read-modify-writeFile (`plain`), kills it
 * with SIGKILL at a random moment within a save once it has saved twice, and returns the file's
 * text afterwards.
 */
async function killMidSave(file: string, how: 'atomic' | 'plain'): Promise<string> {
  const script = `
    const fs = require('node:fs');
    const { fsSpecWriter } = require(${JSON.stringify(path.join(OUT, 'runs', 'directRun.js'))});
    const { setFields } = require(${JSON.stringify(path.join(OUT, 'core', 'spec', 'specEdit.js'))});
    const file = ${JSON.stringify(file)};
    (async () => {
      for (let i = 0; ; i++) {
        const change = (text) => setFields(text, { status: i % 2 ? 'completed' : 'in_progress' });
        if (${JSON.stringify(how)} === 'atomic') await fsSpecWriter(file, change);
        else {
          // A plain in-place write (truncate, then the bytes in 64 KB pieces, as a stream writes):
          // the file is torn for most of the save, so a kill at a random moment finds it torn.
          const bytes = Buffer.from(change(await fs.promises.readFile(file, 'utf8')));
          const handle = await fs.promises.open(file, 'w');
          for (let at = 0; at < bytes.length; at += 65536) await handle.write(bytes.subarray(at, at + 65536));
          await handle.close();
        }
        process.stdout.write('saved\\n');
      }
    })();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const saves: number[] = [];
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 0x0a) saves.push(Date.now());
      if (saves.length >= 2) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the writer exited (${code}) before it saved twice`)));
  });
  // Somewhere within the next save: a random moment up to one save's duration from now.
  const oneSave = Math.max(1, saves[1] - saves[0]);
  await new Promise((resolve) => setTimeout(resolve, Math.random() * oneSave));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  return readFileSync(file, 'utf8');
}
