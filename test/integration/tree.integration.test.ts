// The Specs tree in a real extension host, driven through the API `activate()` returns: groupings,
// filter, badge, live updates, the Upstream PR gate against real git, the context-menu actions
// (cancel, archive, open output, copy id), New Spec, Initialize, several projects, and a snapshot of
// a real chant project (the corpus, when it is present). Specs these tests need are written into
// the throw-away workspace and the workspace is put back to its first commit afterwards, so other
// suites still see the fixture as it is.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChantApi } from '../../src/api';
import type { TreeNode } from '../../src/views/specTreeProvider';
import type { ProjectsChangeEvent } from '../../src/workspace/projectService';
import { corpusDir } from '../unit/paths';
import { requireCorpus } from '../unit/prerequisites';
import { acceptUntilDone, eventually } from './wait';

const EXTENSION_ID = 'chant-vscode.chant-vscode';
const COMPLETED = '2026-01-10-001-abc';
const IN_PROGRESS = '2026-01-10-002-def';
const BLOCKED = '2026-01-10-003-ghi';
const READY = '2026-01-10-004-jkl';
/** The captured chant workspace, from `../shared/corpus` beside the repository or CHANT_CORPUS. */
const CORPUS = path.join(corpusDir, 'workspace-2026-01-25', '.chant');

let api: ChantApi;
let root: string;
/** The workspace's first commit; every suite that touches git goes back to it. */
let initialHead: string;

const specFile = (id: string): string => path.join(root, '.chant', 'specs', `${id}.md`);
const label = (item: vscode.TreeItem): string => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));

function git(...args: string[]): string {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('GIT_')));
  return execFileSync('git', args, { cwd: root, env, encoding: 'utf8' }).trim();
}

