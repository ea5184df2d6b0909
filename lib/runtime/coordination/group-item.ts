// How a group's state is stored: ONE item per group (pk `lock#<key>`, sk `state`) holding the holders
// (a map keyed by holder id) and the FIFO queue (a list), guarded by a random revision.
//
// Why one item: every decision (grant, park, supersede, reclaim, promote) reads and rewrites holders
// and queue together, and a single-item conditional write is the only atomic multi-field update that
// DynamoDB and dynalite both give us (no transactions). Optimistic concurrency: read with a consistent
// read, decide (group-state.ts), write conditioned on the revision read; on conflict, read again.
// The revision is a random id, not a counter: a group item is deleted when it empties and may be
// re-created, and a counter would start over and could match a stale read (ABA).
//
// `xmin` is a lower bound of every holder's lease expiry: a full rewrite stores the exact minimum,
// and the writes that change single holders never raise it (a lease renewal leaves it low; a
// hand-over only adds holders that expire no sooner). So `xmin > now` proves that no holder has
// expired, whoever changed the holders since: parking a waiter need not name each holder it read.
//
// Claimed hand-overs (group-store.ts claimHandOver / promoteClaim): holders releasing at once would all
// race for the queue's head under a condition naming it, and each lost race costs a write. Instead a
// releaser claims the next unclaimed waiter with `ADD g 1` (conditioned on `size(q) > g`), which
// serializes claimers without failing any: each gets its own position `g - 1` in the written item.
// The claim marks the releaser's holding `o` (leaving: its slot is the claimed waiter's), and a second
// write moves the waiter into the holders, marking its queue entry `p` (promoted) — or removing it
// when it is the only claim at the head. `q[0 .. g-1]` is the claimed prefix; the last promotion of a
// burst removes the promoted entries and sets `g` back to 0, as any full rewrite does. Readers see a
// leaving holding as gone and a promoted entry as a holder, so a claimed waiter that is not promoted
// yet is an ordinary head of the queue: whoever decides next may grant it (the claimer's own write
// then fails and it reads again), and a claimer that dies leaves nothing a later decision misses.
//
// Why task tokens live in separate items (tokens.ts): a token is up to 2 KB; 100 of them inline would
// use half the 400 KB item, and a max-parallel window must hold far more than 100 waiters. Without
// tokens a waiter entry is ~150 bytes (the execution ARN is omitted when the holder id starts with
// it, as window and job-level holders do), so a window holds ~2,000 waiters — more than one execution
// can have waiting at once within its 25,000-event history.

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { GroupState, Holding, Waiting } from './group-state';
import { groupItemKey, holderOfExecution } from './keys';

/** DynamoDB's limit is 400 KB; keep a margin, since our estimate is of the JSON form. */
export const MAX_GROUP_ITEM_BYTES = 380_000;

export interface StoredGroup {
  readonly state: GroupState;
  readonly revision: string;
  /** The stored lower bound of every holder's lease expiry (see `xmin` below); absent without holders. */
  readonly leastExpiry?: number;
  /** Claimed hand-overs not yet promoted (leaving holdings); 0 when none. */
  readonly pendingClaims: number;
  /** The holders whose holding is marked leaving (they gave their slot to a claim). */
  readonly leaving: readonly string[];
  /** Queue entries inside the claimed prefix that are not promoted yet: equals pendingClaims unless a claim was abandoned. */
  readonly claimedWaiting: number;
  /** The stored claims counter `g`: the claimed prefix of the queue list, promoted or not (0 when none). */
  readonly claims: number;
}

type Item = Record<string, AttributeValue>;

const str = (value: string): AttributeValue => ({ S: value });
const num = (value: number): AttributeValue => ({ N: String(value) });

/** One waiter as stored in the queue list. */
export function queueEntry(waiter: Waiting): AttributeValue {
  const entry: Item = { h: str(waiter.holder), s: num(waiter.since), l: num(waiter.leaseSeconds) };
  if (!holderOfExecution(waiter.holder, waiter.executionArn)) entry.e = str(waiter.executionArn);
  return { M: entry };
}

