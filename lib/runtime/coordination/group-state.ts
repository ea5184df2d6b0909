// The state of one concurrency group and the pure transitions on it. Storage (group-item.ts) and
// side effects (notify.ts) are elsewhere: these functions only decide, so every rule of the
// concurrency semantics can be read and tested here.

import type { QueueMode } from '../../model/workflow';
import { holderOfExecution, isWindowGroup } from './keys';

export interface Holding {
  readonly holder: string;
  readonly executionArn: string;
  /** When the slot was granted (ms since the epoch). */
  readonly since: number;
  /** The lease: after this moment the holder counts as gone and its slot is reclaimed. */
  readonly expiresAt: number;
}

export interface Waiting {
  readonly holder: string;
  readonly executionArn: string;
  /** When the waiter joined the queue. */
  readonly since: number;
  /** The lease it gets once granted. */
  readonly leaseSeconds: number;
}

export interface GroupState {
  /** Normalized (lower-case) name: the identity of the group. */
  readonly key: string;
  /** The name as the group's creator wrote it, for display. */
  readonly name: string;
  readonly capacity: number;
  /** Holders in grant order. */
  readonly holders: readonly Holding[];
  /** Waiters in arrival order (FIFO). */
  readonly queue: readonly Waiting[];
}

export interface AcquireRequest {
  readonly group: string;
  /** The caller's max-parallel window: its key comes from `executionArn`, never from `group`. */
  readonly window?: boolean;
  readonly holder: string;
  readonly executionArn: string;
  readonly capacity: number;
  readonly queue: QueueMode;
  readonly cancelInProgress: boolean;
  readonly leaseSeconds: number;
}

/** `queue: max` holds up to this many waiters; the next arrival is refused. Windows have no such limit. */
export const MAX_QUEUE_LENGTH = 100;

export type AcquireOutcome =
  | { readonly kind: 'granted' }
  /** The holder already holds the group (a retried acquire): it keeps its one slot. */
  | { readonly kind: 'held' }
  /** Parked; `ahead` are the waiters before it, in order. */
  | { readonly kind: 'queued'; readonly ahead: readonly string[] }
  /** Already parked by an earlier acquire of the same holder: keeps its place. */
  | { readonly kind: 'waiting'; readonly ahead: readonly string[] }
  | { readonly kind: 'refused'; readonly reason: string };

/** What a transition changed; the caller writes `next` and then carries out the notices. */
export interface Transition {
  /** The new state; undefined when the group is empty (its item is deleted). */
  readonly next: GroupState | undefined;
  /** False when nothing needs writing. */
  readonly changed: boolean;
  /** Holders whose lease had run out; the write is conditioned on their expiry. */
  readonly reclaimed: readonly Holding[];
  /** Waiters promoted to holders: wake each with SendTaskSuccess. */
  readonly granted: readonly Holding[];
  /** Pending waiters replaced by a newer arrival (queue: single): fail each with `Superseded`. */
  readonly superseded: readonly Waiting[];
  /** Holders removed by cancel-in-progress: stop each one's execution with `Superseded`. */
  readonly stopped: readonly Holding[];
  /** Waiters dropped without a notice (released while waiting, or their execution ended). */
  readonly dropped: readonly Waiting[];
}

export interface AcquireDecision extends Transition {
  readonly outcome: AcquireOutcome;
}

const unchanged: Transition = {
  next: undefined,
  changed: false,
  reclaimed: [],
  granted: [],
  superseded: [],
  stopped: [],
  dropped: [],
};

interface Draft {
  state: GroupState;
  changed: boolean;
  reclaimed: Holding[];
  granted: Holding[];
  superseded: Waiting[];
  stopped: Holding[];
  dropped: Waiting[];
}

function draftOf(state: GroupState): Draft {
  return { state, changed: false, reclaimed: [], granted: [], superseded: [], stopped: [], dropped: [] };
}

function finish(draft: Draft): Transition {
  const { state } = draft;
  const empty = state.holders.length === 0 && state.queue.length === 0;
  return {
    next: empty ? undefined : state,
    changed: draft.changed,
    reclaimed: draft.reclaimed,
    granted: draft.granted,
    superseded: draft.superseded,
    stopped: draft.stopped,
    dropped: draft.dropped,
  };
}

