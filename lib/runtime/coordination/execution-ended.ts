// When an execution ends — above all by abort or timeout, where no Catch of its own runs — release
// everything it holds, take its waiters out of the queues (waking their successors), and delete its
// barrier and index items. The per-execution index (`exec#<arn>`) says which groups to visit; the
// window group's key is derived from the ARN.

import type { HandlerDeps } from '../deps';
import { clearNeeds } from './barrier';
import { markEnded } from './ended';
import { decideExecutionEnded, decideJobGone, type GroupState, type Transition } from './group-state';
import { commitGroup, loadGroup } from './group-store';
import { extendLiveLeases } from './liveness';
import { executionIndexKey, executionIndexPk, isWindowGroup, windowKey } from './keys';
import { deliverNotices } from './notify';
import { CONFLICT, retryOnConflict } from './optimistic';
import { deleteItem, queryPrefix, tableOf, type Item } from './table';
import { deleteExecutionTokens } from './tokens';

export interface GroupCleanup {
  readonly group: string;
  /** Holders of the execution that were released. */
  readonly released: number;
  /** Waiters of the execution taken out of the queue. */
  readonly dropped: number;
  /** Waiters that got the freed slots. */
  readonly granted: readonly string[];
}

export interface ExecutionCleanup {
  readonly groups: readonly GroupCleanup[];
  readonly needsItems: number;
}

export async function releaseExecution(deps: HandlerDeps, executionArn: string): Promise<ExecutionCleanup> {
  const table = tableOf(deps);
  // The marker first: an acquire still in flight then either shows up in the index read below or
  // finds the marker and undoes itself (ended.ts).
  await markEnded(table, executionArn, deps.now());
  const index = await queryPrefix(table, executionIndexPk(executionArn), 'lock#');
  const groups = await releaseFromGroups(deps, groupKeys(executionArn, index), executionArn, (state, now) => decideExecutionEnded(state, executionArn, now), executionArn);
  await Promise.all(index.map((item) => deleteItem(table, { pk: item.pk?.S ?? '', sk: item.sk?.S ?? '' })));
  const needsItems = await clearNeeds(table, executionArn);
  return { groups, needsItems };
}

/**
 * One job of a running execution is gone: fail-fast stopped its cells, and neither their releases nor
 * an ended execution's status-change event will come. Frees their slots in the window and in every
 * group the execution takes part in; the execution's index stays for its other jobs.
 */
export async function releaseJob(deps: HandlerDeps, executionArn: string, job: string): Promise<{ readonly groups: readonly GroupCleanup[] }> {
  const table = tableOf(deps);
  await markEnded(table, executionArn, deps.now(), job);
  const index = await queryPrefix(table, executionIndexPk(executionArn), 'lock#');
  const groups = await releaseFromGroups(deps, groupKeys(executionArn, index), executionArn, (state, now) => decideJobGone(state, executionArn, job, now), `${executionArn}#${job}`);
  return { groups };
}

/**
 * An acquire that committed after its execution's (or job's) cleanup had started undoes itself here:
 * everything of that execution (or job) leaves the group, as the cleanup would have done.
 */
export async function releaseEndedFromGroup(deps: HandlerDeps, key: string, executionArn: string, job?: string): Promise<void> {
  const table = tableOf(deps);
  const decide = (state: GroupState, now: number) =>
    job === undefined ? decideExecutionEnded(state, executionArn, now) : decideJobGone(state, executionArn, job, now);
  await releaseFromGroups(deps, [key], executionArn, decide, job === undefined ? executionArn : `${executionArn}#${job}`);
  if (job === undefined && !isWindowGroup(key)) await deleteItem(table, executionIndexKey(executionArn, key));
}

/** The window's key is derived from the ARN; the others come from the index. */
function groupKeys(executionArn: string, index: readonly Item[]): string[] {
  return [...new Set([windowKey(executionArn), ...index.map((item) => item.group?.S ?? '')])].filter(Boolean);
}

async function releaseFromGroups(
  deps: HandlerDeps,
  keys: readonly string[],
  executionArn: string,
  decide: (state: GroupState, now: number) => Transition,
  tokenOwner: string,
): Promise<GroupCleanup[]> {
  const table = tableOf(deps);
  const groups: GroupCleanup[] = [];
  for (const key of keys) {
    const outcome = await retryOnConflict(`cleanup of concurrency group '${key}'`, async () => {
      const read = await loadGroup(table, key);
      if (read === undefined) return undefined;
      if (await extendLiveLeases(deps, table, key, read, deps.now())) return CONFLICT;
      const transition = decide(read.state, deps.now());
      if (!transition.changed) return undefined;
      const kept = new Set([...(transition.next?.holders ?? []), ...transition.reclaimed].map((h) => h.holder));
      const released = read.state.holders.filter((h) => !kept.has(h.holder)).length;
      const written = await commitGroup(table, key, { read, next: transition.next, reclaimed: transition.reclaimed, now: deps.now() });
      if (!written) return CONFLICT;
      return { transition, released, name: read.state.name };
    });
    if (outcome !== undefined) {
      const granted = await deliverNotices({ table, sfn: deps.sfn, key, groupName: outcome.name, now: deps.now }, outcome.transition);
      groups.push({ group: outcome.name, released: outcome.released, dropped: outcome.transition.dropped.length, granted });
    }
    // Tokens a crashed acquire or a dropped waiter left behind go too.
    await deleteExecutionTokens(table, key, tokenOwner);
  }
  return groups;
}
