// README's "How it is built" as rules: the core's layers, the one home of git, gh and the command
// table, and the one door of each library loaded on first use. Checked in the unit tier (test/unit/rules.unit.test.ts), so a rule broken in a hurry fails CI.
// (Terminals are an API, not a module: eslint.config.mjs keeps them in src/runs/terminals.ts.)
/** @type {import('dependency-cruiser').IConfiguration} */
const CORE_LAYERS = ['spec', 'project', 'workflow', 'runs', 'present'];

module.exports = {
  forbidden: [
    {
      name: 'core-without-vscode',
      comment: 'src/core is plain Node: no vscode import (it is tested in milliseconds without an editor).',
      severity: 'error',
      from: { path: '^src/core/' },
      // `vscode` is types only: it resolves to @types/vscode.
      to: { path: '^vscode$|^node_modules/@types/vscode/' },
    },
    // spec < project < workflow < runs < present: a layer imports only the layers below it.
    ...CORE_LAYERS.slice(0, -1).map((layer, i) => ({
      name: `core-${layer}-below-${CORE_LAYERS.slice(i + 1).join('-')}`,
      comment: `core/${layer} is below ${CORE_LAYERS.slice(i + 1).join(', ')}: it must not import them.`,
      severity: 'error',
      from: { path: `^src/core/${layer}/` },
      to: { path: `^src/core/(${CORE_LAYERS.slice(i + 1).join('|')})/` },
    })),
    {
      name: 'only-git-runs-git',
      comment: 'git runs through src/git (RunGit and its named operations) only.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/git/' },
      to: { path: 'simple-git' },
    },
    {
      name: 'lazy-libraries-through-their-door',
      comment:
        'yaml and simple-git load on first use (out/lazy/, esbuild.config.mjs): their values only through ' +
        'src/core/spec/yamlLoader.ts and src/git/simpleGitLoader.ts; an import elsewhere would load them at activation.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/core/spec/yamlLoader\\.ts$', '^src/git/simpleGitLoader\\.ts$'] },
      to: { path: '^(node_modules/)?(yaml|simple-git)(/|$)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'git-and-gh-below-the-workflow',
      comment: 'src/git and src/github run programs for the layers above; they use only core/spec and core/project.',
      severity: 'error',
      from: { path: '^src/(git|github)/' },
      to: {
        path: '^src/(core/(workflow|runs|present)|runs|investigation|commands|views|language|statusbar|webviews)/',
      },
    },
    {
      name: 'programs-run-from-their-home',
      comment:
        'Processes are started by src/git (git), src/github (gh), the PATH lookup (executables.ts), chant lint ' +
        '(chantCliLint.ts) and the desktop notification (desktopNotifier.ts); everything else runs through them, or in a terminal through src/runs/terminals.ts.',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: [
          '^src/git/',
          '^src/github/',
          '^src/workspace/executables\\.ts$',
          '^src/language/chantCliLint\\.ts$',
          '^src/runs/desktopNotifier\\.ts$',
        ],
      },
      to: { path: '^(node:)?child_process$' },
    },
    {
      name: 'nothing-below-commands-imports-commands',
      comment: 'commands/ is the top: the command table and its arguments. Only extension.ts imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/commands/', '^src/extension\\.ts$'] },
      to: { path: '^src/commands/' },
    },
    {
      name: 'webview-apps-are-browser-code',
      comment: 'The webview bundles run in the browser: no vscode, no Node built-ins, nothing from the host side.',
      severity: 'error',
      from: { path: '^src/webviews/app/' },
      to: {
        path: '^(vscode|node:.*|fs|path|child_process)$|^node_modules/@types/(vscode|node)/|^src/(?!webviews/app/|webviews/protocol\\.ts|core/)',
      },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^src/.*\\.d\\.ts$' },
  },
};
