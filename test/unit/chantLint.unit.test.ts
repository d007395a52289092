import * as assert from 'node:assert/strict';
import { acceptanceTexts, acQualityGrade, chantLintRules, lintSettingsOf, qualityGrade, specBody, trafficLightOf, vagueCount, type Grade } from '../../src/core/project/chantLint';
import { changesBetween, formValuesOf } from '../../src/core/present/frontmatterForm';
import { setCriterion } from '../../src/core/spec/criteriaEdit';
import { setField, setFields } from '../../src/core/spec/specEdit';
import { parseSpec } from '../../src/core/spec/specParser';
import { applyApproval } from '../../src/core/workflow/approval';
import { scaffoldInvestigation } from '../../src/core/workflow/investigation';
import { DEFAULT_PHASES } from '../../src/core/workflow/phases';
import { reResearchSpec } from '../../src/core/workflow/reResearch';
import { newSpecText } from '../../src/core/workflow/newSpec';
import { SPEC_TYPES, type Spec } from '../../src/core/spec/types';

const now = new Date(2026, 1, 8, 12, 0, 0);
const fixedRandom = (): number => 0.5;

function specOf(text: string, id = '2026-02-08-001-abc'): Spec {
  return parseSpec(text, { id, path: `/p/.chant/specs/${id}.md` });
}

function lint(text: string, id?: string, knownIds?: Set<string>): string[] {
  return chantLintRules(specOf(text, id), specBody(text), { knownIds }).map((f) => `${f.severity} ${f.rule}: ${f.message}`);
}

describe('chant lint rules (CHANT-FORMAT §8.3)', () => {
  it('reports what chant reports, in its words', () => {
    assert.deepEqual(lint('---\ntype: code\n---\nno title\n'), ['error title: Missing title']);
    assert.deepEqual(lint('---\ntype: research\n---\n# R\n'), [
      "warning type: Research spec missing both 'informed_by' and 'origin' fields",
      "warning type: Research spec missing 'target_files' field",
    ]);
    assert.deepEqual(lint('---\ntype: documentation\ntracks: []\n---\n# D\n'), ["warning type: Documentation spec missing 'target_files' field"]);
    assert.deepEqual(lint('---\ntype: driver\nmembers: []\n---\n# D\n'), ["warning type: Driver/group spec has empty 'members' array"]);
    assert.deepEqual(lint('---\ndepends_on:\n- 2026-02-08-002-xyz\n---\n# T\n', undefined, new Set()), ["error dependency: Unknown dependency '2026-02-08-002-xyz'"]);
    assert.deepEqual(lint('---\napproval:\n  required: true\n  status: approved\n---\n# T\n'), [
      "error approval: Approval status is Approved but 'by' field is missing",
      "error approval: Approval status is Approved but 'at' timestamp is missing",
    ]);
    assert.deepEqual(lint('---\napproval:\n  status: pending\n  by: me\n---\n# T\n'), ["error approval: Approval has 'by' field set but status is still 'pending'"]);
  });

  it('finds spec ids in the body outside code fences, but not the spec itself, and not in drivers', () => {
    const body = '# T\n\nSee 2026-02-08-002-xyz and 2026-02-08-001-abc.\n\n```\n2026-02-08-003-qqq\n```\n';
    assert.deepEqual(lint(`---\ntype: code\n---\n${body}`), [
      'warning coupling: Spec references other spec ID(s) in body: 2026-02-08-002-xyz - use depends_on for dependencies',
    ]);
    assert.deepEqual(lint(`---\ntype: driver\n---\n${body}`), []);
    assert.deepEqual(lint('---\n---\n# M\n\nAfter 2026-02-08-001-abc.1 and 2026-02-08-009-zzz.\n', '2026-02-08-001-abc.2'), [
      'warning coupling: Spec references sibling spec(s): 2026-02-08-001-abc.1 - member specs should be independent',
    ]);
  });

  it('warns about size with the configured thresholds; the word count is off unless enabled', () => {
    const boxes = Array.from({ length: 11 }, (_, i) => `- [ ] Add item ${i}`).join('\n');
    assert.deepEqual(lint(`---\n---\n# T\n\n## Acceptance Criteria\n\n${boxes}\n`), [
      'warning complexity: Spec has 11 acceptance criteria (>10) - consider splitting for haiku',
    ]);
    const text = `---\ntarget_files: [a, b, c]\n---\n# T\n\n${'word '.repeat(40)}\n`;
    const settings = lintSettingsOf({
      lint: { thresholds: { complexity_files: 2, complexity_words: 20 }, disable: [] },
    });
    const found = chantLintRules(specOf(text), specBody(text), { settings }).map((f) => f.message);
    assert.deepEqual(found, ['Spec touches 3 files (>2) - consider splitting', 'Spec description is 42 words (>20) - may be too complex for haiku']);
  });
});

