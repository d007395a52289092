// The README the .vsix carries, made from README.md so that its page shows every picture and every link
// goes somewhere, wherever it is read.
//
// VS Code shows an installed extension's README (desktop, code-server, remote) in a webview with no base
// URL: its sanitizer keeps only http(s), command and data: image sources and `#` links, the page's CSP
// allows `img-src https: data:` only, and a click on a link opens only http(s) and mailto targets. A
// relative `docs/images/x.png` therefore shows as alt text and a relative `BENCHMARKS.md` link opens the
// webview's own folder ("Not found"). So, for the package:
//
// - without a repository (the default: this project has no public home yet) every picture becomes a
//   `data:` URL, which loads offline in desktop and code-server alike, and a link to another file of the
//   repository becomes its text (the installed page cannot open a repository file);
// - with a repository (CHANT_VSCODE_REPOSITORY, for a Marketplace upload, which requires https images)
//   pictures point at `<repo>/raw/main/<path>` and file links at `<repo>/blob/main/<path>`.
//
// Either way `#anchor` links stay (the webview scrolls to the heading: they must name one) and every
// relative target must exist, so a README edit cannot ship a broken page.
import * as fs from 'node:fs';
import * as path from 'node:path';

const IMAGE_TYPES = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif' };

// A link or image: `[text](target)` or `![alt](target)`, text without brackets (vsce's own pattern, minus
// the nested-image case, which README does not use and the check below refuses).
const LINK = /(!?)\[([^\][]*)\]\(([^)\s]+)(\s+"[^"]*")?\)/g;

/** GitHub's heading anchor, which VS Code's extension page also gives its headings. */
export function headingSlug(heading) {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_~]/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors README's headings get, outside code fences. */
export function headingAnchors(markdown) {
  const anchors = new Set();
  for (const line of outsideFences(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line.text);
    if (heading) anchors.add(headingSlug(heading[1]));
  }
  return anchors;
}

function* outsideFences(markdown) {
  let fence;
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(lines[i]);
    if (marker) {
      if (!fence) fence = marker[1];
      else if (marker[1].startsWith(fence)) fence = undefined;
      continue;
    }
    if (!fence) yield { index: i, text: lines[i] };
  }
}

/**
 * README.md rewritten for the package. `root` is the repository (relative targets are read from it);
 * `repository` an https URL or undefined. Throws on a relative target that does not exist, an anchor no
 * heading has, or a picture of a kind the page cannot show.
 */
export function packageReadme(markdown, { root, repository }) {
  const anchors = headingAnchors(markdown);
  const problems = [];
  const lines = markdown.split('\n');
  for (const { index, text } of outsideFences(markdown)) {
    // Inline code spans are left alone: `[x](y)` inside backticks is text.
    lines[index] = text
      .split(/(`[^`]*`)/)
      .map((part) => (part.startsWith('`') ? part : part.replace(LINK, (all, bang, label, target, title = '') => rewrite({ all, image: bang === '!', label, target, title }))))
      .join('');
  }
  if (problems.length > 0) throw new Error(`README.md cannot be packaged:\n- ${problems.join('\n- ')}`);
  return lines.join('\n');

  function rewrite({ all, image, label, target, title }) {
    if (/^(https:|mailto:)/i.test(target)) return all;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
      problems.push(`${target}: only https and mailto links open from the extension's page`);
      return all;
    }
    if (target.startsWith('#')) {
      if (!anchors.has(decodeURIComponent(target.slice(1)))) problems.push(`${target}: no heading has this anchor`);
      return all;
    }
    const [file, fragment = ''] = target.split('#');
    const relative = path.posix.normalize(decodeURIComponent(file));
    const absolute = path.join(root, relative);
    if (relative.startsWith('..') || !fs.existsSync(absolute)) {
      problems.push(`${target}: no such file in the repository`);
      return all;
    }
    if (image) {
      const type = IMAGE_TYPES[path.extname(relative).toLowerCase()];
      if (!type) {
        problems.push(`${target}: the extension's page and the Marketplace show PNG, JPEG or GIF pictures, not ${path.extname(relative) || 'this file'}`);
        return all;
      }
      const source = repository ? `${repository}/raw/main/${relative}` : `data:${type};base64,${fs.readFileSync(absolute).toString('base64')}`;
      return `![${label}](${source}${title})`;
    }
    if (repository) return `[${label}](${repository}/blob/main/${relative}${fragment ? `#${fragment}` : ''}${title})`;
    // A file name stays readable as code; other text stays as it was.
    return /^[\w./-]+$/.test(label) ? `\`${label}\`` : label;
  }
}
