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
  const less = (a: string, b: string): boolean => before.get(b)?.has(a) ?? false;
  const comparable = (a: string, b: string): boolean => less(a, b) || less(b, a);

  const decompose = (ids: readonly string[]): SpNode | { reason: string } => {
    const [only] = ids;
    if (ids.length === 1 && only !== undefined) return { kind: 'job', id: only };

    const independent = components(ids, comparable);
    if (independent.length > 1) return combine('parallel', independent);

    const consecutive = components(ids, (a, b) => !comparable(a, b));
    if (consecutive.length > 1) {
      // Parts of a series are totally ordered: comparing one job of each decides.
      consecutive.sort((x, y) => (less(x[0] as string, y[0] as string) ? -1 : 1));
      return combine('series', consecutive);
    }
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
 * Connected components of the graph on `ids` with the given adjacency. `ids` is in file order, and so
 * is each component; components come in the file order of their first job.
 */
function components(ids: readonly string[], adjacent: (a: string, b: string) => boolean): string[][] {
  const seen = new Set<string>();
  const result: string[][] = [];
  for (const start of ids) {
    if (seen.has(start)) continue;
    seen.add(start);
    const members = new Set([start]);
    const queue = [start];
    for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
      for (const other of ids) {
        if (!seen.has(other) && adjacent(current, other)) {
          seen.add(other);
          members.add(other);
          queue.push(other);
        }
      }
    }
    result.push(ids.filter((id) => members.has(id)));
  }
  return result;
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
