// A small markdown renderer for untrusted documents (research written by an agent, an imported
// issue): it builds DOM nodes one by one and sets text with textContent, so no HTML in the source
// ever becomes markup. It knows what research documents use: headings (demoted, so a document's
// `#` does not outrank the panel's own), paragraphs, lists, block quotes, fenced code, rules, and
// inline code, bold, italics and links (shown as text with the address in a title: following a
// link is the host's job, on request).
import { h } from './dom';
import { l10n } from './l10n';

type Inline = Node | string;

/** The document as a fragment of elements. `demote`: levels added to every heading (h6 at most). */
export function renderMarkdown(source: string, demote = 2): DocumentFragment {
  const out = document.createDocumentFragment();
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length > 0) out.append(h('p', {}, ...inline(paragraph.join(' '))));
    paragraph = [];
  };
  while (i < lines.length) {
    const line = lines[i];
    const fence = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i].trimStart().startsWith(fence[1]); i++) code.push(lines[i]);
      i++;
      out.append(h('pre', {}, h('code', {}, code.join('\n'))));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      const level = Math.min(6, heading[1].length + demote) as 1 | 2 | 3 | 4 | 5 | 6;
      out.append(h(`h${level}`, {}, ...inline(heading[2])));
      i++;
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flush();
      out.append(h('hr'));
      i++;
      continue;
    }
    if (/^\s*>/.test(line)) {
      flush();
      const quoted: string[] = [];
      for (; i < lines.length && /^\s*>/.test(lines[i]); i++) quoted.push(lines[i].replace(/^\s*>\s?/, ''));
      const block = h('blockquote');
      block.append(renderMarkdown(quoted.join('\n'), demote));
      out.append(block);
      continue;
    }
    const item = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (item) {
      flush();
      const ordered = /\d/.test(item[1]);
      const list = h(ordered ? 'ol' : 'ul');
      for (; i < lines.length; i++) {
        const m = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(lines[i]);
        if (m) {
          const box = /^\[([ xX])\]\s+(.*)$/.exec(m[2]);
          const li = h('li', box ? { class: 'task' } : {});
          if (box) li.append(h('span', { class: `codicon codicon-${box[1] === ' ' ? 'circle-large-outline' : 'pass'}`, 'aria-label': box[1] === ' ' ? l10n.t('open') : l10n.t('done'), role: 'img' }), ' ');
          li.append(...inline(box ? box[2] : m[2]));
          list.append(li);
        } else if (/^\s{2,}\S/.test(lines[i]) && list.lastElementChild) {
          list.lastElementChild.append(' ', ...inline(lines[i].trim()));
        } else break;
      }
      out.append(list);
      continue;
    }
    if (line.trim() === '') flush();
    else paragraph.push(line.trim());
    i++;
  }
  flush();
  return out;
}

/** Inline spans: `code`, **bold**, *italic* / _italic_, [text](url); the rest as text. */
export function inline(text: string): Inline[] {
  const out: Inline[] = [];
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*|__([^_]+)__|\*([^*\s][^*]*)\*|\b_([^_\s][^_]*)_\b|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index! > last) out.push(text.slice(last, m.index));
    if (m[1] !== undefined) out.push(h('code', {}, m[1]));
    else if (m[2] !== undefined || m[3] !== undefined) out.push(h('strong', {}, ...inline(m[2] ?? m[3])));
    else if (m[4] !== undefined || m[5] !== undefined) out.push(h('em', {}, ...inline(m[4] ?? m[5])));
    else out.push(h('span', { class: 'link', title: m[7] }, ...inline(m[6])));
    last = m.index! + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
