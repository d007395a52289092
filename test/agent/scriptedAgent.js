#!/usr/bin/env node
// A stand-in for `claude` in tests: does what chant's standard prompt asks, deterministically.
//
//   node test/agent/scriptedAgent.js [--prompt FILE] [--delay MS] [--fail] [--hang] [--no-commit]
//       [--commit-fails] [--stream-json | --format F] [--model M] [--lines-per-second N --seconds S]
//       [--record FILE] [args…]
//
// It reads the prompt file (--prompt, else $CHANT_PROMPT_FILE), writes every target file of the
// spec ($CHANT_SPEC_ID, its copy in the working directory's .chant/specs/), checks every
// acceptance criterion in that copy, and commits the files git tracks with `chant(<id>): …`.
// Env or flags make it misbehave: SCRIPTED_AGENT_FAIL=1 / --fail exits 3, SCRIPTED_AGENT_HANG=1 /
// --hang never exits, --no-commit skips the commit, --commit-fails (SCRIPTED_AGENT_COMMIT_FAILS=1)
// writes its outputs and then ends with a `git commit` of nothing, which exits 1 ("nothing to
// commit", as an agent script ending in `git add -A && git commit` does in silent mode).
// --record FILE (or SCRIPTED_AGENT_RECORD) writes its argv, cwd and CHANT_* environment as JSON,
// for tests of quoting.
//
// --format claude|codex|gemini|opencode (or SCRIPTED_AGENT_FORMAT) prints what that agent prints
// in its machine-readable mode instead of plain lines (./formats.js: the shapes and where each is
// documented): the model (--model, $CHANT_MODEL or "scripted-haiku") where the format carries one,
// text messages, a tool call per file it reads and writes and for the git commit, their results,
// and the final event with usage (and cost where the agent reports it). --stream-json (or
// SCRIPTED_AGENT_STREAM_JSON=1) is --format claude. Usage and cost are deterministic: every turn
// costs the same (TURN_USAGE in ./formats.js).
// --lines-per-second N --seconds S (SCRIPTED_AGENT_LINES_PER_SECOND, SCRIPTED_AGENT_SECONDS) first
// prints a steady N lines a second for S seconds (text and tool calls alternating), for benchmarks.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { createEmitter, FORMATS } = require('./formats');

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};

const format = option('format') || process.env.SCRIPTED_AGENT_FORMAT || (flag('stream-json') || process.env.SCRIPTED_AGENT_STREAM_JSON === '1' ? 'claude' : 'plain');
if (!FORMATS.includes(format)) {
  console.error(`scripted agent: unknown --format ${format} (${FORMATS.join(', ')})`);
  process.exit(2);
}
const streamJson = format !== 'plain';
const model = option('model') || process.env.CHANT_MODEL || 'scripted-haiku';
const started = Date.now();
const out = createEmitter(format, {
  model,
  started,
  write: (text) => process.stdout.write(text),
  log: (text) => console.log(text),
});

/** The agent says something: a plain line, or a text message in its format. */
function say(text) {
  out.say(text);
}

/** A tool call and its result (machine-readable formats only; plain output says it in words instead). */
function toolCall(name, input, result, isError = false) {
  out.tool(name, input, result, isError);
}

/** The last lines of a run: the final event with the usage of every turn. */
function finish(isError, subtype) {
  out.finish(isError, subtype);
}

const record = option('record') || process.env.SCRIPTED_AGENT_RECORD;
if (record) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('CHANT_')));
  fs.writeFileSync(record, JSON.stringify({ argv: args, cwd: process.cwd(), env }, null, 2));
}

const id = process.env.CHANT_SPEC_ID;
const promptFile = option('prompt') || process.env.CHANT_PROMPT_FILE;
out.start();
say(`spec ${id}, prompt ${promptFile}`);
if (!id) {
  console.error('scripted agent: CHANT_SPEC_ID is not set');
  process.exit(2);
}
const prompt = promptFile && fs.existsSync(promptFile) ? fs.readFileSync(promptFile, 'utf8') : '';
if (!prompt) {
  console.error(`scripted agent: cannot read the prompt file ${promptFile}`);
  process.exit(2);
}
toolCall('Read', { file_path: promptFile }, prompt.slice(0, 200));
say(`read ${prompt.length} characters of prompt`);

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const delay = Number(option('delay') || process.env.SCRIPTED_AGENT_DELAY || 0);
if (delay > 0) {
  say(`thinking for ${delay} ms`);
  sleep(delay);
}

