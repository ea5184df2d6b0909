import { criticalPath } from './critical-path';
import { cellSeconds, cellWork, runCount, type StepDuration } from './durations';
import type { Plan } from './types';

export interface MakespanOptions {
  /** The workflow-level window (steps and cells at once); defaults to the workflow's `max-parallel`. */
  readonly maxParallel?: number;
}

/**
 * No schedule can finish sooner than this many seconds. The bound is the largest of:
 * - the critical path (needs run one after another);
 * - for each matrix job, ceil(cells / max-parallel) rounds of one cell each;
 * - with a workflow-level window W, the total step-seconds of every cell of every job divided by W.
 */
export function makespanLowerBound(plan: Plan, durationSeconds: StepDuration, options: MakespanOptions = {}): number {
  let bound = criticalPath(plan, durationSeconds).seconds;

  for (const planned of plan.jobs) {
    if (planned.cells !== undefined && planned.maxParallel !== undefined) {
      const rounds = Math.ceil(planned.cells.length / planned.maxParallel);
      bound = Math.max(bound, rounds * cellSeconds(planned, durationSeconds));
    }
  }

  const window = options.maxParallel ?? plan.workflow.maxParallel;
  if (window !== undefined) {
    const work = plan.jobs.reduce((sum, planned) => sum + runCount(planned) * cellWork(planned, durationSeconds), 0);
    bound = Math.max(bound, work / window);
  }
  return bound;
}
