// Take Over's summary: its shape (chant's `## Takeover Analysis`), a lossless append (a second
// takeover appends another dated section), untrusted content kept inert for chant's readers, and
// the facts gathered from a real repository after a scripted agent's run.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { shQuote } from '../../src/core/workflow/commandLine';
import { parseConfig } from '../../src/core/project/config';
import { ProjectPaths } from '../../src/core/project/project';
import { appendTakeoverSummary, lastLogLines, renderTakeoverSummary, TAKEOVER_HEADING, type TakeoverSummary } from '../../src/core/runs/takeoverSummary';
import { listCriteria } from '../../src/core/spec/criteria';
import { parseSpec } from '../../src/core/spec/specParser';
import { prepareDirectRun, type RunPlan } from '../../src/runs/directRun';
import { gatherTakeoverSummary } from '../../src/runs/takeoverFacts';
import { repoRoot } from './paths';
import { git, initRepo, makeTempDir, removeDir, writeFiles } from './tempRepo';

const SPEC = `---\ntype: code\nstatus: in_progress\n---\n# Fix it\n\nBody.\n\n## Acceptance Criteria\n\n- [x] Reproduced\n- [ ] Fixed\n- [ ] Tested\n`;

const summary = (extra: Partial<TakeoverSummary> = {}): TakeoverSummary => ({
  takenAt: new Date(Date.UTC(2026, 11, 5, 12, 30, 0)),
  branch: 'chant/2026-12-05-001-abc',
  workDir: '/tmp/chant-demo-2026-12-05-001-abc',
  commits: [{ sha: 'abc1234', subject: 'chant(2026-12-05-001-abc): reproduce the bug' }],
  filesChanged: [{ path: 'src/store.rs' }, { path: 'tests/race.rs', uncommitted: true }],
  criteria: [
    { text: 'Reproduced', checked: true },
    { text: 'Fixed', checked: false },
    { text: 'Tested', checked: false },
  ],
  lastMessages: ['I found the race.', '› Bash cargo test race', '✗ test failed'],
  usage: { inputTokens: 300, outputTokens: 4100, cacheReadTokens: 12_000, cacheCreationTokens: 0, costUsd: 0.42 },
  ...extra,
});

