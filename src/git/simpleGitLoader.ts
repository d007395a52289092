// simple-git (with `debug` and friends) is loaded on the first git call, not when the extension
// loads: activation only registers providers, and a session that never touches git never pays
// for evaluating it. `require` here stays lazy in the bundle (esbuild keeps CommonJS modules in
// wrappers that run on first require).
import type { SimpleGit, SimpleGitOptions } from 'simple-git';

type SimpleGitFactory = (options: Partial<SimpleGitOptions>) => SimpleGit;

let factory: SimpleGitFactory | undefined;

export function simpleGit(options: Partial<SimpleGitOptions>): SimpleGit {
  factory ??= (require('simple-git') as typeof import('simple-git')).simpleGit as SimpleGitFactory;
  return factory(options);
}
