// simple-git (with `debug` and friends, 75 KB minified) is loaded on the first git call, not when the
// extension loads: activation only registers providers, and a session that never touches git never
// pays for it. In the package it is a file of its own, out/lazy/simple-git.js, that esbuild.config.mjs
// builds and points this `require` at (LAZY_CHUNKS); tsc's output (the unit tests) finds the package
// itself. An `import` of its values anywhere fails the build (`import type` is fine).
import type { SimpleGit, SimpleGitOptions } from 'simple-git';

type SimpleGitFactory = (options: Partial<SimpleGitOptions>) => SimpleGit;

let factory: SimpleGitFactory | undefined;

export function simpleGit(options: Partial<SimpleGitOptions>): SimpleGit {
  factory ??= (require('simple-git') as typeof import('simple-git')).simpleGit as SimpleGitFactory;
  return factory(options);
}
