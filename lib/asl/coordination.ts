import type { Concurrency } from '../model/workflow';
import type { RuntimeRefs } from './refs';
import { coordinatorBusyRetry, lambdaServiceRetry } from './retries';
import { TaskResources, type JsonValue, type TaskState } from './types';

// Tasks on the coordinator function (lib/runtime/coordination): concurrency groups, the max-parallel
// window and the needs barrier.

/** A year: waiting for a group has no timeout of its own (queued time is not run time). */
export const WAIT_TIMEOUT_SECONDS = 31_536_000;
/** Beyond the longest the holder can run: the lease frees a group only if every release path failed. */
const LEASE_MARGIN_SECONDS = 300;

/** A plain coordinator call (release, needs.publish) for the current execution. */
export function coordinatorTask(refs: RuntimeRefs, payload: Record<string, JsonValue>): TaskState {
  return {
    Type: 'Task',
    Resource: TaskResources.lambdaInvoke,
    Parameters: { FunctionName: refs.coordinatorFunctionArn, Payload: { ...payload, 'executionArn.$': '$$.Execution.Id' } },
    Retry: [lambdaServiceRetry, coordinatorBusyRetry],
  };
}

/** The acquire fields of a `concurrency:` whose group and cancel-in-progress were evaluated to `evaluatedPath`. */
export function lockRequest(lock: Concurrency, evaluatedPath: string, holder: string, holdSeconds: number): Record<string, JsonValue> {
  return {
    'group.$': `${evaluatedPath}.group`,
    'cancelInProgress.$': `${evaluatedPath}.cancelInProgress`,
    capacity: lock.capacity,
    queue: lock.queue,
    'holder.$': holder,
    leaseSeconds: leaseFor(holdSeconds),
  };
}

export function leaseFor(holdSeconds: number): number {
  return Math.min(holdSeconds + LEASE_MARGIN_SECONDS, WAIT_TIMEOUT_SECONDS);
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
      Payload: { op: 'acquire', ...request, 'executionArn.$': '$$.Execution.Id', 'taskToken.$': '$$.Task.Token' },
    },
    TimeoutSeconds: WAIT_TIMEOUT_SECONDS,
    ResultPath: null,
    Retry: [lambdaServiceRetry, coordinatorBusyRetry],
    Next: next,
  };
}

/** Gives a group back. Its failure is not the run's: the status-change handler and the lease free the slot. */
export function releaseTask(refs: RuntimeRefs, holding: Record<string, JsonValue>, next: string): TaskState {
  return {
    ...coordinatorTask(refs, { op: 'release', ...holding }),
    ResultPath: null,
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: next }],
    Next: next,
  };
}
