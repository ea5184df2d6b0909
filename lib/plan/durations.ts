import type { Job, Step } from '../model/workflow';
import type { PlannedJob } from './types';

/** How long a step is expected to take, in seconds (an estimate the caller chooses). */
export type StepDuration = (job: Job, step: Step) => number;

/**
 * One run of the job (one matrix cell): its step groups run one after another, and a group lasts as
 * long as its slowest step.
 */
export function cellSeconds(planned: PlannedJob, durationSeconds: StepDuration): number {
  let total = 0;
  for (const group of planned.stepGroups) {
    total += Math.max(0, ...group.map((step) => durationSeconds(planned.job, step)));
  }
  return total;
}

/** Step-seconds of one cell: what the job holds of a workflow-level window, summed over time. */
export function cellWork(planned: PlannedJob, durationSeconds: StepDuration): number {
  return planned.job.steps.reduce((sum, step) => sum + durationSeconds(planned.job, step), 0);
}

/** Number of runs of the job: its matrix cells, or one. */
export function runCount(planned: PlannedJob): number {
  return planned.cells?.length ?? 1;
}
