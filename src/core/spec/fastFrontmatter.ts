// A direct reader for the small, regular YAML that chant writes in a spec's frontmatter: top-level
// `key: scalar`, block lists (`- item`, at column 0 or one consistent indent), one-line flow lists
// of scalars, and one level of nested `key: scalar` mapping (the `approval` block). It exists for
// speed: the full `yaml` parser builds a CST, a document and then plain objects, which is most of
// the cost of indexing thousands of specs.
//
// It must never disagree with `yaml`. It therefore gives up (returns undefined) on anything it does
// not model exactly (comments, tabs, carriage returns, anchors, tags, block scalars, multi-line
// scalars, escapes, duplicate keys, odd indentation, `: ` inside a value, …) and the caller uses
// the `yaml` path. Plain scalars are resolved with the tags of `yaml`'s own core schema, so
// `9392e79` is the same float and `0o17` the same integer on both paths.
// test/unit/fastFrontmatter.unit.test.ts compares both paths on the corpus and generated cases.
import type { ScalarTag } from 'yaml';
import { yamlLibrary } from './yamlLoader';

export interface FastFrontmatter {
  /** The mapping exactly as `parseDocument(yaml).toJS()` gives it. */
  value: Record<string, unknown>;
  /** Offset of a top-level key in the YAML text. */
  keyOffset(key: string): number | undefined;
  /** A sequence's items as chant's serde reads them (plain scalars by their source), nulls dropped.
   *  The array is handed over, not copied. */
  listItems(key: string): string[] | undefined;
  /** A top-level scalar's source text (for plain scalars; a quoted one gives its value). */
  scalarSource(key: string): string | undefined;
}

