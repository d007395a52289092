// Spec ids as chant makes, sorts and resolves them (CHANT-FORMAT §3, §4.2, §4.3).
//
// chant takes any `.md` file stem under `.chant/specs` as an id and never validates it, so nothing
// here may assume an id is well formed: parsers return `undefined` and every helper has an answer
// for odd ids like `001` or `notes`. Where chant's own helpers disagree with each other (the driver
// of a nested member, which member number counts) both behaviours are exported under clear names,
// because the readiness code has to reproduce whichever one chant applies in that place.

/** chant's alphabet for sequences and random suffixes (SRC `id.rs::BASE36_CHARS`). */
const BASE36_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A local id: `YYYY-MM-DD-SSS-RRR` with optional `.N` member levels. */
const LOCAL_ID = /^\d{4}-\d{2}-\d{2}-[0-9a-z]{3,}-[0-9a-z]{3}(?:\.\d+)*$/;

/**
 * The digest's recommended pattern with the optional `repo:` and `project-` prefixes that
 * `SpecId::parse` recognizes. Groups: 1 repo, 2 project, 3 base, 4 member suffix text.
 */
const SPEC_ID = /^(?:([A-Za-z0-9_-]+):)?(?:(.+?)-)?(\d{4}-\d{2}-\d{2}-[0-9a-z]{3,}-[0-9a-z]{3})((?:\.\d+)*)$/;

/**
 * `earlierSiblingIds` lists ids that need not exist. A file named `X.999999999.md` is legal, and
 * the editor must not build a billion strings for it; chant's split makes a handful of members.
 */
export const MAX_LISTED_SIBLINGS = 10_000;

export interface ParsedSpecId {
  /** Cross-repo prefix before the first `:` (`backend:` in `backend:2026-…`). */
  repo?: string;
  /** Project prefix before the date (`auth` in `auth-2026-…`); chant never writes one itself. */
  project?: string;
  /** `YYYY-MM-DD`, the creator's local date. */
  date: string;
  /** The sequence decoded from base36 (`00a` → 10). */
  sequence: number;
  /** The sequence as written (`00a`), at least 3 characters. */
  sequenceText: string;
  /** The 3 random base36 characters. */
  suffix: string;
  /** Member numbers, outermost first: `X.2.10` → `[2, 10]`; `[]` for a driver or plain spec. */
  members: number[];
  /** `YYYY-MM-DD-SSS-RRR`, without prefixes or member suffixes. */
  base: string;
}

/** Splits an id into its parts, or `undefined` when it is not in chant's generated shape. */
export function parseSpecId(id: string): ParsedSpecId | undefined {
  const m = SPEC_ID.exec(id);
  if (!m) {
    return undefined;
  }
  const [, repo, project, base, memberText] = m;
  const date = base.slice(0, 10);
  const rest = base.slice(11);
  const dash = rest.lastIndexOf('-');
  const sequenceText = rest.slice(0, dash);
  const parsed: ParsedSpecId = {
    date,
    sequence: fromBase36(sequenceText)!,
    sequenceText,
    suffix: rest.slice(dash + 1),
    members: memberText ? memberText.slice(1).split('.').map(Number) : [],
    base,
  };
  // Absent prefixes are left out rather than set to undefined, so parsed ids compare cleanly.
  if (repo !== undefined) parsed.repo = repo;
  if (project !== undefined) parsed.project = project;
  return parsed;
}

/** True for a local id in chant's generated shape (no repo or project prefix). */
export function isFullSpecId(s: string): boolean {
  return LOCAL_ID.test(s);
}

/**
 * The ids the extension passes to a program (chant, git, an agent, a shell script): chant's id
 * grammar (CHANT-FORMAT §3), with an optional project prefix made of letters, digits, `_`, `.` and
 * `-` that starts with a letter or digit. chant itself loads any file stem, so a repository can hold
 * `.chant/specs/--chain.md`; that file is indexed with a problem and never run, because an id that
 * starts with `-` would be read as an option, and one with spaces or quotes as shell syntax.
 */
