// Target of the "Step Functions Execution Status Change" rule: releases what an ended execution holds.
// Also the target of a schedule: then it sweeps leases that ran out (lib/runtime/coordination/sweep.ts).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import type { CreateHandler } from '../../lib/runtime/deps';
import { logExecutionEnded, logSweep } from '../../lib/runtime/coordination/decision-log';
import { silentLog } from '../../lib/runtime/log';
import { parseStatusChange, releaseExecution, sweepExpiredLeases, type ExecutionCleanup, type SweepResult } from '../../lib/runtime/coordination';
import { stopExecutionRunners } from '../../lib/runtime/runners';
import { dropApprovals } from '../../lib/runtime/approvals/approvals';

export type StatusChangeResult =
  | { readonly ignored: true; readonly status: string }
  | ({ readonly ignored: false; readonly stoppedRunners: readonly string[]; readonly droppedApprovals: number } & ExecutionCleanup)
  | ({ readonly swept: true } & SweepResult);

export const createHandler: CreateHandler<unknown, StatusChangeResult> = (deps) => async (event) => {
  const log = deps.log ?? silentLog;
  if (isScheduledEvent(event)) {
    const swept = await sweepExpiredLeases(deps);
    logSweep(log, swept);
    return { swept: true, ...swept };
  }
  const change = parseStatusChange(event);
  if (!change.ended) return { ignored: true, status: change.status };
  // An aborted or timed-out execution ran no `stop runner` state: its runners get a stop item.
  const stoppedRunners = await stopExecutionRunners(deps, change.executionArn, change.status);
  // A superseded or cancelled run waits for no approval any more.
  const droppedApprovals = await dropApprovals(deps, change.executionArn);
  const cleanup = await releaseExecution(deps, change.executionArn);
  logExecutionEnded(log, change.executionArn, change.status, cleanup, stoppedRunners);
  return { ignored: false, stoppedRunners, droppedApprovals, ...cleanup };
};

export const handler = createHandler({
  env: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)),
  dynamodb: new DynamoDBClient({}),
  sfn: new SFNClient({}),
  now: Date.now,
  log: new Logger({ serviceName: 'stepdeploy-status-change' }),
});

function isScheduledEvent(event: unknown): boolean {
  const { source, ['detail-type']: detailType } = (event ?? {}) as { source?: unknown; 'detail-type'?: unknown };
  return source === 'aws.events' && detailType === 'Scheduled Event';
}
