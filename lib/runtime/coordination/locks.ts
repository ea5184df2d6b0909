// Acquire, release and renew of concurrency groups, semaphores and max-parallel windows: the runtime
// behind the coordinator's `acquire`, `release` and `renew` operations.

import type { HandlerDeps } from '../deps';
import { CoordinationError, ErrorNames } from './errors';
import { MAX_QUEUE_LENGTH, decideAcquire, decideRelease, type AcquireDecision, type AcquireRequest, type GroupState, type Waiting } from './group-state';
import { fitsInItem } from './group-item';
import { appendWaiter, commitGroup, loadGroup, setHolderExpiry } from './group-store';
import { executionIndexKey, groupKey, isWindowGroup } from './keys';
import { extendLiveLeases } from './liveness';
import { deliverNotices, sendFailure, sendGrant } from './notify';
import { CONFLICT, retryOnConflict } from './optimistic';
import { putItem, tableOf, type Table } from './table';
import { deleteToken, putToken } from './tokens';

export interface AcquireCommand extends AcquireRequest {
  readonly taskToken: string;
}

export interface AcquireResult {
  readonly outcome: 'granted' | 'held' | 'queued' | 'waiting' | 'refused';
  /** 1-based place in the queue when parked. */
  readonly position?: number;
  /** The waiters ahead when parked, in order. */
  readonly ahead?: readonly string[];
  readonly reason?: string;
}

/** True when the decision does nothing but append the newcomer to the queue. */
function onlyParks(before: GroupState, decision: AcquireDecision): boolean {
  return (
    decision.reclaimed.length === 0 &&
    decision.granted.length === 0 &&
    decision.superseded.length === 0 &&
    decision.stopped.length === 0 &&
    decision.next !== undefined &&
    decision.next.capacity === before.capacity &&
    decision.next.holders.length === before.holders.length &&
    decision.next.queue.length === before.queue.length + 1
  );
}

function newcomerOf(command: AcquireCommand, now: number): Waiting {
  return { holder: command.holder, executionArn: command.executionArn, since: now, leaseSeconds: command.leaseSeconds };
}

function involves(state: GroupState | undefined, executionArn: string): boolean {
  if (state === undefined) return false;
  return state.holders.some((h) => h.executionArn === executionArn) || state.queue.some((w) => w.executionArn === executionArn);
}

/** Records that the execution takes part in the group, so status-change can find it without a Scan. */
async function indexExecution(table: Table, executionArn: string, key: string): Promise<void> {
  const { pk, sk } = executionIndexKey(executionArn, key);
  await putItem(table, { pk: { S: pk }, sk: { S: sk }, group: { S: key } });
}

/**
 * Grants the group at once (completing `taskToken` with SendTaskSuccess), or parks the token in the
 * queue for a later release to complete. Refusals and supersessions complete tokens with
 * SendTaskFailure. Idempotent per holder.
 */
