import * as assert from 'node:assert/strict';
import { frontmatterContextAt, idReferenceAt, lineRange, specLayout, type TextRange } from '../../src/core/spec/frontmatterRanges';

/** The text a range covers (single-line ranges only). */
function textAt(text: string, range: TextRange): string {
  assert.equal(range.line, range.endLine, 'single-line range');
  return text.split('\n')[range.line].slice(range.column, range.endColumn);
}

const SPEC = [
  '---', //                                   0
  'type: code', //                            1
  'status: pending', //                       2
  'depends_on:', //                           3
  '- 2026-01-10-001-abc', //                  4
  '- "002-def"', //                           5
  'informed_by: [docs/a.md, "https://x.io/y"]', // 6
  'prompt: focused', //                       7
  'branch: chant/2026-01-10-004-jkl', //      8
  '---', //                                   9
  '', //                                     10
  '# Title', //                              11
  '', //                                     12
  'See [[2026-01-10-003-ghi]] and [[ 004-jkl ]].', // 13
  '', //                                     14
  '## Acceptance Criteria', //               15
  '', //                                     16
  '- [ ] one', //                            17
  '',
].join('\n');

describe('specLayout', () => {
  const layout = specLayout(SPEC);

  it('finds the delimiters, the body and the acceptance heading', () => {
    assert.equal(layout.openingLine, 0);
    assert.equal(layout.closingLine, 9);
    assert.equal(layout.bodyLine, 11);
    assert.equal(layout.acceptanceHeadingLine, 15);
  });

  it('locates keys in file order', () => {
    assert.deepEqual([...layout.fields.keys()], ['type', 'status', 'depends_on', 'informed_by', 'prompt', 'branch']);
    const status = layout.fields.get('status')!;
    assert.deepEqual(status.keyRange, { line: 2, column: 0, endLine: 2, endColumn: 6 });
    assert.equal(textAt(SPEC, status.scalar!.range), 'pending');
  });

  it('locates block sequence items, inside the quotes of quoted ones', () => {
    const deps = layout.fields.get('depends_on')!;
    assert.equal(deps.isSequence, true);
    assert.deepEqual(
      deps.items.map((i) => i.text),
      ['2026-01-10-001-abc', '002-def'],
    );
    assert.deepEqual(deps.items[0].range, { line: 4, column: 2, endLine: 4, endColumn: 20 });
    assert.deepEqual(deps.items[1].range, { line: 5, column: 3, endLine: 5, endColumn: 10 });
  });

  it('locates flow sequence items', () => {
    const informed = layout.fields.get('informed_by')!;
    assert.deepEqual(
      informed.items.map((i) => [i.text, textAt(SPEC, i.range)]),
      [
        ['docs/a.md', 'docs/a.md'],
        ['https://x.io/y', 'https://x.io/y'],
      ],
    );
  });

  it('collects id references: id fields, other full ids in the YAML, [[id]] in the body', () => {
    assert.deepEqual(
      layout.idReferences.map((r) => [r.id, r.source, textAt(SPEC, r.range)]),
      [
        ['2026-01-10-001-abc', 'depends_on', '2026-01-10-001-abc'],
        ['002-def', 'depends_on', '002-def'],
        ['2026-01-10-004-jkl', 'frontmatter', '2026-01-10-004-jkl'],
        ['2026-01-10-003-ghi', 'wikilink', '2026-01-10-003-ghi'],
        ['004-jkl', 'wikilink', '004-jkl'],
      ],
    );
  });

  it('finds the reference under a position, ends included', () => {
    assert.equal(idReferenceAt(layout, 4, 2)?.id, '2026-01-10-001-abc');
    assert.equal(idReferenceAt(layout, 4, 20)?.id, '2026-01-10-001-abc');
    assert.equal(idReferenceAt(layout, 4, 1), undefined);
    assert.equal(idReferenceAt(layout, 13, 10)?.id, '2026-01-10-003-ghi');
  });

  it('treats a bare depends_on string as its one item', () => {
    const text = '---\ndepends_on: 001-abc\n---\n# T\n';
    const deps = specLayout(text).fields.get('depends_on')!;
    assert.equal(deps.isSequence, false);
    assert.deepEqual(
      deps.items.map((i) => [i.text, textAt(text, i.range)]),
      [['001-abc', '001-abc']],
    );
  });

  it('still places what it can in broken YAML', () => {
    const text = '---\nstatus: pending\nlabels: [a, b\n---\n# T\n';
    const layout = specLayout(text);
    assert.deepEqual(layout.fields.get('status')?.keyRange, { line: 1, column: 0, endLine: 1, endColumn: 6 });
  });

  it('has no fields and no delimiters without frontmatter', () => {
    const layout = specLayout('# Just a title\n\nBody [[x-1]].\n');
    assert.equal(layout.openingLine, undefined);
    assert.equal(layout.fields.size, 0);
    assert.equal(layout.bodyLine, 0);
    assert.deepEqual(
      layout.idReferences.map((r) => r.id),
      ['x-1'],
    );
  });

  it('counts lines of CRLF files like LF files', () => {
    const text = SPEC.replace(/\n/g, '\r\n');
    const layout = specLayout(text);
    assert.equal(layout.closingLine, 9);
    assert.deepEqual(layout.fields.get('depends_on')!.items[0].range, { line: 4, column: 2, endLine: 4, endColumn: 20 });
    assert.deepEqual(lineRange(text, layout.lines, 11), { line: 11, column: 0, endLine: 11, endColumn: 7 });
  });
});

