// Readiness as chant computes it (CHANT-FORMAT §2.3, §4). chant has two different answers to "can
// this spec run?": `is_ready` (list --ready, status, chain and parallel selection) and the stricter
// gate of `chant work` (`get_blocking_dependencies`). Both are reproduced rule for rule, and the
// places where they disagree are reported instead of being papered over.
//
// Every function takes the ACTIVE specs by id. A spec chant cannot load (`chantWouldReject`) does
// not exist as far as chant is concerned, so it is treated as missing wherever another spec looks
// it up (a dependency, a driver, a sibling).
import * as l10n from '@vscode/l10n';
import { chantPriorSiblingIds, compareSpecIds, driverIdOf, isFullSpecId, isMemberOf } from '../spec/ids';
import type { Spec, SpecMap } from '../spec/types';

export type { SpecMap };

export type BlockerKind =
  | 'dependency-missing'
  | 'dependency-unmet'
  | 'driver-dependency-unmet'
  | 'approval'
  | 'sibling'
  | 'members-incomplete';

export interface Blocker {
  kind: BlockerKind;
  /** The spec that blocks (the dependency, sibling or member); absent for approval. */
  id?: string;
  /** Its effective status; absent when it does not exist. */
  status?: string;
  message: string;
}

export interface Readiness {
  /** The status to show: on-disk `blocked` normalized, then `blocked` again when chant would say so. */
  effective: string;
  /** chant's `is_ready` (§4.2): `list --ready`, `--chain` and `--parallel` would pick it up. */
  ready: boolean;
  /** True when the effective status is `blocked` (a pending spec that `is_blocked`, §4.1). */
  blocked: boolean;
  /** Why the spec is not ready: the §4.1 blocking reasons plus the §4.2 sibling and member rules. */
  blockers: Blocker[];
  /** What `chant work <id>` would refuse it for (§4.3); `--skip-deps` bypasses these. */
  workBlockers: Blocker[];
  /** Set when `ready` but `chant work` would refuse: "ready (work will refuse: sibling X.1 incomplete)". */
  disagreement?: string;
  /** chant fails to load the file, hides it from every list and can never run it. */
  chantCannotLoad: boolean;
}

/**
 * Lookups that otherwise cost a scan of every spec. Without one, `membersOf` and `dependentsOf`
 * scan the map; with one, readiness for a whole project stays linear. `RelationIndex` is a ready
 * implementation that can be built once or kept current as specs come and go.
 */
export interface SpecRelations {
  /** Ids of active specs that are members of `driverId` at any depth, in `compareSpecIds` order. */
  membersOf(driverId: string): readonly string[];
  /** Ids of active specs whose `depends_on` names `id`, in `compareSpecIds` order. */
  dependentsOf(id: string): readonly string[];
}

const BLOCKING_KINDS = new Set<BlockerKind>(['dependency-missing', 'dependency-unmet', 'driver-dependency-unmet', 'approval']);

// ---------------------------------------------------------------------------------------------
// Status

/**
 * chant's `apply_blocked_status` (§2.3): on-disk `blocked` counts as `pending`, and a pending spec
 * that `is_blocked` shows as `blocked`. Unknown statuses are returned as written.
 */
export function effectiveStatus(spec: Spec, specs: SpecMap): string {
  if (!spec.statusKnown) return spec.status;
  const status = normalizedStatus(spec);
  return status === 'pending' && isBlocked(spec, specs) ? 'blocked' : status;
}

/** The status with on-disk `blocked` read as `pending`, which is what chant recomputes from. */
export function normalizedStatus(spec: Spec): string {
  return spec.status === 'blocked' ? 'pending' : spec.status;
}

// ---------------------------------------------------------------------------------------------
// §4.1 is_blocked

/**
 * chant's `is_blocked` (§4.1): a `depends_on` entry is missing (archived counts as missing) or
 * neither completed nor cancelled; or, for a member, one of its driver's `depends_on` entries is
 * unmet (entries that are members of that driver are skipped); or the spec is pending and needs
 * an approval it does not have. Specs with an unknown status are never blocked.
 */
export function isBlocked(spec: Spec, specs: SpecMap): boolean {
  if (!spec.statusKnown) return false;
  return blockingReasons(spec, specs, true).length > 0;
}

