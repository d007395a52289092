// Translations outside `vscode.l10n.t`: the core (which cannot import `vscode`) and the webviews say
// their text through `@vscode/l10n`, configured here with the bundle VS Code loaded for the display
// language (undefined in English, and then the text is the source's own). scripts/l10n.mjs collects
// every `l10n.t` and `vscode.l10n.t` string of src/ into l10n/bundle.l10n.json, a translation's source.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

/** Runs first in activate: before it, core text is English whatever the display language. */
export function configureCoreTranslations(): void {
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
}

/** What a webview's page carries in its `chant-l10n` meta tag (webviews/app/lib/l10n.ts), if anything. */
export function webviewTranslations(): string | undefined {
  return vscode.l10n.bundle ? JSON.stringify(vscode.l10n.bundle) : undefined;
}
