// The one state a maintainer sees for a spec: the on-disk status refined by readiness and by parse
// problems. The tree's icons, its "by status" grouping, its status filter, the badge and the Open
// Spec picker all use this, so a spec reads the same everywhere. Plain data: no `vscode` here.
import * as l10n from '@vscode/l10n';
import { isShownReady, type Verdict } from '../project/readiness';
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

/**
 * What each state is called, translated when read (getters: the extension configures the translations
 * at activation, after this module loaded).
 */
export const STATE_LABELS: Readonly<Record<DisplayState, string>> = {
  get ready() {
    return l10n.t('Ready');
  },
  get pending() {
    return l10n.t('Pending');
  },
  get blocked() {
    return l10n.t('Blocked');
  },
  get in_progress() {
    return l10n.t('In progress');
  },
  get paused() {
    return l10n.t('Paused');
  },
  get completed() {
    return l10n.t('Completed');
  },
  get failed() {
    return l10n.t('Failed');
  },
  get needs_attention() {
    return l10n.t('Needs attention');
  },
  get cancelled() {
    return l10n.t('Cancelled');
  },
  get broken() {
    return l10n.t('Cannot be loaded by chant');
  },
  get unknown() {
    return l10n.t('Unknown status');
  },
};

export function isDisplayState(value: string): value is DisplayState {
  return (DISPLAY_STATES as readonly string[]).includes(value);
}

export function displayStateOf(spec: Spec, readiness: Verdict | undefined): DisplayState {
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