describe('chant quality grade (v0.23.2, commit ec4a403)', () => {
  const grade = (text: string, id?: string) => qualityGrade(specOf(text, id), specBody(text));

  it('grades the criteria by their count alone (src/score/ac_quality.rs tests)', () => {
    assert.equal(acQualityGrade(0), 'D');
    assert.equal(acQualityGrade(1), 'C'); // test_single_criterion_returns_grade_c, test_any_content_counts
    assert.equal(acQualityGrade(2), 'B');
    assert.equal(acQualityGrade(3), 'B');
    assert.equal(acQualityGrade(4), 'A');
    assert.equal(acQualityGrade(5), 'A');
    // Wording does not count: "hello.sh file exists", "One", "Improve code" are criteria like any other.
    const declarative = '---\n---\n# T\n\n## Acceptance Criteria\n\n- [ ] hello.sh file exists\n- [ ] Improve code\n- [ ] Update spec\n- [ ] One\n';
    assert.equal(grade(declarative).acQuality, 'A');
  });

  it('lights the spec from complexity, confidence and criteria only (src/score/traffic_light.rs tests)', () => {
    const light = (complexity: Grade, confidence: Grade, splittability: Grade, acQuality: Grade) =>
      trafficLightOf({ complexity, confidence, splittability, acQuality }).trafficLight;
    assert.equal(light('A', 'A', 'A', 'A'), 'ready'); // test_determine_status_all_a_ready
    assert.equal(light('B', 'B', 'A', 'B'), 'ready'); // test_determine_status_b_grades_ready
    assert.equal(light('C', 'A', 'A', 'A'), 'review'); // complexity C
    assert.equal(light('B', 'C', 'A', 'A'), 'review'); // confidence C
    assert.equal(light('A', 'B', 'A', 'C'), 'review'); // AC quality C
    assert.equal(light('D', 'A', 'A', 'A'), 'refine'); // complexity D
    assert.equal(light('A', 'D', 'A', 'A'), 'refine'); // confidence D
    assert.equal(light('A', 'A', 'A', 'D'), 'refine'); // AC quality D
    assert.equal(light('A', 'A', 'D', 'A'), 'ready'); // test_determine_status_splittability_d_still_ready
    assert.equal(light('B', 'B', 'C', 'B'), 'ready'); // test_determine_status_splittability_c_still_ready
  });

  it("gives chant's suggestions, one per weak dimension, sorted (generate_suggestions tests)", () => {
    const suggest = (complexity: Grade, confidence: Grade, splittability: Grade, acQuality: Grade) =>
      trafficLightOf({ complexity, confidence, splittability, acQuality }).suggestions;
    assert.deepEqual(suggest('A', 'A', 'A', 'A'), []);
    assert.deepEqual(suggest('D', 'A', 'A', 'A'), ['Reduce criteria count or split spec into smaller pieces']);
    assert.deepEqual(suggest('B', 'C', 'A', 'A'), ['Increase bullet-to-prose ratio (>50%); start bullets with imperative verbs; reduce vague language']);
    const many = suggest('D', 'C', 'C', 'D');
    assert.equal(many.length, 4);
    for (const part of ['Reduce criteria count', 'bullet-to-prose ratio', 'target_files', 'checkbox']) assert.ok(many.some((s) => s.includes(part)), part);
    assert.deepEqual(many, [...many].sort());
    assert.deepEqual(suggest('A', 'A', 'A', 'B'), ['Add at least 4 acceptance criteria checkboxes for Grade A']);
  });

  it('finds the criteria as extract_acceptance_criteria does; chant work also counts an empty box', () => {
    const body = '## Acceptance Criteria\n- [ ] a\n- [x] b\n- [X] upper-case x is no box\n- [ ]\n  - [ ] nested\n```\n- [ ] fenced\n```\n### Sub\n- [x]- [x] c\n## Next\n- [ ] d\n';
    assert.deepEqual(acceptanceTexts(body), ['a', 'b', 'nested', 'c']);
    assert.deepEqual(acceptanceTexts(body, 'work'), ['a', 'b', '', 'nested', 'c']);
    assert.deepEqual(acceptanceTexts('- [ ] before\n## Acceptance Criteria\r\n- [ ] one\r\n'), ['one']);
    const empty = '---\n---\n# T\n\n## Acceptance Criteria\n\n- [ ] \n';
    assert.equal(grade(empty).trafficLight, 'refine');
    assert.equal(qualityGrade(specOf(empty), specBody(empty), 'work').trafficLight, 'review');
    assert.equal(grade('---\n---\n').trafficLight, 'refine');
  });

  it('grades confidence from bullets, verbs and vague words, and complexity from size', () => {
    const good = '---\ntarget_files: [a.rs]\n---\n# T\n\n## Acceptance Criteria\n\n- [ ] Implement feature A\n- [ ] Add functionality B\n- [ ] Create component C\n';
    assert.deepEqual({ ...grade(good), suggestions: [] }, { trafficLight: 'ready', complexity: 'A', confidence: 'A', splittability: 'C', acQuality: 'B', suggestions: [] });
    const vague = '---\n---\n# T\n\n## Acceptance Criteria\n\n- [ ] Implement feature A\n- [ ] Add functionality B as needed\n- [ ] Create tests etc\n\nSome paragraph here.\nAnother paragraph with improve mentioned.\nThird paragraph and related stuff.\n';
    assert.equal(grade(vague).confidence, 'C'); // test_grade_c_with_some_vague_patterns
    assert.equal(grade(vague).trafficLight, 'review');
    assert.equal(vagueCount('fetch the sketch'), 2, 'chant matches substrings');
    const boxes = Array.from({ length: 8 }, (_, i) => `- [ ] Add item ${i}`).join('\n');
    assert.equal(grade(`---\n---\n# T\n\n## Acceptance Criteria\n\n${boxes}\n`).complexity, 'D');
    assert.equal(grade('---\ntarget_files: [a, b, c, d, e]\n---\n# T\n\n## Acceptance Criteria\n\n- [ ] Add a\n').trafficLight, 'refine');
  });
});

