// A small rule set, checked in the unit tier (test/unit/rules.unit.test.ts): promises are awaited or
// voided on purpose, nothing unused is left behind, the terminal API has one home (src/runs/terminals.ts)
// so every command sent to a terminal goes through one function that reports its exit code, and git
// argument lists are built in src/git only (its named operations; `RunGit.raw` is private besides).
// Lines of src/ and test/ stay within 120 characters; a line is let through only for a string, a
// template or a regular expression literal kept whole (a message stays findable by grep) or a URL.
// Layers and the homes of git and gh are dependency-cruiser's (.dependency-cruiser.cjs).
import tseslint from 'typescript-eslint';

const TERMINAL_API = [
  'createTerminal',
  'sendText',
  'activeTerminal',
  'onDidOpenTerminal',
  'onDidCloseTerminal',
  'onDidChangeActiveTerminal',
  'shellIntegration',
  'onDidChangeTerminalShellIntegration',
  'onDidStartTerminalShellExecution',
  'onDidEndTerminalShellExecution',
];

const TERMINAL_RULES = [
  {
    selector: `MemberExpression[property.name=/^(${TERMINAL_API.join('|')})$/]`,
    message: 'Terminals have one owner: use src/runs/terminals.ts (its send reports the exit code).',
  },
  {
    selector: "MemberExpression[object.property.name='window'][property.name='terminals']",
    message: 'Terminals have one owner: use src/runs/terminals.ts.',
  },
];

const GIT_RULES = [
  {
    selector: "CallExpression[callee.property.name='raw']",
    message: 'git argument lists live in src/git: add a named operation to RunGit.',
  },
];

const MAX_LEN = [
  'error',
  {
    code: 120,
    ignoreUrls: true,
    ignoreStrings: true,
    ignoreTemplateLiterals: true,
    ignoreRegExpLiterals: true,
  },
];

export default tseslint.config(
  { ignores: ['out/**', 'out-test/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', 'examples/**'] },
  {
    files: ['src/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      'no-restricted-syntax': ['error', ...TERMINAL_RULES, ...GIT_RULES],
      'max-len': MAX_LEN,
    },
  },
  {
    // The tests: line length only (their own directives name rules this set does not run).
    files: ['test/**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: { 'max-len': MAX_LEN },
  },
  {
    // The scripted agent and its helpers: Node scripts (CommonJS, a top-level return).
    files: ['test/**/*.js'],
    languageOptions: { sourceType: 'commonjs', parserOptions: { ecmaFeatures: { globalReturn: true } } },
    rules: { 'max-len': MAX_LEN },
  },
  {
    files: ['src/runs/terminals.ts'],
    rules: { 'no-restricted-syntax': ['error', ...GIT_RULES] },
  },
  {
    files: ['src/git/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...TERMINAL_RULES] },
  },
);
