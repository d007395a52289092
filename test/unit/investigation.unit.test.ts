import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InvestigationError, scaffoldInvestigation, writeInvestigation } from '../../src/core/workflow/investigation';
import { parseSpec } from '../../src/core/spec/specParser';
import { readinessOf } from '../../src/core/project/readiness';
import type { Spec } from '../../src/core/spec/types';

const now = new Date(2026, 1, 8, 12, 0, 0);
const fixedRandom = (): number => 0.5;

function parsed(specs: { id: string; text: string }[]): Map<string, Spec> {
  return new Map(specs.map((s) => [s.id, parseSpec(s.text, { id: s.id, path: `/p/.chant/specs/${s.id}.md` })]));
}

describe('investigation scaffold (§12 with the §12.2 corrections)', () => {
  it('creates five chained phases with full-id dependencies, labels, inputs, targets and criteria', () => {
    const inv = scaffoldInvestigation({
      issue: 'https://github.com/yourproject/kvstore/issues/1234',
      summary: 'data loss on concurrent writes',
      mode: 'chain',
      existingSpecNames: ['2026-02-08-001-aaa.md'],
      availablePrompts: ['standard', 'comprehension', 'reproduce', 'root-cause'],
      now,
      random: fixedRandom,
    });
    assert.equal(inv.key, 'issue-1234');
    assert.deepEqual(inv.specs.map((s) => s.phase), ['Comprehension', 'Reproduction', 'Root Cause', 'Impact Map', 'Fork Fix']);
    assert.deepEqual(inv.specs.map((s) => s.id.slice(0, 14)), ['2026-02-08-002', '2026-02-08-003', '2026-02-08-004', '2026-02-08-005', '2026-02-08-006']);
    assert.deepEqual(inv.missingPrompts.sort(), ['fix', 'impact-map']);
    const specs = parsed(inv.specs);
    const [c, r, rc, im, fx] = inv.specs.map((s) => specs.get(s.id)!);
    assert.equal(c.title, 'Comprehension: issue #1234 data loss on concurrent writes');
    assert.equal(c.type, 'research');
    assert.deepEqual(c.labels, ['comprehension', 'issue-1234']);
    assert.deepEqual(c.informedBy, ['https://github.com/yourproject/kvstore/issues/1234']);
    assert.deepEqual(c.targetFiles, ['.chant/research/issue-1234-comprehension.md']);
    assert.equal(c.prompt, 'comprehension');
    assert.deepEqual(c.dependsOn, []);
    assert.equal(r.type, 'task');
    assert.equal(r.prompt, 'reproduce');
    assert.deepEqual(r.dependsOn, [c.id]);
    assert.deepEqual(rc.dependsOn, [r.id]);
    assert.deepEqual(im.dependsOn, [rc.id]);
    assert.equal(im.prompt, undefined, 'a prompt that does not exist is not named');
    assert.deepEqual(fx.dependsOn, [im.id]);
    assert.equal(fx.type, 'code');
    assert.equal(fx.title, 'Fix issue #1234: data loss on concurrent writes');
    assert.ok(fx.informedBy.includes('.chant/research/issue-1234-root-cause.md'));
    assert.ok(fx.informedBy.includes('.chant/research/issue-1234-impact-map.md'));
    for (const spec of specs.values()) {
      assert.equal(spec.problems.filter((p) => p.severity === 'error').length, 0, spec.id);
      assert.ok(spec.acceptance.total >= 3, `${spec.id} has real criteria`);
      assert.equal(spec.acceptance.checked, 0);
    }
    // Inputs are documents, never spec files (a spec id in the body is chant's coupling warning).
    assert.match(inv.specs[4].text, /## Inputs\n\n- Read `\.chant\/research\/issue-1234-comprehension\.md`/);
    assert.ok(inv.specs.every((s) => !s.text.includes('.chant/specs/')));
    assert.deepEqual(inv.documents, []);
    // Only the first phase is ready; each later one waits for its predecessor.
    assert.equal(readinessOf(c, specs).ready, true);
    for (const spec of [r, rc, im, fx]) assert.equal(readinessOf(spec, specs).ready, false);
  });

  it('single-spec mode: one investigation document, then the fix', () => {
    const inv = scaffoldInvestigation({ issue: '#77', summary: 'crash on empty key', mode: 'single', existingSpecNames: [], availablePrompts: [], now, random: fixedRandom });
    assert.equal(inv.issueUrl, undefined);
    // No URL to read the issue at: a report document to paste it into is the investigation's input.
    assert.deepEqual(inv.documents.map((d) => d.path), ['.chant/research/issue-77-report.md']);
    assert.match(inv.documents[0].text, /^# Issue #77: crash on empty key\n/);
    assert.deepEqual(inv.specs.map((s) => s.title), ['Investigation: issue #77 crash on empty key', 'Fix issue #77: crash on empty key']);
    const specs = parsed(inv.specs);
    const [i, f] = inv.specs.map((s) => specs.get(s.id)!);
    assert.deepEqual(i.targetFiles, ['.chant/research/issue-77-investigation.md']);
    assert.deepEqual(i.labels, ['investigation', 'issue-77']);
    assert.match(inv.specs[0].text, /## Stage 4: Impact Map/);
    assert.deepEqual(i.informedBy, ['.chant/research/issue-77-report.md']);
    assert.deepEqual(f.dependsOn, [i.id]);
  });

  it('turns an issue number into its URL on the issue repository (github/remotes.ts finds it)', () => {
    const repository = 'https://github.com/yourproject/kvstore';
    const inv = scaffoldInvestigation({ issue: '#1234', issueRepository: repository, summary: 's', mode: 'chain', existingSpecNames: [], availablePrompts: [], now, random: fixedRandom });
    assert.equal(inv.issueUrl, 'https://github.com/yourproject/kvstore/issues/1234');
    assert.deepEqual(parseSpec(inv.specs[0].text, { id: inv.specs[0].id, path: '/x' }).informedBy, ['https://github.com/yourproject/kvstore/issues/1234']);
    assert.deepEqual(inv.documents, []);
  });

  it('an imported issue report is the first input of the first phase, before the issue URL', () => {
    const url = 'https://github.com/o/r/issues/88';
    const report = '# Issue #88: lost writes\n\n## Report\n\n> it loses writes\n';
    for (const mode of ['chain', 'single'] as const) {
      const inv = scaffoldInvestigation({ issue: url, issueReport: report, summary: 'lost writes', mode, existingSpecNames: [], availablePrompts: [], now, random: fixedRandom });
      assert.deepEqual(inv.documents, [{ path: '.chant/research/issue-88-report.md', text: report }]);
      const first = parsed([inv.specs[0]]).get(inv.specs[0].id)!;
      assert.deepEqual(first.informedBy, ['.chant/research/issue-88-report.md', url]);
    }
  });

  it('writes specs and the report document, keeping a report that already exists', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'chant-inv-'));
    try {
      const inv = scaffoldInvestigation({ issue: '5', summary: 's', mode: 'single', existingSpecNames: [], availablePrompts: [], now, random: fixedRandom });
      await fs.mkdir(path.join(root, '.chant', 'research'), { recursive: true });
      await fs.writeFile(path.join(root, '.chant', 'research', 'issue-5-report.md'), 'pasted');
      await writeInvestigation(root, inv);
      assert.equal(await fs.readFile(path.join(root, '.chant', 'research', 'issue-5-report.md'), 'utf8'), 'pasted');
      for (const spec of inv.specs) assert.equal(await fs.readFile(path.join(root, '.chant', 'specs', `${spec.id}.md`), 'utf8'), spec.text);
      await assert.rejects(writeInvestigation(root, inv), /EEXIST/);
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });

  it('refuses what is not an issue and summaries that would break the file', () => {
    assert.throws(() => scaffoldInvestigation({ issue: 'nope', summary: 's', mode: 'chain', existingSpecNames: [], availablePrompts: [], now }), InvestigationError);
    assert.throws(() => scaffoldInvestigation({ issue: '1', summary: 'a\nb', mode: 'chain', existingSpecNames: [], availablePrompts: [], now }), InvestigationError);
    assert.throws(() => scaffoldInvestigation({ issue: '1', summary: '--- x', mode: 'chain', existingSpecNames: [], availablePrompts: [], now }), InvestigationError);
    const hostile = scaffoldInvestigation({ issue: '1', summary: "$(rm -rf /) `x` 'q' \"d\": #c", mode: 'chain', existingSpecNames: [], availablePrompts: [], now });
    const spec = parseSpec(hostile.specs[0].text, { id: hostile.specs[0].id, path: '/x' });
    assert.equal(spec.title, "Comprehension: issue #1 $(rm -rf /) `x` 'q' \"d\": #c");
  });
});
