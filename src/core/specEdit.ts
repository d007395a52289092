// Lossless edits of spec files: set or remove frontmatter fields and tick acceptance criteria while
// every byte we were not asked to change stays as it was (unknown keys, comments, key order, quoting,
// line endings, the body). chant itself re-serializes the whole frontmatter on every save and drops
// all of that (CHANT-FORMAT §2.1.4), so the extension must not behave like it.
//
// The approach: locate the frontmatter exactly as chant does (splitFrontmatter), let `yaml` parse it
// only to learn *where* each top-level pair is, and splice new text into those spans. We never call
// `doc.toString()`: re-serializing would rewrite bytes the user did not touch. Every edit is checked
// afterwards by re-reading the result the way chant would, so a splice that would change the meaning
// of anything else is refused instead of written.

import * as YAML from 'yaml';
import { isRustWhitespace, LineMap, leadingWhitespaceLength, positionAt, splitFrontmatter, type FrontmatterSplit } from './frontmatter';
import { FIELD_ORDER, LIST_FIELDS, type AcceptanceCriterion } from './types';

export type FieldValue = string | number | boolean | string[] | Record<string, unknown> | null;

export type SpecEditErrorCode =
  /** The key is not a simple identifier (letters, digits, `_`, `-`). */
  | 'invalid-key'
  /** The value cannot be written (wrong type for the field, non-finite number, `undefined`, …). */
  | 'invalid-value'
  /** The value contains `---`, which would end chant's frontmatter early whatever the quoting. */
  | 'unsafe-value'
  /** The frontmatter is not YAML we can edit safely (syntax error, duplicate keys, not a mapping). */
  | 'invalid-frontmatter'
  /** The file opens a frontmatter with `---` but never closes it. */
  | 'unterminated-frontmatter'
  /** The result would not read back as intended; nothing was written. */
  | 'verification-failed'
  | 'criterion-out-of-range';

export class SpecEditError extends Error {
  constructor(
    readonly code: SpecEditErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SpecEditError';
  }
}

// ---------------------------------------------------------------------------------------------------
// Public API: fields
// ---------------------------------------------------------------------------------------------------

/**
 * Sets a top-level frontmatter field.
 *
 * - Existing key: only the value text is replaced. The key text, a comment after the value, the
 *   spacing after the colon and (for strings) the quote style the author used are kept. If the file
 *   already encodes exactly this value, the text is returned unchanged - whatever its spelling.
 * - New key: a `key: value` line (or block) is inserted in chant's FIELD_ORDER relative to the known
 *   keys already present; unknown keys are never moved.
 * - No frontmatter: a `---` block holding only this key is created at the top. We deliberately do not
 *   add `type`/`status` the way chant's writer would: chant defaults both when missing, and adding
 *   fields nobody asked for would be a surprise in a diff.
 *
 * Lists are written as chant writes them (block sequence, no indent), except that a non-empty flow
 * list (`[a, b]`) stays a flow list: the author chose that style and it keeps the diff to one line.
 * An empty `[]` carries no such preference because serde_yaml writes every empty list that way.
 */
export function setField(text: string, key: string, value: FieldValue): string {
  assertKey(key);
  const ctx = openFrontmatter(text, 'set');
  const existing = ctx.fm?.pairs.find((p) => p.key === key);
  // Checked before validation so that re-setting whatever a file already holds is always a no-op.
  if (existing && sameValue(existing.node.value, value, existing.doc)) {
    return text;
  }
  assertValue(key, value);
  assertFieldShape(key, value);
  if (!ctx.fm) {
    return createFrontmatter(ctx, key, value);
  }
  const fm = ctx.fm;
  const newYaml = existing ? replaceValue(fm, existing, value) : insertPair(fm, key, value);
  const expected = { ...fm.data, [key]: value };
  return commit(ctx, newYaml, expected);
}

/**
 * Removes a top-level field: its key line, the lines of a block value, and comment lines inside the
 * value (between its items, or indented below it). Comments above the key are left alone: we cannot
 * know whether they describe this key or the section. A missing key returns the text unchanged.
 */
