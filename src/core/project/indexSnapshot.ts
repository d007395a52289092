// The saved index: a compact, versioned, checksummed snapshot of a project's parsed specs, so that
// opening a project again reads only the files that changed since. Each file's entry holds its
// stamp (size, modification and change times, inode) and the parsed spec; an entry is used only
// when the file's stamp on disk is the same, else the file is read and parsed as in a cold load.
// Anything unexpected (wrong magic, format, producer or project, bad checksum, truncation) makes
// the whole snapshot unusable and the index is built cold, then saved again.
//
// Layout: "CHANTIDX" | u32 format | u32 crc32 of the body | u32 body length | body, where body is
// u32 header length | header JSON | chunks. Each part (active specs, archive) has two chunks: its
// entries as JSON, and its folders' listings with their stamps as JSON (see listFolders in
// project.ts: a folder whose stamp is unchanged is not read again).
import { crc32 as zlibCrc32 } from 'node:zlib';
import { MODEL_LISTS, MODEL_STRINGS } from '../spec/fields';
import { makeSpec, NO_ITEMS, NO_PROBLEMS } from '../spec/specShape';
import type { Approval, Spec, SpecProblem } from '../spec/types';
import { isRacy, RACY_WINDOW_MS, type FileStamp } from './fileStamp';
import type { SavedFolder, SpecFileEntry } from './project';

/** Bump on any change to the layout or to what an entry means (including what the parser makes). */
const SNAPSHOT_LAYOUT = 3;
/**
 * The layout, and the frontmatter fields the parser copies into a Spec (fields.ts): a snapshot saved before
 * a field was added or changed in the registry is not read as if it had it.
 */
export const SNAPSHOT_FORMAT = (SNAPSHOT_LAYOUT << 16) | (fnv1a(JSON.stringify([MODEL_LISTS, MODEL_STRINGS])) & 0xffff);
const MAGIC = Buffer.from('CHANTIDX', 'latin1');
const PREFIX = MAGIC.length + 12;

/** A spec with its file's stamp, as the index hands it to `encodeSnapshot`. */
export interface StampedSpec {
  spec: Spec;
  stamp: FileStamp | undefined;
}

/** A listed folder with its stamp (undefined: none was taken), as the index hands it to `encodeSnapshot`. */
export interface StampedFolder {
  dir: string;
  files: readonly string[];
  folders: readonly string[];
  stamp: FileStamp | undefined;
}

/** The undecoded entries and folders of one part; decoded when that part is loaded. */
export interface SnapshotPart {
  entries: Buffer;
  folders: Buffer;
}

export interface IndexSnapshot {
  root: string;
  savedAt: number;
  active: SnapshotPart;
  /** Absent when the archive was never loaded by the session that saved. */
  archive?: SnapshotPart;
}

export interface SnapshotContent {
  root: string;
  /** Who wrote it (the extension's version): a snapshot from another build is not trusted. */
  producer: string;
  /** The root's `.chant` folder: entries are stored relative to it. */
  chantDir: string;
  active: readonly StampedSpec[];
  activeFolders?: readonly StampedFolder[];
  /** Specs of the archive when it was loaded; else the part carried over from the loaded snapshot. */
  archive: readonly StampedSpec[] | SnapshotPart | undefined;
  /** The archive's folders when it was loaded (with a carried-over part, its own are kept). */
  archiveFolders?: readonly StampedFolder[];
  racyWindowMs?: number;
  now?: number;
}

interface Header {
  producer: string;
  root: string;
  savedAt: number;
  parts: Record<'active' | 'archive', { entries: [number, number]; folders: [number, number] } | null>;
}

// Entry layout (one JSON array per file).
const REL = 0;
const SIZE = 1;
const MTIME = 2;
const CTIME = 3;
const INO = 4;
const FLAGS = 5;
const FRONTMATTER = 6;
const TITLE = 7;
const TITLE_LINE = 8;
const BODY_LINE = 9;
const CHECKED = 10;
const TOTAL = 11;
const PROBLEMS = 12;
const OVERRIDES = 13;
type Entry = unknown[];

