// Stopping runners from outside the state machine: an execution that was aborted or timed out runs no
// `stop runner` state, so the status-change handler asks every runner indexed under it to stop; nor
// do the cells fail-fast stops, so the failed cell asks theirs before it fails the Map.

import type { HandlerDeps } from '../deps';
import { deleteItem, putItem, queryPrefix, tableOf, type Table } from '../coordination/table';
import { executionIndexPk } from '../coordination/keys';
import { RUNNER_PREFIX, runnerIdParts, runnerIndexKey, stopItemKey } from './keys';

/** `expiresAt` (epoch seconds, the table's TTL attribute): for a stop item that may come after its runner left. */
export async function writeStopItem(table: Table, runnerId: string, reason: string, expiresAt?: number): Promise<void> {
  const { pk, sk } = stopItemKey(runnerId);
  await putItem(table, { pk: { S: pk }, sk: { S: sk }, reason: { S: reason }, ...(expiresAt === undefined ? {} : { ttl: { N: String(expiresAt) } }) });
}

/** A day: a fail-fast stop item that reached a runner already on its way out is deleted by DynamoDB's TTL then. */
const STALE_STOP_TTL_SECONDS = 24 * 60 * 60;

/** Every runner the execution started gets a stop item; its index item goes. Returns the runner ids. */
export async function stopExecutionRunners(deps: Pick<HandlerDeps, 'env' | 'dynamodb'>, executionArn: string, reason: string): Promise<string[]> {
  const table = tableOf(deps);
  const index = await queryPrefix(table, executionIndexPk(executionArn), RUNNER_PREFIX);
  const runners = index.map((item) => item.sk?.S?.slice(RUNNER_PREFIX.length) ?? '').filter(Boolean);
  await Promise.all(runners.map((runner) => writeStopItem(table, runner, reason)));
  await Promise.all(runners.map((runner) => deleteItem(table, runnerIndexKey(executionArn, runner))));
  return runners;
}

/**
 * A cell of `job` failed and fail-fast is about to stop the others: their `stop runner` states will
 * never run, so each of the job's runners still registered under `executionArn` (the execution
 * running the cells) gets a stop item. One that registers after this read is not found; it ends with
 * the execution, as before. The failed cell's runner, already asked and on its way out, may get the
 * item after it left: the item expires (TTL).
 */
export async function stopJobRunners(deps: Pick<HandlerDeps, 'env' | 'dynamodb' | 'now'>, executionArn: string, job: string): Promise<string[]> {
  const table = tableOf(deps);
  const index = await queryPrefix(table, executionIndexPk(executionArn), RUNNER_PREFIX);
  const runners = index.map((item) => item.sk?.S?.slice(RUNNER_PREFIX.length) ?? '').filter((runner) => runner !== '' && runnerIdParts(runner).job === job);
  const expiresAt = Math.floor(deps.now() / 1000) + STALE_STOP_TTL_SECONDS;
  await Promise.all(runners.map((runner) => writeStopItem(table, runner, 'fail-fast stopped the cell', expiresAt)));
  return runners;
}
