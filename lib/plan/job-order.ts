import type { Job } from '../model/workflow';

/**
 * Jobs in a deterministic start order (Kahn's algorithm): among the jobs whose needs are all placed,
 * the one earliest in the file goes first. The validator rejects unknown needs and cycles before
 * planning, so meeting one here is a bug in the caller, not a user mistake.
 */
export function topologicalOrder(jobs: readonly Job[]): Job[] {
  const known = new Set(jobs.map((job) => job.id));
  for (const job of jobs) {
    for (const need of job.needs) {
      if (!known.has(need)) throw new Error(`planWorkflow: job '${job.id}' needs unknown job '${need}' (the validator must reject it)`);
    }
  }
  const placed = new Set<string>();
  const order: Job[] = [];
  while (order.length < jobs.length) {
    const next = jobs.find((job) => !placed.has(job.id) && job.needs.every((need) => placed.has(need)));
    if (next === undefined) {
      const rest = jobs.filter((job) => !placed.has(job.id)).map((job) => `'${job.id}'`);
      throw new Error(`planWorkflow: the needs of ${rest.join(', ')} form a cycle (the validator must reject it)`);
    }
    placed.add(next.id);
    order.push(next);
  }
  return order;
}
