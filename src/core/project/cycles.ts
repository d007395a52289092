// Dependency cycles.
//
// chant never checks `depends_on` for cycles when it loads specs; a spec on a cycle just stays
// blocked forever (CHANT-FORMAT §4.5). So the editor finds them itself, iteratively, because a
// project can hold tens of thousands of specs and a long chain must not overflow the stack.
import { compareSpecIds } from '../spec/ids';
import type { SpecMap } from '../spec/types';

// ---------------------------------------------------------------------------------------------
// Cycles

/** `depends_on` targets that exist in `specs`, without repeats, in the order written. */
function edgesOf(specs: SpecMap, id: string, override?: { id: string; dependsOn: readonly string[] }): string[] {
  const deps = override && override.id === id ? override.dependsOn : (specs.get(id)?.dependsOn ?? []);
  const out: string[] = [];
  for (const dep of deps) {
    if ((specs.has(dep) || dep === override?.id) && !out.includes(dep)) out.push(dep);
  }
  return out;
}

/** Rotates a cycle `[a, b, c, a]` to start at its smallest id, so each cycle has one spelling. */
function canonicalCycle(cycle: readonly string[]): string[] {
  const ring = cycle.slice(0, -1);
  let start = 0;
  for (let i = 1; i < ring.length; i++) if (compareSpecIds(ring[i], ring[start]) < 0) start = i;
  const rotated = [...ring.slice(start), ...ring.slice(0, start)];
  return [...rotated, rotated[0]];
}

