import type { Position } from '../../source/tree';
import type { SourceIndex } from '../source-index';
import { itemPath, keyPath } from '../source-index';
import { didYouMean } from '../suggest';
import { writtenJobIds, type CheckInput } from './check';

/** `needs`: every need names another job, and the jobs form a DAG (each cycle reported with its path). */
export function checkNeeds({ workflow, index, sink }: CheckInput): void {
  const jobIds = writtenJobIds(index);
  const graph = new Map<string, string[]>();
  for (const job of workflow.jobs) {
    const known: string[] = [];
    for (const need of job.needs) {
      const { path, pos } = needLocation(index, job.id, need);
      if (need === job.id) sink.report('self-need', pos, path, `${path}: job '${job.id}' cannot need itself`);
      else if (!jobIds.includes(need)) {
        const hint = didYouMean(need, jobIds.filter((id) => id !== job.id));
        sink.report('unknown-need', pos, path, `${path}: unknown job '${need}'${hint}`);
      } else known.push(need);
    }
    graph.set(job.id, known);
  }
  for (const cycle of findCycles(graph)) {
    const [first, second] = cycle as [string, string];
    const { path, pos } = needLocation(index, first, second);
    sink.report('needs-cycle', pos, path, `${path}: jobs need each other in a cycle: ${cycle.join(' → ')}`);
  }
}

/** Where `jobs.<job>.needs` names `need`: the list item, or the scalar of `needs: need`. */
function needLocation(index: SourceIndex, job: string, need: string): { path: string; pos: Position } {
  const needsPath = keyPath(keyPath('jobs', job), 'needs');
  const node = index.node(needsPath);
  if (node?.kind === 'seq') {
    const position = node.items.findIndex((item) => item.kind === 'scalar' && item.value === need);
    if (position >= 0) return { path: itemPath(needsPath, position), pos: index.valuePos(itemPath(needsPath, position)) };
  }
  return { path: needsPath, pos: index.valuePos(needsPath) };
}

/**
 * One cycle per back edge of a depth-first search in file order, each rotated to start at the
 * job written first and closed by repeating it (`a → b → a`). Deterministic for a given file.
 */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const order = [...graph.keys()];
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const cycles = new Map<string, string[]>();
  const visit = (node: string): void => {
    state.set(node, 'active');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const seen = state.get(next);
      if (seen === 'active') {
        const cycle = rotate(stack.slice(stack.indexOf(next)), order);
        cycles.set(cycle.join(' '), [...cycle, cycle[0] as string]);
      } else if (seen === undefined) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of order) if (!state.has(node)) visit(node);
  return [...cycles.values()];
}

function rotate(cycle: string[], order: readonly string[]): string[] {
  let start = 0;
  cycle.forEach((node, position) => {
    if (order.indexOf(node) < order.indexOf(cycle[start] as string)) start = position;
  });
  return [...cycle.slice(start), ...cycle.slice(0, start)];
}
