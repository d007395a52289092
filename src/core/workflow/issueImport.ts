// Starting an investigation from a GitHub issue: what `gh issue view <n> --json
// title,body,labels,comments,url,number` prints becomes `.chant/research/issue-<n>-report.md`, the
// first input of Comprehension, and the issue's title the investigation's summary. Everything in the
// issue is untrusted: it stays data. The report quotes the body and each comment (`> ` on every
// line, so their headings cannot pose as the report's own). Outside code, every `<` becomes `&lt;`,
// so no HTML survives a markdown renderer (a `&` is left alone: without a tag it does nothing, and
// `&amp;` would mangle the text); code (fenced blocks, indented blocks, inline spans) is kept byte
// for byte, where a renderer shows it as text anyway. The title and labels are written as plain
// text. No `vscode`, no process: the caller runs `gh` (src/github) and writes the file.

export interface IssueComment {
  author: string;
  body: string;
  createdAt?: string;
}

export interface ImportedIssue {
  number: number;
  title: string;
  body: string;
  url: string;
  labels: string[];
  comments: IssueComment[];
}

export class IssueImportError extends Error {}

const MAX_TEXT = 200_000;

function text(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, MAX_TEXT) : '';
}

/**
 * The fields we use from `gh issue view --json …`, checked; throws IssueImportError when the number or URL is missing.
 */
export function parseIssueJson(raw: unknown): ImportedIssue {
  const data = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
  if (typeof data !== 'object' || data === null) throw new IssueImportError('gh printed no issue.');
  const o = data as Record<string, unknown>;
  const number = typeof o.number === 'number' && Number.isInteger(o.number) && o.number > 0 ? o.number : undefined;
  const url = text(o.url);
  if (number === undefined) throw new IssueImportError('The issue has no number.');
  if (!/^https:\/\/[^\s]+$/.test(url)) throw new IssueImportError('The issue has no https URL.');
  const labels = Array.isArray(o.labels) ? o.labels.map((l) => (typeof l === 'object' && l !== null ? text((l as Record<string, unknown>).name) : text(l))).filter((l) => l !== '') : [];
  const comments = Array.isArray(o.comments)
    ? o.comments.flatMap((c): IssueComment[] => {
        if (typeof c !== 'object' || c === null) return [];
        const r = c as Record<string, unknown>;
        const author = typeof r.author === 'object' && r.author !== null ? text((r.author as Record<string, unknown>).login) : text(r.author);
        const createdAt = text(r.createdAt);
        return [{ author: author || 'unknown', body: text(r.body), ...(createdAt ? { createdAt } : {}) }];
      })
    : [];
  return { number, title: text(o.title), body: text(o.body), url, labels, comments };
}

