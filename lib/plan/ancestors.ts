import type { Plan } from './types';

/**
 * Every job a job comes after, directly or through its needs, in start order. GitHub's `failure()`
 * in a job's `if:` is true when any of them failed, not only a direct need.
 */
export function jobAncestors(plan: Plan): ReadonlyMap<string, readonly string[]> {
  const order = new Map(plan.jobs.map((planned, index) => [planned.job.id, index]));
  const ancestors = new Map<string, readonly string[]>();
  // Start order is topological: every need's ancestors are known when the job is reached.
  for (const { job } of plan.jobs) {
    const all = new Set<string>();
    for (const need of job.needs) {
      all.add(need);
      for (const ancestor of ancestors.get(need) ?? []) all.add(ancestor);
    }
    ancestors.set(job.id, [...all].sort((a, b) => order.get(a)! - order.get(b)!));
  }
  return ancestors;
}
