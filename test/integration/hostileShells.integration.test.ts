// Issue 11, finding 3, in the real extension host: a spec title, a nested project's folder name and
// its project name full of shell syntax (fish's `\'`, POSIX `$(…)`, backticks, `;`) go
// through Work Spec with the direct runner (the scripted agent), the chant CLI runner (a fake
// `chant` that records its argv) and both PR commands (a fake `gh`), with the integrated terminal's
// default shell set in turn to bash, sh (dash), zsh and fish. Each terminal is checked to really run
// that shell (/proc/<pid>/exe), each program to get the hostile text as one exact argument, and no
// marker file may appear anywhere.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChantApi } from '../../src/api';
import type { PrOutcome } from '../../src/investigation/pullRequests';
import type { RunInfo } from '../../src/runs/runRegistry';
import { requireShell } from '../unit/prerequisites';
import { eventually, waitFor, withTimeout } from './wait';

const EXTENSION_ID = 'chant-vscode.chant-vscode';
/**
 * A folder name with every kind of shell syntax, fish's escaped quote included. Not a line break:
 * a folder named with one makes VS Code itself fail to save an edited document later in the same
 * window (measured: the Issue investigation suite's draft then never saves), so the line break in a
 * nested project's name is covered by the unit tier (hostileRepository.unit.test.ts, finding 3).
 */
const NEST = "nest\\';touch PWNED;\\' $(touch PWNED) `touch PWNED` it's; touch PWNED";
const FORK_URL = 'https://github.com/me/kvstore.git';
const SHELLS = [
  { shell: 'bash', id: '2026-06-01-001-bsh', issue: 9101 },
  { shell: 'sh', id: '2026-06-01-002-dsh', issue: 9102 },
  { shell: 'zsh', id: '2026-06-01-003-zsh', issue: 9103 },
  { shell: 'fish', id: '2026-06-01-004-fsh', issue: 9104 },
] as const;

