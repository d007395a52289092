// Reads one spec file into the core model. It never throws: chant hides a spec it cannot load, we
// show it with problems that say what is wrong and where, so a maintainer can repair it.
import type { Document, Node } from 'yaml';
import { yamlLibrary } from './yamlLoader';
import { summarizeAcceptance } from './acceptanceSummary';
import { parseFastFrontmatter, type FastFrontmatter } from './fastFrontmatter';
import { LineMap, positionAt, splitFrontmatter } from './frontmatter';
import { isRunnableSpecId } from './ids';
import { MODEL_LISTS, MODEL_STRINGS, STRING_FIELDS } from './fields';
import { makeSpec, NO_ITEMS, NO_PROBLEMS } from './specShape';
import { LIST_FIELDS, SPEC_STATUSES, SPEC_TYPES, type Approval, type Spec, type SpecProblem } from './types';

const KNOWN_STATUSES = new Set<string>(SPEC_STATUSES);
const KNOWN_TYPES = new Set<string>(SPEC_TYPES);

/**
 * A bit for each list and string field. A parse looks at the few keys the file has, once, instead
 * of looking up all 24 names in every spec's frontmatter: those are megamorphic lookups, most of
 * them misses, and they were a sizeable part of parsing a project. A field the file lacks is []
 * or undefined and has no problem to report, so only the present ones need `list` and `str`.
 */
const LIST_KEYS = [...LIST_FIELDS];
/** `LIST_KEYS[i]` has bit `1 << i`, `STRING_FIELDS[j]` bit `1 << (LIST_KEYS.length + j)`. */
const FIELD_BITS = new Map<string, number>();
for (const key of [...LIST_KEYS, ...STRING_FIELDS]) FIELD_BITS.set(key, 1 << FIELD_BITS.size);

export interface SpecLocation {
  id: string;
  path: string;
  archived?: boolean;
  archiveFolder?: string;
}

export interface ParseOptions {
  /** Read the frontmatter with `yaml` alone, skipping the fast reader (tests compare both paths). */
  fullYaml?: boolean;
}

