// Which steps of the Get Started walkthrough are already done in this workspace, from the specs alone.
// Each fact is published as a context key (`chant.walkthrough.<fact>`) that a step's completionEvents
// name, so a step ticks itself when its condition holds, including when it held before the walkthrough
// was opened (an initialized folder, an investigation already started). No `vscode` import.
import type { Spec } from '../spec/types';
import { fixSpecOf } from '../workflow/investigationSpecs';
import { investigationKeyOf, investigationKeysOf } from '../workflow/phases';

export interface WalkthroughProgress {
  /** A `.chant/` project is there (the Initialize step). */
  initialized: boolean;
  /** A spec carries an investigation label (`issue-1234`): Start Issue Investigation's result. */
  hasInvestigation: boolean;
  /** An agent worked a spec: it is in progress, paused, failed or completed. */
  worked: boolean;
  /** A phase was finished and merged: a completed spec in the main checkout. */
  merged: boolean;
}

/** The context key a fact is published under (package.json's completionEvents name them). */
export const walkthroughContextKey = (fact: keyof WalkthroughProgress): string => `chant.walkthrough.${fact}`;

const WORKED = new Set(['in_progress', 'paused', 'failed', 'completed']);

/** From the active specs of each project of the workspace (one list per `.chant/`). */
export function walkthroughProgress(projects: readonly Iterable<Spec>[]): WalkthroughProgress {
  const progress: WalkthroughProgress = {
    initialized: projects.length > 0,
    hasInvestigation: false,
    worked: false,
    merged: false,
  };
  for (const specs of projects) {
    for (const spec of specs) {
      if (investigationKeyOf(spec)) progress.hasInvestigation = true;
      if (spec.status && WORKED.has(spec.status)) progress.worked = true;
      if (spec.status === 'completed') progress.merged = true;
      if (progress.hasInvestigation && progress.worked && progress.merged) return progress;
    }
  }
  return progress;
}

/**
 * The fix branch of each investigation of one project (sorted specs): where the Upstream PR step looks
 * for a pull request already opened (the github layer asks gh; this says which branches to ask about).
 */
export function fixBranchesOf(sorted: readonly Spec[]): string[] {
  // One pass that files each spec under its investigations: a filter of every spec per
  // investigation made this quadratic, and the walkthrough asks on every change.
  const byInvestigation = new Map<string, Spec[]>();
  for (const spec of sorted) {
    for (const key of investigationKeysOf(spec)) {
      const list = byInvestigation.get(key);
      if (list) list.push(spec);
      else byInvestigation.set(key, [spec]);
    }
  }
  const branches = new Set<string>();
  for (const specs of byInvestigation.values()) {
    const branch = fixSpecOf(specs)?.branch;
    if (branch) branches.add(branch);
  }
  return [...branches];
}
