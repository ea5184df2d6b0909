import type { Retrier } from './types';

/** Retries for transient Lambda service errors, as the Step Functions console adds by default. */
export const lambdaServiceRetry: Retrier = {
  ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'],
  IntervalSeconds: 1,
  MaxAttempts: 3,
  BackoffRate: 2,
};

/**
 * The coordinator answers CoordinatorBusy when its optimistic writes keep conflicting; a crash or
 * timeout of the function itself surfaces as Lambda.Unknown. Every coordinator operation is
 * idempotent per holder, so both are simply tried again.
 */
export const coordinatorBusyRetry: Retrier = {
  ErrorEquals: ['CoordinatorBusy', 'Lambda.Unknown', 'Lambda.ClientExecutionTimeoutException'],
  IntervalSeconds: 1,
  MaxAttempts: 6,
  BackoffRate: 2,
};
