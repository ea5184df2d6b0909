import { cellSeconds, type StepDuration } from './durations';
import type { Plan } from './types';

export interface CriticalPath {
  /** Job ids from the first job to the last. */
  readonly jobs: string[];
  readonly seconds: number;
}

/**
 * The longest chain of needs, weighting each job by one cell's duration (matrix cells run in parallel,
 * so with unlimited parallelism a matrix job lasts as long as one cell). Ties go to the job earlier in
 * the plan, so the answer is deterministic.
 */
export function criticalPath(plan: Plan, durationSeconds: StepDuration): CriticalPath {
  const finish = new Map<string, number>();
  const via = new Map<string, string>();
  for (const planned of plan.jobs) {
    let start = 0;
    for (const candidate of plan.jobs) {
      const end = finish.get(candidate.job.id);
      if (planned.job.needs.includes(candidate.job.id) && end !== undefined && end > start) {
        start = end;
        via.set(planned.job.id, candidate.job.id);
      }
    }
    finish.set(planned.job.id, start + cellSeconds(planned, durationSeconds));
  }

  let last: string | undefined;
  let seconds = 0;
  for (const planned of plan.jobs) {
    const end = finish.get(planned.job.id) ?? 0;
    if (last === undefined || end > seconds) {
      last = planned.job.id;
      seconds = end;
    }
  }
  const jobs: string[] = [];
  for (let id = last; id !== undefined; id = via.get(id)) jobs.unshift(id);
  return { jobs, seconds };
}
