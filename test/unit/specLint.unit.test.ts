import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { specLayout } from '../../src/core/spec/frontmatterRanges';
import { lintSpec, type EditorProblem, type LintEnvironment } from '../../src/core/project/specLint';
import { parseSpec } from '../../src/core/spec/specParser';
import { acceptance, makeSpec, specMap } from './specFactory';

const ROOT = '/project';
const ID = '2026-03-01-010-new';

function env(partial: Partial<LintEnvironment> = {}, existing: string[] = []): LintEnvironment {
  const files = new Set(existing.map((f) => path.resolve(ROOT, f)));
  return {
    specs: specMap(
      makeSpec('2026-01-10-001-abc', { status: 'completed', acceptance: acceptance(1, 1) }),
      makeSpec('2026-01-10-002-def', { dependsOn: ['2026-01-10-001-abc'] }),
      makeSpec('2026-01-11-002-xyz'),
    ),
    root: ROOT,
    promptFile: (name) => path.join(ROOT, '.chant', 'prompts', `${name}.md`),
    exists: async (file) => files.has(file),
    now: new Date(2026, 2, 1),
    ...partial,
  };
}

async function lint(
  text: string,
  environment = env(),
  where: { id?: string; archived?: boolean } = {},
): Promise<EditorProblem[]> {
  const id = where.id ?? ID;
  const spec = parseSpec(text, { id, path: path.join(ROOT, '.chant', 'specs', `${id}.md`), archived: where.archived });
  return lintSpec(spec, text, specLayout(text), environment);
}

const codes = (problems: EditorProblem[]): string[] => problems.map((p) => p.code);
const spot = (p: EditorProblem): [number, number, number | undefined, number | undefined] => [
  p.line,
  p.column,
  p.endLine,
  p.endColumn,
];

const BODY = '# Title\n\n## Acceptance Criteria\n\n- [ ] works\n';