/** Markdown-significant and HTML characters of one line of plain text made harmless. */
function plain(value: string): string {
  return noTags(value.replace(/[\r\n\u2028\u2029]+/g, ' ').trim()).replace(/([\\`*_[\]#|])/g, '\\$1');
}

/**
 * Prose made inert: no HTML tag can start (`<` as its entity), and `![alt](url)` would make the
 * Markdown preview load a remote image (a tracking pixel), so `\![` keeps it a plain link, shown and
 * followed only on a click. Nothing else changes (a `&` stays a `&`).
 */
function noTags(value: string): string {
  return value.replace(/</g, '&lt;').replace(/!\[/g, '\\![');
}

/** One line of prose: `<` neutralized outside its inline code spans, which stay as written. */
function proseLine(line: string): string {
  let out = '';
  let at = 0;
  while (at < line.length) {
    const tick = line.indexOf('`', at);
    if (tick < 0) break;
    const run = /^`+/.exec(line.slice(tick))![0];
    // A backslash before it makes the first backtick literal: no span starts here (what follows is
    // escaped as prose: a span missed is only text escaped, never HTML let through).
    const backslashes = /\\*$/.exec(line.slice(0, tick))![0].length;
    if (backslashes % 2 === 1) {
      out += noTags(line.slice(at, tick + run.length));
      at = tick + run.length;
      continue;
    }
    // A span closes at the next run of exactly as many backticks; an unclosed run is literal text.
    const closing = new RegExp(`(?<!\`)${run}(?!\`)`, 'g');
    closing.lastIndex = tick + run.length;
    const end = closing.exec(line);
    if (!end) {
      out += noTags(line.slice(at, tick + run.length));
      at = tick + run.length;
      continue;
    }
    out += noTags(line.slice(at, tick)) + line.slice(tick, end.index + run.length);
    at = end.index + run.length;
  }
  return out + noTags(line.slice(at));
}

/**
 * Untrusted markdown with its HTML neutralized and its code kept byte for byte: fenced blocks
 * (``` or ~~~ at the start of a line, closed by a fence of the same character at least as long)
 * and inline code spans. An indented block is treated as prose: inside a list it is a paragraph
 * (where HTML would render), so only fences, whose meaning does not depend on context, are trusted
 * to be code.
 */
export function neutralizedMarkdown(value: string): string {
  let fence: { char: string; length: number } | undefined;
  return value
    .split('\n')
    .map((line) => {
      const opener = /^ {0,3}(`{3,}|~{3,})/.exec(line);
      if (fence) {
        if (opener && opener[1][0] === fence.char && opener[1].length >= fence.length && line.trim() === opener[1])
          fence = undefined;
        return line;
      }
      if (opener && !(opener[1][0] === '`' && line.slice(opener[0].length).includes('`'))) {
        fence = { char: opener[1][0], length: opener[1].length };
        return line;
      }
      return proseLine(line);
    })
    .join('\n');
}

/** A block of untrusted markdown as a quote: every line prefixed, HTML neutralized outside code. */
function quoted(value: string): string {
  const lines = neutralizedMarkdown(value.replace(/\r\n?/g, '\n').trimEnd()).split('\n');
  if (lines.length === 1 && lines[0].trim() === '') return '> (empty)';
  return lines.map((line) => (line === '' ? '>' : `> ${line}`)).join('\n');
}

/** The path of the report inside the project. */
export function issueReportPath(n: number): string {
  return `.chant/research/issue-${n}-report.md`;
}

/** The text of `.chant/research/issue-<n>-report.md`. */
export function issueReportMarkdown(issue: ImportedIssue): string {
  const out = [
    `# Issue #${issue.number}: ${plain(issue.title) || '(no title)'}`,
    '',
    `- URL: <${issue.url.replace(/[<>\s]/g, '')}>`,
    `- Labels: ${issue.labels.length > 0 ? issue.labels.map(plain).join(', ') : 'none'}`,
    '',
    'Imported from GitHub with `gh issue view`. The text below is the reporter’s, quoted as written.',
    '',
    '## Report',
    '',
    quoted(issue.body),
    '',
    `## Comments (${issue.comments.length})`,
    '',
  ];
  if (issue.comments.length === 0) out.push('None.', '');
  for (const comment of issue.comments) {
    out.push(`### ${plain(comment.author)}${comment.createdAt ? ` on ${plain(comment.createdAt)}` : ''}`, '', quoted(comment.body), '');
  }
  return out.join('\n');
}

/** The investigation's summary from the issue title: one line, no `---`, at most 72 characters. */
export function summaryFromTitle(title: string): string {
  const line = title.replace(/[\r\n\u2028\u2029\t]+/g, ' ').replace(/-{3,}/g, '—').replace(/\s+/g, ' ').trim();
  return line.length > 72 ? `${line.slice(0, 71).trimEnd()}…` : line;
}

/** `owner/repo` (and host) of a git remote URL: https, ssh `git@host:o/r.git`, `ssh://…`. */
export function repositoryOfRemote(remoteUrl: string): { host: string; owner: string; repo: string } | undefined {
  const url = remoteUrl.trim();
  const m =
    /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/i.exec(url) ?? /^(?:[^@/]+@)?([^/:]+):([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url);
  if (!m) return undefined;
  const safe = /^[A-Za-z0-9_.-]+$/;
  if (!safe.test(m[2]) || !safe.test(m[3]) || !/^[A-Za-z0-9.-]+$/.test(m[1])) return undefined;
  return { host: m[1].toLowerCase(), owner: m[2], repo: m[3] };
}

/** The full issue URL for a number on a remote's repository (`https://github.com/o/r/issues/1234`). */
export function issueUrlFor(n: number, remoteUrl: string): string | undefined {
  const repo = repositoryOfRemote(remoteUrl);
  if (!repo || !Number.isInteger(n) || n <= 0) return undefined;
  return `https://${repo.host}/${repo.owner}/${repo.repo}/issues/${n}`;
}