export function removeField(text: string, key: string): string {
  assertKey(key);
  const ctx = openFrontmatter(text, 'remove');
  const fm = ctx.fm;
  const existing = fm?.pairs.find((p) => p.key === key);
  if (!fm || !existing) {
    return text;
  }
  const y = fm.yaml;
  const newYaml = y.slice(0, existing.lineStart) + y.slice(existing.extentEndWithEol);
  const expected: Record<string, unknown> = { ...fm.data };
  delete expected[key];
  return commit(ctx, newYaml, expected);
}

/**
 * Applies several changes; `undefined` removes a field. Everything is validated before anything is
 * applied, so a bad value leaves no half-edited result. The changes are applied one after the other,
 * each against the previous result, so new keys still find their place among each other.
 */
export function setFields(text: string, changes: Record<string, FieldValue | undefined>): string {
  const entries = Object.entries(changes);
  for (const [key, value] of entries) {
    assertKey(key);
    if (value !== undefined) {
      assertValue(key, value);
      assertFieldShape(key, value);
    }
  }
  let result = text;
  for (const [key, value] of entries) {
    result = value === undefined ? removeField(result, key) : setField(result, key, value);
  }
  return result;
}

/** The dominant line ending of a text: CRLF when more lines end with it than with a bare LF. */
export function detectEol(text: string): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text[i - 1] === '\r') crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

// ---------------------------------------------------------------------------------------------------
// Public API: acceptance criteria
// ---------------------------------------------------------------------------------------------------

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

/**
 * Checks or unchecks the index-th box (0-based, document order) by rewriting the one character
 * between the brackets. A box already in the wanted state is left alone (so `[X]` stays `[X]`).
 */
export function setCriterion(text: string, index: number, checked: boolean): string {
  const { items } = listCriteria(text);
  if (!Number.isInteger(index) || index < 0 || index >= items.length) {
    throw new SpecEditError(
      'criterion-out-of-range',
      `There is no acceptance criterion #${index}; the section has ${items.length}.`,
    );
  }
  const item = items[index];
  if (item.checked === checked) return text;
  const offset = new LineMap(text).lineStart(item.line) + item.column + 3;
  return text.slice(0, offset) + (checked ? 'x' : ' ') + text.slice(offset + 1);
}

// ---------------------------------------------------------------------------------------------------
// Locating the frontmatter and its pairs
// ---------------------------------------------------------------------------------------------------

interface EditContext {
  /** A leading U+FEFF, kept in front of whatever we write. */
  bom: string;
  /** The text after the BOM. */
  text: string;
  eol: string;
  split: FrontmatterSplit;
  fm?: Frontmatter;
}

interface Frontmatter {
  yaml: string;
  /** The file's dominant line ending, used for every line we add. */
  eol: string;
  pairs: TopPair[];
  data: Record<string, unknown>;
  /** Indentation of the top-level keys (normally empty). */
  indent: string;
}

/** Offsets are relative to the YAML slice. */
interface TopPair {
  key: string;
  node: YAML.Pair;
  doc: YAML.Document.Parsed;
  data: unknown;
  keyStart: number;
  lineStart: number;
  keyColumn: number;
  colonEnd: number;
  keyLineEnd: number;
  /** `key:` with nothing after it but whitespace or a comment. */
  empty: boolean;
  valueStart: number;
  /** End of the value's content, before trailing whitespace/line breaks. */
  valueEnd: number;
  /** End (before the line break) of the last line that belongs to the pair. */
  extentEnd: number;
  /** Start of the line after the pair, or the end of the YAML. */
  extentEndWithEol: number;
}

function openFrontmatter(text: string, purpose: 'set' | 'remove'): EditContext {
  // A BOM hides the frontmatter from chant (Rust's trim keeps U+FEFF). Editors show such a file
  // with its frontmatter, though, so edits go where the user sees them and the BOM stays first.
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const rest = text.slice(bom.length);
  const split = splitFrontmatter(rest);
  const ctx: EditContext = { bom, text: rest, eol: detectEol(text), split };
  if (split.unterminated) {
    if (purpose === 'remove') return ctx;
    throw new SpecEditError(
      'unterminated-frontmatter',
      'The frontmatter opened with `---` is never closed; refusing to guess where it ends.',
    );
  }
  if (split.hasFrontmatter) ctx.fm = readFrontmatter(split.yaml, ctx.eol);
  return ctx;
}