function holdingFor(waiter: Waiting, now: number): Holding {
  return {
    holder: waiter.holder,
    executionArn: waiter.executionArn,
    since: now,
    expiresAt: now + waiter.leaseSeconds * 1000,
  };
}

/** A holder whose lease has run out is gone, whatever it believes. */
function reclaimExpired(draft: Draft, now: number): void {
  const expired = draft.state.holders.filter((h) => h.expiresAt <= now);
  if (expired.length === 0) return;
  draft.state = { ...draft.state, holders: draft.state.holders.filter((h) => h.expiresAt > now) };
  draft.reclaimed.push(...expired);
  draft.changed = true;
}

/** Free slots go to the waiters in arrival order. */
function promoteWaiters(draft: Draft, now: number): void {
  let { holders, queue } = draft.state;
  const promoted: Holding[] = [];
  while (holders.length < draft.state.capacity && queue.length > 0) {
    const [head, ...rest] = queue as [Waiting, ...Waiting[]];
    const holding = holdingFor(head, now);
    holders = [...holders, holding];
    queue = rest;
    promoted.push(holding);
  }
  if (promoted.length === 0) return;
  draft.state = { ...draft.state, holders, queue };
  draft.granted.push(...promoted);
  draft.changed = true;
}

function emptyGroup(key: string, request: AcquireRequest): GroupState {
  return { key, name: request.group, capacity: request.capacity, holders: [], queue: [] };
}

/**
 * Acquire: grant at once, park, replace the pending waiter (queue: single), stop the holders
 * (cancel-in-progress) or refuse (queue: max with 100 waiters). `fits` says whether a state can still be
 * stored (the item size bound); a state that does not fit refuses the newcomer.
 */
export function decideAcquire(
  current: GroupState | undefined,
  key: string,
  request: AcquireRequest,
  now: number,
  fits: (state: GroupState) => boolean = () => true,
): AcquireDecision {
  const base = current ?? emptyGroup(key, request);
  const draft = draftOf(base);
  // The latest acquirer's capacity wins: a changed workflow file takes effect at its next run.
  if (base.capacity !== request.capacity) {
    draft.state = { ...base, capacity: request.capacity };
    draft.changed = true;
  }
  reclaimExpired(draft, now);

  const heldIndex = draft.state.holders.findIndex((h) => h.holder === request.holder);
  const waitingIndex = draft.state.queue.findIndex((w) => w.holder === request.holder);
  if (heldIndex >= 0 || waitingIndex >= 0) {
    promoteWaiters(draft, now);
    const stillWaiting = draft.state.queue.findIndex((w) => w.holder === request.holder);
    const outcome: AcquireOutcome =
      heldIndex >= 0
        ? { kind: 'held' }
        : stillWaiting < 0
          ? { kind: 'granted' }
          : { kind: 'waiting', ahead: draft.state.queue.slice(0, stillWaiting).map((w) => w.holder) };
    return { ...finish(draft), outcome };
  }

  if (request.queue === 'single' && draft.state.queue.length > 0) {
    draft.superseded.push(...draft.state.queue);
    draft.state = { ...draft.state, queue: [] };
    draft.changed = true;
  }

  const newcomer: Waiting = {
    holder: request.holder,
    executionArn: request.executionArn,
    since: now,
    leaseSeconds: request.leaseSeconds,
  };
  const grantNewcomer = (): AcquireDecision => {
    draft.state = { ...draft.state, holders: [...draft.state.holders, holdingFor(newcomer, now)] };
    draft.changed = true;
    promoteWaiters(draft, now);
    return { ...finish(draft), outcome: { kind: 'granted' } };
  };

  if (request.cancelInProgress) {
    // An execution cannot stop itself: its own holders (other cells of a matrix) are waited for.
    const stopped = draft.state.holders.filter((h) => h.executionArn !== request.executionArn);
    if (stopped.length > 0) {
      // The holders are stopped but keep their slots until they have ended (their own release, the
      // status-change event, or the lease check frees them): two runs never deploy the same target
      // at once, even while a stopped run's processes wind down. The newcomer waits at the head.
      draft.stopped.push(...stopped);
      const ahead: string[] = [];
      draft.state = { ...draft.state, queue: [newcomer, ...draft.state.queue] };
      draft.changed = true;
      promoteWaiters(draft, now);
      return { ...finish(draft), outcome: { kind: 'queued', ahead } };
    }
  }

  promoteWaiters(draft, now);
  if (draft.state.holders.length < draft.state.capacity && draft.state.queue.length === 0) return grantNewcomer();

  const ahead = draft.state.queue.map((w) => w.holder);
  if (request.queue === 'max' && !isWindowGroup(key) && ahead.length >= MAX_QUEUE_LENGTH) {
    const reason = `concurrency group '${request.group}' already has ${MAX_QUEUE_LENGTH} pending runs (queue: max holds at most ${MAX_QUEUE_LENGTH})`;
    return { ...finish(draft), outcome: { kind: 'refused', reason } };
  }
  const queued: GroupState = { ...draft.state, queue: [...draft.state.queue, newcomer] };
  if (!fits(queued)) {
    const reason = `concurrency group '${request.group}' cannot store more than ${ahead.length} pending runs (DynamoDB item size limit)`;
    return { ...finish(draft), outcome: { kind: 'refused', reason } };
  }
  draft.state = queued;
  draft.changed = true;
  return { ...finish(draft), outcome: { kind: 'queued', ahead } };
}

