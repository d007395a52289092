// Which specs make up an investigation, and which of them is its fix: questions the chain, the PR
// commands, the tree's gate and the pickers all ask, answered once here (no vscode, unit-tested).
import { investigationKeysOf } from './phases';
import type { Spec } from '../spec/types';

/** `issue-<n>`: the only shape of investigation key anything acts on. */
export const INVESTIGATION_KEY = /^issue-\d+$/;

export function isInvestigationKey(value: unknown): value is string {
  return typeof value === 'string' && INVESTIGATION_KEY.test(value);
}

/** The investigation's specs, in the order given (pass them sorted by id for workflow order). */
export function specsOfInvestigation(sorted: readonly Spec[], key: string): Spec[] {
  return sorted.filter((spec) => investigationKeysOf(spec).includes(key));
}

/** Every investigation key the specs name, in first-seen order. */
export function investigationKeysIn(sorted: readonly Spec[]): string[] {
  const keys = new Set<string>();
  for (const spec of sorted) for (const key of investigationKeysOf(spec)) keys.add(key);
  return [...keys];
}

/** The investigation's fix: its last code spec with a branch, else its last spec with one. */
export function fixSpecOf(specs: readonly Spec[]): Spec | undefined {
  const reversed = [...specs].reverse();
  return reversed.find((s) => s.type === 'code' && s.branch) ?? reversed.find((s) => s.branch);
}

/** The upstream PR draft's file name for an investigation (or a spec id): `upstream-pr-<key>.md`. */
export function upstreamDraftName(key: string): string {
  return `upstream-pr-${key.replace(/[^\w.-]/g, '_')}.md`;
}

/** The key an upstream draft file name stands for, or undefined for any other file. */
export function draftKeyOf(fileName: string): string | undefined {
  return /^upstream-pr-(.+)\.md$/.exec(fileName)?.[1];
}
