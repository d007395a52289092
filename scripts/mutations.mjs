#!/usr/bin/env node
// `npm run test:mutations`: a small mutation check of the core. Each mutation below is a plausible
// mistake (a dropped condition, a flipped comparison); it is applied alone to a temporary copy of
// the repository, the unit tier runs against it, and the mutation is KILLED when a test fails,
// SURVIVED when every test still passes. A survivor names a rule no test pins down.
//
//   node scripts/mutations.mjs [--list] [name-part ...]     all mutations, or those whose name matches
//
// This repository is never modified: the copy lives in the system temp folder and is deleted at
// the end. The copy is compiled once with tsc; each mutated file is then re-transpiled alone with
// esbuild (types are already checked), so a mutation costs one unit run (`--bail`: the first
// failing test is enough). Exit code 1 when a mutation survives or no longer applies. Not part of
// `npm test`: it runs the unit tier once per mutation.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** file: under src/; find: the exact text, which must occur once; replace: the mistake. */
const MUTATIONS = [
  {
    name: 'readinessOf forgets that chant cannot load the spec',
    file: 'src/core/project/readiness.ts',
    find: 'const ready = !chantCannotLoad && (status',
    replace: 'const ready = (status',
  },
  {
    name: 'isReady forgets that chant cannot load the spec',
    file: 'src/core/project/readiness.ts',
    find: 'if (!spec.statusKnown || spec.chantWouldReject) return false;',
    replace: 'if (!spec.statusKnown) return false;',
  },
  {
    name: 'on-disk blocked is no longer read as pending',
    file: 'src/core/project/readiness.ts',
    find: "return spec.status === 'blocked' ? 'pending' : spec.status;",
    replace: 'return spec.status;',
  },
  {
    name: 'a cancelled member no longer holds back a driver with criteria',
    file: 'src/core/project/readiness.ts',
    find: "if (!member || member.status === 'completed') continue;",
    replace: "if (!member || member.status === 'completed' || member.status === 'cancelled') continue;",
  },
  {
    name: 'the sibling rule applies despite an explicit depends_on',
    file: 'src/core/project/readiness.ts',
    find: 'if (hasDependsOnKey(spec)) return [];',
    replace: '',
  },
  {
    name: 'chant work accepts a cancelled dependency',
    file: 'src/core/project/readiness.ts',
    find: "} else if (target.status !== 'completed') {\n      const status = effectiveStatus(target, specs);\n      const note",
    replace: "} else if (target.status !== 'completed' && target.status !== 'cancelled') {\n      const status = effectiveStatus(target, specs);\n      const note",
  },
  {
    name: 'a spec chant cannot load counts as present for other specs',
    file: 'src/core/project/readiness.ts',
    find: 'return spec && !spec.chantWouldReject ? spec : undefined;',
    replace: 'return spec;',
  },
  {
    name: 'path confinement lets .. climb out',
    file: 'src/core/project/insideFolder.ts',
    find: "rel !== '..' && !rel.startsWith(`..${path.sep}`) && ",
    replace: '',
  },
  {
    name: 'path confinement does not follow symbolic links',
    file: 'src/core/project/insideFolder.ts',
    find: 'return realFolders.some((folder) => isInsideFolder(folder, real)) ? absolute : undefined;',
    replace: 'return absolute;',
  },
  {
    name: 'relativeBelow counts the folder itself as below it',
    file: 'src/core/project/insideFolder.ts',
    find: "return rel !== '' && isInsideFolder(folder, file) ? rel : undefined;",
    replace: 'return isInsideFolder(folder, file) ? rel : undefined;',
  },
  {
    name: "the form's outside-the-project warning checks absolute paths only",
    file: 'src/core/present/frontmatterForm.ts',
    find: 'if (!isInsideFolder(env.root, path.resolve(env.root, text))) warn(',
    replace: 'if (path.isAbsolute(text) && !isInsideFolder(env.root, text)) warn(',
  },
  {
    name: 'the form no longer reports a dependency cycle',
    file: 'src/core/present/frontmatterForm.ts',
    find: 'const cycle = wouldCreateCycle(',
    replace: 'const cycle = false && wouldCreateCycle(',
  },
  {
    name: 'drift counts a file changed at exactly completed_at',
    file: 'src/core/project/drift.ts',
    find: 'if (mtimeMs <= limit) continue;',
    replace: 'if (mtimeMs < limit) continue;',
  },
  {
    name: 'drift asks git about files written at exactly completed_at',
    file: 'src/core/project/drift.ts',
    find: 'input.files.filter((f) => f.mtimeMs > limit)',
    replace: 'input.files.filter((f) => f.mtimeMs >= limit)',
  },
  {
    name: 'drift counts a file committed at exactly completed_at',
    file: 'src/core/project/drift.ts',
    find: 'if (committedAt && committedAt.getTime() <= limit) continue;',
    replace: 'if (committedAt && committedAt.getTime() < limit) continue;',
  },
  {
    name: 'the pre-run checks no longer ask about a spec chant grades Refine',
    file: 'src/core/workflow/runChecks.ts',
    find: "if (grade?.trafficLight === 'refine') {",
    replace: "if (grade?.trafficLight === 'never') {",
  },
  {
    name: 'the frontmatter closes at a --- line instead of the first --- substring',
    file: 'src/core/spec/frontmatter.ts',
    find: "const close = text.indexOf('---', yamlStart);",
    replace: "const close = text.indexOf('\\n---', yamlStart - 1) + 1 || -1;",
  },
  {
    name: 'the FIRST Acceptance Criteria heading counts instead of the last',
    file: 'src/core/spec/criteria.ts',
    find: 'if (!inFence && line.startsWith(AC_HEADING, ws)) heading = i;',
    replace: 'if (!inFence && heading < 0 && line.startsWith(AC_HEADING, ws)) heading = i;',
  },
  {
    name: 'spec ids sort by sequence text instead of the base36 number',
    file: 'src/core/spec/ids.ts',
    find: '(pa.sequence === pb.sequence ? 0 : pa.sequence < pb.sequence ? -1 : 1) ||',
    replace: 'compareCodePoints(String(pa.sequence), String(pb.sequence)) ||',
  },
  {
    name: 'shell quoting leaves single quotes alone',
    file: 'src/core/workflow/commandLine.ts',
    find: "return `'${value.replace(/'/g, `'\\\\''`)}'`;",
    replace: "return `'${value}'`;",
  },
];

