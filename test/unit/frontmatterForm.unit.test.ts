import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  changesBetween,
  formValuesOf,
  isDirty,
  labelsInUse,
  readOnlyFieldsOf,
  rebaseDraft,
  validateForm,
  type FormEnvironment,
  type FormValues,
} from '../../src/core/present/frontmatterForm';
import { setFields } from '../../src/core/spec/specEdit';
import { makeSpec, specMap } from './specFactory';

const ROOT = '/project';
const A = '2026-01-10-001-abc';
const B = '2026-01-10-002-def';
const C = '2026-01-10-003-ghi';

function env(files: string[] = [], prompts: string[] = ['standard']): FormEnvironment {
  const specs = specMap(makeSpec(A, { title: 'A' }), makeSpec(B, { title: 'B', dependsOn: [A] }), makeSpec(C, { title: 'C', dependsOn: [B] }));
  const existing = new Set(files.map((f) => path.resolve(ROOT, f)));
  return {
    specId: A,
    specs,
    isArchived: (id) => id === '2025-12-01-001-old',
    root: ROOT,
    promptExists: async (name) => prompts.includes(name),
    exists: async (file) => existing.has(file),
    now: new Date('2026-01-10T12:00:00Z'),
  };
}

function values(partial: Partial<FormValues> = {}): FormValues {
  return { ...formValuesOf({}), ...partial };
}

