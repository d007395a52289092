// The field registry (core/spec/fields.ts) is the one place a frontmatter field is spelled: every list that
// used to repeat the keys derives from it. This checks each derived list and each reader agrees with it,
// and that no list of field keys is spelled again somewhere in src/ (a missed entry there failed silently).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  FIELD_ORDER,
  FORM_CONTROLS,
  FORM_FIELDS,
  FORM_LAYOUT,
  ID_FIELDS,
  LIST_FIELDS,
  LIST_FORM_FIELDS,
  MODEL_LISTS,
  MODEL_STRINGS,
  PATH_FIELDS,
  REFERENCE_FIELDS,
  SPEC_FIELDS,
  STRING_FIELDS,
  type FieldDef,
} from '../../src/core/spec/fields';
import { parseSpec } from '../../src/core/spec/specParser';
import { changesBetween, formValuesOf, readOnlyFieldsOf } from '../../src/core/present/frontmatterForm';
import { decodeSnapshot, encodeSnapshot, SavedPart, SNAPSHOT_FORMAT } from '../../src/core/project/indexSnapshot';
import { parseFormValues, parseFrontmatterMessage } from '../../src/webviews/protocol';
import { setFields } from '../../src/core/spec/specEdit';

const REPO = path.resolve(__dirname, '..', '..', '..');
const fields: readonly FieldDef[] = SPEC_FIELDS;
const keys = (test: (field: FieldDef) => boolean): string[] => fields.filter(test).map((field) => field.key);
const ID = '2026-01-10-001-abc';

/** A spec file that writes every field the registry knows, each in its shape. */
function everyField(): string {
  const lines = fields.map((field) => {
    switch (field.shape) {
      case 'list':
        return `${field.key}:\n  - ${field.key}-one\n  - ${field.key}-two`;
      case 'string':
        return `${field.key}: ${field.key}-value`;
      case 'enum':
        return `${field.key}: ${field.values?.[1] ?? 'x'}`;
      case 'map':
        return field.key === 'approval'
          ? 'approval:\n  required: true\n  status: pending'
          : `${field.key}:\n  attempts: 1`;
      case 'number':
        return `${field.key}: 3`;
      case 'bool':
        return `${field.key}: true`;
      default:
        return `${field.key}: 2026-01-10T00:00:00Z`;
    }
  });
  return `---\n${lines.join('\n')}\n---\n# Every field\n\n## Acceptance Criteria\n\n- [ ] one\n`;
}