/**
 * Everything that keeps the spec from being ready, in chant's order of checks: its dependencies,
 * its driver's dependencies, approval, then the sequential sibling rule and (for a driver with its
 * own acceptance criteria) its incomplete members. Status itself is not a blocker. The §4.1 reasons
 * are listed whatever the status; the sibling and member rules only matter for a spec that could be
 * ready, so they are listed for pending and failed specs only. An unknown status gets no reasons.
 */
export function blockers(spec: Spec, specs: SpecMap, relations?: SpecRelations): Blocker[] {
  if (!spec.statusKnown) return [];
  const list = blockingReasons(spec, specs, false);
  const status = normalizedStatus(spec);
  if (status === 'pending' || status === 'failed') {
    list.push(...siblingReasons(spec, specs));
    list.push(...memberReasons(spec, specs, relations));
  }
  return list;
}

/**
 * With `firstOnly` this is a yes/no check that stops at the first reason and leaves out the
 * dependency's status: quoting a status means asking whether THAT spec is blocked, which must go
 * one level deep only, never down a chain (or round a cycle) of dependencies.
 */
function blockingReasons(spec: Spec, specs: SpecMap, firstOnly: boolean): Blocker[] {
  const list: Blocker[] = [];
  const statusOf = (target: Spec): string => (firstOnly ? target.status : effectiveStatus(target, specs));
  for (const dep of spec.dependsOn) {
    const target = loadable(specs, dep);
    if (!target) {
      list.push({ kind: 'dependency-missing', id: dep, message: missingMessage(dep, specs) });
    } else if (target.status !== 'completed' && target.status !== 'cancelled') {
      const status = statusOf(target);
      list.push({ kind: 'dependency-unmet', id: dep, status, message: l10n.t('depends on {0} ({1})', dep, status) });
    }
    if (firstOnly && list.length > 0) return list;
  }

  const driverId = driverIdOf(spec.id);
  const driver = driverId === undefined ? undefined : loadable(specs, driverId);
  if (driverId !== undefined && driver) {
    for (const dep of driver.dependsOn) {
      // `chant split` makes the driver depend on its own members; those must not block them.
      if (isMemberOf(dep, driverId)) continue;
      const target = loadable(specs, dep);
      if (!target) {
        list.push({
          kind: 'driver-dependency-unmet',
          id: dep,
          message: missingMessage(dep, specs, driverId),
        });
      } else if (target.status !== 'completed' && target.status !== 'cancelled') {
        const status = statusOf(target);
        list.push({
          kind: 'driver-dependency-unmet',
          id: dep,
          status,
          message: l10n.t('driver {0} depends on {1} ({2})', driverId, dep, status),
        });
      }
      if (firstOnly && list.length > 0) return list;
    }
  }

  if (normalizedStatus(spec) === 'pending' && requiresApproval(spec)) {
    const rejected = spec.approval?.status === 'rejected';
    list.push({
      kind: 'approval',
      message: rejected ? l10n.t('needs approval (it was rejected)') : l10n.t('needs approval'),
    });
  }
  return list;
}

/** chant's `requires_approval`: `approval.required` and a status other than `approved`. */
export function requiresApproval(spec: Spec): boolean {
  return spec.approval?.required === true && spec.approval.status !== 'approved';
}

// ---------------------------------------------------------------------------------------------
// §4.2 is_ready

/**
 * chant's `is_ready` (§4.2): status `pending` or `failed` after normalization; not blocked; for a
 * member WITHOUT a `depends_on` key, every existing earlier sibling completed or cancelled (missing
 * ones are ignored, and `depends_on: []` opts out); for a spec with members and its own acceptance
 * criteria, every member completed.
 */
export function isReady(spec: Spec, specs: SpecMap, relations?: SpecRelations): boolean {
  if (!spec.statusKnown || spec.chantWouldReject) return false;
  const status = normalizedStatus(spec);
  if (status !== 'pending' && status !== 'failed') return false;
  if (isBlocked(spec, specs)) return false;
  if (siblingReasons(spec, specs, true).length > 0) return false;
  return memberReasons(spec, specs, relations, true).length === 0;
}

/** `chant list --ready` and MCP `chant_ready`: `isReady`, with `type: group` hidden. */
export function isReadyForList(spec: Spec, specs: SpecMap, relations?: SpecRelations): boolean {
  return spec.type !== 'group' && isReady(spec, specs, relations);
}

/**
 * chant asks "does the member have a `depends_on`?" of its deserialized frontmatter, where a key
 * with no value (`depends_on:`) reads as absent and `depends_on: []` as present.
 */