function readFrontmatter(yaml: string, eol: string): Frontmatter {
  const doc = YAML.parseDocument(yaml, { keepSourceTokens: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0].message.split('\n')[0];
    throw new SpecEditError('invalid-frontmatter', `The frontmatter is not valid YAML: ${first}`);
  }
  const root = doc.contents;
  if (root === null) {
    return { yaml, eol, pairs: [], data: {}, indent: '' };
  }
  if (!YAML.isMap(root)) {
    throw new SpecEditError('invalid-frontmatter', 'The frontmatter is not a mapping of keys to values.');
  }
  if (root.flow) {
    throw new SpecEditError(
      'invalid-frontmatter',
      'A frontmatter written as one `{…}` mapping cannot be edited in place.',
    );
  }
  const pairs: TopPair[] = [];
  const data: Record<string, unknown> = {};
  for (const node of root.items) {
    if (!YAML.isScalar(node.key) || !node.key.range) {
      throw new SpecEditError('invalid-frontmatter', 'The frontmatter has a key that is not a plain value.');
    }
    const pair = locatePair(yaml, node, doc);
    pairs.push(pair);
    data[pair.key] = pair.data;
  }
  const indent = pairs.length > 0 ? yaml.slice(pairs[0].lineStart, pairs[0].keyStart) : '';
  return { yaml, eol, pairs, data, indent };
}

function locatePair(y: string, node: YAML.Pair, doc: YAML.Document.Parsed): TopPair {
  const keyNode = node.key as YAML.Scalar;
  const key = String(keyNode.value);
  const [keyStart, keyEnd] = keyNode.range!;
  let colon = keyEnd;
  while (y[colon] === ' ' || y[colon] === '\t') colon++;
  if (y[colon] !== ':') {
    throw new SpecEditError('invalid-frontmatter', `Cannot find the ':' after key '${key}'.`);
  }
  const colonEnd = colon + 1;
  const lineStart = lineStartOf(y, keyStart);
  const keyLineEnd = lineEndOf(y, colonEnd);
  const value = node.value;
  const valueRange = YAML.isNode(value) ? value.range : undefined;
  const empty = !valueRange || valueRange[0] === valueRange[1];
  const valueStart = empty ? colonEnd : valueRange[0];
  let valueEnd = empty ? colonEnd : valueRange[1];
  // Block collections and block scalars report a range that runs over their final line break.
  while (valueEnd > valueStart && /[ \t\r\n]/.test(y[valueEnd - 1])) valueEnd--;

  const keyColumn = keyStart - lineStart;
  let extentEnd = lineEndOf(y, empty ? colonEnd : valueEnd);
  // Lines indented deeper than the key after the value's last line still belong to it (typically a
  // comment under the last list item); a blank line or anything at the key's column ends the pair.
  for (;;) {
    const next = nextLineStart(y, extentEnd);
    if (next >= y.length) break;
    const end = lineEndOf(y, next);
    const line = y.slice(next, end);
    if (line.trim() === '' || leadingWhitespaceLength(line) <= keyColumn) break;
    extentEnd = end;
  }
  const data = YAML.isNode(value) ? value.toJS(doc) : (value ?? null);
  return {
    key,
    node,
    doc,
    data,
    keyStart,
    lineStart,
    keyColumn,
    colonEnd,
    keyLineEnd,
    empty,
    valueStart,
    valueEnd,
    extentEnd,
    extentEndWithEol: nextLineStart(y, extentEnd),
  };
}

function lineStartOf(y: string, pos: number): number {
  return pos <= 0 ? 0 : y.lastIndexOf('\n', pos - 1) + 1;
}

/** End of the line holding `pos`, before its `\n` or `\r\n`. */
function lineEndOf(y: string, pos: number): number {
  const nl = y.indexOf('\n', pos);
  if (nl < 0) return y.length;
  return nl > pos && y[nl - 1] === '\r' ? nl - 1 : nl;
}

/** Start of the line after the one that ends at `lineEnd`, or the end of the text. */
function nextLineStart(y: string, lineEnd: number): number {
  const nl = y.indexOf('\n', lineEnd);
  return nl < 0 ? y.length : nl + 1;
}

// ---------------------------------------------------------------------------------------------------
// Splicing
// ---------------------------------------------------------------------------------------------------

