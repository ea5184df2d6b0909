// Target of the "Step Functions Execution Status Change" rule: releases what an ended execution holds.
// Also the target of a schedule: then it sweeps leases that ran out (lib/runtime/coordination/sweep.ts).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { CreateHandler } from '../../lib/runtime/deps';
import { parseStatusChange, releaseExecution, sweepExpiredLeases, type ExecutionCleanup, type SweepResult } from '../../lib/runtime/coordination';
import { stopExecutionRunners } from '../../lib/runtime/runners';

export type StatusChangeResult =
  | { readonly ignored: true; readonly status: string }
  | ({ readonly ignored: false; readonly stoppedRunners: readonly string[] } & ExecutionCleanup)
  | ({ readonly swept: true } & SweepResult);

export const createHandler: CreateHandler<unknown, StatusChangeResult> = (deps) => async (event) => {
  if (isScheduledEvent(event)) return { swept: true, ...(await sweepExpiredLeases(deps)) };
  const change = parseStatusChange(event);
  if (!change.ended) return { ignored: true, status: change.status };
  // An aborted or timed-out execution ran no `stop runner` state: its runners get a stop item.
  const stoppedRunners = await stopExecutionRunners(deps, change.executionArn, change.status);
  return { ignored: false, stoppedRunners, ...(await releaseExecution(deps, change.executionArn)) };
};

export const handler = createHandler({
  env: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)),
  dynamodb: new DynamoDBClient({}),
  sfn: new SFNClient({}),
  now: Date.now,
});

function isScheduledEvent(event: unknown): boolean {
  const { source, ['detail-type']: detailType } = (event ?? {}) as { source?: unknown; 'detail-type'?: unknown };
  return source === 'aws.events' && detailType === 'Scheduled Event';
}
