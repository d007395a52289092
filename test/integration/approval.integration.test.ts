// Approve, Reject and Re-research from here in a real extension host: the commands edit the spec
// file exactly as `chant approve --by` / `chant reject --by --reason` would (CHANT-FORMAT §2.2
// `approval`, §2.4 `## Approval Discussion`), keeping every other byte; the approver defaults to
// git's `user.name` in a real input box; re-research writes a research spec placed in the chain.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { localStamp, utcStamp } from '../../src/core/workflow/approval';
import { acceptUntilDone, eventually } from './wait';

const EXTENSION_ID = 'chant-vscode.chant-vscode';
const GATED = '2026-04-01-001-ap1';
const PHASE = '2026-04-01-002-ap2';
const NOW = new Date(2026, 3, 1, 9, 5, 7);
// Comments, odd spacing and a CRLF-free body that a YAML round trip would not keep.
const GATED_TEXT = `---
type: code
status: pending   # waits on the approval
approval:
  required: true
  status: pending
labels: [fix, issue-5150]
---

# Gate the fix

Body  with  spacing.

## Acceptance Criteria

- [ ] the fix
`;
const DOC = '.chant/research/issue-5150-root-cause.md';
const PHASE_TEXT = `---
type: research
status: completed
labels:
- root-cause
- issue-5150
target_files:
- ${DOC}
---

# Root cause: issue #5150 lost writes
`;

describe('Approve, Reject and Re-research', () => {
  let root: string;
  let api: { projects: { findSpec(id: string): { spec: { approval?: { status?: string } } } | undefined } };
  const created: string[] = [];
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
  const specFile = (id: string): string => path.join(root, '.chant', 'specs', `${id}.md`);

  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    await extension.activate();
    api = extension.exports as typeof api;
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    git('config', 'user.name', 'Ada Approver');
    fs.writeFileSync(specFile(GATED), GATED_TEXT);
    fs.writeFileSync(specFile(PHASE), PHASE_TEXT);
    fs.mkdirSync(path.dirname(path.join(root, DOC)), { recursive: true });
    fs.writeFileSync(path.join(root, DOC), '# Root cause\n\nThe writer races.\n');
    created.push(specFile(GATED), specFile(PHASE), path.join(root, DOC));
    await eventually(() => !!api.projects.findSpec(GATED) && !!api.projects.findSpec(PHASE), 'the index to see the specs');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const file of created) fs.rmSync(file, { force: true });
    git('config', '--unset', 'user.name');
  });

  it('rejects with a reason: the approval map and the discussion entry, every other byte kept', async () => {
    const result = await vscode.commands.executeCommand('chant.rejectSpec', GATED, { by: 'Bob Reviewer', reason: 'Scope too large', now: NOW });
    assert.equal(result, 'reject');
    assert.equal(
      fs.readFileSync(specFile(GATED), 'utf8'),
      GATED_TEXT.replace(
        'approval:\n  required: true\n  status: pending\n',
        `approval:\n  required: true\n  status: rejected\n  by: Bob Reviewer\n  at: ${utcStamp(NOW)}\n`,
      ) + `\n## Approval Discussion\n\n**Bob Reviewer** - ${localStamp(NOW)} - REJECTED\nScope too large\n`,
    );
    await eventually(() => api.projects.findSpec(GATED)?.spec.approval?.status === 'rejected', 'the index to read the rejection');
  });

  it('approves with the approver from git user.name, asked in a real input box', async () => {
    const before = fs.readFileSync(specFile(GATED), 'utf8');
    const result = await acceptUntilDone(vscode.commands.executeCommand('chant.approveSpec', GATED, { now: NOW }));
    assert.equal(result, 'approve');
    assert.equal(
      fs.readFileSync(specFile(GATED), 'utf8'),
      before.replace(`  status: rejected\n  by: Bob Reviewer\n`, `  status: approved\n  by: Ada Approver\n`) + `\n**Ada Approver** - ${localStamp(NOW)} - APPROVED\n`,
    );
    await eventually(() => api.projects.findSpec(GATED)?.spec.approval?.status === 'approved', 'the index to read the approval');
  });

  it('commits the decision as chant does when git tracks the spec: only the spec file, "chant(<id>): approve spec"', async () => {
    const tracked = '2026-04-01-003-ap3';
    const other = path.join(root, 'staged-elsewhere.txt');
    fs.writeFileSync(specFile(tracked), GATED_TEXT.replace('# Gate the fix', '# Gate the tracked fix'));
    git('add', '--', specFile(tracked));
    git('-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'add a gated spec', '--', specFile(tracked));
    // Something else the user staged stays staged: the decision's commit holds the spec alone.
    fs.writeFileSync(other, 'mine\n');
    git('add', '--', other);
    try {
      await eventually(() => !!api.projects.findSpec(tracked), 'the index to see the tracked spec');
      const result = await vscode.commands.executeCommand('chant.approveSpec', tracked, { by: 'Ada Approver', now: NOW });
      assert.equal(result, 'approve');
      assert.equal(git('log', '-1', '--format=%s').trim(), `chant(${tracked}): approve spec`);
      assert.deepEqual(git('show', '--name-only', '--format=', 'HEAD').trim().split('\n'), [`.chant/specs/${tracked}.md`]);
      assert.equal(git('status', '--porcelain', '--', specFile(tracked)).trim(), '', 'the spec is committed');
      assert.match(git('status', '--porcelain', '--', other), /^A {2}staged-elsewhere\.txt/m, 'the other staged file is still only staged');
      const rejected = await vscode.commands.executeCommand('chant.rejectSpec', tracked, { by: 'Bob Reviewer', reason: 'Not yet', now: NOW });
      assert.equal(rejected, 'reject');
      assert.equal(git('log', '-1', '--format=%s').trim(), `chant(${tracked}): reject spec`);
    } finally {
      git('reset', '-q', '--', other);
      fs.rmSync(other, { force: true });
      git('rm', '-q', '--', specFile(tracked));
      git('-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'remove the gated spec', '--', specFile(tracked));
    }
  });

  it('approving an approved spec changes nothing', async () => {
    const before = fs.readFileSync(specFile(GATED), 'utf8');
    assert.equal(await vscode.commands.executeCommand('chant.approveSpec', GATED, { by: 'Someone Else', now: new Date() }), undefined);
    assert.equal(fs.readFileSync(specFile(GATED), 'utf8'), before);
  });

  it('re-research from a phase writes a research spec informed by the phase and its document, after it in the chain', async () => {
    const id = (await vscode.commands.executeCommand('chant.reResearch', PHASE, { question: 'does the lock cover compaction?', now: NOW, open: false })) as string | undefined;
    assert.ok(id, 'a spec id');
    const file = specFile(id);
    created.push(file);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /^---\ntype: research\nstatus: pending\n/);
    assert.match(text, new RegExp(`depends_on:\\n- ${PHASE}\\n`));
    assert.match(text, /labels:\n- root-cause\n- issue-5150\n/);
    assert.match(text, new RegExp(`informed_by:\\n- \\.chant/specs/${PHASE}\\.md\\n- ${DOC.replace(/\./g, '\\.')}\\n`));
    assert.match(text, /# Re-research \(Root Cause\): issue #5150 does the lock cover compaction\?/);
    await eventually(() => !!api.projects.findSpec(id), 'the index to see the new spec');
  });
});
