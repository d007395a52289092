// Lossless spec edits: every byte the caller did not ask to change must survive. The corpus tests run
// over real chant files when ../shared/corpus is present; the tricky fixtures pin down exact bytes.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { leadingWhitespaceLength, splitFrontmatter } from '../../src/core/spec/frontmatter';
import { SpecEditError, detectEol, removeField, setField, setFields, type FieldValue, type SpecEditErrorCode } from '../../src/core/spec/specEdit';
import { findAcceptanceSection, listCriteria } from '../../src/core/spec/criteria';
import { setCriterion } from '../../src/core/spec/criteriaEdit';
import { corpusDir, fixturesDir, markdownFiles } from './paths';
import { requireCorpus } from './prerequisites';

const trickyDir = path.join(fixturesDir, 'tricky');

function fixture(name: string): string {
  return readFileSync(path.join(trickyDir, name), 'utf8');
}

/** The frontmatter as a plain object, BOM ignored (the edits treat a leading BOM as transparent). */
function frontmatterOf(text: string): Record<string, unknown> {
  const split = splitFrontmatter(text.replace(/^\uFEFF/, ''));
  assert.ok(split.hasFrontmatter, 'expected a frontmatter');
  return (YAML.parse(split.yaml) as Record<string, unknown> | null) ?? {};
}

/** Parse-after-edit: the key holds the new value (or is gone) and every other key is unchanged. */
function assertReadsBack(before: string, after: string, key: string, value: FieldValue | undefined): void {
  const expected = before.replace(/^\uFEFF/, '').trimStart().startsWith('---') ? frontmatterOf(before) : {};
  if (value === undefined) delete expected[key];
  else expected[key] = value;
  assert.deepEqual(frontmatterOf(after), expected);
}

function throwsEdit(fn: () => unknown, code: SpecEditErrorCode): void {
  assert.throws(fn, (e: unknown) => e instanceof SpecEditError && e.code === code);
}

/** Lines removed and added between two texts, after their common first and last lines. */
function lineDiff(a: string, b: string): { removed: string[]; added: string[] } {
  const la = a.split('\n');
  const lb = b.split('\n');
  let p = 0;
  while (p < la.length && p < lb.length && la[p] === lb[p]) p++;
  let s = 0;
  while (s < la.length - p && s < lb.length - p && la[la.length - 1 - s] === lb[lb.length - 1 - s]) s++;
  return { removed: la.slice(p, la.length - s), added: lb.slice(p, lb.length - s) };
}


/**
 * Top-level values "as chant reads them": like YAML.parse, except that a plain scalar YAML 1.2 reads
 * as a number inside a list keeps its text. chant writes commit SHAs such as `9392e79` unquoted and
 * reads them as strings; the `yaml` package reads them as 9.392e82 (or Infinity).
 */
function chantValues(yamlText: string): Map<string, { parsed: unknown; chant: unknown; numericText: boolean }> {
  const doc = YAML.parseDocument(yamlText);
  const out = new Map<string, { parsed: unknown; chant: unknown; numericText: boolean }>();
  if (!YAML.isMap(doc.contents)) return out;
  for (const pair of doc.contents.items) {
    const key = String((pair.key as YAML.Scalar).value);
    const v = pair.value;
    const parsed = YAML.isNode(v) ? v.toJS(doc) : v;
    let numericText = false;
    let chant = parsed;
    if (YAML.isSeq(v)) {
      chant = v.items.map((item) => {
        if (YAML.isScalar(item) && item.type === 'PLAIN' && typeof item.value === 'number') {
          numericText = true;
          return item.source;
        }
        return YAML.isNode(item) ? item.toJS(doc) : item;
      });
    }
    out.set(key, { parsed, chant, numericText });
  }
  return out;
}

/** A literal port of chant's count_total_checkboxes (spec/parse.rs), as an independent oracle. */
function chantCountTotal(body: string): number {
  const lines = body.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const ts = (l: string): string => l.slice(leadingWhitespaceLength(l));
  let fence = false;
  let last = -1;
  lines.forEach((line, i) => {
    const t = ts(line);
    if (t.startsWith('```')) {
      fence = !fence;
      return;
    }
    if (!fence && t.startsWith('## Acceptance Criteria')) last = i;
  });
  if (last < 0) return 0;
  fence = false;
  let inAc = false;
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    const t = ts(lines[i]);
    if (t.startsWith('```')) {
      fence = !fence;
      continue;
    }
    if (fence) continue;
    if (i === last) {
      inAc = true;
      continue;
    }
    if (inAc && t.startsWith('## ')) break;
    if (inAc) count += lines[i].split('- [ ]').length - 1 + lines[i].split('- [x]').length - 1 + lines[i].split('- [X]').length - 1;
  }
  return count;
}

