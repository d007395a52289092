// The one state a maintainer sees for a spec: the on-disk status refined by readiness and by parse
// problems. The tree's icons, its "by status" grouping, its status filter, the badge and the Open
// Spec picker all use this, so a spec reads the same everywhere. Plain data: no `vscode` here.
import { isShownReady, type Readiness } from '../project/readiness';
import type { Spec } from '../spec/types';

export type DisplayState =
  | 'ready'
  | 'pending'
  | 'blocked'
  | 'in_progress'
  | 'paused'
  | 'completed'
  | 'failed'
  | 'needs_attention'
  | 'cancelled'
  | 'broken'
  | 'unknown';

/** Most urgent first: the order of the "by status" groups and of the status filter's choices. */
export const DISPLAY_STATES: readonly DisplayState[] = [
  'in_progress',
  'needs_attention',
  'failed',
  'ready',
  'paused',
  'blocked',
  'pending',
  'completed',
  'cancelled',
  'broken',
  'unknown',
];

export const STATE_LABELS: Record<DisplayState, string> = {
  ready: 'Ready',
  pending: 'Pending',
  blocked: 'Blocked',
  in_progress: 'In progress',
  paused: 'Paused',
  completed: 'Completed',
  failed: 'Failed',
  needs_attention: 'Needs attention',
  cancelled: 'Cancelled',
  broken: 'Cannot be loaded by chant',
  unknown: 'Unknown status',
};

export function isDisplayState(value: string): value is DisplayState {
  return (DISPLAY_STATES as readonly string[]).includes(value);
}

export function displayStateOf(spec: Spec, readiness: Readiness | undefined): DisplayState {
  if (spec.chantWouldReject && !spec.statusKnown) return 'unknown';
  if (spec.chantWouldReject) return 'broken';
  if (spec.archived) return isDisplayState(spec.status) && spec.status !== 'ready' ? spec.status : 'completed';
  if (isShownReady(spec, readiness)) return 'ready';
  const effective = readiness?.effective ?? spec.status;
  switch (effective) {
    case 'pending':
    case 'blocked':
    case 'in_progress':
    case 'paused':
    case 'completed':
    case 'failed':
    case 'needs_attention':
    case 'cancelled':
      return effective;
    case 'ready':
      // `status: ready` on disk can never be worked (CHANT-FORMAT §2.3).
      return 'pending';
    default:
      return 'unknown';
  }
}
