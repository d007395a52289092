// Issue 19: hostile repositories, round 2. Each test reproduces an attack as the audit did it
// (a committed link, a reused pid, a relative PATH entry, …) against the real mechanism, in a
// hostile repository made in temporary folders (hostileRepo.ts), and checks that it does nothing.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { removeTempLeftovers } from '../../src/core/project/atomicWrite';
import { SpecIndex } from '../../src/core/project/specIndex';
import { setFields, SpecEditError } from '../../src/core/spec/specEdit';
import { issueReportMarkdown } from '../../src/core/workflow/issueImport';
import { scaffoldProject } from '../../src/core/workflow/scaffold';
import { ProjectPaths } from '../../src/core/project/project';
import { appendProjectFile, LinkRefusedError, readProjectFile, removeProjectTempLeftovers, writeProjectFile } from '../../src/core/project/safeFiles';
import { isRunProcess, processStartTime } from '../../src/core/runs/processIdentity';
import { parseStatusFile, shellScript, shQuote, writeShellScript } from '../../src/core/workflow/commandLine';
import { snapshotDocuments } from '../../src/core/workflow/researchReview';
import { finishDirectRun, prepareDirectRun, sensitiveInputs } from '../../src/runs/directRun';
import { outsideEntries, ProjectFiles } from '../../src/core/project/containment';
import { runChecks } from '../../src/core/workflow/runChecks';
import { RunGit } from '../../src/git/runGit';
import { HostileFixture, ID, makeHostileRepo, READY, SCRIPTED_AGENT, specText, writeText } from './hostileRepo';
import { git } from './tempRepo';