describe('frontmatterForm', () => {
  describe('formValuesOf / readOnlyFieldsOf', () => {
    it('applies chant defaults and reads a bare depends_on string as a list', () => {
      const v = formValuesOf({ depends_on: A, labels: ['x'] });
      assert.equal(v.type, 'code');
      assert.equal(v.status, 'pending');
      assert.deepEqual(v.depends_on, [A]);
      assert.deepEqual(v.labels, ['x']);
      assert.equal(v.prompt, '');
      assert.equal(v.approval, null);
    });

    it('lists CLI-managed and unknown keys read-only, unknown ones flagged', () => {
      const fields = readOnlyFieldsOf({ type: 'code', commits: ['abc1234', 'def5678'], pr: 12, branch: 'chant/x' });
      assert.deepEqual(
        fields.map((f) => [f.key, f.text, f.unknown]),
        [
          ['branch', 'chant/x', false],
          ['commits', 'abc1234, def5678', false],
          ['pr', '12', true],
        ],
      );
    });
  });

  describe('changesBetween', () => {
    it('returns only the fields that differ', () => {
      const base = formValuesOf({ type: 'code', labels: ['a'] });
      const draft = { ...base, labels: ['a', 'b'] };
      assert.deepEqual(changesBetween(base, draft), { labels: ['a', 'b'] });
      assert.equal(isDirty(draft, base), true);
      assert.equal(isDirty(base, base), false);
    });

    it('removes a key when its list is emptied or the prompt cleared, and keeps approval.by', () => {
      const fm = { labels: ['a'], prompt: 'standard', approval: { required: true, status: 'approved', by: 'ann' } };
      const base = formValuesOf(fm);
      const draft = { ...base, labels: [], prompt: '', approval: { required: true, status: 'rejected' } };
      assert.deepEqual(changesBetween(base, draft, fm), {
        labels: undefined,
        prompt: undefined,
        approval: { required: true, status: 'rejected', by: 'ann' },
      });
    });

    it('through setFields only the changed keys change in the file', () => {
      const text = '---\ntype: code\nstatus: pending  # keep me\nlabels: [a]\nx-custom: 1\n---\n\n# T\n';
      const fm = { type: 'code', status: 'pending', labels: ['a'], 'x-custom': 1 };
      const base = formValuesOf(fm);
      const draft = { ...base, labels: ['a', 'b'], depends_on: [B] };
      const out = setFields(text, changesBetween(base, draft, fm));
      assert.equal(out, `---\ntype: code\nstatus: pending  # keep me\ndepends_on:\n- ${B}\nlabels: [a, b]\nx-custom: 1\n---\n\n# T\n`);
    });
  });

  describe('rebaseDraft', () => {
    it('keeps the fields the user changed and takes the others from the new text', () => {
      const base = values({ labels: ['a'], status: 'pending' });
      const draft = values({ labels: ['a', 'mine'], status: 'pending' });
      const theirs = values({ labels: ['a'], status: 'completed' });
      const merged = rebaseDraft(base, draft, theirs);
      assert.deepEqual(merged.labels, ['a', 'mine']);
      assert.equal(merged.status, 'completed');
    });
  });

  describe('validateForm', () => {
    it('accepts a clean draft', async () => {
      const result = await validateForm(values({ labels: ['x'] }), env());
      assert.equal(result.valid, true, JSON.stringify(result.issues));
      assert.deepEqual(result.issues, []);
    });

    it('rejects unknown type and status values', async () => {
      const result = await validateForm(values({ type: 'conflict', status: 'done' }), env());
      assert.equal(result.valid, false);
      assert.deepEqual(
        result.issues.map((i) => [i.field, i.severity]),
        [
          ['type', 'error'],
          ['status', 'error'],
        ],
      );
    });

    it('reports a dependency that would close a cycle, with the cycle', async () => {
      const result = await validateForm(values({ depends_on: [C] }), env());
      assert.equal(result.valid, false);
      assert.deepEqual(result.cycle, [A, C, B, A]);
      const issue = result.issues.find((i) => i.field === 'depends_on');
      assert.equal(issue?.item, 0);
      assert.match(issue!.message, /Circular dependency/);
    });

    it('rejects unknown, short, archived ids and a self-dependency', async () => {
      const result = await validateForm(values({ depends_on: ['2026-01-10-009-zzz', '002-def', '2025-12-01-001-old', A] }), env());
      const messages = result.issues.filter((i) => i.field === 'depends_on').map((i) => [i.item, i.message]);
      assert.equal(result.valid, false);
      assert.match(String(messages.find(([item]) => item === 0)?.[1]), /Unknown spec/);
      assert.match(String(messages.find(([item]) => item === 1)?.[1]), new RegExp(`full id '${B}'`));
      assert.match(String(messages.find(([item]) => item === 2)?.[1]), /archived/);
      assert.match(String(messages.find(([item]) => item === 3)?.[1]), /Circular/);
    });

    it('allows repo:id dependencies (another repository)', async () => {
      const result = await validateForm(values({ depends_on: ['other:2026-01-01-001-xyz'] }), env());
      assert.equal(result.valid, true);
    });

    it('warns about missing input files but lets the draft be saved, and marks what exists', async () => {
      const result = await validateForm(
        values({ informed_by: ['docs/a.md', 'docs/missing.md', 'src/**/*.rs', 'https://example.com/x', `.chant/specs/${B}.md`], target_files: ['out/new.md'] }),
        env(['docs/a.md']),
      );
      assert.equal(result.valid, true);
      assert.deepEqual(
        result.references.informed_by?.map((r) => [r.kind, r.exists]),
        [
          ['file', true],
          ['file', false],
          ['glob', undefined],
          ['url', undefined],
          ['spec', true],
        ],
      );
      assert.deepEqual(
        result.issues.map((i) => [i.field, i.item, i.severity]),
        [['informed_by', 1, 'warning']],
      );
      // target_files may name files still to be written: no warning.
      assert.deepEqual(result.references.target_files, [{ kind: 'file', exists: false }]);
    });

    it('warns about files outside the project, absolute or climbing out with ..', async () => {
      const outside = ['/etc/passwd', '../elsewhere/notes.md', 'docs/../../notes.md', '..'];
      const inside = [path.join(ROOT, 'docs', 'a.md'), 'docs/../a.md', '..notes.md', 'docs/..hidden/a.md'];
      const result = await validateForm(values({ informed_by: [...outside, ...inside] }), env(['docs/a.md', 'a.md', '..notes.md', 'docs/..hidden/a.md', '/etc/passwd']));
      const warnings = result.issues.filter((i) => /^Outside the project/.test(i.message));
      assert.deepEqual(
        warnings.map((i) => [i.field, i.item, i.severity]),
        outside.map((_, item) => ['informed_by', item, 'warning']),
      );
      assert.equal(result.valid, true, 'a warning, not an error');
    });

    it("rejects values chant's frontmatter splitter would cut short, multi-line and empty entries", async () => {
      const result = await validateForm(values({ labels: ['a---b', ''], context: ['x\ny'] }), env());
      assert.equal(result.valid, false);
      assert.deepEqual(
        result.issues.map((i) => [i.field, i.item]),
        [
          ['labels', 0],
          ['labels', 1],
          ['context', 0],
        ],
      );
    });

    it('rejects a prompt that does not exist or is not a name', async () => {
      assert.equal((await validateForm(values({ prompt: 'standard' }), env())).valid, true);
      const missing = await validateForm(values({ prompt: 'nope' }), env());
      assert.match(missing.issues[0].message, /Prompt not found/);
      const bad = await validateForm(values({ prompt: '../x' }), env());
      assert.equal(bad.valid, false);
    });

    it('rejects an unknown approval status', async () => {
      const result = await validateForm(values({ approval: { required: true, status: 'maybe' } }), env());
      assert.equal(result.valid, false);
      assert.equal(result.issues[0].field, 'approval');
    });
  });

  it('labelsInUse: most used first', () => {
    assert.deepEqual(labelsInUse([{ labels: ['b', 'a'] }, { labels: ['a'] }, { labels: ['c'] }]), ['a', 'b', 'c']);
  });
});
