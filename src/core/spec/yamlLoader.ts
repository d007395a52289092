// The `yaml` library (112 KB minified) is loaded on first use, not when the extension loads, so
// activation never waits for it: the index reads chant's regular frontmatter with its own fast
// reader (fastFrontmatter.ts) and needs `yaml` for config.md and what that reader leaves to it,
// after activate() returned; edits and scaffolds need it when the user does them. In the package it
// is a file of its own, out/lazy/yaml.js, that esbuild.config.mjs builds and points this `require`
// at (LAZY_CHUNKS); tsc's output (the unit tests) finds the package itself. Every use of yaml's
// values goes through here: esbuild.config.mjs fails the build on an `import` of them, which would
// load the chunk at activation again (`import type` is fine).
import type * as Yaml from 'yaml';

let loaded: typeof Yaml | undefined;

/** The `yaml` library, loaded on the first call. */
export function yamlLibrary(): typeof Yaml {
  loaded ??= require('yaml') as typeof Yaml;
  return loaded;
}
