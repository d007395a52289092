// The HTML shell of every panel, without `vscode`: the host fills it with webview URIs
// (host/webviewHtml.ts) and the draw benchmark with its own server's paths (bench/drawBench.ts),
// so the page measured is the page shipped. It is static: no spec text is ever concatenated into it
// (titles, labels and paths are untrusted and reach the webview only by postMessage after `ready`);
// the one text it carries is the extension's own translations, as an escaped attribute value.
// Scripts run only by nonce; styles and fonts come only from `source` (CSP as in the webview
// sample, STYLE.md item 8).
import { randomBytes } from 'node:crypto';

export type WebviewApp = 'frontmatter' | 'graph' | 'investigation';

export function nonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

export interface HtmlShell {
  app: WebviewApp;
  /** Static text (never spec content). */
  title: string;
  nonce: string;
  /** The CSP source the styles, fonts and images come from (`webview.cspSource`, or `'self'`). */
  source: string;
  /** Where a file of the extension is served from: segments such as ['media', 'webviews', 'graph.css']. */
  url(...segments: string[]): string;
  /** Stylesheets before the extension's own (the benchmark's stand-in theme). */
  extraStyles?: string[];
  /** Scripts before the app's (the benchmark's probe); they run by the same nonce. */
  extraScripts?: string[];
  bodyClass?: string;
  /** The translations of the app's text (vscode.l10n.bundle as JSON), read by webviews/app/lib/l10n.ts. */
  translations?: string;
}

/** Text for an attribute value in double quotes. */
function attributeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function htmlShell(shell: HtmlShell): string {
  const csp = [
    "default-src 'none'",
    `img-src ${shell.source} data:`,
    `style-src ${shell.source}`,
    `font-src ${shell.source}`,
    `script-src 'nonce-${shell.nonce}'`,
  ].join('; ');
  const styles = [
    ...(shell.extraStyles ?? []).map((href) => `<link rel="stylesheet" href="${href}">`),
    `<link rel="stylesheet" href="${shell.url('out', 'webviews', 'codicons', 'codicon.css')}" id="vscode-codicon-stylesheet">`,
    `<link rel="stylesheet" href="${shell.url('media', 'webviews', 'common.css')}">`,
    `<link rel="stylesheet" href="${shell.url('media', 'webviews', `${shell.app}.css`)}">`,
  ];
  const scripts = [...(shell.extraScripts ?? []), shell.url('out', 'webviews', `${shell.app}.js`)].map((src) => `<script nonce="${shell.nonce}" src="${src}"></script>`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${shell.translations ? `<meta name="chant-l10n" content="${attributeText(shell.translations)}">\n` : ''}${styles.join('\n')}
<title>${shell.title}</title>
</head>
<body${shell.bodyClass ? ` class="${shell.bodyClass}"` : ''}>
<main id="app" aria-busy="true"></main>
${scripts.join('\n')}
</body>
</html>`;
}
