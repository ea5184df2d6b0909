// The EventBridge event "Step Functions Execution Status Change": only an ended execution matters.

import { CoordinationError, ErrorNames } from './errors';

export const ENDED_STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;

export type StatusChange =
  | { readonly ended: true; readonly executionArn: string; readonly status: (typeof ENDED_STATUSES)[number] }
  | { readonly ended: false; readonly executionArn: string; readonly status: string };

export function parseStatusChange(event: unknown): StatusChange {
  const detail = (event as { detail?: unknown } | null)?.detail as { executionArn?: unknown; status?: unknown } | undefined;
  const executionArn = detail?.executionArn;
  const status = detail?.status;
  if (typeof executionArn !== 'string' || executionArn === '' || typeof status !== 'string') {
    throw new CoordinationError(
      ErrorNames.invalidRequest,
      `status-change: expected an EventBridge "Step Functions Execution Status Change" event with detail.executionArn and detail.status, got ${JSON.stringify(event)}`,
    );
  }
  const ended = (ENDED_STATUSES as readonly string[]).includes(status);
  return ended
    ? { ended: true, executionArn, status: status as (typeof ENDED_STATUSES)[number] }
    : { ended: false, executionArn, status };
}