const HAS_FRONTMATTER = 1;
const STATUS_KNOWN = 2;
const TYPE_KNOWN = 4;
const CHANT_WOULD_REJECT = 8;
const HAS_SECTION = 16;
/** The frontmatter holds numbers JSON cannot (`.inf`, or `9392e79` as YAML reads it: Infinity), boxed. */
const BOXED_NUMBERS = 32;
/** The box: an object no YAML mapping yields, since a key cannot start with a NUL. */
const NUMBER_BOX = '\u0000number';

/** The snapshot's bytes. Specs without a trusted stamp (racy, from an editor buffer) are left out. */
export function encodeSnapshot(content: SnapshotContent): Buffer {
  const now = content.now ?? Date.now();
  const chunks: Buffer[] = [];
  let offset = 0;
  const add = (bytes: Buffer): [number, number] => {
    chunks.push(bytes);
    offset += bytes.length;
    return [offset - bytes.length, bytes.length];
  };
  const window = content.racyWindowMs ?? RACY_WINDOW_MS;
  const encodePart = (
    specs: readonly StampedSpec[] | SnapshotPart | undefined,
    listed: readonly StampedFolder[] | undefined,
  ): Header['parts']['active'] => {
    if (specs === undefined) return null;
    if (!Array.isArray(specs)) {
      const part = specs as SnapshotPart;
      return { entries: add(part.entries), folders: add(part.folders) };
    }
    const folders: unknown[] = [];
    for (const { dir, files, folders: below, stamp } of listed ?? []) {
      if (!stamp || isRacy(stamp, window)) continue;
      if (dir !== content.chantDir && !dir.startsWith(content.chantDir)) continue;
      const rel = dir.slice(content.chantDir.length);
      folders.push([rel, stamp.size, stamp.mtimeMs, stamp.ctimeMs, stamp.ino, files, below]);
    }
    const entries: Entry[] = [];
    for (const { spec, stamp } of specs as readonly StampedSpec[]) {
      if (!stamp || isRacy(stamp, window)) continue;
      if (!spec.path.startsWith(content.chantDir)) continue;
      const entry = encodeSpec(spec, stamp, spec.path.slice(content.chantDir.length + 1));
      if (entry) entries.push(entry);
    }
    return {
      entries: add(Buffer.from(JSON.stringify(entries), 'utf8')),
      folders: add(Buffer.from(JSON.stringify(folders), 'utf8')),
    };
  };
  const parts = {
    active: encodePart(content.active, content.activeFolders),
    archive: encodePart(content.archive, content.archiveFolders),
  };
  const header: Header = { producer: content.producer, root: content.root, savedAt: now, parts };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const headerLength = Buffer.alloc(4);
  headerLength.writeUInt32LE(headerBytes.length);
  // Chunk offsets count from the end of the header.
  const body = Buffer.concat([headerLength, headerBytes, ...chunks]);
  const prefix = Buffer.alloc(PREFIX);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(SNAPSHOT_FORMAT, MAGIC.length);
  prefix.writeUInt32LE(crc32(body), MAGIC.length + 4);
  prefix.writeUInt32LE(body.length, MAGIC.length + 8);
  return Buffer.concat([prefix, body]);
}

