// The nodes of the Specs tree and of the Runs view, one class per kind. Commands receive these as
// their argument from the views' menus; `commands/target.ts` recognises them with `instanceof` and
// asks them what they stand for (a spec, an investigation, a phase, a run, a chain), so nobody picks
// their fields apart by hand.
import type { GateModel, SpecModel } from '../core/present/grouping';
import type { LiveGroup } from '../core/present/liveTreeModel';
import type { RunRow } from '../core/present/runsViewModel';
import type { ChainRecord, RunGroup, RunRecord } from '../core/runs/runRecord';
import type { SpecIndex } from '../core/project/specIndex';
import type { Spec } from '../core/spec/types';

export type TreeNode = ProjectNode | GroupNode | SpecNode | GateNode | ArchiveNode | MoreNode;

/** `issue-<n>`: the only shape of investigation key anything acts on. */
const INVESTIGATION_KEY = /^issue-\d+$/;

abstract class NodeBase {
  constructor(
    readonly index: SpecIndex,
    /** Unique per project and kind; the tree item id is `<kind>:<root>:<key>`. */
    readonly key: string,
    public parent?: TreeNode,
  ) {}
}

export class ProjectNode extends NodeBase {
  readonly kind = 'project' as const;
}

export class GroupNode extends NodeBase {
  readonly kind = 'group' as const;
  constructor(index: SpecIndex, key: string, public model: LiveGroup, parent?: TreeNode) {
    super(index, key, parent);
  }

  /** The investigation this group is, or is a phase of. */
  get investigation(): string | undefined {
    const key = this.model.investigation ?? (this.model.groupKind === 'investigation' ? this.model.value : undefined);
    return key && INVESTIGATION_KEY.test(key) ? key : undefined;
  }

  /** The phase this group stands for, when grouped by phase. */
  get phase(): string | undefined {
    return this.model.phase;
  }
}

export class SpecNode extends NodeBase {
  readonly kind = 'spec' as const;
  constructor(
    index: SpecIndex,
    key: string,
    readonly id: string,
    /** Undefined for archived specs, which have no members shown. */
    public model?: SpecModel,
    parent?: TreeNode,
  ) {
    super(index, key, parent);
  }

  get archived(): boolean {
    return this.key.startsWith('archived:');
  }

  /** The spec as the index holds it now (undefined once it is gone). */
  spec(): Spec | undefined {
    return this.archived ? this.index.archived?.get(this.id) : this.index.specs.get(this.id);
  }
}

export class GateNode extends NodeBase {
  readonly kind = 'gate' as const;
  constructor(index: SpecIndex, key: string, public model: GateModel, parent?: TreeNode) {
    super(index, key, parent);
  }

  get investigation(): string | undefined {
    const key = this.model.gate.investigation;
    return INVESTIGATION_KEY.test(key) ? key : undefined;
  }
}

export class ArchiveNode extends NodeBase {
  readonly kind = 'archive' as const;
}

/**
 * "Show more" below the first page of a long list (a group's specs, or the root in the flat list):
 * VS Code fetches every row of an expanded group before it draws the first one, so a group shows
 * its specs a page at a time and the first rows cost the same at 600 specs as at 10,000.
 */
export class MoreNode extends NodeBase {
  readonly kind = 'more' as const;
  constructor(
    index: SpecIndex,
    key: string,
    /** The key of the list it continues (a group key, or '' for the root). */
    readonly listKey: string,
    /** Rows shown now, and rows not shown. */
    readonly shown: number,
    readonly hidden: number,
    parent?: TreeNode,
  ) {
    super(index, key, parent);
  }
}

// The Runs view's nodes: a group (Needs you, Running, Queued, Done), a run, a phase chain, and a
// run's detail line.

export class RunGroupNode {
  readonly kind = 'runGroup' as const;
  constructor(readonly group: RunGroup, readonly label: string, readonly rows: RunRow[], readonly count: number) {}
}

/** A run's row. Commands get it as their argument; `commands/target.ts` turns it into its spec. */
export class RunNode {
  readonly kind = 'run' as const;
  constructor(readonly row: Extract<RunRow, { kind: 'run' }>) {}
  get record(): RunRecord {
    return this.row.record;
  }
}

export class ChainNode {
  readonly kind = 'chain' as const;
  constructor(readonly row: Extract<RunRow, { kind: 'chain' }>) {}
  get chain(): ChainRecord {
    return this.row.chain;
  }
}

export class DetailNode {
  readonly kind = 'detail' as const;
  constructor(readonly parentKey: string, readonly label: string, readonly value: string) {}
}

export type RunsNode = RunGroupNode | RunNode | ChainNode | DetailNode;
