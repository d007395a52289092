// Splits a spec (or config.md, or a prompt) into frontmatter and body exactly as chant's
// `split_frontmatter` does (CHANT-FORMAT §2.1), but keeps offsets into the original text so that
// diagnostics point at the right line and edits can be spliced in without touching other bytes.

/**
 * Rust's `str::trim` trims Unicode White_Space: tab to CR, space, U+0085, U+00A0, U+1680,
 * U+2000-U+200A, U+2028, U+2029, U+202F, U+205F and U+3000. JavaScript's `\s` also matches U+FEFF
 * (a BOM), which Rust keeps, and misses U+0085, which Rust trims, so we spell the class out, by code
 * (a regex per character would be most of a parse's cost).
 */
export function isRustWhitespace(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

export interface FrontmatterSplit {
  /** False when the trimmed text does not start with `---` or has no closing `---`. */
  hasFrontmatter: boolean;
  /** True when the text starts with `---` but no closing delimiter follows (chant then treats it as body). */
  unterminated: boolean;
  /** The YAML text between the delimiters (empty when there is no frontmatter). */
  yaml: string;
  /** Offset of the first character of `yaml` in the original text. */
  yamlStart: number;
  /** Offset just after `yaml`, i.e. where the closing `---` starts. */
  yamlEnd: number;
  /** Offset of the first body character (after the closing `---` and leading whitespace, as chant strips it). */
  bodyStart: number;
  /** The body as chant sees it: after the frontmatter, leading whitespace removed, trailing whitespace removed. */
  body: string;
}

/** Length of the whitespace run at `from` (default 0), not reaching past `to`. */
export function leadingWhitespaceLength(text: string, from = 0, to = text.length): number {
  let i = from;
  while (i < to && isRustWhitespace(text.charCodeAt(i))) i++;
  return i - from;
}

/** Scans back from the end: a `[ws]*$` regex retries from every offset of the text. */
function trailingWhitespaceLength(text: string): number {
  let i = text.length;
  while (i > 0 && isRustWhitespace(text.charCodeAt(i - 1))) i--;
  return text.length - i;
}

export function splitFrontmatter(text: string): FrontmatterSplit {
  const lead = leadingWhitespaceLength(text);
  const trailing = trailingWhitespaceLength(text);
  const trimmedEnd = Math.max(lead, text.length - trailing);
  const noFrontmatter = (unterminated: boolean): FrontmatterSplit => ({
    hasFrontmatter: false,
    unterminated,
    yaml: '',
    yamlStart: lead,
    yamlEnd: lead,
    bodyStart: lead,
    body: text.slice(lead, trimmedEnd),
  });
  if (!text.startsWith('---', lead)) {
    return noFrontmatter(false);
  }
  const yamlStart = lead + 3;
  // chant looks for the closing delimiter as a plain substring, not a line; we must agree, or a
  // spec chant reads one way would be shown another way here.
  const close = text.indexOf('---', yamlStart);
  if (close < 0 || close + 3 > trimmedEnd) {
    return noFrontmatter(true);
  }
  const afterClose = close + 3;
  const bodyStart = afterClose + leadingWhitespaceLength(text, afterClose, trimmedEnd);
  return {
    hasFrontmatter: true,
    unterminated: false,
    yaml: text.slice(yamlStart, close),
    yamlStart,
    yamlEnd: close,
    bodyStart: Math.min(bodyStart, trimmedEnd),
    body: text.slice(Math.min(bodyStart, trimmedEnd), trimmedEnd),
  };
}

/** The 0-based line and column of an offset, counting newlines up to it (no map for one lookup). */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart };
}

/** Offsets of each line start; `lineOf` turns an offset into a 0-based line and column. */
export class LineMap {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      this.starts.push(i + 1);
    }
  }
  get lineCount(): number {
    return this.starts.length;
  }
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: offset - this.starts[lo] };
  }
}
