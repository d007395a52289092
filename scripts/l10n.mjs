// The translatable text of src/, as VS Code's l10n tooling wants it.
//
//   node scripts/l10n.mjs           writes l10n/bundle.l10n.json: every `vscode.l10n.t('…')` (editor glue)
//                                   and `l10n.t('…')` (@vscode/l10n: the core and the webviews) message,
//                                   the source a translator copies to bundle.l10n.<locale>.json
//   node scripts/l10n.mjs --check   fails when that file is stale, when a message is not a literal (the
//                                   bundle could not hold it), or when user-facing text outside core/
//                                   skips l10n (test/unit/l10n.unit.test.ts runs it)
//
// The same file as `npx @vscode/l10n-dev export -o l10n src` would write for these call forms, without
// that tool's dependencies. The check of text that skips l10n is a heuristic over the places text
// reaches a person: message boxes, quick picks, tree items, hovers, and the webview apps' elements. A
// string that is not prose (a command line, an id) says so with an `l10n-exempt` comment on its line
// or the line before.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bundleFile = path.join(root, 'l10n', 'bundle.l10n.json');

/** Properties whose text a person reads (quick pick items, tree items, input boxes, webview attributes). */
const TEXT_PROPERTIES = new Set(['label', 'tooltip', 'placeHolder', 'placeholder', 'description', 'detail', 'title', 'prompt', 'message', 'aria-label', 'textContent']);
/** Its `form: { label, hint }` texts are translatable (the frontmatter form shows them). */
const FIELD_REGISTRY = 'src/core/spec/fields.ts';
const MESSAGE_CALLS = /^show(Information|Warning|Error)Message$|^append(Text|Markdown)$/;
/** The webview apps' element builders (lib/dom.ts and the apps' own): the first argument that becomes text. */
const ELEMENT_CALLS = new Map([['h', 2], ['s', 2], ['button', 0], ['iconButton', 1], ['icon', 1], ['legendEdge', 1], ['legendNode', 1]]);

function sourceFiles(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(file, out);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(file);
  }
  return out;
}

function isTranslateCall(node) {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression) || node.expression.name.text !== 't') return false;
  const owner = node.expression.expression.getText();
  return owner === 'l10n' || owner === 'vscode.l10n';
}

function literalText(node) {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : undefined;
}

/** The words of a string or template, without `${…}` parts and `$(icon)` syntax. */
function prose(node) {
  let text;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
  else if (ts.isTemplateExpression(node)) text = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' ');
  else return undefined;
  return /[A-Za-z]{2,}/.test(text.replace(/\$\([\w~-]+\)|\$\{\w+\}/g, '')) ? text : undefined;
}

/** Every message of src/ and every problem found, by file. */
export function collect() {
  const messages = new Map();
  const problems = [];
  for (const file of sourceFiles(path.join(root, 'src')).sort()) {
    const relative = path.relative(root, file).split(path.sep).join('/');
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const inCore = relative.startsWith('src/core/');
    const inApp = relative.startsWith('src/webviews/app/');
    const where = (node) => source.getLineAndCharacterOfPosition(node.getStart()).line;
    const exempt = (node) => {
      const line = where(node);
      return /l10n-exempt/.test(lines[line]) || (line > 0 && /l10n-exempt/.test(lines[line - 1]));
    };
    const report = (node, why) => problems.push(`${relative}:${where(node) + 1}: ${why}: ${node.getText().slice(0, 100).replace(/\s+/g, ' ')}`);
    const untranslated = (node, why) => {
      if (!node) return;
      // Either side of `a ? 'x' : 'y'` and the fallback of `a ?? 'x'` or `a || 'x'` is text too.
      if (ts.isParenthesizedExpression(node)) return untranslated(node.expression, why);
      if (ts.isConditionalExpression(node)) return untranslated(node.whenTrue, why), untranslated(node.whenFalse, why);
      if (ts.isBinaryExpression(node) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(node.operatorToken.kind)) return untranslated(node.right, why);
      if (ts.isObjectLiteralExpression(node)) return; // its text properties are checked on their own
      if (prose(node) !== undefined && !exempt(node)) report(node, why);
    };
    const visit = (node) => {
      // The field registry's form labels and hints, which the frontmatter form translates.
      if (relative === FIELD_REGISTRY && ts.isPropertyAssignment(node) && node.name.getText() === 'form' && ts.isObjectLiteralExpression(node.initializer)) {
        for (const property of node.initializer.properties) {
          const text = ts.isPropertyAssignment(property) && ['label', 'hint'].includes(property.name.getText()) ? literalText(property.initializer) : undefined;
          if (text !== undefined) messages.set(text, text);
        }
      }
      if (isTranslateCall(node)) {
        const first = node.arguments[0];
        const message = first && literalText(first);
        if (message === undefined && !exempt(node)) report(node, 'the message of l10n.t is not a string literal (the bundle cannot hold it)');
        else messages.set(message, message);
        // A sentence is one translatable string: English words passed in as an argument cannot be
        // translated with it.
        for (const arg of node.arguments.slice(1)) untranslated(arg, 'English text passed as an argument of l10n.t');
      } else if (!inCore) {
        if (ts.isCallExpression(node)) {
          const callee = ts.isPropertyAccessExpression(node.expression) ? node.expression.name.text : ts.isIdentifier(node.expression) ? node.expression.text : '';
          if (MESSAGE_CALLS.test(callee)) for (const arg of node.arguments) untranslated(arg, `${callee} text not translated`);
          if (inApp && ELEMENT_CALLS.has(callee)) for (const arg of node.arguments.slice(ELEMENT_CALLS.get(callee))) untranslated(arg, `${callee}() text not translated`);
        } else if (ts.isPropertyAssignment(node) && TEXT_PROPERTIES.has(node.name.getText().replace(/^['"]|['"]$/g, ''))) {
          untranslated(node.initializer, `${node.name.getText()} not translated`);
        } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && TEXT_PROPERTIES.has(node.left.name.text)) {
          untranslated(node.right, `.${node.left.name.text} not translated`);
        } else if (ts.isNewExpression(node) && /(TreeItem|MarkdownString)$/.test(node.expression.getText())) {
          untranslated(node.arguments?.[0], `new ${node.expression.getText()} text not translated`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  const bundle = Object.fromEntries([...messages.keys()].sort().map((key) => [key, messages.get(key)]));
  return { bundle, problems };
}

export function bundleText(bundle) {
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const { bundle, problems } = collect();
  if (process.argv.includes('--check')) {
    const written = fs.existsSync(bundleFile) ? fs.readFileSync(bundleFile, 'utf8') : '';
    if (written !== bundleText(bundle)) problems.unshift('l10n/bundle.l10n.json is not the text of src/: run `npm run l10n`');
    for (const problem of problems) console.error(problem);
    process.exit(problems.length > 0 ? 1 : 0);
  }
  fs.mkdirSync(path.dirname(bundleFile), { recursive: true });
  fs.writeFileSync(bundleFile, bundleText(bundle));
  console.log(`l10n/bundle.l10n.json: ${Object.keys(bundle).length} messages`);
  for (const problem of problems) console.error(problem);
}
