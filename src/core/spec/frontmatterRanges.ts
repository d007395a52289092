// Where things are in a spec file's text: the frontmatter delimiters, each top-level key and its
// list items, the acceptance heading, spec-id references. The parser answers "what does the file
// say"; this answers "where does it say it", so diagnostics, links, hovers and quick fixes land on
// the key or the list item they are about. Works on broken YAML too (whatever the yaml library
// could still place), because the editor asks while the user is typing.
import type { Node } from 'yaml';
import { yamlLibrary } from './yamlLoader';
import { LineMap, splitFrontmatter, type FrontmatterSplit } from './frontmatter';
import { findAcceptanceSection } from './criteria';
import { ID_FIELDS } from './fields';

/** A 0-based range in the whole file; `end` is exclusive. */
export interface TextRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface ItemLocation {
  /** The item as chant reads it (plain scalars as written, quoted ones without their quotes). */
  text: string;
  /** The item's text, inside the quotes when it is quoted, so a replacement keeps them. */
  range: TextRange;
}

export interface FieldLocation {
  key: string;
  keyRange: TextRange;
  /** The whole value (a scalar, a flow or a block sequence), when there is one. */
  valueRange?: TextRange;
  /** `key: value` with a plain or quoted scalar: that value. */
  scalar?: ItemLocation;
  /** A sequence's scalar items, in order; for a scalar-valued key, that one scalar. */
  items: ItemLocation[];
  isSequence: boolean;
}

export interface IdReference {
  id: string;
  range: TextRange;
  /** The field that holds it, `frontmatter` for an id elsewhere in the YAML, `wikilink` for `[[id]]`. */
  source: string;
}

export interface SpecLayout {
  split: FrontmatterSplit;
  /** Line of the opening `---`, when the file has (terminated) frontmatter. */
  openingLine?: number;
  /** Line of the closing `---`. */
  closingLine?: number;
  /** Top-level keys in file order; a duplicated key keeps its first occurrence. */
  fields: Map<string, FieldLocation>;
  /** Line of the `## Acceptance Criteria` heading chant counts (the last one outside fences). */
  acceptanceHeadingLine?: number;
  /** First body line (where a missing title would go). */
  bodyLine: number;
  /**
   * Spec ids the file refers to: every `depends_on` and `members` item (full or not), any other
   * full id in the frontmatter, and `[[id]]` in the body. Sorted by position.
   */
  idReferences: IdReference[];
  lines: LineMap;
}

// Which fields hold paths and which spec ids is the field registry's to say (fields.ts).
export { ID_FIELDS, PATH_FIELDS } from './fields';

/** chant's generated id shape, found anywhere in a line (lint's coupling rule looks the same way). */
const FULL_ID_IN_TEXT = /(?<![0-9A-Za-z_.-])\d{4}-\d{2}-\d{2}-[0-9a-z]{3,}-[0-9a-z]{3}(?:\.\d+)*(?![0-9A-Za-z_-])/g;
const WIKI_LINK = /\[\[([^\[\]\n]+?)\]\]/g;

export function specLayout(text: string): SpecLayout {
  const split = splitFrontmatter(text);
  const lines = new LineMap(text);
  const rangeOf = (start: number, end: number): TextRange => {
    const a = lines.position(start);
    const b = lines.position(end);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  };
  const fields = new Map<string, FieldLocation>();
  const idReferences: IdReference[] = [];
  let openingLine: number | undefined;
  let closingLine: number | undefined;

  if (split.hasFrontmatter) {
    openingLine = lines.position(split.yamlStart - 3).line;
    closingLine = lines.position(split.yamlEnd).line;
    const doc = yamlLibrary().parseDocument(split.yaml, { prettyErrors: false, uniqueKeys: false });
    const base = split.yamlStart;
    const item = (node: unknown): ItemLocation | undefined => {
      if (!yamlLibrary().isScalar(node) || !node.range || node.value === null) return undefined;
      let [start, end] = node.range;
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      if (quoted && end - start >= 2) {
        start++;
        end--;
      }
      const textValue = node.type === 'PLAIN' && typeof node.source === 'string' ? node.source : String(node.value);
      return { text: textValue, range: rangeOf(base + start, base + end) };
    };
    if (yamlLibrary().isMap(doc.contents)) {
      for (const pair of doc.contents.items) {
        if (!yamlLibrary().isScalar(pair.key) || !pair.key.range) continue;
        const key = String(pair.key.value);
        if (fields.has(key)) continue;
        const [ks, ke] = pair.key.range;
        const value = pair.value as Node | null;
        const location: FieldLocation = { key, keyRange: rangeOf(base + ks, base + ke), items: [], isSequence: false };
        if (value && value.range) location.valueRange = rangeOf(base + value.range[0], base + value.range[1]);
        if (yamlLibrary().isSeq(value)) {
          location.isSequence = true;
          for (const entry of value.items) {
            const located = item(entry);
            if (located) location.items.push(located);
          }
        } else {
          const located = item(value);
          if (located) {
            location.scalar = located;
            location.items.push(located);
          }
        }
        fields.set(key, location);
      }
    }

    // Items of id fields first (they may be short ids), then every other full id in the YAML.
    const taken = new Set<string>();
    for (const key of ID_FIELDS) {
      for (const entry of fields.get(key)?.items ?? []) {
        idReferences.push({ id: entry.text.trim(), range: entry.range, source: key });
        taken.add(`${entry.range.line}:${entry.range.column}`);
      }
    }
    for (const match of split.yaml.matchAll(FULL_ID_IN_TEXT)) {
      const start = base + match.index!;
      const range = rangeOf(start, start + match[0].length);
      if (isWithinTaken(range, idReferences)) continue;
      idReferences.push({ id: match[0], range, source: 'frontmatter' });
    }
  }

  for (const match of text.slice(split.bodyStart).matchAll(WIKI_LINK)) {
    const inner = match[1];
    const id = inner.trim();
    if (id.length === 0) continue;
    const start = split.bodyStart + match.index! + 2 + (inner.length - inner.trimStart().length);
    idReferences.push({ id, range: rangeOf(start, start + id.length), source: 'wikilink' });
  }
  idReferences.sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column);

  const bodyLine = lines.position(split.bodyStart).line;
  const bodyLines = text.slice(split.bodyStart).split('\n');
  const section = findAcceptanceSection(bodyLines);
  return {
    split,
    openingLine,
    closingLine,
    fields,
    acceptanceHeadingLine: section ? bodyLine + section.heading : undefined,
    bodyLine,
    idReferences,
    lines,
  };
}