function compareCycles(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareSpecIds(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/**
 * Cycles over `depends_on` among the given specs, each once, as paths that follow `depends_on`
 * (`[a, b, a]`: a depends on b, b on a — chant's "a -> b -> a"). Each cycle starts at its smallest
 * id and the list is sorted, so the result does not depend on map order. A self-dependency is
 * `[a, a]`. Every spec that lies on some cycle appears in at least one of them; when many cycles
 * share specs, not every combination is listed (there can be exponentially many).
 */
export function findDependencyCycles(specs: SpecMap): string[][] {
  // Almost every project has no cycle at all. Whether there is one does not depend on the order of
  // the search, so answer that first without sorting 10,000 ids; the sorted search below, whose
  // order decides which cycles are listed when many share specs, runs only when there is one.
  if (!hasDependencyCycle(specs)) return [];
  const ids = [...specs.keys()].sort(compareSpecIds);
  const found = new Map<string, string[]>();
  const covered = new Set<string>();
  const record = (cycle: string[]): void => {
    const canonical = canonicalCycle(cycle);
    const key = canonical.join('\u0000');
    if (found.has(key)) return;
    found.set(key, canonical);
    for (const id of canonical) covered.add(id);
  };

  // Depth-first search with an explicit stack; an edge back to a spec on the current path closes a cycle.
  const state = new Map<string, 1 | 2>(); // 1: on the current path, 2: finished
  const position = new Map<string, number>();
  const pathIds: string[] = [];
  for (const root of ids) {
    if (state.has(root)) continue;
    const stack: Array<{ id: string; deps: string[]; next: number }> = [];
    const enter = (id: string): void => {
      state.set(id, 1);
      position.set(id, pathIds.length);
      pathIds.push(id);
      stack.push({ id, deps: edgesOf(specs, id), next: 0 });
    };
    enter(root);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (frame.next < frame.deps.length) {
        const dep = frame.deps[frame.next++];
        const seen = state.get(dep);
        if (seen === undefined) enter(dep);
        else if (seen === 1) record([...pathIds.slice(position.get(dep)!), dep]);
      } else {
        stack.pop();
        pathIds.pop();
        position.delete(frame.id);
        state.set(frame.id, 2);
      }
    }
  }

  // No back edge means no cycle at all. Otherwise the search above can miss a spec that is on a
  // cycle only through an already finished spec; find one cycle through each such spec, inside
  // its strongly connected component.
  if (found.size === 0) return [];
  for (const component of stronglyConnectedComponents(specs, ids)) {
    const onCycle = component.length > 1 || edgesOf(specs, component[0]).includes(component[0]);
    if (!onCycle) continue;
    const members = new Set(component);
    for (const id of component) {
      if (covered.has(id)) continue;
      const cycle = shortestCycleThrough(id, specs, members);
      if (cycle) record(cycle);
    }
  }

  return [...found.values()].sort(compareCycles);
}

/**
 * Whether any `depends_on` cycle exists: a depth-first search in map order with an explicit stack,
 * reading `dependsOn` in place (no edge lists) and stepping over the specs that depend on nothing.
 */
function hasDependencyCycle(specs: SpecMap): boolean {
  const state = new Map<string, 1 | 2>(); // 1: on the current path, 2: finished
  const stackIds: string[] = [];
  const stackDeps: (readonly string[])[] = [];
  const stackNext: number[] = [];
  for (const [root, spec] of specs) {
    if (spec.dependsOn.length === 0 || state.has(root)) continue;
    state.set(root, 1);
    stackIds.push(root);
    stackDeps.push(spec.dependsOn);
    stackNext.push(0);
    while (stackIds.length > 0) {
      const top = stackIds.length - 1;
      const deps = stackDeps[top];
      if (stackNext[top] < deps.length) {
        const dep = deps[stackNext[top]++];
        const target = specs.get(dep);
        if (!target) continue;
        const seen = state.get(dep);
        if (seen === 1) return true;
        if (seen === undefined) {
          state.set(dep, 1);
          stackIds.push(dep);
          stackDeps.push(target.dependsOn);
          stackNext.push(0);
        }
      } else {
        state.set(stackIds.pop()!, 2);
        stackDeps.pop();
        stackNext.pop();
      }
    }
  }
  return false;
}

/** Ids of every spec that lies on a `depends_on` cycle. */
export function specsOnCycles(specs: SpecMap): Set<string> {
  const result = new Set<string>();
  for (const component of stronglyConnectedComponents(specs, [...specs.keys()].sort(compareSpecIds))) {
    if (component.length > 1 || edgesOf(specs, component[0]).includes(component[0])) {
      for (const id of component) result.add(id);
    }
  }
  return result;
}

/** A shortest cycle through `id` as a `depends_on` path `[id, …, id]`, or undefined. */
export function cycleThrough(id: string, specs: SpecMap): string[] | undefined {
  if (!specs.has(id)) return undefined;
  return shortestCycleThrough(id, specs);
}

/**
 * The cycle that setting `specId`'s `depends_on` to `newDependsOn` would close, as a path
 * `[specId, …, specId]`, or undefined. Only cycles through `specId` count: an existing cycle
 * elsewhere is not created by this edit. `specId` need not exist yet (a spec being written).
 */
export function wouldCreateCycle(
  specId: string,
  newDependsOn: readonly string[],
  specs: SpecMap,
): string[] | undefined {
  return shortestCycleThrough(specId, specs, undefined, { id: specId, dependsOn: newDependsOn });
}

/** Breadth-first search from `start` along `depends_on` back to `start`. */
function shortestCycleThrough(
  start: string,
  specs: SpecMap,
  within?: ReadonlySet<string>,
  override?: { id: string; dependsOn: readonly string[] },
): string[] | undefined {
  const parent = new Map<string, string>();
  const queue: string[] = [start];
  for (let head = 0; head < queue.length; head++) {
    const current = queue[head];
    for (const dep of edgesOf(specs, current, override)) {
      if (within && !within.has(dep)) continue;
      if (dep === start) {
        const back: string[] = [current];
        for (let at = current; at !== start; ) {
          at = parent.get(at)!;
          back.push(at);
        }
        return [...back.reverse(), start];
      }
      if (!parent.has(dep)) {
        parent.set(dep, current);
        queue.push(dep);
      }
    }
  }
  return undefined;
}

/** Tarjan's algorithm without recursion; components come out in discovery order of `ids`. */
function stronglyConnectedComponents(specs: SpecMap, ids: readonly string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const sccStack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of ids) {
    if (index.has(root)) continue;
    const work: Array<{ id: string; deps: string[]; next: number }> = [];
    const visit = (id: string): void => {
      index.set(id, counter);
      low.set(id, counter);
      counter++;
      sccStack.push(id);
      onStack.add(id);
      work.push({ id, deps: edgesOf(specs, id), next: 0 });
    };
    visit(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.next < frame.deps.length) {
        const dep = frame.deps[frame.next++];
        if (!index.has(dep)) visit(dep);
        else if (onStack.has(dep)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(dep)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parentFrame = work[work.length - 1];
        low.set(parentFrame.id, Math.min(low.get(parentFrame.id)!, low.get(frame.id)!));
      }
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string;
        do {
          member = sccStack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        components.push(component.sort(compareSpecIds));
      }
    }
  }
  return components;
}
