import type { Job } from '../model/workflow';

/**
 * Jobs in a deterministic start order (Kahn's algorithm): among the jobs whose needs are all placed,
 * the one earliest in the file goes first (a heap of file positions, so n jobs cost n log n, not n²).
 * The validator rejects unknown needs and cycles before planning, so meeting one here is a bug in
 * the caller, not a user mistake.
 */
export function topologicalOrder(jobs: readonly Job[]): Job[] {
  const position = new Map(jobs.map((job, index) => [job.id, index]));
  const dependents = jobs.map((): number[] => []);
  const waiting = jobs.map((job) => new Set(job.needs).size);
  jobs.forEach((job, index) => {
    for (const need of new Set(job.needs)) {
      const at = position.get(need);
      if (at === undefined) throw new Error(`planWorkflow: job '${job.id}' needs unknown job '${need}' (the validator must reject it)`);
      dependents[at]!.push(index);
    }
  });
  const ready = new MinHeap();
  waiting.forEach((count, index) => count === 0 && ready.push(index));
  const order: Job[] = [];
  for (let next = ready.pop(); next !== undefined; next = ready.pop()) {
    order.push(jobs[next]!);
    for (const dependent of dependents[next]!) if (--waiting[dependent]! === 0) ready.push(dependent);
  }
  if (order.length < jobs.length) {
    const placed = new Set(order);
    const rest = jobs.filter((job) => !placed.has(job)).map((job) => `'${job.id}'`);
    throw new Error(`planWorkflow: the needs of ${rest.join(', ')} form a cycle (the validator must reject it)`);
  }
  return order;
}

/** The smallest of a set of numbers first. */
class MinHeap {
  private readonly items: number[] = [];

  push(value: number): void {
    const { items } = this;
    items.push(value);
    for (let index = items.length - 1; index > 0; ) {
      const parent = (index - 1) >> 1;
      if (items[parent]! <= value) break;
      [items[index], items[parent]] = [items[parent]!, value];
      index = parent;
    }
  }

  pop(): number | undefined {
    const { items } = this;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    for (let index = 0; ; ) {
      const left = 2 * index + 1;
      const smallest = [left, left + 1].filter((child) => child < items.length).reduce((best, child) => (items[child]! < items[best]! ? child : best), index);
      if (smallest === index) break;
      [items[index], items[smallest]] = [items[smallest]!, items[index]!];
      index = smallest;
    }
    return top;
  }
}