describe('hostile repositories, round 2 (issue 19)', function () {
  this.timeout(30_000);
  const fx = new HostileFixture();

  const outsideFile = (name: string, text: string): string => {
    const file = path.join(fx.repo.base, 'x', name);
    writeText(file, text);
    return file;
  };

  describe('1. no write through a link the repository committed', () => {
    it('the wrapper\'s exit code never goes to .chant/specs/.chant-status-<id>.json.code -> ../../.env: the ignored .env keeps its bytes', async () => {
      fx.make({ '.gitignore': '.env\n', [`.chant/specs/${ID}.md`]: specText('target_files:\n- out.txt\n') }, { [`.chant/specs/.chant-status-${ID}.json.code`]: '../../.env' });
      writeFileSync(path.join(fx.repo.project, '.env'), 'DATABASE_PASSWORD=hunter2\n');
      const plan = await prepareDirectRun(fx.options());
      assert.ok(!plan.statusFile.startsWith(fx.repo.project), `the status file ${plan.statusFile} is outside the project`);
      assert.equal(fx.runAgent(plan), 0);
      assert.equal(readFileSync(path.join(fx.repo.project, '.env'), 'utf8'), 'DATABASE_PASSWORD=hunter2\n');
      const result = await finishDirectRun(plan, 0, { projectPaths: fx.paths });
      assert.equal(result.status, 'completed', result.reason);
      assert.equal(readFileSync(path.join(fx.repo.project, '.env'), 'utf8'), 'DATABASE_PASSWORD=hunter2\n');
    });

    it('a log committed as a link to a file outside (.chant/logs/<id>.log -> bashrc) is refused: nothing is appended to it', async () => {
      fx.make({ [`.chant/specs/${ID}.md`]: specText('target_files:\n- out.txt\n') }, { [`.chant/logs/${ID}.log`]: '../../../x/bashrc' });
      const bashrc = outsideFile('bashrc', 'export PS1=$\n');
      await assert.rejects(prepareDirectRun(fx.options()), (e: unknown) => e instanceof LinkRefusedError && e.message.includes(`.chant/logs/${ID}.log`) && /symbolic link/.test(e.message));
      assert.equal(readFileSync(bashrc, 'utf8'), 'export PS1=$\n');
    });

    it('a runs folder committed as a link to another repository (.chant/logs/runs -> ../../../x/otherrepo) is refused: its .gitignore is untouched', async () => {
      fx.make({ [`.chant/specs/${ID}.md`]: specText('target_files:\n- out.txt\n') }, { '.chant/logs/runs': '../../../x/otherrepo' });
      const other = outsideFile('otherrepo/.gitignore', 'node_modules/\n');
      await assert.rejects(prepareDirectRun(fx.options()), (e: unknown) => e instanceof LinkRefusedError && e.message.includes('.chant/logs/runs'));
      assert.equal(readFileSync(other, 'utf8'), 'node_modules/\n');
      assert.deepEqual(readdirSync(path.dirname(other)), ['.gitignore'], 'nothing was created in the other folder');
    });

    it('a .chant/tmp committed as a link out: the prompt, the .gitignore and the review copies are never written through it', async () => {
      fx.make(
        { [`.chant/specs/${ID}.md`]: specText('target_files:\n- .chant/research/doc.md\n'), '.chant/research/doc.md': '# doc\n' },
        { '.chant/tmp': '../../x/elsewhere' },
      );
      mkdirSync(path.join(fx.repo.base, 'x', 'elsewhere'), { recursive: true });
      writeFileSync(path.join(fx.repo.base, 'x', 'elsewhere', 'keep.txt'), 'kept\n');
      await assert.rejects(prepareDirectRun(fx.options()), LinkRefusedError);
      await assert.rejects(snapshotDocuments(fx.repo.project, { id: ID, targetFiles: ['.chant/research/doc.md'] }), LinkRefusedError);
      assert.deepEqual(readdirSync(path.join(fx.repo.base, 'x', 'elsewhere')), ['keep.txt']);
    });

    it('a link put in the log\'s place after the extension checked it stops the wrapper before it writes', async () => {
      fx.make({ [`.chant/specs/${ID}.md`]: specText('target_files:\n- out.txt\n') });
      const plan = await prepareDirectRun(fx.options());
      const bashrc = outsideFile('bashrc', 'export PS1=$\n');
      rmSync(plan.logFile);
      symlinkSync(bashrc, plan.logFile);
      assert.equal(fx.runAgent(plan), 1);
      assert.equal(readFileSync(bashrc, 'utf8'), 'export PS1=$\n');
      assert.deepEqual(parseStatusFile(readFileSync(plan.statusFile, 'utf8')), { status: 'done', exitCode: 1 });
    });

    it('Initialize in a repository whose .gitattributes and .chant/prompts are links out appends and writes nothing through them', async () => {
      fx.repo = makeHostileRepo();
      fx.paths = new ProjectPaths(fx.repo.project);
      rmSync(path.join(fx.repo.project, '.chant'), { recursive: true, force: true });
      const bashrc = outsideFile('bashrc', 'export PS1=$\n');
      symlinkSync(bashrc, path.join(fx.repo.project, '.gitattributes'));
      await assert.rejects(scaffoldProject(fx.repo.project, { silent: false }), LinkRefusedError);
      assert.equal(readFileSync(bashrc, 'utf8'), 'export PS1=$\n');
      rmSync(path.join(fx.repo.project, '.chant'), { recursive: true, force: true });
      mkdirSync(path.join(fx.repo.project, '.chant'));
      symlinkSync(path.join(fx.repo.base, 'x'), path.join(fx.repo.project, '.chant', 'prompts'));
      await assert.rejects(scaffoldProject(fx.repo.project, { silent: false }), LinkRefusedError);
      assert.deepEqual(readdirSync(path.join(fx.repo.base, 'x')), ['bashrc']);
    });

    it('the index reads no spec through a link, in a linked folder or from a pipe, on load or on a watcher event', async () => {
      fx.make({ [`.chant/specs/${ID}.md`]: specText('') });
      const secret = outsideFile('secret.md', '---\nstatus: pending\n---\n# SECRET TITLE\n');
      const folderOut = path.dirname(secret);
      const specs = fx.paths.specsDir;
      const index = await SpecIndex.load(fx.paths.root);
      const linked = path.join(specs, '2026-01-01-001-lnk.md');
      symlinkSync(secret, linked);
      symlinkSync(folderOut, path.join(specs, 'out'));
      const inLinkedFolder = path.join(specs, 'out', 'secret.md');
      const pipe = path.join(specs, '2026-01-01-002-fif.md');
      spawnSync('mkfifo', [pipe]);
      assert.ok(lstatSync(pipe).isFIFO(), 'a pipe stands as a spec file');
      // The watcher names each of them (a checkout of a pull request that committed them).
      assert.equal((await index.updateFile(linked)).kind, 'unchanged');
      assert.equal((await index.updateFile(inLinkedFolder)).kind, 'unchanged');
      assert.equal((await index.updateFile(pipe)).kind, 'unchanged', 'the pipe is not waited on');
      const burst = await index.updateFiles([linked, inLinkedFolder, pipe]);
      assert.deepEqual(burst.map((change) => change.kind), ['unchanged', 'unchanged', 'unchanged']);
      // A fresh load lists none of them either.
      const fresh = await SpecIndex.load(fx.paths.root);
      for (const one of [index, fresh]) {
        assert.deepEqual([...one.specs.keys()], [ID]);
        assert.ok(![...one.specs.values()].some((spec) => spec.title === 'SECRET TITLE'));
      }
    });

    it('the safe-files helper refuses links, special files and hard links; creates missing folders for real', async () => {
      fx.make({ [`.chant/specs/${ID}.md`]: specText('') }, { 'linked-dir': '../x', 'linked-file.md': '../x/secret.md' });
      const secret = outsideFile('secret.md', 'SECRET\n');
      await assert.rejects(writeProjectFile(fx.repo.project, path.join(fx.repo.project, 'linked-dir', 'a.txt'), 'x'), LinkRefusedError);
      await assert.rejects(writeProjectFile(fx.repo.project, path.join(fx.repo.project, 'linked-file.md'), 'x'), LinkRefusedError);
      await assert.rejects(appendProjectFile(fx.repo.project, path.join(fx.repo.project, 'linked-file.md'), 'x'), LinkRefusedError);
      await assert.rejects(readProjectFile(fx.repo.project, path.join(fx.repo.project, 'linked-file.md')), LinkRefusedError);
      linkSync(secret, path.join(fx.repo.project, 'hard.md'));
      await assert.rejects(appendProjectFile(fx.repo.project, path.join(fx.repo.project, 'hard.md'), 'x'), /hard link/);
      assert.equal(readFileSync(secret, 'utf8'), 'SECRET\n');
      await writeProjectFile(fx.repo.project, path.join(fx.repo.project, 'a', 'b', 'c.txt'), 'ok\n');
      assert.ok(lstatSync(path.join(fx.repo.project, 'a', 'b')).isDirectory());
      assert.equal(await readProjectFile(fx.repo.project, path.join(fx.repo.project, 'a', 'b', 'c.txt')), 'ok\n');
      assert.equal(await readProjectFile(fx.repo.project, path.join(fx.repo.project, 'a', 'missing.txt')), undefined);
    });
  });

  describe('6. secrets stay home', () => {
    it('context: [.git/config] (a token in a remote URL) is never read, and the worktree run starts', async () => {
      fx.make({ [`.chant/specs/${ID}.md`]: specText('target_files:\n- out.txt\ncontext:\n- .git/config\n- .git\n'), '.chant/prompts/standard.md': 'Context:\n{{spec.context}}\n{{spec}}\n' });
      git(fx.repo.project, 'remote', 'add', 'origin', 'https://x-access-token:ghp_SECRETTOKEN123@github.com/o/r.git');
      const outside = await outsideEntries(fx.options().spec, [], new ProjectFiles(fx.repo.project));
      assert.deepEqual(outside.map((o) => `${o.entry}: ${o.why}`), [".git/config: inside the repository's .git folder", ".git: inside the repository's .git folder"]);
      const plan = await prepareDirectRun(fx.options());
      const prompt = readFileSync(plan.promptFile, 'utf8');
      assert.doesNotMatch(prompt, /ghp_SECRETTOKEN123/);
      assert.match(prompt, /context entry \.git\/config points outside the project \(inside the repository's \.git folder\): not sent to the agent/);
    });

    it('context: [.env] (git-ignored) and secret-looking names are named by the pre-run check, which asks before anything is sent', async () => {
      fx.make({
        '.gitignore': '.env\nbuild/\n',
        [`.chant/specs/${ID}.md`]: specText('target_files:\n- out.txt\ncontext:\n- .env\n- deploy/id_ed25519\n- certs/server.pem\n- .npmrc\n- build/notes.md\n- docs/plain.md\ninformed_by:\n- config/credentials.json\n'),
        'deploy/id_ed25519': 'KEY\n',
        'certs/server.pem': 'PEM\n',
        '.npmrc': '//registry/:_authToken=abc\n',
        'docs/plain.md': 'plain\n',
        'config/credentials.json': '{}\n',
      });
      writeText(path.join(fx.repo.project, '.env'), 'API_KEY=SECRET-ENV-VALUE\n');
      writeText(path.join(fx.repo.project, 'build', 'notes.md'), 'ignored notes\n');
      const spec = fx.options().spec;
      const sensitive = await sensitiveInputs(fx.repo.project, spec, await RunGit.open(fx.repo.project));
      assert.deepEqual(sensitive.map((s) => `${s.field} ${s.entry}: ${s.why}`), [
        'informed_by config/credentials.json: a credentials file',
        'context .env: an environment file',
        'context deploy/id_ed25519: a key file',
        'context certs/server.pem: a key file',
        'context .npmrc: a credentials file',
        'context build/notes.md: ignored by git',
      ]);
      const checks = runChecks({ spec, readiness: READY, hasCommits: true, promptExists: true, sensitive });
      const ask = checks.find((c) => c.kind === 'confirm' && c.code === 'sensitive-inputs');
      assert.ok(ask && ask.kind === 'confirm' && ask.message.includes('context entry .env: an environment file') && ask.action === 'Send Them', JSON.stringify(checks));
      assert.equal(runChecks({ spec, readiness: READY, hasCommits: true, promptExists: true, sensitive, withSensitive: true }).some((c) => c.code === 'sensitive-inputs'), false);
    });

    it('in silent mode (.chant/ excluded from git) the earlier phases\' specs and research are no secrets: nothing to ask', async () => {
      fx.make({
        [`.chant/specs/${ID}.md`]: specText('target_files:\n- out.txt\ninformed_by:\n- .chant/research/phase-1.md\n- .chant/specs/2026-01-01-001-abc.md\ncontext:\n- .chant/.env\n'),
        '.chant/research/phase-1.md': '# Phase 1\n',
        '.chant/specs/2026-01-01-001-abc.md': specText(''),
        '.chant/.env': 'TOKEN=x\n',
      });
      fx.untrackChant();
      const sensitive = await sensitiveInputs(fx.repo.project, fx.options().spec, await RunGit.open(fx.repo.project));
      // A secret's name still counts inside .chant/; being ignored by git does not.
      assert.deepEqual(sensitive.map((s) => `${s.field} ${s.entry}: ${s.why}`), ['context .chant/.env: an environment file']);
    });
  });

  describe('7. silent mode keeps the agent\'s spec edits', () => {
    const NOTES = '\n## Agent Notes\n\nThe cache key misses the tenant id.\n';

    it('Start Over of a paused run keeps the agent\'s ticks and notes, where its notice says', async () => {
      fx.make({ [`.chant/specs/${ID}.md`]: specText('target_files:\n- .chant/research/doc.md\n') });
      fx.untrackChant();
      const plan = await prepareDirectRun(fx.options({ silent: true }));
      assert.equal(fx.runAgent(plan), 0);
      writeFileSync(plan.workSpecFile, readFileSync(plan.workSpecFile, 'utf8') + NOTES);
      const agentCopy = readFileSync(plan.workSpecFile, 'utf8');
      // Paused: never finished. Start Over removes the worktree.
      const again = await prepareDirectRun(fx.options({ silent: true, startOver: true }));
      const notice = again.notices.find((n) => n.includes("The agent's copy of"));
      assert.ok(notice, again.notices.join(' | '));
      const kept = /kept as (\S+)\.$/.exec(notice)![1];
      assert.equal(readFileSync(path.join(fx.repo.project, kept), 'utf8'), agentCopy);
      assert.match(kept, /^\.chant\/tmp\/agent-copies\//, 'never a second spec in specs/');
    });

    it('a finished run carries the agent\'s notes and new sections to the main spec, byte for byte', async () => {
      fx.make({ [`.chant/specs/${ID}.md`]: specText('target_files:\n- .chant/research/doc.md\n') });
      fx.untrackChant();
      const plan = await prepareDirectRun(fx.options({ silent: true }));
      assert.equal(fx.runAgent(plan), 0);
      writeFileSync(plan.workSpecFile, readFileSync(plan.workSpecFile, 'utf8') + NOTES);
      const result = await finishDirectRun(plan, 0, { projectPaths: fx.paths });
      assert.equal(result.status, 'completed', result.reason);
      const main = readFileSync(fx.paths.specFile(ID), 'utf8');
      assert.ok(main.endsWith(NOTES), main);
      assert.match(main, /- \[x\] Thing exists/);
    });

    it('when the user edited the spec during the run, the ticks are carried and the agent\'s copy is kept beside, and said', async () => {
      fx.make({ [`.chant/specs/${ID}.md`]: specText('target_files:\n- .chant/research/doc.md\n') });
      fx.untrackChant();
      const plan = await prepareDirectRun(fx.options({ silent: true }));
      assert.equal(fx.runAgent(plan), 0);
      writeFileSync(plan.workSpecFile, readFileSync(plan.workSpecFile, 'utf8') + NOTES);
      writeFileSync(fx.paths.specFile(ID), readFileSync(fx.paths.specFile(ID), 'utf8').replace('Do it.', 'Do it carefully.'));
      const result = await finishDirectRun(plan, 0, { projectPaths: fx.paths });
      const main = readFileSync(fx.paths.specFile(ID), 'utf8');
      assert.match(main, /Do it carefully\./);
      assert.match(main, /- \[x\] Thing exists/);
      const notice = result.notices.find((n) => n.includes("the agent's copy"));
      assert.ok(notice, result.notices.join(' | '));
      const kept = /kept as (\S+)\.$/.exec(notice)![1];
      assert.ok(readFileSync(path.join(fx.repo.project, kept), 'utf8').endsWith(NOTES));
    });
  });

  describe('8. a pid is signalled only when it is provably the run\'s own', () => {
    it('the wrapper records its start time; a reused pid (another start time), pid 0, 1, ours and our group are never the run', async () => {
      fx.make({ [`.chant/specs/${ID}.md`]: specText('target_files:\n- out.txt\n') });
      const plan = await prepareDirectRun(fx.options({ agentCommand: `node ${shQuote(SCRIPTED_AGENT)} --delay 3000 --prompt \${promptFile}` }));
      const child = spawn('bash', ['-c', plan.commandLine], { cwd: fx.repo.base, stdio: 'ignore' });
      try {
        let status: ReturnType<typeof parseStatusFile>;
        for (let i = 0; i < 100 && status?.status !== 'working'; i++) {
          await new Promise((r) => setTimeout(r, 50));
          status = parseStatusFile(existsSync(plan.statusFile) ? readFileSync(plan.statusFile, 'utf8') : undefined);
        }
        assert.equal(status?.status, 'working');
        assert.ok(status.pid && status.started, JSON.stringify(status));
        assert.equal(status.started, processStartTime(status.pid));
        assert.equal(isRunProcess(status.pid, status.started), true);
        // The same number later held by another program: its start time differs.
        assert.equal(isRunProcess(status.pid, String(Number(status.started) - 1)), false);
      } finally {
        child.kill('SIGKILL');
      }
      for (const pid of [0, 1, -1, process.pid]) assert.equal(isRunProcess(pid, processStartTime(Math.abs(pid)) ?? '1'), false, String(pid));
      assert.equal(parseStatusFile('{"status":"working","pid":1}')?.pid, undefined);
      assert.equal(parseStatusFile('{"status":"working","pid":0}')?.pid, undefined);
      assert.equal(parseStatusFile('{"status":"working","pid":-42}')?.pid, undefined);
    });
  });

  describe('9. every program runs from the absolute folders of PATH only', () => {
    it('a repository that ships git, env and tee does not run them through a relative PATH entry', async () => {
      fx.make({ [`.chant/specs/${ID}.md`]: specText('') });
      const marker = path.join(fx.repo.base, 'PWNED');
      for (const name of ['git', 'env', 'tee', 'chant', 'claude']) {
        writeFileSync(path.join(fx.repo.project, name), `#!/bin/sh\ntouch ${shQuote(marker)}\n`);
        chmodSync(path.join(fx.repo.project, name), 0o755);
      }
      const script = shellScript({ cwd: fx.repo.project, steps: [['git', '--version'], { line: `env X=1 sh -c 'echo hi' | tee /dev/null` }] });
      const { line } = await writeShellScript(script, 'path-test');
      const result = spawnSync('bash', ['-c', line], { cwd: fx.repo.project, env: { ...process.env, PATH: `.:${process.env.PATH}` }, encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      assert.equal(existsSync(marker), false, 'a program the repository ships ran');
      assert.match(line, /^\/\S*\/sh /, 'sh itself is named by its absolute path');
    });
  });
  describe('low items', () => {
    it('temporary files left by killed saves are removed once they are old; a fresh one (a save in progress) and links are left', async () => {
      fx.make({ [`.chant/specs/${ID}.md`]: specText('') });
      const specs = fx.paths.specsDir;
      const old = path.join(specs, `.${ID}.md.0123456789ab.tmp`);
      const fresh = path.join(specs, `.${ID}.md.ba9876543210.tmp`);
      writeFileSync(old, 'half a spec');
      writeFileSync(fresh, 'a save in progress');
      utimesSync(old, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
      const target = outsideFile('keep.txt', 'kept\n');
      symlinkSync(target, path.join(specs, '.x.md.aaaaaaaaaaaa.tmp'));
      assert.deepEqual(await removeTempLeftovers(specs), [path.basename(old)]);
      assert.ok(existsSync(fresh));
      assert.equal(readFileSync(target, 'utf8'), 'kept\n');
      assert.ok(existsSync(fx.paths.specFile(ID)));
    });

    it('temporary files are not cleaned through a folder link the repository placed (.chant/research -> outside)', async () => {
      const outside = mkdtempSync(path.join(os.tmpdir(), 'chant-outside-'));
      try {
        const leftover = path.join(outside, '.doc.md.0123456789ab.tmp');
        writeFileSync(leftover, 'not ours\n');
        utimesSync(leftover, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
        fx.make({ [`.chant/specs/${ID}.md`]: specText('') }, { '.chant/research': outside });
        const research = path.join(fx.paths.chantDir, 'research');
        assert.deepEqual(await removeProjectTempLeftovers(fx.paths.root, research), []);
        assert.equal(readFileSync(leftover, 'utf8'), 'not ours\n');
        // The same folder reached without a link is cleaned.
        assert.deepEqual(await removeProjectTempLeftovers(outside, outside), [path.basename(leftover)]);
      } finally {
        rmSync(outside, { recursive: true, force: true });
      }
    });

    it('setFields on a YAML alias without an anchor says so (a SpecEditError, not a raw ReferenceError)', () => {
      assert.throws(
        () => setFields('---\nstatus: pending\nlabels: *missing\n---\n# T\n', { status: 'paused' }),
        (e: unknown) => e instanceof SpecEditError && e.code === 'invalid-frontmatter' && /not valid YAML: .*alias/i.test(e.message),
      );
    });

    it('an imported issue keeps remote images as links: the Markdown preview loads nothing', () => {
      const report = issueReportMarkdown({ number: 7, title: 't', url: 'https://github.com/o/r/issues/7', body: 'See ![pixel](https://evil.example/p.png?u=1) and <img src=https://evil.example/q.png>', labels: [], comments: [{ author: 'x', body: '![a][ref]\n\n[ref]: https://evil.example/r.png' }] });
      assert.doesNotMatch(report.replace(/\\!\[/g, ''), /!\[/, report);
      assert.doesNotMatch(report, /<img/);
      assert.match(report, /\\!\[pixel\]\(https:\/\/evil\.example\/p\.png\?u=1\)/, 'the link is kept');
    });

    it('with two files of one id, the live index and a fresh load pick the same one, whatever order they came in', async () => {
      fx.make({ [`.chant/specs/sub/${ID}.md`]: specText('', 'The nested one') });
      const live = await SpecIndex.load(fx.repo.project);
      assert.equal(live.get(ID)?.title, 'The nested one');
      writeText(fx.paths.specFile(ID), specText('', 'The top-level one'));
      await live.updateFile(fx.paths.specFile(ID));
      const fresh = await SpecIndex.load(fx.repo.project);
      assert.equal(live.get(ID)?.path, fresh.get(ID)?.path);
      assert.equal(fresh.get(ID)?.title, 'The top-level one');
      assert.deepEqual(live.filesOf(ID), fresh.filesOf(ID));
      // Deleting the active one hands the id to the other, in both.
      rmSync(fx.paths.specFile(ID));
      await live.updateFile(fx.paths.specFile(ID));
      assert.equal(live.get(ID)?.title, 'The nested one');
    });
  });
});
