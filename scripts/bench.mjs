#!/usr/bin/env node
// `npm run bench -- --workspace DIR [--json]`: index DIR's .chant with the extension's own core and
// report counts and timings. The measuring code is TypeScript (src/bench); it is bundled here with
// esbuild so the numbers come from the same code the extension ships.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const json = args.includes('--json');
const wsIndex = args.indexOf('--workspace');
const workspace = path.resolve(wsIndex >= 0 && args[wsIndex + 1] ? args[wsIndex + 1] : path.join(repo, 'examples', 'kvstore'));

const outfile = path.join(repo, 'out', 'bench', 'indexBench.js');
await esbuild.build({
  entryPoints: [path.join(repo, 'src', 'bench', 'indexBench.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
});
const { benchWorkspace } = createRequire(import.meta.url)(outfile);

try {
  const result = await benchWorkspace(workspace);
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    const rows = [
      ['workspace', result.root],
      ['specs', result.specs],
      ['archived', result.archived],
      ['parse errors', result.parseErrors],
      ['rejected by chant', result.rejectedByChant],
      ['ready', result.ready],
      ['blocked', result.blocked],
      ['cycles', result.cycles],
      ['cold index (ms)', result.indexMs],
      ['update one file (ms)', result.updateMs],
      ['heap (MB)', result.heapMB],
      ['by status', JSON.stringify(result.byStatus)],
      ['by type', JSON.stringify(result.byType)],
    ];
    for (const [k, v] of rows) console.log(`${String(k).padEnd(22)} ${v}`);
  }
} catch (error) {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