describe('lintSpec', () => {
  it('reports nothing for a healthy spec', async () => {
    const text = `---\ntype: code\nstatus: pending\ndepends_on:\n- 2026-01-10-001-abc\n---\n${BODY}`;
    assert.deepEqual(await lint(text), []);
  });

  it('keeps the parser problems with their positions', async () => {
    const text = `---\nstatus: done\ntype: bugfix\nlabels: bug\n---\n${BODY}`;
    const problems = await lint(text);
    assert.deepEqual(codes(problems), ['unknown-status', 'unknown-type', 'scalar-list']);
    assert.deepEqual(problems.map(spot), [
      [1, 0, 1, 6],
      [2, 0, 2, 4],
      [3, 0, 3, 6],
    ]);
    assert.ok(problems.every((p) => p.severity === 'error'));
  });

  it('reports invalid YAML as an error where the parser found it', async () => {
    const problems = await lint(`---\nstatus: pending\nlabels: [a, b\n---\n${BODY}`);
    assert.equal(problems[0].code, 'yaml');
    assert.equal(problems[0].severity, 'error');
    assert.match(problems[0].message, /^Invalid YAML frontmatter: /);
    assert.ok(problems[0].line >= 2 && problems[0].line <= 3, `line ${problems[0].line}`);
  });

  it('reports a short dependency on its item and offers the full id', async () => {
    const text = `---\ndepends_on:\n- 2026-01-10-001-abc\n- 002-xyz\n---\n${BODY}`;
    const [problem, ...rest] = await lint(text);
    assert.deepEqual(rest, []);
    assert.equal(problem.code, 'unknown-dependency');
    assert.equal(problem.severity, 'error');
    assert.match(problem.message, /^Unknown dependency '002-xyz'/);
    assert.deepEqual(spot(problem), [3, 2, 3, 9]);
    assert.deepEqual(problem.replacements, ['2026-01-11-002-xyz']);
  });

  it('lists every candidate of an ambiguous short id', async () => {
    const [problem] = await lint(`---\ndepends_on: [002]\n---\n${BODY}`);
    assert.equal(problem.code, 'unknown-dependency');
    assert.deepEqual(problem.replacements, ['2026-01-10-002-def', '2026-01-11-002-xyz']);
  });

  it('says why a full id is unknown: missing, archived or unloadable', async () => {
    const specs = new Map(env().specs);
    specs.set('2026-01-12-001-bad', makeSpec('2026-01-12-001-bad', { chantWouldReject: true }));
    const environment = env({ specs, isArchived: (id) => id === '2026-01-09-001-old' });
    const text = `---\ndepends_on:\n- 2026-01-01-001-nop\n- 2026-01-09-001-old\n- 2026-01-12-001-bad\n---\n${BODY}`;
    const problems = await lint(text, environment);
    assert.deepEqual(
      problems.map((p) => p.message),
      [
        "Unknown dependency '2026-01-01-001-nop' (no such spec)",
        "Unknown dependency '2026-01-09-001-old': it is archived, and chant counts archived specs as missing",
        "Unknown dependency '2026-01-12-001-bad': chant cannot load that spec (fix the problems in its file)",
      ],
    );
    assert.ok(problems.every((p) => p.replacements === undefined));
  });

  it('skips cross-repo dependencies', async () => {
    assert.deepEqual(await lint(`---\ndepends_on:\n- backend:2026-01-01-001-nop\n---\n${BODY}`), []);
  });

  it('reports unknown members like chant lint', async () => {
    const [problem] = await lint(`---\ntype: driver\nmembers:\n- 2026-01-01-001-nop\n---\n# T\n`);
    assert.equal(problem.code, 'unknown-member');
    assert.match(problem.message, /^Unknown member spec '2026-01-01-001-nop'/);
  });

  it('reports a cycle through this spec with its path, on the dependency that starts it', async () => {
    const specs = new Map(env().specs);
    specs.set('2026-01-10-001-abc', makeSpec('2026-01-10-001-abc', { dependsOn: [ID] }));
    const text = `---\ndepends_on:\n- 2026-01-10-002-def\n---\n${BODY}`;
    const problems = await lint(text, env({ specs }));
    const cycle = problems.find((p) => p.code === 'dependency-cycle')!;
    assert.ok(cycle, codes(problems).join());
    assert.equal(cycle.severity, 'error');
    assert.match(cycle.message, new RegExp(`^Circular dependency: ${ID} -> 2026-01-10-002-def -> 2026-01-10-001-abc -> ${ID}`));
    assert.deepEqual(spot(cycle), [2, 2, 2, 20]);
  });

  it('reports a self-dependency as a cycle only', async () => {
    const problems = await lint(`---\ndepends_on:\n- ${ID}\n---\n${BODY}`);
    assert.deepEqual(codes(problems), ['dependency-cycle']);
    assert.match(problems[0].message, new RegExp(`${ID} -> ${ID}`));
  });

  it('requires a title (an error: chant work refuses)', async () => {
    const problems = await lint('---\nstatus: pending\n---\n\nSome text.\n\n## Acceptance Criteria\n- [ ] x\n');
    assert.deepEqual(codes(problems), ['missing-title']);
    assert.equal(problems[0].severity, 'error');
    assert.match(problems[0].message, /^Missing title/);
    assert.deepEqual(spot(problems[0]), [4, 0, 4, 10]);
  });

  it('warns about a missing or empty acceptance section, except for drivers', async () => {
    const missing = await lint('---\nstatus: pending\n---\n# Title\n');
    assert.deepEqual(codes(missing), ['missing-acceptance']);
    assert.equal(missing[0].severity, 'warning');
    assert.equal(missing[0].line, 3);
    const empty = await lint('---\nstatus: pending\n---\n# Title\n\n## Acceptance Criteria\n\nNothing yet.\n');
    assert.deepEqual(codes(empty), ['empty-acceptance']);
    assert.equal(empty[0].line, 5);
    assert.deepEqual(await lint('---\ntype: driver\n---\n# Title\n'), []);
  });

  it('warns about each unchecked criterion of a completed spec', async () => {
    const text = '---\nstatus: completed\n---\n# T\n\n## Acceptance Criteria\n\n- [x] a\n- [ ] b\n  - [ ] c\n';
    const problems = await lint(text);
    assert.deepEqual(codes(problems), ['unchecked-criterion', 'unchecked-criterion']);
    assert.deepEqual(problems.map(spot), [
      [8, 0, 8, 7],
      [9, 2, 9, 9],
    ]);
  });

  it('checks that informed_by, context and origin files exist, skipping URLs, globs and derived values', async () => {
    const text = [
      '---',
      'informed_by:',
      '- docs/here.md',
      '- docs/gone.md',
      '- https://github.com/o/r/issues/1',
      '- src/**/*.ts',
      'context:',
      '- derived_team=core',
      '- ./missing.txt',
      'origin: [logs/x.log]',
      'target_files:',
      '- src/new-file.ts',
      '---',
      BODY,
    ].join('\n');
    const problems = await lint(text, env({}, ['docs/here.md']));
    assert.deepEqual(
      problems.map((p) => [p.code, p.line, p.severity]),
      [
        ['missing-file', 3, 'warning'],
        ['missing-file', 8, 'warning'],
        ['missing-file', 9, 'warning'],
      ],
    );
    assert.match(problems[0].message, /^File not found: docs\/gone\.md/);
    assert.deepEqual(spot(problems[2]), [9, 9, 9, 19]);
  });

  it('reports a prompt with no file as an error on its value', async () => {
    const text = `---\nprompt: focused\n---\n${BODY}`;
    const [problem] = await lint(text);
    assert.equal(problem.code, 'missing-prompt');
    assert.equal(problem.severity, 'error');
    assert.match(problem.message, /^Prompt not found: focused/);
    assert.deepEqual(spot(problem), [1, 8, 1, 15]);
    assert.deepEqual(await lint(text, env({}, ['.chant/prompts/focused.md'])), []);
  });

  it('checks archived specs only for what the file itself gets wrong', async () => {
    const text = '---\nstatus: done\ndepends_on:\n- nope\n---\nNo title.\n';
    const problems = await lint(text, env(), { archived: true });
    assert.deepEqual(codes(problems), ['unknown-status', 'missing-title']);
  });
});