function replaceValue(fm: Frontmatter, pair: TopPair, value: FieldValue): string {
  const y = fm.yaml;
  const old = pair.node.value;
  const oldIsBlockish =
    (YAML.isCollection(old) && !old.flow) ||
    (YAML.isScalar(old) && (old.type === 'BLOCK_LITERAL' || old.type === 'BLOCK_FOLDED'));
  const onKeyLine = !pair.empty && pair.valueStart <= pair.keyLineEnd;

  // What stays around the new value: the spacing after the colon (when the old value sat on the key
  // line), a comment on the key line, and a comment after the old value's last line.
  let gap = ' ';
  let keyTail = '';
  let tail = '';
  let regionEnd: number;
  if (pair.empty) {
    keyTail = y.slice(pair.colonEnd, pair.keyLineEnd);
    regionEnd = pair.keyLineEnd;
  } else {
    regionEnd = lineEndOf(y, pair.valueEnd);
    if (!oldIsBlockish) tail = y.slice(pair.valueEnd, regionEnd);
    if (onKeyLine) gap = y.slice(pair.colonEnd, pair.valueStart);
    else keyTail = y.slice(pair.colonEnd, pair.keyLineEnd);
  }
  if (gap === '' || /[\r\n]/.test(gap)) gap = ' ';
  const comments = (keyTail.trim() === '' ? '' : keyTail) + (tail.trim() === '' ? '' : tail);

  const rendered = renderValue(value, {
    keyIndent: y.slice(pair.lineStart, pair.keyStart),
    style: existingStyle(y, pair),
  });
  let replacement =
    rendered.kind === 'inline'
      ? gap + rendered.text + comments
      : comments + fm.eol + rendered.lines.join(fm.eol);
  replacement = closeLineBeforeDelimiter(fm, regionEnd, replacement);
  return y.slice(0, pair.colonEnd) + replacement + y.slice(regionEnd);
}

function insertPair(fm: Frontmatter, key: string, value: FieldValue): string {
  const y = fm.yaml;
  const eol = fm.eol;
  const rendered = renderValue(value, { keyIndent: fm.indent });
  const block = [fm.indent + key + ':' + (rendered.kind === 'inline' ? ' ' + rendered.text : '')]
    .concat(rendered.kind === 'block' ? rendered.lines : [])
    .join(eol);
  const at = insertionPoint(fm, key);

  if (at.kind === 'before') {
    return y.slice(0, at.pos) + block + eol + y.slice(at.pos);
  }
  // After a pair or at the end. A glued closing delimiter (`x: 1---`) gets its own line again,
  // because the new block would otherwise end with `---` stuck to its last value.
  const pos = at.pos;
  const atLineStart = pos > 0 && y[pos - 1] === '\n';
  if (atLineStart) return y.slice(0, pos) + block + eol + y.slice(pos);
  const suffix = pos === y.length ? eol : '';
  return y.slice(0, pos) + eol + block + suffix + y.slice(pos);
}

type InsertionPoint = { kind: 'after' | 'before'; pos: number };

/**
 * chant's order, relative to the known keys present: after the present key that comes last among
 * those ordered before the new one; else before the first present key ordered after it (above any
 * comment lines directly attached to it); else at the end of the frontmatter.
 */
function insertionPoint(fm: Frontmatter, key: string): InsertionPoint {
  const rank = (k: string): number => (FIELD_ORDER as readonly string[]).indexOf(k);
  const own = rank(key);
  if (own >= 0) {
    let after: TopPair | undefined;
    let before: TopPair | undefined;
    for (const p of fm.pairs) {
      const r = rank(p.key);
      if (r < 0) continue;
      if (r < own && (!after || r > rank(after.key))) after = p;
      if (r > own && !before) before = p;
    }
    if (after) return { kind: 'after', pos: after.extentEndWithEol };
    if (before) return { kind: 'before', pos: attachedCommentsStart(fm, before) };
  }
  return { kind: 'after', pos: fm.yaml.length };
}

/** Walks up over comment lines sitting directly above a key, so a new key does not split them off. */
function attachedCommentsStart(fm: Frontmatter, pair: TopPair): number {
  const y = fm.yaml;
  const index = fm.pairs.indexOf(pair);
  const floor = index > 0 ? fm.pairs[index - 1].extentEndWithEol : 0;
  let start = pair.lineStart;
  // Line 0 of the slice is the rest of the opening `---` line; never insert in front of it.
  while (start > 0) {
    const prevStart = lineStartOf(y, start - 1);
    if (prevStart === 0 || prevStart < floor) break;
    const line = y.slice(prevStart, lineEndOf(y, prevStart));
    if (!line.trimStart().startsWith('#')) break;
    start = prevStart;
  }
  return start;
}

