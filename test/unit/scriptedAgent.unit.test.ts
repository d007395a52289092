// The scripted agent the run tests use in place of claude: its plain output stays what the other
// tests expect; with --stream-json it prints claude's event shapes, which the stream reader reads
// back (model, tool calls, usage and cost); --commit-fails and the steady stream behave as documented.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AgentStreamReader, type TranscriptLine } from '../../src/core/runs/agentStream';
import type { AgentFormatId } from '../../src/core/runs/agents';
import { repoRoot } from './paths';
import { git, initRepo, makeTempDir, removeDir, writeFiles } from './tempRepo';

const AGENT = path.join(repoRoot, 'test', 'agent', 'scriptedAgent.js');
const ID = '2026-02-08-002-k9z';
const SPEC = `---\ntype: code\nstatus: in_progress\ntarget_files:\n- src/out.txt\n---\n# Make it\n\n## Acceptance Criteria\n\n- [ ] Made\n- [ ] Tested\n`;

/** A repository with the spec committed and its prompt written, as a run finds them. */
function specRepo(prefix: string): string {
  const repo = makeTempDir(prefix);
  initRepo(repo);
  writeFiles(repo, { [`.chant/specs/${ID}.md`]: SPEC, '.chant/tmp/prompt.md': '# Prompt\n\nDo the spec.\n' });
  git(repo, 'add', '.chant/specs');
  git(repo, 'commit', '-q', '-m', 'initial');
  return repo;
}