function isWithinTaken(range: TextRange, refs: readonly IdReference[]): boolean {
  return refs.some(
    (ref) =>
      ref.range.line === range.line && ref.range.column <= range.column && ref.range.endColumn >= range.endColumn,
  );
}

/** The reference whose range contains the position (end inclusive, so a cursor after an id counts). */
export function idReferenceAt(layout: SpecLayout, line: number, column: number): IdReference | undefined {
  return layout.idReferences.find((ref) => contains(ref.range, line, column));
}

export function contains(range: TextRange, line: number, column: number): boolean {
  if (line < range.line || line > range.endLine) return false;
  if (line === range.line && column < range.column) return false;
  if (line === range.endLine && column > range.endColumn) return false;
  return true;
}

/** The whole of one line (without its line break), for diagnostics that concern a line. */
export function lineRange(text: string, lines: LineMap, line: number): TextRange {
  const start = lines.lineStart(line);
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  if (end > start && text[end - 1] === '\r') end--;
  return { line, column: 0, endLine: line, endColumn: end - start };
}

// ---------------------------------------------------------------------------------------------
// What to complete at a cursor

export type FrontmatterContext =
  /** At the start of a top-level line: a key name is being typed. */
  | { kind: 'key'; partial: string; startColumn: number }
  /** After `key:` on the key's own line. */
  | { kind: 'value'; key: string; partial: string; startColumn: number }
  /** A list item of `key` (a `- ` line below it, or inside `key: [ … ]`). */
  | { kind: 'item'; key: string; partial: string; startColumn: number };

const KEY_LINE = /^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+|$)/;

/**
 * What the cursor is typing in the frontmatter, from the text alone (the YAML may be half written).
 * Undefined outside the frontmatter or where nothing is completed (comments, nested mappings).
 */
export function frontmatterContextAt(text: string, line: number, column: number): FrontmatterContext | undefined {
  const split = splitFrontmatter(text);
  if (!split.hasFrontmatter) return undefined;
  const lines = new LineMap(text);
  const opening = lines.position(split.yamlStart - 3).line;
  const closing = lines.position(split.yamlEnd);
  // The cursor must sit on a line strictly between the delimiters (a closing `---` glued to a
  // value is chant's quirk, not a place to complete).
  if (line <= opening || line >= closing.line) return undefined;
  const lineStart = lines.lineStart(line);
  const prefix = text.slice(lineStart, lineStart + column);
  if (prefix.includes('\n')) return undefined;

  if (/^[A-Za-z_]*$/.test(prefix)) return { kind: 'key', partial: prefix, startColumn: 0 };

  const keyLine = KEY_LINE.exec(prefix);
  if (keyLine) {
    const key = keyLine[1];
    const rest = prefix.slice(keyLine[0].length);
    const restStart = keyLine[0].length;
    if (rest.startsWith('[')) {
      const lastSep = Math.max(rest.lastIndexOf('['), rest.lastIndexOf(','));
      if (rest.includes(']')) return undefined;
      return unquoted('item', key, rest.slice(lastSep + 1), restStart + lastSep + 1);
    }
    if (rest.includes('#')) return undefined;
    return unquoted('value', key, rest, restStart);
  }

  const itemLine = /^([ \t]*)-(?:[ \t]+(.*))?$/.exec(prefix);
  if (itemLine) {
    const owner = ownerKey(text, lines, line, opening);
    if (owner === undefined) return undefined;
    const partial = itemLine[2] ?? '';
    if (partial.includes('#')) return undefined;
    return unquoted('item', owner, partial, prefix.length - partial.length);
  }
  return undefined;
}

function unquoted<K extends 'value' | 'item'>(
  kind: K,
  key: string,
  partial: string,
  startColumn: number,
): { kind: K; key: string; partial: string; startColumn: number } {
  const lead = partial.length - partial.trimStart().length;
  let start = startColumn + lead;
  let value = partial.trimStart();
  if (value.startsWith('"') || value.startsWith("'")) {
    value = value.slice(1);
    start++;
  }
  return { kind, key, partial: value, startColumn: start };
}

/** The top-level key a `- item` line belongs to: the nearest key line above it. */
function ownerKey(text: string, lines: LineMap, line: number, opening: number): string | undefined {
  for (let l = line - 1; l > opening; l--) {
    const start = lines.lineStart(l);
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const content = text.slice(start, end).replace(/\r$/, '');
    if (content.trim() === '' || content.trimStart().startsWith('#')) continue;
    if (/^[ \t]*-/.test(content)) continue;
    const key = KEY_LINE.exec(content);
    if (key) {
      // `key: value` already has its value: items below it would be a YAML error, not its items.
      const rest = content.slice(content.indexOf(':') + 1).trim();
      return rest === '' || rest.startsWith('#') ? key[1] : undefined;
    }
    return undefined;
  }
  return undefined;
}
