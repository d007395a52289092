// PR drafts are concise: each research document contributes its Summary (or conclusion) section,
// never the whole document, with its headings demoted below the body's own, bounded in length, and
// without the investigator's private notes.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { composePrBody, draftPrBody, isPrivateDocument, MAX_SUMMARY_CHARS, researchSummary } from '../../src/core/workflow/prBody';
import { makeSpec } from './specFactory';

const ROOT_CAUSE = `# Root Cause: issue #1234 data loss

Working notes from the session, long and winding.

## Timeline

We looked at many things first.

## Summary

The writer takes the lock after reading the version.

### Evidence

- src/store.rs:88 reads before locking

### Private notes

Maybe blame the old maintainer? Ask Sam.

<!-- do not share: customer name ACME -->

## Appendix

A huge log.
`;

describe('PR body (concise drafts)', () => {
  it('quotes the Summary section only, its subheadings demoted below the document heading', () => {
    const summary = researchSummary(ROOT_CAUSE);
    assert.equal(summary, 'The writer takes the lock after reading the version.\n\n#### Evidence\n\n- src/store.rs:88 reads before locking');
  });

  it('leaves out private subsections and HTML comments', () => {
    const summary = researchSummary(ROOT_CAUSE);
    assert.doesNotMatch(summary, /Sam|ACME|Private|Timeline|Appendix|huge log/);
  });

  it('falls back to a Conclusion or Root cause section, then to the first paragraph, never the title section whole', () => {
    assert.equal(researchSummary('# Impact map\n\nintro\n\n## Conclusion\n\nTwo other callers.\n\n## Details\n\nx\n'), 'Two other callers.');
    assert.equal(researchSummary('# Notes on #12\n\n## Root cause\n\nA race.\n## Other\ny\n'), 'A race.');
    assert.equal(researchSummary('# Reproduction\n\nThe test fails on main\nwith two writers.\n\n## Steps\n\n1. a\n'), 'The test fails on main\nwith two writers.');
    assert.equal(researchSummary('line 1\r\nline 2\r\n'), 'line 1\nline 2');
  });

  it('bounds each summary, cutting at a line end', () => {
    const long = `## Summary\n\n${Array.from({ length: 200 }, (_, i) => `Line ${i} of a long summary.`).join('\n')}\n`;
    const summary = researchSummary(long);
    assert.ok(summary.length <= MAX_SUMMARY_CHARS + 3, `${summary.length}`);
    assert.match(summary, /\.\n\n…$/);
  });

  it('composes Fixes, one Summary section with a subsection per document, and the changes; no document heading survives as the PR\'s own', () => {
    const fix = makeSpec('2026-02-08-006-fix', { informedBy: ['https://github.com/o/r/issues/1234'], commits: ['abc1234'] });
    const body = composePrBody([fix], fix, [
      { specTitle: 'Root cause', relative: '.chant/research/issue-1234-root-cause.md', text: ROOT_CAUSE },
      { specTitle: 'Empty', relative: '.chant/research/issue-1234-empty.md', text: '# Only a title\n' },
    ]);
    assert.equal(
      body,
      'Fixes https://github.com/o/r/issues/1234\n\n## Summary\n\n### Root cause\n\nThe writer takes the lock after reading the version.\n\n#### Evidence\n\n- src/store.rs:88 reads before locking\n\n## Changes\n\n- abc1234\n',
    );
    assert.doesNotMatch(body, /^# /m);
  });

  it('never quotes a notes document, and says it left it out', async () => {
    assert.ok(isPrivateDocument('.chant/research/issue-12-notes.md'));
    assert.ok(isPrivateDocument('.chant/research/private-scratch.md'));
    assert.ok(!isPrivateDocument('.chant/research/issue-12-root-cause.md'));
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'chant-prbody-'));
    try {
      await fs.mkdir(path.join(root, '.chant', 'research'), { recursive: true });
      await fs.writeFile(path.join(root, '.chant/research/issue-12-notes.md'), '## Summary\n\nSecret hunch.\n');
      await fs.writeFile(path.join(root, '.chant/research/issue-12-root-cause.md'), '## Summary\n\nThe race.\n');
      const research = makeSpec('2026-02-08-001-r', { title: 'Root cause', targetFiles: ['.chant/research/issue-12-notes.md', '.chant/research/issue-12-root-cause.md'] });
      const fix = makeSpec('2026-02-08-002-f', { commits: [] });
      const draft = await draftPrBody([research, fix], fix, root);
      assert.doesNotMatch(draft.body, /Secret hunch/);
      assert.match(draft.body, /### Root cause\n\nThe race\./);
      assert.deepEqual(draft.skipped.map((s) => s.entry), ['.chant/research/issue-12-notes.md']);
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