export function isRunnableSpecId(id: string): boolean {
  return RUNNABLE_ID.test(id);
}

const RUNNABLE_ID = /^(?:[A-Za-z0-9][A-Za-z0-9_.-]*-)?\d{4}-\d{2}-\d{2}-[0-9a-z]{3,}-[0-9a-z]{3}(?:\.\d+)*$/;

// ---------------------------------------------------------------------------------------------
// Base36 sequences

/** chant's `format_base36(n, 3)`: 1 → `001`, 10 → `00a`, 36 → `010`; wider values are not cut. */
export function toBase36Sequence(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`A spec sequence must be a non-negative integer, got ${n}`);
  }
  // Number#toString(36) uses the same lower-case 0-9a-z alphabet as chant.
  return n.toString(36).padStart(3, '0');
}

/**
 * Decodes lower-case base36 like chant's `parse_base36`: `undefined` for any other character
 * (upper case included, chant rejects it too) and 0 for the empty string, as chant does.
 */
export function fromBase36(s: string): number | undefined {
  let value = 0;
  for (const c of s) {
    const digit = BASE36_ALPHABET.indexOf(c);
    if (digit < 0) {
      return undefined;
    }
    value = value * 36 + digit;
  }
  return value;
}

/**
 * `parse_base36` as the released chant binary computes it: in u32 arithmetic, which wraps instead
 * of failing for 7 or more digits. Only the next-id rule uses it, so that a stray file such as
 * `<today>-longwordhere-x.md` moves our next sequence exactly as it moves chant's.
 */
function fromBase36U32(s: string): number | undefined {
  let value = 0;
  for (const c of s) {
    const digit = BASE36_ALPHABET.indexOf(c);
    if (digit < 0) {
      return undefined;
    }
    value = (value * 36 + digit) % 0x1_0000_0000;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// New ids

/** `YYYY-MM-DD` of `now` in local time; chant dates ids locally although it stores UTC times. */
export function todayLocal(now: Date): string {
  const y = String(now.getFullYear()).padStart(4, '0');
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/**
 * The id `chant add` would create now (SRC `id.rs::generate_id`).
 *
 * Pass the names (not paths) of the entries at the top level of `.chant/specs` only: chant ignores
 * subfolders and the archive, so archiving today's specs lets a sequence number come back.
 * Uniqueness rests on the random suffix, as it does in chant.
 */
export function nextSpecId(
  existingTopLevelFileNames: readonly string[],
  now: Date,
  random: () => number = Math.random,
): string {
  const date = todayLocal(now);
  let max = 0;
  for (const name of existingTopLevelFileNames) {
    if (!name.startsWith(date) || !name.endsWith('.md')) {
      continue;
    }
    // Rust's trim_end_matches strips every trailing `.md`, not just one.
    let stem = name;
    while (stem.endsWith('.md')) {
      stem = stem.slice(0, -3);
    }
    // Part 4 is the sequence for members too: `…-00a-u8k.1` splits into [.., '00a', 'u8k.1'].
    const parts = stem.split('-');
    if (parts.length < 5) {
      continue;
    }
    const seq = fromBase36U32(parts[3]);
    if (seq !== undefined && seq > max) {
      max = seq;
    }
  }
  let suffix = '';
  for (let i = 0; i < 3; i++) {
    // Clamp, because a custom generator may return exactly 1.
    suffix += BASE36_ALPHABET[Math.min(35, Math.max(0, Math.floor(random() * 36)))];
  }
  return `${date}-${toBase36Sequence(max + 1)}-${suffix}`;
}

// ---------------------------------------------------------------------------------------------
// Sorting

/**
 * Rust compares strings by UTF-8 bytes, i.e. by code point; JavaScript's `<` compares UTF-16 code
 * units, which puts astral characters before U+E000–U+FFFF. Mapping surrogates above the rest of the
 * BMP restores code point order, so odd ids sort as chant sorts them.
 */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800) x += x <= 0xdfff ? 0x2000 : -0x800;
      if (y >= 0xd800) y += y <= 0xdfff ? 0x2000 : -0x800;
      return x < y ? -1 : 1;
    }
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function compareNumberLists(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) {
      return a[i] < b[i] ? -1 : 1;
    }
  }
  // A prefix comes first: a driver before its members, `X.2` before `X.2.1`.
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function compareOptional(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return compareCodePoints(a, b);
}