/** Release: the holder (or a waiter that gives up) leaves; free slots go to the next waiters. Idempotent. */
export function decideRelease(current: GroupState | undefined, holder: string, now: number): Transition & { readonly released: boolean } {
  if (current === undefined) return { ...unchanged, released: false };
  const draft = draftOf(current);
  const before = current.holders.length;
  const waiter = current.queue.find((w) => w.holder === holder);
  draft.state = {
    ...current,
    holders: current.holders.filter((h) => h.holder !== holder),
    queue: current.queue.filter((w) => w.holder !== holder),
  };
  const released = draft.state.holders.length < before;
  if (waiter !== undefined) draft.dropped.push(waiter);
  draft.changed = released || waiter !== undefined;
  reclaimExpired(draft, now);
  promoteWaiters(draft, now);
  return { ...finish(draft), released };
}

/** An execution ended: everything it holds is released and its waiters leave the queue. */
export function decideExecutionEnded(current: GroupState, executionArn: string, now: number): Transition {
  return decideOwnerGone(current, (entry) => entry.executionArn === executionArn, now);
}

/** One job of an execution is gone (fail-fast stopped its cells): its cells and steps hold as `<execution>#<job>#…`. */
export function decideJobGone(current: GroupState, executionArn: string, job: string, now: number): Transition {
  const owner = `${executionArn}#${job}`;
  return decideOwnerGone(current, (entry) => entry.executionArn === executionArn && holderOfExecution(entry.holder, owner), now);
}

/**
 * Grants that could not be delivered (the waiter's task or execution is gone): those holdings leave
 * the group and their slots go to the next waiters. A holding is matched by holder and grant time, so
 * a newer grant to the same holder is never taken back.
 */
export function decideVoidedGrants(current: GroupState, voided: readonly Holding[], now: number): Transition {
  const draft = draftOf(current);
  const isVoided = (h: Holding) => voided.some((v) => v.holder === h.holder && v.since === h.since);
  const holders = current.holders.filter((h) => !isVoided(h));
  if (holders.length === current.holders.length) return finish(draft);
  draft.state = { ...current, holders };
  draft.changed = true;
  reclaimExpired(draft, now);
  promoteWaiters(draft, now);
  return finish(draft);
}

/** Everything the owner holds or waits for leaves the group; successors are promoted. */
function decideOwnerGone(current: GroupState, owned: (entry: { holder: string; executionArn: string }) => boolean, now: number): Transition {
  const draft = draftOf(current);
  const gone = current.queue.filter(owned);
  draft.state = {
    ...current,
    holders: current.holders.filter((h) => !owned(h)),
    queue: current.queue.filter((w) => !owned(w)),
  };
  draft.dropped.push(...gone);
  draft.changed = draft.state.holders.length < current.holders.length || gone.length > 0;
  reclaimExpired(draft, now);
  promoteWaiters(draft, now);
  return finish(draft);
}
