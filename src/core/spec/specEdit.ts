// Lossless edits of spec frontmatter: set or remove fields while
// every byte we were not asked to change stays as it was (unknown keys, comments, key order, quoting,
// line endings, the body). chant itself re-serializes the whole frontmatter on every save and drops
// all of that (CHANT-FORMAT §2.1.4), so the extension must not behave like it.
//
// The approach: locate the frontmatter exactly as chant does (splitFrontmatter), let `yaml` parse it
// only to learn *where* each top-level pair is, and splice new text into those spans. We never call
// `doc.toString()`: re-serializing would rewrite bytes the user did not touch. Every edit is checked
// afterwards by re-reading the result the way chant would, so a splice that would change the meaning
// of anything else is refused instead of written.

import type * as YAML from 'yaml';
import { yamlLibrary } from './yamlLoader';
import { leadingWhitespaceLength, splitFrontmatter, type FrontmatterSplit } from './frontmatter';
import { FIELD_ORDER, LIST_FIELDS } from './types';
import { SpecEditError, type FieldValue } from './editError';
import { isPlainObject, needsEscapes, renderValue, type ExistingStyle } from './yamlRender';

export { SpecEditError, type FieldValue, type SpecEditErrorCode } from './editError';

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
  const doc = yamlLibrary().parseDocument(yaml, { keepSourceTokens: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0].message.split('\n')[0];
    throw new SpecEditError('invalid-frontmatter', `The frontmatter is not valid YAML: ${first}`);
  }
  try {
    // An alias without its anchor (`key: *x`) parses, then throws a raw ReferenceError on reading.
    doc.toJS();
  } catch (error) {
    throw new SpecEditError('invalid-frontmatter', `The frontmatter is not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}. Fix it in the editor, then try again.`);
  }
  const root = doc.contents;
  if (root === null) {
    return { yaml, eol, pairs: [], data: {}, indent: '' };
  }
  if (!yamlLibrary().isMap(root)) {
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
    if (!yamlLibrary().isScalar(node.key) || !node.key.range) {
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
  const valueRange = yamlLibrary().isNode(value) ? value.range : undefined;
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
  const data = yamlLibrary().isNode(value) ? value.toJS(doc) : (value ?? null);
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
    (yamlLibrary().isCollection(old) && !old.flow) ||
    (yamlLibrary().isScalar(old) && (old.type === 'BLOCK_LITERAL' || old.type === 'BLOCK_FOLDED'));
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
  const doc = yamlLibrary().parseDocument(split.yaml);
  if (doc.errors.length > 0) fail(`the frontmatter would not parse (${doc.errors[0].message.split('\n')[0]})`);
  const data = doc.contents === null ? {} : doc.toJS();
  if (!deepEqual(data, expected)) fail('the frontmatter would not read back as the requested values');
}

function existingStyle(y: string, pair: TopPair): ExistingStyle {
  const old = pair.node.value;
  const quoted = yamlLibrary().isScalar(old) && (old.type === 'QUOTE_SINGLE' || old.type === 'QUOTE_DOUBLE');
  if (quoted && typeof old.value === 'string') {
    return { quote: old.type as 'QUOTE_SINGLE' | 'QUOTE_DOUBLE' };
  }
  if (yamlLibrary().isCollection(old)) {
    if (old.flow) return { flow: old.items.length > 0 };
    const indent = y.slice(lineStartOf(y, pair.valueStart), pair.valueStart);
    if (!/^[ \t]*$/.test(indent)) return {};
    if (yamlLibrary().isSeq(old)) return { seqIndent: indent };
    // Map entries must sit deeper than their key, or they would become its siblings.
    return indent.length > pair.keyColumn ? { mapIndent: indent } : {};
  }
  return {};
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


/**
 * Whether a parsed value already holds `value`. Beyond structural equality, a string equals a plain
 * scalar with exactly that text even where YAML 1.2 reads the text as a number: chant writes commit
 * SHAs such as `9392e79` unquoted and reads them back as strings, and so must we.
 */
function sameValue(node: unknown, value: unknown, doc: YAML.Document.Parsed): boolean {
  const { isMap, isNode, isScalar, isSeq } = yamlLibrary();
  if (typeof value === 'string' && isScalar(node) && node.type === 'PLAIN' && typeof node.value === 'number') {
    return node.source === value;
  }
  if (Array.isArray(value) && isSeq(node)) {
    return node.items.length === value.length && node.items.every((item, i) => sameValue(item, value[i], doc));
  }
  if (isPlainObject(value) && isMap(node)) {
    const wanted = Object.keys(value).filter((k) => value[k] !== undefined);
    if (node.items.length !== wanted.length) return false;
    return node.items.every((pair) => {
      const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
      return k !== undefined && value[k] !== undefined && sameValue(pair.value, value[k], doc);
    });
  }
  return deepEqual(isNode(node) ? node.toJS(doc) : (node ?? null), value);
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