/** Every spec file the extension can write, as it writes it. */
function everythingTheExtensionWrites(): Array<{ kind: string; id: string; text: string; phase?: boolean }> {
  const out: Array<{ kind: string; id: string; text: string; phase?: boolean }> = [];
  let n = 0;
  const nextId = (): string => `2026-02-08-0${(10 + n++).toString(36).padStart(2, '0')}-abc`;
  for (const type of SPEC_TYPES) {
    const text = newSpecText({
      title: `New ${type} spec`,
      type,
      labels: ['fix'],
      dependsOn: [],
      informedBy: type === 'research' ? ['https://github.com/o/r/issues/9'] : undefined,
      tracks: type === 'documentation' ? ['src/api.ts'] : undefined,
      targetFiles: type === 'research' ? ['.chant/research/new.md'] : type === 'documentation' ? ['docs/api.md'] : undefined,
    });
    out.push({ kind: `New Spec (${type})`, id: nextId(), text });
  }
  const issues: Array<{ issue: string; issueRepository?: string; how: string }> = [
    { issue: 'https://github.com/o/kvstore/issues/1234', how: 'URL' },
    { issue: '1234', issueRepository: 'https://github.com/o/kvstore', how: 'number, remote on GitHub' },
    { issue: '#1234', how: 'number, no remote' },
  ];
  for (const mode of ['chain', 'single'] as const) {
    for (const { issue, issueRepository, how } of issues) {
      const inv = scaffoldInvestigation({ issue, issueRepository, summary: 'data loss on concurrent writes', mode, existingSpecNames: [], availablePrompts: ['comprehension', 'reproduce'], now, random: fixedRandom });
      for (const spec of inv.specs) out.push({ kind: `${mode} investigation (${how}): ${spec.phase}`, id: spec.id, text: spec.text, phase: true });
    }
  }
  // What the runs, Cancel and the frontmatter form change in an existing spec.
  const base = scaffoldInvestigation({ issue: '7', summary: 'crash on empty key', mode: 'single', existingSpecNames: [], availablePrompts: [], now, random: fixedRandom }).specs[0];
  let ticked = base.text;
  for (let i = 0; i < 4; i++) ticked = setCriterion(ticked, i, true);
  out.push({
    kind: 'run finalization (completed)',
    id: base.id,
    text: setFields(ticked, { status: 'completed', branch: `chant/${base.id}`, commits: ['abc1234'], completed_at: '2026-02-08T12:00:00Z', model: 'sonnet' }),
  });
  out.push({ kind: 'run finalization (failed)', id: base.id, text: setFields(base.text, { status: 'failed', branch: `chant/${base.id}` }) });
  out.push({ kind: 'run start', id: base.id, text: setFields(base.text, { status: 'in_progress', branch: `chant/${base.id}` }) });
  out.push({ kind: 'pause', id: base.id, text: setField(base.text, 'status', 'paused') });
  out.push({ kind: 'cancel', id: base.id, text: setField(base.text, 'status', 'cancelled') });
  const spec = specOf(base.text, base.id);
  const values = formValuesOf(spec.frontmatter);
  const approval = changesBetween(values, { ...values, approval: { required: true, status: 'pending' } }, spec.frontmatter);
  const needsApproval = setFields(base.text, approval);
  out.push({ kind: 'approval required (frontmatter form)', id: base.id, text: needsApproval });
  // Approve and Reject write what `chant approve` / `chant reject` write.
  out.push({ kind: 'approve', id: base.id, text: applyApproval(needsApproval, { kind: 'approve' }, { by: 'Ann Lee', now }) });
  out.push({ kind: 'reject', id: base.id, text: applyApproval(needsApproval, { kind: 'reject', reason: 'Scope too large: split the fix' }, { by: 'Ann Lee', now }) });
  // Re-research from a phase of a chain, with and without earlier documents.
  const chain = scaffoldInvestigation({ issue: 'https://github.com/o/kvstore/issues/77', summary: 'lost writes', mode: 'chain', existingSpecNames: [], availablePrompts: [], now, random: fixedRandom });
  const chainSpecs = chain.specs.map((s) => specOf(s.text, s.id));
  for (const from of [chainSpecs[0], chainSpecs[2], chainSpecs[4]]) {
    const made = reResearchSpec({
      from,
      investigation: chainSpecs,
      question: 'is the lock released on the error path?',
      phases: DEFAULT_PHASES,
      existingSpecNames: chain.specs.map((s) => `${s.id}.md`),
      availablePrompts: ['research'],
      now,
      random: fixedRandom,
    });
    out.push({ kind: `re-research from ${from.title}`, id: made.id, text: made.text, phase: true });
  }
  return out;
}

describe('everything the extension writes passes chant lint', () => {
  const written = everythingTheExtensionWrites();

  it('covers every kind of spec', () => {
    assert.ok(written.length >= 6 + 2 * 3 * 2 + 3 * 5 + 2 + 3, `${written.length} specs`);
  });

  for (const { kind, id, text, phase } of written) {
    it(`${kind}: no error, no warning, not 🔴${phase ? ', 🟢 Ready' : ''}`, () => {
      const spec = specOf(text, id);
      assert.deepEqual(spec.problems, []);
      const known = new Set(written.map((w) => w.id).concat(spec.dependsOn));
      assert.deepEqual(chantLintRules(spec, specBody(text), { knownIds: known }), []);
      const grade = qualityGrade(spec, specBody(text));
      assert.notEqual(grade.trafficLight, 'refine', JSON.stringify(grade));
      if (phase) assert.equal(grade.trafficLight, 'ready', `${kind}: ${JSON.stringify(grade)}`);
    });
  }
});
