// The fast frontmatter reader must give exactly what the `yaml` path gives: the same frontmatter
// object, the same list and string fields (hash-like commits read from their source) and the same
// problems. We compare whole parsed specs on every corpus file, the tricky fixtures and thousands
// of generated frontmatters built from the edge cases of YAML plain scalars and collections.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { parseFastFrontmatter } from '../../src/core/spec/fastFrontmatter';
import { seededRandom } from '../../bench/generateProject';
import { parseSpec } from '../../src/core/spec/specParser';
import { corpusDir, fixturesDir, markdownFiles } from './paths';
import { requireCorpus } from './prerequisites';


/** Parses with both paths and asserts equal results; returns whether the fast path was taken. */
function assertSamePaths(text: string, label: string): boolean {
  const where = { id: 'x', path: label };
  const fast = parseSpec(text, where);
  const full = parseSpec(text, where, { fullYaml: true });
  assert.deepStrictEqual(fast, full, `fast and yaml paths differ on ${label}:\n${text}`);
  const match = /^\s*---([\s\S]*?)---/.exec(text);
  const direct = match ? parseFastFrontmatter(match[1]) : undefined;
  if (direct) {
    const doc = parseDocument(match![1], { uniqueKeys: true });
    assert.equal(doc.errors.length, 0, `fast path accepted YAML that has errors: ${label}`);
    assert.deepStrictEqual(direct.value, doc.toJS() ?? {}, `values differ on ${label}`);
  }
  return direct !== undefined;
}

const SCALARS = [
  'pending', 'completed', 'blocked', 'code', 'driver', 'conflict', 'docs', 'ready',
  '9392e79', '1e3', '12345', '0012', '-1', '+1', '1.50', '.5', '0x1F', '0o17', '0o8', '0xZZ', '1_000',
  '.inf', '-.inf', '+.INF', '.NaN', '.nan', '~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE',
  'tRue', 'false', 'no', 'yes', 'on', 'off', 'y', 'n', '2026-01-25T10:00:00Z', '2026-01-25', '12:30',
  'claude-opus-4-5', 'a b c', 'a, b', 'a [b]', 'a {b}', 'a:b', 'a: b', 'a:', 'http://x.y/z', 'a #b', 'a#b',
  "'quoted'", "'it''s'", "' spaced '", '"double"', '"esc\\n"', '"a # b"', "'a: b'", '""', "''",
  'é', 'naïve café', '—', '日本', '😀', '\u00a0x', 'x\u00a0', '\u0085', '\ufeff', 'tab\there', '\t',
  '&anchor x', '*alias', '!!str 1', '!tag x', '|', '>', '|-', '%x', '@x', '`x`', '?x', '? x', ':x', ',x',
  '-x', '- x', '-', '...', '---x', '[a, b]', '[]', '[ ]', '[a,,b]', '[a, b,]', "['x', \"y\"]", '[1, 2.0, 9392e79]',
  '[a b, c]', '[a: b]', '[~, null]', '[[a]]', '[a', '{a: 1}', '{}', 'a ]', '"unterminated', "'unterminated",
  'trailing   ', '   ', '', '__proto__', 'constructor', '0', '-0', '-0.0', '00', '1e', 'e1', '1.2.3',
];
const KEYS = [
  'type', 'status', 'depends_on', 'labels', 'target_files', 'informed_by', 'members', 'commits', 'prompt',
  'branch', 'completed_at', 'model', 'replay_count', 'public', 'origin', 'context', 'tracks', 'custom-key',
  'null', 'true', 'True', '1', '__proto__', 'constructor', 'toString', 'a b', 'key ', '"quoted"', 'k:v', '_x',
];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)];
}

