// The panels' HTML (webviews/htmlShell.ts) with webview URIs, and the options every panel uses.
import * as vscode from 'vscode';
import { htmlShell, nonce, type WebviewApp } from '../htmlShell';
import { webviewTranslations } from '../../l10n';

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
  app: WebviewApp;
  /** Static text (never spec content). */
  title: string;
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, options: ShellOptions): string {
  return htmlShell({
    ...options,
    nonce: nonce(),
    source: webview.cspSource,
    translations: webviewTranslations(),
    url: (...segments) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString(),
  });
}