/** An odd id that still ends in `.N` levels (`001.2`) keeps chant's numeric member order. */
const ODD_MEMBER = /^(.+?)((?:\.\d+)+)$/;

function oddKey(id: string): { driver: string; members: number[] } {
  const m = ODD_MEMBER.exec(id);
  return m ? { driver: m[1], members: m[2].slice(1).split('.').map(Number) } : { driver: id, members: [] };
}

/**
 * Orders ids as chant's `compare_spec_ids` does: date, then sequence as a number, then suffix; a
 * driver before its members; member numbers numerically (`.2` < `.10`).
 *
 * chant's comparator is not a total order (nested members and odd ids can compare equal or even
 * inconsistently), and a tree needs a stable one, so this refines it: all member levels are
 * compared, ids that do not parse come after those that do (odd drivers by plain string, their
 * `.N` members numerically), and the full text breaks any remaining tie.
 */
export function compareSpecIds(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return compareKeyed(a, parsedForCompare(a), b, parsedForCompare(b));
}

/** `compareSpecIds` with both ids already parsed (undefined: the id does not parse). */
function compareKeyed(a: string, pa: ParsedSpecId | undefined, b: string, pb: ParsedSpecId | undefined): number {
  if (pa && pb) {
    return (
      compareCodePoints(pa.date, pb.date) ||
      (pa.sequence === pb.sequence ? 0 : pa.sequence < pb.sequence ? -1 : 1) ||
      compareCodePoints(pa.suffix, pb.suffix) ||
      compareNumberLists(pa.members, pb.members) ||
      compareOptional(pa.repo, pb.repo) ||
      compareOptional(pa.project, pb.project) ||
      compareCodePoints(a, b)
    );
  }
  if (pa) return -1;
  if (pb) return 1;
  const ka = oddKey(a);
  const kb = oddKey(b);
  return (
    compareCodePoints(ka.driver, kb.driver) || compareNumberLists(ka.members, kb.members) || compareCodePoints(a, b)
  );
}

/**
 * `ids` sorted by `compareSpecIds`, each id parsed once: sorting a project's ids compares each
 * ~14 times, and a cache lookup per comparison was most of the sort.
 */
export function sortSpecIds(ids: readonly string[]): string[] {
  const keyed = ids.map((id) => ({ id, parsed: parseSpecId(id) }));
  keyed.sort((x, y) => (x.id === y.id ? 0 : compareKeyed(x.id, x.parsed, y.id, y.parsed)));
  return keyed.map((entry) => entry.id);
}

// Sorting 10,000 ids compares each one ~14 times; parsing it once instead is most of the sort's cost.
// The parsed form is never handed out, so sharing it is safe; the cache is dropped when it grows
// past a few projects' worth of ids.
const compareCache = new Map<string, ParsedSpecId | null>();
function parsedForCompare(id: string): ParsedSpecId | undefined {
  let parsed = compareCache.get(id);
  if (parsed === undefined) {
    if (compareCache.size >= 200_000) compareCache.clear();
    parsed = parseSpecId(id) ?? null;
    compareCache.set(id, parsed);
  }
  return parsed ?? undefined;
}

// ---------------------------------------------------------------------------------------------
// Short-id resolution

export type SpecIdResolution =
  | {
      kind: 'found';
      id: string;
      /** Which of chant's rules matched, for tests and for telling the user what happened. */
      rule: 'exact' | 'suffix' | 'today-sequence' | 'substring';
    }
  | { kind: 'ambiguous'; matches: string[]; /** chant's wording. */ message: string }
  | { kind: 'not-found'; /** chant's wording. */ message: string };

