// Bundles as in the esbuild extension sample: the extension host code (node, cjs, `vscode`
// external), the agent wrapper's stream filter (node, cjs) and the browser code of each webview (iife). `--production` minifies and drops
// sourcemaps; `--watch` rebuilds on change. scripts/bench.mjs measures the same bundles (`bundles()`).
//
// The extension host code is split: out/extension.js holds what activation runs (the index, the
// trees, the command table, the editor features) and each library of LAZY_CHUNKS is a CommonJS file
// of its own under out/lazy/, loaded by a `require` inside a function the first time something uses
// it. VS Code reads, compiles and evaluates the whole of out/extension.js before it calls activate(),
// so every byte there is paid by every window; a lazy chunk is paid once, by the first use.
// esbuild's code splitting needs ESM output, and the extension host loads CommonJS, hence separate
// bundles: the chunks are self-contained third-party libraries, so splitting them off never
// duplicates a module of ours (and its state) across two files.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The libraries loaded on first use, each from its one door in the source (`loadedThrough`), which
 * `require`s it inside a function. The unit tests run tsc's output against node_modules, where the
 * same `require` finds the package itself.
 */
export const LAZY_CHUNKS = [
  {
    module: 'yaml',
    file: 'lazy/yaml.js',
    loadedThrough: 'src/core/spec/yamlLoader.ts',
    usedFor: 'reading config.md (each index load, after activation), spec edits, frontmatter the fast reader leaves to it',
  },
  {
    module: 'simple-git',
    file: 'lazy/simple-git.js',
    loadedThrough: 'src/git/simpleGitLoader.ts',
    usedFor: 'git operations (all asynchronous)',
  },
];

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Resolves each lazy library to its chunk (`require("./lazy/yaml.js")` next to out/extension.js)
 * and fails the build when the library is imported statically or by a deep path: an `import` is
 * evaluated when the bundle loads, which would load the chunk at activation. Type-only imports
 * are erased before this runs.
 */
const lazyChunksOutside = {
  name: 'lazy-chunks',
  setup(build) {
    const byModule = new Map(LAZY_CHUNKS.map((chunk) => [chunk.module, chunk]));
    const filter = new RegExp(`^(${LAZY_CHUNKS.map((chunk) => escape(chunk.module)).join('|')})(/|$)`);
    build.onResolve({ filter }, (args) => {
      const chunk = byModule.get(args.path);
      const lazy = chunk ?? byModule.get(args.path.replace(/\/.*$/, ''));
      if (!chunk || args.kind !== 'require-call') {
        return {
          errors: [
            {
              text:
                `${args.path} is loaded on first use (out/${lazy.file}): ` +
                `use it through ${lazy.loadedThrough}, which requires '${lazy.module}' inside a function`,
            },
          ],
        };
      }
      return { path: `./${chunk.file}`, external: true };
    });
  },
};

/**
 * One namespace object per external module (`vscode`, `node:fs`, …) for the whole bundle. esbuild
 * turns each module's `import * as vscode from 'vscode'` into its own copy of the external's
 * properties (`__toESM`: a getter per property); with 60-odd modules importing the ~200 properties
 * of VS Code's API, and 40 importing `node:fs`, those copies took more than a third of the time
 * loading out/extension.js took (49 -> 31 ms in Node, minified). Routed through one `export * from 'vscode'` module, the properties are
 * copied once and every module reads the same getters. `require` calls are left as they are.
 */
const EXTERNALS_ONCE = new RegExp(`^(vscode|${builtinModules.map(escape).join('|')}|node:.*)$`);
const sharedExternals = {
  name: 'shared-externals',
  setup(build) {
    const namespace = 'shared-external';
    build.onResolve({ filter: EXTERNALS_ONCE }, (args) => {
      if (args.namespace === namespace) return { path: args.path, external: true };
      if (args.kind !== 'import-statement') return undefined;
      return { path: args.path, namespace };
    });
    build.onLoad({ filter: /.*/, namespace }, (args) => {
      const name = JSON.stringify(args.path);
      return { contents: `export * from ${name};\nexport { default } from ${name};`, loader: 'js' };
    });
  },
};

/** Every bundle, with its esbuild options; `outDir` is `out` for the extension (scripts/bench.mjs builds elsewhere). */
export function bundles({ production = false, outDir = 'out', absWorkingDir = process.cwd() } = {}) {
  const common = {
    bundle: true,
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: 'warning',
    legalComments: 'none',
    absWorkingDir,
  };

  const extension = {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: path.join(outDir, 'extension.js'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [lazyChunksOutside, sharedExternals],
  };

  // One file per lazy library: `module.exports` is the library itself.
  const lazyChunks = LAZY_CHUNKS.map((chunk) => ({
    ...common,
    stdin: { contents: `module.exports = require(${JSON.stringify(chunk.module)});`, resolveDir: absWorkingDir, sourcefile: `${chunk.module}-chunk.js` },
    outfile: path.join(outDir, chunk.file),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  }));

  // The filter the agent wrapper runs with plain Node (src/streamFilter.ts): no `vscode`, its own file
  // so a run never loads the extension.
  const streamFilter = {
    ...common,
    entryPoints: ['src/streamFilter.ts'],
    outfile: path.join(outDir, 'streamFilter.js'),
    platform: 'node',
    format: 'cjs',
    target: 'node18',
  };

  // Every `src/webviews/app/<name>.ts` entry becomes `out/webviews/<name>.js`.
  const appDir = 'src/webviews/app';
  const appEntries = existsSync(path.join(absWorkingDir, appDir))
    ? readdirSync(path.join(absWorkingDir, appDir))
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
        .map((f) => `${appDir}/${f}`)
    : [];
  const webviews = {
    ...common,
    entryPoints: appEntries,
    outdir: path.join(outDir, 'webviews'),
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  };

  return { extension, lazyChunks, streamFilter, webviews: appEntries.length > 0 ? webviews : undefined };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const production = process.argv.includes('--production');
  const watch = process.argv.includes('--watch');
  const root = path.dirname(fileURLToPath(import.meta.url));
  const { extension, lazyChunks, streamFilter, webviews } = bundles({ production, absWorkingDir: root });

  // The webviews load codicons from out/webviews/codicons (inside their localResourceRoots), which
  // the .vscodeignore allow-list ships; node_modules is not packaged.
  const codicons = path.join(root, 'node_modules/@vscode/codicons/dist');
  if (webviews && existsSync(codicons)) {
    mkdirSync(path.join(root, 'out/webviews/codicons'), { recursive: true });
    for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(`${codicons}/${file}`, path.join(root, 'out/webviews/codicons', file));
  }

  // The chunks first: out/extension.js never exists without the files it requires.
  const configs = [extension, streamFilter, ...(webviews ? [webviews] : [])];
  if (watch) {
    for (const config of [...lazyChunks, ...configs]) {
      const ctx = await esbuild.context(config);
      await ctx.rebuild();
      await ctx.watch();
    }
    console.log('esbuild: watching');
  } else {
    await Promise.all(lazyChunks.map((config) => esbuild.build(config)));
    await Promise.all(configs.map((config) => esbuild.build(config)));
  }
}