function generatedFrontmatter(next: () => number): string {
  const lines: string[] = [];
  const count = 1 + Math.floor(next() * 8);
  for (let i = 0; i < count; i++) {
    const key = pick(next, KEYS);
    const shape = next();
    if (shape < 0.45) {
      lines.push(`${key}: ${pick(next, SCALARS)}`);
    } else if (shape < 0.75) {
      lines.push(`${key}:${next() < 0.2 ? '  ' : ''}`);
      const indent = pick(next, ['', '', '  ', '    ', ' ']);
      const items = Math.floor(next() * 4);
      for (let j = 0; j < items; j++) {
        const odd = next() < 0.08 ? pick(next, ['', '  ', ' ']) : indent;
        lines.push(`${odd}-${next() < 0.05 ? '' : ' '}${pick(next, SCALARS)}`);
        if (next() < 0.05) lines.push('');
      }
    } else if (shape < 0.9) {
      lines.push(`${key}:`);
      const indent = pick(next, ['  ', '  ', '    ', ' ']);
      const items = Math.floor(next() * 4);
      for (let j = 0; j < items; j++) {
        const odd = next() < 0.08 ? pick(next, ['', '   ', '      ']) : indent;
        lines.push(`${odd}${pick(next, ['required', 'status', 'by', 'at', ...KEYS])}: ${pick(next, SCALARS)}`);
      }
    } else {
      lines.push(pick(next, ['# a comment', '', '  ', '  # indented comment', 'continued line', '  continued', '...', '- stray']));
    }
  }
  const newline = next() < 0.03 ? '\r\n' : '\n';
  const opening = next() < 0.05 ? pick(next, [' ', ' x', '-', '  ']) : '';
  return `---${opening}\n${lines.join(newline)}\n---\n\n# Title\n`;
}

describe('fast frontmatter reader', function () {
  // Thousands of comparisons through the full yaml parser: seconds on a busy CI machine.
  this.timeout(60000);

  it('agrees with yaml on the tricky fixtures', () => {
    const dir = path.join(fixturesDir, 'tricky');
    for (const file of markdownFiles(dir)) assertSamePaths(readFileSync(file, 'utf8'), file);
  });

  it('agrees with yaml on every corpus file, and takes the fast path for almost all of them', function () {
    requireCorpus(this);
    const files = markdownFiles(corpusDir);
    assert.ok(files.length > 0);
    let fast = 0;
    for (const file of files) if (assertSamePaths(readFileSync(file, 'utf8'), file)) fast++;
    // The fast path is only worth having if chant's own files take it.
    assert.ok(fast / files.length > 0.9, `fast path taken for ${fast} of ${files.length} corpus files`);
  });

  it('agrees with yaml on each edge-case scalar as a value, a list item and a flow item', () => {
    for (const scalar of SCALARS) {
      for (const key of ['status', 'commits', 'replay_count', 'prompt']) {
        assertSamePaths(`---\n${key}: ${scalar}\n---\n# T\n`, `${key}: ${scalar}`);
        assertSamePaths(`---\n${key}:\n- ${scalar}\n- b\n---\n# T\n`, `${key}: - ${scalar}`);
        assertSamePaths(`---\n${key}:\n  - a\n  - ${scalar}\n---\n# T\n`, `${key}:   - ${scalar}`);
        assertSamePaths(`---\n${key}: [a, ${scalar}]\n---\n# T\n`, `${key}: [${scalar}]`);
      }
      assertSamePaths(`---\napproval:\n  required: ${scalar}\n  status: ${scalar}\n---\n# T\n`, `approval ${scalar}`);
    }
    for (const key of KEYS) assertSamePaths(`---\n${key}: x\n---\n# T\n`, `key ${key}`);
  });

  it('agrees with yaml on 10,000 generated frontmatters', () => {
    const next = seededRandom(20260124); // seeded, so a failure names a reproducible case
    let fast = 0;
    for (let i = 0; i < 10000; i++) {
      if (assertSamePaths(generatedFrontmatter(next), `generated #${i}`)) fast++;
    }
    // Enough cases must reach the fast path for the comparison to mean something.
    assert.ok(fast > 500, `only ${fast} generated cases took the fast path`);
  });

  it('reads the shapes chant writes', () => {
    const fm = parseFastFrontmatter('\ntype: code\nstatus: completed\ncommits:\n- 9392e79\nlabels: [a, b]\napproval:\n  required: true\n');
    assert.ok(fm);
    assert.deepStrictEqual(fm.value, {
      type: 'code',
      status: 'completed',
      commits: [9.392e82],
      labels: ['a', 'b'],
      approval: { required: true },
    });
    assert.deepStrictEqual(fm.listItems('commits'), ['9392e79']);
    assert.equal(fm.keyOffset('status'), 12);
  });

  it('leaves comments, anchors, block scalars and multi-line values to yaml', () => {
    for (const yaml of ['\na: b # c\n', '\na: &x b\nc: *x\n', '\na: |\n  b\n', '\na: b\n  c\n', '\na:\tb\n', '\na: "b\\n"\n']) {
      assert.equal(parseFastFrontmatter(yaml), undefined, JSON.stringify(yaml));
    }
  });
});