describe('scripted agent', function () {
  this.timeout(20_000);
  let repo: string;
  beforeEach(() => (repo = specRepo('chant-agent-')));
  afterEach(() => removeDir(repo));

  function runAgent(...flags: string[]): { code: number | null; stdout: string; stderr: string; ms: number } {
    const started = Date.now();
    const result = spawnSync(process.execPath, [AGENT, '--prompt', path.join(repo, '.chant/tmp/prompt.md'), ...flags], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, CHANT_SPEC_ID: ID, CHANT_MODEL: 'haiku', SCRIPTED_AGENT_STREAM_JSON: '', SCRIPTED_AGENT_COMMIT_FAILS: '' },
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr, ms: Date.now() - started };
  }

  function read(stdout: string): { reader: AgentStreamReader; lines: TranscriptLine[] } {
    const reader = new AgentStreamReader();
    return { reader, lines: [...reader.push(stdout), ...reader.end()], };
  }

  it('without flags prints the same plain lines as before', () => {
    const run = runAgent();
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.stdout.trimEnd().split('\n'), [
      `scripted agent: spec ${ID}, prompt ${path.join(repo, '.chant/tmp/prompt.md')}`,
      'scripted agent: read 23 characters of prompt',
      'scripted agent: wrote src/out.txt',
      'scripted agent: checked the acceptance criteria',
      `scripted agent: committed src/out.txt, .chant/specs/${ID}.md`,
      'scripted agent: done',
    ]);
  });

  it('--stream-json prints claude-shaped events: init with the model, text, Write and Bash tool calls with results, a result with usage and cost', () => {
    const run = runAgent('--stream-json');
    assert.equal(run.code, 0, run.stderr);
    const events = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; subtype?: string; model?: string });
    assert.deepEqual([events[0].type, events[0].subtype, events[0].model], ['system', 'init', 'haiku']);
    assert.equal(events[events.length - 1].type, 'result');
    assert.ok(events.some((e) => e.type === 'user'), 'tool results come as user events');

    const { reader, lines } = read(run.stdout);
    const tools = lines.filter((l) => l.kind === 'tool').map((l) => l.text);
    assert.ok(tools.includes(`Write ${path.join(repo, 'src/out.txt')}`), tools.join('\n'));
    assert.ok(tools.some((t) => t.startsWith('Bash git add src/out.txt')), tools.join('\n'));
    assert.ok(lines.some((l) => l.kind === 'text' && l.text === 'done'));
    assert.equal(reader.model, 'haiku');
    assert.equal(reader.isError, false);
    const turns = reader.usage?.turns ?? 0;
    assert.ok(turns >= 6, `turns ${turns}`);
    assert.deepEqual({ ...reader.usage, durationMs: 0 }, {
      inputTokens: 12 * turns,
      outputTokens: 40 * turns,
      cacheReadTokens: 1000 * turns,
      cacheCreationTokens: 200 * turns,
      costUsd: Math.round(turns * (12e-6 + 40 * 5e-6 + 1000 * 1e-7 + 200 * 1.25e-6) * 1e6) / 1e6,
      turns,
      durationMs: 0,
    });
    assert.match(git(repo, 'log', '-1', '--format=%s'), new RegExp(`^chant\\(${ID}\\): scripted agent work$`));
  });

  it('--commit-fails writes its outputs, ticks the criteria, then a git commit of nothing exits 1', () => {
    const before = git(repo, 'rev-parse', 'HEAD');
    const plain = runAgent('--commit-fails');
    assert.equal(plain.code, 1);
    assert.match(plain.stdout, /nothing (added )?to commit|no changes added to commit/);
    assert.ok(existsSync(path.join(repo, 'src/out.txt')));
    assert.match(readFileSync(path.join(repo, `.chant/specs/${ID}.md`), 'utf8'), /- \[x\] Made\n- \[x\] Tested/);
    assert.equal(git(repo, 'rev-parse', 'HEAD'), before, 'no commit');

    const stream = runAgent('--commit-fails', '--stream-json');
    assert.equal(stream.code, 1);
    const { reader, lines } = read(stream.stdout);
    assert.ok(lines.some((l) => l.kind === 'tool' && l.text.startsWith('Bash git commit')));
    assert.ok(lines.some((l) => l.kind === 'error' && l.text === 'Exit code 1'));
    assert.equal(reader.isError, false, 'the agent itself finished; its script failed');
    assert.ok(reader.usage?.costUsd);
  });

  it('--lines-per-second N --seconds S prints a steady stream first', () => {
    const run = runAgent('--stream-json', '--lines-per-second', '100', '--seconds', '1');
    assert.equal(run.code, 0, run.stderr);
    const { lines } = read(run.stdout);
    assert.equal(lines.filter((l) => /^Steady line \d+ of 100/.test(l.text)).length, 50);
    assert.equal(lines.filter((l) => /^Read src\/file-\d+\.ts$/.test(l.text)).length, 50);
    assert.ok(run.ms >= 950, `took ${run.ms} ms for 100 lines at 100 a second`);
    const plain = runAgent('--lines-per-second', '200', '--seconds', '0.5');
    assert.equal(plain.stdout.split('\n').filter((l) => l.startsWith('scripted agent: steady line')).length, 100);
  });

  it('--fail with --stream-json ends with an error result and exit 3', () => {
    const run = runAgent('--fail', '--stream-json');
    assert.equal(run.code, 3);
    const { reader } = read(run.stdout);
    assert.equal(reader.isError, true);
    assert.equal(existsSync(path.join(repo, 'src/out.txt')), false);
  });
});

/**
 * Each agent's format, end to end: the scripted agent prints that agent's real event shapes
 * (test/agent/formats.js) and the reader of its file in src/core/runs/agents/ gives the same
 * transcript, latest activity, usage, cost (or none), model and outcome, whether the run says which
 * format it is or the reader tells it from the output.
 */