function writeSpec(id: string, lines: string[]): string {
  const file = specFile(id);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Files, index and branches as the launcher created them. */
async function restoreWorkspace(): Promise<void> {
  git('checkout', '-q', '-f', 'main');
  git('reset', '-q', '--hard', initialHead);
  git('clean', '-qfd');
  for (const branch of git('branch', '--format=%(refname:short)').split('\n')) if (branch && branch !== 'main') git('branch', '-q', '-D', branch);
  await settle();
}

/** Index the workspace as it is on disk now (tests that wrote files do not wait for the watcher). */
async function settle(): Promise<void> {
  await api.projects.reload();
}

async function children(node?: TreeNode): Promise<TreeNode[]> {
  return api.tree.getChildren(node);
}

/** `label (description)` of each node. */
async function outline(nodes: TreeNode[]): Promise<string[]> {
  const items = await Promise.all(nodes.map((n) => api.tree.getTreeItem(n)));
  return items.map((item) => (item.description ? `${label(item)} (${String(item.description)})` : label(item)));
}

async function findGroup(name: string, under?: TreeNode): Promise<TreeNode> {
  for (const node of await children(under)) {
    if (node.kind === 'group' && node.model.label === name) return node;
  }
  throw new Error(`no group ${name}; have ${(await outline(await children(under))).join(', ')}`);
}

/** Every node below `under`, depth first (the archive only when `archive` is set). */
async function allNodes(under?: TreeNode, archive = false): Promise<TreeNode[]> {
  const out: TreeNode[] = [];
  for (const node of await children(under)) {
    out.push(node);
    if (node.kind === 'archive' && !archive) continue;
    out.push(...(await allNodes(node, archive)));
  }
  return out;
}

async function specNode(id: string): Promise<TreeNode> {
  const found = (await allNodes(undefined, true)).find((n) => n.kind === 'spec' && n.id === id);
  if (!found) throw new Error(`spec ${id} is not in the tree`);
  return found;
}

describe('Specs tree', function () {
  this.timeout(60_000);

  before(async () => {
    const extension = vscode.extensions.getExtension<ChantApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    assert.ok(api?.tree && api.projects, 'activate() returns { tree, projects }');
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    initialHead = git('rev-parse', 'HEAD');
    await api.projects.ready();
    // Start from a freshly read index: earlier suites may have loaded the archive (its count shows).
    await vscode.commands.executeCommand('chant.refresh');
    await api.tree.setGrouping('phase');
    await api.tree.clearFilter();
  });

  after(async () => {
    // Back to the fixture's first commit: files, index and branches.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await api.tree.setGrouping('phase');
    await api.tree.clearFilter();
    await restoreWorkspace();
  });

  describe('browsing', () => {
    it('groups by phase in workflow order with counts, then the archive', async () => {
      assert.deepEqual(await outline(await children()), ['Comprehension (1)', 'Reproduction (1)', 'Root Cause (1)', 'Fork Fix (1)', 'Archive']);
    });

    it('shows each spec with its title, short id, criteria and a segmented context value', async () => {
      const items = new Map<string, vscode.TreeItem>();
      for (const node of await allNodes()) {
        if (node.kind === 'spec') items.set(node.id, await api.tree.getTreeItem(node));
      }
      const done = items.get(COMPLETED)!;
      // The progress first: at the default sidebar width a long title is cut at its end.
      assert.equal(label(done), '1/1 · Map the storage layer');
      assert.equal(done.description, '001-abc');
      assert.equal(done.contextValue, 'spec:completed:research:active:single:targets');
      assert.equal(done.id, `spec:${root}:${COMPLETED}`);
      assert.deepEqual(done.command?.arguments?.[0]?.fsPath, specFile(COMPLETED));
      assert.equal(items.get(IN_PROGRESS)!.contextValue, 'spec:in_progress:research:active:single:notargets');
      assert.equal(items.get(BLOCKED)!.contextValue, 'spec:blocked:research:active:single:notargets');
      assert.equal(items.get(READY)!.contextValue, 'spec:ready:code:active:single:targets');
    });

    it('puts the number of ready specs on the view badge', async () => {
      assert.deepEqual(api.tree.view?.badge, { value: 1, tooltip: '1 spec ready to work' });
    });

  });

  describe('groupings', () => {
    afterEach(() => api.tree.setGrouping('phase'));

    const cases: Array<[string, string[]]> = [
      ['status', ['In progress (1)', 'Ready (1)', 'Blocked (1)', 'Completed (1)', 'Archive']],
      ['type', ['code (1)', 'research (3)', 'Archive']],
      ['label', ['comprehension (1)', 'fix (1)', 'reproduction (1)', 'root-cause (1)', 'Archive']],
      ['investigation', ['No investigation (4)', 'Archive']],
    ];
    for (const [mode, expected] of cases) {
      it(`groups by ${mode} (Group By command)`, async () => {
        await vscode.commands.executeCommand('chant.groupBy', mode);
        assert.equal(api.tree.grouping, mode);
        assert.deepEqual(await outline(await children()), expected);
      });
    }

    it('lists specs flat', async () => {
      await vscode.commands.executeCommand('chant.groupBy', 'flat');
      const nodes = await children();
      assert.deepEqual(
        nodes.map((n) => (n.kind === 'spec' ? n.id : n.kind)),
        [COMPLETED, IN_PROGRESS, BLOCKED, READY, 'archive'],
      );
    });

    it('remembers the grouping in workspace state', async () => {
      const { SpecTreeProvider, GROUPING_STATE_KEY } = await import('../../src/views/specTreeProvider');
      const { GateStates } = await import('../../src/investigation/gateStates');
      const gates = new GateStates();
      const store = new Map<string, unknown>();
      const memento = {
        keys: () => [...store.keys()],
        get: <T>(key: string, fallback?: T) => (store.has(key) ? (store.get(key) as T) : fallback),
        update: async (key: string, value: unknown) => void store.set(key, value),
      } as vscode.Memento;
      const first = new SpecTreeProvider(api.projects as never, () => [], api.runs as never, gates, memento);
      await first.setGrouping('type');
      first.dispose();
      assert.equal(store.get(GROUPING_STATE_KEY), 'type');
      const second = new SpecTreeProvider(api.projects as never, () => [], api.runs as never, gates, memento);
      assert.equal(second.grouping, 'type');
      second.dispose();
      gates.dispose();
    });
  });

  describe('filter', () => {
    afterEach(() => vscode.commands.executeCommand('chant.clearFilter'));

    it('filters by label and says so on the view', async () => {
      await vscode.commands.executeCommand('chant.filter', { labels: ['fix'] });
      assert.equal(api.tree.view?.description, 'Filtered: label=fix');
      assert.deepEqual(await outline(await children()), ['Fork Fix (1)', 'Archive']);
      await vscode.commands.executeCommand('chant.clearFilter');
      assert.equal(api.tree.view?.description, undefined);
      assert.equal((await children()).length, 5);
    });

    it('combines text, status and type', async () => {
      await vscode.commands.executeCommand('chant.filter', { text: 'ROOT', statuses: ['blocked'], types: ['research'] });
      assert.equal(api.tree.view?.description, 'Filtered: text="ROOT", status=blocked, type=research');
      assert.deepEqual(await outline(await children()), ['Root Cause (1)', 'Archive']);
    });

    it('tells when nothing matches', async () => {
      await vscode.commands.executeCommand('chant.filter', { text: 'no spec is called this' });
      assert.deepEqual(await outline(await children()), ['Archive']);
      assert.equal(api.tree.view?.message, 'No active spec matches the filter.');
      await vscode.commands.executeCommand('chant.clearFilter');
      assert.equal(api.tree.view?.message, undefined);
    });
  });

  describe('live updates', () => {
    const NEW = '2026-01-10-005-mno';
    after(restoreWorkspace);

    it('shows a new spec file in its group through one incremental update, with the gate of its investigation', async () => {
      // The work is counted, not timed (timing is the benchmark's job): the watcher must add the
      // one file to the index, never reload the project.
      const updates: ProjectsChangeEvent[] = [];
      const listener = api.projects.onDidChange((e) => updates.push(e));
      writeSpec(NEW, ['---', 'type: research', 'status: pending', 'labels:', '- comprehension', '- issue-42', '---', '# Comprehension: issue #42']);
      const groups = await eventually(async () => {
        const got = await outline(await children());
        return got.includes('Comprehension (2)') ? got : undefined;
      }, 'the new spec in its group', 3_000);
      listener.dispose();
      assert.deepEqual(
        updates.map((e) => ({ structural: e.structural, changes: e.projects.flatMap((p) => p.changes.map((c) => `${c.kind} ${c.id}`)) })),
        [{ structural: false, changes: [`added ${NEW}`] }],
      );
      assert.deepEqual(groups, ['Comprehension (2)', 'Reproduction (1)', 'Root Cause (1)', 'Fork Fix (1)', 'Upstream PR (1 gate)', 'Archive']);
      const gates = await outline(await children(await findGroup('Upstream PR')));
      assert.deepEqual(gates, ['Issue #42: upstream pull request (no Fork Fix spec yet)']);
    });

    it('repaints only the touched nodes when nothing moves between groups', async () => {
      const events: Array<TreeNode | TreeNode[] | undefined> = [];
      const listener = api.tree.onDidChangeTreeData((e) => events.push(e));
      try {
        await children(); // the tree must have been shown for a narrow repaint
        const text = fs.readFileSync(specFile(READY), 'utf8');
        fs.writeFileSync(specFile(READY), text.replace('- [ ] Fix committed with a test', '- [x] Fix committed with a test'));
        const item = await eventually(async () => {
          const node = await specNode(READY);
          const got = await api.tree.getTreeItem(node);
          return label(got).startsWith('1/1 · ') ? got : undefined;
        }, 'the ticked criterion on the row', 3_000);
        assert.equal(item.contextValue, 'spec:ready:code:active:single:targets');
        // The tooltip is built when the row is hovered (resolveTreeItem), from the spec as it is now.
        const readyNode = await specNode(READY);
        const row = await api.tree.getTreeItem(readyNode);
        assert.equal(row.tooltip, undefined, 'no tooltip until the row is hovered');
        assert.match((api.tree.resolveTreeItem(row, readyNode).tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' '), /Acceptance: 1\/1 checked/);
        assert.ok(events.length > 0, 'an event fired');
        assert.ok(events.every((e) => Array.isArray(e)), 'no full refresh');
        const fired = (events as TreeNode[][]).flat();
        assert.ok(fired.some((n) => n.kind === 'spec' && n.id === READY));
      } finally {
        listener.dispose();
      }
    });

    it('shows a new member under its driver by repainting the driver and its group, not the whole tree', async () => {
      const events: Array<TreeNode | TreeNode[] | undefined> = [];
      const listener = api.tree.onDidChangeTreeData((e) => events.push(e));
      const member = `${READY}.1`;
      try {
        const group = await children(await findGroup('Fork Fix'));
        assert.ok(group.some((n) => n.kind === 'spec' && n.id === READY), 'the driver-to-be is a row of Fork Fix');
        writeSpec(member, ['---', 'type: code', 'status: pending', '---', '# Part one of the fix']);
        const driver = await eventually(async () => {
          const node = await specNode(READY);
          return node.kind === 'spec' && node.model?.children.some((c) => c.id === member) ? node : undefined;
        }, 'the member under its driver', 3_000);
        assert.deepEqual((await children(driver)).map((n) => n.kind === 'spec' && n.id), [member]);
        assert.ok(events.length > 0 && events.every((e) => Array.isArray(e)), 'no full refresh');
        const fired = (events as TreeNode[][]).flat();
        assert.ok(fired.some((n) => n.kind === 'spec' && n.id === READY), 'the driver repainted');
        assert.ok(fired.some((n) => n.kind === 'group' && n.model.label === 'Fork Fix'), 'its group repainted (the count)');
      } finally {
        listener.dispose();
        fs.rmSync(specFile(member), { force: true });
        await settle();
      }
    });

    it('rebuilds when a change moves a spec between groups', async () => {
      await api.tree.setGrouping('status');
      try {
        await children();
        const text = fs.readFileSync(specFile(IN_PROGRESS), 'utf8');
        fs.writeFileSync(specFile(IN_PROGRESS), text.replace('status: in_progress', 'status: paused'));
        const groups = await eventually(async () => {
          const got = await outline(await children());
          return got.includes('Paused (1)') ? got : undefined;
        }, 'the Paused group', 3_000);
        assert.ok(!groups.some((g) => g.startsWith('In progress')));
      } finally {
        await api.tree.setGrouping('phase');
      }
    });
  });

  describe('long lists', () => {
    // 250 specs in one phase: VS Code fetches every row of an expanded group before it draws the
    // first one, so the group shows a page of them and a "Show more" row.
    const many = Array.from({ length: 250 }, (_, i) => `2026-01-20-${(100 + i).toString(36).padStart(3, '0')}-pag`);
    before(async () => {
      for (const id of many) writeSpec(id, ['---', 'type: code', 'status: pending', 'labels:', '- comprehension', '---', `# Paged ${id}`]);
      await settle();
    });
    after(restoreWorkspace);

    it('shows a page of a long group, then "Show more", and reveals a spec beyond the page', async () => {
      const group = await findGroup('Comprehension');
      const rows = await children(group);
      const specs = rows.filter((n) => n.kind === 'spec');
      assert.equal(specs.length, 100);
      const more = rows.find((n) => n.kind === 'more')!;
      assert.ok(more, 'a Show more row');
      assert.deepEqual(await outline([more]), ['Show 100 more (151 not shown)']);
      const moreItem = await api.tree.getTreeItem(more);
      await vscode.commands.executeCommand(moreItem.command!.command, ...(moreItem.command!.arguments ?? []));
      const doubled = await children(group);
      assert.equal(doubled.filter((n) => n.kind === 'spec').length, 200);
      assert.deepEqual(await outline(doubled.filter((n) => n.kind === 'more')), ['Show 51 more (51 not shown)']);
      // The last spec is beyond the page: finding it (reveal, Go to Spec) widens the page.
      const last = many[many.length - 1];
      const node = await api.tree.findSpecNode(last);
      assert.equal(node?.id, last);
      assert.ok((await children(group)).some((n) => n.kind === 'spec' && n.id === last));
      assert.match((await outline(await children())).find((l) => l.startsWith('Comprehension'))!, /\(251\)/);
    });
  });

  describe('Upstream PR gate', () => {
    const COMP = '2026-01-12-001-cmp';
    const FIX = '2026-01-12-002-fix';
    const branch = `chant/${FIX}`;
    after(restoreWorkspace);

    it('shows whether the completed fix branch is merged into main', async () => {
      writeSpec(COMP, ['---', 'type: research', 'status: completed', 'labels:', '- comprehension', '- issue-7', '---', '# Comprehension: #7']);
      writeSpec(FIX, ['---', 'type: code', 'status: pending', 'labels:', '- fix', '- issue-7', '---', '# Fix #7']);
      await settle();
      // The row never waits for git: it says it is checking, then repaints with git's answer.
      const gateText = (): Promise<string> =>
        eventually(async () => {
          const text = (await outline(await children(await findGroup('Upstream PR'))))[0];
          return /checking whether it is merged/.test(text) ? undefined : text;
        }, 'the gate row to have git\'s answer', 10_000);
      assert.equal(await gateText(), 'Issue #7: upstream pull request (waiting for the fix (002-fix: ready))');

      // The fix ran on its own branch and completed; the branch is not merged yet.
      git('checkout', '-q', '-b', branch);
      fs.writeFileSync(path.join(root, 'src', 'fix7.js'), 'module.exports = 7;\n');
      git('add', 'src/fix7.js');
      git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', `chant(${FIX}): fix`);
      git('checkout', '-q', 'main');
      writeSpec(FIX, ['---', 'type: code', 'status: completed', 'labels:', '- fix', '- issue-7', `branch: ${branch}`, '---', '# Fix #7']);
      await settle();
      assert.equal(await gateText(), 'Issue #7: upstream pull request (fix completed · not merged into main)');
      const gate = (await children(await findGroup('Upstream PR')))[0];
      assert.equal((await api.tree.getTreeItem(gate)).contextValue, 'gate:unmerged');

      // chant merge: fast-forward main; Refresh asks git again.
      git('merge', '-q', '--ff-only', branch);
      await vscode.commands.executeCommand('chant.refresh');
      assert.equal(await gateText(), 'Issue #7: upstream pull request (fix completed · merged into main)');

      // A fix with no branch and no commits: Chant cannot tell, and says so.
      writeSpec(FIX, ['---', 'type: code', 'status: completed', 'labels:', '- fix', '- issue-7', '---', '# Fix #7']);
      await settle();
      assert.equal(await gateText(), 'Issue #7: upstream pull request (fix completed · cannot tell whether it is merged)');
      // Tooltips are built on hover: getTreeItem leaves them out, resolveTreeItem adds them.
      const gateNode = (await children(await findGroup('Upstream PR')))[0];
      const gateRow = await api.tree.getTreeItem(gateNode);
      assert.equal(gateRow.tooltip, undefined);
      const tooltip = api.tree.resolveTreeItem(gateRow, gateNode).tooltip as vscode.MarkdownString;
      assert.match(tooltip.value.replace(/&nbsp;/g, ' '), /records no branch and no commits/);
    });

    it('nests the gate under its investigation when grouped by investigation', async () => {
      await api.tree.setGrouping('investigation');
      try {
        const issue = await findGroup('Issue #7');
        assert.deepEqual(await outline(await children(issue)), ['Comprehension (1)', 'Fork Fix (1)', 'Upstream PR (1 gate)']);
        const gate = await children(await findGroup('Upstream PR', issue));
        assert.match((await outline(gate))[0], /^Upstream pull request \(human gate\)/);
      } finally {
        await api.tree.setGrouping('phase');
      }
    });
  });

  describe('cancel', () => {
    const DRIVER = '2026-01-13-001-drv';
    const MEMBER = `${DRIVER}.1`;
    after(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await restoreWorkspace();
    });

    it('writes status: cancelled and leaves every other byte as it was', async () => {
      // Odd formatting the edit must keep: a comment, a quoted value, CRLF line endings.
      const original = fs.readFileSync(specFile(BLOCKED), 'utf8').replace('labels:', '# keep me\nlabels:').replace(/\n/g, '\r\n');
      fs.writeFileSync(specFile(BLOCKED), original);
      await settle();
      const ok = await vscode.commands.executeCommand('chant.cancelSpec', await specNode(BLOCKED), { confirmed: true });
      assert.equal(ok, true);
      const after = fs.readFileSync(specFile(BLOCKED), 'utf8');
      assert.equal(after, original.replace('status: pending\r\n', 'status: cancelled\r\n'));
      const before = original.split('\r\n');
      const now = after.split('\r\n');
      assert.equal(now.length, before.length);
      assert.deepEqual(
        now.map((line, i) => [line, before[i]]).filter(([a, b]) => a !== b),
        [['status: cancelled', 'status: pending']],
      );
    });

    it('refuses a member like chant: cancel the driver instead', async () => {
      writeSpec(DRIVER, ['---', 'type: driver', 'status: pending', '---', '# Driver']);
      writeSpec(MEMBER, ['---', 'status: pending', '---', '# Member']);
      await settle();
      const before = fs.readFileSync(specFile(MEMBER), 'utf8');
      const node = await specNode(MEMBER);
      assert.equal((await api.tree.getTreeItem(node)).contextValue?.split(':')[4], 'member');
      assert.equal(await vscode.commands.executeCommand('chant.cancelSpec', node, { confirmed: true }), false);
      assert.equal(fs.readFileSync(specFile(MEMBER), 'utf8'), before);
    });

    it('refuses a completed spec', async () => {
      const before = fs.readFileSync(specFile(COMPLETED), 'utf8');
      assert.equal(await vscode.commands.executeCommand('chant.cancelSpec', COMPLETED, { confirmed: true }), false);
      assert.equal(fs.readFileSync(specFile(COMPLETED), 'utf8'), before);
    });

    it('writes the file under an open editor, which reloads it', async () => {
      const doc = await vscode.workspace.openTextDocument(specFile(READY));
      await vscode.window.showTextDocument(doc);
      assert.equal(await vscode.commands.executeCommand('chant.cancelSpec', READY, { confirmed: true }), true);
      assert.match(fs.readFileSync(specFile(READY), 'utf8'), /^status: cancelled$/m);
      await eventually(() => /^status: cancelled$/m.test(doc.getText()), 'the open editor to reload the cancelled status', 3_000);
      assert.equal(doc.isDirty, false);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });

    it('edits an open buffer with unsaved changes and keeps them, unsaved', async () => {
      writeSpec(DRIVER, ['---', 'type: driver', 'status: pending', '---', '# Driver', '', 'Notes']);
      await settle();
      const onDisk = fs.readFileSync(specFile(DRIVER), 'utf8');
      const doc = await vscode.workspace.openTextDocument(specFile(DRIVER));
      const editor = await vscode.window.showTextDocument(doc);
      await editor.edit((b) => b.insert(new vscode.Position(6, 5), ' typed but not saved'));
      assert.equal(doc.isDirty, true);
      assert.equal(await vscode.commands.executeCommand('chant.cancelSpec', DRIVER, { confirmed: true }), true);
      assert.equal(doc.getText(), onDisk.replace('status: pending', 'status: cancelled').replace('Notes', 'Notes typed but not saved'));
      assert.equal(doc.isDirty, true, 'left for the user to save');
      assert.equal(fs.readFileSync(specFile(DRIVER), 'utf8'), onDisk, 'disk untouched');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });
  });

  describe('archive', () => {
    const DONE = '2026-01-14-001-don';
    const OPEN = '2026-01-14-002-opn';
    const DRIVER = '2026-01-14-003-drv';
    const BRANCHED = '2026-01-14-004-brn';
    const branch = `chant/${BRANCHED}`;
    after(restoreWorkspace);

    before(async () => {
      writeSpec(DONE, ['---', 'type: task', 'status: completed', '---', '# Done and tracked']);
      writeSpec(OPEN, ['---', 'type: task', 'status: pending', '---', '# Still pending']);
      writeSpec(DRIVER, ['---', 'type: driver', 'status: completed', '---', '# Driver']);
      writeSpec(`${DRIVER}.1`, ['---', 'status: completed', '---', '# Member one']);
      writeSpec(`${DRIVER}.2`, ['---', 'status: pending', '---', '# Member two']);
      writeSpec(BRANCHED, ['---', 'type: code', 'status: completed', `branch: ${branch}`, '---', '# Branched']);
      git('add', '.chant');
      git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'specs for archive tests');
      await settle();
    });

    it('moves a completed, tracked spec into archive/<date>/ with git mv and commits it as chant does', async () => {
      // chant commits the archive only when nothing else is uncommitted: start from a clean tree.
      if (git('status', '--porcelain', '--untracked-files=no').trim()) git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-am', 'earlier tests');
      const outcome = await vscode.commands.executeCommand<{ archived: string[]; commit?: string }>('chant.archiveSpec', await specNode(DONE), { answer: 'Archive' });
      assert.deepEqual(outcome.archived, [DONE]);
      const moved = path.join(root, '.chant', 'archive', '2026-01-14', `${DONE}.md`);
      assert.ok(fs.existsSync(moved));
      assert.ok(!fs.existsSync(specFile(DONE)));
      assert.ok(outcome.commit, JSON.stringify(outcome));
      assert.equal(git('log', '-1', '--format=%s').trim(), `chant: Archive ${DONE}`);
      assert.equal(git('show', '--name-status', '--format=', '-M', 'HEAD').trim(), `R100\t.chant/specs/${DONE}.md\t.chant/archive/2026-01-14/${DONE}.md`);
    });

    it('shows archived specs in the collapsed Archive node, and they open the file', async () => {
      await settle();
      const archive = (await children()).find((n) => n.kind === 'archive')!;
      assert.equal((await api.tree.getTreeItem(archive)).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
      const archived = await children(archive);
      const item = await api.tree.getTreeItem(archived.find((n) => n.kind === 'spec' && n.id === DONE)!);
      assert.equal(item.contextValue, 'spec:completed:task:archived:single:notargets');
      assert.equal(item.command?.command, 'vscode.open');
      assert.equal((item.command?.arguments?.[0] as vscode.Uri).fsPath, path.join(root, '.chant', 'archive', '2026-01-14', `${DONE}.md`));
    });

    it('refuses a spec that is not completed unless forced', async () => {
      const refused = await vscode.commands.executeCommand<{ archived: string[]; refusal?: string }>('chant.archiveSpec', OPEN, { answer: 'Archive' });
      assert.deepEqual(refused.archived, []);
      assert.match(refused.refusal ?? '', /pending, not completed/);
      assert.ok(fs.existsSync(specFile(OPEN)));
      // Another uncommitted change: chant leaves the archive uncommitted, and says so.
      fs.appendFileSync(specFile(DRIVER), '\nA note.\n');
      const forced = await vscode.commands.executeCommand<{ archived: string[]; notCommitted?: string }>('chant.archiveSpec', OPEN, { answer: 'Archive Anyway' });
      assert.deepEqual(forced.archived, [OPEN]);
      assert.ok(fs.existsSync(path.join(root, '.chant', 'archive', '2026-01-14', `${OPEN}.md`)));
      assert.match(forced.notCommitted ?? '', new RegExp(`other changes are uncommitted \\(\\.chant/specs/${DRIVER}\\.md\\); the move is staged`));
      assert.match(git('status', '--porcelain'), new RegExp(`^R {2}\\.chant/specs/${OPEN}\\.md -> \\.chant/archive/2026-01-14/${OPEN}\\.md$`, 'm'));
      git('checkout', '--', `.chant/specs/${DRIVER}.md`);
    });

    it('refuses a driver whose members are not all completed', async () => {
      await settle();
      const refused = await vscode.commands.executeCommand<{ archived: string[]; refusal?: string }>('chant.archiveSpec', DRIVER, { answer: 'Archive' });
      assert.deepEqual(refused.archived, []);
      assert.match(refused.refusal ?? '', /Not all members of driver/);
      assert.ok(fs.existsSync(specFile(DRIVER)));
    });

    it('refuses a spec whose branch is not merged into the main branch', async () => {
      git('branch', branch);
      git('checkout', '-q', branch);
      fs.writeFileSync(path.join(root, 'src', 'branched.js'), '1;\n');
      git('add', 'src/branched.js');
      git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'work');
      git('checkout', '-q', 'main');
      const refused = await vscode.commands.executeCommand<{ archived: string[]; refusal?: string }>('chant.archiveSpec', BRANCHED, { answer: 'Archive' });
      assert.match(refused.refusal ?? '', new RegExp(`branch '${branch}' has not been merged into main`));
      assert.ok(fs.existsSync(specFile(BRANCHED)));
    });
  });

  describe('spec actions', () => {
    const MISSING = '2026-01-15-001-mis';
    after(async () => {
      fs.rmSync(specFile(MISSING), { force: true });
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await settle();
    });

    it('opens the research output a spec names', async () => {
      const opened = await vscode.commands.executeCommand<string>('chant.openResearchOutput', await specNode(COMPLETED));
      assert.equal(opened, path.join(root, '.chant', 'research', 'overview.md'));
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, opened);
    });

    it('says so instead of opening an output that does not exist yet', async () => {
      writeSpec(MISSING, ['---', 'type: research', 'status: pending', 'target_files:', '- .chant/research/later.md', '---', '# Later']);
      await settle();
      assert.equal(await vscode.commands.executeCommand('chant.openResearchOutput', MISSING), undefined);
      assert.ok(!fs.existsSync(path.join(root, '.chant', 'research', 'later.md')), 'nothing created');
    });

    it('copies the spec id', async () => {
      const copied = await vscode.commands.executeCommand<string>('chant.copySpecId', await specNode(READY));
      assert.equal(copied, READY);
      assert.equal(await vscode.env.clipboard.readText(), READY);
    });

    it('reveals the spec file in the Explorer', async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.env.clipboard.writeText('');
      await vscode.commands.executeCommand('chant.revealSpecInExplorer', await specNode(READY));
      // Revealing selects and focuses the file in the Explorer, and with no editor open Copy Path
      // copies the Explorer's selection: it copies nothing unless the spec file is selected there.
      await vscode.commands.executeCommand('copyFilePath');
      assert.equal(await vscode.env.clipboard.readText(), specFile(READY));
    });
  });

  describe('new spec', () => {
    let created: string | undefined;
    after(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      if (created) fs.rmSync(created, { force: true });
      await settle();
    });

    it('creates specs/<next id>.md in chant shape and selects the first criterion', async () => {
      created = await vscode.commands.executeCommand<string>('chant.newSpec', {
        title: 'Root cause: issue #42 lost write',
        type: 'research',
        phase: 'Root Cause',
        labels: ['issue-42'],
        dependsOn: [COMPLETED],
        informedBy: ['https://github.com/o/r/issues/42'],
        targetFiles: ['.chant/research/root-cause-issue-42-lost-write.md'],
      });
      assert.ok(created);
      const name = path.basename(created, '.md');
      const today = new Date();
      const date = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
      assert.match(name, new RegExp(`^${date}-001-[0-9a-z]{3}$`));
      assert.equal(
        fs.readFileSync(created, 'utf8'),
        [
          '---',
          'type: research',
          'status: pending',
          'depends_on:',
          `- ${COMPLETED}`,
          'labels:',
          '- root-cause',
          '- issue-42',
          'target_files:',
          '- .chant/research/root-cause-issue-42-lost-write.md',
          'informed_by:',
          '- https://github.com/o/r/issues/42',
          '---',
          '',
          '# Root cause: issue #42 lost write',
          '',
          '## Acceptance Criteria',
          '',
          '- [ ] Write the findings to `.chant/research/root-cause-issue-42-lost-write.md`',
          '- [ ] Document the evidence for each conclusion with `path:line` references',
          '- [ ] Add the open questions and what would settle them',
          '',
        ].join('\n'),
      );
      const editor = vscode.window.activeTextEditor!;
      assert.equal(editor.document.uri.fsPath, created);
      // The starting criterion is selected, so typing replaces it.
      assert.equal(editor.document.getText(editor.selection), 'Write the findings to `.chant/research/root-cause-issue-42-lost-write.md`');
      assert.equal(editor.selection.start.line, 18);
      await settle();
      const group = await findGroup('Root Cause');
      assert.ok((await children(group)).some((n) => n.kind === 'spec' && n.id === name));
    });

    it('refuses a title with a line break and writes nothing', async () => {
      const before = fs.readdirSync(path.join(root, '.chant', 'specs')).length;
      const result = await vscode.commands.executeCommand('chant.newSpec', { title: 'two\nlines', type: 'code', phase: null, labels: [], dependsOn: [] });
      assert.equal(result, undefined);
      assert.equal(fs.readdirSync(path.join(root, '.chant', 'specs')).length, before);
    });

    it('asks the remaining questions with real quick inputs', async () => {
      // Everything but depends_on is given; the multi-select appears and is accepted with nothing picked.
      const pending = vscode.commands.executeCommand<string>('chant.newSpec', { title: 'Asked', type: 'task', phase: null, labels: [], open: false });
      const file = await acceptUntilDone(pending, 10_000);
      assert.ok(file, 'a file was created');
      assert.doesNotMatch(fs.readFileSync(file, 'utf8'), /depends_on/);
      fs.rmSync(file);
    });
  });

  describe('initialize and several projects', () => {
    const nested = (): string => path.join(root, 'packages', 'web');
    let silentRepo: string | undefined;
    after(async () => {
      fs.rmSync(path.join(root, 'packages'), { recursive: true, force: true });
      if (silentRepo) fs.rmSync(silentRepo, { recursive: true, force: true });
      await settle();
    });

    it('initializes an empty folder like chant init, and the tree then shows one root per project', async () => {
      fs.mkdirSync(nested(), { recursive: true });
      fs.writeFileSync(path.join(nested(), 'package.json'), '{ "name": "@acme/web" }\n');
      const result = await vscode.commands.executeCommand<{ projectName: string; created: string[] }>('chant.init', nested());
      assert.equal(result.projectName, '@acme/web');
      const config = fs.readFileSync(path.join(nested(), '.chant', 'config.md'), 'utf8');
      assert.match(config, /^---\nproject:\n {2}name: "@acme\/web"\n\ndefaults:\n {2}prompt: standard\n---\n/);
      assert.ok(fs.statSync(path.join(nested(), '.chant', 'specs')).isDirectory());
      assert.deepEqual(fs.readdirSync(path.join(nested(), '.chant', 'prompts')).sort(), [
        'comprehension.md',
        'fix.md',
        'impact-map.md',
        'reproduce.md',
        'research.md',
        'root-cause.md',
        'standard.md',
        'upstream-pr.md',
      ]);
      assert.match(fs.readFileSync(path.join(nested(), '.chant', '.gitignore'), 'utf8'), /^# Local state \(not shared\)\n\.locks\//);

      assert.equal(api.projects.projects().length, 2);
      const roots = await children();
      assert.ok(roots.every((n) => n.kind === 'project'));
      assert.deepEqual(await outline(roots), [`fixture (${path.basename(root)})`, '@acme/web (packages/web)']);
      const fixtureRoot = roots.find((n) => n.index.paths.root === root)!;
      assert.deepEqual(await outline(await children(fixtureRoot)), ['Comprehension (1)', 'Reproduction (1)', 'Root Cause (1)', 'Fork Fix (1)', 'Archive']);
      const webRoot = roots.find((n) => n.index.paths.root === nested())!;
      assert.deepEqual(await outline(await children(webRoot)), ['Archive']);
      assert.equal(api.tree.getParent((await children(fixtureRoot))[0]), fixtureRoot);
    });

    it('refuses to initialize a project twice', async () => {
      assert.equal(await vscode.commands.executeCommand('chant.init', root), undefined);
    });

    it('initializes in silent mode: .chant/ goes into the git exclude file', async () => {
      silentRepo = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-silent-'));
      execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: silentRepo });
      const result = await vscode.commands.executeCommand<{ excludeFile?: string }>('chant.initSilent', silentRepo);
      assert.equal(result.excludeFile, path.join(silentRepo, '.git', 'info', 'exclude'));
      assert.match(fs.readFileSync(result.excludeFile!, 'utf8'), /^\.chant\/$/m);
      assert.equal(execFileSync('git', ['status', '--porcelain'], { cwd: silentRepo, encoding: 'utf8' }), '');
    });
  });

  describe('corpus snapshot', () => {
    const copy = (): string => path.join(root, 'corpus-copy');
    after(async () => {
      fs.rmSync(copy(), { recursive: true, force: true });
      await settle();
    });

    it('shows a real chant project: 66 specs, 96 archived', async function () {
      requireCorpus(this);
      fs.cpSync(CORPUS, path.join(copy(), '.chant'), { recursive: true });
      await settle();
      const project = (await children()).find((n) => n.index.paths.root === copy());
      assert.ok(project, 'the copy is a second project');
      const nodes = await children(project);
      assert.deepEqual(await outline(nodes), ['Unphased (66)', 'Archive']);
      const specs = (await allNodes(project)).filter((n) => n.kind === 'spec');
      assert.equal(specs.length, 66);
      assert.equal(new Set(specs.map((n) => n.kind === 'spec' && n.id)).size, 66);
      const archive = nodes.find((n) => n.kind === 'archive')!;
      assert.equal((await children(archive)).length, 96);
      assert.equal((await api.tree.getTreeItem(archive)).description, '96');
      const unphased = nodes.find((n) => n.kind === 'group')!;
      assert.equal((await children(unphased)).length, 52, '14 members sit below their drivers');
      // Snapshot of the other groupings (the corpus is a fixed copy of a real project).
      const expected: Record<string, string[]> = {
        status: ['In progress (1)', 'Ready (3)', 'Blocked (3)', 'Completed (59)', 'Archive (96)'],
        type: ['code (55)', 'task (3)', 'driver (1)', 'research (5)', 'group (2)', 'Archive (96)'],
      };
      try {
        for (const [mode, groups] of Object.entries(expected)) {
          await api.tree.setGrouping(mode as 'status' | 'type');
          const fresh = (await children()).find((n) => n.index.paths.root === copy())!;
          // The archive is read lazily, and a late watcher event from the copy may have re-indexed
          // the project since it was opened; its count shows once it is loaded.
          await fresh.index.loadArchive();
          assert.deepEqual(await outline(await children(fresh)), groups, mode);
        }
      } finally {
        await api.tree.setGrouping('phase');
      }
    });
  });
});