/** Characters we never handle: control characters, DEL/C1, BOM, Unicode line separators, tabs, CR. */
const UNSUPPORTED_CHAR = /[\x00-\x09\x0b-\x1f\x7f-\x9f\ufeff\u2028\u2029]/;
const KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** First characters that make a value something other than a plain scalar (YAML c-indicator). */
const INDICATORS = new Set(['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);
/** The same, by character code. */
const INDICATOR_CODES = new Uint8Array(128);
for (const c of INDICATORS) INDICATOR_CODES[c.charCodeAt(0)] = 1;

/** A character that no number form of the core schema contains (`.inf` and `.nan` included). */
const NOT_NUMERIC = /[^0-9a-fA-F.+\-oxXnNiI]/;

const GIVE_UP = Symbol('give up');
type Scalar = { value: unknown; text: string; plain: boolean } | typeof GIVE_UP;

let coreTags: ScalarTag[] | undefined;
const resolveOptions = { intAsBigInt: false } as const;

/** What `yaml`'s core schema makes of a plain scalar (null, bool, int, float or string). */
function resolvePlain(text: string): unknown {
  // Every non-string core tag (null, bool, int, float, .inf, .nan) needs one of these first
  // characters, or an empty text; anything else is a string without running the tag tests.
  const c = text.charCodeAt(0);
  const maybeTyped =
    text.length === 0 ||
    (c >= 48 && c <= 57) || // 0-9
    c === 43 || c === 45 || c === 46 || c === 126 || // + - . ~
    c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70; // n N t T f F
  if (!maybeTyped) return text;
  // The typed forms are short words (null, true, false) or numbers spelled with digits, signs, dots,
  // exponents and 0o/0x prefixes (and .inf/.nan); a date, a path or a sentence fails this at once.
  if (c >= 97 || (c >= 65 && c <= 90) ? text.length > 5 : NOT_NUMERIC.test(text)) return text;
  coreTags ??= (new (yamlLibrary().Schema)({}).tags as ScalarTag[]).filter((tag) => tag.default === true && tag.test);
  for (const tag of coreTags) {
    if (tag.test!.test(text)) {
      const resolved = tag.resolve(text, () => undefined, resolveOptions as never) as unknown;
      return yamlLibrary().isScalar(resolved) ? resolved.value : resolved;
    }
  }
  return text;
}

/**
 * A copy of `text` that shares no memory with the text it was sliced from. The YAML given may be a
 * slice of the whole file, and V8 keeps a slice's whole parent alive: a value kept by the index
 * would hold the file's text. Short strings are copied by the slice itself.
 */
function own(text: string): string {
  return text.length < 13 ? text : (text + ' ').slice(0, -1);
}

// The reader below works on offsets into the YAML text and slices only a value's own text: no line,
// key-and-rest pair or scalar record is made per line. Parsing 10,000 frontmatters made ~3 kB of
// such garbage each, six times the YAML itself, and the young-generation GC it caused was a good
// part of indexing a project. `scalarValue` and `scalarText` hold the last scalar read.
let scalarValue: unknown;
let scalarText = '';

/**
 * `blockScalar` of `yaml[start, end)` (already trimmed of spaces): sets `scalarValue` and
 * `scalarText`, or returns false where `blockScalar` gives up.
 */
function blockScalarAt(yaml: string, start: number, end: number): boolean {
  if (start === end) {
    scalarValue = null;
    scalarText = '';
    return true;
  }
  const first = yaml.charCodeAt(start);
  if (first === 39 || first === 34) {
    // '…' or "…": the quote must close at the end, with no other quote of its kind inside.
    const close = yaml.indexOf(first === 39 ? "'" : '"', start + 1);
    if (close !== end - 1) return false;
    const text = yaml.slice(start + 1, close);
    if (first === 34 && text.includes('\\')) return false;
    scalarValue = scalarText = own(text);
    return true;
  }
  if (first < 128 && INDICATOR_CODES[first] === 1) return false;
  const text = own(yaml.slice(start, end));
  if (text.includes(': ') || text.endsWith(':') || text.includes(' #')) return false;
  scalarValue = resolvePlain(text);
  scalarText = text;
  return true;
}

function singleQuoted(text: string): Scalar {
  const close = text.indexOf("'", 1);
  if (close < 0 || close !== text.length - 1) return GIVE_UP; // '' escapes, or text after the quote
  const value = text.slice(1, close);
  return { value, text: value, plain: false };
}

function doubleQuoted(text: string): Scalar {
  const close = text.indexOf('"', 1);
  if (close < 0 || close !== text.length - 1) return GIVE_UP;
  const value = text.slice(1, close);
  if (value.includes('\\')) return GIVE_UP;
  return { value, text: value, plain: false };
}

/** `[a, b, c]` on one line, items plain or simply quoted; `text` is trimmed. */
function flowList(text: string): { value: unknown[]; items: string[] } | typeof GIVE_UP {
  if (text[text.length - 1] !== ']') return GIVE_UP;
  const inner = text.slice(1, -1);
  if (trimSpaces(inner).length === 0) return { value: [], items: [] };
  if (/[[\]{}#:]/.test(inner)) return GIVE_UP;
  const value: unknown[] = [];
  const items: string[] = [];
  for (const part of inner.split(',')) {
    const item = trimSpaces(part);
    if (item.length === 0) return GIVE_UP; // `[a,,b]` or a trailing comma
    let scalar: Scalar;
    if (item[0] === "'") scalar = singleQuoted(item);
    else if (item[0] === '"') scalar = doubleQuoted(item);
    else if (INDICATORS.has(item[0])) return GIVE_UP;
    else scalar = { value: resolvePlain(item), text: item, plain: true };
    if (scalar === GIVE_UP) return GIVE_UP;
    // A quoted item with a comma or bracket inside was split wrongly above; quotes must balance.
    if (!scalar.plain && (scalar.text.includes(',') || scalar.text.includes("'") || scalar.text.includes('"'))) {
      return GIVE_UP;
    }
    const text = own(scalar.text);
    value.push(typeof scalar.value === 'string' ? text : scalar.value);
    if (scalar.value !== null) items.push(text);
  }
  return { value, items };
}

/** YAML separates with spaces only; `String.trim` would also eat U+00A0, which YAML keeps. */
function trimSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 32) start++;
  while (end > start && text.charCodeAt(end - 1) === 32) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** A key that `yaml` keeps as the same string and that is safe as a property name. */
function plainKey(key: string): boolean {
  return KEY.test(key) && key !== '__proto__' && typeof resolvePlain(key) === 'string';
}

/** Where the rest of the last `keyAt` line starts and ends, trimmed of spaces. */
let restStart = 0;
let restEnd = 0;

/**
 * Splits `key: rest` (or `key:`) in `yaml[from, lineEnd)`: returns the key and sets `restStart` and
 * `restEnd`; undefined when the line is not exactly that shape.
 */
function keyAt(yaml: string, from: number, lineEnd: number): string | undefined {
  const colon = yaml.indexOf(':', from);
  if (colon < 0 || colon >= lineEnd) return undefined;
  if (colon + 1 < lineEnd && yaml.charCodeAt(colon + 1) !== 32) return undefined;
  const key = yaml.slice(from, colon);
  if (!plainKey(key)) return undefined;
  trimmedRest(yaml, colon + 1, lineEnd);
  return key;
}

/** Sets `restStart` and `restEnd` to `yaml[start, end)` without its leading and trailing spaces. */
function trimmedRest(yaml: string, start: number, end: number): void {
  while (start < end && yaml.charCodeAt(start) === 32) start++;
  while (end > start && yaml.charCodeAt(end - 1) === 32) end--;
  restStart = start;
  restEnd = end;
}

// A block list's values and item texts are gathered here and copied out at their exact length when
// the list ends. An array grown by push() keeps 17 slots for its first item, and the index holds two
// arrays per list (the frontmatter value and the spec's field) for 10,000 specs: slack that every
// young-generation GC copied, ~7 MB of a 38 MB index. The scratch arrays may hold the last parse's
// values until the next one overwrites them; nothing reads past the counts.
const seqScratch: unknown[] = [];
const itemScratch: string[] = [];

/** Parses the frontmatter YAML, or returns undefined when only the full parser can be trusted. */
export function parseFastFrontmatter(yaml: string): FastFrontmatter | undefined {
  if (UNSUPPORTED_CHAR.test(yaml)) return undefined;
  const value: Record<string, unknown> = {};
  /** Per top-level key, in order: the key, its offset, its scalar's source, its list's items. */
  const entries: unknown[] = [];

  // The open block after a `key:` with nothing on its line: a list or a nested mapping.
  let openKey: string | undefined;
  let openEntry = -1;
  let blockKind: 'none' | 'seq' | 'map' = 'none';
  let blockIndent = -1;
  let seqCount = 0;
  let itemCount = 0;
  let map: Record<string, unknown> | undefined;
  /** Stores an open block list under its key (its key already holds the key's place in `value`). */
  const closeSeq = (): void => {
    if (blockKind !== 'seq' || openKey === undefined || openEntry < 0) return;
    // A list of plain strings (chant's usual) is one array for the frontmatter value and the spec's
    // field alike: neither is ever changed, and the index keeps one array per list instead of two.
    let same = seqCount === itemCount;
    for (let i = 0; same && i < seqCount; i++) same = seqScratch[i] === itemScratch[i];
    const items = itemScratch.slice(0, itemCount);
    value[openKey] = same ? items : seqScratch.slice(0, seqCount);
    entries[openEntry + ITEMS] = items;
  };

  let lineStart = 0;
  let first = true;
  while (lineStart <= yaml.length) {
    let lineEnd = yaml.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = yaml.length;
    const offset = lineStart;
    lineStart = lineEnd + 1;
    let at = offset;
    while (at < lineEnd && yaml.charCodeAt(at) === 32) at++;
    const indent = at - offset;
    if (at === lineEnd) {
      first = false;
      continue; // blank
    }
    if (first) return undefined; // text on the opening `---` line
    const c = yaml.charCodeAt(at);
    if (c === 35) return undefined; // #

    if (indent === 0 && c !== 45) {
      // A new top-level key closes any open block.
      if (yaml.startsWith('...', offset)) return undefined;
      const key = keyAt(yaml, offset, lineEnd);
      if (key === undefined || Object.prototype.hasOwnProperty.call(value, key)) return undefined;
      const entry = entries.length;
      entries.push(key, offset, undefined, undefined);
      closeSeq();
      openKey = undefined;
      if (restStart === restEnd) {
        value[key] = null;
        openKey = key;
        openEntry = entry;
        blockKind = 'none';
        blockIndent = -1;
      } else if (yaml.charCodeAt(restStart) === 91) {
        // [
        const list = flowList(yaml.slice(restStart, restEnd));
        if (list === GIVE_UP) return undefined;
        value[key] = list.value;
        entries[entry + ITEMS] = list.items;
      } else {
        if (!blockScalarAt(yaml, restStart, restEnd)) return undefined;
        value[key] = scalarValue;
        entries[entry + SOURCE] = scalarText;
      }
      continue;
    }

    // An indented line, or a `- ` item at column 0: only inside an open block.
    if (openKey === undefined || openEntry < 0) return undefined;
    if (blockKind === 'none') {
      blockIndent = indent;
      if (c === 45) {
        blockKind = 'seq';
        seqCount = 0;
        itemCount = 0;
      } else {
        if (indent === 0) return undefined;
        blockKind = 'map';
        map = {};
        value[openKey] = map;
      }
    }
    if (indent !== blockIndent) return undefined;

    if (blockKind === 'seq') {
      if (c !== 45) return undefined;
      if (at + 1 < lineEnd && yaml.charCodeAt(at + 1) !== 32) return undefined;
      trimmedRest(yaml, at + 1, lineEnd);
      if (!blockScalarAt(yaml, restStart, restEnd)) return undefined;
      seqScratch[seqCount++] = scalarValue;
      if (scalarValue !== null) itemScratch[itemCount++] = scalarText;
    } else {
      const key = keyAt(yaml, at, lineEnd);
      if (key === undefined || restStart === restEnd || yaml.charCodeAt(restStart) === 91) return undefined;
      if (Object.prototype.hasOwnProperty.call(map, key)) return undefined;
      if (!blockScalarAt(yaml, restStart, restEnd)) return undefined;
      map![key] = scalarValue;
    }
  }

  closeSeq();
  return new FastResult(value, entries);
}

// An entry's fields in `entries`, after its key.
const OFFSET = 1;
const SOURCE = 2;
const ITEMS = 3;
const STRIDE = 4;

class FastResult implements FastFrontmatter {
  constructor(
    readonly value: Record<string, unknown>,
    private readonly entries: readonly unknown[],
  ) {}
  private find(key: string): number {
    for (let i = 0; i < this.entries.length; i += STRIDE) if (this.entries[i] === key) return i;
    return -1;
  }
  keyOffset(key: string): number | undefined {
    const i = this.find(key);
    return i < 0 ? undefined : (this.entries[i + OFFSET] as number);
  }
  listItems(key: string): string[] | undefined {
    // The caller takes the array: each list is asked for once, and the entries die with this result.
    const i = this.find(key);
    return i < 0 ? undefined : (this.entries[i + ITEMS] as string[] | undefined);
  }
  scalarSource(key: string): string | undefined {
    const i = this.find(key);
    return i < 0 ? undefined : (this.entries[i + SOURCE] as string | undefined);
  }
}
