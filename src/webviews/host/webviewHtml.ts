// The HTML shell of every panel. It is static: no spec text is ever concatenated into it (titles,
// labels and paths are untrusted and reach the webview only by postMessage after `ready`). Scripts
// run only by nonce; styles and fonts come only from the extension's own files (CSP as in the
// webview sample, STYLE.md item 8).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function nonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

/** Folders a webview may load from: the bundles (and codicons copied next to them) and media/. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'out', 'webviews'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export interface ShellOptions {
  /** `out/webviews/<app>.js` and `media/webviews/<app>.css`. */
  app: 'frontmatter' | 'graph';
  /** Static text (never spec content). */
  title: string;
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, options: ShellOptions): string {
  const n = nonce();
  const uri = (...segments: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${n}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${uri('out', 'webviews', 'codicons', 'codicon.css')}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${uri('media', 'webviews', 'common.css')}">
<link rel="stylesheet" href="${uri('media', 'webviews', `${options.app}.css`)}">
<title>${options.title}</title>
</head>
<body>
<main id="app" aria-busy="true"></main>
<script nonce="${n}" src="${uri('out', 'webviews', `${options.app}.js`)}"></script>
</body>
</html>`;
}