/**
 * At the very end of a glued frontmatter (`status: x---`) a new block, or a value ending in `-`,
 * would run into the closing `---`; there the delimiter gets its own line back, as chant writes it.
 */
function closeLineBeforeDelimiter(fm: Frontmatter, regionEnd: number, replacement: string): string {
  if (regionEnd === fm.yaml.length && (/\n/.test(replacement) || replacement.endsWith('-'))) {
    return replacement + fm.eol;
  }
  return replacement;
}

function createFrontmatter(ctx: EditContext, key: string, value: FieldValue): string {
  const eol = ctx.eol;
  const rendered = renderValue(value, { keyIndent: '' });
  const block = [key + ':' + (rendered.kind === 'inline' ? ' ' + rendered.text : '')]
    .concat(rendered.kind === 'block' ? rendered.lines : [])
    .join(eol);
  const closing = '---' + eol;
  const header = '---' + eol + block + eol;
  const result = ctx.bom + header + closing + ctx.text;
  verify(result, ctx.bom.length + header.length, closing + ctx.text, { [key]: value });
  return result;
}

/** Rebuilds the file around a new YAML slice and checks that it reads back as intended. */
function commit(ctx: EditContext, newYaml: string, expected: Record<string, unknown>): string {
  const { split } = ctx;
  const result = ctx.bom + ctx.text.slice(0, split.yamlStart) + newYaml + ctx.text.slice(split.yamlEnd);
  verify(result, ctx.bom.length + split.yamlStart + newYaml.length, ctx.text.slice(split.yamlEnd), expected);
  return result;
}

/**
 * Re-reads `result` the way chant would and insists that (1) the frontmatter closes exactly where we
 * think it does, so everything after it is byte-identical, and (2) the YAML now holds `expected`.
 * This catches splices no unit test thought of, such as a value ending in `-` next to a glued `---`.
 */
function verify(result: string, yamlEnd: number, after: string, expected: Record<string, unknown>): void {
  const bom = result.startsWith('\uFEFF') ? 1 : 0;
  const split = splitFrontmatter(result.slice(bom));
  const fail = (why: string): never => {
    throw new SpecEditError('verification-failed', `Refusing the edit: ${why}.`);
  };
  if (!split.hasFrontmatter || split.yamlEnd + bom !== yamlEnd) fail('the frontmatter would end in a different place');
  if (result.slice(yamlEnd) !== after) fail('text after the frontmatter would change');
  const doc = YAML.parseDocument(split.yaml);
  if (doc.errors.length > 0) fail(`the frontmatter would not parse (${doc.errors[0].message.split('\n')[0]})`);
  const data = doc.contents === null ? {} : doc.toJS();
  if (!deepEqual(data, expected)) fail('the frontmatter would not read back as the requested values');
}

// ---------------------------------------------------------------------------------------------------
// Rendering values in chant's shape
// ---------------------------------------------------------------------------------------------------

type Rendered = { kind: 'inline'; text: string } | { kind: 'block'; lines: string[] };

interface ExistingStyle {
  /** Quote style of the string being replaced, kept for a new string value. */
  quote?: 'QUOTE_SINGLE' | 'QUOTE_DOUBLE';
  /** The old value was a non-empty flow collection: write the new one in flow style too. */
  flow?: boolean;
  /** Column of the old block sequence's `-`, reused when the new value is a list too. */
  seqIndent?: string;
  /** Indentation of the old block map's keys, reused when the new value is a map too. */
  mapIndent?: string;
}

function existingStyle(y: string, pair: TopPair): ExistingStyle {
  const old = pair.node.value;
  const quoted = YAML.isScalar(old) && (old.type === 'QUOTE_SINGLE' || old.type === 'QUOTE_DOUBLE');
  if (quoted && typeof old.value === 'string') {
    return { quote: old.type as 'QUOTE_SINGLE' | 'QUOTE_DOUBLE' };
  }
  if (YAML.isCollection(old)) {
    if (old.flow) return { flow: old.items.length > 0 };
    const indent = y.slice(lineStartOf(y, pair.valueStart), pair.valueStart);
    if (!/^[ \t]*$/.test(indent)) return {};
    if (YAML.isSeq(old)) return { seqIndent: indent };
    // Map entries must sit deeper than their key, or they would become its siblings.
    return indent.length > pair.keyColumn ? { mapIndent: indent } : {};
  }
  return {};
}