/** UTF-8 length, because chant's "3-character query" test is Rust's byte length. */
function utf8Length(s: string): number {
  let n = 0;
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/**
 * Resolves what a user typed to one active spec id the way chant's `resolve_spec` does, so a
 * command the extension runs picks the same spec the CLI would. Pass active ids only; chant never
 * searches the archive.
 *
 * Rules in order: exact match; a unique id ending with the query; for a 3-character query, a unique
 * id starting with `<today>-<query>-`; a unique id containing the query. Otherwise several ids
 * containing it are ambiguous and none is "not found". Ambiguous matches are listed in spec order
 * (chant lists them in directory order, which means nothing).
 */
export function resolveSpecId(query: string, activeIds: Iterable<string>, now: Date = new Date()): SpecIdResolution {
  const ids = [...new Set(activeIds)];
  if (ids.includes(query)) {
    return { kind: 'found', id: query, rule: 'exact' };
  }
  const suffixMatches = ids.filter((id) => id.endsWith(query));
  if (suffixMatches.length === 1) {
    return { kind: 'found', id: suffixMatches[0], rule: 'suffix' };
  }
  if (utf8Length(query) === 3) {
    const prefix = `${todayLocal(now)}-${query}-`;
    const todayMatches = ids.filter((id) => id.startsWith(prefix));
    if (todayMatches.length === 1) {
      return { kind: 'found', id: todayMatches[0], rule: 'today-sequence' };
    }
  }
  const substringMatches = ids.filter((id) => id.includes(query));
  if (substringMatches.length === 1) {
    return { kind: 'found', id: substringMatches[0], rule: 'substring' };
  }
  if (substringMatches.length > 1) {
    const matches = substringMatches.sort(compareSpecIds);
    return { kind: 'ambiguous', matches, message: `Ambiguous spec ID '${query}'. Matches: ${matches.join(', ')}` };
  }
  return { kind: 'not-found', message: `Spec not found: ${query}` };
}

// ---------------------------------------------------------------------------------------------
// Groups: drivers, members, siblings

/**
 * The driver of a member, as chant's `extract_driver_id` finds it: everything before the FIRST `.`,
 * provided a digit follows it. So `X.2.1` → `X`; `X` and `notes.v2` → `undefined`.
 */
export function driverIdOf(id: string): string | undefined {
  const dot = id.indexOf('.');
  if (dot < 0 || !isAsciiDigit(id.charCodeAt(dot + 1))) {
    return undefined;
  }
  return id.slice(0, dot);
}

/**
 * The nearest spec above a member that `exists`: `X.2` for `X.2.1`, or `X` when `X.2` is gone
 * (chant keeps a member whose intermediate driver was deleted under the next one up).
 */
export function nearestParentId(id: string, exists: (id: string) => boolean): string | undefined {
  for (let up = parentIdOf(id); up !== undefined; up = parentIdOf(up)) if (exists(up)) return up;
  return undefined;
}

/**
 * The immediate parent of a member: everything before the LAST `.`, provided only digits follow.
 * This is what finalize's group auto-complete walks (`X.2.1` → `X.2`); for one level it equals
 * `driverIdOf`.
 */
export function parentIdOf(id: string): string | undefined {
  const dot = id.lastIndexOf('.');
  if (dot < 0 || !/^\d+$/.test(id.slice(dot + 1))) {
    return undefined;
  }
  return id.slice(0, dot);
}

/** chant's `is_member_of`: `memberId` starts with `driverId.` and something follows the dot. Any depth. */
export function isMemberOf(memberId: string, driverId: string): boolean {
  return memberId.length > driverId.length + 1 && memberId.startsWith(`${driverId}.`);
}

/** The last member number (`X.2.10` → 10), or `undefined` when the id does not end in `.N`. */
export function memberNumber(id: string): number | undefined {
  const parent = parentIdOf(id);
  return parent === undefined ? undefined : Number(id.slice(parent.length + 1));
}

/**
 * The member number chant's `extract_member_number` reads: the digits right after the FIRST `.`
 * (`X.2.1` → 2). chant's sequential-sibling rule uses this one together with `driverIdOf`.
 */
export function chantMemberNumber(id: string): number | undefined {
  const dot = id.indexOf('.');
  if (dot < 0) {
    return undefined;
  }
  const digits = /^\d+/.exec(id.slice(dot + 1));
  if (!digits) {
    return undefined;
  }
  const n = Number(digits[0]);
  // chant parses into a u32 and treats an overflow as "not a member".
  return n <= 0xffff_ffff ? n : undefined;
}

function siblingRange(parent: string, below: number): string[] {
  const count = Math.min(below - 1, MAX_LISTED_SIBLINGS);
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    ids.push(`${parent}.${i}`);
  }
  return ids;
}

