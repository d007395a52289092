import * as assert from 'node:assert/strict';
import { parseSpec } from '../../src/core/spec/specParser';

const at = { id: '2026-02-08-001-r4x', path: '/p/.chant/specs/2026-02-08-001-r4x.md' };

describe('parseSpec', () => {
  it('reads a canonical chant file', () => {
    const spec = parseSpec(
      '---\ntype: research\nstatus: completed\nlabels:\n- comprehension\n- issue-1234\ninformed_by:\n- https://example.com/issues/1\ncompleted_at: 2026-02-08T10:41:07Z\ncommits:\n- abc1234\n---\n# Comprehension\n\n## Acceptance Criteria\n\n- [x] one\n- [ ] two\n',
      at,
    );
    assert.equal(spec.type, 'research');
    assert.equal(spec.status, 'completed');
    assert.deepEqual(spec.labels, ['comprehension', 'issue-1234']);
    assert.deepEqual(spec.informedBy, ['https://example.com/issues/1']);
    assert.equal(spec.completedAt, '2026-02-08T10:41:07Z');
    assert.deepEqual(spec.commits, ['abc1234']);
    assert.equal(spec.title, 'Comprehension');
    assert.equal(spec.titleLine, 12);
    assert.deepEqual([spec.acceptance.checked, spec.acceptance.unchecked, spec.acceptance.total], [1, 1, 2]);
    assert.deepEqual(spec.problems, []);
    assert.equal(spec.chantWouldReject, false);
  });

  it('uses chant defaults without frontmatter', () => {
    const spec = parseSpec('# Just a title\n\nbody\n', at);
    assert.equal(spec.hasFrontmatter, false);
    assert.equal(spec.status, 'pending');
    assert.equal(spec.type, 'code');
    assert.equal(spec.title, 'Just a title');
    assert.deepEqual(spec.problems, []);
  });

  it('reports broken YAML with the file line and column, and still returns a spec', () => {
    const spec = parseSpec('---\ntype: code\nstatus: [pending\nlabels:\n- a\n---\n# T\n', at);
    assert.equal(spec.chantWouldReject, true);
    const yaml = spec.problems.find((p) => p.code === 'yaml');
    assert.ok(yaml, 'a yaml problem is reported');
    assert.ok(yaml.line >= 2 && yaml.line <= 5, `line ${yaml.line} is inside the frontmatter`);
    assert.match(yaml.message, /^Invalid YAML frontmatter/);
    assert.equal(spec.title, 'T');
  });

  it('flags unknown status and type at the key, like chant rejects them', () => {
    const spec = parseSpec('---\ntype: conflict\nstatus: done\n---\n# T\n', at);
    assert.equal(spec.status, 'done');
    assert.equal(spec.statusKnown, false);
    assert.equal(spec.typeKnown, false);
    assert.equal(spec.chantWouldReject, true);
    const status = spec.problems.find((p) => p.code === 'unknown-status')!;
    assert.deepEqual([status.line, status.column], [2, 0]);
    const type = spec.problems.find((p) => p.code === 'unknown-type')!;
    assert.deepEqual([type.line, type.column], [1, 0]);
  });

  it('flags a scalar where a list belongs, but accepts a bare depends_on string', () => {
    const spec = parseSpec('---\nlabels: bug\ndepends_on: 2026-01-01-001-abc\n---\n# T\n', at);
    assert.deepEqual(spec.labels, ['bug']);
    assert.deepEqual(spec.dependsOn, ['2026-01-01-001-abc']);
    assert.deepEqual(
      spec.problems.map((p) => p.code),
      ['scalar-list'],
    );
    assert.equal(spec.problems[0].line, 1);
  });

  it('warns on status: ready, which chant can never work', () => {
    const spec = parseSpec('---\nstatus: ready\n---\n# T\n', at);
    assert.equal(spec.chantWouldReject, false);
    assert.equal(spec.problems[0].code, 'status-ready');
  });

  it('closes the frontmatter at the first --- substring, as chant does', () => {
    const spec = parseSpec('---\nlabels: [a---b]\n---\n# T\n', at);
    // chant reads `labels: [a` as the YAML, which is broken: we must agree.
    assert.equal(spec.chantWouldReject, true);
  });

  it('reports an unterminated frontmatter and treats the file as body', () => {
    const spec = parseSpec('---\ntype: code\n# T\n', at);
    assert.equal(spec.hasFrontmatter, false);
    assert.equal(spec.problems[0].code, 'unterminated-frontmatter');
  });

  it('handles CRLF files and a BOM-free leading blank line', () => {
    const spec = parseSpec('\r\n---\r\ntype: task\r\nstatus: pending\r\n---\r\n\r\n# Title\r\n', at);
    assert.equal(spec.type, 'task');
    assert.equal(spec.title, 'Title');
    assert.equal(spec.titleLine, 6);
  });

  it('keeps unknown keys in the frontmatter', () => {
    const spec = parseSpec('---\ntype: code\npr: 12\ncancelled_reason: dup\n---\n# T\n', at);
    assert.equal(spec.frontmatter.pr, 12);
    assert.equal(spec.frontmatter.cancelled_reason, 'dup');
  });

  it('reads approval', () => {
    const spec = parseSpec('---\napproval:\n  required: true\n  status: pending\n---\n# T\n', at);
    assert.deepEqual(spec.approval, { required: true, status: 'pending', by: undefined, at: undefined });
  });

  it('never throws on hostile input', () => {
    for (const text of ['', '---', '------', '---\n---', '---\n: : :\n---', '\u0000\u0001', '---\n*a\n---', '---\n[1,2]\n---\n']) {
      const spec = parseSpec(text, at);
      assert.equal(typeof spec.status, 'string');
    }
  });
});

describe('parseSpec scalars as chant reads them', () => {
  it('keeps hash-like commits as written (yaml would read 9392e79 as a float)', () => {
    const spec = parseSpec('---\ncommits:\n- 9392e79\n- 0123456\n- abc1234\nbranch: 1e5\n---\n# T\n', at);
    assert.deepEqual(spec.commits, ['9392e79', '0123456', 'abc1234']);
    assert.equal(spec.branch, '1e5');
  });
});
