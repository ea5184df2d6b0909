// Acquire, release and renew of concurrency groups, semaphores and max-parallel windows: the runtime
// behind the coordinator's `acquire`, `release` and `renew` operations.

import type { HandlerDeps } from '../deps';
import { CoordinationError, ErrorNames } from './errors';
import { MAX_QUEUE_LENGTH, decideAcquire, decideRelease, type AcquireDecision, type AcquireRequest, type GroupState, type Holding, type Transition, type Waiting } from './group-state';
import { fitsInItem, type StoredGroup } from './group-item';
import { appendWaiter, claimHandOver, commitGroup, grantNewcomer, handOver, leaveUnclaimed, loadGroup, promoteClaim, setHolderExpiry } from './group-store';
import { endedPart } from './ended';
import { releaseEndedFromGroup } from './execution-ended';
import { executionIndexKey, isWindowGroup, keyOfRequest } from './keys';
import { extendLiveLeases, isRunning } from './liveness';
import { deliverNotices, sendFailure, sendGrant } from './notify';
import { CONFLICT, retryOnConflict } from './optimistic';
import { putItem, tableOf, type Table } from './table';
import { deleteToken, putToken, takeToken } from './tokens';

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

/**
 * Decides an acquire. While hand-overs are claimed but not promoted (group-item.ts), the group reads
 * as if those slots were free and their waiters still queued: deciding on that would grant what is
 * already given, and write it over the claims. So the slots and waiters of pending claims count as
 * taken first, and if that says "park" or "take the free slot", so it does (appendWaiter and
 * grantNewcomer check the group themselves).
 * Anything else is decided on the group as read: a claim a dead coordinator left is granted by it.
 */