export async function acquire(deps: HandlerDeps, command: AcquireCommand): Promise<AcquireResult> {
  const table = tableOf(deps);
  const key = groupKey(command.group);
  let parked = false;
  let indexed = isWindowGroup(key); // a window's key names its execution: no index needed

  const result = await retryOnConflict(`acquire of concurrency group '${command.group}'`, async () => {
    const read = await loadGroup(table, key);
    const now = deps.now();
    if (await extendLiveLeases(deps, table, key, read, now)) return CONFLICT;
    const decision = decideAcquire(read?.state, key, command, now, fitsInItem);
    const { outcome } = decision;

    // Park (or re-park, for a retried task's new token) before the queue names us, so that whoever
    // grants us finds the token; after a re-park, read again in case we were granted meanwhile.
    if ((outcome.kind === 'queued' || outcome.kind === 'waiting') && !parked) {
      await putToken(table, key, { holder: command.holder, token: command.taskToken, group: command.group, since: now });
      const reparked = outcome.kind === 'waiting';
      parked = true;
      if (reparked) return CONFLICT;
    }
    const joins = outcome.kind === 'granted' || outcome.kind === 'queued';
    if (decision.changed) {
      if (joins && !indexed && !involves(read?.state, command.executionArn)) {
        await indexExecution(table, command.executionArn, key);
        indexed = true;
      }
      if (read !== undefined && outcome.kind === 'queued' && onlyParks(read.state, decision)) {
        const appended = await appendWaiter(table, key, newcomerOf(command, now), {
          holders: read.state.holders,
          capacity: read.state.capacity,
          queueBelow: command.queue === 'single' ? 1 : isWindowGroup(key) ? undefined : MAX_QUEUE_LENGTH,
          now,
        });
        if (appended !== undefined) {
          const place = appended.state.queue.map((w) => w.holder).lastIndexOf(command.holder);
          const ahead = appended.state.queue.slice(0, Math.max(0, place)).map((w) => w.holder);
          return { decision: { ...decision, next: appended.state, outcome: { kind: 'queued' as const, ahead } }, read };
        }
      }
      const written = await commitGroup(table, key, { read, next: decision.next, reclaimed: decision.reclaimed, now });
      if (!written) return CONFLICT;
    }
    return { decision, read };
  });

  const { decision, read } = result;
  const { outcome } = decision;
  const mine = (holder: string) => holder === command.holder;
  const tasks: Promise<void>[] = [
    deliverNotices(
      { table, sfn: deps.sfn, key, groupName: decision.next?.name ?? read?.state.name ?? command.group, newcomerExecution: command.executionArn },
      { ...decision, granted: decision.granted.filter((h) => !mine(h.holder)) },
    ),
  ];
  if (parked && outcome.kind !== 'queued' && outcome.kind !== 'waiting') tasks.push(deleteToken(table, key, command.holder));
  switch (outcome.kind) {
    case 'granted':
    case 'held':
      tasks.push(sendGrant(deps.sfn, command.taskToken, { granted: true, group: command.group, holder: command.holder, waitedMs: 0 }));
      break;
    case 'refused':
      tasks.push(sendFailure(deps.sfn, command.taskToken, ErrorNames.queueFull, outcome.reason));
      break;
    case 'queued':
    case 'waiting':
      break;
  }
  await Promise.all(tasks);

  if (outcome.kind === 'queued' || outcome.kind === 'waiting') {
    return { outcome: outcome.kind, position: outcome.ahead.length + 1, ahead: outcome.ahead };
  }
  if (outcome.kind === 'refused') return { outcome: 'refused', reason: outcome.reason };
  return { outcome: outcome.kind };
}

export interface ReleaseCommand {
  readonly group: string;
  readonly holder: string;
}

export interface ReleaseResult {
  /** False when the holder held nothing (already released, reclaimed or superseded): a no-op. */
  readonly released: boolean;
  /** Waiters that got the freed slots, in grant order. */
  readonly granted: readonly string[];
}

/** Frees the holder's slot (or takes a waiter out of the queue) and wakes the next waiters. Idempotent. */
export async function release(deps: HandlerDeps, command: ReleaseCommand): Promise<ReleaseResult> {
  const table = tableOf(deps);
  const key = groupKey(command.group);
  const { transition, name } = await retryOnConflict(`release of concurrency group '${command.group}'`, async () => {
    const read = await loadGroup(table, key);
    if (await extendLiveLeases(deps, table, key, read, deps.now())) return CONFLICT;
    const transition = decideRelease(read?.state, command.holder, deps.now());
    if (transition.changed) {
      const written = await commitGroup(table, key, { read, next: transition.next, reclaimed: transition.reclaimed, now: deps.now() });
      if (!written) return CONFLICT;
    }
    return { transition, name: read?.state.name ?? command.group };
  });
  await deliverNotices({ table, sfn: deps.sfn, key, groupName: name }, transition);
  return { released: transition.released, granted: transition.granted.map((h) => h.holder) };
}

export interface RenewCommand {
  readonly group: string;
  readonly holder: string;
  readonly leaseSeconds: number;
}

/**
 * Extends a holder's lease (a heartbeat). A lease that has already run out is lost, even if nobody has
 * taken the slot yet: renew then fails with LockNotHeld, as it does for a released or stopped holder.
 */
export async function renew(deps: HandlerDeps, command: RenewCommand): Promise<{ readonly expiresAt: number }> {
  const table = tableOf(deps);
  const key = groupKey(command.group);
  const now = deps.now();
  const expiresAt = now + command.leaseSeconds * 1000;
  const held = await setHolderExpiry(table, key, command.holder, expiresAt, {
    expression: '#hs.#h.#x > :now',
    values: { ':now': { N: String(now) } },
  });
  if (!held) {
    throw new CoordinationError(
      ErrorNames.lockNotHeld,
      `'${command.holder}' does not hold concurrency group '${command.group}' (released, superseded, or its lease expired)`,
    );
  }
  return { expiresAt };
}