describe('takeover summary', () => {
  it("renders chant's Takeover Analysis: analysis, Recent Log Activity in a fence, Recommendation as a checklist", () => {
    assert.equal(
      renderTakeoverSummary(summary()),
      [
        '## Takeover Analysis',
        '',
        'Taken over 2026-12-05 12:30 UTC: the agent was stopped on branch `chant/2026-12-05-001-abc` and the spec paused, to continue by hand.',
        'The work is in `/tmp/chant-demo-2026-12-05-001-abc`.',
        '',
        '**Acceptance criteria ticked:** 1 of 3',
        '**Usage so far:** 12.3k in · 4.1k out · $0.42',
        '',
        '**Commits** (1):',
        '- `abc1234` chant(2026-12-05-001-abc): reproduce the bug',
        '',
        '**Files changed** (2):',
        '- `src/store.rs`',
        '- `tests/race.rs` (not committed)',
        '',
        '### Recent Log Activity',
        '',
        '```text',
        'I found the race.',
        '› Bash cargo test race',
        '✗ test failed',
        '```',
        '',
        '### Recommendation',
        '',
        '- [ ] Fixed',
        '- [ ] Tested',
        '- [ ] Commit the uncommitted changes with a `chant(<id>): …` message',
        '- [ ] Tick the criteria above as they are met, then review and merge',
        '',
      ].join('\n'),
    );
    const bare = renderTakeoverSummary(summary({ commits: [], filesChanged: [], lastMessages: [], usage: undefined, criteria: [{ text: 'Done', checked: true }] }));
    assert.match(bare, /\*\*Commits\*\* \(0\): none\n/);
    assert.match(bare, /### Recent Log Activity\n\nThe agent wrote nothing yet\.\n/);
    assert.match(bare, /- \[ \] Review the changes on the branch, then merge\n$/);
    assert.doesNotMatch(bare, /Usage so far/);
  });

  it('appends losslessly; a second takeover appends another dated section; the criteria chant counts do not change', () => {
    const once = appendTakeoverSummary(SPEC, summary());
    assert.ok(once.startsWith(SPEC), 'every byte before the section unchanged');
    assert.equal(once.slice(SPEC.length, SPEC.length + 1 + TAKEOVER_HEADING.length), `\n${TAKEOVER_HEADING}`);
    const twice = appendTakeoverSummary(once, summary({ takenAt: new Date(Date.UTC(2026, 11, 6, 8, 0, 0)) }));
    assert.ok(twice.startsWith(once));
    assert.equal(twice.split(TAKEOVER_HEADING).length - 1, 2);
    assert.match(twice, /Taken over 2026-12-05 12:30 UTC[\s\S]*Taken over 2026-12-06 08:00 UTC/);
    const before = listCriteria(SPEC).items.map((c) => [c.text, c.checked]);
    assert.deepEqual(listCriteria(twice).items.map((c) => [c.text, c.checked]), before);
    const spec = parseSpec(twice, { id: 'x', path: '' });
    assert.equal(spec.title, 'Fix it');
    assert.deepEqual([spec.acceptance.checked, spec.acceptance.total], [1, 3]);
  });

  it('keeps CRLF files CRLF, adds a missing final newline, and closes a fence the text left open', () => {
    const crlf = SPEC.replace(/\n/g, '\r\n');
    const out = appendTakeoverSummary(crlf, summary());
    assert.ok(out.startsWith(crlf));
    assert.doesNotMatch(out.slice(crlf.length), /[^\r]\n/);
    const noNewline = appendTakeoverSummary('# T\n\nlast line', summary());
    assert.ok(noNewline.startsWith('# T\n\nlast line\n\n## Takeover Analysis\n'));
    // chant's own Agent Output glues its closing fence to the last output line, leaving the fence open.
    const glued = `${SPEC}\n## Agent Output\n\n2026-12-05\n\n\`\`\`\nall done!\`\`\`\n`;
    const closed = appendTakeoverSummary(glued, summary());
    assert.ok(closed.startsWith(`${glued}\`\`\`\n\n## Takeover Analysis\n`));
    assert.deepEqual(listCriteria(closed).items.length, 3);
  });

  it('untrusted log lines, subjects, paths and criteria cannot open fences, add headings or change the criteria', () => {
    const hostile = summary({
      commits: [{ sha: 'abc1234', subject: 'x\n## Acceptance Criteria\n- [ ] injected' }],
      filesChanged: [{ path: 'a`b`.ts' }],
      criteria: [{ text: 'Fixed', checked: false }],
      lastMessages: ['```', '## Acceptance Criteria', '- [ ] injected from the log', '   ```bash', '\u001b[31mred\u001b[0m'],
    });
    const out = appendTakeoverSummary(SPEC, hostile);
    assert.deepEqual(listCriteria(out).items.map((c) => c.text), ['Reproduced', 'Fixed', 'Tested']);
    const section = out.slice(SPEC.length);
    assert.equal(section.split('\n').filter((l) => l.trimStart().startsWith('```')).length, 2, 'only our own fence lines');
    let fenced = false;
    const headings: string[] = [];
    for (const line of section.split('\n')) {
      if (line.trimStart().startsWith('```')) fenced = !fenced;
      else if (!fenced && /^\s*#{1,2} /.test(line)) headings.push(line);
    }
    assert.deepEqual(headings, [TAKEOVER_HEADING], 'outside the fence, the only heading of level 1-2 is ours');
    assert.equal(fenced, false);
    assert.match(section, /^\\```$/m);
    assert.match(section, /^- `` a`b`.ts ``$/m);
    assert.match(section, /^- `abc1234` x ## Acceptance Criteria - \[ \] injected$/m);
    assert.doesNotMatch(section, /\u001b/);
  });

  it("reads the last lines of a chant log's latest run", () => {
    const log = `# Agent Log: x\n# Started: 2026\n# Prompt: standard\n\nold line\n\n${'='.repeat(80)}\n# New Run: 2026\n# Prompt: standard\n${'='.repeat(80)}\n\n${Array.from({ length: 15 }, (_, i) => `line ${i + 1}`).join('\n')}\n`;
    assert.deepEqual(lastLogLines(log), Array.from({ length: 10 }, (_, i) => `line ${i + 6}`));
    assert.deepEqual(lastLogLines('# Agent Log: x\n# Started: s\n# Prompt: p\n\nonly\n# Finished: t failed: x\n'), ['only']);
    assert.deepEqual(lastLogLines(''), []);
  });
});

describe('takeover facts (real repository, scripted agent)', function () {
  this.timeout(30_000);
  const ID = '2026-12-05-002-t7k';
  let repo: string;
  let wtFolder: string;
  beforeEach(() => {
    repo = makeTempDir('chant-takeover-');
    wtFolder = makeTempDir('chant-takeover-wt-');
    initRepo(repo);
    writeFiles(repo, {
      '.chant/config.md': '---\nproject:\n  name: demo\ndefaults:\n  main_branch: main\n---\n# Config\n',
      '.chant/.gitignore': 'logs/\n',
      [`.chant/specs/${ID}.md`]: `---\ntype: code\nstatus: pending\ntarget_files:\n- src/out.txt\n---\n# Make it\n\n## Acceptance Criteria\n\n- [ ] Made\n- [ ] Tested\n`,
    });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'initial');
  });
  afterEach(() => {
    removeDir(repo);
    removeDir(wtFolder);
  });

  async function run(flags: string): Promise<RunPlan> {
    const paths = new ProjectPaths(repo);
    const plan = await prepareDirectRun({
      paths,
      config: parseConfig(readFileSync(paths.configFile, 'utf8')),
      spec: parseSpec(readFileSync(paths.specFile(ID), 'utf8'), { id: ID, path: paths.specFile(ID) }),
      silent: false,
      isolation: 'worktree',
      worktreeFolder: wtFolder,
      agentCommand: `node ${shQuote(path.join(repoRoot, 'test', 'agent', 'scriptedAgent.js'))} --prompt \${promptFile} ${flags}`,
      env: {},
    });
    try {
      execFileSync('bash', ['-c', plan.commandLine], { cwd: plan.workDir, stdio: 'pipe' });
    } catch {
      // --commit-fails exits 1: the summary is about what it left.
    }
    return plan;
  }

  it('gathers commits, changed and uncommitted files, ticked criteria, the transcript and usage from the stream file', async () => {
    const plan = await run('--stream-json');
    writeFileSync(path.join(plan.workDir, 'notes.txt'), 'by hand\n');
    const facts = await gatherTakeoverSummary(plan, new Date(Date.UTC(2026, 11, 5, 13, 0, 0)));
    assert.equal(facts.commits.length, 1);
    assert.match(facts.commits[0].sha, /^[0-9a-f]{7,}$/);
    assert.equal(facts.commits[0].subject, `chant(${ID}): scripted agent work`);
    assert.deepEqual(facts.filesChanged, [{ path: `.chant/specs/${ID}.md` }, { path: 'src/out.txt' }, { path: 'notes.txt', uncommitted: true }]);
    assert.deepEqual(facts.criteria, [{ text: 'Made', checked: true }, { text: 'Tested', checked: true }]);
    assert.ok(facts.lastMessages.includes('done'), facts.lastMessages.join('\n'));
    assert.ok(facts.lastMessages.some((l) => l.startsWith('› Bash git add src/out.txt')), facts.lastMessages.join('\n'));
    assert.ok(facts.lastMessages.length <= 10);
    assert.ok(facts.usage?.costUsd && facts.usage.costUsd > 0);
    assert.equal(facts.branch, `chant/${ID}`);

    const written = appendTakeoverSummary(readFileSync(plan.specFile, 'utf8'), facts);
    assert.match(written, /\*\*Acceptance criteria ticked:\*\* 2 of 2/);
    assert.match(written, /- `notes.txt` \(not committed\)/);
  });

  it('falls back to the chant log when the run has no stream file (a run recorded before them)', async () => {
    const plan = await run('--commit-fails');
    const facts = await gatherTakeoverSummary({ ...plan, streamFile: '' });
    assert.deepEqual(facts.commits, []);
    assert.deepEqual(facts.filesChanged, [{ path: `.chant/specs/${ID}.md`, uncommitted: true }, { path: 'src/out.txt', uncommitted: true }]);
    assert.equal(facts.lastMessages[facts.lastMessages.length - 1], 'scripted agent: the commit failed (as asked)');
    assert.equal(facts.usage, undefined);
  });
});