function renderValue(value: FieldValue, opts: { keyIndent: string; style?: ExistingStyle }): Rendered {
  const style = opts.style ?? {};
  if (Array.isArray(value) || isPlainObject(value)) {
    const empty = Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
    if (empty) return { kind: 'inline', text: Array.isArray(value) ? '[]' : '{}' };
    if (style.flow) return { kind: 'inline', text: checked(renderFlow(value)) };
    const lines = Array.isArray(value)
      ? renderSeqLines(value, style.seqIndent ?? opts.keyIndent)
      : renderMapLines(value, style.mapIndent ?? opts.keyIndent + '  ');
    return { kind: 'block', lines: lines.map(checked) };
  }
  if (typeof value === 'string' && style.quote) {
    const double = style.quote === 'QUOTE_DOUBLE' || needsEscapes(value);
    return { kind: 'inline', text: checked(double ? doubleQuoted(value) : singleQuoted(value)) };
  }
  return { kind: 'inline', text: checked(renderScalar(value)) };
}

/** chant (serde_yaml) puts `- ` at the parent's own column: `labels:\n- a`, also inside maps. */
function renderSeqLines(items: readonly unknown[], indent: string): string[] {
  return items.map((item) => {
    if (Array.isArray(item) || isPlainObject(item)) return `${indent}- ${renderFlow(item)}`;
    return `${indent}- ${renderScalar(item)}`;
  });
}

/** Block maps indent their entries by two spaces, as serde_yaml does: `approval:\n  required: true`. */
function renderMapLines(map: Record<string, unknown>, indent: string): string[] {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(map)) {
    if (v === undefined) continue;
    const keyText = renderScalar(k);
    if (Array.isArray(v) && v.length > 0) {
      lines.push(`${indent}${keyText}:`, ...renderSeqLines(v, indent));
    } else if (isPlainObject(v) && Object.keys(v).length > 0) {
      lines.push(`${indent}${keyText}:`, ...renderMapLines(v, indent + '  '));
    } else if (Array.isArray(v) || isPlainObject(v)) {
      lines.push(`${indent}${keyText}: ${Array.isArray(v) ? '[]' : '{}'}`);
    } else {
      lines.push(`${indent}${keyText}: ${renderScalar(v)}`);
    }
  }
  return lines;
}

const STRINGIFY: YAML.ToStringOptions = {
  lineWidth: 0,
  minContentWidth: 0,
  singleQuote: true,
  blockQuote: false,
  flowCollectionPadding: false,
};

function renderFlow(value: unknown): string {
  const doc = new YAML.Document(value);
  if (YAML.isCollection(doc.contents)) doc.contents.flow = true;
  const text = doc.toString(STRINGIFY).replace(/\n+$/, '');
  if (/[\r\n]/.test(text)) {
    throw new SpecEditError('invalid-value', 'The value cannot be written on one line.');
  }
  return text;
}

/**
 * One scalar on one line. `yaml` decides whether a string needs quotes (YAML 1.2); serde_yaml quotes
 * with single quotes, so we prefer those. On top of that we quote words YAML 1.1 readers take for
 * booleans or numbers (`yes`, `on`, `0755`, `12:30`), because chant's libyaml-based reader and
 * other tools may; control characters and line breaks go into an escaped double-quoted string,
 * since anything multi-line would be harder to splice and to diff.
 */
function renderScalar(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new SpecEditError('invalid-value', 'Numbers must be finite.');
    return String(value);
  }
  if (typeof value !== 'string') {
    throw new SpecEditError('invalid-value', `Cannot write a value of type ${typeof value}.`);
  }
  if (needsEscapes(value)) return doubleQuoted(value);
  const text = new YAML.Document(value).toString(STRINGIFY).replace(/\n$/, '');
  if (/[\r\n]/.test(text)) return doubleQuoted(value);
  if (text === value && AMBIGUOUS_IN_YAML_1_1.some((re) => re.test(value))) return singleQuoted(value);
  return text;
}

