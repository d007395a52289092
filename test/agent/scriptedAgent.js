#!/usr/bin/env node
// A stand-in for `claude` in tests: does what chant's standard prompt asks, deterministically.
//
//   node test/agent/scriptedAgent.js [--prompt FILE] [--delay MS] [--fail] [--hang] [--no-commit] [--record FILE] [args…]
//
// It reads the prompt file (--prompt, else $CHANT_PROMPT_FILE), writes every target file of the
// spec ($CHANT_SPEC_ID, its copy in the working directory's .chant/specs/), checks every
// acceptance criterion in that copy, and commits the files git tracks with `chant(<id>): …`.
// Env or flags make it misbehave: SCRIPTED_AGENT_FAIL=1 / --fail exits 3, SCRIPTED_AGENT_HANG=1 /
// --hang never exits, --no-commit skips the commit. --record FILE (or SCRIPTED_AGENT_RECORD)
// writes its argv, cwd and CHANT_* environment as JSON, for tests of quoting.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};

const record = option('record') || process.env.SCRIPTED_AGENT_RECORD;
if (record) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('CHANT_')));
  fs.writeFileSync(record, JSON.stringify({ argv: args, cwd: process.cwd(), env }, null, 2));
}

const id = process.env.CHANT_SPEC_ID;
const promptFile = option('prompt') || process.env.CHANT_PROMPT_FILE;
console.log(`scripted agent: spec ${id}, prompt ${promptFile}`);
if (!id) {
  console.error('scripted agent: CHANT_SPEC_ID is not set');
  process.exit(2);
}
const prompt = promptFile && fs.existsSync(promptFile) ? fs.readFileSync(promptFile, 'utf8') : '';
if (!prompt) {
  console.error(`scripted agent: cannot read the prompt file ${promptFile}`);
  process.exit(2);
}
console.log(`scripted agent: read ${prompt.length} characters of prompt`);

const delay = Number(option('delay') || process.env.SCRIPTED_AGENT_DELAY || 0);
if (delay > 0) {
  console.log(`scripted agent: thinking for ${delay} ms`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, delay);
}

if (flag('hang') || process.env.SCRIPTED_AGENT_HANG === '1') {
  console.log('scripted agent: hanging (as asked)');
  setInterval(() => undefined, 1 << 30);
  return;
}
if (flag('fail') || process.env.SCRIPTED_AGENT_FAIL === '1') {
  console.error('scripted agent: failing (as asked)');
  process.exit(3);
}

const specFile = path.join('.chant', 'specs', `${id}.md`);
const specText = fs.readFileSync(specFile, 'utf8');
const targets = listField(specText, 'target_files');
const git = (...a) => execFileSync('git', a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const toCommit = [];
for (const target of targets) {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, `# Output of ${id}\n\nWritten by the scripted agent.\n`);
  console.log(`scripted agent: wrote ${target}`);
  if (!isIgnored(target)) toCommit.push(target);
}
fs.writeFileSync(specFile, specText.replace(/^(\s*[-*] )\[ \]/gm, '$1[x]'));
console.log('scripted agent: checked the acceptance criteria');
if (!isIgnored(specFile)) toCommit.push(specFile);

if (!flag('no-commit') && process.env.SCRIPTED_AGENT_NO_COMMIT !== '1' && toCommit.length > 0) {
  git('add', '--', ...toCommit);
  git('-c', 'user.name=Scripted Agent', '-c', 'user.email=agent@chant.invalid', 'commit', '--no-verify', '-q', '-m', `chant(${id}): scripted agent work`);
  console.log(`scripted agent: committed ${toCommit.join(', ')}`);
}
console.log('scripted agent: done');

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
