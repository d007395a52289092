// The webviews' translations. The host writes `vscode.l10n.bundle` (the extension's
// l10n/bundle.l10n.<locale>.json; none in English) into the page's `chant-l10n` meta tag
// (htmlShell.ts), so the text is translated from the first paint, with no message to wait for and no
// script or fetch beyond the strict CSP. Every visible string of an app is `l10n.t('…', args)`:
// scripts/l10n.mjs collects them into l10n/bundle.l10n.json with the extension host's own.
import * as l10n from '@vscode/l10n';

const bundle = document.querySelector('meta[name="chant-l10n"]')?.getAttribute('content');
if (bundle) {
  try {
    l10n.config({ contents: JSON.parse(bundle) as Record<string, string> });
  } catch {
    // A bundle that does not parse leaves the English text.
  }
}

export { l10n };
