// The Upstream PR gate follows git and GitHub by itself: a merge of the fix branch done outside the
// extension turns the gate "merged" without Refresh (the .git refs watcher), and once gh knows a
// pull request of the fix branch (a fake gh on PATH answers `gh pr view` from JSON the test
// writes), the gate row and the Investigation panel say its number, state and address.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { InvestigationPanel } from '../../src/webviews/host/investigationPanel';
import { eventually } from './wait';

const EXTENSION_ID = 'chant-vscode.chant-vscode';
const COMP = '2026-04-05-001-gpc';
const FIX = '2026-04-05-002-gpf';
const BRANCH = `chant/${FIX}`;

interface Node {
  kind: string;
  investigation?: string;
}
interface Api {
  projects: { reload(): Promise<void>; findSpec(id: string): unknown };
  tree: { getChildren(node?: Node): Promise<Node[]>; getTreeItem(node: Node): Promise<vscode.TreeItem> };
}

describe('Upstream PR gate follows git and gh', function () {
  this.timeout(90_000);
  let root: string;
  let api: Api;
  let scratch: string;
  let savedPath: string | undefined;
  let initialHead: string;
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  const specFile = (id: string): string => path.join(root, '.chant', 'specs', `${id}.md`);
  const answer = path.join(os.tmpdir(), `chant-gate-pr-${process.pid}.json`);

  async function gateDescription(): Promise<string> {
    const walk = async (node?: Node): Promise<Node | undefined> => {
      for (const child of await api.tree.getChildren(node)) {
        if (child.kind === 'gate' && child.investigation === 'issue-8080') return child;
        if (child.kind === 'group' || child.kind === 'project') {
          const found = await walk(child);
          if (found) return found;
        }
      }
      return undefined;
    };
    const gate = await walk();
    return gate ? String((await api.tree.getTreeItem(gate)).description ?? '') : '(no gate)';
  }

  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    await extension.activate();
    api = extension.exports as Api;
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    initialHead = git('rev-parse', 'HEAD');
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-gate-'));
    savedPath = process.env.PATH;
    fs.writeFileSync(specFile(COMP), '---\ntype: research\nstatus: completed\nlabels:\n- comprehension\n- issue-8080\n---\n\n# Comprehension: #8080\n');
    // The fix ran on its own branch and completed; the branch is not merged yet.
    git('checkout', '-q', '-b', BRANCH);
    fs.writeFileSync(path.join(root, 'src', 'fix8080.js'), 'module.exports = 8080;\n');
    git('add', 'src/fix8080.js');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', `chant(${FIX}): fix`);
    git('checkout', '-q', 'main');
    fs.writeFileSync(specFile(FIX), `---\ntype: code\nstatus: completed\nbranch: ${BRANCH}\nlabels:\n- fix\n- issue-8080\n---\n\n# Fix #8080\n`);
    await api.projects.reload();
  });

  after(async () => {
    process.env.PATH = savedPath;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const remote of ['origin', 'upstream']) if (git('remote').split('\n').includes(remote)) git('remote', 'remove', remote);
    git('reset', '-q', '--keep', initialHead);
    git('branch', '-q', '-D', BRANCH);
    for (const id of [COMP, FIX]) fs.rmSync(specFile(id), { force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.rmSync(answer, { force: true });
    await api.projects.reload();
  });

  it('turns merged after a merge done outside the extension, without Refresh', async () => {
    assert.match(await eventually(async () => (/not merged/.test(await gateDescription()) ? gateDescription() : undefined), 'the gate to say not merged'), /fix completed · not merged into main/);
    git('merge', '-q', '--ff-only', BRANCH);
    await eventually(async () => /fix completed · merged into main/.test(await gateDescription()), 'the gate to see the outside merge');
  });

  it('shows the fix branch\'s upstream pull request from gh, in the tree and the Investigation panel', async () => {
    git('remote', 'add', 'origin', 'https://github.com/me/kv.git');
    git('remote', 'add', 'upstream', 'https://github.com/acme/kv.git');
    const bin = fs.mkdtempSync(path.join(scratch, 'bin-'));
    // `gh pr view <head> --repo <repo> --json …`: the upstream repository has the PR, the fork none.
    fs.writeFileSync(
      path.join(bin, 'gh'),
      `#!/bin/sh\n[ "$1" = --version ] && { echo 'gh version 2.0.0 (fake)'; exit 0; }\n[ "$1 $2 $3 $5" = "pr view me:${BRANCH} acme/kv" ] && { cat '${answer}'; exit 0; }\necho 'no pull requests found' >&2; exit 1\n`,
      { mode: 0o755 },
    );
    fs.writeFileSync(answer, JSON.stringify({ state: 'OPEN', url: 'https://github.com/acme/kv/pull/77', number: 77 }));
    process.env.PATH = `${bin}${path.delimiter}${savedPath ?? ''}`;
    await vscode.commands.executeCommand('chant.refresh');
    await eventually(async () => (await gateDescription()).endsWith('· upstream PR #77 open'), 'the gate to show the open PR');

    const panel = (await vscode.commands.executeCommand('chant.showInvestigation', 'issue-8080')) as InvestigationPanel;
    await panel.onMessage({ type: 'ready' });
    await eventually(() => {
      const m = panel.lastMessage;
      return m?.type === 'investigation' && m.view.gate.upstreamPr?.state === '#77 open' && m.view.gate.upstreamPr.url === 'https://github.com/acme/kv/pull/77';
    }, 'the panel to show the open PR');

    // Merged upstream: Refresh (on demand) asks gh again.
    fs.writeFileSync(answer, JSON.stringify({ state: 'MERGED', url: 'https://github.com/acme/kv/pull/77', number: 77 }));
    await vscode.commands.executeCommand('chant.refresh');
    await eventually(async () => (await gateDescription()).endsWith('· upstream PR #77 merged'), 'the gate to show the merged PR');
    await eventually(() => panel.lastMessage?.type === 'investigation' && panel.lastMessage.view.gate.upstreamPr?.state === '#77 merged', 'the panel to show the merged PR');
  });
});
