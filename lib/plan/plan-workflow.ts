import { expandMatrix, MAX_MATRIX_CELLS } from '../model/matrix';
import { isDynamicMatrix, type Job, type Workflow } from '../model/workflow';
import { dagShape } from './dag-shape';
import { topologicalOrder } from './job-order';
import { groupSteps } from './step-groups';
import type { Plan, PlannedJob } from './types';

/** Workflow → Plan: pure and deterministic. Expects a validated workflow (known needs, no cycles). */
export function planWorkflow(workflow: Workflow): Plan {
  const order = topologicalOrder(workflow.jobs);
  const dependents = new Map<string, string[]>(workflow.jobs.map((job) => [job.id, []]));
  for (const job of workflow.jobs) for (const need of new Set(job.needs)) dependents.get(need)?.push(job.id);
  return {
    workflow,
    jobs: order.map((job) => planJob(job, dependents.get(job.id) ?? [])),
    shape: dagShape(order, workflow.jobs),
  };
}

function planJob(job: Job, dependents: readonly string[]): PlannedJob {
  const strategy = job.strategy;
  return {
    job,
    ...(strategy && (isDynamicMatrix(strategy.matrix) ? { dynamicMatrix: { matrix: strategy.matrix, bound: MAX_MATRIX_CELLS } } : { cells: expandMatrix(strategy.matrix) })),
    ...(strategy?.maxParallel !== undefined && { maxParallel: strategy.maxParallel }),
    failFast: strategy?.failFast ?? true,
    ...(strategy?.expressions !== undefined && { strategyExpressions: strategy.expressions }),
    stepGroups: groupSteps(job.steps),
    dependents,
  };
}