export function hasDependsOnKey(spec: Spec): boolean {
  return 'depends_on' in spec.frontmatter && spec.frontmatter.depends_on !== null && spec.frontmatter.depends_on !== undefined;
}

function siblingReasons(spec: Spec, specs: SpecMap, firstOnly = false): Blocker[] {
  if (hasDependsOnKey(spec)) return [];
  const list: Blocker[] = [];
  for (const siblingId of chantPriorSiblingIds(spec.id)) {
    const sibling = loadable(specs, siblingId);
    // Missing siblings are skipped here (chant: "don't block on deleted/nonexistent specs").
    if (!sibling || sibling.status === 'completed' || sibling.status === 'cancelled') continue;
    const status = effectiveStatus(sibling, specs);
    list.push({ kind: 'sibling', id: siblingId, status, message: l10n.t('earlier sibling {0} is {1}', siblingId, status) });
    if (firstOnly) break;
  }
  return list;
}

function memberReasons(spec: Spec, specs: SpecMap, relations: SpecRelations | undefined, firstOnly = false): Blocker[] {
  // chant looks for members only to apply this rule, and only when the spec has criteria itself.
  if (spec.acceptance.total === 0) return [];
  const list: Blocker[] = [];
  // The relation index's own sorted list, read in place (membersOf would copy it).
  for (const memberId of relations ? relations.membersOf(spec.id) : membersOf(spec.id, specs)) {
    const member = loadable(specs, memberId);
    // Unlike the sibling rule, a cancelled member keeps a driver with criteria from being ready.
    if (!member || member.status === 'completed') continue;
    const status = effectiveStatus(member, specs);
    list.push({
      kind: 'members-incomplete',
      id: memberId,
      status,
      message: l10n.t('member {0} is {1} (a driver with its own acceptance criteria waits for every member)', memberId, status),
    });
    if (firstOnly) break;
  }
  return list;
}

// ---------------------------------------------------------------------------------------------
// §4.3 the `chant work` gate

/**
 * chant's `get_blocking_dependencies` (§4.3), the check `chant work` makes before it starts: every
 * dependency that is not `completed` (cancelled ones block here) or is missing, and for a member
 * every earlier sibling that is not completed, missing ones included, even with an explicit
 * `depends_on`. chant refuses with "Spec '<id>' is blocked by dependencies: a, b".
 */
export function workGate(spec: Spec, specs: SpecMap): Blocker[] {
  const list: Blocker[] = [];
  for (const dep of spec.dependsOn) {
    const target = loadable(specs, dep);
    if (!target) {
      list.push({ kind: 'dependency-missing', id: dep, message: missingMessage(dep, specs) });
    } else if (target.status !== 'completed') {
      const status = effectiveStatus(target, specs);
      const message = status === 'cancelled' ? l10n.t('depends on {0} (cancelled; chant work needs it completed)', dep) : l10n.t('depends on {0} ({1})', dep, status);
      list.push({ kind: 'dependency-unmet', id: dep, status, message });
    }
  }
  for (const siblingId of chantPriorSiblingIds(spec.id)) {
    const sibling = loadable(specs, siblingId);
    if (!sibling) {
      list.push({ kind: 'sibling', id: siblingId, message: l10n.t('earlier sibling {0} does not exist', siblingId) });
    } else if (sibling.status !== 'completed') {
      const status = effectiveStatus(sibling, specs);
      list.push({ kind: 'sibling', id: siblingId, status, message: l10n.t('earlier sibling {0} is {1}', siblingId, status) });
    }
  }
  return list;
}

// ---------------------------------------------------------------------------------------------
// Everything at once