const linesPerSecond = Number(option('lines-per-second') || process.env.SCRIPTED_AGENT_LINES_PER_SECOND || 0);
const seconds = Number(option('seconds') || process.env.SCRIPTED_AGENT_SECONDS || 0);
if (linesPerSecond > 0 && seconds > 0) {
  // On a schedule from the start, so a slow write does not slow the rate down.
  const total = Math.round(linesPerSecond * seconds);
  const begin = Date.now();
  for (let n = 0; n < total; n++) {
    const wait = begin + (n * 1000) / linesPerSecond - Date.now();
    if (wait > 0) sleep(wait);
    if (!streamJson) console.log(`scripted agent: steady line ${n + 1} of ${total}`);
    else if (n % 2 === 0) say(`Steady line ${n + 1} of ${total}: still working.`);
    else toolCall('Read', { file_path: `src/file-${n}.ts` });
  }
}

if (flag('hang') || process.env.SCRIPTED_AGENT_HANG === '1') {
  say('hanging (as asked)');
  setInterval(() => undefined, 1 << 30);
  return;
}
if (flag('fail') || process.env.SCRIPTED_AGENT_FAIL === '1') {
  if (streamJson) {
    say('failing (as asked)');
    finish(true, 'error_during_execution');
  } else {
    console.error('scripted agent: failing (as asked)');
  }
  process.exit(3);
}

const specFile = path.join('.chant', 'specs', `${id}.md`);
const specText = fs.readFileSync(specFile, 'utf8');
const targets = listField(specText, 'target_files');
const git = (...a) => execFileSync('git', a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const toCommit = [];
for (const target of targets) {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const content = `# Output of ${id}\n\nWritten by the scripted agent.\n`;
  toolCall('Write', { file_path: path.resolve(target), content }, `File created successfully at: ${path.resolve(target)}`);
  fs.writeFileSync(target, content);
  say(`wrote ${target}`);
  if (!isIgnored(target)) toCommit.push(target);
}
toolCall('Edit', { file_path: path.resolve(specFile), old_string: '- [ ]', new_string: '- [x]', replace_all: true }, 'The file has been updated.');
fs.writeFileSync(specFile, specText.replace(/^(\s*[-*] )\[ \]/gm, '$1[x]'));
say('checked the acceptance criteria');
if (!isIgnored(specFile)) toCommit.push(specFile);

const identity = ['-c', 'user.name=Scripted Agent', '-c', 'user.email=agent@chant.invalid'];
if (flag('commit-fails') || process.env.SCRIPTED_AGENT_COMMIT_FAILS === '1') {
  // Nothing staged: git refuses ("nothing to commit", "no changes added to commit") and exits 1.
  const command = `git commit -m "chant(${id}): scripted agent work"`;
  let output = '';
  try {
    output = execFileSync('git', [...identity, 'commit', '--no-verify', '-m', `chant(${id}): scripted agent work`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    output = `${error.stdout || ''}${error.stderr || ''}`;
  }
  toolCall('Bash', { command, description: 'Commit the work' }, `Exit code 1\n${output.trim()}`, true);
  if (!streamJson) process.stdout.write(output);
  say('the commit failed (as asked)');
  finish(false);
  process.exit(1);
}
if (!flag('no-commit') && process.env.SCRIPTED_AGENT_NO_COMMIT !== '1' && toCommit.length > 0) {
  git('add', '--', ...toCommit);
  const message = `chant(${id}): scripted agent work`;
  git(...identity, 'commit', '--no-verify', '-q', '-m', message);
  toolCall('Bash', { command: `git add ${toCommit.join(' ')} && git commit -m "${message}"`, description: 'Commit the work' }, `[${git('rev-parse', '--abbrev-ref', 'HEAD').trim()} ${git('rev-parse', '--short', 'HEAD').trim()}] ${message}`);
  say(`committed ${toCommit.join(', ')}`);
}
say('done');
finish(false);

function isIgnored(file) {
  try {
    git('check-ignore', '-q', '--', file);
    return true;
  } catch {
    return false;
  }
}

/** The items of a top-level YAML block or flow list in the frontmatter (enough for test specs). */
function listField(text, key) {
  const fm = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  if (!fm) return [];
  const lines = fm[1].split(/\r?\n/);
  const at = lines.findIndex((l) => l.startsWith(`${key}:`));
  if (at < 0) return [];
  const inline = lines[at].slice(key.length + 1).trim();
  const unquote = (s) => s.trim().replace(/^["']|["']$/g, '');
  if (inline.startsWith('[')) return inline.slice(1, -1).split(',').map(unquote).filter(Boolean);
  const items = [];
  for (const line of lines.slice(at + 1)) {
    const m = /^\s*-\s+(.*)$/.exec(line);
    if (!m) break;
    items.push(unquote(m[1]));
  }
  return items;
}
