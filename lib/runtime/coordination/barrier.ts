// The needs barrier: jobs of a DAG that is not series-parallel run as branches of one Parallel state,
// and each waits (on a task token) until every job it needs has published its result.
//
// No lost wake-up: `publish` writes its result and then reads the waiters; `wait` writes its waiter and
// then reads the results. Both reads are consistent, so whichever write comes last is followed by a read
// that sees everything. Both sides may then complete the same token: the second SendTaskSuccess fails
// with InvalidToken/TaskTimedOut, which notify.ts ignores.

import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import type { Json } from '../../model/workflow';
import type { HandlerDeps } from '../deps';
import { needsPk, needsResultKey, needsWaitKey } from './keys';
import { deleteItem, getItem, putItem, queryPrefix, tableOf, type Table } from './table';
import { errorName } from './errors';

export interface NeedsWaitCommand {
  readonly executionArn: string;
  readonly job: string;
  readonly needs: readonly string[];
  readonly taskToken: string;
}

export interface NeedsPublishCommand {
  readonly executionArn: string;
  readonly job: string;
  readonly result: Json;
}

/** What a waiting job's token is completed with. */
export interface NeedsOutput {
  readonly needs: Readonly<Record<string, Json>>;
}

type ResultCache = Map<string, Promise<Json | undefined>>;

function readResult(table: Table, executionArn: string, job: string, cache: ResultCache): Promise<Json | undefined> {
  let pending = cache.get(job);
  if (pending === undefined) {
    pending = getItem(table, needsResultKey(executionArn, job)).then((item) =>
      item?.result?.S === undefined ? undefined : (JSON.parse(item.result.S) as Json),
    );
    cache.set(job, pending);
  }
  return pending;
}

/** The needs' results when all have been published; undefined while one is missing. */
async function collect(table: Table, executionArn: string, needs: readonly string[], cache: ResultCache): Promise<NeedsOutput | undefined> {
  const results = await Promise.all(needs.map((job) => readResult(table, executionArn, job, cache)));
  if (results.some((r) => r === undefined)) return undefined;
  return { needs: Object.fromEntries(needs.map((job, i) => [job, results[i] as Json])) };
}

async function complete(deps: HandlerDeps, table: Table, executionArn: string, job: string, token: string, output: NeedsOutput): Promise<void> {
  try {
    await deps.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
  } catch (error) {
    const name = errorName(error);
    if (name !== 'TaskTimedOut' && name !== 'InvalidToken' && name !== 'TaskDoesNotExist') throw error;
  }
  await deleteItem(table, needsWaitKey(executionArn, job));
}

/** Parks the job's token until all its needs have published; completes it at once if they have. */
export async function waitForNeeds(deps: HandlerDeps, command: NeedsWaitCommand): Promise<{ readonly ready: boolean }> {
  const table = tableOf(deps);
  const { pk, sk } = needsWaitKey(command.executionArn, command.job);
  await putItem(table, {
    pk: { S: pk },
    sk: { S: sk },
    job: { S: command.job },
    needs: { L: command.needs.map((need) => ({ S: need })) },
    token: { S: command.taskToken },
  });
  const output = await collect(table, command.executionArn, command.needs, new Map());
  if (output === undefined) return { ready: false };
  await complete(deps, table, command.executionArn, command.job, command.taskToken, output);
  return { ready: true };
}

/** Records a job's result and wakes every waiter whose needs are now all published. */
export async function publishResult(deps: HandlerDeps, command: NeedsPublishCommand): Promise<{ readonly woken: readonly string[] }> {
  const table = tableOf(deps);
  const { pk, sk } = needsResultKey(command.executionArn, command.job);
  await putItem(table, { pk: { S: pk }, sk: { S: sk }, job: { S: command.job }, result: { S: JSON.stringify(command.result) } });
  const waiters = await queryPrefix(table, needsPk(command.executionArn), 'wait#');
  const cache: ResultCache = new Map();
  const woken = await Promise.all(
    waiters.map(async (item) => {
      const job = item.job?.S ?? '';
      const needs = (item.needs?.L ?? []).map((n) => n.S ?? '');
      const token = item.token?.S;
      if (token === undefined || !needs.includes(command.job)) return undefined;
      const output = await collect(table, command.executionArn, needs, cache);
      if (output === undefined) return undefined;
      await complete(deps, table, command.executionArn, job, token, output);
      return job;
    }),
  );
  return { woken: woken.filter((job): job is string => job !== undefined).sort() };
}

/** Deletes an ended execution's barrier items (results and waiters). */
export async function clearNeeds(table: Table, executionArn: string): Promise<number> {
  const items = await queryPrefix(table, needsPk(executionArn), '');
  await Promise.all(items.map((item) => deleteItem(table, { pk: item.pk?.S ?? '', sk: item.sk?.S ?? '' })));
  return items.length;
}
