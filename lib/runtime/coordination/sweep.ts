// The lease sweeper: every few minutes (an EventBridge schedule on the status-change function), each
// group with a holder whose lease ran out is looked at once. A holder whose execution still runs gets
// its lease extended; one whose execution ended without its status-change event arriving is taken
// back and its slot handed to the next waiter. Without it, a waiter behind a vanished holder would
// wait until some other run happened to touch the group. A holder that still runs but was never told
// of its grant is woken (unwoken-grants.ts).

import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { HandlerDeps } from '../deps';
import { fromItem } from './group-item';
import { decideRelease } from './group-state';
import { commitGroup, loadGroup } from './group-store';
import { releaseExecution } from './execution-ended';
import { extendLiveLeases } from './liveness';
import { deliverNotices } from './notify';
import { CONFLICT, retryOnConflict } from './optimistic';
import { allPages, tableOf, type Item } from './table';
import { wakeUnwokenHolders } from './unwoken-grants';

export interface SweepResult {
  /** Groups that had an expired holder, or a free slot and a waiter. */
  readonly examined: number;
  /** Holders taken back because their execution had ended. */
  readonly reclaimed: readonly string[];
  /** Waiters granted the freed slots, and holders woken whose grant had not reached them. */
  readonly granted: readonly string[];
}

export async function sweepExpiredLeases(deps: HandlerDeps): Promise<SweepResult> {
  const table = tableOf(deps);
  const now = deps.now();
  // Also a group with a free slot and a waiter: a claimed hand-over whose coordinator died between its
  // two writes (group-item.ts) leaves one, which nothing else may touch for a while.
  const expiredGroups = (await scanGroups(deps)).filter((item) => {
    const { state } = fromItem(item);
    return state.holders.some((holding) => holding.expiresAt <= now) || (state.holders.length < state.capacity && state.queue.length > 0);
  });
  const reclaimed: string[] = [];
  const granted: string[] = [];
  const ended: string[] = [];
  for (const item of expiredGroups) {
    const { state } = fromItem(item);
    const key = state.key;
    granted.push(...(await wakeUnwokenHolders(deps, table, key, state.holders, now)));
    const outcome = await retryOnConflict(`sweep of concurrency group '${key}'`, async () => {
      const read = await loadGroup(table, key);
      if (read === undefined) return undefined;
      if (await extendLiveLeases(deps, table, key, read, deps.now())) return CONFLICT;
      // Releasing nobody reclaims every expired holder and promotes waiters into the freed slots.
      const transition = decideRelease(read.state, '', deps.now());
      if (!transition.changed) return undefined;
      const written = await commitGroup(table, key, { read, next: transition.next, reclaimed: transition.reclaimed, now: deps.now() });
      return written ? { transition, name: read.state.name } : CONFLICT;
    });
    if (outcome === undefined) continue;
    const woken = await deliverNotices({ table, sfn: deps.sfn, key, groupName: outcome.name, now: deps.now }, outcome.transition);
    reclaimed.push(...outcome.transition.reclaimed.map((holding) => holding.holder));
    granted.push(...woken);
    ended.push(...outcome.transition.reclaimed.map((holding) => holding.executionArn));
  }
  // A reclaimed holder's execution has ended without its status-change event: clean up the rest of it
  // too (its places in other queues, its index and barrier items), as that event would have.
  for (const executionArn of new Set(ended)) {
    const cleanup = await releaseExecution(deps, executionArn);
    granted.push(...cleanup.groups.flatMap((group) => group.granted));
  }
  return { examined: expiredGroups.length, reclaimed, granted };
}

/** Every group item (`lock#…` / `state`), all pages. The table holds only live coordination state, so it stays small. */
async function scanGroups(deps: HandlerDeps): Promise<Item[]> {
  const table = tableOf(deps);
  return allPages('Scan of concurrency groups', (start) =>
    table.client.send(
      new ScanCommand({
        TableName: table.name,
        FilterExpression: 'begins_with(pk, :lock) AND sk = :state',
        ExpressionAttributeValues: { ':lock': { S: 'lock#' }, ':state': { S: 'state' } },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    ),
  );
}