describe('the spec field registry', () => {
  it('lists each key once, in chant order, with a shape and a writer', () => {
    assert.equal(new Set(FIELD_ORDER).size, FIELD_ORDER.length);
    assert.deepEqual(
      [...FIELD_ORDER],
      keys(() => true),
    );
    assert.deepEqual(FIELD_ORDER.slice(0, 7), [
      'type',
      'status',
      'depends_on',
      'labels',
      'target_files',
      'context',
      'prompt',
    ]);
    for (const field of fields) assert.ok(field.writer === 'human' || field.writer === 'cli', field.key);
  });

  it('types.ts re-exports the registry lists', async () => {
    const types = await import('../../src/core/spec/types');
    assert.equal(types.FIELD_ORDER, FIELD_ORDER);
    assert.equal(types.LIST_FIELDS, LIST_FIELDS);
  });

  it('derives the list, string, path, id and model lists', () => {
    assert.deepEqual(
      [...LIST_FIELDS],
      keys((f) => f.shape === 'list'),
    );
    assert.deepEqual(
      [...STRING_FIELDS],
      keys((f) => f.shape === 'string'),
    );
    assert.deepEqual([...PATH_FIELDS].sort(), keys((f) => f.items === 'path').sort());
    assert.deepEqual([...PATH_FIELDS], [...REFERENCE_FIELDS], 'in the form order');
    assert.deepEqual(
      [...ID_FIELDS],
      keys((f) => f.items === 'id'),
    );
    assert.deepEqual(
      MODEL_LISTS.map(([, key]) => key),
      keys((f) => f.shape === 'list' && f.model !== undefined),
    );
    assert.deepEqual(
      MODEL_STRINGS.map(([, key]) => key),
      keys((f) => f.shape === 'string' && f.model !== undefined),
    );
    // The parser gives each list and string field one bit of a 32-bit mask.
    assert.ok(LIST_FIELDS.size + STRING_FIELDS.length <= 31);
    for (const field of fields) {
      if (field.items === 'path')
        assert.ok(field.outside, `${field.key}: a path field says what an entry outside the project misses`);
    }
  });

  it('the parser fills every model property from its key, and rejects a wrong shape in each field', () => {
    const spec = parseSpec(everyField(), { id: ID, path: `/p/.chant/specs/${ID}.md` }) as unknown as Record<
      string,
      unknown
    >;
    for (const [property, key] of MODEL_LISTS) assert.deepEqual(spec[property], [`${key}-one`, `${key}-two`], property);
    for (const [property, key] of MODEL_STRINGS) assert.equal(spec[property], `${key}-value`, property);
    assert.deepEqual(spec.problems, []);
    for (const key of LIST_FIELDS) {
      const broken = parseSpec(`---\n${key}: 7\n---\n# T\n`, { id: ID, path: `/p/${ID}.md` });
      assert.ok(broken.problems.some((p) => p.code === 'scalar-list') !== (key === 'depends_on'), key);
    }
    for (const key of STRING_FIELDS) {
      const broken = parseSpec(`---\n${key}:\n  - a\n---\n# T\n`, { id: ID, path: `/p/${ID}.md` });
      assert.ok(
        broken.problems.some((p) => p.code === 'not-a-string'),
        key,
      );
    }
  });

  it('the saved index restores every model property, and its format number follows the registry', () => {
    const file = `/p/.chant/specs/${ID}.md`;
    const spec = parseSpec(everyField(), { id: ID, path: file });
    const stamp = { size: 1, mtimeMs: 1, ctimeMs: 1, ino: 1, seenAt: 1e12 };
    const bytes = encodeSnapshot({
      root: '/p',
      producer: 't',
      chantDir: '/p/.chant',
      active: [{ spec, stamp }],
      archive: undefined,
      now: 2e12,
    });
    const snapshot = decodeSnapshot(bytes, '/p', 't');
    assert.ok(snapshot);
    const part = new SavedPart(snapshot.active);
    const saved = part.get(`specs/${ID}.md`);
    assert.ok(saved);
    const restored = part.restore(saved, { id: ID, path: file, archived: false }) as unknown as Record<string, unknown>;
    const parsed = spec as unknown as Record<string, unknown>;
    for (const [property] of [...MODEL_LISTS, ...MODEL_STRINGS])
      assert.deepEqual(restored[property], parsed[property], property);
    assert.equal(SNAPSHOT_FORMAT >>> 16, 3, 'the layout number sits in the high half');
  });

  it('the form edits the fields with a control, and reads and writes each through its control', () => {
    assert.deepEqual(
      [...FORM_FIELDS],
      keys((f) => f.form !== undefined),
    );
    assert.deepEqual([...FORM_CONTROLS.keys()], [...FORM_FIELDS]);
    assert.deepEqual(FORM_LAYOUT.map((f) => f.key).sort(), [...FORM_FIELDS].sort());
    assert.deepEqual(
      [...LIST_FORM_FIELDS],
      keys((f) => f.form !== undefined && f.shape === 'list'),
    );
    assert.deepEqual([...REFERENCE_FIELDS].sort(), keys((f) => f.form?.control === 'references').sort());
    const text = everyField();
    const frontmatter = parseSpec(text, { id: ID, path: `/p/${ID}.md` }).frontmatter;
    const values = formValuesOf(frontmatter);
    assert.deepEqual(Object.keys(values), [...FORM_FIELDS]);
    // Read-only: everything the form does not edit.
    assert.deepEqual(
      readOnlyFieldsOf(frontmatter).map((f) => f.key),
      keys((f) => f.form === undefined),
    );
    // Emptying each field removes exactly its key, and setFields writes the rest back unchanged.
    const emptied = formValuesOf({});
    for (const key of FORM_FIELDS) {
      const draft = { ...values, [key]: (emptied as unknown as Record<string, unknown>)[key] };
      const changes = changesBetween(values, draft, frontmatter);
      assert.deepEqual(Object.keys(changes), [key], key);
    }
    assert.equal(setFields(text, changesBetween(values, values, frontmatter)), text);
  });

  it('the webview protocol checks exactly the form fields, and offers Browse on the reference fields', () => {
    const values = formValuesOf(parseSpec(everyField(), { id: ID, path: `/p/${ID}.md` }).frontmatter);
    assert.deepEqual(parseFormValues({ ...values, extra: 1 }), values);
    for (const key of FORM_FIELDS) {
      const rest: Record<string, unknown> = { ...values };
      delete rest[key];
      assert.equal(parseFormValues(rest), undefined, `a message without ${key} is refused`);
    }
    for (const key of FIELD_ORDER) {
      const accepted = parseFrontmatterMessage({ type: 'pickFile', field: key }) !== undefined;
      assert.equal(accepted, (REFERENCE_FIELDS as readonly string[]).includes(key), key);
    }
  });

  it('no list of field keys is spelled again in src/ (derive it from the registry)', () => {
    const known = new Set<string>(FIELD_ORDER);
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (entry.name.endsWith('.ts') && !file.endsWith(path.join('spec', 'fields.ts'))) {
          const source = fs.readFileSync(file, 'utf8');
          // An array literal or a string-literal union holding four or more registry keys (three name a rule,
          // such as drift's inputs or the graph's edge kinds; four are a list of fields).
          for (const match of source.matchAll(/\[([^\[\]]*)\]|((?:'[a-z_]+'\s*\|\s*){2,}'[a-z_]+')/g)) {
            const quoted = [...(match[1] ?? match[2]).matchAll(/'([a-z_]+)'/g)]
              .map((m) => m[1])
              .filter((k) => known.has(k));
            if (new Set(quoted).size >= 4) offenders.push(`${path.relative(REPO, file)}: ${quoted.join(', ')}`);
          }
        }
      }
    };
    walk(path.join(REPO, 'src'));
    assert.deepEqual(offenders, []);
  });
});
