// Carries out what a committed transition decided: wake granted waiters, fail superseded ones, stop
// cancelled holders. Runs after the write, so a crash here leaves a granted-but-unwoken holder whose
// lease then expires (the backstop), never a lost slot.

import { SendTaskFailureCommand, SendTaskSuccessCommand, StopExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { ErrorNames, errorName } from './errors';
import type { Transition } from './group-state';
import { deleteToken, getToken } from './tokens';
import type { Table } from './table';

/** The token was already completed (a double wake), timed out, or its execution ended: nothing to tell. */
const GONE_TASK = new Set(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist']);
const GONE_EXECUTION = new Set(['ExecutionDoesNotExist']);

export interface GrantOutput {
  readonly granted: true;
  readonly group: string;
  readonly holder: string;
  readonly waitedMs: number;
}

async function ignoring(gone: ReadonlySet<string>, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    const name = errorName(error);
    if (name === undefined || !gone.has(name)) throw error;
  }
}

export async function sendGrant(sfn: SFNClient, taskToken: string, output: GrantOutput): Promise<void> {
  await ignoring(GONE_TASK, () => sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })));
}

export async function sendFailure(sfn: SFNClient, taskToken: string, error: string, cause: string): Promise<void> {
  await ignoring(GONE_TASK, () => sfn.send(new SendTaskFailureCommand({ taskToken, error, cause })));
}

export interface NoticeContext {
  readonly table: Table;
  readonly sfn: SFNClient;
  readonly key: string;
  /** The group's display name, for causes. */
  readonly groupName: string;
  /** The execution whose arrival superseded or stopped others, when there is one. */
  readonly newcomerExecution?: string;
}

/** Sends every notice of a committed transition; all are attempted, then the first failure is thrown. */
export async function deliverNotices(context: NoticeContext, transition: Transition): Promise<void> {
  const { table, sfn, key, groupName } = context;
  const by = context.newcomerExecution ?? 'a newer run';
  const tasks: Promise<void>[] = [
    ...transition.granted.map(async (holding) => {
      const parked = await getToken(table, key, holding.holder);
      if (parked === undefined) return; // its acquire crashed before parking, or it was woken already
      await sendGrant(sfn, parked.token, {
        granted: true,
        group: parked.group,
        holder: holding.holder,
        waitedMs: Math.max(0, holding.since - parked.since),
      });
      await deleteToken(table, key, holding.holder);
    }),
    ...transition.superseded.map(async (waiter) => {
      const parked = await getToken(table, key, waiter.holder);
      if (parked === undefined) return;
      await sendFailure(sfn, parked.token, ErrorNames.superseded, `superseded by ${by}: a newer run is pending in concurrency group '${groupName}' (queue: single)`);
      await deleteToken(table, key, waiter.holder);
    }),
    ...transition.stopped.map((holding) =>
      ignoring(GONE_EXECUTION, () =>
        sfn.send(
          new StopExecutionCommand({
            executionArn: holding.executionArn,
            error: ErrorNames.superseded,
            cause: `cancelled by ${by} (cancel-in-progress) in concurrency group '${groupName}'`,
          }),
        ),
      ),
    ),
    ...transition.dropped.map((waiter) => deleteToken(table, key, waiter.holder)),
  ];
  const results = await Promise.allSettled(tasks);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
