import * as assert from 'node:assert/strict';
import { applyApproval, ApprovalError, localStamp, utcStamp } from '../../src/core/workflow/approval';

// A local time, so the discussion stamp is the same in every time zone; `at` is its UTC form.
const NOW = new Date(2026, 0, 28, 14, 30, 45);
const AT = utcStamp(NOW);

const ADDED = `---
type: code
status: pending
approval:
  required: true
  status: pending
---

# Fix login
`;

describe('approval edits (chant approve / reject)', () => {
  it('approve writes the approval map and the discussion entry as chant does', () => {
    assert.equal(localStamp(NOW), '2026-01-28 14:30');
    assert.match(AT, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.equal(
      applyApproval(ADDED, { kind: 'approve' }, { by: 'marcos', now: NOW }),
      `---
type: code
status: pending
approval:
  required: true
  status: approved
  by: marcos
  at: ${AT}
---

# Fix login

## Approval Discussion

**marcos** - 2026-01-28 14:30 - APPROVED
`,
    );
  });

  // chant inserts the entry right before the `\n## ` of the next section: no blank line after it.
  it('reject then approve appends to the one discussion, before the next section', () => {
    const text = `${ADDED}\n## Approval Discussion\n\n**sarah** - 2026-01-15 09:30 - REJECTED\nold reason\n\n## Agent Output\n\nx\n`;
    const rejected = applyApproval(text, { kind: 'reject', reason: 'Scope too large' }, { by: 'bob', now: NOW });
    assert.equal(
      rejected,
      `---
type: code
status: pending
approval:
  required: true
  status: rejected
  by: bob
  at: ${AT}
---

# Fix login

## Approval Discussion

**sarah** - 2026-01-15 09:30 - REJECTED
old reason

**bob** - 2026-01-28 14:30 - REJECTED
Scope too large
## Agent Output

x
`,
    );
    const approved = applyApproval(rejected, { kind: 'approve' }, { by: 'bob', now: NOW });
    assert.ok(approved.includes('  status: approved\n  by: bob\n'));
    assert.ok(approved.includes('Scope too large\n\n**bob** - 2026-01-28 14:30 - APPROVED\n## Agent Output\n'));
  });

  it('approving an approved spec changes nothing; a spec without approval gets required: false', () => {
    const once = applyApproval(ADDED, { kind: 'approve' }, { by: 'marcos', now: NOW });
    assert.equal(applyApproval(once, { kind: 'approve' }, { by: 'ann', now: NOW }), once);
    const plain = '---\r\ntype: code\r\nstatus: pending\r\n---\r\n\r\n# T\r\n';
    const out = applyApproval(plain, { kind: 'reject', reason: 'no' }, { by: 'Ann Lee', now: NOW });
    assert.equal(out, `---\r\ntype: code\r\nstatus: pending\r\napproval:\r\n  required: false\r\n  status: rejected\r\n  by: Ann Lee\r\n  at: ${AT}\r\n---\r\n\r\n# T\r\n\r\n## Approval Discussion\r\n\r\n**Ann Lee** - 2026-01-28 14:30 - REJECTED\r\nno\r\n`);
  });

  it('keeps the rest of the file byte for byte', () => {
    const text = `---\n# a comment\ntype: code   # trailing\nstatus: pending\nlabels: [a, b]\napproval:\n  required: true\n  status: pending\nunknown_key: {x: 1}\n---\n\n# T\n\nBody *as is*  \n`;
    const out = applyApproval(text, { kind: 'approve' }, { by: 'x', now: NOW });
    assert.ok(out.startsWith('---\n# a comment\ntype: code   # trailing\nstatus: pending\nlabels: [a, b]\napproval:\n'));
    assert.ok(out.includes('unknown_key: {x: 1}\n---\n\n# T\n\nBody *as is*\n\n## Approval Discussion'));
  });

  it('refuses an empty name, a name with a newline and a rejection without a reason', () => {
    assert.throws(() => applyApproval(ADDED, { kind: 'approve' }, { by: ' ', now: NOW }), ApprovalError);
    assert.throws(() => applyApproval(ADDED, { kind: 'approve' }, { by: 'a\nb', now: NOW }), ApprovalError);
    assert.throws(() => applyApproval(ADDED, { kind: 'reject', reason: '  ' }, { by: 'a', now: NOW }), ApprovalError);
  });
});
