// listCriteria walks the body in place for speed; it must give exactly what the line-array rules
// of findAcceptanceSection give. The reference below is the straightforward version.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { seededRandom } from '../../bench/generateProject';
import { LineMap, splitFrontmatter } from '../../src/core/spec/frontmatter';
import { findAcceptanceSection, listCriteria, type CriterionRef } from '../../src/core/spec/criteria';
import { parseSpec } from '../../src/core/spec/specParser';
import { corpusDir, fixturesDir, markdownFiles } from './paths';
import { requireCorpus } from './prerequisites';

function reference(text: string): { hasSection: boolean; items: CriterionRef[] } {
  const start = splitFrontmatter(text).bodyStart;
  const lines = text.slice(start).split('\n');
  const section = findAcceptanceSection(lines);
  if (!section) return { hasSection: false, items: [] };
  const origin = new LineMap(text).position(start);
  const items: CriterionRef[] = [];
  for (const i of section.lines) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    const boxes = [...line.matchAll(/- \[([ xX])\]/g)];
    boxes.forEach((m, k) => {
      const at = m.index!;
      const next = k + 1 < boxes.length ? boxes[k + 1].index! : line.length;
      items.push({
        index: items.length,
        line: origin.line + i,
        column: (i === 0 ? origin.column : 0) + at,
        checked: m[1] !== ' ',
        text: line.slice(at + 5, next).trim(),
      });
    });
  }
  return { hasSection: true, items };
}


const PIECES = [
  '## Acceptance Criteria', '  ## Acceptance Criteria', '### Acceptance Criteria', '## Acceptance Criteria (v2)',
  '- [ ] one', '- [x] two', '  - [X] nested', '- [ ] a - [x] b', '- [y] not a box', '-[ ] no', '```', '  ```ts',
  '## Next', '### Sub', 'text', '', '   ', '\u00a0## Acceptance Criteria', 'a\r', '- [ ] crlf\r', '```\r', '## \r',
];

/**
 * The parser counts the boxes in place (src/core/spec/acceptanceSummary.ts) and keeps the counts
 * alone: they must equal the reference's.
 */
function assertParsedSummary(text: string, label: string): void {
  const expected = reference(text);
  const checked = expected.items.filter((item) => item.checked).length;
  const summary = parseSpec(text, { id: 'x', path: label }).acceptance;
  assert.deepStrictEqual(
    summary,
    {
      hasSection: expected.hasSection,
      checked,
      unchecked: expected.items.length - checked,
      total: expected.items.length,
    },
    label,
  );
}

describe('listCriteria', () => {
  const matchesReference = (files: string[]): void => {
    assert.ok(files.length > 0);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      assert.deepStrictEqual(listCriteria(text), reference(text), file);
      assertParsedSummary(text, file);
    }
  };

  it('matches the line-array reference on the tricky fixtures', () => {
    matchesReference(markdownFiles(path.join(fixturesDir, 'tricky')));
  });

  it('matches the line-array reference on every corpus file', function () {
    requireCorpus(this);
    matchesReference(markdownFiles(corpusDir));
  });

  it('matches the line-array reference on 5,000 generated bodies', () => {
    const next = seededRandom(4242);
    for (let n = 0; n < 5000; n++) {
      const lines: string[] = [];
      const count = Math.floor(next() * 14);
      for (let i = 0; i < count; i++) lines.push(PIECES[Math.floor(next() * PIECES.length)]);
      const front = next() < 0.7 ? '---\nstatus: pending\n---\n' : '';
      const text = `${front}${lines.join(next() < 0.2 ? '\r\n' : '\n')}${next() < 0.5 ? '\n' : ''}`;
      assert.deepStrictEqual(listCriteria(text), reference(text), JSON.stringify(text));
      assertParsedSummary(text, JSON.stringify(text));
    }
  });
});