export function parseSpec(text: string, where: SpecLocation, options: ParseOptions = {}): Spec {
  const split = splitFrontmatter(text);
  // Built only when a problem needs a position: most specs have none.
  let lineMap: LineMap | undefined;
  const position = (offset: number): { line: number; column: number } =>
    (lineMap ??= new LineMap(text)).position(offset);
  const problems: SpecProblem[] = [];
  let chantWouldReject = false;
  let frontmatter: Record<string, unknown> = {};
  let doc: Document | undefined;
  let fast: FastFrontmatter | undefined;

  const problemAt = (
    offset: number,
    severity: SpecProblem['severity'],
    code: string,
    message: string,
    endOffset?: number,
  ): void => {
    const start = position(offset);
    const end = endOffset !== undefined ? position(endOffset) : undefined;
    problems.push({
      severity,
      code,
      message,
      line: start.line,
      column: start.column,
      endLine: end?.line,
      endColumn: end?.column,
    });
  };

  if (!isRunnableSpecId(where.id)) {
    // chant loads any file stem; the extension refuses to hand such an id to a program (ids.ts).
    problemAt(
      0,
      'warning',
      'invalid-id',
      `The file name ${JSON.stringify(where.id)} is not a chant spec id (YYYY-MM-DD-SSS-RRR, with .N for members): the extension shows it but never runs it. Rename the file to a chant id.`,
    );
  }

  if (split.unterminated) {
    problemAt(
      split.yamlStart - 3,
      'error',
      'unterminated-frontmatter',
      'The frontmatter has no closing `---`, so chant reads the whole file as body and uses defaults.',
    );
  }

  // Chant's usual frontmatter goes through the fast reader; anything unusual through `yaml`.
  // Values parsed from a slice of the file would keep the whole file text alive: the fast reader
  // copies each value it keeps, and `yaml` parses a copy of the frontmatter.
  if (split.hasFrontmatter && !options.fullYaml) fast = parseFastFrontmatter(split.yaml);
  if (fast) {
    frontmatter = fast.value;
  } else if (split.hasFrontmatter) {
    const lineCounter = new (yamlLibrary().LineCounter)();
    doc = yamlLibrary().parseDocument(detach(split.yaml), { lineCounter, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
      chantWouldReject = true;
      for (const error of doc.errors) {
        problemAt(
          split.yamlStart + error.pos[0],
          'error',
          'yaml',
          `Invalid YAML frontmatter: ${firstLine(error.message)}`,
          split.yamlStart + error.pos[1],
        );
      }
    } else {
      const contents = doc.contents;
      const { isScalar } = yamlLibrary();
      if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === ''))) {
        frontmatter = {};
      } else if (!yamlLibrary().isMap(contents)) {
        chantWouldReject = true;
        problemAt(split.yamlStart, 'error', 'yaml', 'Invalid YAML frontmatter: expected a mapping of fields.');
      } else {
        // toJS throws on an alias whose anchor comes later (or never); chant rejects those too.
        try {
          const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
          frontmatter = isPlainObject(value) ? value : {};
        } catch (error) {
          chantWouldReject = true;
          const message = error instanceof Error ? error.message : String(error);
          problemAt(split.yamlStart, 'error', 'yaml', `Invalid YAML frontmatter: ${firstLine(message)}`);
        }
      }
    }
  }

  // Report type problems against the key's position, the way chant's serde would reject them.
  const keyOffset = (key: string): number => {
    if (fast) return split.yamlStart + (fast.keyOffset(key) ?? 0);
    if (doc && yamlLibrary().isMap(doc.contents)) {
      for (const pair of doc.contents.items) {
        if (yamlLibrary().isScalar(pair.key) && pair.key.value === key && pair.key.range) {
          return split.yamlStart + pair.key.range[0];
        }
      }
    }
    return split.yamlStart;
  };
  const valueNode = (key: string): unknown => {
    if (doc && yamlLibrary().isMap(doc.contents)) {
      for (const pair of doc.contents.items) {
        if (yamlLibrary().isScalar(pair.key) && pair.key.value === key) return pair.value;
      }
    }
    return undefined;
  };
  const fieldProblem = (key: string, code: string, message: string, rejects: boolean): void => {
    if (rejects) chantWouldReject = true;
    const start = keyOffset(key);
    problemAt(start, rejects ? 'error' : 'warning', code, message, start + key.length);
  };

  const rawStatus = frontmatter.status;
  const rawType = frontmatter.type;
  const status = rawStatus === undefined || rawStatus === null ? 'pending' : asText(rawStatus);
  const type = rawType === undefined || rawType === null ? 'code' : asText(rawType);
  const statusKnown = KNOWN_STATUSES.has(status);
  const typeKnown = KNOWN_TYPES.has(type);
  if (!statusKnown) {
    fieldProblem(
      'status',
      'unknown-status',
      `Unknown status '${status}'. chant accepts: ${SPEC_STATUSES.join(', ')}; it hides specs with any other value.`,
      true,
    );
  } else if (status === 'ready') {
    fieldProblem(
      'status',
      'status-ready',
      "status 'ready' is computed by chant and can never be worked; write 'pending' instead.",
      false,
    );
  }
  if (!typeKnown) {
    fieldProblem(
      'type',
      'unknown-type',
      `Unknown type '${type}'. chant v0.23 accepts: ${SPEC_TYPES.join(', ')}; it hides specs with any other value.`,
      true,
    );
  }

  const list = (key: string): string[] => {
    const value = frontmatter[key];
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) {
      const items = fast?.listItems(key);
      if (items) return items;
      const node = valueNode(key);
      if (node !== undefined && yamlLibrary().isSeq(node)) {
        const { isScalar } = yamlLibrary();
        return node.items.filter((item) => !(isScalar(item) && item.value === null)).map((item) => scalarText(item));
      }
      return value.filter((v) => v !== null && v !== undefined).map((v) => asText(v));
    }
    if (key === 'depends_on' && (typeof value === 'string' || typeof value === 'number')) {
      return [String(value)];
    }
    fieldProblem(
      key,
      'scalar-list',
      `'${key}' must be a list (a line '- item' per entry); chant rejects the spec when it is a ${describe(value)}.`,
      true,
    );
    return typeof value === 'string' ? [value] : [];
  };

  // The body as chant sees it starts at bodyStart; lines are counted in the whole file.
  const bodyLine = (lineMap ? lineMap.position(split.bodyStart) : positionAt(text, split.bodyStart)).line;
  const { title, titleLine } = findTitle(split.body, bodyLine);
  const acceptance = summarizeAcceptance(text, split.bodyStart);

  let present = 0;
  for (const key in frontmatter) present |= FIELD_BITS.get(key) ?? 0;
  // Made in specShape.ts, which gives every spec one shape; the registry's fields are set below.
  const spec = makeSpec({
    id: where.id,
    path: where.path,
    archived: where.archived ?? false,
    archiveFolder: where.archiveFolder,
    hasFrontmatter: split.hasFrontmatter,
    frontmatter,
    status,
    type,
    statusKnown,
    typeKnown,
    approval: undefined,
    title,
    titleLine,
    acceptance,
    bodyLine,
    problems,
    chantWouldReject: false,
  });
  const model = spec as unknown as Record<string, unknown>;
  // Fields are still read in the fixed order, so problems are reported in the same order. A list
  // the file lacks (or leaves empty) is the one shared, frozen empty list.
  for (let i = 0; i < LIST_KEYS.length; i++) {
    if ((present & (1 << i)) === 0) continue;
    const items = list(LIST_KEYS[i]);
    const property = LIST_PROPERTY[i];
    if (property !== undefined) model[property] = items.length > 0 ? items : NO_ITEMS;
  }

  const str = (key: string): string | undefined => {
    const value = frontmatter[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') {
      return fast ? fast.scalarSource(key) : scalarText(valueNode(key));
    }
    fieldProblem(key, 'not-a-string', `'${key}' must be a single value, not a ${describe(value)}.`, true);
    return undefined;
  };
  for (let j = 0; j < STRING_FIELDS.length; j++) {
    if ((present & (1 << (LIST_KEYS.length + j))) === 0) continue;
    const value = str(STRING_FIELDS[j]);
    const property = STRING_PROPERTY[j];
    if (property !== undefined) model[property] = value;
  }

  let approval: Approval | undefined;
  const rawApproval = frontmatter.approval;
  if (rawApproval !== undefined && rawApproval !== null) {
    if (isPlainObject(rawApproval)) {
      approval = {
        required: rawApproval.required === true,
        status: rawApproval.status === undefined ? undefined : asText(rawApproval.status),
        by: rawApproval.by === undefined ? undefined : asText(rawApproval.by),
        at: rawApproval.at === undefined ? undefined : asText(rawApproval.at),
      };
    } else {
      fieldProblem('approval', 'bad-approval', "'approval' must be a mapping (required, status, by, at).", true);
    }
  }

  spec.approval = approval;
  spec.chantWouldReject = chantWouldReject;
  if (problems.length === 0) spec.problems = NO_PROBLEMS;
  return spec;
}


