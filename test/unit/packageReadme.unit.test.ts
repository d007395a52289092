// The README the .vsix carries (scripts/packageReadme.mjs), made from the real README.md: every picture
// becomes something VS Code's extension page loads (data: without a repository, the repository's raw
// URL for a Marketplace upload), every link goes somewhere that page can open, and a broken target
// stops the package instead of shipping. The installed page itself is checked in test/e2e/vsix.e2e.test.ts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './paths';

interface PackageReadmeScript {
  packageReadme(markdown: string, options: { root: string; repository?: string }): string;
  headingAnchors(markdown: string): Set<string>;
  headingSlug(heading: string): string;
}

// An ES module shared with `npm run package`; a Function keeps a real import() under commonjs.
const importEsm = new Function('specifier', 'return import(specifier)') as <T>(specifier: string) => Promise<T>;
const script = (): Promise<PackageReadmeScript> => importEsm(pathToFileURL(path.join(repoRoot, 'scripts', 'packageReadme.mjs')).href);

/** Targets of markdown links and pictures outside code fences and code spans. */
function targets(markdown: string): { image: boolean; target: string }[] {
  const found: { image: boolean; target: string }[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) continue;
    for (const part of line.split(/(`[^`]*`)/)) {
      if (part.startsWith('`')) continue;
      for (const m of part.matchAll(/(!?)\[[^\][]*\]\(([^)\s]+)/g)) found.push({ image: m[1] === '!', target: m[2] });
    }
  }
  return found;
}

describe('the packaged README', () => {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

  it('has pictures as data: URLs and no relative link when no repository is named', async () => {
    const { packageReadme, headingAnchors } = await script();
    const packaged = packageReadme(readme, { root: repoRoot });
    const all = targets(packaged);
    const images = all.filter((t) => t.image);
    assert.equal(images.length, targets(readme).filter((t) => t.image).length);
    assert.ok(images.length >= 3, 'README shows pictures');
    for (const { target } of images) {
      assert.match(target, /^data:image\/(png|jpeg|gif);base64,[A-Za-z0-9+/]+=*$/);
      assert.ok(Buffer.from(target.split(',')[1], 'base64').length > 1000, 'a whole picture');
    }
    const anchors = headingAnchors(packaged);
    for (const { target } of all.filter((t) => !t.image)) {
      if (target.startsWith('#')) assert.ok(anchors.has(target.slice(1)), `${target} names a heading`);
      else assert.match(target, /^(https:|mailto:)/, `${target} opens from the extension's page`);
    }
    assert.doesNotMatch(packaged, /\.\.\/shared/);
  });

  it('points pictures and file links at the repository for a Marketplace upload', async () => {
    const { packageReadme } = await script();
    const repository = 'https://github.com/someone/chant-vscode';
    const packaged = packageReadme(readme, { root: repoRoot, repository });
    for (const { image, target } of targets(packaged)) {
      if (target.startsWith('#') || /^mailto:/.test(target)) continue;
      assert.match(target, /^https:/);
      const own = new RegExp(`^${repository}/(raw|blob)/main/(.+?)(#.*)?$`).exec(target);
      if (!own) continue;
      assert.equal(own[1], image ? 'raw' : 'blob', target);
      assert.ok(fs.existsSync(path.join(repoRoot, own[2])), `${own[2]} is in the repository`);
    }
    assert.ok(packaged.includes(`${repository}/raw/main/docs/images/`));
  });

  it('keeps code spans and fences as written', async () => {
    const { packageReadme } = await script();
    const text = '# T\n\n`[a](nowhere.md)`\n\n```\n![x](missing.png)\n```\n\n[top](#t)\n';
    assert.equal(packageReadme(text, { root: repoRoot }), text);
  });

  it('refuses a missing file, an unknown anchor, an SVG picture and a link the page cannot open', async () => {
    const { packageReadme } = await script();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-readme-'));
    try {
      fs.writeFileSync(path.join(root, 'chart.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
      const text = '# Title\n\n![gone](docs/gone.png) [a](#nowhere) ![chart](chart.svg) [v](vscode:extension/x) [up](../outside.md)\n';
      assert.throws(
        () => packageReadme(text, { root }),
        (e: Error) =>
          /docs\/gone\.png: no such file/.test(e.message) &&
          /#nowhere: no heading/.test(e.message) &&
          /chart\.svg: .*PNG/.test(e.message) &&
          /vscode:extension\/x: only https/.test(e.message) &&
          /\.\.\/outside\.md: no such file/.test(e.message),
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('turns a link to a repository file into its text when there is no repository to link', async () => {
    const { packageReadme } = await script();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'chant-readme-'));
    try {
      fs.writeFileSync(path.join(root, 'BENCHMARKS.md'), '# B\n');
      assert.equal(packageReadme('See [BENCHMARKS.md](BENCHMARKS.md) and [the numbers](BENCHMARKS.md#b).\n', { root }), 'See `BENCHMARKS.md` and the numbers.\n');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('gives headings the anchors GitHub and VS Code give them', async () => {
    const { headingSlug } = await script();
    assert.equal(headingSlug('Working on the extension'), 'working-on-the-extension');
    assert.equal(headingSlug('How a run ends'), 'how-a-run-ends');
    assert.equal(headingSlug('The `chant.phases` setting: what it does'), 'the-chantphases-setting-what-it-does');
  });
});
