import * as assert from 'node:assert/strict';
import { defaultTargetFile, firstCriterionPosition, labelProblem, listsNeeded, newSpecText, NewSpecError, parseLabelList, slugOf, titleProblem } from '../../src/core/workflow/newSpec';
import { parseSpec } from '../../src/core/spec/specParser';

const where = { id: '2026-02-08-001-r4x', path: '/p/.chant/specs/2026-02-08-001-r4x.md', archived: false };

describe('new spec text', () => {
  it('is what chant writes: type, status, depends_on, labels as block lists; title; starting criteria', () => {
    const text = newSpecText({
      title: 'Fix issue #1234: add locking',
      type: 'code',
      labels: ['fix', 'issue-1234'],
      dependsOn: ['2026-02-08-008-j3n'],
    });
    assert.equal(
      text,
      [
        '---',
        'type: code',
        'status: pending',
        'depends_on:',
        '- 2026-02-08-008-j3n',
        'labels:',
        '- fix',
        '- issue-1234',
        '---',
        '',
        '# Fix issue #1234: add locking',
        '',
        '## Acceptance Criteria',
        '',
        '- [ ] Implement the change this spec names',
        '- [ ] Add tests that cover the change',
        '- [ ] Run the full test suite and the linters without failures',
        '',
      ].join('\n'),
    );
    const spec = parseSpec(text, where);
    assert.deepEqual(spec.problems, []);
    assert.equal(spec.title, 'Fix issue #1234: add locking');
    assert.deepEqual(spec.labels, ['fix', 'issue-1234']);
    assert.deepEqual(spec.dependsOn, ['2026-02-08-008-j3n']);
    assert.equal(spec.acceptance.total, 3);
  });

  it('leaves out empty lists, as chant omits None fields', () => {
    const text = newSpecText({ title: 'Tidy', type: 'task', labels: [], dependsOn: [] });
    assert.ok(text.startsWith('---\ntype: task\nstatus: pending\n---\n'));
  });

  it('quotes labels YAML would misread and reads them back unchanged', () => {
    const labels = ['yes', 'a: b', '#tag', "it's"];
    const spec = parseSpec(newSpecText({ title: 't', type: 'code', labels, dependsOn: [] }), where);
    assert.deepEqual(spec.labels, labels);
    assert.deepEqual(spec.problems, []);
  });

  it('refuses titles with a line break and values chant could not load', () => {
    assert.throws(() => newSpecText({ title: 'a\nstatus: completed', type: 'code', labels: [], dependsOn: [] }), NewSpecError);
    assert.throws(() => newSpecText({ title: '   ', type: 'code', labels: [], dependsOn: [] }), NewSpecError);
    assert.throws(() => newSpecText({ title: 't', type: 'bug' as never, labels: [], dependsOn: [] }), /Unknown spec type/);
    assert.throws(() => newSpecText({ title: 't', type: 'code', labels: ['a---b'], dependsOn: [] }), /---/);
    assert.throws(() => newSpecText({ title: 't', type: 'code', labels: [], dependsOn: ['x---y'] }), NewSpecError);
  });

  it('keeps a markdown-looking title as text in the body', () => {
    const spec = parseSpec(newSpecText({ title: '--- not frontmatter ---', type: 'code', labels: [], dependsOn: [] }), where);
    assert.equal(spec.title, '--- not frontmatter ---');
    assert.equal(spec.status, 'pending');
  });

  it('finds the first criterion for the cursor', () => {
    const text = newSpecText({ title: 't', type: 'code', labels: [], dependsOn: [] });
    assert.deepEqual(firstCriterionPosition(text), { line: 9, character: 6, endCharacter: '- [ ] Implement the change this spec names'.length });
  });

  it('gives research and documentation specs the fields chant lint asks for', () => {
    const research = parseSpec(newSpecText({ title: 'Why is it slow?', type: 'research', labels: [], dependsOn: [], informedBy: [' src/a.ts ', ''], targetFiles: [defaultTargetFile('research', 'Why is it slow?')!] }), where);
    assert.deepEqual(research.informedBy, ['src/a.ts']);
    assert.deepEqual(research.targetFiles, ['.chant/research/why-is-it-slow.md']);
    assert.deepEqual(listsNeeded('research'), ['informedBy', 'targetFiles']);
    const docs = parseSpec(newSpecText({ title: 'API', type: 'documentation', labels: [], dependsOn: [], tracks: ['src/api.ts'], targetFiles: ['docs/api.md'] }), where);
    assert.deepEqual([docs.tracks, docs.targetFiles], [['src/api.ts'], ['docs/api.md']]);
    assert.equal(slugOf('***'), 'spec');
  });

  it('validates titles and labels', () => {
    assert.equal(titleProblem('ok'), undefined);
    assert.match(titleProblem('a\r\nb') ?? '', /single line/);
    assert.match(labelProblem('x---') ?? '', /---/);
  });

  it('parses comma-separated labels', () => {
    assert.deepEqual(parseLabelList(' fix, issue-1234 ,,Fix, docs '), ['fix', 'issue-1234', 'docs']);
    assert.deepEqual(parseLabelList(''), []);
  });
});