function decideWithClaims(read: StoredGroup | undefined, key: string, command: AcquireCommand, now: number): AcquireDecision & { readonly aroundClaims?: true } {
  // Only while every pending claim still has its waiter (no claim was abandoned half-way).
  if (read !== undefined && read.pendingClaims > 0 && read.claimedWaiting === read.pendingClaims) {
    const { state } = read;
    const reserved: GroupState = { ...state, capacity: Math.max(0, state.capacity - read.pendingClaims), queue: state.queue.slice(read.pendingClaims) };
    const around = decideAcquire(reserved, key, { ...command, capacity: reserved.capacity }, now, fitsInItem);
    if (around.outcome.kind === 'queued' && onlyParks(reserved, around)) {
      return { ...around, next: { ...state, queue: [...state.queue, ...around.next!.queue.slice(reserved.queue.length)] }, aroundClaims: true };
    }
    const mine = around.next?.holders.find((h) => h.holder === command.holder);
    const onlyMine = around.next !== undefined && around.next.holders.length === reserved.holders.length + 1 && around.next.queue.length === reserved.queue.length;
    if (around.outcome.kind === 'granted' && mine !== undefined && onlyMine && around.reclaimed.length + around.granted.length + around.superseded.length + around.stopped.length === 0) {
      return { ...around, next: { ...state, holders: [...state.holders, mine] }, aroundClaims: true };
    }
  }
  return decideAcquire(read?.state, key, command, now, fitsInItem);
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

/**
 * True when the decision does nothing but give the newcomer a free slot (nobody waits, nothing else
 * changes) and its lease keeps the stored `xmin` a lower bound (group-item.ts).
 */
function onlyGrantsNewcomer(read: StoredGroup, decision: AcquireDecision, command: AcquireCommand, mine: Holding): boolean {
  const before = read.state;
  const keepsBound = (before.holders.length === 0 && read.pendingClaims === 0) || (read.leastExpiry !== undefined && read.leastExpiry <= mine.expiresAt);
  return (
    keepsBound &&
    !command.cancelInProgress &&
    decision.outcome.kind === 'granted' &&
    decision.reclaimed.length === 0 &&
    decision.granted.length === 0 &&
    decision.superseded.length === 0 &&
    decision.stopped.length === 0 &&
    // Nobody waits but the waiters of pending claims (decideWithClaims), whose slots are given.
    before.queue.length === read.pendingClaims &&
    decision.next !== undefined &&
    decision.next.capacity === before.capacity &&
    decision.next.queue.length === before.queue.length &&
    decision.next.holders.length === before.holders.length + 1
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
  const key = keyOfRequest(command);
  let parked = false;
  let indexed = isWindowGroup(key); // a window's key names its execution: no index needed

  const result = await retryOnConflict(`acquire of concurrency group '${command.group}'`, async () => {
    const read = await loadGroup(table, key);
    const now = deps.now();
    if (await extendLiveLeases(deps, table, key, read, now)) return CONFLICT;
    const decision = decideWithClaims(read, key, command, now);
    const { outcome } = decision;

    // The index first: a cleanup that reads it then visits the group and finds the token and the
    // entry written next (a coordinator that dies in between leaves nothing the cleanup misses).
    const joins = outcome.kind === 'granted' || outcome.kind === 'queued';
    if (joins && decision.changed && !indexed && !involves(read?.state, command.executionArn)) {
      await indexExecution(table, command.executionArn, key);
      indexed = true;
    }
    // Park (or re-park, for a retried task's new token) before the queue names us, so that whoever
    // grants us finds the token; after a re-park, read again in case we were granted meanwhile.
    if ((outcome.kind === 'queued' || outcome.kind === 'waiting') && !parked) {
      await putToken(table, key, { holder: command.holder, token: command.taskToken, group: command.group, since: now });
      const reparked = outcome.kind === 'waiting';
      parked = true;
      if (reparked) return CONFLICT;
    }
    if (decision.changed) {
      // A claim given up half-way leaves a slot that reads as taken: only a full rewrite sees it right.
      const claimsSettle = read === undefined || read.claimedWaiting === read.pendingClaims;
      if (read !== undefined && claimsSettle && outcome.kind === 'queued' && onlyParks(read.state, decision)) {
        const appended = await appendWaiter(table, key, newcomerOf(command, now), {
          capacity: read.state.capacity,
          queueBelow: command.queue === 'single' ? 1 : isWindowGroup(key) ? undefined : MAX_QUEUE_LENGTH,
          now,
        });
        if (appended !== undefined) {
          const place = appended.state.queue.map((w) => w.holder).lastIndexOf(command.holder);
          const ahead = appended.state.queue.slice(0, Math.max(0, place)).map((w) => w.holder);
          return { decision: { ...decision, next: appended.state, outcome: { kind: 'queued' as const, ahead } }, read };
        }
        // Decided around claims, it is only true as an append: read again.
        if (decision.aroundClaims === true) return CONFLICT;
      }
      const mine = decision.next?.holders.find((h) => h.holder === command.holder);
      if (read !== undefined && claimsSettle && mine !== undefined && onlyGrantsNewcomer(read, decision, command, mine)) {
        const granted = await grantNewcomer(table, key, mine, read.state.capacity, read);
        return granted === undefined ? CONFLICT : { decision: { ...decision, next: granted.state }, read };
      }
      const written = await commitGroup(table, key, { read, next: decision.next, reclaimed: decision.reclaimed, now });
      if (!written) return CONFLICT;
    }
    return { decision, read };
  });

  const { decision, read } = result;
  const { outcome } = decision;
  const groupName = decision.next?.name ?? read?.state.name ?? command.group;
  const mine = (holder: string) => holder === command.holder;
  const tasks: Promise<unknown>[] = [
    deliverNotices(
      { table, sfn: deps.sfn, key, groupName, newcomerExecution: command.executionArn, now: deps.now },
      { ...decision, granted: decision.granted.filter((h) => !mine(h.holder)) },
    ),
  ];
  // Its execution's cleanup started while this acquire was in flight: take back what it just wrote.
  let ended: Awaited<ReturnType<typeof endedPart>>;
  try {
    ended = outcome.kind === 'refused' ? undefined : await endedPart(table, command.executionArn, command.holder);
  } catch (error) {
    // The notices are under way: a failure of theirs must not become an unhandled rejection (it ends a Node process).
    await Promise.allSettled(tasks);
    throw error;
  }
  if (ended !== undefined) {
    await Promise.all([...tasks, undoAcquire(deps, key, command, ended)]);
    return { outcome: 'refused', reason: ended === 'execution' ? `execution ${command.executionArn} has ended` : `the job of ${command.holder} has ended` };
  }
  let delivered = true;
  switch (outcome.kind) {
    case 'granted':
    case 'held': {
      // A token parked on an earlier attempt is taken back before the grant is sent: a sweeper that took
      // it first delivers this grant itself (unwoken-grants.ts), and two deliveries would read as a dead task.
      const ours = parked ? takeToken(table, key, command.holder, command.taskToken) : Promise.resolve(true);
      tasks.push(
        ours.then(async (send) => {
          if (!send) return;
          // The token is this very task's: refused, the task is gone (its run was stopped meanwhile).
          delivered = await sendGrant(deps.sfn, command.taskToken, { granted: true, group: command.group, holder: command.holder, waitedMs: 0 });
          if (!delivered) await undoAcquire(deps, key, command, (await isRunning(deps, command.executionArn)) ? 'holder' : 'execution');
        }),
      );
      break;
    }
    case 'refused':
      if (parked) tasks.push(deleteToken(table, key, command.holder));
      tasks.push(sendFailure(deps.sfn, command.taskToken, ErrorNames.queueFull, outcome.reason));
      break;
    case 'queued':
    case 'waiting':
      break;
  }
  await Promise.all(tasks);
  if (!delivered) return { outcome: 'refused', reason: `the task of ${command.holder} is gone` };

  if (outcome.kind === 'queued' || outcome.kind === 'waiting') {
    return { outcome: outcome.kind, position: outcome.ahead.length + 1, ahead: outcome.ahead };
  }
  if (outcome.kind === 'refused') return { outcome: 'refused', reason: outcome.reason };
  return { outcome: outcome.kind };
}

export interface ReleaseCommand {
  readonly group: string;
  readonly holder: string;
  /**
   * The group's capacity as the state machine knows it: above 1, holders may release together and
   * race for the queue's head, so the release claims a waiter first (releaseByClaim); at 1 (or
   * unknown) it reads first, which costs one write when nobody waits. Either way is correct.
   */
  readonly capacity?: number;
  /** The caller's max-parallel window (then `executionArn` names it). */
  readonly window?: boolean;
  readonly executionArn?: string;
}

export interface ReleaseResult {
  /** False when the holder held nothing (already released, reclaimed or superseded): a no-op. */
  readonly released: boolean;
  /** Waiters that got the freed slots, in grant order. */
  readonly granted: readonly string[];
}

/** Frees the holder's slot (or takes a waiter out of the queue) and wakes the next waiters. Idempotent. */
export async function release(deps: HandlerDeps, command: ReleaseCommand): Promise<ReleaseResult> {
  return releaseHolder(deps, tableOf(deps), keyOfRequest(command), command);
}

/**
 * Takes back what an acquire wrote. When its execution (or its job) has ended, everything of it leaves
 * the group, as that cleanup would have done; otherwise only this holder (its task is gone).
 */
async function undoAcquire(deps: HandlerDeps, key: string, command: AcquireCommand, gone: 'execution' | 'job' | 'holder'): Promise<void> {
  if (gone === 'holder') {
    await releaseHolder(deps, tableOf(deps), key, { group: command.group, holder: command.holder });
    await deleteToken(tableOf(deps), key, command.holder);
    return;
  }
  const job = gone === 'job' ? jobOfHolder(command.holder, command.executionArn) : undefined;
  await releaseEndedFromGroup(deps, key, command.executionArn, job);
}

/** `<execution>#<job>#…` → the job. */
function jobOfHolder(holder: string, executionArn: string): string | undefined {
  return holder.slice(executionArn.length + 1).split('#')[0] || undefined;
}

/** A release that handOver can write: the holder left, nothing expired, nobody else left, the group stays, and xmin holds. */
function isPlainHandOver(read: StoredGroup, transition: Transition & { readonly released: boolean }): boolean {
  // Claims at the head (group-item.ts) move the queue's indexes under a hand-over: it requires none.
  if (read.claims > 0) return false;
  if (!transition.released || transition.next === undefined || transition.reclaimed.length > 0 || transition.dropped.length > 0) return false;
  if (transition.granted.length === 0) return true;
  const soonest = Math.min(...transition.granted.map((h) => h.expiresAt));
  return read.leastExpiry !== undefined && read.leastExpiry <= soonest;
}

/** How many later heads a release tries, without reading again, when its hand-over lost the race. */
const HAND_OVER_GUESSES = 8;

/**
 * Writes a hand-over; when it fails, the likeliest cause is another release that promoted the same
 * head, so the next waiters of the queue as read are tried, one shift at a time, before reading
 * again (a read and a backoff per lost race would make a semaphore slower the more holders release
 * at once). FIFO holds whatever the guess: the condition checks the heads as they are. Undefined:
 * read again. Resolves to the holdings written and the group as written.
 */
async function handOverGuessing(
  table: Table,
  key: string,
  holder: string,
  read: StoredGroup,
  granted: readonly Holding[],
): Promise<{ readonly granted: readonly Holding[]; readonly group: StoredGroup } | undefined> {
  const { queue, holders, capacity } = read.state;
  const guesses = granted.length === 0 ? 0 : Math.min(HAND_OVER_GUESSES, queue.length - granted.length);
  for (let shift = 0; shift <= guesses; shift++) {
    // The same grant time and lease as the decision gave the first guess.
    const promoted = shift === 0 ? granted : queue.slice(shift, shift + granted.length).map((waiter, index) => ({ ...granted[index]!, holder: waiter.holder, executionArn: waiter.executionArn, expiresAt: granted[index]!.since + waiter.leaseSeconds * 1000 }));
    if (shift > 0 && Math.min(...promoted.map((h) => h.expiresAt)) < (read.leastExpiry ?? Number.POSITIVE_INFINITY)) return undefined;
    const handed = await handOver(table, key, { holder, granted: promoted, holdersRead: holders.length, capacity });
    if (handed !== undefined) return { granted: promoted, group: handed };
  }
  return undefined;
}

async function releaseHolder(deps: HandlerDeps, table: Table, key: string, command: ReleaseCommand): Promise<ReleaseResult> {
  // True once the holder gave its slot to a claim it could not promote (someone else decided first):
  // it is gone from the group either way, and the general release hands on whatever slot is free.
  let gaveSlot = false;
  const withoutRead = async (): Promise<ReleaseResult | undefined> => {
    if (gaveSlot || (command.capacity ?? 1) <= 1) return undefined;
    const claimed = await releaseByClaim(deps, table, key, command);
    if (claimed === 'gave slot') gaveSlot = true;
    else if (claimed !== undefined) return claimed;
    return gaveSlot ? undefined : releaseUnclaimed(deps, table, key, command);
  };
  const done = (await withoutRead()) ?? (await releaseByDecision(deps, table, key, command, withoutRead));
  return gaveSlot ? { released: true, granted: done.granted } : done;
}

/** A holder leaves when nobody unclaimed waits: one write, and the group's deletion if it was the last. */
async function releaseUnclaimed(deps: HandlerDeps, table: Table, key: string, command: ReleaseCommand): Promise<ReleaseResult | undefined> {
  const left = await leaveUnclaimed(table, key, command.holder);
  if (left === undefined) return undefined;
  const { holders, queue } = left.state;
  if (holders.length === 0 && queue.length === 0 && left.pendingClaims === 0) {
    await commitGroup(table, key, { read: left, next: undefined, reclaimed: [], now: deps.now() });
  }
  return { released: true, granted: [] };
}

/**
 * The release of a holder with someone waiting, in two writes and no read: it claims the next
 * unclaimed waiter for its slot, promotes it and wakes it (group-store.ts claimHandOver). Holders of
 * a semaphore that release together claim different waiters, in queue order, so none of them has to
 * try again. Undefined when there was nothing to claim; `gave slot` when the claim could not be
 * promoted (someone else decided first).
 */
async function releaseByClaim(deps: HandlerDeps, table: Table, key: string, command: ReleaseCommand): Promise<ReleaseResult | 'gave slot' | undefined> {
  const claim = await claimHandOver(table, key, command.holder);
  if (claim === undefined) return undefined;
  const now = deps.now();
  const { waiter } = claim;
  const holding: Holding = { holder: waiter.holder, executionArn: waiter.executionArn, since: now, expiresAt: now + waiter.leaseSeconds * 1000 };
  if (!(await promoteClaim(table, key, command.holder, claim, holding))) return 'gave slot';
  const promoted: Transition = { next: undefined, changed: true, reclaimed: [], granted: [holding], superseded: [], stopped: [], dropped: [] };
  const granted = await deliverNotices({ table, sfn: deps.sfn, key, groupName: command.group, now: deps.now }, promoted);
  return { released: true, granted };
}

/**
 * The general release: read, decide, write (with the hand-over shortcut), again on conflict. The
 * group changed under a write that failed, so each new attempt first tries `withoutRead` again: on a
 * busy semaphore a full rewrite conditioned on the revision seldom wins, a claim or a leave does.
 */
async function releaseByDecision(deps: HandlerDeps, table: Table, key: string, command: ReleaseCommand, withoutRead: () => Promise<ReleaseResult | undefined>): Promise<ReleaseResult> {
  let attempts = 0;
  const outcome = await retryOnConflict(`release of concurrency group '${command.group}'`, async () => {
    if (attempts++ > 0) {
      const done = await withoutRead();
      if (done !== undefined) return { done, transition: undefined };
    }
    const read = await loadGroup(table, key);
    if (await extendLiveLeases(deps, table, key, read, deps.now())) return CONFLICT;
    const transition = decideRelease(read?.state, command.holder, deps.now());
    // A plain hand-over (the holder leaves, the next waiters take its slot, nothing expired, the group
    // stays) needs no revision check: see handOver.
    if (read !== undefined && isPlainHandOver(read, transition)) {
      const handed = await handOverGuessing(table, key, command.holder, read, transition.granted);
      if (handed === undefined) return CONFLICT;
      // Holders that left side by side may leave the group empty: delete it as the last one would have.
      if (handed.group.state.holders.length === 0 && handed.group.state.queue.length === 0) {
        await commitGroup(table, key, { read: handed.group, next: undefined, reclaimed: [], now: deps.now() });
      }
      return { transition: { ...transition, granted: handed.granted }, name: read.state.name };
    }
    // A mark of its own (a claim it gave up) is written away with the rest, even if nothing else changed.
    if (transition.changed || read?.leaving.includes(command.holder) === true) {
      const written = await commitGroup(table, key, { read, next: transition.next, reclaimed: transition.reclaimed, now: deps.now() });
      if (!written) return CONFLICT;
    }
    return { transition, name: read?.state.name ?? command.group };
  });
  if (outcome.transition === undefined) return outcome.done;
  const { transition, name } = outcome;
  const granted = await deliverNotices({ table, sfn: deps.sfn, key, groupName: name, now: deps.now }, transition);
  return { released: transition.released, granted };
}

export interface RenewCommand {
  readonly group: string;
  readonly window?: boolean;
  readonly executionArn?: string;
  readonly holder: string;
  readonly leaseSeconds: number;
}

/**
 * Extends a holder's lease (a heartbeat). A lease that has already run out is lost, even if nobody has
 * taken the slot yet: renew then fails with LockNotHeld, as it does for a released or stopped holder.
 */
export async function renew(deps: HandlerDeps, command: RenewCommand): Promise<{ readonly expiresAt: number }> {
  const table = tableOf(deps);
  const key = keyOfRequest(command);
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
