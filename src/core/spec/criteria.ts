// Reading a spec's acceptance criteria as chant does: which section counts, which lines are boxes,
// and where each box is. Shared by the parser (counts), the editor (positions) and the criteria
// edits (criteriaEdit.ts), so they can never disagree about which box is number N.
import { isRustWhitespace, leadingWhitespaceLength, positionAt, splitFrontmatter } from './frontmatter';
import type { AcceptanceCriterion } from './types';


export interface AcceptanceSection {
  /** Index (in the given lines) of the `## Acceptance Criteria` heading that counts. */
  heading: number;
  /** Index of the line that ends the section (the next `## ` line), or `lines.length`. */
  end: number;
  /** Indexes of the section's lines that chant inspects for boxes: outside fences, not fence lines. */
  lines: number[];
}

const AC_HEADING = '## Acceptance Criteria';

/**
 * chant's section rules (`count_unchecked_checkboxes` in spec/parse.rs), shared by the parser and the
 * editor so the two can never disagree about which box is number N:
 * the LAST line outside ``` fences whose trim_start starts with `## Acceptance Criteria` opens the
 * section; the next line outside fences whose trim_start starts with `## ` closes it (a `### ` does
 * not, and `### Acceptance Criteria` never opens one); a fence toggles on any line whose trim_start
 * starts with ```, and fenced lines are skipped. `lines` are the body's lines, as Rust's `lines()`
 * yields them (a trailing `\r` does not matter to these rules).
 */
export function findAcceptanceSection(lines: readonly string[]): AcceptanceSection | undefined {
  let inFence = false;
  let heading = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const ws = leadingWhitespaceLength(line);
    if (line.startsWith('```', ws)) {
      inFence = !inFence;
      continue;
    }
    if (!inFence && line.startsWith(AC_HEADING, ws)) heading = i;
  }
  if (heading < 0) return undefined;

  // The heading is outside a fence, so restarting with inFence=false after it matches chant's
  // second pass, which replays the fence state from the top.
  inFence = false;
  const inside: number[] = [];
  let end = lines.length;
  for (let i = heading + 1; i < lines.length; i++) {
    const line = lines[i];
    const ws = leadingWhitespaceLength(line);
    if (line.startsWith('```', ws)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    if (line.startsWith('## ', ws)) {
      end = i;
      break;
    }
    inside.push(i);
  }
  return { heading, end, lines: inside };
}

export interface CriterionRef extends AcceptanceCriterion {
  /** 0-based position among the section's boxes, in document order: the `index` of setCriterion. */
  index: number;
}

export interface AcceptanceCriteria {
  hasSection: boolean;
  items: CriterionRef[];
}

/**
 * Every box (`- [ ]`, `- [x]`, `- [X]`, several per line possible) of the acceptance section, with
 * file-relative 0-based line and column of its `-`. `bodyStart` may be passed by a caller that has
 * already split the file; it must be `splitFrontmatter(text).bodyStart`.
 */
export function listCriteria(text: string, bodyStart?: number): AcceptanceCriteria {
  const start = bodyStart ?? splitFrontmatter(text).bodyStart;
  const items: CriterionRef[] = [];
  let origin: { line: number; column: number } | undefined;
  const scan = scanCriteria(text, start, (lineStart, lineIndex, contentEnd, box, following) => {
    origin ??= positionAt(text, start);
    items.push({
      index: items.length,
      line: origin.line + lineIndex,
      column: (lineIndex === 0 ? origin.column : 0) + box - lineStart,
      checked: text.charCodeAt(box + 3) !== 32,
      text: text.slice(box + 5, following >= 0 ? following : contentEnd).trim(),
    });
  });
  return { hasSection: scan.hasSection, items };
}

/** Where `scanCriteria` found the acceptance section, and how many boxes it holds. */
export interface CriteriaScan {
  hasSection: boolean;
  /** Offset of the start of the heading's line (-1 without a section). */
  headingStart: number;
  /** Lines from `start` to the heading's line. */
  headingLine: number;
  /** Where the section ends: the start of the `## ` line that closes it, or the text's length. */
  sectionEnd: number;
  total: number;
  checked: number;
}

/**
 * Finds the acceptance section in place and counts its boxes, by the rules of
 * `findAcceptanceSection` but without splitting the body into lines: the index parses every spec
 * with it, so it allocates nothing per line. `onBox` (for `listCriteria`) sees each box: its
 * line's start, index (from `start`) and end without a trailing `\r`, the offset of its `-`, and
 * that of the next box on the line (-1: none).
 */