describe('specEdit', () => {
  describe('round-trip over the corpus', function () {
    let files: { file: string; text: string }[] = [];

    before(function () {
      requireCorpus(this);
      files = markdownFiles(corpusDir).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
      assert.ok(files.length > 0, `no .md files under ${corpusDir}`);
    });

    it('re-setting every top-level key to its current value returns identical bytes', () => {
      const failures: string[] = [];
      for (const { file, text } of files) {
        const split = splitFrontmatter(text);
        if (!split.hasFrontmatter) continue;
        for (const [key, v] of chantValues(split.yaml)) {
          for (const value of [v.parsed, v.chant]) {
            if (setField(text, key, value as FieldValue) !== text) failures.push(`${file} ${key}`);
          }
        }
      }
      assert.deepEqual(failures, []);
    });

    it('changing status rewrites only the status line, and setting it back restores the bytes', () => {
      const failures: string[] = [];
      for (const { file, text } of files) {
        const split = splitFrontmatter(text);
        if (!split.hasFrontmatter) continue;
        const old = chantValues(split.yaml).get('status')?.parsed;
        const changed = setField(text, 'status', 'needs_attention');
        const { removed, added } = lineDiff(text, changed);
        const okRemoved = old === undefined ? removed.length === 0 : removed.length === 1 && removed[0].startsWith('status:');
        const okAdded = added.length === 1 && /^status: needs_attention\r?$/.test(added[0]);
        if (!okRemoved || !okAdded) failures.push(`${file}: ${JSON.stringify({ removed, added })}`);
        const back = old === undefined ? removeField(changed, 'status') : setField(changed, 'status', old as FieldValue);
        if (back !== text) failures.push(`${file}: not restored`);
      }
      assert.deepEqual(failures, []);
    });

    it('rewriting any field and setting it back reproduces the chant-written bytes', () => {
      // This goes through the real rendering path (not the no-op shortcut), so it checks that what we
      // write has chant's shape. Lists holding SHA-like text that YAML 1.2 reads as a number are the
      // one known difference: chant leaves `- 48e0408` bare, we quote it so every YAML reader agrees.
      const failures: string[] = [];
      let quotedOnPurpose = 0;
      for (const { file, text } of files) {
        const split = splitFrontmatter(text);
        if (!split.hasFrontmatter) continue;
        for (const [key, v] of chantValues(split.yaml)) {
          const value = v.chant;
          const temp: FieldValue = Array.isArray(value)
            ? [...(value as string[]), 'zz-extra']
            : value !== null && typeof value === 'object'
              ? { ...(value as Record<string, unknown>), zz: 'extra' }
              : 'zz-temp';
          const back = setField(setField(text, key, temp), key, value as FieldValue);
          if (v.numericText) {
            quotedOnPurpose++;
            assert.deepEqual(chantValues(splitFrontmatter(back).yaml).get(key)?.chant, value, `${file} ${key}`);
          } else if (back !== text) {
            failures.push(`${file} ${key}`);
          }
        }
      }
      assert.deepEqual(failures, []);
      assert.ok(quotedOnPurpose < 20, `unexpectedly many numeric-looking list items: ${quotedOnPurpose}`);
    });

    it('toggling each criterion and toggling it back restores the bytes', () => {
      const failures: string[] = [];
      let boxes = 0;
      for (const { file, text } of files) {
        const { items } = listCriteria(text);
        for (const item of items) {
          boxes++;
          const toggled = setCriterion(text, item.index, !item.checked);
          const diff = lineDiff(text, toggled);
          if (diff.removed.length !== 1 || diff.added.length !== 1) failures.push(`${file} #${item.index}: more than one line`);
          if (setCriterion(toggled, item.index, item.checked) !== text) failures.push(`${file} #${item.index}: not restored`);
        }
      }
      assert.deepEqual(failures, []);
      assert.ok(boxes > 0);
    });

    it('finds as many boxes as chant counts', () => {
      const failures: string[] = [];
      for (const { file, text } of files) {
        const split = splitFrontmatter(text);
        const total = chantCountTotal(split.body);
        if (listCriteria(text).items.length !== total) failures.push(`${file}: chant ${total}`);
      }
      assert.deepEqual(failures, []);
    });
  });

  describe('tricky files: every key re-set to its value is a no-op', () => {
    for (const name of [
      'crlf.md',
      'comments.md',
      'flow-and-quotes.md',
      'approval.md',
      'bom.md',
      'glued-close.md',
      'tricky-body.md',
      'odd-values.md',
    ]) {
      it(name, () => {
        const text = fixture(name);
        const data = frontmatterOf(text);
        assert.ok(Object.keys(data).length > 0);
        for (const [key, value] of Object.entries(data)) {
          assert.equal(setField(text, key, value as FieldValue), text, key);
        }
      });
    }
  });

  describe('CRLF files', () => {
    const text = fixture('crlf.md');

    it('detects the line ending', () => {
      assert.equal(detectEol(text), '\r\n');
      assert.equal(detectEol('a\nb\r\nc\n'), '\n');
      assert.equal(detectEol('no line break'), '\n');
    });

    it('replaces a value in place', () => {
      const out = setField(text, 'status', 'completed');
      assert.equal(out, text.replace('status: pending\r\n', 'status: completed\r\n'));
      assertReadsBack(text, out, 'status', 'completed');
    });

    it('inserts new lines with CRLF, in chant order', () => {
      const out = setField(text, 'depends_on', ['2026-01-01-001-abc']);
      assert.equal(
        out,
        '---\r\ntype: code\r\nstatus: pending\r\ndepends_on:\r\n- 2026-01-01-001-abc\r\nlabels:\r\n- a\r\n---\r\n\r\n# CRLF spec\r\n\r\n## Acceptance Criteria\r\n\r\n- [ ] one\r\n- [x] two\r\n',
      );
      assertReadsBack(text, out, 'depends_on', ['2026-01-01-001-abc']);
    });

    it('rewrites a block list with CRLF', () => {
      const out = setField(text, 'labels', ['a', 'b']);
      assert.equal(out, text.replace('labels:\r\n- a\r\n', 'labels:\r\n- a\r\n- b\r\n'));
      assertReadsBack(text, out, 'labels', ['a', 'b']);
    });

    it('lists and toggles criteria without touching the \\r', () => {
      const { items } = listCriteria(text);
      assert.deepEqual(items, [
        { index: 0, line: 11, column: 0, checked: false, text: 'one' },
        { index: 1, line: 12, column: 0, checked: true, text: 'two' },
      ]);
      assert.equal(setCriterion(text, 0, true), text.replace('- [ ] one\r\n', '- [x] one\r\n'));
      assert.equal(setCriterion(text, 1, false), text.replace('- [x] two\r\n', '- [ ] two\r\n'));
    });

    it('creates a frontmatter with CRLF in a CRLF file without one', () => {
      const body = '# T\r\n\r\nbody\r\n';
      assert.equal(setField(body, 'status', 'pending'), '---\r\nstatus: pending\r\n---\r\n# T\r\n\r\nbody\r\n');
    });
  });

  describe('comments and unknown keys', () => {
    const text = fixture('comments.md');

    it('keeps the comment after a replaced scalar', () => {
      const out = setField(text, 'status', 'completed');
      assert.equal(out, text.replace('status: pending # why pending\n', 'status: completed # why pending\n'));
      assertReadsBack(text, out, 'status', 'completed');
      const typed = setField(text, 'type', 'task');
      assert.equal(typed, text.replace('type: code   # trailing', 'type: task   # trailing'));
    });

    it('edits an unknown key in place and keeps its comment', () => {
      const out = setField(text, 'custom_key', 'changed');
      assert.equal(out, text.replace('custom_key: keep me   # unknown key', 'custom_key: changed   # unknown key'));
      assertReadsBack(text, out, 'custom_key', 'changed');
    });

    it('keeps a non-empty flow mapping in flow style', () => {
      const out = setField(text, 'x-tool', { a: 2, b: 'two words' });
      assert.equal(out, text.replace('x-tool: {a: 1}', 'x-tool: {a: 2, b: two words}'));
      assertReadsBack(text, out, 'x-tool', { a: 2, b: 'two words' });
    });

    it('removes a block list with the comments inside it, but not the comment above it', () => {
      const out = removeField(text, 'labels');
      assert.equal(
        out,
        '---\n# leading comment\ntype: code   # trailing comment on type\nstatus: pending # why pending\n# about labels\ncustom_key: keep me   # unknown key\nx-tool: {a: 1}\n# trailing comment\n---\n# Comments everywhere\n\nBody text.\n',
      );
      assertReadsBack(text, out, 'labels', undefined);
    });

    it('inserts after the previous known key, before the comment that belongs to the next one', () => {
      const out = setField(text, 'depends_on', ['2026-01-01-001-abc']);
      assert.equal(
        out,
        text.replace('# why pending\n# about labels\n', '# why pending\ndepends_on:\n- 2026-01-01-001-abc\n# about labels\n'),
      );
      assertReadsBack(text, out, 'depends_on', ['2026-01-01-001-abc']);
    });

    it('inserts after a block list including its indented trailing comment; unknown keys stay put', () => {
      const out = setField(text, 'prompt', 'standard');
      assert.equal(
        out,
        text.replace('  # indented note under beta\ncustom_key:', '  # indented note under beta\nprompt: standard\ncustom_key:'),
      );
      assertReadsBack(text, out, 'prompt', 'standard');
    });

    it('appends unknown new keys at the end of the frontmatter', () => {
      const out = setField(text, 'zzz', 3);
      assert.equal(out, text.replace('# trailing comment\n---\n', '# trailing comment\nzzz: 3\n---\n'));
      assertReadsBack(text, out, 'zzz', 3);
    });

    it('writes a block value after a key-line comment when replacing a scalar with a list', () => {
      const src = '---\ndepends_on: 2026-01-01-001-abc # one for now\n---\n# T\n';
      const out = setField(src, 'depends_on', ['2026-01-01-001-abc', '2026-01-02-002-def']);
      assert.equal(out, '---\ndepends_on: # one for now\n- 2026-01-01-001-abc\n- 2026-01-02-002-def\n---\n# T\n');
      assertReadsBack(src, out, 'depends_on', ['2026-01-01-001-abc', '2026-01-02-002-def']);
    });
  });

  describe('flow lists, quoting and empty values', () => {
    const text = fixture('flow-and-quotes.md');

    it('keeps the quote style of a replaced string', () => {
      assert.equal(setField(text, 'status', 'in_progress'), text.replace('status: "pending"', 'status: "in_progress"'));
      assert.equal(setField(text, 'type', 'task'), text.replace("type: 'code'", "type: 'task'"));
      assert.equal(setField(text, 'type', "it's"), text.replace("type: 'code'", "type: 'it''s'"));
    });

    it('treats a differently spelled equal value as a no-op', () => {
      assert.equal(setField(text, 'status', 'pending'), text);
      assert.equal(setField(text, 'labels', []), text);
      assert.equal(setField(text, 'empty_value', null), text);
      assert.equal(setField(text, 'depends_on', ['2026-01-01-001-abc', '2026-01-02-002-def']), text);
    });

    it('keeps a non-empty flow list in flow style', () => {
      const deps = ['2026-01-01-001-abc', '2026-01-02-002-def', '2026-01-03-003-ghi'];
      const out = setField(text, 'depends_on', deps);
      assert.equal(out, text.replace('def]\n', 'def, 2026-01-03-003-ghi]\n'));
      assertReadsBack(text, out, 'depends_on', deps);
      const files = setField(text, 'target_files', ['src/b.ts', 'src/c.ts']);
      assert.equal(files, text.replace('target_files: [src/a.ts]   #', 'target_files: [src/b.ts, src/c.ts]   #'));
    });

    it('writes a block list where the old value was the empty list chant writes as []', () => {
      const out = setField(text, 'labels', ['bug', 'ui']);
      assert.equal(out, text.replace('labels: []\n', 'labels:\n- bug\n- ui\n'));
      assertReadsBack(text, out, 'labels', ['bug', 'ui']);
    });

    it('fills a key that has an empty value', () => {
      const out = setField(text, 'empty_value', 'now set');
      assert.equal(out, text.replace('empty_value:\n', 'empty_value: now set\n'));
      assertReadsBack(text, out, 'empty_value', 'now set');
      const listed = setField(text, 'empty_value', ['a']);
      assert.equal(listed, text.replace('empty_value:\n', 'empty_value:\n- a\n'));
    });

    it('quotes only when YAML needs it, with single quotes like serde_yaml', () => {
      const at = (v: string): string => setField(text, 'prompt', v).split('\n').find((l) => l.startsWith('prompt:'))!;
      assert.equal(at('my-prompt'), 'prompt: my-prompt');
      assert.equal(at('has: colon'), "prompt: 'has: colon'");
      assert.equal(at('0233978'), "prompt: '0233978'");
      assert.equal(at('123'), "prompt: '123'");
      assert.equal(at('true'), "prompt: 'true'");
      assert.equal(at('yes'), "prompt: 'yes'");
      assert.equal(at('on'), "prompt: 'on'");
      assert.equal(at(''), "prompt: ''");
      assert.equal(at('#hash'), "prompt: '#hash'");
      assert.equal(at('2026-01-24T16:47:33Z'), 'prompt: 2026-01-24T16:47:33Z');
      assert.equal(at('two\nlines'), 'prompt: "two\\nlines"');
      for (const v of ['has: colon', '0233978', 'yes', '', '#hash', 'two\nlines', "it's: here", 'tab\there']) {
        assertReadsBack(text, setField(text, 'prompt', v), 'prompt', v);
      }
    });

    it('writes numbers, booleans and null plainly', () => {
      const out = setFields(text, { public: false, replay_count: 2, prompt: null });
      assert.equal(out, text.replace('prompt: standard\n', 'prompt: null\nreplay_count: 2\npublic: false\n'));
    });
  });

  describe('nested maps (approval)', () => {
    const text = fixture('approval.md');

    it('writes a map as a two-space block map', () => {
      const approval = { required: true, status: 'approved', by: 'alice', at: '2026-01-25T10:00:00Z' };
      const out = setField(text, 'approval', approval);
      assert.equal(
        out,
        '---\ntype: code\nstatus: pending\nprompt: standard\napproval:\n  required: true\n  status: approved\n  by: alice\n  at: 2026-01-25T10:00:00Z\n---\n\n# Fix login\n',
      );
      assertReadsBack(text, out, 'approval', approval);
    });

    it('treats the same map in another key order as a no-op', () => {
      assert.equal(setField(text, 'approval', { status: 'pending', required: true }), text);
    });

    it('removes a whole block map', () => {
      assert.equal(removeField(text, 'approval'), '---\ntype: code\nstatus: pending\nprompt: standard\n---\n\n# Fix login\n');
    });

    it('inserts around it in chant order', () => {
      const out = setFields(text, { members: ['m1'], labels: ['x'] });
      assert.equal(
        out,
        '---\ntype: code\nstatus: pending\nlabels:\n- x\nprompt: standard\napproval:\n  required: true\n  status: pending\nmembers:\n- m1\n---\n\n# Fix login\n',
      );
    });

    it('writes chant\'s canonical --needs-approval shape into an empty frontmatter', () => {
      const out = setFields(fixture('empty-frontmatter.md'), {
        approval: { required: true, status: 'pending' },
        status: 'pending',
        type: 'code',
      });
      assert.equal(out, '---\ntype: code\nstatus: pending\napproval:\n  required: true\n  status: pending\n---\n# Empty frontmatter\n');
    });

    it('renders lists and maps nested in a map like serde_yaml', () => {
      const out = setField(text, 'retry_state', { attempts: 2, history: ['a', 'b'], nested: { k: 'v' }, none: [] });
      assert.ok(
        out.includes('retry_state:\n  attempts: 2\n  history:\n  - a\n  - b\n  nested:\n    k: v\n  none: []\n---'),
        out,
      );
      assertReadsBack(text, out, 'retry_state', { attempts: 2, history: ['a', 'b'], nested: { k: 'v' }, none: [] });
    });
  });

  describe('a BOM at the start', () => {
    const text = fixture('bom.md');

    it('stays first and the edit lands in the frontmatter behind it', () => {
      const out = setField(text, 'status', 'completed');
      assert.equal(out, '\uFEFF---\ntype: code\nstatus: completed\n---\n# Starts with a BOM\n');
      assertReadsBack(text, out, 'status', 'completed');
      assert.equal(removeField(text, 'type'), '\uFEFF---\nstatus: pending\n---\n# Starts with a BOM\n');
      assert.equal(
        setField(text, 'labels', ['a']),
        '\uFEFF---\ntype: code\nstatus: pending\nlabels:\n- a\n---\n# Starts with a BOM\n',
      );
    });

    it('stays first when a frontmatter is created', () => {
      assert.equal(setField('\uFEFF# T\n', 'type', 'code'), '\uFEFF---\ntype: code\n---\n# T\n');
    });
  });

  describe('no frontmatter at all', () => {
    const text = fixture('no-frontmatter.md');

    it('creates one holding only the requested key and keeps the body bytes', () => {
      const out = setField(text, 'status', 'pending');
      assert.equal(out, '---\nstatus: pending\n---\n' + text);
      assert.deepEqual(frontmatterOf(out), { status: 'pending' });
      assert.equal(splitFrontmatter(out).body, splitFrontmatter(text).body);
      assert.equal(setField(text, 'labels', ['a', 'b']), '---\nlabels:\n- a\n- b\n---\n' + text);
    });

    it('removing from it changes nothing', () => {
      assert.equal(removeField(text, 'status'), text);
    });

    it('still finds the criteria', () => {
      assert.deepEqual(listCriteria(text).items, [{ index: 0, line: 6, column: 0, checked: false, text: 'only box' }]);
      assert.equal(setCriterion(text, 0, true), text.replace('- [ ] only box', '- [x] only box'));
    });
  });

  describe('a closing --- glued to the last value', () => {
    const text = fixture('glued-close.md');

    it('replaces an inline value without moving the delimiter', () => {
      assert.equal(setField(text, 'status', 'completed'), '---\ntype: code\nstatus: completed---\n# Glued closing delimiter\n');
    });

    it('gives the delimiter its own line when a block or a trailing dash would run into it', () => {
      const out = setField(text, 'labels', ['a']);
      assert.equal(out, '---\ntype: code\nstatus: pending\nlabels:\n- a\n---\n# Glued closing delimiter\n');
      assertReadsBack(text, out, 'labels', ['a']);
      const dash = setField(text, 'status', 'wip-');
      assert.equal(dash, '---\ntype: code\nstatus: wip-\n---\n# Glued closing delimiter\n');
      assertReadsBack(text, dash, 'status', 'wip-');
    });

    it('removes the glued last pair, and an earlier one', () => {
      assert.equal(removeField(text, 'status'), '---\ntype: code\n---\n# Glued closing delimiter\n');
      assert.equal(removeField(text, 'type'), '---\nstatus: pending---\n# Glued closing delimiter\n');
    });
  });

  describe('odd but valid values', () => {
    const text = fixture('odd-values.md');

    it('keeps the item indentation of an existing block list', () => {
      const out = setField(text, 'labels', ['x', 'z']);
      assert.equal(out, text.replace('  - indented\n  - list\n', '  - x\n  - z\n'));
      assertReadsBack(text, out, 'labels', ['x', 'z']);
    });

    it('replaces a literal block scalar and a multi-line plain scalar', () => {
      const notes = setField(text, 'notes', 'short');
      assert.equal(notes, text.replace('notes: |\n  a literal\n  block\n', 'notes: short\n'));
      assertReadsBack(text, notes, 'notes', 'short');
      const summary = setField(text, 'summary', 'one line');
      assert.equal(summary, text.replace('summary: a plain scalar\n  over two lines\n', 'summary: one line\n'));
      const multi = setField(text, 'notes', 'a\nb');
      assert.equal(multi, text.replace('notes: |\n  a literal\n  block\n', 'notes: "a\\nb"\n'));
      assertReadsBack(text, multi, 'notes', 'a\nb');
    });

    it('changes the kind of a value between list, map and scalar', () => {
      const src = '---\nextra:\n- a\nother:\n    deep: 1\n---\n# T\n';
      assert.equal(setField(src, 'extra', { k: 'v' }), '---\nextra:\n  k: v\nother:\n    deep: 1\n---\n# T\n');
      assert.equal(setField(src, 'other', { deep: 2, more: 3 }), '---\nextra:\n- a\nother:\n    deep: 2\n    more: 3\n---\n# T\n');
      assert.equal(setField(src, 'other', ['x']), '---\nextra:\n- a\nother:\n- x\n---\n# T\n');
      assert.equal(setField(src, 'extra', 'flat'), '---\nextra: flat\nother:\n    deep: 1\n---\n# T\n');
    });

    it('removes multi-line values completely', () => {
      assert.equal(removeField(text, 'notes'), text.replace('notes: |\n  a literal\n  block\n', ''));
      assert.equal(removeField(text, 'summary'), text.replace('summary: a plain scalar\n  over two lines\n', ''));
      assert.equal(removeField(text, 'labels'), text.replace('labels:\n  - indented\n  - list\n', ''));
    });

    it('fills an empty frontmatter and a comment-only one', () => {
      assert.equal(setField(fixture('empty-frontmatter.md'), 'type', 'code'), '---\ntype: code\n---\n# Empty frontmatter\n');
      assert.equal(setField('---\n# only a comment\n---\n# T\n', 'type', 'code'), '---\n# only a comment\ntype: code\n---\n# T\n');
    });
  });

  describe('new keys land in chant order', () => {
    it('puts depends_on between status and labels', () => {
      const src = '---\ntype: code\nstatus: pending\nlabels:\n- a\n---\n# T\n';
      assert.equal(
        setField(src, 'depends_on', ['2026-01-01-001-abc']),
        '---\ntype: code\nstatus: pending\ndepends_on:\n- 2026-01-01-001-abc\nlabels:\n- a\n---\n# T\n',
      );
    });

    it('puts branch after whichever of target_files, context and prompt exist', () => {
      const a = '---\ntype: code\nstatus: pending\ntarget_files:\n- src/a.rs\n---\n# T\n';
      assert.equal(
        setField(a, 'branch', 'chant/x'),
        '---\ntype: code\nstatus: pending\ntarget_files:\n- src/a.rs\nbranch: chant/x\n---\n# T\n',
      );
      const b = '---\ntype: code\ntarget_files:\n- a\ncontext:\n- b\nprompt: standard\ncommits:\n- abc1234\n---\n# T\n';
      assert.equal(
        setField(b, 'branch', 'chant/x'),
        '---\ntype: code\ntarget_files:\n- a\ncontext:\n- b\nprompt: standard\nbranch: chant/x\ncommits:\n- abc1234\n---\n# T\n',
      );
      const c = '---\ntype: code\nstatus: pending\nlabels:\n- a\ncommits:\n- abc1234\n---\n# T\n';
      assert.equal(
        setField(c, 'branch', 'chant/x'),
        '---\ntype: code\nstatus: pending\nlabels:\n- a\nbranch: chant/x\ncommits:\n- abc1234\n---\n# T\n',
      );
    });

    it('leaves unknown keys where they are', () => {
      const src = '---\ntype: code\nfoo: 1\nstatus: pending\nbar: 2\nlabels:\n- a\n---\n# T\n';
      assert.equal(
        setField(src, 'depends_on', ['d']),
        '---\ntype: code\nfoo: 1\nstatus: pending\ndepends_on:\n- d\nbar: 2\nlabels:\n- a\n---\n# T\n',
      );
    });

    it('goes before the first later key (and its comment) when no earlier key exists', () => {
      const src = '---\nfoo: 1\n# the labels\nlabels:\n- a\n---\n# T\n';
      assert.equal(setField(src, 'type', 'code'), '---\nfoo: 1\ntype: code\n# the labels\nlabels:\n- a\n---\n# T\n');
    });

    it('appends when only unknown keys exist', () => {
      assert.equal(setField('---\nfoo: 1\n---\n# T\n', 'status', 'pending'), '---\nfoo: 1\nstatus: pending\n---\n# T\n');
    });

    it('lands in the same order whatever order setFields gets', () => {
      const empty = '---\n---\n# T\n';
      const expected = '---\ntype: code\nstatus: pending\nlabels:\n- a\napproval:\n  required: true\n---\n# T\n';
      assert.equal(setFields(empty, { type: 'code', status: 'pending', labels: ['a'], approval: { required: true } }), expected);
      assert.equal(setFields(empty, { approval: { required: true }, labels: ['a'], status: 'pending', type: 'code' }), expected);
    });
  });

  describe('setFields', () => {
    it('sets and removes in one call', () => {
      const text = fixture('approval.md');
      const out = setFields(text, { status: 'completed', approval: undefined, prompt: undefined });
      assert.equal(out, '---\ntype: code\nstatus: completed\n---\n\n# Fix login\n');
    });

    it('validates everything before applying anything', () => {
      const text = fixture('approval.md');
      throwsEdit(() => setFields(text, { status: 'completed', labels: 'bug' as unknown as string[] }), 'invalid-value');
      throwsEdit(() => setFields(text, { status: 'completed', prompt: 'a---b' }), 'unsafe-value');
    });
  });

  describe('acceptance criteria', () => {
    const text = fixture('tricky-body.md');

    it('uses the last ## heading outside fences, skips fenced boxes, counts several per line', () => {
      const { hasSection, items } = listCriteria(text);
      assert.equal(hasSection, true);
      assert.deepEqual(items, [
        { index: 0, line: 23, column: 0, checked: false, text: 'first' },
        { index: 1, line: 23, column: 12, checked: true, text: 'second' },
        { index: 2, line: 23, column: 25, checked: true, text: 'third' },
        { index: 3, line: 24, column: 2, checked: false, text: 'nested fourth' },
        { index: 4, line: 30, column: 0, checked: true, text: 'fifth' },
      ]);
    });

    it('replaces exactly the character between the brackets', () => {
      assert.equal(setCriterion(text, 0, true), text.replace('- [ ] first', '- [x] first'));
      assert.equal(setCriterion(text, 2, false), text.replace('- [X] third', '- [ ] third'));
      assert.equal(setCriterion(text, 3, true), text.replace('  - [ ] nested fourth', '  - [x] nested fourth'));
      assert.equal(setCriterion(text, 4, false), text.replace('- [x] fifth', '- [ ] fifth'));
      assert.equal(setCriterion(text, 2, true), text, '[X] is already checked');
    });

    it('exposes the section to share with the parser', () => {
      const lines = ['# T', '## Acceptance Criteria', '- [ ] a', '```', '## x', '```', '### sub', '- [ ] b', '## Next', '- [ ] c'];
      assert.deepEqual(findAcceptanceSection(lines), { heading: 1, end: 8, lines: [2, 6, 7] });
      assert.equal(findAcceptanceSection(['### Acceptance Criteria', '- [ ] a']), undefined);
      assert.equal(findAcceptanceSection(['```', '## Acceptance Criteria', '```']), undefined);
      assert.deepEqual(findAcceptanceSection(['   ## Acceptance Criteria (v2)', '- [ ] a']), { heading: 0, end: 2, lines: [1] });
    });

    it('counts only the body: a heading glued to the closing --- starts mid-line', () => {
      const glued = '---\ntype: code\n---## Acceptance Criteria\n- [ ] a\n';
      assert.deepEqual(listCriteria(glued).items, [{ index: 0, line: 3, column: 0, checked: false, text: 'a' }]);
      const boxOnFirstLine = '---\ntype: code\n---  - [ ] not in a section\n## Acceptance Criteria\n- [ ] b\n';
      assert.equal(listCriteria(boxOnFirstLine).items.length, 1);
    });

    it('ignores ### Acceptance Criteria and reports a missing section', () => {
      const src = '# T\n\n### Acceptance Criteria\n\n- [ ] a\n';
      assert.deepEqual(listCriteria(src), { hasSection: false, items: [] });
      throwsEdit(() => setCriterion(src, 0, true), 'criterion-out-of-range');
    });

    it('leaves the frontmatter and the --- in the body alone when fields change', () => {
      const out = setField(text, 'status', 'in_progress');
      assert.equal(out, text.replace('status: pending\n', 'status: in_progress\n'));
      assert.deepEqual(listCriteria(out).items, listCriteria(text).items);
    });
  });

  describe('errors and refusals', () => {
    const text = fixture('approval.md');

    it('refuses values containing --- anywhere', () => {
      throwsEdit(() => setField(text, 'prompt', 'a---b'), 'unsafe-value');
      throwsEdit(() => setField(text, 'labels', ['ok', 'x---y']), 'unsafe-value');
      throwsEdit(() => setField(text, 'approval', { required: true, by: '---' }), 'unsafe-value');
      throwsEdit(() => setField(fixture('no-frontmatter.md'), 'prompt', '---'), 'unsafe-value');
    });

    it('refuses keys that are not simple identifiers', () => {
      for (const key of ['', 'two words', 'a:b', '1abc', '-x', 'key\n', '#c']) {
        throwsEdit(() => setField(text, key, 'v'), 'invalid-key');
        throwsEdit(() => removeField(text, key), 'invalid-key');
      }
    });

    it('refuses a single value for a list field, except depends_on', () => {
      throwsEdit(() => setField(text, 'labels', 'bug'), 'invalid-value');
      throwsEdit(() => setField(text, 'target_files', 'src/a.rs'), 'invalid-value');
      assert.equal(
        setField(text, 'depends_on', '2026-01-01-001-abc'),
        text.replace('status: pending\n', 'status: pending\ndepends_on: 2026-01-01-001-abc\n'),
      );
    });

    it('refuses values YAML cannot carry faithfully', () => {
      throwsEdit(() => setField(text, 'replay_count', Number.NaN), 'invalid-value');
      throwsEdit(() => setField(text, 'replay_count', Number.POSITIVE_INFINITY), 'invalid-value');
      throwsEdit(() => setField(text, 'prompt', undefined as unknown as string), 'invalid-value');
    });

    it('returns the same text when removing a missing key', () => {
      assert.equal(removeField(text, 'labels'), text);
      assert.equal(removeField(fixture('unterminated.md'), 'type'), fixture('unterminated.md'));
    });

    it('refuses to write into an unterminated frontmatter', () => {
      throwsEdit(() => setField(fixture('unterminated.md'), 'status', 'completed'), 'unterminated-frontmatter');
    });

    it('refuses frontmatter it cannot edit safely', () => {
      throwsEdit(() => setField('---\ntype: [unclosed\n---\n# T\n', 'status', 'x'), 'invalid-frontmatter');
      throwsEdit(() => setField('---\ntype: a\ntype: b\n---\n# T\n', 'status', 'x'), 'invalid-frontmatter');
      throwsEdit(() => setField('---\n- a\n- b\n---\n# T\n', 'status', 'x'), 'invalid-frontmatter');
    });

    it('refuses out-of-range criteria', () => {
      const body = fixture('tricky-body.md');
      for (const index of [-1, 5, 1.5, Number.NaN]) {
        throwsEdit(() => setCriterion(body, index, true), 'criterion-out-of-range');
      }
    });

    it('SpecEditError is an Error with a code', () => {
      try {
        setField(text, 'prompt', 'a---b');
        assert.fail('expected a throw');
      } catch (e) {
        assert.ok(e instanceof Error);
        assert.ok(e instanceof SpecEditError);
        assert.equal(e.name, 'SpecEditError');
        assert.equal(e.code, 'unsafe-value');
      }
    });
  });
});
