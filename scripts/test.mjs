#!/usr/bin/env node
// `npm test`: the three test tiers in order, cheapest first, stopping at the first that fails
// (its exit code becomes ours). `npm test` builds and compiles first (the `pretest` script).
//
//   node scripts/test.mjs [unit] [integration] [e2e]     a subset, in the order given
//
// Each tier writes its counts to test-results/<tier>.json (test/integration/statsReporter.ts); the
// last line printed is always `N passed, N failed, N skipped` over the tiers that ran, which CI
// reads. Under CI (`CI=true`) a skipped test fails the run: CI has the corpus and every shell, so a
// skip there means a suite silently stopped running (test/unit/prerequisites.ts fails those tests
// itself; this catches any other skip).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');

const TIERS = {
  unit: [path.join(REPO_ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--config', 'test/unit/.mocharc.json'],
  integration: ['out-test/test/integration/launch.js'],
  e2e: ['out-test/test/e2e/run.js'],
};

const requested = process.argv.slice(2);
const unknown = requested.filter((tier) => !(tier in TIERS));
if (unknown.length > 0) {
  console.error(`Unknown tier(s): ${unknown.join(', ')}. Tiers: ${Object.keys(TIERS).join(', ')}`);
  process.exit(2);
}
if (!fs.existsSync(path.join(REPO_ROOT, 'out-test'))) {
  console.error('out-test/ is missing: run `npm test` (which compiles first) or `npm run pretest`.');
  process.exit(2);
}

const results = [];
let exitCode = 0;
for (const tier of requested.length > 0 ? requested : Object.keys(TIERS)) {
  const statsFile = path.join(RESULTS_DIR, `${tier}.json`);
  fs.rmSync(statsFile, { force: true }); // never count a previous run's numbers
  console.log(`\n=== ${tier} ===`);
  const started = Date.now();
  const child = spawn(process.execPath, TIERS[tier], { cwd: REPO_ROOT, stdio: 'inherit' });
  const [code, signal] = await once(child, 'exit');
  const seconds = (Date.now() - started) / 1000;
  const stats = readStats(statsFile);
  // A tier that died before mocha reported (compile error, launcher crash) still counts as a failure.
  const failed = Math.max(stats?.failures ?? 0, code === 0 ? 0 : 1);
  const skipped = stats?.pending ?? 0;
  results.push({ tier, passed: stats?.passes ?? 0, failed, skipped, seconds, code: code ?? signal });
  if (code === 0 && skipped > 0 && process.env.CI === 'true') {
    exitCode = 1;
    console.error(`\n${tier} tier skipped ${skipped} test(s); under CI every test must run. Skipping the remaining tiers.`);
    break;
  }
  if (code !== 0) {
    exitCode = code ?? 1;
    console.error(`\n${tier} tier failed (exit ${code ?? signal}); skipping the remaining tiers.`);
    break;
  }
}

console.log('\n=== summary ===');
const counts = (r) => `${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`;
for (const r of results) console.log(`${r.tier.padEnd(12)} ${counts(r)}  (${r.seconds.toFixed(1)} s)`);
const total = (key) => results.reduce((sum, r) => sum + r[key], 0);
console.log(counts({ passed: total('passed'), failed: total('failed'), skipped: total('skipped') }));
process.exitCode = exitCode;

function readStats(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