describe('frontmatterContextAt', () => {
  const at = (text: string): ReturnType<typeof frontmatterContextAt> => {
    // `|` marks the cursor.
    const offset = text.indexOf('|');
    const clean = text.slice(0, offset) + text.slice(offset + 1);
    const before = clean.slice(0, offset).split('\n');
    return frontmatterContextAt(clean, before.length - 1, before[before.length - 1].length);
  };

  it('completes keys at the start of a top-level line', () => {
    assert.deepEqual(at('---\nty|\n---\n'), { kind: 'key', partial: 'ty', startColumn: 0 });
    assert.deepEqual(at('---\n|\n---\n'), { kind: 'key', partial: '', startColumn: 0 });
  });

  it('completes values after key:', () => {
    assert.deepEqual(at('---\nstatus: |\n---\n'), { kind: 'value', key: 'status', partial: '', startColumn: 8 });
    assert.deepEqual(at('---\nstatus: pe|\n---\n'), { kind: 'value', key: 'status', partial: 'pe', startColumn: 8 });
    assert.deepEqual(at('---\nprompt: "fo|\n---\n'), { kind: 'value', key: 'prompt', partial: 'fo', startColumn: 9 });
  });

  it('completes items of the key above a - line', () => {
    assert.deepEqual(at('---\ndepends_on:\n- 2026-01-10-001-abc\n- 00|\n---\n'), {
      kind: 'item',
      key: 'depends_on',
      partial: '00',
      startColumn: 2,
    });
    assert.deepEqual(at('---\ninformed_by:\n\n  - |\n---\n'), { kind: 'item', key: 'informed_by', partial: '', startColumn: 4 });
    assert.deepEqual(at('---\ndepends_on:\n-|\n---\n'), { kind: 'item', key: 'depends_on', partial: '', startColumn: 1 });
  });

  it('completes items inside a flow sequence', () => {
    assert.deepEqual(at('---\ncontext: [a.md, sr|\n---\n'), { kind: 'item', key: 'context', partial: 'sr', startColumn: 16 });
  });

  it('offers nothing outside the frontmatter, on its delimiters or in comments', () => {
    assert.equal(at('---\nstatus: pending\n---\n# T\n|'), undefined);
    assert.equal(at('|---\nstatus: pending\n---\n'), undefined);
    assert.equal(at('---\nstatus: pending\n|---\n'), undefined);
    assert.equal(at('# no frontmatter\n|'), undefined);
    assert.equal(at('---\nstatus: pending # pe|\n---\n'), undefined);
    assert.equal(at('---\napproval:\n  req|\n---\n'), undefined);
  });

  it('does not treat items under a key that already has a value as its items', () => {
    assert.equal(at('---\nprompt: x\n- |\n---\n'), undefined);
  });
});
