// The one place a Spec object is made, for the parser and for the saved index alike. Every spec
// then has the same hidden class, with all its properties in the object: code that reads specs
// (readiness, the tree, the graph) stays monomorphic, and a spec costs no dictionary or spare
// backing store. Building the registry's fields in a record and spreading it into a literal, as
// both makers once did, made a dictionary per spec first.
import type { ModelFields } from './fields';
import type { Spec, SpecProblem } from './types';

/** One frozen empty list shared by every spec that lacks a list field (most specs lack most of them). */
export const NO_ITEMS: readonly string[] = Object.freeze([]);

/** One frozen empty problem list shared by every spec without problems (most of them). */
export const NO_PROBLEMS: readonly SpecProblem[] = Object.freeze([]);

/** Everything a Spec has but the registry's fields, which start absent and are set by the maker. */
export type SpecBase = Omit<Spec, keyof ModelFields>;

/**
 * The registry's fields (fields.ts), each required: the literal below must list every one, so adding
 * a field to the registry fails to compile until it gets its absent value here.
 */
type AbsentModelFields = Record<keyof ModelFields, unknown>;

/** A Spec with `base`'s properties and every registry field absent ([] or undefined). */
export function makeSpec(base: SpecBase): Spec {
  return {
    id: base.id,
    path: base.path,
    archived: base.archived,
    archiveFolder: base.archiveFolder,
    hasFrontmatter: base.hasFrontmatter,
    frontmatter: base.frontmatter,
    status: base.status,
    type: base.type,
    statusKnown: base.statusKnown,
    typeKnown: base.typeKnown,
    dependsOn: NO_ITEMS,
    labels: NO_ITEMS,
    targetFiles: NO_ITEMS,
    context: NO_ITEMS,
    commits: NO_ITEMS,
    tracks: NO_ITEMS,
    informedBy: NO_ITEMS,
    origin: NO_ITEMS,
    members: NO_ITEMS,
    prompt: undefined,
    branch: undefined,
    completedAt: undefined,
    model: undefined,
    approval: base.approval,
    title: base.title,
    titleLine: base.titleLine,
    acceptance: base.acceptance,
    bodyLine: base.bodyLine,
    problems: base.problems,
    chantWouldReject: base.chantWouldReject,
  } satisfies SpecBase & AbsentModelFields;
}
