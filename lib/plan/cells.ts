import type { PlannedJob } from './types';

/** Whether the job runs as a Map over matrix cells (known now or when it starts). */
export const hasMatrix = (planned: PlannedJob): boolean => planned.cells !== undefined || planned.dynamicMatrix !== undefined;

/** The job's cells, or the most a dynamic matrix may give; 1 for a job without a matrix. */
export const cellBound = (planned: PlannedJob): number => planned.cells?.length ?? planned.dynamicMatrix?.bound ?? 1;