/** Status, readiness, reasons and the `chant work` verdict for one spec. */
export function readinessOf(spec: Spec, specs: SpecMap, relations?: SpecRelations): Readiness {
  const chantCannotLoad = spec.chantWouldReject;
  if (!spec.statusKnown) {
    // Shown as written: chant drops the file, so nothing it computes applies.
    return { effective: spec.status, ready: false, blocked: false, blockers: [], workBlockers: [], chantCannotLoad };
  }
  const list = blockers(spec, specs, relations);
  const blocked = list.some((b) => BLOCKING_KINDS.has(b.kind));
  const status = normalizedStatus(spec);
  const effective = status === 'pending' && blocked ? 'blocked' : status;
  const ready = !chantCannotLoad && (status === 'pending' || status === 'failed') && list.length === 0;
  const workBlockers = workGate(spec, specs);
  // Most specs have nothing in their way (finished work above all): they share one frozen answer
  // per status, instead of keeping an object and two empty lists each in the index's cache.
  if (list.length === 0 && workBlockers.length === 0) return unblocked(effective, ready, chantCannotLoad);
  const readiness: Readiness = {
    effective,
    ready,
    blocked: effective === 'blocked',
    blockers: list,
    workBlockers,
    chantCannotLoad,
  };
  if (ready && workBlockers.length > 0) {
    readiness.disagreement = l10n.t('ready (work will refuse: {0})', workBlockers.map(shortReason).join('; '));
  }
  return readiness;
}

/** By effective status, the four answers for ready and chantCannotLoad (index: ready + 2 × cannot load). */
const unblockedAnswers = new Map<string, Readiness[]>();
/** The shared, frozen readiness of a spec with no blockers of either kind. */
function unblocked(effective: string, ready: boolean, cannotLoad: boolean): Readiness {
  let answers = unblockedAnswers.get(effective);
  if (!answers) {
    // Known statuses only reach here, so the map stays a few entries long.
    answers = [false, true, false, true].map((r, i) => {
      const none: Blocker[] = Object.freeze([]) as unknown as Blocker[];
      const chantCannotLoad = i > 1;
      const answer = { effective, ready: r, blocked: false, blockers: none, workBlockers: none, chantCannotLoad };
      return Object.freeze(answer);
    });
    unblockedAnswers.set(effective, answers);
  }
  return answers[(ready ? 1 : 0) + (cannotLoad ? 2 : 0)];
}

/**
 * What the Specs view's groups, counts and badge read of a spec's readiness: its effective status
 * and whether it is ready. `readinessOf` gives the same two values (a unit test holds them equal);
 * this answers with yes/no checks that stop at the first reason, formats no message and skips the
 * `chant work` gate, so the index can have it for every spec on open and keep the full readiness for
 * the specs that are shown.
 */
export type Verdict = Pick<Readiness, 'effective' | 'ready'>;

const verdicts = new Map<string, Verdict[]>();
/** The shared, frozen verdict for a status and readiness. */
function verdict(effective: string, ready: boolean): Verdict {
  let pair = verdicts.get(effective);
  if (!pair) {
    pair = [Object.freeze({ effective, ready: false }), Object.freeze({ effective, ready: true })];
    // Effective statuses are the known ones and whatever unknown words the project's files hold.
    if (verdicts.size < 1000) verdicts.set(effective, pair);
  }
  return pair[ready ? 1 : 0];
}

export function verdictOf(spec: Spec, specs: SpecMap, relations?: SpecRelations): Verdict {
  if (!spec.statusKnown) return verdict(spec.status, false);
  const status = normalizedStatus(spec);
  const blocked = blockingReasons(spec, specs, true).length > 0;
  if (status === 'pending' && blocked) return verdict('blocked', false);
  const ready =
    !blocked &&
    !spec.chantWouldReject &&
    (status === 'pending' || status === 'failed') &&
    siblingReasons(spec, specs, true).length === 0 &&
    memberReasons(spec, specs, relations, true).length === 0;
  return verdict(status, ready);
}

/**
 * Whether a spec shows as ready (the Specs view's state and badge): chant's `is_ready` for an active
 * spec that chant can load, except a failed one, which shows as failed.
 */
export function isShownReady(spec: Spec, readiness: Verdict | undefined): boolean {
  return !spec.chantWouldReject && !spec.archived && readiness?.ready === true && spec.status !== 'failed';
}

/** Readiness for every spec, sharing one `RelationIndex` so a large project stays linear. */
export function readinessOfAll(specs: SpecMap, relations?: SpecRelations): Map<string, Readiness> {
  const rel = relations ?? RelationIndex.build(specs);
  const result = new Map<string, Readiness>();
  for (const spec of specs.values()) result.set(spec.id, readinessOf(spec, specs, rel));
  return result;
}

function shortReason(blocker: Blocker): string {
  if (blocker.kind === 'sibling') {
    return blocker.status === undefined ? l10n.t('sibling {0} missing', blocker.id ?? '') : l10n.t('sibling {0} incomplete', blocker.id ?? '');
  }
  return blocker.status === undefined ? l10n.t('dependency {0} missing', blocker.id ?? '') : l10n.t('dependency {0} {1}', blocker.id ?? '', blocker.status);
}

