// Stopping runners from outside the state machine: an execution that was aborted or timed out runs no
// `stop runner` state, so the status-change handler asks every runner indexed under it to stop.

import type { HandlerDeps } from '../deps';
import { deleteItem, putItem, queryPrefix, tableOf, type Table } from '../coordination/table';
import { executionIndexPk } from '../coordination/keys';
import { RUNNER_PREFIX, runnerIndexKey, stopItemKey } from './keys';

export async function writeStopItem(table: Table, runnerId: string, reason: string): Promise<void> {
  const { pk, sk } = stopItemKey(runnerId);
  await putItem(table, { pk: { S: pk }, sk: { S: sk }, reason: { S: reason } });
}

/** Every runner the execution started gets a stop item; its index item goes. Returns the runner ids. */
export async function stopExecutionRunners(deps: Pick<HandlerDeps, 'env' | 'dynamodb'>, executionArn: string, reason: string): Promise<string[]> {
  const table = tableOf(deps);
  const index = await queryPrefix(table, executionIndexPk(executionArn), RUNNER_PREFIX);
  const runners = index.map((item) => item.sk?.S?.slice(RUNNER_PREFIX.length) ?? '').filter(Boolean);
  await Promise.all(runners.map((runner) => writeStopItem(table, runner, reason)));
  await Promise.all(runners.map((runner) => deleteItem(table, runnerIndexKey(executionArn, runner))));
  return runners;
}
