// Which active spec names a branch in its `branch:` field, kept per change. The status bar asks
// on every window focus, editor switch and index change; on a branch no spec names (main, most of
// the time) a pass over every spec found nobody, each time.
import { compareSpecIds } from '../spec/ids';
import type { Spec } from '../spec/types';

export class SpecsByBranch {
  /** Ids by the branch their `branch:` field names. */
  private readonly ids = new Map<string, Set<string>>();
  /** The branch each of those ids names, to take it out when the spec changes or goes. */
  private readonly branchOf = new Map<string, string>();

  static build(specs: Iterable<Spec>): SpecsByBranch {
    const byBranch = new SpecsByBranch();
    for (const spec of specs) byBranch.set(spec.id, spec.branch);
    return byBranch;
  }

  /** Follows changes the index has applied: each changed id is read again through `get` (active specs). */
  apply(changes: readonly { id?: string; archived?: boolean }[], get: (id: string) => Spec | undefined): void {
    for (const change of changes) {
      if (change.id !== undefined && !change.archived) this.set(change.id, get(change.id)?.branch);
    }
  }

  /** The spec whose `branch:` names `branch` (the first in chant's id order when several do). */
  idFor(branch: string): string | undefined {
    const ids = this.ids.get(branch);
    if (!ids) return undefined;
    return [...ids].sort(compareSpecIds)[0];
  }

  private set(id: string, branch: string | undefined): void {
    const before = this.branchOf.get(id);
    if (before === branch) return;
    if (before !== undefined) {
      const ids = this.ids.get(before)!;
      ids.delete(id);
      if (ids.size === 0) this.ids.delete(before);
      this.branchOf.delete(id);
    }
    if (branch === undefined) return;
    this.branchOf.set(id, branch);
    let ids = this.ids.get(branch);
    if (!ids) this.ids.set(branch, (ids = new Set()));
    ids.add(id);
  }
}
