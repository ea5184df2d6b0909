import type { Job } from '../model/workflow';
import type { DagShape, SpNode } from './types';

/**
 * The shape of the job graph, read as a partial order (a job comes after everything it needs,
 * directly or not).
 *
 * A series-parallel order renders exactly as nested Parallel states: a parallel node's children are
 * independent, and a series node's parts each wait for the whole previous part, which is precisely
 * what their needs ask for (every job of a later part needs, transitively, every job of an earlier
 * one). So every job starts as soon as its needs end — no job waits for a job it does not need.
 * An order with an "N" (a<c, b<c, b<d, but not a<d) has no such nesting: d would wait for a or c would
 * start before a ends. The renderer uses another scheme for those general DAGs.
 *
 * @param jobs the jobs in topological order; their file order decides the order of children.
 */
export function dagShape(jobs: readonly Job[], fileOrder: readonly Job[]): DagShape {
  const before = ancestors(jobs);
  const rank = new Map(jobs.map((job, index) => [job.id, index]));
  const less = (a: string, b: string): boolean => before.get(b)?.has(a) ?? false;

  const decompose = (ids: readonly string[]): SpNode | { reason: string } => {
    const [only] = ids;
    if (ids.length === 1 && only !== undefined) return { kind: 'job', id: only };

    const independent = independentGroups(ids, before);
    if (independent.length > 1) return combine('parallel', independent);

    const consecutive = seriesParts(ids, before, rank);
    if (consecutive.length > 1) return combine('series', consecutive);
    return { reason: describeN(findN(ids, less)) };
  };

  const combine = (kind: 'series' | 'parallel', parts: string[][]): SpNode | { reason: string } => {
    const children: SpNode[] = [];
    for (const part of parts) {
      const child = decompose(part);
      if ('reason' in child) return child;
      children.push(child);
    }
    return { kind, children };
  };

  const all = fileOrder.map((job) => job.id);
  if (all.length === 0) return { kind: 'series-parallel', tree: { kind: 'series', children: [] } };
  const tree = decompose(all);
  return 'reason' in tree ? { kind: 'general', reason: tree.reason } : { kind: 'series-parallel', tree };
}

/** Every job's transitive needs. */
function ancestors(jobsInTopologicalOrder: readonly Job[]): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const job of jobsInTopologicalOrder) {
    const set = new Set<string>();
    for (const need of job.needs) {
      set.add(need);
      for (const further of result.get(need) ?? []) set.add(further);
    }
    result.set(job.id, set);
  }
  return result;
}

/**
 * The jobs of `ids` that are independent in groups: the connected components of the comparability
 * graph, found by joining each job to its ancestors among `ids` (a union-find), so a set of n
 * independent jobs costs n, not n² comparisons. `ids` is in file order, and so is each component;
 * components come in the file order of their first job.
 */
function independentGroups(ids: readonly string[], before: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const members = new Set(ids);
  const parent = new Map<string, string>(ids.map((id) => [id, id]));
  const root = (id: string): string => {
    let top = id;
    while (parent.get(top) !== top) top = parent.get(top)!;
    for (let current = id; current !== top; ) {
      const next = parent.get(current)!;
      parent.set(current, top);
      current = next;
    }
    return top;
  };
  for (const id of ids) {
    for (const ancestor of before.get(id) ?? []) if (members.has(ancestor)) parent.set(root(ancestor), root(id));
  }
  return groupsInOrder(ids, root);
}

/**
 * The parts of a series: the components of the graph of incomparable pairs. Each is an interval of
 * every linear extension (every job of a part comes before every job of the next), so they are the
 * intervals between the cuts of a topological order where every job before the cut is an ancestor of
 * every job after it. `rank` is each job's place in a topological order. The parts come in series
 * order, each in file order.
 */
function seriesParts(ids: readonly string[], before: ReadonlyMap<string, ReadonlySet<string>>, rank: ReadonlyMap<string, number>): string[][] {
  const linear = [...ids].sort((a, b) => rank.get(a)! - rank.get(b)!);
  // reach[j]: how many jobs at the start of `linear` are all ancestors of linear[j] (at most j).
  const reach = linear.map((id, index) => {
    const ancestors = before.get(id);
    let count = 0;
    while (count < index && ancestors?.has(linear[count]!)) count++;
    return count;
  });
  // A cut after position i holds when every later job reaches past it: min of reach[j > i] ≥ i + 1.
  const part = new Map<string, number>();
  let parts = 0;
  let least = Infinity;
  const cuts = new Set<number>();
  for (let index = linear.length - 1; index > 0; index--) {
    least = Math.min(least, reach[index]!);
    if (least >= index) cuts.add(index - 1);
  }
  linear.forEach((id, index) => {
    part.set(id, parts);
    if (cuts.has(index)) parts++;
  });
  const groups = groupsInOrder(ids, (id) => part.get(id)!);
  return groups.sort((x, y) => part.get(x[0]!)! - part.get(y[0]!)!);
}

/** `ids` grouped by `groupOf`, each group in the order of `ids`, groups in the order of their first member. */
function groupsInOrder<K>(ids: readonly string[], groupOf: (id: string) => K): string[][] {
  const groups = new Map<K, string[]>();
  for (const id of ids) {
    const key = groupOf(id);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [id]);
    else group.push(id);
  }
  return [...groups.values()];
}

interface NShape {
  readonly a: string;
  readonly b: string;
  readonly c: string;
  readonly d: string;
}

/**
 * An N inside a set that splits neither way. Such a set always holds one: its comparability graph
 * and that graph's complement are both connected, so the graph has an induced path of four jobs
 * (it is not a cograph), and every such path in a comparability graph is an N.
 */
function findN(ids: readonly string[], less: (x: string, y: string) => boolean): NShape {
  const comparable = (x: string, y: string): boolean => less(x, y) || less(y, x);
  for (const b of ids) {
    for (const c of ids) {
      if (!less(b, c)) continue;
      for (const a of ids) {
        if (a === b || !less(a, c) || comparable(a, b)) continue;
        for (const d of ids) {
          if (d === c || !less(b, d) || comparable(d, c) || comparable(a, d)) continue;
          return { a, b, c, d };
        }
      }
    }
  }
  throw new Error(`dagShape: jobs ${ids.join(', ')} split neither in series nor in parallel, yet hold no N`);
}

function describeN({ a, b, c, d }: NShape): string {
  return (
    `jobs '${a}', '${b}', '${c}' and '${d}' form an N: '${c}' comes after '${a}' and '${b}', ` +
    `'${d}' after '${b}' but not after '${a}'`
  );
}
