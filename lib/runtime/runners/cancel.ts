// A run cancelled as GitHub cancels one (the first Ctrl-C of `stepdeploy run`): the jobs and steps
// whose `if:` calls always() or cancelled() still run, everything else stops or is skipped. The
// request is two kinds of items: a marker beside the run's index (`exec#<run>` / `cancel`), which
// each job start of a cancellable workflow reads (lib/runtime/evaluate) and each runner reads when
// it starts, and a `cancel` item in every runner's partition that exists already, on which the
// runner stops its running steps with the error `Cancelled` (lib/runner/runner.ts). The marker is
// written first and runners register before they read it, so a runner starting meanwhile sees one or
// the other.

import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { executionIndexPk } from '../coordination/keys';
import { putItem, queryPrefix, type Table } from '../coordination/table';
import { RUNNER_PREFIX, runnerPk } from './keys';

/** The error a cancelled step fails with; the definition (lib/asl/cancellable.ts) turns it into the job status `cancelled`. */
export const CANCELLED_ERROR = 'Cancelled';

export const CANCEL_SK = 'cancel';

export const cancelMarkerKey = (runExecutionArn: string) => ({ pk: executionIndexPk(runExecutionArn), sk: CANCEL_SK });
export const runnerCancelKey = (runnerId: string) => ({ pk: runnerPk(runnerId), sk: CANCEL_SK });

/** A day, as the ended markers: DynamoDB's TTL deletes the marker after its run is long over. */
const TTL_SECONDS = 24 * 60 * 60;

/** Asks a running execution to cancel; returns the runners told to stop their steps. */
export async function requestCancel(table: Table, runExecutionArn: string, now: number, reason: string): Promise<string[]> {
  const ttl = { N: String(Math.floor(now / 1000) + TTL_SECONDS) };
  const marker = cancelMarkerKey(runExecutionArn);
  await putItem(table, { pk: { S: marker.pk }, sk: { S: marker.sk }, reason: { S: reason }, ttl });
  const runners = (await queryPrefix(table, executionIndexPk(runExecutionArn), RUNNER_PREFIX)).map((item) => (item.sk?.S ?? '').slice(RUNNER_PREFIX.length));
  await Promise.all(
    runners.map((runner) => {
      const key = runnerCancelKey(runner);
      return putItem(table, { pk: { S: key.pk }, sk: { S: key.sk }, reason: { S: reason }, ttl });
    }),
  );
  return runners;
}

/** Whether the run was asked to cancel (a Query, which the runner role may make on `exec#` keys). */
export async function cancelRequested(table: Table, runExecutionArn: string): Promise<boolean> {
  const { pk, sk } = cancelMarkerKey(runExecutionArn);
  const out = await table.client.send(
    new QueryCommand({
      TableName: table.name,
      KeyConditionExpression: 'pk = :pk AND sk = :sk',
      ExpressionAttributeValues: { ':pk': { S: pk }, ':sk': { S: sk } },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).length > 0;
}