const args = process.argv.slice(2);
const listOnly = args.includes('--list');
const filters = args.filter((arg) => !arg.startsWith('--'));
const selected = MUTATIONS.filter((m) => filters.length === 0 || filters.some((f) => m.name.includes(f)));
if (listOnly) {
  for (const m of selected) console.log(`${m.file.padEnd(38)} ${m.name}`);
  process.exit(0);
}
if (selected.length === 0) {
  console.error(`No mutation matches ${filters.join(', ')} (--list shows them).`);
  process.exit(2);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-mutations-'));
const cleanUp = () => fs.rmSync(work, { recursive: true, force: true });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanUp();
    process.exit(130);
  });
}

try {
  process.exitCode = run();
} finally {
  cleanUp();
}

function run() {
  copyRepository(work);
  const corpus = process.env.CHANT_CORPUS ?? path.resolve(REPO_ROOT, '..', 'shared', 'corpus');
  // The copy has no ../shared beside it: point the corpus suites at this repository's.
  const env = { ...process.env, CHANT_CORPUS: corpus };
  if (!fs.existsSync(corpus)) console.warn(`No corpus at ${corpus}: the corpus suites will skip, and kill nothing.`);

  step('compiling the copy');
  const tsc = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'test/tsconfig.json'], {
    cwd: work,
    stdio: 'inherit',
  });
  if (tsc.status !== 0) return fail('the unmutated copy does not compile');

  step('the unit tier on the unmutated copy');
  if (!unitTierPasses(env)) return fail('the unit tier fails without any mutation; fix that first');

  const results = [];
  for (const mutation of selected) {
    const source = path.join(work, mutation.file);
    const compiled = path.join(work, 'out-test', mutation.file.replace(/\.ts$/, '.js'));
    const original = fs.readFileSync(source, 'utf8');
    const originalJs = fs.readFileSync(compiled, 'utf8');
    const occurrences = original.split(mutation.find).length - 1;
    if (occurrences !== 1) {
      results.push({ mutation, outcome: `STALE (the text occurs ${occurrences} times; update the list)` });
      continue;
    }
    const mutated = original.replace(mutation.find, () => mutation.replace);
    step(mutation.name);
    try {
      fs.writeFileSync(source, mutated);
      fs.writeFileSync(compiled, transformSync(mutated, { loader: 'ts', format: 'cjs', target: 'es2022', sourcefile: mutation.file }).code);
      results.push({ mutation, outcome: unitTierPasses(env) ? 'SURVIVED' : 'killed' });
    } finally {
      fs.writeFileSync(source, original);
      fs.writeFileSync(compiled, originalJs);
    }
  }

  console.log('\n=== mutations ===');
  for (const { mutation, outcome } of results) console.log(`${outcome.padEnd(9)} ${mutation.name}  (${mutation.file})`);
  const killed = results.filter((r) => r.outcome === 'killed').length;
  console.log(`${killed} killed, ${results.length - killed} not killed, of ${results.length}`);
  return killed === results.length ? 0 : 1;
}

/** Everything tests read, without build output, dependencies or git; node_modules is linked. */
function copyRepository(target) {
  const skip = new Set(['.git', 'node_modules', 'out', 'out-test', 'test-results', '.vscode-test', '.bench']);
  for (const name of fs.readdirSync(REPO_ROOT)) {
    if (skip.has(name) || name.endsWith('.vsix')) continue;
    fs.cpSync(path.join(REPO_ROOT, name), path.join(target, name), { recursive: true, verbatimSymlinks: true });
  }
  fs.symlinkSync(fs.realpathSync(path.join(REPO_ROOT, 'node_modules')), path.join(target, 'node_modules'), 'dir');
}

function unitTierPasses(env) {
  const mocha = path.join(REPO_ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
  const result = spawnSync(
    process.execPath,
    [mocha, '--config', 'test/unit/.mocharc.json', '--bail', '--reporter', 'dot', '--reporter-option', 'statsFile=test-results/unit.json'],
    { cwd: work, env, encoding: 'utf8' },
  );
  const summary = `${result.stdout}`.match(/\d+ passing[^\n]*|\d+ failing[^\n]*/g)?.join(', ') ?? '';
  console.log(`  ${summary || `exit ${result.status}`}`);
  return result.status === 0;
}

function step(what) {
  console.log(`\n--- ${what} (${new Date().toISOString().slice(11, 19)})`);
}

function fail(message) {
  console.error(`\n${message}`);
  return 2;
}