describe('Hostile text on terminal lines, in every shell (issue 11)', function () {
  this.timeout(180_000);
  let api: ChantApi;
  let root: string;
  let nested: string;
  let scratch: string;
  let mark: string;
  let calls: string;
  let fork: string;
  let agentScript: string;
  let savedPath: string | undefined;
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  const config = (section = 'chant'): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(section);
  const specFile = (id: string): string => path.join(nested, '.chant', 'specs', `${id}.md`);
  /** The spec's title: every payload, the absolute ones aimed at the marker folder. */
  const title = (): string => `Fix the bug\\';touch PWNED;\\' $(touch ${mark}/dollar) \`touch ${mark}/backtick\` it's; touch ${mark}/semicolon`;

  before(async () => {
    const extension = vscode.extensions.getExtension<ChantApi>(EXTENSION_ID)!;
    api = await extension.activate();
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    agentScript = path.join(extension.extensionPath, 'test', 'agent', 'scriptedAgent.js');
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-shells-it-'));
    mark = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-shells-mark-'));
    calls = path.join(scratch, 'calls');
    fs.mkdirSync(calls);

    // The nested project, committed, so that its folder name is part of the worktree's path too.
    nested = path.join(root, NEST);
    const files: Record<string, string> = {
      '.chant/config.md': '---\nproject:\n  name: "$(touch PWNED)"\ndefaults:\n  prompt: standard\n  main_branch: main\n---\n# Nested hostile project\n',
      '.chant/.gitignore': 'logs/\ntmp/\n',
    };
    for (const { id, issue } of SHELLS) {
      files[`.chant/specs/${id}.md`] = `---\ntype: code\nstatus: pending\nlabels:\n- issue-${issue}\ntarget_files:\n- out-${id}.txt\n---\n# ${title()}\n\nWrite the output.\n\n## Acceptance Criteria\n\n- [ ] Write the output\n`;
    }
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(nested, name)), { recursive: true });
      fs.writeFileSync(path.join(nested, name), text);
    }
    git('add', '--', NEST);
    git('-c', 'user.name=Test', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'test: a nested project with a hostile folder name');

    // Fakes that record each call (cwd, then the arguments; NUL-separated, as any byte may occur).
    const recorder = (name: string, extra = ''): string => {
      const file = path.join(scratch, 'bin', name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(
        file,
        `#!/bin/sh\n${extra}f='${calls}'/${name}-$$-$(date +%s%N)\nprintf '%s\\0' "$PWD" "$@" > "$f.tmp" && mv "$f.tmp" "$f"\nexit 0\n`,
        { mode: 0o755 },
      );
      return file;
    };
    recorder('gh', `[ "$1" = --version ] && { echo 'gh version 2.0.0 (fake)'; exit 0; }\n`);
    await config().update('cliPath', recorder('chant'), vscode.ConfigurationTarget.Global);
    savedPath = process.env.PATH;
    process.env.PATH = `${path.join(scratch, 'bin')}${path.delimiter}${savedPath ?? ''}`;

    // A fork named on GitHub whose pushes land in a local bare repository; an upstream.
    fork = path.join(scratch, 'fork.git');
    execFileSync('git', ['init', '-q', '--bare', fork]);
    git('remote', 'add', 'origin', FORK_URL);
    git('remote', 'add', 'upstream', 'https://github.com/yourproject/kvstore.git');
    git('config', `url.${fork}.pushInsteadOf`, FORK_URL);

    await config().update('worktreeFolder', path.join(scratch, 'worktrees'), vscode.ConfigurationTarget.Global);
    await api.projects.reload();
    await waitFor(() => SHELLS.every(({ id }) => api.projects.specAt(specFile(id))), 20_000, 'the index to see the nested project');
  });

  after(async () => {
    for (const key of ['worktreeFolder', 'agent.command', 'runner', 'cliPath']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await config('terminal.integrated').update('defaultProfile.linux', undefined, vscode.ConfigurationTarget.Workspace);
    await config('terminal.integrated').update('profiles.linux', undefined, vscode.ConfigurationTarget.Workspace);
    disposeChantTerminals();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    process.env.PATH = savedPath;
    for (const command of [['remote', 'remove', 'origin'], ['remote', 'remove', 'upstream'], ['config', '--remove-section', `url.${fork}`]]) {
      try {
        git(...command);
      } catch {
        // not added
      }
    }
    for (const line of git('worktree', 'list', '--porcelain').split('\n')) {
      const dir = line.startsWith('worktree ') ? line.slice('worktree '.length) : undefined;
      if (dir && dir.startsWith(scratch)) git('worktree', 'remove', '--force', dir);
    }
    git('worktree', 'prune');
    for (const { id } of SHELLS) {
      try {
        git('branch', '-D', `chant/${id}`);
      } catch {
        // never created
      }
    }
    git('rm', '-r', '-q', '-f', '--ignore-unmatch', '--', NEST);
    try {
      git('-c', 'user.name=Test', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'test: remove the nested hostile project');
    } catch {
      // nothing to commit
    }
    fs.rmSync(nested, { recursive: true, force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.rmSync(mark, { recursive: true, force: true });
    await api.projects.reload();
    await waitFor(() => !api.projects.projects().some((p) => p.paths.root === nested), 20_000, 'the index to drop the nested project');
  });

  for (const { shell, id, issue } of SHELLS) {
    it(`${shell}: Work Spec (direct and chant CLI) and both PR commands run nothing from the spec`, async function () {
      requireShell(this, shell);
      const shellPath = execFileSync('sh', ['-c', `command -v ${shell}`], { encoding: 'utf8' }).trim();
      disposeChantTerminals();
      await config('terminal.integrated').update('profiles.linux', { [`chant-test-${shell}`]: { path: shellPath } }, vscode.ConfigurationTarget.Workspace);
      await config('terminal.integrated').update('defaultProfile.linux', `chant-test-${shell}`, vscode.ConfigurationTarget.Workspace);
      await waitForDefaultShell(shellPath);
      for (const name of fs.readdirSync(calls)) fs.rmSync(path.join(calls, name));
      const uri = vscode.Uri.file(specFile(id));
      const hostileTitle = api.projects.specAt(specFile(id))!.spec.title!;
      assert.ok(hostileTitle.includes("\\';touch PWNED;\\'") && hostileTitle.includes('$(touch ') && hostileTitle.includes('`touch '), hostileTitle);

      // The chant CLI runner: `chant work <id>` in the nested project's folder.
      const cliRun = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', uri, { runner: 'cli' });
      assert.ok(cliRun, 'the CLI run started');
      await assertShell(api.terminals.of(id, nested), shellPath);
      await withTimeout(cliRun.done, 60_000, 'the chant CLI run');
      assert.equal(cliRun.exitCode, 0);
      const work = recorded('chant').filter(([, verb]) => verb === 'work');
      assert.equal(work.length, 1, JSON.stringify(work));
      assert.equal(fs.realpathSync(work[0][0]), fs.realpathSync(nested), 'chant runs in the nested project, whose name arrives whole');
      assert.deepEqual(work[0].slice(1), ['work', '--no-watch', id]);

      // The direct runner: the scripted agent in the worktree's copy of the nested project.
      const record = path.join(scratch, `agent-${shell}.json`);
      await config().update('agent.command', `node ${agentScript} --prompt \${promptFile} --record ${record}`, vscode.ConfigurationTarget.Global);
      const run = await vscode.commands.executeCommand<RunInfo | undefined>('chant.workSpec', uri, { runner: 'direct', startOver: false, rerun: true });
      assert.ok(run, 'the direct run started');
      await withTimeout(run.done, 90_000, 'the agent run');
      assert.equal(run.state, 'completed', `run ended ${run.state}: ${run.result?.reason ?? ''}`);
      assert.equal(path.basename(run.plan!.workDir), NEST);
      const agent = JSON.parse(fs.readFileSync(record, 'utf8')) as { cwd: string; env: Record<string, string> };
      assert.equal(fs.realpathSync(agent.cwd), fs.realpathSync(run.plan!.workDir));
      assert.equal(agent.env.CHANT_SPEC_FILE, specFile(id));
      await assertShell(api.terminals.of(id, nested), shellPath);
      // VS Code's file watcher reports no change below a folder whose name holds `$(`, `?` or a line
      // break (measured in code-server), so the index is told about the finished spec here.
      await api.projects.refresh([specFile(id)]);
      assert.equal(api.projects.specAt(specFile(id))?.spec.branch, `chant/${id}`);

      // Create Staging PR: drafted and shown first, then sent (push to the fork, gh pr create).
      const drafted = await vscode.commands.executeCommand<PrOutcome | undefined>('chant.createStagingPr', uri);
      assert.ok(drafted && 'drafted' in drafted, JSON.stringify(drafted));
      assert.equal(recorded('gh').length, 0, 'nothing is sent before the user has seen the draft');
      const staged = await vscode.commands.executeCommand<PrOutcome | undefined>('chant.createStagingPr', uri);
      assert.ok(staged && 'sent' in staged, JSON.stringify(staged));
      assert.match(staged.sent, /^\/[A-Za-z0-9_./-]*\/sh \/[A-Za-z0-9_./-]+$/);
      const stagingCall = await waitFor(() => recorded('gh')[0], 30_000, 'gh pr create (staging)');
      assert.equal(stagingCall[stagingCall.indexOf('--title') + 1], hostileTitle);
      assert.equal(stagingCall[stagingCall.indexOf('--head') + 1], `chant/${id}`);
      await assertShell(terminalNamed('chant · staging PR · me/kvstore'), shellPath);

      // Prepare and Create Upstream PR: the draft's first line (the hostile title) is the PR title.
      const draft = await vscode.commands.executeCommand<vscode.Uri | undefined>('chant.prepareUpstreamPr', uri);
      assert.ok(draft, 'the upstream draft was written');
      assert.equal(path.basename(draft.fsPath), `upstream-pr-issue-${issue}.md`);
      const upstream = await vscode.commands.executeCommand<PrOutcome | undefined>('chant.createUpstreamPr', draft);
      assert.ok(upstream && 'sent' in upstream, JSON.stringify(upstream));
      const upstreamCall = await waitFor(() => recorded('gh')[1], 30_000, 'gh pr create (upstream)');
      assert.equal(upstreamCall[upstreamCall.indexOf('--title') + 1], hostileTitle);
      assert.equal(upstreamCall[upstreamCall.indexOf('--repo') + 1], 'yourproject/kvstore');
      await assertShell(terminalNamed('chant · upstream PR'), shellPath);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');

      assert.deepEqual(markers([root, scratch, os.homedir(), os.tmpdir()]), [], `${shell} executed text from the spec`);
      assert.deepEqual(fs.readdirSync(mark), [], `${shell} executed text from the spec`);
    });
  }

  /** The calls one fake program recorded, oldest first: [cwd, ...args]. */
  function recorded(name: string): string[][] {
    return fs
      .readdirSync(calls)
      .filter((f) => f.startsWith(`${name}-`) && !f.endsWith('.tmp'))
      .map((f) => ({ f, at: Number(f.split('-').pop()) }))
      .sort((a, b) => a.at - b.at)
      .map(({ f }) => fs.readFileSync(path.join(calls, f), 'utf8').split('\0').slice(0, -1));
  }
});

function disposeChantTerminals(): void {
  for (const t of vscode.window.terminals) if (t.name.startsWith('chant · ')) t.dispose();
}

function terminalNamed(name: string): vscode.Terminal | undefined {
  return vscode.window.terminals.find((t) => t.name === name && t.exitStatus === undefined);
}

/**
 * Waits until a new terminal starts `shellPath`: the terminal service takes a moment to apply a
 * changed default profile, and the extension's terminals must be created after it has.
 */
async function waitForDefaultShell(shellPath: string): Promise<void> {
  const want = fs.realpathSync(shellPath);
  let last = '';
  const started = async (): Promise<boolean> => {
    const probe = vscode.window.createTerminal({ name: 'chant-test shell probe' });
    try {
      const pid = await withTimeout(Promise.resolve(probe.processId), 20_000, 'the probe terminal');
      last = pid ? `${fs.realpathSync(`/proc/${pid}/exe`)} (${fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')})` : 'no process';
      return !!pid && fs.realpathSync(`/proc/${pid}/exe`) === want;
    } finally {
      probe.dispose();
    }
  };
  await eventually(started, 'the default shell', 30_000).catch(() => {
    throw new Error(`new terminals do not start ${shellPath}; the last one ran ${last}`);
  });
}

/**
 * The terminal's process is the shell asked for: its executable, read from /proc. The pty forks
 * before it executes the shell, so for a moment the process is still the pty host's node.
 */
async function assertShell(terminal: vscode.Terminal | undefined, shellPath: string): Promise<void> {
  assert.ok(terminal, 'the terminal is open');
  const pid = await withTimeout(Promise.resolve(terminal.processId), 20_000, 'the terminal process');
  assert.ok(pid, 'the terminal has a process');
  const want = fs.realpathSync(shellPath);
  const exe = (): string => fs.realpathSync(`/proc/${pid}/exe`);
  await waitFor(() => exe() === want, 5_000, `terminal ${terminal.name} to run ${shellPath}`).catch(() => undefined);
  assert.equal(exe(), want, `terminal ${terminal.name} runs ${fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')}`);
}

/** Every file named PWNED below `dirs` (the system temp folder and home only one level deep). */
function markers(dirs: string[]): string[] {
  const found: string[] = [];
  for (const dir of dirs) {
    const shallow = dir === os.tmpdir() || dir === os.homedir();
    let names: string[];
    try {
      names = shallow ? fs.readdirSync(dir) : (fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]);
    } catch {
      continue;
    }
    for (const name of names) if (path.basename(name) === 'PWNED') found.push(path.join(dir, name));
  }
  return found;
}
