// The tree items' `contextValue`s, built from segments in this one place. package.json's menus
// match them (`viewItem =~ /^spec:(in_progress|running):/`), and a unit test checks every menu
// condition against `producibleContextValues()`, so a menu can never wait for a value nothing makes.
import { DISPLAY_STATES, type DisplayState } from './displayState';
import { SPEC_TYPES } from '../spec/types';

/** A spec's state segment: its display state, or `running` while an agent works it. */
export type ContextState = DisplayState | 'running';
export type SpecRole = 'driver' | 'member' | 'single';
export type GateContext = 'no-fix' | 'fix-open' | 'ready' | 'unmerged' | 'merge-unknown';
export type GroupContext = 'phase' | 'investigation' | 'status' | 'type' | 'label';

export interface SpecContextParts {
  state: ContextState;
  /** The spec's type when chant knows it; anything else is `other`, so a file cannot inject segments. */
  type: string;
  typeKnown: boolean;
  archived: boolean;
  role: SpecRole;
  hasTargets: boolean;
  /** The spec waits on chant's approval gate (`approval.required`, not yet approved). */
  awaitingApproval?: boolean;
}

/**
 * `spec:<state>:<type>:<active|archived>:<driver|member|single>:<targets|notargets>`, with
 * `:awaiting-approval` after it when the spec waits on an approval (Approve / Reject menus).
 */
export function specContextValue(p: SpecContextParts): string {
  const segments = ['spec', p.state, p.typeKnown ? p.type : 'other', p.archived ? 'archived' : 'active', p.role, p.hasTargets ? 'targets' : 'notargets'];
  if (p.awaitingApproval) segments.push('awaiting-approval');
  return segments.join(':');
}

export function gateContextValue(gate: GateContext): string {
  return `gate:${gate}`;
}

export function groupContextValue(kind: GroupContext): string {
  return `group:${kind}`;
}

export function projectContextValue(silent: boolean): string {
  return silent ? 'project:silent' : 'project';
}

export const ARCHIVE_CONTEXT = 'archive';

/** Every value the tree can set, for checking the menus in package.json. */
export function producibleContextValues(): string[] {
  const out: string[] = [projectContextValue(false), projectContextValue(true), ARCHIVE_CONTEXT];
  for (const g of ['phase', 'investigation', 'status', 'type', 'label'] as const) out.push(groupContextValue(g));
  for (const g of ['no-fix', 'fix-open', 'ready', 'unmerged', 'merge-unknown'] as const) out.push(gateContextValue(g));
  const states: ContextState[] = [...DISPLAY_STATES, 'running'];
  for (const state of states)
    for (const type of [...SPEC_TYPES, 'other'])
      for (const archived of [false, true])
        for (const role of ['driver', 'member', 'single'] as const)
          for (const hasTargets of [false, true])
            for (const awaitingApproval of [false, true]) out.push(specContextValue({ state, type, typeKnown: type !== 'other', archived, role, hasTargets, awaitingApproval }));
  // The Runs view's rows.
  for (const state of RUN_STATES)
    for (const need of [undefined, ...RUN_NEEDS])
      for (const runner of ['direct', 'cli', 'actions'] as const)
        for (const terminal of [false, true]) out.push(runContextValue({ state, need, runner }, terminal));
  for (const state of ['running', 'waiting', 'done'] as const) out.push(chainContextValue(state));
  for (const group of ['needs-you', 'running', 'queued', 'done']) out.push(`runGroup:${group}`);
  return out;
}

export const RUN_STATES = ['queued', 'starting', 'running', 'finishing', 'completed', 'failed', 'stopped'] as const;
export const RUN_NEEDS = ['merge', 'failed', 'conflict', 'attention'] as const;

/**
 * A Runs view row: `run:<state>:<need>:<runner>`, `:terminal` appended while its terminal is open.
 * package.json's menus match it (`viewItem =~ /^run:running:/`).
 */
export function runContextValue(run: { state: string; need?: string; runner: string }, terminalOpen: boolean): string {
  return `run:${run.state}:${run.need ?? 'none'}:${run.runner}${terminalOpen ? ':terminal' : ''}`;
}

export function chainContextValue(state: 'running' | 'waiting' | 'done'): string {
  return `chain:${state}`;
}