const AMBIGUOUS_IN_YAML_1_1 = [
  /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(~|null|Null|NULL|<<|=)$/,
  /^[-+]?(0b[01_]+|0[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)$/,
  /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/,
  /^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?$/,
  /^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/,
];

// Characters that cannot appear raw in a single-line scalar, or that some YAML readers treat as line
// breaks (NEL, LS, PS) or strip (BOM).
const NEEDS_ESCAPE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

function needsEscapes(s: string): boolean {
  return NEEDS_ESCAPE.test(s);
}

function singleQuoted(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function doubleQuoted(s: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '"': '\\"', '\\': '\\\\' };
  let out = '"';
  for (const ch of s) {
    if (named[ch]) out += named[ch];
    else if (NEEDS_ESCAPE.test(ch)) out += '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

/** chant's splitter closes the frontmatter at the first `---` anywhere, so no quoting protects one. */
function checked(line: string): string {
  if (line.includes('---')) {
    throw new SpecEditError(
      'unsafe-value',
      "Frontmatter values cannot contain '---': chant ends the frontmatter at the first '---' it finds.",
    );
  }
  return line;
}

// ---------------------------------------------------------------------------------------------------
// Validation and helpers
// ---------------------------------------------------------------------------------------------------

const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function assertKey(key: string): void {
  if (typeof key !== 'string' || !SIMPLE_KEY.test(key) || key.includes('---')) {
    throw new SpecEditError('invalid-key', `'${String(key)}' is not a simple frontmatter key.`);
  }
}

function assertValue(key: string, value: unknown, depth = 0): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') {
    if (typeof value === 'string' && value.includes('---')) {
      throw new SpecEditError(
        'unsafe-value',
        `The value for '${key}' contains '---', which would end chant's frontmatter early.`,
      );
    }
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new SpecEditError('invalid-value', `The value for '${key}' is not a finite number.`);
    }
    return;
  }
  if (depth > 16) throw new SpecEditError('invalid-value', `The value for '${key}' is nested too deeply.`);
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item === undefined) {
        throw new SpecEditError('invalid-value', `The list for '${key}' holds an undefined item.`);
      }
      assertValue(key, item, depth + 1);
    }
    return;
  }
  if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('---') || needsEscapes(k)) {
        throw new SpecEditError('invalid-value', `The mapping for '${key}' has a key that cannot be written.`);
      }
      if (v !== undefined) assertValue(key, v, depth + 1);
    }
    return;
  }
  throw new SpecEditError('invalid-value', `Cannot write a value of type ${typeof value} for '${key}'.`);
}

/**
 * chant fails to load a spec whose list field holds a single value (`labels: bug`), so we refuse to
 * write one. `depends_on` alone accepts a bare string (CHANT-FORMAT §2.1).
 */
function assertFieldShape(key: string, value: FieldValue): void {
  if (!LIST_FIELDS.has(key) || value === null || Array.isArray(value)) return;
  if (key === 'depends_on' && typeof value === 'string') return;
  throw new SpecEditError(
    'invalid-value',
    `'${key}' must be a list; chant cannot load a spec where it is a single value.`,
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether a parsed value already holds `value`. Beyond structural equality, a string equals a plain
 * scalar with exactly that text even where YAML 1.2 reads the text as a number: chant writes commit
 * SHAs such as `9392e79` unquoted and reads them back as strings, and so must we.
 */
function sameValue(node: unknown, value: unknown, doc: YAML.Document.Parsed): boolean {
  if (typeof value === 'string' && YAML.isScalar(node) && node.type === 'PLAIN' && typeof node.value === 'number') {
    return node.source === value;
  }
  if (Array.isArray(value) && YAML.isSeq(node)) {
    return node.items.length === value.length && node.items.every((item, i) => sameValue(item, value[i], doc));
  }
  if (isPlainObject(value) && YAML.isMap(node)) {
    const wanted = Object.keys(value).filter((k) => value[k] !== undefined);
    if (node.items.length !== wanted.length) return false;
    return node.items.every((pair) => {
      const k = YAML.isScalar(pair.key) ? String(pair.key.value) : undefined;
      return k !== undefined && value[k] !== undefined && sameValue(pair.value, value[k], doc);
    });
  }
  return deepEqual(YAML.isNode(node) ? node.toJS(doc) : (node ?? null), value);
}

/** Structural equality; mapping key order does not matter, list order does. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(b, k);
    return ka.length === kb.length && ka.every((k) => has(k) && deepEqual(a[k], b[k]));
  }
  return false;
}
