// Rendering frontmatter values in chant's shape (block lists, plain scalars where YAML 1.1 and 1.2
// readers agree, quotes where they would not). Used by the lossless field edits in specEdit.ts.
import type * as YAML from 'yaml';
import { yamlLibrary } from './yamlLoader';
import { SpecEditError, type FieldValue } from './editError';

// ---------------------------------------------------------------------------------------------------
// Rendering values in chant's shape
// ---------------------------------------------------------------------------------------------------

export type Rendered = { kind: 'inline'; text: string } | { kind: 'block'; lines: string[] };

export interface ExistingStyle {
  /** Quote style of the string being replaced, kept for a new string value. */
  quote?: 'QUOTE_SINGLE' | 'QUOTE_DOUBLE';
  /** The old value was a non-empty flow collection: write the new one in flow style too. */
  flow?: boolean;
  /** Column of the old block sequence's `-`, reused when the new value is a list too. */
  seqIndent?: string;
  /** Indentation of the old block map's keys, reused when the new value is a map too. */
  mapIndent?: string;
}


export function renderValue(value: FieldValue, opts: { keyIndent: string; style?: ExistingStyle }): Rendered {
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
export function renderSeqLines(items: readonly unknown[], indent: string): string[] {
  return items.map((item) => {
    if (Array.isArray(item) || isPlainObject(item)) return `${indent}- ${renderFlow(item)}`;
    return `${indent}- ${renderScalar(item)}`;
  });
}

/** Block maps indent their entries by two spaces, as serde_yaml does: `approval:\n  required: true`. */
export function renderMapLines(map: Record<string, unknown>, indent: string): string[] {
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

export const STRINGIFY: YAML.ToStringOptions = {
  lineWidth: 0,
  minContentWidth: 0,
  singleQuote: true,
  blockQuote: false,
  flowCollectionPadding: false,
};

export function renderFlow(value: unknown): string {
  const doc = new (yamlLibrary().Document)(value);
  if (yamlLibrary().isCollection(doc.contents)) doc.contents.flow = true;
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
export function renderScalar(value: unknown): string {
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
  const text = new (yamlLibrary().Document)(value).toString(STRINGIFY).replace(/\n$/, '');
  if (/[\r\n]/.test(text)) return doubleQuoted(value);
  if (text === value && AMBIGUOUS_IN_YAML_1_1.some((re) => re.test(value))) return singleQuoted(value);
  return text;
}

export const AMBIGUOUS_IN_YAML_1_1 = [
  /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(~|null|Null|NULL|<<|=)$/,
  /^[-+]?(0b[01_]+|0[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)$/,
  /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/,
  /^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?$/,
  /^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/,
];

// Characters that cannot appear raw in a single-line scalar, or that some YAML readers treat as line
// breaks (NEL, LS, PS) or strip (BOM).
export const NEEDS_ESCAPE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

export function needsEscapes(s: string): boolean {
  return NEEDS_ESCAPE.test(s);
}

export function singleQuoted(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function doubleQuoted(s: string): string {
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
export function checked(line: string): string {
  if (line.includes('---')) {
    throw new SpecEditError(
      'unsafe-value',
      "Frontmatter values cannot contain '---': chant ends the frontmatter at the first '---' it finds.",
    );
  }
  return line;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
