// The webview shell (src/webviews/htmlShell.ts): a strict CSP, every script by nonce, styles and
// fonts from the given source only, and nothing but the static parts in the markup.
import * as assert from 'node:assert/strict';
import { htmlShell, nonce } from '../../src/webviews/htmlShell';

describe('htmlShell', () => {
  const html = htmlShell({
    app: 'graph',
    title: 'Chant Graph',
    nonce: 'N0nce',
    source: 'https://ext.example',
    url: (...segments) => `https://ext.example/${segments.join('/')}`,
  });

  it('sets a strict CSP: nothing by default, scripts only by nonce, the rest from the extension', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.equal(csp, "default-src 'none'; img-src https://ext.example data:; style-src https://ext.example; font-src https://ext.example; script-src 'nonce-N0nce'");
  });

  it('loads the app bundle and its styles from the extension, every script with the nonce, none inline', () => {
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.deepEqual(scripts.map((m) => m[1].trim()), ['nonce="N0nce" src="https://ext.example/out/webviews/graph.js"']);
    assert.ok(scripts.every((m) => m[2] === ''), 'no inline script');
    assert.match(html, /href="https:\/\/ext\.example\/media\/webviews\/graph\.css"/);
    assert.match(html, /href="https:\/\/ext\.example\/out\/webviews\/codicons\/codicon\.css" id="vscode-codicon-stylesheet"/);
    assert.match(html, /<main id="app" aria-busy="true"><\/main>/);
  });

  it('puts extra styles and scripts (the benchmark probe) ahead of the app, under the same nonce', () => {
    const bench = htmlShell({ app: 'graph', title: 'Graph', nonce: 'x1', source: "'self'", url: (...s) => `/${s.join('/')}`, extraStyles: ['/bench/theme.css'], extraScripts: ['/bench/probe.js'], bodyClass: 'vscode-dark' });
    assert.ok(bench.indexOf('/bench/theme.css') < bench.indexOf('codicon.css'));
    assert.deepEqual([...bench.matchAll(/<script nonce="x1" src="([^"]+)"><\/script>/g)].map((m) => m[1]), ['/bench/probe.js', '/out/webviews/graph.js']);
    assert.match(bench, /<body class="vscode-dark">/);
  });

  it('carries the translations as one escaped attribute (no markup, no script), and nothing in English', () => {
    assert.doesNotMatch(html, /chant-l10n/);
    const bundle = { 'Zoom in': 'Vergrößern', 'Fit to view': '"><script>alert(1)</script> & \'' };
    const translated = htmlShell({ app: 'graph', title: 'Graph', nonce: 'x', source: "'self'", url: (...s) => `/${s.join('/')}`, translations: JSON.stringify(bundle) });
    const content = /<meta name="chant-l10n" content="([^"]*)">/.exec(translated)?.[1];
    assert.ok(content, translated);
    assert.doesNotMatch(content, /[<>"]/);
    const decoded = content.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    assert.deepEqual(JSON.parse(decoded), bundle);
    assert.equal([...translated.matchAll(/<script/g)].length, 1, 'only the app bundle');
  });

  it('makes a fresh, attribute-safe nonce each time', () => {
    const a = nonce();
    assert.match(a, /^[A-Za-z0-9]{16,}$/);
    assert.notEqual(a, nonce());
  });
});
