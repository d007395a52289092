// Bundles as in the esbuild extension sample: the extension host code (node, cjs, `vscode`
// external), the agent wrapper's stream filter (node, cjs) and the browser code of each webview (iife). `--production` minifies and drops
// sourcemaps; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
};

const extension = {
  ...common,
  entryPoints: ['src/extension.ts'],
  outfile: 'out/extension.js',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
};

// The filter the agent wrapper runs with plain Node (src/streamFilter.ts): no `vscode`, its own file
// so a run never loads the extension.
const streamFilter = {
  ...common,
  entryPoints: ['src/streamFilter.ts'],
  outfile: 'out/streamFilter.js',
  platform: 'node',
  format: 'cjs',
  target: 'node18',
};

// Every `src/webviews/app/<name>.ts` entry becomes `out/webviews/<name>.js`.
const appDir = 'src/webviews/app';
const appEntries = existsSync(appDir)
  ? readdirSync(appDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => `${appDir}/${f}`)
  : [];
const webviews = {
  ...common,
  entryPoints: appEntries,
  outdir: 'out/webviews',
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
};

// The webviews load codicons from out/webviews/codicons (inside their localResourceRoots), which
// the .vscodeignore allow-list ships; node_modules is not packaged.
const codicons = 'node_modules/@vscode/codicons/dist';
if (appEntries.length > 0 && existsSync(codicons)) {
  mkdirSync('out/webviews/codicons', { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(`${codicons}/${file}`, `out/webviews/codicons/${file}`);
}

const configs = appEntries.length > 0 ? [extension, streamFilter, webviews] : [extension, streamFilter];
if (watch) {
  for (const config of configs) {
    const ctx = await esbuild.context(config);
    await ctx.watch();
  }
  console.log('esbuild: watching');
} else {
  await Promise.all(configs.map((config) => esbuild.build(config)));
}