/**
 * `<parent>.1 … <parent>.(n-1)` for the member `<parent>.n`, whether or not those files exist;
 * `[]` for a non-member or `.1`. Nested members get their own siblings (`X.2.3` → `X.2.1`, `X.2.2`).
 * At most `MAX_LISTED_SIBLINGS` ids are listed; use `isEarlierSiblingOf` to test existing ids instead.
 */
export function earlierSiblingIds(memberId: string): string[] {
  const parent = parentIdOf(memberId);
  const n = memberNumber(memberId);
  return parent === undefined || n === undefined ? [] : siblingRange(parent, n);
}

/** True when `candidateId` is `<parent>.k` with `k < n` for `memberId = <parent>.n`. */
export function isEarlierSiblingOf(candidateId: string, memberId: string): boolean {
  const parent = parentIdOf(memberId);
  const n = memberNumber(memberId);
  if (parent === undefined || n === undefined || parentIdOf(candidateId) !== parent) {
    return false;
  }
  const k = memberNumber(candidateId)!;
  // `.0` and `.01` never appear in the ids chant lists, so do not treat them as siblings.
  return k >= 1 && k < n && candidateId === `${parent}.${k}`;
}

/**
 * The siblings chant itself checks for a member (SRC `spec_group.rs::all_prior_siblings_completed`
 * and the `chant work` gate): `<driver>.1 … <driver>.(n-1)` with the driver cut at the first `.` and
 * `n` the first member number. Equal to `earlierSiblingIds` for one-level members; for `X.2.3` chant
 * checks `X.1`, not `X.2.1` and `X.2.2`. Capped like `earlierSiblingIds`.
 */
export function chantPriorSiblingIds(memberId: string): string[] {
  const driver = driverIdOf(memberId);
  const n = chantMemberNumber(memberId);
  return driver === undefined || n === undefined ? [] : siblingRange(driver, n);
}

/** All members of `driverId` at any depth, as chant's `get_members` finds them, in spec order. */
export function memberIdsOf(driverId: string, ids: Iterable<string>): string[] {
  return [...ids].filter((id) => isMemberOf(id, driverId)).sort(compareSpecIds);
}

/** Members exactly one level below `parentId` (`X.1`, `X.2`, not `X.1.1`), in spec order. */
export function directMemberIds(parentId: string, ids: Iterable<string>): string[] {
  return [...ids].filter((id) => parentIdOf(id) === parentId).sort(compareSpecIds);
}

// ---------------------------------------------------------------------------------------------
// Display

/**
 * The id as a tree shows it under its date: `2026-02-08-001-r4x` → `001-r4x`, `…-001-r4x.2` →
 * `001-r4x.2`. Prefixed and odd ids come back unchanged, since dropping part of them would hide
 * which spec they are.
 */
export function shortSpecId(id: string): string {
  const m = SPEC_ID.exec(id);
  if (!m || m[1] !== undefined || m[2] !== undefined) {
    return id;
  }
  // Keep the member text as written (`.01` stays `.01`) so the short form still names one file.
  return m[3].slice(11) + m[4];
}

function isAsciiDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}