// ---------------------------------------------------------------------------------------------
// Drivers and members

/**
 * Members of `driverId` at any depth (`X.1`, `X.2`, `X.2.1`), in `compareSpecIds` order. Membership
 * comes from the id alone (chant's `is_member_of`), never from the `members` field.
 */
export function membersOf(driverId: string, specs: SpecMap, relations?: SpecRelations): string[] {
  if (relations) return [...relations.membersOf(driverId)];
  const ids: string[] = [];
  for (const id of specs.keys()) if (isMemberOf(id, driverId)) ids.push(id);
  return ids.sort(compareSpecIds);
}

/** What `chant work <id>` treats as a driver: `type` driver or group, or a spec that has members. */
export function isDriver(spec: Spec, specs: SpecMap, relations?: SpecRelations): boolean {
  if (spec.type === 'driver' || spec.type === 'group') return true;
  if (relations) return relations.membersOf(spec.id).length > 0;
  for (const id of specs.keys()) if (isMemberOf(id, spec.id)) return true;
  return false;
}

/**
 * The missing driver of an orphaned member (chant warns "Orphaned member spec <id> — driver <d>
 * not found"), or undefined. Like chant, only the top driver (cut at the first `.`) counts.
 */
export function orphanDriverId(spec: Spec, specs: SpecMap): string | undefined {
  const driverId = driverIdOf(spec.id);
  return driverId !== undefined && !loadable(specs, driverId) ? driverId : undefined;
}

// ---------------------------------------------------------------------------------------------
// Dependents

/** Active specs whose `depends_on` names `id` (which need not exist), in `compareSpecIds` order. */
export function dependentsOf(id: string, specs: SpecMap, relations?: SpecRelations): string[] {
  if (relations) return [...relations.dependentsOf(id)];
  const ids: string[] = [];
  for (const spec of specs.values()) if (spec.dependsOn.includes(id)) ids.push(spec.id);
  return ids.sort(compareSpecIds);
}

/**
 * Ids whose readiness, effective status or blocker messages may change when `id` is added, edited
 * or removed (including `id`). First the specs whose effective status can change: `id`, its
 * dependents, the members of those dependents (driver rule) and its own members. Then everything
 * that reads one of those: their dependents and those dependents' members (messages quote the
 * status), their drivers at every level and those drivers' members (sibling and member rules).
 */
export function readinessAffectedBy(id: string, specs: SpecMap, relations?: SpecRelations): string[] {
  const rel = relations ?? RelationIndex.build(specs);
  const changed = new Set<string>([id, ...rel.membersOf(id)]);
  for (const dependent of rel.dependentsOf(id)) {
    changed.add(dependent);
    for (const member of rel.membersOf(dependent)) changed.add(member);
  }
  const affected = new Set<string>(changed);
  const addWithMembers = (other: string): void => {
    affected.add(other);
    for (const member of rel.membersOf(other)) affected.add(member);
  };
  for (const each of changed) {
    for (const dependent of rel.dependentsOf(each)) addWithMembers(dependent);
    // Every dotted prefix is a possible driver: `X.2.1` touches `X.2` and `X`, and their members.
    for (let dot = each.indexOf('.'); dot > 0; dot = each.indexOf('.', dot + 1)) addWithMembers(each.slice(0, dot));
  }
  // `id` stays even when it was just removed, so the caller can drop it; other ids must exist.
  return [...affected].filter((other) => other === id || specs.has(other)).sort(compareSpecIds);
}

// ---------------------------------------------------------------------------------------------
// RelationIndex

/**
 * Member and dependent lookups for a set of specs. Build it once for a snapshot, or keep it in step
 * with an index by calling `add` and `remove` as specs change (an edit is remove-then-add).
 */
export class RelationIndex implements SpecRelations {
  private readonly members = new Map<string, Set<string>>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly sortedCache = new Map<string, readonly string[]>();

  static build(specs: SpecMap): RelationIndex {
    const index = new RelationIndex();
    for (const spec of specs.values()) index.add(spec);
    return index;
  }

