// PR drafts are concise: each research document contributes its Summary (or conclusion) section,
// never the whole document, with its headings demoted below the body's own, bounded in length, and
// without the investigator's private notes.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { composePrBody, draftPrBody, isPrivateDocument, MAX_SUMMARY_CHARS, prTitle, researchSummary } from '../../src/core/workflow/prBody';
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

  it('reads like a maintainer\'s PR: Fixes #N, summary, root cause, the fix with commit subjects and files, how it was tested', () => {
    const comprehension = makeSpec('2026-02-08-001-r4x', { title: 'Comprehension: issue #1234', labels: ['comprehension', 'issue-1234'], informedBy: ['https://github.com/o/r/issues/1234'] });
    const reproduction = makeSpec('2026-02-08-004-m2p', { title: 'Reproduce issue #1234', labels: ['reproduction', 'issue-1234'], targetFiles: ['tests/regression/issue_1234_test.rs', 'Cargo.toml'] });
    const fix = makeSpec('2026-02-08-010-v7b', { title: 'Fix issue #1234: add locking to concurrent writes', labels: ['fix', 'issue-1234'], commits: ['abc1234', 'def5678'] });
    const specs = [comprehension, reproduction, fix];
    const documents = [
      { specTitle: comprehension.title!, phase: 'Comprehension', relative: '.chant/research/issue-1234-comprehension.md', text: '# C\n\n## Summary\n\nTwo writers lose a write.\nSee .chant/specs/2026-02-08-001-r4x.md for the plan.\n' },
      { specTitle: 'Root cause', phase: 'Root Cause', relative: '.chant/research/issue-1234-root-cause.md', text: ROOT_CAUSE },
    ];
    const body = composePrBody(specs, fix, documents, {
      target: { repo: 'o/r' },
      fixFacts: {
        commits: [
          { sha: 'abc1234', subject: 'chant(2026-02-08-010-v7b): take an exclusive lock from load to rename' },
          { sha: 'def5678', subject: 'chant(2026-02-08-010-v7b): finalize spec' },
        ],
        files: ['src/storage/store.rs', '.chant/specs/2026-02-08-010-v7b.md'],
      },
      specText: (s) => (s.id === reproduction.id ? 'Run `cargo test --test issue_1234` ten times.' : undefined),
    });
    assert.equal(
      body,
      [
        'Fixes #1234',
        '',
        '## Summary',
        '',
        'Two writers lose a write.',
        '',
        '## Root cause',
        '',
        'The writer takes the lock after reading the version.\n\n#### Evidence\n\n- src/store.rs:88 reads before locking',
        '',
        '## Fix',
        '',
        '- take an exclusive lock from load to rename (abc1234)',
        '',
        'Files changed: `src/storage/store.rs`.',
        '',
        '## How it was tested',
        '',
        '- `tests/regression/issue_1234_test.rs` reproduces the issue: it fails without the fix and passes with it.',
        '- Run it with `cargo test --test issue_1234`.',
        '',
      ].join('\n'),
    );
    assert.doesNotMatch(body, /^# /m);
    assert.doesNotMatch(body, /\.chant\/|2026-02-08-|chant\(/, 'nothing private goes out');
    // Another repository's issue is referred to by owner/repo#N; a staging PR refers to it without closing it.
    assert.match(composePrBody(specs, fix, [], { target: { repo: 'me/r' } }), /^Fixes o\/r#1234$/m);
    assert.match(composePrBody(specs, fix, [], { target: { repo: 'me/r', staging: true } }), /^Refs o\/r#1234$/m);
    assert.match(composePrBody([fix], fix, []), /## How it was tested\n\n- _Say how you tested the fix\._/);
    assert.equal(prTitle(fix, 'https://github.com/o/r/issues/1234'), 'Add locking to concurrent writes (#1234)');
    assert.equal(prTitle(makeSpec('2026-02-08-011-abc', { title: 'Handle empty keys' })), 'Handle empty keys');
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
      assert.match(draft.body, /## Summary\n\nThe race\./);
      assert.deepEqual(draft.skipped.map((s) => s.entry), ['.chant/research/issue-12-notes.md']);
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
