// Phases of the research-first workflow (CHANT-FORMAT §12). chant itself knows nothing about phases:
// a spec is in a phase because of its labels, so the mapping is configuration (the `chant.phases`
// setting) and the caller passes it in.
import type { Spec } from '../spec/types';

export interface PhaseDefinition {
  name: string;
  /** Labels that put a spec in this phase, compared case-insensitively. */
  labels: readonly string[];
}

/** Specs whose labels match no phase. Always ordered last. */
export const UNPHASED = 'Unphased';

/** The OSS maintainer workflow: Comprehension → Reproduction → Root Cause → Impact Map → Fork Fix → Upstream PR. */
export const DEFAULT_PHASES: readonly PhaseDefinition[] = [
  { name: 'Comprehension', labels: ['comprehension'] },
  { name: 'Reproduction', labels: ['reproduction', 'repro'] },
  { name: 'Root Cause', labels: ['root-cause', 'rootcause'] },
  { name: 'Impact Map', labels: ['impact-map', 'impact'] },
  { name: 'Fork Fix', labels: ['fix', 'fork-fix'] },
  { name: 'Upstream PR', labels: ['upstream-pr', 'upstream'] },
];

/**
 * The first phase, in workflow order, that claims one of the spec's labels; `UNPHASED` otherwise.
 * Workflow order rather than label order decides, so `labels: [fix, comprehension]` is Comprehension.
 */
export function phaseOf(spec: Pick<Spec, 'labels'>, phases: readonly PhaseDefinition[] = DEFAULT_PHASES): string {
  if (spec.labels.length === 0) return UNPHASED;
  const claims = phaseClaims(phases);
  let first = phases.length;
  for (const label of spec.labels) {
    const claimed = claims.get(label.trim().toLowerCase());
    if (claimed !== undefined && claimed < first) first = claimed;
  }
  return first < phases.length ? phases[first].name : UNPHASED;
}

/**
 * For each label (trimmed, lower case), the position of the first phase that claims it. Kept per
 * phases list: the tree asks for the phase of every spec, and building a set of each spec's labels
 * to test every phase against was most of that.
 */
const claimsByPhases = new WeakMap<readonly PhaseDefinition[], Map<string, number>>();
function phaseClaims(phases: readonly PhaseDefinition[]): Map<string, number> {
  let claims = claimsByPhases.get(phases);
  if (!claims) {
    claims = new Map();
    phases.forEach((phase, position) => {
      for (const label of phase.labels) {
        const key = label.trim().toLowerCase();
        if (!claims!.has(key)) claims!.set(key, position);
      }
    });
    claimsByPhases.set(phases, claims);
  }
  return claims;
}

/** Phase names in workflow order with `UNPHASED` last; a name listed twice appears once. */
export function orderedPhaseNames(phases: readonly PhaseDefinition[] = DEFAULT_PHASES): string[] {
  const names: string[] = [];
  for (const phase of phases) {
    if (phase.name !== UNPHASED && !names.includes(phase.name)) names.push(phase.name);
  }
  names.push(UNPHASED);
  return names;
}

/**
 * Reads a `chant.phases` setting defensively: entries without a name or labels are dropped, and an
 * empty or unusable value falls back to the defaults rather than putting every spec in Unphased.
 */
export function normalizePhases(value: unknown): PhaseDefinition[] {
  if (!Array.isArray(value)) return DEFAULT_PHASES.map(copyPhase);
  const phases: PhaseDefinition[] = [];
  for (const entry of value) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { name, labels } = entry as { name?: unknown; labels?: unknown };
    if (typeof name !== 'string' || name.trim() === '' || !Array.isArray(labels)) continue;
    const strings = labels.filter((label): label is string => typeof label === 'string' && label.trim() !== '');
    phases.push({ name: name.trim(), labels: strings });
  }
  return phases.length > 0 ? phases : DEFAULT_PHASES.map(copyPhase);
}

function copyPhase(phase: PhaseDefinition): PhaseDefinition {
  return { name: phase.name, labels: [...phase.labels] };
}

// An investigation is the set of specs that carry one issue label (`issue-1234` in §12).
const ISSUE_LABEL = /^issue[-_#]?(\d+)$/i;

/**
 * The investigation a spec belongs to: its first label of the form `issue-1234` (also `issue_1234`,
 * `issue#1234`, `Issue1234`), normalized to `issue-1234` so the spellings group together.
 */
export function investigationKeyOf(spec: Pick<Spec, 'labels'>): string | undefined {
  for (const label of spec.labels) {
    const match = ISSUE_LABEL.exec(label.trim());
    if (match) return `issue-${match[1]}`;
  }
  return undefined;
}

/** Every investigation key among the spec's labels, in label order, without duplicates. */
export function investigationKeysOf(spec: Pick<Spec, 'labels'>): string[] {
  const keys: string[] = [];
  for (const label of spec.labels) {
    const match = ISSUE_LABEL.exec(label.trim());
    if (match && !keys.includes(`issue-${match[1]}`)) keys.push(`issue-${match[1]}`);
  }
  return keys;
}

/**
 * `issue-1234` from `1234`, `#1234`, `issue-1234` or an issue/pull URL such as
 * `https://github.com/o/r/issues/1234`; undefined when no issue number can be found.
 */
export function investigationLabelFromIssue(urlOrNumber: string | number): string | undefined {
  if (typeof urlOrNumber === 'number') {
    return Number.isInteger(urlOrNumber) && urlOrNumber >= 0 ? `issue-${urlOrNumber}` : undefined;
  }
  const text = urlOrNumber.trim();
  const plain = /^#?(\d+)$/.exec(text) ?? ISSUE_LABEL.exec(text);
  if (plain) return `issue-${plain[1]}`;
  // GitHub, GitLab (`/-/issues/`), Gitea and friends all end the path with `/issues/<n>` or `/pull/<n>`.
  const url = /^https?:\/\/[^\s?#]+\/(?:issues|pull|pulls|merge_requests)\/(\d+)(?:[/?#].*)?$/i.exec(text);
  return url ? `issue-${url[1]}` : undefined;
}

/** The issue number inside an investigation key (`issue-1234` → 1234). */
export function issueNumberOf(key: string): number | undefined {
  const match = ISSUE_LABEL.exec(key.trim());
  return match ? Number(match[1]) : undefined;
}