/** The Spec property of `LIST_KEYS[i]` and of `STRING_FIELDS[j]`, or undefined when the parser only checks it. */
const LIST_PROPERTY = LIST_KEYS.map((key) => MODEL_LISTS.find(([, k]) => k === key)?.[0]);
const STRING_PROPERTY = STRING_FIELDS.map((key) => MODEL_STRINGS.find(([, k]) => k === key)?.[0]);


/** chant's `extract_title`: the first line whose trimmed text starts with `# ` (not fence-aware). */
function findTitle(body: string, bodyLine: number): { title?: string; titleLine?: number } {
  let line = 0;
  let start = 0;
  while (start <= body.length) {
    let end = body.indexOf('\n', start);
    if (end < 0) end = body.length;
    const trimmed = body.slice(start, end).trim();
    if (trimmed.startsWith('# ')) {
      return { title: detach(trimmed.slice(2)), titleLine: bodyLine + line };
    }
    start = end + 1;
    line++;
  }
  return {};
}

/**
 * The text of a scalar as chant reads it: serde deserializes these fields as strings, so an
 * unquoted `9392e79` (a commit hash) is the string "9392e79", not the float YAML 1.2 would make it.
 */
function scalarText(node: unknown): string {
  if (yamlLibrary().isScalar(node)) {
    if (node.type === 'PLAIN' && typeof node.source === 'string') return node.source;
    return String(node.value);
  }
  return String((node as Node | undefined)?.toJSON?.() ?? node);
}

/**
 * A copy of `text` that does not share memory with the string it was sliced from. V8 keeps a
 * slice's whole parent alive: a title sliced from a file would hold the file's text in the index.
 * Concatenation makes a flat copy when the slice is taken; short strings are copied anyway.
 */
function detach(text: string): string {
  return text.length < 13 ? text : (text + ' ').slice(0, -1);
}

/** `String(value)`, except that a mapping with a `toString` key (valid YAML) cannot make it throw. */
function asText(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (isPlainObject(value)) return 'mapping';
  return typeof value === 'string' ? 'single value' : typeof value;
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}