/** One holder as stored in the holders map (keyed by its holder id). */
export function holdingEntry(holding: Holding): AttributeValue {
  return { M: { e: str(holding.executionArn), s: num(holding.since), x: num(holding.expiresAt) } };
}

export function toItem(state: GroupState, revision: string): Item {
  const holders: Record<string, AttributeValue> = {};
  for (const h of state.holders) holders[h.holder] = holdingEntry(h);
  const queue = state.queue.map(queueEntry);
  const key = groupItemKey(state.key);
  return {
    pk: str(key.pk),
    sk: str(key.sk),
    key: str(state.key),
    rev: str(revision),
    name: str(state.name),
    cap: num(state.capacity),
    hs: { M: holders },
    q: { L: queue },
    g: num(0),
    ...(state.holders.length > 0 ? { xmin: num(Math.min(...state.holders.map((h) => h.expiresAt))) } : {}),
  };
}

function readString(item: Item | undefined, field: string): string {
  const value = item?.[field]?.S;
  if (value === undefined) throw new Error(`coordination item is missing string field '${field}'`);
  return value;
}

function readNumber(item: Item | undefined, field: string): number {
  const value = item?.[field]?.N;
  if (value === undefined) throw new Error(`coordination item is missing number field '${field}'`);
  return Number(value);
}

/** The execution a holder id belongs to: the part before the first '#'. */
function executionOfHolder(holder: string): string {
  const hash = holder.indexOf('#');
  return hash < 0 ? holder : holder.slice(0, hash);
}

/** A holding that a claimed hand-over gave away (see above). */
const isLeaving = (value: AttributeValue) => value.M?.o?.BOOL === true;
/** A queue entry already promoted by a claimed hand-over (it is in the holders now). */
const isPromoted = (value: AttributeValue) => value.M?.p?.BOOL === true;

/** One stored queue entry as a waiter. */
export function waiterOf(value: AttributeValue): Waiting {
  const holder = readString(value.M, 'h');
  return {
    holder,
    executionArn: value.M?.e?.S ?? executionOfHolder(holder),
    since: readNumber(value.M, 's'),
    leaseSeconds: readNumber(value.M, 'l'),
  };
}

export function fromItem(item: Item): StoredGroup {
  const stored = Object.entries(item.hs?.M ?? {});
  const holders: Holding[] = stored
    .filter(([, value]) => !isLeaving(value))
    .map(([holder, value]) => ({
      holder,
      executionArn: readString(value.M, 'e'),
      since: readNumber(value.M, 's'),
      expiresAt: readNumber(value.M, 'x'),
    }));
  holders.sort((a, b) => a.since - b.since || (a.holder < b.holder ? -1 : 1));
  const storedQueue = item.q?.L ?? [];
  const queue: Waiting[] = storedQueue.filter((value) => !isPromoted(value)).map(waiterOf);
  const claims = Number(item.g?.N ?? 0);
  const leaving = stored.filter(([, value]) => isLeaving(value)).map(([holder]) => holder);
  return {
    revision: readString(item, 'rev'),
    ...(item.xmin?.N !== undefined ? { leastExpiry: Number(item.xmin.N) } : {}),
    pendingClaims: leaving.length,
    leaving,
    claims,
    claimedWaiting: storedQueue.slice(0, claims).filter((value) => !isPromoted(value)).length,
    state: {
      key: readString(item, 'key'),
      name: readString(item, 'name'),
      capacity: readNumber(item, 'cap'),
      holders,
      queue,
    },
  };
}

/** An upper bound of the stored size (the JSON form is larger than DynamoDB's own accounting). */
export function estimatedItemBytes(state: GroupState): number {
  return Buffer.byteLength(JSON.stringify(toItem(state, '00000000-0000-0000-0000-000000000000')));
}

export function fitsInItem(state: GroupState): boolean {
  return estimatedItemBytes(state) <= MAX_GROUP_ITEM_BYTES;
}
