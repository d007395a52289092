// The value type of frontmatter edits and the one error they throw, shared by the field edits
// (specEdit.ts), their rendering (yamlRender.ts) and the criteria edits (criteriaEdit.ts).

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