describe('agent formats read from the scripted agent', function () {
  this.timeout(30_000);
  let repo: string;
  beforeEach(() => (repo = specRepo('chant-formats-')));
  afterEach(() => removeDir(repo));

  const run = (...flags: string[]) =>
    spawnSync(process.execPath, [AGENT, '--prompt', path.join(repo, '.chant/tmp/prompt.md'), ...flags], {
      cwd: repo,
      encoding: 'utf8',
      env: {
        ...process.env,
        CHANT_SPEC_ID: ID,
        CHANT_MODEL: 'scripted-model',
        SCRIPTED_AGENT_STREAM_JSON: '',
        SCRIPTED_AGENT_COMMIT_FAILS: '',
        SCRIPTED_AGENT_FORMAT: '',
      },
    });

  /**
   * What each format carries: the tool line for the written file, whether it names its model, whether it reports cost.
   */
  const expectations: Record<AgentFormatId, { write: string; model: boolean; cost: boolean }> = {
    claude: { write: 'Write', model: true, cost: true },
    codex: { write: 'apply_patch', model: false, cost: false },
    gemini: { write: 'write_file', model: true, cost: false },
    opencode: { write: 'write', model: false, cost: true },
    plain: { write: '', model: false, cost: false },
  };

  for (const format of ['claude', 'codex', 'gemini', 'opencode'] as const) {
    it(`${format}: text, tool calls with their main argument, usage, ${expectations[format].cost ? 'cost' : 'no cost'}, ${expectations[format].model ? 'the model' : 'no model'}, and the outcome`, () => {
      const ok = run('--format', format);
      assert.equal(ok.status, 0, ok.stderr);
      for (const mode of [format, 'auto'] as const) {
        const reader = new AgentStreamReader(mode);
        // One character at a time: a line split anywhere reads the same.
        const lines: TranscriptLine[] = [];
        for (let i = 0; i < ok.stdout.length; i += 7) lines.push(...reader.push(ok.stdout.slice(i, i + 7)));
        lines.push(...reader.end());
        assert.equal(reader.format, format, `${mode} reads it as ${format}`);
        const texts = lines.filter((l) => l.kind === 'text').map((l) => l.text);
        assert.ok(texts.includes('read 23 characters of prompt'), texts.join('\n'));
        assert.ok(texts.includes('done'), texts.join('\n'));
        const tools = lines.filter((l) => l.kind === 'tool').map((l) => l.text);
        assert.ok(tools.includes(`${expectations[format].write} ${path.join(repo, 'src/out.txt')}`), tools.join('\n'));
        assert.equal(reader.lastActivity, 'done');
        assert.equal(reader.isError, false);
        assert.equal(reader.hasResult, true);
        assert.equal(reader.model, expectations[format].model ? 'scripted-model' : undefined);
        const usage = reader.usage!;
        assert.ok(usage.outputTokens > 0 && usage.outputTokens % 40 === 0, JSON.stringify(usage));
        const turns = usage.outputTokens / 40;
        assert.equal(usage.cacheReadTokens, 1000 * turns);
        assert.equal(usage.inputTokens, 12 * turns);
        if (expectations[format].cost)
          assert.ok(
            Math.abs((usage.costUsd ?? 0) - turns * (12e-6 + 40 * 5e-6 + 1000 * 1e-7 + 200 * 1.25e-6)) < 1e-5,
            JSON.stringify(usage),
          );
        else assert.equal(usage.costUsd, undefined, 'no cost reported: unknown, not zero');
        assert.match(lines[lines.length - 1].text, /^Finished · /);
      }

      removeDir(repo);
      repo = makeTempDir('chant-formats-');
      initRepo(repo);
      writeFiles(repo, { [`.chant/specs/${ID}.md`]: SPEC, '.chant/tmp/prompt.md': '# Prompt\n' });
      const failed = run('--format', format, '--fail');
      assert.equal(failed.status, 3);
      const reader = new AgentStreamReader('auto');
      const lines = [...reader.push(failed.stdout), ...reader.end()];
      assert.equal(reader.isError, true, `${format}: the failure is read`);
      assert.ok(
        lines.some((l) => l.kind === 'error'),
        lines.map((l) => l.text).join('\n'),
      );
      assert.match(lines[lines.length - 1].text, /^Failed · /);
    });
  }
});