/** The snapshot in `bytes` when it is intact, of this format and producer, and of `root`; else undefined. */
export function decodeSnapshot(bytes: Buffer, root: string, producer: string): IndexSnapshot | undefined {
  if (bytes.length < PREFIX + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  if (bytes.readUInt32LE(MAGIC.length) !== SNAPSHOT_FORMAT) return undefined;
  const bodyLength = bytes.readUInt32LE(MAGIC.length + 8);
  if (bodyLength !== bytes.length - PREFIX) return undefined;
  const body = bytes.subarray(PREFIX);
  if (crc32(body) !== bytes.readUInt32LE(MAGIC.length + 4)) return undefined;
  const headerLength = body.readUInt32LE(0);
  if (4 + headerLength > body.length) return undefined;
  let header: Header;
  try {
    header = JSON.parse(body.toString('utf8', 4, 4 + headerLength)) as Header;
  } catch {
    return undefined;
  }
  if (typeof header !== 'object' || header === null || header.producer !== producer || header.root !== root) return undefined;
  const chunks = body.subarray(4 + headerLength);
  const chunk = (range: unknown): Buffer | undefined => {
    if (!Array.isArray(range) || range.length !== 2) return undefined;
    const [start, length] = range as number[];
    if (
      !Number.isInteger(start) ||
      !Number.isInteger(length) ||
      start < 0 ||
      length < 0 ||
      start + length > chunks.length
    )
      return undefined;
    return chunks.subarray(start, start + length);
  };
  const part = (value: unknown): SnapshotPart | undefined | false => {
    if (value === null) return undefined;
    const ranges = value as { entries?: unknown; folders?: unknown } | undefined;
    const entries = chunk(ranges?.entries);
    const folders = chunk(ranges?.folders);
    return entries && folders ? { entries, folders } : false;
  };
  const active = part(header.parts?.active);
  const archive = part(header.parts?.archive);
  if (!active || archive === false || typeof header.savedAt !== 'number') return undefined;
  return { root, savedAt: header.savedAt, active, archive };
}

/**
 * The saved listings of a part's folders, by absolute path below `chantDir`; empty when the chunk
 * is not what this module writes (the folders are then read as in a cold load).
 */
export function savedFolders(part: SnapshotPart, chantDir: string): Map<string, SavedFolder> {
  const out = new Map<string, SavedFolder>();
  let rows: unknown;
  try {
    rows = JSON.parse(part.folders.toString('utf8'));
  } catch {
    return out;
  }
  if (!Array.isArray(rows)) return out;
  const names = (value: unknown): value is string[] =>
    Array.isArray(value) && value.every((name) => typeof name === 'string' && name !== '' && !/[\\/]/.test(name));
  for (const row of rows) {
    if (!Array.isArray(row) || row.length !== 7 || typeof row[0] !== 'string') return new Map();
    const [rel, size, mtimeMs, ctimeMs, ino, files, folders] = row as unknown[];
    if (![size, mtimeMs, ctimeMs, ino].every((n) => typeof n === 'number') || !names(files) || !names(folders)) {
      return new Map();
    }
    out.set(chantDir + (rel as string), {
      files,
      folders,
      stamp: { size: size as number, mtimeMs: mtimeMs as number, ctimeMs: ctimeMs as number, ino: ino as number },
    });
  }
  return out;
}

/** A saved file: opaque to callers, read through `SavedPart`. */
export type SavedFile = { readonly __savedFile: unique symbol };

/** The decoded entries of one part, by path relative to the `.chant` folder. */
export class SavedPart {
  private readonly byPath = new Map<string, Entry>();

  /** Throws on entries this module did not write; the caller then loads the part cold. */
  constructor(part: SnapshotPart) {
    const entries = JSON.parse(part.entries.toString('utf8')) as Entry[];
    if (!Array.isArray(entries)) throw new Error('snapshot entries are not a list');
    for (const entry of entries) {
      if (!Array.isArray(entry) || entry.length !== OVERRIDES + 1 || typeof entry[REL] !== 'string') {
        throw new Error('snapshot entry of an unknown shape');
      }
      this.byPath.set(entry[REL] as string, entry);
    }
  }

  get size(): number {
    return this.byPath.size;
  }

  /** The saved files' paths (relative to the `.chant` folder) in the order they were saved. */
  paths(): IterableIterator<string> {
    return this.byPath.keys();
  }

  get(rel: string): SavedFile | undefined {
    return this.byPath.get(rel) as SavedFile | undefined;
  }

  /** True when the file on disk has the stamp it had when it was saved. */
  isCurrent(saved: SavedFile, stats: { size: number; mtimeMs: number; ctimeMs: number; ino: number }): boolean {
    const entry = saved as unknown as Entry;
    return (
      entry[SIZE] === stats.size &&
      entry[MTIME] === stats.mtimeMs &&
      entry[CTIME] === stats.ctimeMs &&
      entry[INO] === stats.ino
    );
  }

  /** The saved stamp; it was trusted when saved and is still current, so it stays trusted. */
  stampOf(saved: SavedFile): FileStamp {
    const entry = saved as unknown as Entry;
    return {
      size: entry[SIZE] as number,
      mtimeMs: entry[MTIME] as number,
      ctimeMs: entry[CTIME] as number,
      ino: entry[INO] as number,
      seenAt: Infinity,
    };
  }

  restore(saved: SavedFile, location: SpecFileEntry): Spec {
    return restoreSpec(saved as unknown as Entry, location);
  }
}

function restoreSpec(entry: Entry, location: SpecFileEntry): Spec {
  const flags = entry[FLAGS] as number;
  const frontmatter = (flags & BOXED_NUMBERS ? unboxNumbers(entry[FRONTMATTER]) : entry[FRONTMATTER]) as Record<
    string,
    unknown
  >;
  const overrides = (entry[OVERRIDES] || undefined) as Record<string, unknown> | undefined;
  const titleLine = entry[TITLE_LINE] as number;
  const problems = entry[PROBLEMS] as unknown[][] | 0;
  const spec = makeSpec({
    id: location.id,
    path: location.path,
    archived: location.archived,
    archiveFolder: location.archiveFolder,
    hasFrontmatter: (flags & HAS_FRONTMATTER) !== 0,
    frontmatter,
    status: textOr(frontmatter.status, 'pending'),
    type: textOr(frontmatter.type, 'code'),
    statusKnown: (flags & STATUS_KNOWN) !== 0,
    typeKnown: (flags & TYPE_KNOWN) !== 0,
    approval: undefined,
    title: (entry[TITLE] as string | null) ?? undefined,
    titleLine: titleLine < 0 ? undefined : titleLine,
    acceptance: {
      hasSection: (flags & HAS_SECTION) !== 0,
      checked: entry[CHECKED] as number,
      unchecked: (entry[TOTAL] as number) - (entry[CHECKED] as number),
      total: entry[TOTAL] as number,
    },
    bodyLine: entry[BODY_LINE] as number,
    problems: problems ? problems.map(problemFrom) : NO_PROBLEMS,
    chantWouldReject: (flags & CHANT_WOULD_REJECT) !== 0,
  });
  setModelFields(spec, frontmatter);
  if (overrides) {
    for (const key of Object.keys(overrides)) {
      if (key === 'approval') spec.approval = approvalFrom(overrides.approval as unknown[]);
      else (spec as unknown as Record<string, unknown>)[key] = overrides[key] === null ? undefined : overrides[key];
    }
  }
  return spec;
}

/**
 * One entry, or undefined when the spec cannot be saved exactly (a frontmatter JSON cannot hold,
 * such as `.inf`). Fields the restore derives from the frontmatter are written only where the
 * parser made something else of them (a number in a list, a non-string status).
 */
function encodeSpec(
  spec: Spec,
  stamp: FileStamp,
  rel: string,
): Entry | undefined {
  const fm = spec.frontmatter;
  let savedFrontmatter: unknown = fm;
  let boxed = false;
  if (!isJsonSafe(fm)) {
    const boxes = new WeakSet<object>();
    savedFrontmatter = boxNumbers(fm, boxes);
    boxed = true;
    if (!isJsonSafe(savedFrontmatter, boxes)) return undefined;
  }
  const overrides: Record<string, unknown> = {};
  if (spec.status !== textOr(fm.status, 'pending')) overrides.status = spec.status;
  if (spec.type !== textOr(fm.type, 'code')) overrides.type = spec.type;
  const model = spec as unknown as Record<string, unknown>;
  for (const [field, key] of MODEL_LISTS) {
    if (!sameStrings(model[field] as string[], listOf(fm[key]))) overrides[field] = model[field];
  }
  for (const [field, key] of MODEL_STRINGS) {
    if (model[field] !== stringOf(fm[key])) overrides[field] = model[field] ?? null;
  }
  if (spec.approval) overrides.approval = approvalTo(spec.approval);
  if (!isJsonSafe(overrides)) return undefined;
  const flags =
    (spec.hasFrontmatter ? HAS_FRONTMATTER : 0) |
    (spec.statusKnown ? STATUS_KNOWN : 0) |
    (spec.typeKnown ? TYPE_KNOWN : 0) |
    (spec.chantWouldReject ? CHANT_WOULD_REJECT : 0) |
    (spec.acceptance.hasSection ? HAS_SECTION : 0) |
    (boxed ? BOXED_NUMBERS : 0);
  const entry: Entry = [
    rel,
    stamp.size,
    stamp.mtimeMs,
    stamp.ctimeMs,
    stamp.ino,
    flags,
    savedFrontmatter,
    spec.title ?? null,
    spec.titleLine ?? -1,
    spec.bodyLine,
    spec.acceptance.checked,
    spec.acceptance.total,
    spec.problems.length > 0 ? spec.problems.map(problemTo) : 0,
    Object.keys(overrides).length > 0 ? overrides : 0,
  ];
  return entry;
}

/** The parser's reading of `status` and `type`: the value as text, the default when missing. */
function textOr(value: unknown, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') return value;
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Sets the registry's list and string properties as the parser makes them from a frontmatter of plain strings. */
function setModelFields(spec: Spec, frontmatter: Record<string, unknown>): void {
  const model = spec as unknown as Record<string, unknown>;
  for (const [field, key] of MODEL_LISTS) {
    const value = frontmatter[key];
    // The frontmatter's own array, as the parser shares a list of strings (a list it read otherwise
    // is saved as an override and set below).
    if (Array.isArray(value) && value.length > 0) model[field] = value as string[];
  }
  for (const [field, key] of MODEL_STRINGS) {
    const value = frontmatter[key];
    if (typeof value === 'string') model[field] = value;
  }
}

function listOf(value: unknown): readonly string[] {
  return Array.isArray(value) ? (value as string[]) : NO_ITEMS;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function sameStrings(a: readonly string[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

function problemTo(p: SpecProblem): unknown[] {
  return [p.severity, p.code, p.message, p.line, p.column, p.endLine ?? null, p.endColumn ?? null];
}

function problemFrom(t: unknown[]): SpecProblem {
  return {
    severity: t[0] as SpecProblem['severity'],
    code: t[1] as string,
    message: t[2] as string,
    line: t[3] as number,
    column: t[4] as number,
    endLine: (t[5] as number | null) ?? undefined,
    endColumn: (t[6] as number | null) ?? undefined,
  };
}

function approvalTo(a: Approval): unknown[] {
  return [a.required ?? null, a.status ?? null, a.by ?? null, a.at ?? null];
}

function approvalFrom(t: unknown[]): Approval {
  return {
    required: (t[0] as boolean | null) ?? undefined,
    status: (t[1] as string | null) ?? undefined,
    by: (t[2] as string | null) ?? undefined,
    at: (t[3] as string | null) ?? undefined,
  };
}

/** A copy of `value` with each number JSON cannot hold (non-finite, -0) in a box; other values as they are. */
function boxNumbers(value: unknown, boxes: WeakSet<object>): unknown {
  if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0))) {
    const box = { [NUMBER_BOX]: Object.is(value, -0) ? '-0' : String(value) };
    boxes.add(box);
    return box;
  }
  if (Array.isArray(value)) return value.map((item) => boxNumbers(item, boxes));
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = boxNumbers((value as Record<string, unknown>)[key], boxes);
    return out;
  }
  return value;
}

function unboxNumbers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unboxNumbers);
  if (typeof value === 'object' && value !== null) {
    const box = (value as Record<string, unknown>)[NUMBER_BOX];
    if (typeof box === 'string') return box === '-0' ? -0 : Number(box);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = unboxNumbers((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/**
 * True for values JSON gives back exactly: plain objects, dense arrays, strings, finite numbers
 * (not -0), booleans, null; and the number boxes in `boxes`, which alone may use the box's key.
 */
function isJsonSafe(value: unknown, boxes?: WeakSet<object>): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!(i in value) || !isJsonSafe(value[i], boxes)) return false;
        return true;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      if (boxes?.has(value)) return true;
      for (const key of Object.keys(value)) {
        if (key === '__proto__' || key === NUMBER_BOX || !isJsonSafe((value as Record<string, unknown>)[key], boxes)) return false;
      }
      return Object.getOwnPropertySymbols(value).length === 0;
    }
    default:
      return false;
  }
}

/** FNV-1a of a string's UTF-16 units (a function declaration: SNAPSHOT_FORMAT needs it while the module loads). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** CRC-32 (IEEE), from zlib where Node has it (20.15 and later), else computed here. */
export function crc32(bytes: Uint8Array): number {
  return typeof zlibCrc32 === 'function' ? zlibCrc32(bytes) >>> 0 : crc32Js(bytes);
}

let table: Uint32Array | undefined;
export function crc32Js(bytes: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
