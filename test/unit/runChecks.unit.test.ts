// The checks before a run (src/core/workflow/runChecks.ts): which refuse, which ask, in what order, and that
// answers given in advance (re-run, work anyway) skip exactly their question.
import * as assert from 'node:assert/strict';
import { readinessOf } from '../../src/core/project/readiness';
import { runChecks, type RunCheckFacts } from '../../src/core/workflow/runChecks';
import { parseSpec } from '../../src/core/spec/specParser';
import type { Spec } from '../../src/core/spec/types';
import { makeSpec, specMap } from './specFactory';

const DEP = '2026-03-01-001-dep';
const ID = '2026-03-01-002-run';

function facts(spec: Spec, more: Partial<RunCheckFacts> = {}, others: Spec[] = []): RunCheckFacts {
  const specs = specMap(spec, ...others);
  return { spec, readiness: readinessOf(spec, specs), hasCommits: true, promptExists: true, ...more };
}

const codes = (f: RunCheckFacts): string[] => runChecks(f).map((c) => `${c.kind}:${c.code}`);

describe('runChecks', () => {
  it('lets a ready spec with a title run', () => {
    assert.deepEqual(runChecks(facts(makeSpec(ID, { title: 'Do it' }))), []);
  });

  it('refuses without git, with the reason as given, and asks nothing else', () => {
    const checks = runChecks(facts(makeSpec(ID, { title: 'Do it', status: 'completed' }), { gitProblem: 'git is not installed (spawn git ENOENT)' }));
    assert.deepEqual(checks, [{ kind: 'refuse', code: 'no-git', message: 'git is not installed (spawn git ENOENT)' }]);
  });

  it('refuses a repository without commits and says how to make one', () => {
    const [check] = runChecks(facts(makeSpec(ID, { title: 'Do it' }), { hasCommits: false }));
    assert.equal(check.code, 'no-commits');
    assert.match(check.message, /git add -A && git commit/);
  });

  it('refuses a spec chant cannot load or with an unknown status', () => {
    assert.deepEqual(codes(facts(makeSpec(ID, { title: 'Do it', chantWouldReject: true }))), ['refuse:not-loadable']);
    assert.deepEqual(codes(facts(makeSpec(ID, { title: 'Do it', status: 'someday' }))), ['refuse:not-loadable']);
  });

  it('refuses a spec without a title, as chant work does', () => {
    assert.deepEqual(codes(facts(makeSpec(ID, { title: undefined }))), ['refuse:no-title']);
    assert.deepEqual(codes(facts(makeSpec(ID, { title: '   ' }))), ['refuse:no-title']);
  });

  it('refuses a missing prompt file, but not chant\'s built-in standard prompt', () => {
    const [check] = runChecks(facts(makeSpec(ID, { title: 'Do it', prompt: 'research' }), { promptExists: false }));
    assert.equal(check.code, 'no-prompt');
    assert.match(check.message, /create \.chant\/prompts\/research\.md/);
    assert.deepEqual(runChecks(facts(makeSpec(ID, { title: 'Do it', prompt: 'standard' }), { promptExists: false })), []);
  });

  it('refuses a spec that needs approval until it is approved', () => {
    const pending = makeSpec(ID, { title: 'Do it', approval: { required: true, status: 'pending' } });
    const [check] = runChecks(facts(pending));
    assert.equal(check.code, 'needs-approval');
    assert.match(check.message, new RegExp(`chant approve ${ID} --by <name>`));
    assert.deepEqual(runChecks(facts(makeSpec(ID, { title: 'Do it', approval: { required: true, status: 'approved' } }))), []);
  });

  it('asks before re-running a completed or cancelled spec; rerun answers it', () => {
    for (const status of ['completed', 'cancelled']) {
      const spec = makeSpec(ID, { title: 'Do it', status });
      const checks = runChecks(facts(spec));
      assert.equal(checks.length, 1, status);
      assert.deepEqual({ kind: checks[0].kind, code: checks[0].code }, { kind: 'confirm', code: 'rerun' });
      assert.equal(checks[0].kind === 'confirm' && checks[0].action, 'Work Again');
      assert.deepEqual(runChecks(facts(spec, { rerun: true })), []);
    }
  });

  it('lists unmet dependencies and offers Work Anyway; workAnyway answers it', () => {
    const dep = makeSpec(DEP, { title: 'First', status: 'pending' });
    const spec = makeSpec(ID, { title: 'Second', dependsOn: [DEP] });
    const checks = runChecks(facts(spec, {}, [dep]));
    assert.equal(checks.length, 1);
    const [check] = checks;
    assert.equal(check.kind, 'confirm');
    assert.equal(check.code, 'not-ready');
    assert.match(check.message, new RegExp(`• .*${DEP}`));
    assert.equal(check.kind === 'confirm' && check.action, 'Work Anyway');
    assert.deepEqual(runChecks(facts(spec, { workAnyway: true }, [dep])), []);
    // A completed dependency no longer blocks.
    assert.deepEqual(runChecks(facts(spec, {}, [makeSpec(DEP, { title: 'First', status: 'completed' })])), []);
  });

  it('asks before working a spec chant work grades 🔴 Refine, with its suggestions; despiteGrade answers it; the CLI asks itself', () => {
    // No criteria at all: AC quality D, so chant work asks "Continue anyway?" (or refuses without a terminal).
    const refine = '---\ntype: code\nstatus: pending\n---\n# Tidy the store\n\n- Tidy the store\n\n## Acceptance Criteria\n\n';
    const spec = parseSpec(refine, { id: ID, path: `/p/.chant/specs/${ID}.md` });
    const checks = runChecks(facts(spec, { text: refine }));
    assert.deepEqual(codes(facts(spec, { text: refine })), ['confirm:quality']);
    const [check] = checks;
    assert.match(check.message, /^"Tidy the store" grades 🔴 Refine in chant's quality check \(Complexity A, Confidence C, Criteria D\)/);
    assert.equal(check.kind === 'confirm' && check.action, 'Work Anyway');
    assert.match((check.kind === 'confirm' && check.detail) || '', /• Add at least 1 acceptance criteria checkbox\n[\s\S]*asks "Continue anyway\?"[\s\S]*--skip-criteria/);
    assert.deepEqual(runChecks(facts(spec, { text: refine, despiteGrade: true })), []);
    // `chant work` in the CLI runner's terminal asks its own question: none here.
    assert.deepEqual(runChecks(facts(spec, { text: refine, runner: 'cli' })), []);
    // Without the text there is nothing to grade (callers that cannot read the file ask nothing).
    assert.deepEqual(runChecks(facts(spec)), []);
    // 🟡 Review and 🟢 Ready go ahead without a question, whatever the criteria say: chant counts them.
    for (const criteria of ['- [ ] Output written', '- [ ] Output written\n- [ ] Work committed', '- [ ] ']) {
      const text = refine.replace('## Acceptance Criteria\n\n', `## Acceptance Criteria\n\n${criteria}\n`);
      assert.deepEqual(runChecks(facts(parseSpec(text, { id: ID, path: `/p/.chant/specs/${ID}.md` }), { text })), [], criteria);
    }
  });

  it('puts every refusal before any question: nothing is asked about a spec that cannot run', () => {
    const dep = makeSpec(DEP, { title: 'First', status: 'pending' });
    const spec = makeSpec(ID, { title: '', status: 'completed', dependsOn: [DEP], approval: { required: true } });
    assert.deepEqual(codes(facts(spec, { hasCommits: false }, [dep])), [
      'refuse:no-commits',
      'refuse:no-title',
      'refuse:needs-approval',
      'confirm:rerun',
      'confirm:not-ready',
    ]);
  });
});
