// Carries out what a committed transition decided: wake granted waiters, fail superseded ones, stop
// cancelled holders. Runs after the write, so a crash here leaves a granted-but-unwoken holder, never
// a lost slot: once its lease runs out, the sweeper reclaims it if its run has ended, and wakes it if
// its run still waits (unwoken-grants.ts). A grant that cannot be delivered — the
// waiter's task token is refused, or its token is gone and its execution no longer runs — is taken
// back and handed to the next waiter in the same pass: a slot never goes to a dead run.

import { SendTaskFailureCommand, SendTaskSuccessCommand, StopExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { ErrorNames, errorName } from './errors';
import { decideVoidedGrants, type Holding, type Transition } from './group-state';
import { commitGroup, loadGroup } from './group-store';
import { isRunning } from './liveness';
import { CONFLICT, retryOnConflict } from './optimistic';
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

/** False when Step Functions refused the token (its task is gone: timed out, stopped, already woken). */
export async function sendGrant(sfn: SFNClient, taskToken: string, output: GrantOutput): Promise<boolean> {
  try {
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    return true;
  } catch (error) {
    const name = errorName(error);
    if (name === undefined || !GONE_TASK.has(name)) throw error;
    return false;
  }
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
  readonly now: () => number;
}

type Wake = 'woken' | 'kept' | 'void';

/** Wakes one granted waiter. `void`: the grant reached nobody alive and must be taken back. */
async function wake(context: NoticeContext, holding: Holding): Promise<Wake> {
  const { table, sfn, key } = context;
  let refused: string | undefined;
  for (;;) {
    const parked = await getToken(table, key, holding.holder);
    if (parked === undefined) {
      // Woken already (a repeated delivery), or never parked: only a run that still goes on keeps it.
      return (await isRunning({ sfn }, holding.executionArn)) ? 'kept' : 'void';
    }
    // The same token refused twice: its task is gone. A new token is a retried acquire: try that one.
    if (parked.token === refused) {
      await deleteToken(table, key, holding.holder);
      return 'void';
    }
    const output = { granted: true as const, group: parked.group, holder: holding.holder, waitedMs: Math.max(0, holding.since - parked.since) };
    if (await sendGrant(sfn, parked.token, output)) {
      await deleteToken(table, key, holding.holder);
      return 'woken';
    }
    refused = parked.token;
  }
}

/** Takes back undeliverable grants; the transition promotes the next waiters. */
async function voidGrants(context: NoticeContext, voided: readonly Holding[]): Promise<Transition | undefined> {
  const { table, key } = context;
  return retryOnConflict(`hand-on of concurrency group '${context.groupName}'`, async () => {
    const read = await loadGroup(table, key);
    if (read === undefined) return undefined;
    const transition = decideVoidedGrants(read.state, voided, context.now());
    if (!transition.changed) return undefined;
    const written = await commitGroup(table, key, { read, next: transition.next, reclaimed: transition.reclaimed, now: context.now() });
    return written ? transition : CONFLICT;
  });
}

/** Wakes the granted waiters; a slot whose grant reached nobody alive goes on to the next waiter. Returns who was woken. */
async function deliverGrants(context: NoticeContext, granted: readonly Holding[]): Promise<string[]> {
  const woken: string[] = [];
  let pending = granted;
  while (pending.length > 0) {
    const outcomes = await Promise.all(pending.map(async (holding) => ({ holding, wake: await wake(context, holding) })));
    woken.push(...outcomes.filter((o) => o.wake === 'woken').map((o) => o.holding.holder));
    const voided = outcomes.filter((o) => o.wake === 'void').map((o) => o.holding);
    if (voided.length === 0) break;
    const next = await voidGrants(context, voided);
    if (next === undefined) break;
    await Promise.all(next.dropped.map((waiter) => deleteToken(context.table, context.key, waiter.holder)));
    pending = next.granted;
  }
  return woken;
}

/**
 * Sends every notice of a committed transition; all are attempted, then the first failure is thrown.
 * Resolves to the waiters that were woken with their grant.
 */
export async function deliverNotices(context: NoticeContext, transition: Transition): Promise<string[]> {
  const { table, sfn, key, groupName } = context;
  const by = context.newcomerExecution ?? 'a newer run';
  let woken: string[] = [];
  const tasks: Promise<void>[] = [
    deliverGrants(context, transition.granted).then((holders) => {
      woken = holders;
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
  return woken;
}
