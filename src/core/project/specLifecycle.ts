// The rules chant applies before it cancels or archives a spec (CHANT-FORMAT §2.3, §9), as plain
// decisions the editor can show. The editor performs the file change itself, so it must refuse
// exactly what chant refuses: anything looser would leave a project chant no longer agrees with.
import * as path from 'node:path';
import { compareSpecIds, driverIdOf, isMemberOf } from '../spec/ids';
import type { ProjectPaths } from './project';
import type { Spec } from '../spec/types';

// ---------------------------------------------------------------------------------------------
// Cancel (`chant cancel <id>`, soft cancel)

export type CancelDecision =
  | { ok: true; /** Active specs that depend on this one; chant asks for --skip-checks. */ dependents: string[] }
  | { ok: false; reason: string };

/**
 * Whether a soft cancel may write `status: cancelled`. chant refuses members ("Cancel the driver spec
 * instead"), specs already cancelled, and statuses from which its state machine forbids the move to
 * `cancelled` (completed, failed, needs_attention). An in-progress spec has an agent to stop first,
 * which only `chant cancel --skip-checks` can do, so the editor refuses it too.
 */
export function checkCancel(spec: Spec, activeSpecs: ReadonlyMap<string, Spec>): CancelDecision {
  if (spec.archived) return { ok: false, reason: `${spec.id} is archived; only active specs can be cancelled.` };
  const driver = driverIdOf(spec.id);
  if (driver !== undefined) {
    return { ok: false, reason: `${spec.id} is a member of ${driver}. Cancel the driver spec instead.` };
  }
  if (!spec.statusKnown) {
    return { ok: false, reason: `${spec.id} has status '${spec.status}', which chant does not know; fix the status first.` };
  }
  switch (spec.status) {
    case 'cancelled':
      return { ok: false, reason: `${spec.id} is already cancelled.` };
    case 'completed':
      return { ok: false, reason: `${spec.id} is completed; chant only allows a completed spec to go back to pending.` };
    case 'failed':
    case 'needs_attention':
      return {
        ok: false,
        reason: `${spec.id} is ${spec.status.replace('_', ' ')}; chant does not allow cancelling it from that state. Reset it to pending first.`,
      };
    case 'ready':
      return {
        ok: false,
        reason: `${spec.id} says 'status: ready' on disk, which chant can never move to another status. Set it to pending first.`,
      };
    case 'in_progress':
      return {
        ok: false,
        reason: `${spec.id} is in progress and its agent may still be running. Run 'chant cancel ${spec.id} --skip-checks' in a terminal: it stops the agent first.`,
      };
  }
  const dependents = [...activeSpecs.values()]
    .filter((other) => other.id !== spec.id && other.dependsOn.includes(spec.id))
    .map((other) => other.id)
    .sort(compareSpecIds);
  return { ok: true, dependents };
}

// ---------------------------------------------------------------------------------------------
// Archive (`chant archive <id>`)

/**
 * Where chant puts an archived spec: `.chant/archive/<first 10 characters of the id>/<id>.md`. The
 * folder is the id's date, not the day of archiving. Undefined for an id that does not start with a
 * `YYYY-MM-DD` date: chant slices the first 10 bytes regardless and would file it somewhere odd (or
 * panic on a short id), so the editor does not archive such specs.
 */
export function archivePathFor(paths: ProjectPaths, id: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}/.test(id) || id.includes('/') || id.includes('\\')) return undefined;
  return path.join(paths.archiveDir, id.slice(0, 10), `${id}.md`);
}

export interface ArchivePlan {
  /** Specs to move, members before their driver (chant's order). */
  specs: Spec[];
  /** Why chant would refuse outright; nothing may be moved. */
  refusal?: string;
  /** Reasons that chant overrides only with `--force` (the user must confirm each time). */
  needsForce: string[];
  /** Branches chant checks are merged into the main branch before it archives (skipped with force). */
  branches: Array<{ id: string; branch: string }>;
}

/**
 * What `chant archive <id>` would do. A member is archived alone; a driver only when all its members
 * are completed, and then the members move too. Without `--force`, each spec must be `completed`
 * (cancelled ones included, since `archive_spec` checks that) and its `branch`, if any, merged.
 */
export function planArchive(
  spec: Spec,
  activeSpecs: ReadonlyMap<string, Spec>,
  paths: ProjectPaths,
  mainBranch: string,
): ArchivePlan {
  const plan: ArchivePlan = { specs: [], needsForce: [], branches: [] };
  if (spec.archived) return { ...plan, refusal: `${spec.id} is already archived.` };
  if (archivePathFor(paths, spec.id) === undefined) {
    return { ...plan, refusal: `${spec.id} does not start with a date, so chant has no archive folder for it.` };
  }
  const isMember = driverIdOf(spec.id) !== undefined;
  const members = isMember
    ? []
    : [...activeSpecs.values()]
        .filter((other) => isMemberOf(other.id, spec.id))
        .sort((a, b) => compareSpecIds(a.id, b.id));
  if (members.length > 0) {
    const open = members.filter((m) => m.status !== 'completed');
    if (open.length > 0) {
      return {
        ...plan,
        refusal: `Not all members of driver ${spec.id} are completed (${open.map((m) => `${m.id}: ${m.status}`).join(', ')}). chant archives a driver only together with all its members, once they are done.`,
      };
    }
    // Members first, by member number, then the driver: chant's order.
    plan.specs.push(...members);
  }
  plan.specs.push(spec);
  for (const each of plan.specs) {
    if (each.status !== 'completed')
      plan.needsForce.push(`${each.id} is ${each.status.replace('_', ' ')}, not completed`);
    if (each.branch && each.branch !== mainBranch) plan.branches.push({ id: each.id, branch: each.branch });
  }
  return plan;
}
