// Longest cells first: a matrix job whose Map runs fewer cells at once than it has gets a state
// between its matrix and its Map that orders the cells by the durations its runners recorded in
// earlier runs (lib/runtime/evaluate/job-order.ts). The Map then reads `{ cell, matrix }` items, so
// `$.cell` stays the written index whatever the order. +1 state transition and 1 evaluate call per
// job run; nothing per cell.

import { MAX_MATRIX_CELLS } from '../model/matrix';
import type { PlannedJob } from '../plan/types';
import { RUN_EXECUTION } from './coordination';
import type { RuntimeRefs } from './refs';
import { lambdaServiceRetry } from './retries';
import { TaskResources, type JsonValue, type SubMachine, type TaskState } from './types';

/**
 * How many iterations a Map runs at once without MaxConcurrency: 40 inline, in AWS and on the local
 * engine (which runs a Distributed Map's the same way). A Distributed Map in AWS may run more: its
 * cells are ordered all the same, so that whether a job's Map is distributed (the history budget
 * decides) never changes its other states (lib/asl/definition-bound.ts counts on that).
 */
const AT_ONCE_WITHOUT_LIMIT = 40;

/**
 * Whether the job's cells start in recorded-duration order: a written-out matrix with more cells than
 * run at once, within GitHub's 256 — past that (`max-cells`) the items stay as written, since their
 * indices would take room in the execution's data that such a matrix needs (lib/asl/limits.ts).
 */
export function ordersCells(planned: PlannedJob, maxConcurrency: number | undefined): boolean {
  if (planned.dynamicMatrix !== undefined || planned.strategyExpressions !== undefined) return false;
  if ((planned.cells?.length ?? 0) > MAX_MATRIX_CELLS) return false;
  return (planned.cells?.length ?? 0) > (maxConcurrency ?? AT_ONCE_WITHOUT_LIMIT);
}

/** The ordered Map's ItemSelector fields: its item is `{ cell, matrix }`. */
export const ORDERED_ITEM = { 'matrix.$': '$$.Map.Item.Value.matrix', 'cell.$': '$$.Map.Item.Value.cell' } as const;

/** `<job>: order`: `$.cells` (the written matrix) becomes `{ items: [{ cell, matrix }] }`, longest first. */
export function cellOrderTask(refs: RuntimeRefs, job: string, next: string): TaskState {
  const payload: Record<string, JsonValue> = { op: 'job.order', job, 'run.$': RUN_EXECUTION, 'cells.$': '$.cells' };
  return {
    Type: 'Task',
    Comment: `The cells of ${job}, longest (as recorded in earlier runs) first.`,
    Resource: TaskResources.lambdaInvoke,
    Parameters: { FunctionName: refs.evaluateFunctionArn, Payload: payload },
    Retry: [lambdaServiceRetry],
    ResultSelector: { 'items.$': '$.Payload.items' },
    ResultPath: '$.cells',
    Next: next,
  };
}

/** Where an ordered Map reads its items. */
export const ORDERED_ITEMS_PATH = '$.cells.items';

/** The jobs whose cells a compiled definition orders (their evaluate function then reads the durations). */
export function orderedJobs(machine: SubMachine): Set<string> {
  const jobs = new Set<string>();
  const visit = (sub: SubMachine): void => {
    for (const state of Object.values(sub.States)) {
      if (state.Type === 'Parallel') state.Branches.forEach(visit);
      else if (state.Type === 'Map') visit(state.ItemProcessor);
      else if (state.Type === 'Task') {
        const payload = (state.Parameters as { Payload?: { op?: unknown; job?: unknown } } | undefined)?.Payload;
        if (payload?.op === 'job.order' && typeof payload.job === 'string') jobs.add(payload.job);
      }
    }
  };
  visit(machine);
  return jobs;
}

/** What ordering adds to each cell in the execution's data: the item's `{ "cell": N, "matrix": … }` and the result's `"cell": N,`. */
export function orderedCellBytes(cells: number): number {
  const index = String(Math.max(0, cells - 1)).length;
  return JSON.stringify({ cell: 0, matrix: null }).length - 'null'.length - 1 + index + `"cell":,`.length + index;
}