export function scanCriteria(
  text: string,
  start: number,
  onBox?: (lineStart: number, lineIndex: number, contentEnd: number, box: number, following: number) => void,
): CriteriaScan {
  // chant also trims the body's end; that only drops blank lines, which can neither hold a box nor
  // open, close or fence a section, so scanning to the end of the text gives the same answer.
  // The heading is the last line starting (after whitespace) with the heading text while outside
  // a fence; a fence is a line starting with three backticks. Only those lines matter, so find them
  // by searching for the two markers instead of visiting every line of the body. Searching forward
  // and keeping the last heading outside a fence gives the same line as searching backward for the
  // first, and a forward search for a long pattern skips through the text where a backward one
  // steps through every character; fences are counted only as far as the last heading (the lines
  // after it are the walk's business below, and most of a spec's text, its agent output, is there).
  let headingStart = -1;
  let fencesBefore = 0;
  let fence = text.indexOf('```', start);
  for (let p = text.indexOf(AC_HEADING, start); p >= 0; p = text.indexOf(AC_HEADING, p + 1)) {
    const lineStart = lineStartBefore(text, p, start);
    if (lineStart < 0) continue;
    // A fence line before the heading's line has its backticks before it: only whitespace
    // precedes the heading on its line.
    for (; fence >= 0 && fence < lineStart; fence = text.indexOf('```', fence + 3)) {
      if (lineStartBefore(text, fence, start) >= 0) fencesBefore++;
    }
    if (fencesBefore % 2 === 0) headingStart = lineStart;
  }
  if (headingStart < 0) {
    return { hasSection: false, headingStart: -1, headingLine: 0, sectionEnd: text.length, total: 0, checked: 0 };
  }
  let heading = 0;
  for (let nl = text.indexOf('\n', start); nl >= 0 && nl < headingStart; nl = text.indexOf('\n', nl + 1)) heading++;
  const afterHeading = lineEnd(text, headingStart) + 1;

  let inFence = false;
  let total = 0;
  let checked = 0;
  let sectionEnd = text.length;
  // Where the next `- [` is; found once per box, never once per line (a long section without boxes
  // must not rescan the rest of the text for every line).
  let nextBox = -2;
  for (let pos = afterHeading, i = heading + 1; pos <= text.length; i++) {
    const lineStart = pos;
    const end = lineEnd(text, pos);
    const at = firstNonSpace(text, pos, end);
    const c = text.charCodeAt(at);
    pos = end + 1;
    if (c === 96 && text.startsWith('```', at)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    if (c === 35 && text.startsWith('## ', at)) {
      sectionEnd = lineStart;
      break;
    }
    if (nextBox !== -1 && nextBox < at) nextBox = text.indexOf('- [', at);
    if (nextBox === -1 || nextBox >= end) continue;
    const contentEnd = end > lineStart && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    // Every `- [ ]`, `- [x]` or `- [X]` on the line (chant's counting), found without a regex.
    let box = boxAt(text, lineStart, contentEnd);
    while (box >= 0) {
      const following = boxAt(text, box + 5, contentEnd);
      total++;
      if (text.charCodeAt(box + 3) !== 32) checked++;
      onBox?.(lineStart, i, contentEnd, box, following);
      box = following;
    }
  }
  return { hasSection: true, headingStart, headingLine: heading, sectionEnd, total, checked };
}

/** The next `- [ ]`, `- [x]` or `- [X]` at or after `from` that ends before `end`, or -1. */
function boxAt(text: string, from: number, end: number): number {
  for (let p = text.indexOf('- [', from); p >= 0 && p + 4 < end; p = text.indexOf('- [', p + 1)) {
    const mark = text.charCodeAt(p + 3);
    if ((mark === 32 || mark === 120 || mark === 88) && text.charCodeAt(p + 4) === 93) return p;
  }
  return -1;
}

/** Start of the line holding `p` when only whitespace precedes `p` on it (lines begin at `start`); else -1. */
function lineStartBefore(text: string, p: number, start: number): number {
  let j = p - 1;
  while (j >= start) {
    const c = text.charCodeAt(j);
    if (c === 10) break;
    if (!isRustWhitespace(c)) return -1;
    j--;
  }
  return j + 1;
}

/** `pos` plus the length of the whitespace there; plain text (the usual case) costs one comparison. */
function firstNonSpace(text: string, pos: number, end: number): number {
  const c = text.charCodeAt(pos);
  if (c > 32 && c < 0x85) return pos;
  return pos + leadingWhitespaceLength(text, pos, end);
}

/** Offset of the `\n` that ends the line starting at `pos`, or the text's length. */
function lineEnd(text: string, pos: number): number {
  const end = text.indexOf('\n', pos);
  return end < 0 ? text.length : end;
}
