// The output filter end to end: the wrapper a terminal runs (wrapAgentRun) pipes a recorded claude
// stream through the filter with Node. The chant-format log keeps the assistant's text only, exactly
// as without a stream file; the stream file gets every byte the agent printed.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { AgentStreamReader, transcriptText } from '../../src/core/runs/agentStream';
import { parseRunStreamFileName, runStamp, runStreamFileName } from '../../src/core/runs/runFiles';
import { parseStatusFile, shQuote, wrapAgentRun } from '../../src/core/workflow/commandLine';
import { fixturesDir, repoRoot, streamFilterScript } from './paths';
import { makeTempDir, removeDir } from './tempRepo';

const RECORDED = readFileSync(path.join(fixturesDir, 'stream', 'claude-run.jsonl'), 'utf8');
/** What chant's log keeps of the recorded run (§7.5), then the plain lines as they are. */
const EXPECTED_LOG = "I'll read the issue first.\nThe write path takes the lock twice.\nI fixed it and committed the change.\nWarning: a wrapper's own line\n{broken json\nlast line without a newline\n";

describe('stream filter (run with node in the agent wrapper)', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir('chant-filter-');
    // The agent's output: the recorded stream, lines no JSON reader understands, a partial last line.
    writeFileSync(path.join(dir, 'output.txt'), `${RECORDED}Warning: a wrapper's own line\n{broken json\nlast line without a newline`);
  });
  afterEach(() => removeDir(dir));

  /**
   * Runs the wrapper line as a terminal would. stdout (through tee) and stderr (the filter's tool lines) are two
   * pipes that a terminal interleaves at whatever write boundaries the machine's load gives; each is compared whole.
   */
  function runLine(line: string): { stdout: string; stderr: string; terminal: string } {
    const result = spawnSync('sh', ['-c', line], { cwd: dir, encoding: 'utf8' });
    if (result.error) throw result.error;
    return { stdout: result.stdout, stderr: result.stderr, terminal: `${result.stdout}${result.stderr}` };
  }

  function run(
    name: string,
    streamFile?: string,
  ): { log: string; stdout: string; stderr: string; terminal: string; code: number | undefined } {
    const log = path.join(dir, `${name}.log`);
    const status = path.join(dir, `${name}.status`);
    const line = wrapAgentRun({
      agentLine: `cat ${shQuote(path.join(dir, 'output.txt'))}`,
      env: {},
      logFile: log,
      statusFile: status,
      filter: { script: streamFilterScript, node: process.execPath },
      streamFile,
    });
    const output = runLine(line);
    return { log: readFileSync(log, 'utf8'), ...output, code: parseStatusFile(readFileSync(status, 'utf8'))?.exitCode };
  }

  it('appends every byte of the agent output to CHANT_STREAM_FILE, and the log stays exactly as without it', () => {
    const streamFile = path.join(dir, 'run.jsonl');
    const withStream = run('with', streamFile);
    const without = run('without');
    assert.equal(readFileSync(streamFile, 'utf8'), readFileSync(path.join(dir, 'output.txt'), 'utf8'));
    assert.equal(withStream.log, EXPECTED_LOG);
    assert.equal(without.log, EXPECTED_LOG);
    // stdout (through tee) and stderr (tool lines) reach the terminal by two pipes: compare each pipe,
    // not their interleaving.
    assert.equal(withStream.stdout, without.stdout);
    assert.equal(withStream.stderr, without.stderr);
    assert.match(withStream.terminal, /› Read \/tmp\/chant-kv-001-r4x\/src\/store\.rs\n/);
    assert.equal(withStream.code, 0);

    const reader = new AgentStreamReader();
    const transcript = transcriptText([...reader.push(readFileSync(streamFile, 'utf8')), ...reader.end()]);
    assert.match(transcript, /^I'll read the issue first\.\n› Read \/tmp\/chant-kv-001-r4x\/src\/store\.rs\n/);
    assert.equal(reader.usage?.costUsd, 0.3464);

    // A second run into the same file appends.
    run('again', streamFile);
    assert.equal(readFileSync(streamFile, 'utf8'), readFileSync(path.join(dir, 'output.txt'), 'utf8').repeat(2));
  });

  it('a stream file that cannot be written changes nothing else', () => {
    const result = run('broken', path.join(dir, 'no-such-folder', 'run.jsonl'));
    assert.equal(result.log, EXPECTED_LOG);
    assert.equal(result.code, 0);
  });

  for (const format of ['codex', 'gemini', 'opencode'] as const) {
    it(`${format}: the log keeps the agent's text only, the terminal shows its tool calls, read in the run's format or told from the output`, () => {
      const agent = path.join(repoRoot, 'test', 'agent', 'formats.js');
      // The scripted agent's emitter alone: the events a run of that agent prints, without a repository.
      const script = path.join(dir, `${format}.js`);
      writeFileSync(
        script,
        `const { createEmitter } = require(${JSON.stringify(agent)});\nconst out = createEmitter(${JSON.stringify(format)}, { model: 'm', started: Date.now(), write: (t) => process.stdout.write(t), log: console.log });\nout.start(); out.say('Reading the spec.'); out.tool('Write', { file_path: '/w/src/a.rs' }, 'ok'); out.tool('Bash', { command: 'cargo test' }, 'boom', true); out.say('Done.'); out.finish(false);\n`,
      );
      for (const mode of [format, undefined]) {
        const log = path.join(dir, `${format}-${mode}.log`);
        const line = wrapAgentRun({ agentLine: `node ${shQuote(script)}`, env: {}, logFile: log, statusFile: path.join(dir, `${format}.status`), filter: { script: streamFilterScript, node: process.execPath, format: mode } });
        const { terminal } = runLine(line);
        assert.equal(readFileSync(log, 'utf8'), 'Reading the spec.\nDone.\n', `${format} (${mode ?? 'auto'})`);
        assert.match(terminal, /› \S+ \/w\/src\/a\.rs\n/);
        assert.match(terminal, /✗ /);
        assert.match(terminal, /Finished · /);
      }
    });
  }

  it('names stream files <id>-<UTC stamp>.jsonl and reads the names back', () => {
    const started = new Date(Date.UTC(2026, 11, 5, 9, 7, 3, 450));
    assert.equal(runStamp(started), '20261205T090703Z');
    assert.equal(runStreamFileName('2026-02-08-001-r4x.2', started), '2026-02-08-001-r4x.2-20261205T090703Z.jsonl');
    assert.deepEqual(parseRunStreamFileName('2026-02-08-001-r4x.2-20261205T090703Z.jsonl'), { id: '2026-02-08-001-r4x.2', started: new Date(Date.UTC(2026, 11, 5, 9, 7, 3)) });
    assert.deepEqual(parseRunStreamFileName('x-20261205T090703Z-2.jsonl')?.id, 'x');
    assert.equal(parseRunStreamFileName('x.log'), undefined);
    assert.equal(parseRunStreamFileName('.gitignore'), undefined);
  });
});
