import * as assert from 'node:assert/strict';
import { issueReportMarkdown, issueReportPath, issueUrlFor, parseIssueJson, repositoryOfRemote, summaryFromTitle } from '../../src/core/workflow/issueImport';
import { reResearchSpec } from '../../src/core/workflow/reResearch';
import { DEFAULT_PHASES } from '../../src/core/workflow/phases';
import { parseSpec } from '../../src/core/spec/specParser';
import { makeSpec } from './specFactory';

// What `gh issue view 1234 --json title,body,labels,comments,url,number` prints (shape as gh's).
const GH = {
  number: 1234,
  title: 'Data loss on concurrent writes <script>alert(1)</script>',
  url: 'https://github.com/yourproject/kvstore/issues/1234',
  labels: [{ id: 'L1', name: 'bug', description: '', color: 'd73a4a' }],
  body: '## Steps\n\n1. run two writers\n<img src=x onerror=alert(1)>\n\n---\nexpected: both keys',
  comments: [{ id: 'C1', author: { login: 'maint' }, body: '# Confirmed\nalso on 2.1', createdAt: '2026-02-07T10:00:00Z' }],
};

describe('issue import', () => {
  it('writes the issue as a report where the issue text stays data', () => {
    const issue = parseIssueJson(JSON.stringify(GH));
    assert.equal(issueReportPath(issue.number), '.chant/research/issue-1234-report.md');
    assert.equal(
      issueReportMarkdown(issue),
      [
        '# Issue #1234: Data loss on concurrent writes &lt;script>alert(1)&lt;/script>',
        '',
        '- URL: <https://github.com/yourproject/kvstore/issues/1234>',
        '- Labels: bug',
        '',
        'Imported from GitHub with `gh issue view`. The text below is the reporter’s, quoted as written.',
        '',
        '## Report',
        '',
        '> ## Steps',
        '>',
        '> 1. run two writers',
        '> &lt;img src=x onerror=alert(1)>',
        '>',
        '> ---',
        '> expected: both keys',
        '',
        '## Comments (1)',
        '',
        '### maint on 2026-02-07T10:00:00Z',
        '',
        '> # Confirmed',
        '> also on 2.1',
        '',
      ].join('\n'),
    );
  });

  it('keeps code byte for byte (fenced blocks, inline spans) and neutralizes HTML outside it without mangling &', () => {
    const body = [
      'Run `kvstore compact & kvstore set <k> v` twice.',
      '',
      '```sh',
      'kvstore compact &',
      'for i in $(seq 1 50); do kvstore set "k$i" <v> ; done',
      '  <b>not html</b> && echo "a < b"',
      '',
      '```',
      'Tom & Jerry <img src=x onerror=alert(1)>',
      '',
      '    indented <code> & more',
      '~~~',
      '<script>alert(1)</script>',
      '~~~',
      'Unclosed `tick <i>',
      'Escaped \\`<b>` is no code span',
    ].join('\n');
    const report = issueReportMarkdown(parseIssueJson({ ...GH, body, comments: [] }));
    const quotedBody = report.slice(report.indexOf('## Report\n\n') + 11, report.indexOf('\n\n## Comments'));
    assert.equal(
      quotedBody,
      [
        '> Run `kvstore compact & kvstore set <k> v` twice.',
        '>',
        '> ```sh',
        '> kvstore compact &',
        '> for i in $(seq 1 50); do kvstore set "k$i" <v> ; done',
        '>   <b>not html</b> && echo "a < b"',
        '>',
        '> ```',
        '> Tom & Jerry &lt;img src=x onerror=alert(1)>',
        '>',
        '>     indented &lt;code> & more',
        '> ~~~',
        '> <script>alert(1)</script>',
        '> ~~~',
        '> Unclosed `tick &lt;i>',
        '> Escaped \\`&lt;b>` is no code span',
      ].join('\n'),
    );
    // Unquoted, each code line is exactly the reporter's.
    const unquoted = quotedBody.split('\n').map((l) => l.replace(/^> ?/, ''));
    for (const code of ['kvstore compact &', '  <b>not html</b> && echo "a < b"', '<script>alert(1)</script>']) assert.ok(unquoted.includes(code), code);
  });

  it('refuses JSON without a number or an https URL; tolerates missing parts', () => {
    assert.throws(() => parseIssueJson({ title: 'x', url: 'https://x/1' }));
    assert.throws(() => parseIssueJson({ number: 1, url: 'javascript:alert(1)' }));
    const bare = parseIssueJson({ number: 7, url: 'https://github.com/o/r/issues/7' });
    assert.deepEqual(bare, { number: 7, title: '', body: '', url: 'https://github.com/o/r/issues/7', labels: [], comments: [] });
    assert.match(issueReportMarkdown(bare), /## Report\n\n> \(empty\)\n\n## Comments \(0\)\n\nNone\.\n/);
  });

  it('makes the summary from the title: one line, no ---, short', () => {
    assert.equal(summaryFromTitle('  Data loss\non --- writes '), 'Data loss on — writes');
    assert.equal(summaryFromTitle('x'.repeat(100)).length, 72);
  });

  it('derives the full issue URL from a number and the remote', () => {
    assert.equal(issueUrlFor(1234, 'git@github.com:yourproject/kvstore.git'), 'https://github.com/yourproject/kvstore/issues/1234');
    assert.equal(issueUrlFor(5, 'https://github.com/o/r'), 'https://github.com/o/r/issues/5');
    assert.equal(issueUrlFor(5, 'ssh://git@github.com/o/r.git'), 'https://github.com/o/r/issues/5');
    assert.deepEqual(repositoryOfRemote('https://user@gitlab.example.com:8443/g/p.git'), { host: 'gitlab.example.com', owner: 'g', repo: 'p' });
    assert.equal(issueUrlFor(5, '/local/path/repo'), undefined);
    assert.equal(issueUrlFor(0, 'https://github.com/o/r'), undefined);
    assert.equal(issueUrlFor(5, 'https://github.com/o/r;rm -rf'), undefined);
  });
});

describe('re-research', () => {
  it('writes a research spec in the same phase and investigation, after the spec, informed by the earlier documents', () => {
    const comp = makeSpec('2026-02-08-001-r4x', { type: 'research', labels: ['comprehension', 'issue-1234'], targetFiles: ['.chant/research/issue-1234-comprehension.md'] });
    const root = makeSpec('2026-02-08-005-k9w', { type: 'research', labels: ['root-cause', 'issue-1234'], targetFiles: ['.chant/research/issue-1234-root-cause.md'] });
    const impact = makeSpec('2026-02-08-008-j3n', { type: 'research', labels: ['impact-map', 'issue-1234'], targetFiles: ['.chant/research/issue-1234-impact-map.md'] });
    const other = makeSpec('2026-02-08-009-zzz', { type: 'research', labels: ['comprehension', 'issue-99'], targetFiles: ['.chant/research/issue-99-comprehension.md'] });
    const made = reResearchSpec({
      from: root,
      investigation: [comp, root, impact, other],
      question: 'is the lock released on the error path?',
      phases: DEFAULT_PHASES,
      existingSpecNames: ['2026-02-08-001-r4x.md', '2026-02-08-005-k9w.md', '2026-02-08-008-j3n.md'],
      availablePrompts: ['research'],
      now: new Date(2026, 1, 8, 12),
      random: () => 0,
    });
    const spec = parseSpec(made.text, { id: made.id, path: `/p/.chant/specs/${made.id}.md` });
    assert.equal(spec.type, 'research');
    assert.deepEqual(spec.labels, ['root-cause', 'issue-1234']);
    assert.deepEqual(spec.dependsOn, [root.id]);
    assert.deepEqual(spec.informedBy, [`.chant/specs/${root.id}.md`, '.chant/research/issue-1234-comprehension.md', '.chant/research/issue-1234-root-cause.md']);
    assert.deepEqual(spec.targetFiles, [made.document]);
    assert.match(made.document, /^\.chant\/research\/issue-1234-root-cause-[a-z0-9]{3}\.md$/);
    assert.equal(spec.prompt, 'research');
    assert.equal(spec.title, made.title);
    assert.ok(made.id.startsWith('2026-02-08-'));
    assert.ok(!made.text.includes('issue-99'));
  });

  it('refuses a spec outside an investigation and a multi-line question', () => {
    const base = {
      investigation: [],
      phases: DEFAULT_PHASES,
      existingSpecNames: [],
      availablePrompts: [],
      now: new Date(2026, 1, 8),
    };
    assert.throws(() => reResearchSpec({ ...base, from: makeSpec('2026-02-08-001-aaa', { labels: ['fix'] }), question: 'q' }));
    assert.throws(() => reResearchSpec({ ...base, from: makeSpec('2026-02-08-001-aaa', { labels: ['fix', 'issue-1'] }), question: 'a\nb' }));
  });
});