  // A load adds every spec once: ids without a dot have no driver, and the link itself repeats
  // nothing (a Set), so no prefix list or de-duplicating Set is built for them.
  add(spec: Pick<Spec, 'id' | 'dependsOn'>): void {
    if (spec.id.includes('.')) for (const prefix of memberPrefixes(spec.id)) this.link(this.members, 'm:', prefix, spec.id);
    for (const dep of spec.dependsOn) this.link(this.dependents, 'd:', dep, spec.id);
  }

  remove(spec: Pick<Spec, 'id' | 'dependsOn'>): void {
    for (const prefix of memberPrefixes(spec.id)) this.unlink(this.members, 'm:', prefix, spec.id);
    for (const dep of new Set(spec.dependsOn)) this.unlink(this.dependents, 'd:', dep, spec.id);
  }

  // Most ids have no members and no dependents: they get the shared empty list straight away,
  // without a cache key or a cache entry (readiness asks this of every spec with criteria).
  membersOf(driverId: string): readonly string[] {
    return this.members.has(driverId) ? this.sorted(this.members, `m:${driverId}`, driverId) : NO_IDS;
  }

  dependentsOf(id: string): readonly string[] {
    return this.dependents.has(id) ? this.sorted(this.dependents, `d:${id}`, id) : NO_IDS;
  }

  private link(map: Map<string, Set<string>>, kind: 'm:' | 'd:', key: string, id: string): void {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(id);
    // While the index loads nothing is cached yet: skip building the key.
    if (this.sortedCache.size > 0) this.sortedCache.delete(kind + key);
  }

  private unlink(map: Map<string, Set<string>>, kind: 'm:' | 'd:', key: string, id: string): void {
    const set = map.get(key);
    if (!set) return;
    set.delete(id);
    if (set.size === 0) map.delete(key);
    if (this.sortedCache.size > 0) this.sortedCache.delete(kind + key);
  }

  private sorted(map: Map<string, Set<string>>, cacheKey: string, key: string): readonly string[] {
    let list = this.sortedCache.get(cacheKey);
    if (!list) {
      const set = map.get(key);
      list = set === undefined ? NO_IDS : Object.freeze([...set].sort(compareSpecIds));
      this.sortedCache.set(cacheKey, list);
    }
    return list;
  }
}

const NO_IDS: readonly string[] = Object.freeze([]);

/** Every driver `id` is a member of under `is_member_of`: the text before each `.` that has text after it. */
function memberPrefixes(id: string): string[] {
  const prefixes: string[] = [];
  for (let dot = id.indexOf('.'); dot >= 0 && dot < id.length - 1; dot = id.indexOf('.', dot + 1)) {
    prefixes.push(id.slice(0, dot));
  }
  return prefixes;
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** The spec as chant sees it: absent when there is no file or chant would fail to load it. */
function loadable(specs: SpecMap, id: string): Spec | undefined {
  const spec = specs.get(id);
  return spec && !spec.chantWouldReject ? spec : undefined;
}

/** "X, which does not exist (…)" with a hint that fits the likely mistake. */
/** Why a dependency (of the spec, or of its driver) cannot be met: it does not load or does not exist. */
function missingMessage(dep: string, specs: SpecMap, driverId?: string): string {
  if (specs.get(dep)) {
    return driverId === undefined
      ? l10n.t('depends on {0}, which chant cannot load (fix the problems in that file)', dep)
      : l10n.t('driver {0} depends on {1}, which chant cannot load (fix the problems in that file)', driverId, dep);
  }
  if (isFullSpecId(dep)) {
    return driverId === undefined
      ? l10n.t('depends on {0}, which does not exist (it may have been archived or deleted)', dep)
      : l10n.t('driver {0} depends on {1}, which does not exist (it may have been archived or deleted)', driverId, dep);
  }
  const candidates: string[] = [];
  for (const id of specs.keys()) {
    if (id.endsWith(`-${dep}`) || id.endsWith(dep)) candidates.push(id);
    if (candidates.length > 1) break;
  }
  if (candidates.length === 1) {
    return driverId === undefined
      ? l10n.t('depends on {0}, which does not exist (depends_on needs a full id; did you mean {1}?)', dep, candidates[0])
      : l10n.t('driver {0} depends on {1}, which does not exist (depends_on needs a full id; did you mean {2}?)', driverId, dep, candidates[0]);
  }
  return driverId === undefined
    ? l10n.t('depends on {0}, which does not exist (depends_on needs a full id)', dep)
    : l10n.t('driver {0} depends on {1}, which does not exist (depends_on needs a full id)', driverId, dep);
}
