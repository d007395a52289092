import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  agentModel,
  CommandTemplateError,
  DEFAULT_AGENT_COMMAND,
  expandCommandTemplate,
  formatCompletedAt,
  logHeader,
  parseStatusFile,
  shQuote,
  wrapAgentRun,
  type AgentCommandVars,
} from '../../src/core/workflow/commandLine';
import { repoRoot, streamFilterScript } from './paths';
import { requireShell } from './prerequisites';
import { makeTempDir, removeDir } from './tempRepo';

const NASTY = [
  '$(touch PWNED)',
  '`touch PWNED`',
  "it's; touch PWNED",
  '"; touch PWNED; echo "',
  'a\ntouch PWNED',
  '$HOME ${PATH} \\ * ? [x] ~ & | > < !',
  '',
];

// The shells a user's terminal may run: whatever the extension types into one (quoted values, the
// run wrapper) must mean the same in each. A missing shell skips its tests here and fails them in CI.
const SHELLS = ['sh', 'dash', 'bash', 'zsh', 'fish'];
// The agent command template is sh syntax: the wrapper runs it with `sh -c`, never the user's shell.
const POSIX_SHELLS = ['sh', 'dash', 'bash', 'zsh'];

describe('command lines (quoting)', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  it('quotes plain words minimally and everything else as one single-quoted word', () => {
    assert.equal(shQuote('abc/def-1.md'), 'abc/def-1.md');
    assert.equal(shQuote(''), "''");
    assert.equal(shQuote("it's"), `'it'\\''s'`);
  });

  for (const shell of SHELLS) {
    it(`${shell}: a quoted value with $(…), backticks, quotes, ; or newlines executes nothing`, function () {
      requireShell(this, shell);
      for (const value of NASTY) {
        const out = execFileSync(shell, ['-c', `printf %s ${shQuote(value)}`], { cwd: dir, encoding: 'utf8' });
        assert.equal(out, value);
        assert.equal(existsSync(path.join(dir, 'PWNED')), false, `executed: ${JSON.stringify(value)}`);
      }
    });

  }

  for (const shell of POSIX_SHELLS) {
    it(`${shell}: every template variable reaches the agent verbatim, bare or inside double quotes`, function () {
      requireShell(this, shell);
      const record = path.join(dir, 'record.json');
      const agent = path.join(repoRoot, 'test', 'agent', 'scriptedAgent.js');
      for (const value of NASTY) {
        const vars: AgentCommandVars = {
          promptFile: value,
          specId: value,
          specFile: value,
          worktree: value,
          branch: value,
          model: value,
        };
        const template = `node ${shQuote(agent)} --record ${shQuote(record)} --hang-never \${specId} "msg \${promptFile} end" \${branch} \${model}`;
        const { line, env } = expandCommandTemplate(template, vars);
        // CHANT_SPEC_ID unset: the agent records, then exits 2 without doing anything else.
        try {
          execFileSync(shell, ['-c', line], { cwd: dir, env: { ...process.env, ...env, CHANT_SPEC_ID: '' }, stdio: 'pipe' });
        } catch {
          // exit 2 expected
        }
        const seen = JSON.parse(readFileSync(record, 'utf8')) as { argv: string[] };
        assert.deepEqual(seen.argv.slice(3), [value, `msg ${value} end`, value, value]);
        assert.equal(existsSync(path.join(dir, 'PWNED')), false);
      }
    });

  }

  for (const shell of SHELLS) {
    it(`${shell}: the run wrapper tees output to the log, writes the status file and keeps the exit code`, function () {
      requireShell(this, shell);
      const log = path.join(dir, 'agent.log');
      const status = path.join(dir, 'status.json');
      writeFileSync(log, '# Agent Log: x\n');
      for (const [agentLine, code] of [
        ['echo hello; exit 0', 0],
        ['echo oops >&2; exit 7', 7],
      ] as const) {
        const line = wrapAgentRun({
          agentLine,
          env: { CHANT_SPEC_ID: NASTY[0], CHANT_BRANCH: NASTY[4] },
          logFile: log,
          statusFile: status,
        });
        let exit = 0;
        try {
          execFileSync(shell, ['-c', line], { cwd: dir, stdio: 'pipe' });
        } catch (error) {
          exit = (error as { status: number }).status;
        }
        assert.equal(exit, code);
        assert.deepEqual(parseStatusFile(readFileSync(status, 'utf8')), { status: 'done', exitCode: code });
      }
      const text = readFileSync(log, 'utf8');
      assert.match(text, /hello/);
      assert.match(text, /oops/);
      assert.equal(existsSync(path.join(dir, 'PWNED')), false);
    });
  }

  it('logs only the assistant text of stream-json output, as chant does; other output passes unchanged', () => {
    const log = path.join(dir, 'agent.log');
    const status = path.join(dir, 'status.json');
    const filter = streamFilterScript;
    const events = [
      { type: 'system', subtype: 'init' },
      { type: 'assistant', message: { content: [{ type: 'text', text: 'Reading the spec.\nPlanning.' }, { type: 'tool_use', name: 'Bash' }] } },
      { type: 'user', message: { content: [{ type: 'tool_result', content: 'secret tool output' }] } },
      { type: 'assistant', message: { content: [{ type: 'text', text: 'Done.' }] } },
      { type: 'result', is_error: false, result: 'Done.' },
    ];
    const script = path.join(dir, 'events.txt');
    writeFileSync(script, `${events.map((e) => JSON.stringify(e)).join('\n')}\nplain line\n`);
    const line = wrapAgentRun({ agentLine: `cat ${shQuote(script)}`, env: {}, logFile: log, statusFile: status, filter: { script: filter, node: process.execPath } });
    const out = execFileSync('sh', ['-c', `${line} 2>&1`], { cwd: dir, encoding: 'utf8' });
    assert.equal(readFileSync(log, 'utf8'), 'Reading the spec.\nPlanning.\nDone.\nplain line\n');
    assert.match(out, /› Bash\n/);
    assert.doesNotMatch(out, /secret tool output/);
    assert.deepEqual(parseStatusFile(readFileSync(status, 'utf8')), { status: 'done', exitCode: 0 });
  });

  it('passes the output unchanged when the filter cannot start', () => {
    const log = path.join(dir, 'agent.log');
    const line = wrapAgentRun({ agentLine: 'echo \'{"type":"assistant"}\'; echo plain', env: {}, logFile: log, statusFile: path.join(dir, 's'), filter: { script: path.join(dir, 'f.js'), node: path.join(dir, 'no-such-node') } });
    execFileSync('sh', ['-c', `${line} 2>/dev/null`], { cwd: dir });
    assert.equal(readFileSync(log, 'utf8'), '{"type":"assistant"}\nplain\n');
  });

  it('passes spec values to the wrapped command through the environment', () => {
    const record = path.join(dir, 'record.json');
    const agent = path.join(repoRoot, 'test', 'agent', 'scriptedAgent.js');
    const line = wrapAgentRun({
      agentLine: `node ${shQuote(agent)} --record ${shQuote(record)}`,
      env: { CHANT_SPEC_ID: '', CHANT_SPEC_FILE: NASTY[3], CHANT_BRANCH: NASTY[4] },
      logFile: path.join(dir, 'log'),
      statusFile: path.join(dir, 'status'),
    });
    try {
      execFileSync('sh', ['-c', line], { cwd: dir, stdio: 'pipe' });
    } catch {
      // the agent exits 2 (no spec id)
    }
    const seen = JSON.parse(readFileSync(record, 'utf8')) as { env: Record<string, string> };
    assert.equal(seen.env.CHANT_SPEC_FILE, NASTY[3]);
    assert.equal(seen.env.CHANT_BRANCH, NASTY[4]);
  });

  it('rejects variables inside single quotes, unterminated quotes and multi-line templates', () => {
    const vars: AgentCommandVars = { promptFile: 'p', specId: 'i', specFile: 'f', worktree: 'w', branch: 'b', model: 'm' };
    assert.throws(() => expandCommandTemplate("agent '${specId}'", vars), CommandTemplateError);
    assert.throws(() => expandCommandTemplate('agent "${specId}', vars), CommandTemplateError);
    assert.throws(() => expandCommandTemplate('agent\n${specId}', vars), CommandTemplateError);
    assert.deepEqual(expandCommandTemplate('agent ${unknown} ${specId}', vars), { line: 'agent ${unknown} i', env: {} });
  });

  it('expands the default command as chant does, with the prompt path in the message', () => {
    const { line, env } = expandCommandTemplate(DEFAULT_AGENT_COMMAND, {
      promptFile: '/w/.chant/tmp/x-prompt.md',
      specId: 'x',
      specFile: 'f',
      worktree: '/w',
      branch: 'chant/x',
      model: 'haiku',
    });
    assert.equal(
      line,
      'claude --print --output-format stream-json --verbose --model haiku --dangerously-skip-permissions "Read and execute the task in ${CHANT_VAR_PROMPT_FILE}"',
    );
    assert.deepEqual(env, { CHANT_VAR_PROMPT_FILE: '/w/.chant/tmp/x-prompt.md' });
  });

  it('picks the model like chant and formats completed_at and log headers', () => {
    assert.equal(agentModel({ CHANT_MODEL: 'opus', ANTHROPIC_MODEL: 'x' }, 'sonnet'), 'opus');
    assert.equal(agentModel({ ANTHROPIC_MODEL: 'x' }, 'sonnet'), 'x');
    assert.equal(agentModel({}, 'sonnet'), 'sonnet');
    assert.equal(agentModel({}, undefined), 'haiku');
    const at = new Date(Date.UTC(2026, 1, 8, 9, 5, 3, 456));
    assert.equal(formatCompletedAt(at), '2026-02-08T09:05:03Z');
    assert.equal(logHeader('id', 'standard', at, false), '# Agent Log: id\n# Started: 2026-02-08T09:05:03Z\n# Prompt: standard\n\n');
    assert.match(logHeader('id', 'standard', at, true), /^\n={80}\n# New Run: 2026-02-08T09:05:03Z\n# Prompt: standard\n={80}\n\n$/);
  });
});
