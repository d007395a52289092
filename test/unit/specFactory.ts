// Builds complete `Spec` objects for unit tests without going through the parser, so a test states
// only the fields it is about. The frontmatter mirrors the given fields, because some rules look at
// which keys the file has (`'depends_on' in spec.frontmatter`), not only at the parsed values.
import * as path from 'node:path';
import { SPEC_STATUSES, SPEC_TYPES, type AcceptanceSummary, type Spec } from '../../src/core/spec/types';

const KNOWN_STATUSES = new Set<string>(SPEC_STATUSES);
const KNOWN_TYPES = new Set<string>(SPEC_TYPES);

/** Spec fields that map onto one frontmatter key. */
const MIRRORED: ReadonlyArray<[keyof Spec, string]> = [
  ['dependsOn', 'depends_on'],
  ['labels', 'labels'],
  ['targetFiles', 'target_files'],
  ['context', 'context'],
  ['prompt', 'prompt'],
  ['branch', 'branch'],
  ['commits', 'commits'],
  ['completedAt', 'completed_at'],
  ['model', 'model'],
  ['tracks', 'tracks'],
  ['informedBy', 'informed_by'],
  ['origin', 'origin'],
  ['approval', 'approval'],
  ['members', 'members'],
];

/** An acceptance summary with `total` boxes, the first `checked` of them ticked. */
export function acceptance(total: number, checked = 0): AcceptanceSummary {
  return { hasSection: total > 0, checked, unchecked: total - checked, total };
}

/**
 * A spec with sensible defaults (pending code spec with no criteria). Fields left out of `partial`
 * are also absent from the frontmatter: `makeSpec(id, {})` has no `depends_on` key, while
 * `makeSpec(id, { dependsOn: [] })` has `depends_on: []`. Pass `frontmatter` to add or override keys.
 */
export function makeSpec(id: string, partial: Partial<Spec> = {}): Spec {
  const status = partial.status ?? 'pending';
  const type = partial.type ?? 'code';
  const frontmatter: Record<string, unknown> = { type, status };
  for (const [field, key] of MIRRORED) {
    const value = partial[field];
    if (value !== undefined) frontmatter[key] = Array.isArray(value) ? [...value] : value;
  }
  Object.assign(frontmatter, partial.frontmatter ?? {});
  const archived = partial.archived ?? false;
  const folder = partial.archiveFolder ?? (archived ? id.slice(0, 10) : undefined);
  const file = archived
    ? path.join('/project/.chant/archive', folder ?? '', `${id}.md`)
    : path.join('/project/.chant/specs', `${id}.md`);
  const spec: Spec = {
    id,
    path: file,
    archived,
    archiveFolder: folder,
    hasFrontmatter: true,
    status,
    type,
    statusKnown: KNOWN_STATUSES.has(status),
    typeKnown: KNOWN_TYPES.has(type),
    dependsOn: [],
    labels: [],
    targetFiles: [],
    informedBy: [],
    context: [],
    origin: [],
    tracks: [],
    members: [],
    commits: [],
    title: `Spec ${id}`,
    titleLine: 4,
    acceptance: acceptance(0),
    bodyLine: 4,
    problems: [],
    chantWouldReject: false,
    ...partial,
    frontmatter,
  };
  if (partial.statusKnown === undefined && !spec.statusKnown) spec.chantWouldReject = partial.chantWouldReject ?? true;
  return spec;
}

/** A map of specs keyed by id, as the readiness and graph functions take them. */
export function specMap(...specs: Spec[]): Map<string, Spec> {
  return new Map(specs.map((spec) => [spec.id, spec]));
}
