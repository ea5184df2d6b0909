import type { Concurrency } from '../model/workflow';
import type { RuntimeRefs } from './refs';
import { coordinatorBusyRetry, lambdaServiceRetry } from './retries';
import { TaskResources, type JsonValue, type TaskState } from './types';

// Tasks on the coordinator function (lib/runtime/coordination): concurrency groups, the max-parallel
// window and the needs barrier.

/**
 * The run's execution ARN, as the first state recorded it. Not `$$.Execution.Id`: inside a
 * Distributed Map that names the cell's child execution, and a run's holders, window and barrier
 * must all belong to the run.
 */
export const RUN_EXECUTION = '$.run.execution.id';

/** A year: waiting for a group has no timeout of its own (queued time is not run time). */
export const WAIT_TIMEOUT_SECONDS = 31_536_000;
/**
 * A holder's lease. It only matters when every release path failed (the state machine's release and
 * the status-change event): once it has run out, the next decision on the group asks Step Functions
 * whether the holder's execution still runs, extends it if so and reclaims the slot if not
 * (lib/runtime/coordination/liveness.ts). So it bounds how long a vanished holder blocks a group, not
 * how long a live one may hold it.
 */
export const LEASE_SECONDS = 600;

/** A plain coordinator call (release, needs.publish) for the current execution. */
export function coordinatorTask(refs: RuntimeRefs, payload: Record<string, JsonValue>): TaskState {
  return {
    Type: 'Task',
    Resource: TaskResources.lambdaInvoke,
    Parameters: { FunctionName: refs.coordinatorFunctionArn, Payload: { ...payload, 'executionArn.$': RUN_EXECUTION } },
    Retry: [lambdaServiceRetry, coordinatorBusyRetry],
  };
}

/** The acquire fields of a `concurrency:` whose group and cancel-in-progress were evaluated to `evaluatedPath`. */
export function lockRequest(lock: Concurrency, evaluatedPath: string, holder: string): Record<string, JsonValue> {
  return {
    'group.$': `${evaluatedPath}.group`,
    'cancelInProgress.$': `${evaluatedPath}.cancelInProgress`,
    capacity: lock.capacity,
    queue: lock.queue,
    'holder.$': holder,
    leaseSeconds: LEASE_SECONDS,
  };
}

/**
 * Waits for a group: the coordinator grants at once or parks the task token in the group's queue;
 * a release wakes it. No polling loop, so waiting costs no transitions.
 */
export function acquireTask(refs: RuntimeRefs, request: Record<string, JsonValue>, next: string): TaskState {
  return {
    Type: 'Task',
    Resource: TaskResources.lambdaInvokeWaitForToken,
    Parameters: {
      FunctionName: refs.coordinatorFunctionArn,
      Payload: { op: 'acquire', ...request, 'executionArn.$': RUN_EXECUTION, 'taskToken.$': '$$.Task.Token' },
    },
    TimeoutSeconds: WAIT_TIMEOUT_SECONDS,
    ResultPath: null,
    Retry: [lambdaServiceRetry, coordinatorBusyRetry],
    Next: next,
  };
}

/**
 * Gives a group of `capacity` slots back. Its failure is not the run's: the status-change handler and
 * the lease free the slot. A capacity above 1 goes with it: holders of a semaphore may release together,
 * and the coordinator then claims a waiter instead of reading first (lib/runtime/coordination/locks.ts).
 */
export function releaseTask(refs: RuntimeRefs, holding: Record<string, JsonValue>, capacity: number, next: string): TaskState {
  return {
    ...coordinatorTask(refs, { op: 'release', ...holding, ...(capacity > 1 ? { capacity } : {}) }),
    ResultPath: null,
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: next }],
    Next: next,
  };
}

/** The execution's max-parallel window group, as the state machine names it (its key comes from `executionArn`). */
const WINDOW_GROUP = `States.Format('window#{}', ${RUN_EXECUTION})`;

/**
 * Taking and giving back one slot of the execution's max-parallel window (`size` slots) for the
 * holder that `holder` (an intrinsic) names: a step, or a whole cell whose steps run one at a time.
 */
export function windowSlotTasks(refs: RuntimeRefs, size: number, holder: string) {
  return {
    acquire: (next: string): TaskState =>
      acquireTask(refs, { 'group.$': WINDOW_GROUP, window: true, capacity: size, queue: 'max', cancelInProgress: false, 'holder.$': holder, leaseSeconds: LEASE_SECONDS }, next),
    release: (next: string): TaskState => releaseTask(refs, { 'group.$': WINDOW_GROUP, window: true, 'holder.$': holder }, size, next),
  };
}
