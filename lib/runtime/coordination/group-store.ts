// Reads and conditionally writes the group item (see group-item.ts for the layout and why).

import { randomUUID } from 'node:crypto';
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Holding, GroupState, Waiting } from './group-state';
import { fromItem, holdingEntry, queueEntry, toItem, waiterOf, type StoredGroup } from './group-item';
import { groupItemKey } from './keys';
import { call, getItem, isConditionFailure, type Table } from './table';

export async function loadGroup(table: Table, key: string): Promise<StoredGroup | undefined> {
  const item = await getItem(table, groupItemKey(key));
  return item === undefined ? undefined : fromItem(item);
}

export interface GroupWrite {
  /** What was read; undefined when the group had no item. */
  readonly read: StoredGroup | undefined;
  /** The state to store; undefined deletes the item (the group is empty). */
  readonly next: GroupState | undefined;
  /** Holders taken back for an expired lease: the write only succeeds if they are still expired. */
  readonly reclaimed: readonly Holding[];
  readonly now: number;
}

/** Writes `next` if the item is still as read. False when someone else wrote first (read again). */
export async function commitGroup(table: Table, key: string, write: GroupWrite): Promise<boolean> {
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  let condition: string;
  if (write.read === undefined) {
    condition = 'attribute_not_exists(pk)';
  } else {
    names['#rev'] = 'rev';
    values[':rev'] = { S: write.read.revision };
    const clauses = ['#rev = :rev'];
    if (write.reclaimed.length > 0) {
      names['#hs'] = 'hs';
      names['#x'] = 'x';
      values[':now'] = { N: String(write.now) };
      write.reclaimed.forEach((holding, index) => {
        names[`#r${index}`] = holding.holder;
        clauses.push(`#hs.#r${index}.#x <= :now`);
      });
    }
    condition = clauses.join(' AND ');
  }
  const common = {
    TableName: table.name,
    ConditionExpression: condition,
    ExpressionAttributeNames: Object.keys(names).length > 0 ? names : undefined,
    ExpressionAttributeValues: Object.keys(values).length > 0 ? values : undefined,
  };
  try {
    if (write.next === undefined) {
      if (write.read === undefined) return true;
      const { pk, sk } = groupItemKey(key);
      await call(`DeleteItem lock#${key}`, () =>
        table.client.send(new DeleteItemCommand({ ...common, Key: { pk: { S: pk }, sk: { S: sk } } })),
      );
    } else {
      const item = toItem(write.next, randomUUID());
      await call(`PutItem lock#${key}`, () => table.client.send(new PutItemCommand({ ...common, Item: item })));
    }
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export interface HandOver {
  /** The holder that leaves. */
  readonly holder: string;
  /** The queue's first waiters, promoted in this order: each must still be at its place. */
  readonly granted: readonly Holding[];
  /** Holders read (the leaver included): the group may have fewer now, never more. */
  readonly holdersRead: number;
  readonly capacity: number;
}

/**
 * A holder leaves and the queue's first waiters take its slot, in one UpdateItem conditioned only on
 * what that decision rests on: the leaver still holds, the capacity is unchanged, the group holds no
 * more than was read, and the promoted waiters are still the queue's head in order (or the queue is
 * still empty). Releases of other holders, waiters appended behind and lease moves of other holders
 * no longer make it start over, as a revision check did: concurrent releases of a semaphore commit
 * side by side. The new revision still makes every read–decide–write of the group read again.
 * The caller checks that no promoted waiter expires before the stored `xmin` (else: the general path).
 * Undefined when the condition failed (read again).
 */
export async function handOver(table: Table, key: string, handover: HandOver): Promise<StoredGroup | undefined> {
  const names: Record<string, string> = { '#hs': 'hs', '#q': 'q', '#rev': 'rev', '#cap': 'cap', '#me': handover.holder, '#g': 'g' };
  const values: Record<string, AttributeValue> = {
    ':rev': { S: randomUUID() },
    ':cap': { N: String(handover.capacity) },
    ':read': { N: String(handover.holdersRead) },
    ':zero': { N: '0' },
  };
  // No claimed hand-over pending (group-item.ts): the queue's indexes are then what was read.
  const clauses = ['attribute_exists(#hs.#me)', '#cap = :cap', 'size(#hs) <= :read', '#g = :zero'];
  const sets = ['#rev = :rev'];
  const removes = ['#hs.#me', ...queueHeadRemovals(handover.granted.length)];
  if (handover.granted.length === 0) {
    values[':none'] = { N: '0' };
    clauses.push('size(#q) = :none');
  } else {
    // The new holders must not expire before the stored lower bound (group-item.ts): then it holds.
    names['#h'] = 'h';
    names['#xmin'] = 'xmin';
    values[':soonest'] = { N: String(Math.min(...handover.granted.map((h) => h.expiresAt))) };
    clauses.push('#xmin <= :soonest');
  }
  handover.granted.forEach((holding, index) => {
    names[`#g${index}`] = holding.holder;
    values[`:w${index}`] = { S: holding.holder };
    values[`:g${index}`] = holdingEntry(holding);
    clauses.push(`#q[${index}].#h = :w${index}`);
    sets.push(`#hs.#g${index} = :g${index}`);
  });
  return updateGroupIf(table, key, { update: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`, condition: clauses.join(' AND '), names, values });
}

/**
 * `REMOVE` paths of the first `count` queue entries, last first: DynamoDB reads every index of one
 * expression against the list as it was, dynalite removes them one after another (so `q[0], q[1]`
 * would drop the first and the third there); from the back, both remove the same entries.
 */
function queueHeadRemovals(count: number): string[] {
  return Array.from({ length: count }, (_entry, index) => `#q[${count - 1 - index}]`);
}

/**
 * Grants a free slot to a newcomer with one UpdateItem conditioned only on what that decision rests
 * on: the capacity is unchanged, a slot is still free, nobody unclaimed waits, and the newcomer does not hold
 * yet. Other holders leaving or arriving meanwhile no longer make it start over. `xmin` stays a lower
 * bound (group-item.ts): set when the group has no holders, else checked. Undefined: read again.
 */
export async function grantNewcomer(table: Table, key: string, holding: Holding, capacity: number, read: StoredGroup): Promise<StoredGroup | undefined> {
  const names: Record<string, string> = { '#hs': 'hs', '#q': 'q', '#g': 'g', '#rev': 'rev', '#cap': 'cap', '#me': holding.holder, '#xmin': 'xmin' };
  const values: Record<string, AttributeValue> = {
    ':rev': { S: randomUUID() },
    ':cap': { N: String(capacity) },
    ':me': holdingEntry(holding),
    ':x': { N: String(holding.expiresAt) },
  };
  // Nobody unclaimed waits (`size(q) <= g`): claimed waiters have their slots already (group-item.ts).
  const clauses = ['#cap = :cap', 'size(#hs) < :cap', 'size(#q) <= #g', 'attribute_not_exists(#hs.#me)'];
  const sets = ['#hs.#me = :me', '#rev = :rev'];
  if (read.state.holders.length === 0 && read.pendingClaims === 0) {
    // Nobody holds: the bound starts over at this lease (whatever a hand-over that emptied the group left).
    values[':none'] = { N: '0' };
    clauses.push('size(#hs) = :none');
    sets.push('#xmin = :x');
  } else {
    clauses.push('#xmin <= :x');
  }
  return updateGroupIf(table, key, { update: `SET ${sets.join(', ')}`, condition: clauses.join(' AND '), names, values });
}

export interface AppendGuard {
  readonly capacity: number;
  /** The queue must be shorter than this (queue: max), or empty (queue: single: 1). */
  readonly queueBelow?: number;
  readonly now: number;
}

/**
 * Parks a waiter behind a full group without a revision check: the condition says only that
 * holders still fill every slot and none of them has expired (the stored `xmin` lower bound is in
 * the future), so no grant is possible, and the queue has room.
 * Waiters arriving together then append without conflicting with each other (no thundering herd of
 * read–decide–write retries); the new revision still makes every other writer read again.
 * Undefined when the guard no longer holds: take the general path.
 */
export async function appendWaiter(table: Table, key: string, waiter: Waiting, guard: AppendGuard): Promise<StoredGroup | undefined> {
  const names: Record<string, string> = { '#q': 'q', '#rev': 'rev', '#hs': 'hs', '#cap': 'cap', '#xmin': 'xmin' };
  const values: Record<string, AttributeValue> = {
    ':entry': { L: [queueEntry(waiter)] },
    ':rev': { S: randomUUID() },
    ':cap': { N: String(guard.capacity) },
    ':now': { N: String(guard.now) },
  };
  const clauses = ['#cap = :cap', 'size(#hs) >= :cap', '#xmin > :now'];
  if (guard.queueBelow !== undefined) {
    values[':below'] = { N: String(guard.queueBelow) };
    clauses.push('size(#q) < :below');
  }
  return updateGroupIf(table, key, { update: 'SET #q = list_append(#q, :entry), #rev = :rev', condition: clauses.join(' AND '), names, values });
}

/**
 * Moves one holder's lease expiry when `condition` holds (`#x` names the expiry, `:now` is given).
 * A new revision makes every in-flight read–decide–write of the group start over. False when the
 * condition failed.
 */
export async function setHolderExpiry(
  table: Table,
  key: string,
  holder: string,
  expiresAt: number,
  condition: { readonly expression: string; readonly values: Record<string, AttributeValue> },
): Promise<boolean> {
  const { pk, sk } = groupItemKey(key);
  try {
    await call(`UpdateItem lock#${key}`, () =>
      table.client.send(
        new UpdateItemCommand({
          TableName: table.name,
          Key: { pk: { S: pk }, sk: { S: sk } },
          UpdateExpression: 'SET #hs.#h.#x = :x, #rev = :rev',
          ConditionExpression: condition.expression,
          ExpressionAttributeNames: { '#hs': 'hs', '#h': holder, '#x': 'x', '#rev': 'rev' },
          ExpressionAttributeValues: { ':x': { N: String(expiresAt) }, ':rev': { S: randomUUID() }, ...condition.values },
        }),
      ),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** A releaser's claim on the next unclaimed waiter (group-item.ts). */
export interface Claim {
  /** The claimed waiter's index in the stored queue list. */
  readonly index: number;
  readonly waiter: Waiting;
  /** How many claims the written item has (the claimed prefix of the queue). */
  readonly claims: number;
}

/**
 * A holder that leaves claims the next unclaimed waiter for its slot: `ADD g 1` while a waiter is
 * unclaimed (`size(q) > g`). Holders that release together each get a waiter of their own, in queue
 * order, and none of these writes fails for another's. Needs no read. Undefined when the holder does
 * not hold (or already gave its slot away) or nobody unclaimed waits: take the general path.
 */
export async function claimHandOver(table: Table, key: string, holder: string): Promise<Claim | undefined> {
  const item = await updateItemIf(table, key, {
    update: 'SET #hs.#me.#o = :yes, #rev = :rev ADD #g :one',
    condition: 'attribute_exists(#hs.#me) AND attribute_not_exists(#hs.#me.#o) AND size(#q) > #g',
    names: { '#hs': 'hs', '#me': holder, '#o': 'o', '#rev': 'rev', '#g': 'g', '#q': 'q' },
    values: { ':yes': { BOOL: true }, ':rev': { S: randomUUID() }, ':one': { N: '1' } },
  });
  const claims = Number(item?.g?.N);
  const entry = item?.q?.L?.[claims - 1];
  if (entry === undefined) return undefined;
  return { index: claims - 1, waiter: waiterOf(entry), claims };
}

/**
 * A holder leaves a group where nobody unclaimed waits (`size(q) <= g`): no slot to hand on, so no
 * read and no revision check, and claims in flight stand. Needs no read. Undefined when the holder
 * does not hold, or someone unclaimed waits (a claim, or the general path, hands the slot on).
 */
export async function leaveUnclaimed(table: Table, key: string, holder: string): Promise<StoredGroup | undefined> {
  return updateGroupIf(table, key, {
    update: 'SET #rev = :rev REMOVE #hs.#me',
    condition: 'attribute_exists(#hs.#me) AND attribute_not_exists(#hs.#me.#o) AND size(#q) <= #g',
    names: { '#hs': 'hs', '#me': holder, '#o': 'o', '#rev': 'rev', '#g': 'g', '#q': 'q' },
    values: { ':rev': { S: randomUUID() } },
  });
}

/**
 * Moves a claimed waiter into the leaver's slot: the leaver's holding goes, the waiter's comes, and
 * its queue entry is removed (the only claim, at the head) or marked promoted. Conditioned on the
 * claim still standing (no full rewrite came between) and on `xmin` staying a lower bound. A removal
 * of the promoted prefix may have moved the entry: then it is found again (one read) and tried at its
 * new place. False: someone else decided (read again).
 */
export async function promoteClaim(table: Table, key: string, leaver: string, claim: Claim, holding: Holding): Promise<boolean> {
  const names: Record<string, string> = { '#hs': 'hs', '#me': leaver, '#o': 'o', '#w': holding.holder, '#q': 'q', '#h': 'h', '#p': 'p', '#rev': 'rev', '#xmin': 'xmin' };
  const values: Record<string, AttributeValue> = {
    ':holding': holdingEntry(holding),
    ':w': { S: holding.holder },
    ':rev': { S: randomUUID() },
    ':soonest': { N: String(holding.expiresAt) },
  };
  const standing = (at: string) => `attribute_exists(#hs.#me.#o) AND ${at}.#h = :w AND attribute_not_exists(${at}.#p) AND #xmin <= :soonest`;
  if (claim.index === 0 && claim.claims === 1) {
    const alone = await updateItemIf(table, key, {
      update: 'SET #hs.#w = :holding, #g = :zero, #rev = :rev REMOVE #hs.#me, #q[0]',
      condition: `${standing('#q[0]')} AND #g = :one`,
      names: { ...names, '#g': 'g' },
      values: { ...values, ':zero': { N: '0' }, ':one': { N: '1' } },
    });
    if (alone !== undefined) return true;
  }
  let index: number | undefined = claim.index;
  for (let attempt = 0; attempt < PROMOTE_ATTEMPTS && index !== undefined; attempt++) {
    const at = `#q[${index}]`;
    const written = await updateItemIf(table, key, {
      update: `SET #hs.#w = :holding, ${at}.#p = :yes, #rev = :rev REMOVE #hs.#me`,
      condition: standing(at),
      names,
      values: { ...values, ':yes': { BOOL: true } },
    });
    if (written !== undefined) {
      await removePromotedPrefix(table, key, written, index);
      return true;
    }
    index = await claimedIndex(table, key, leaver, holding.holder);
  }
  return false;
}

const PROMOTE_ATTEMPTS = 4;

/** Where the claimed waiter is now, while the leaver's claim still stands; undefined when it does not. */
async function claimedIndex(table: Table, key: string, leaver: string, waiter: string): Promise<number | undefined> {
  const item = await getItem(table, groupItemKey(key));
  if (item?.hs?.M?.[leaver]?.M?.o?.BOOL !== true) return undefined;
  const index = (item.q?.L ?? []).findIndex((entry) => entry.M?.h?.S === waiter && entry.M?.p?.BOOL !== true);
  return index < 0 ? undefined : index;
}

/** Past this many promoted entries at the head (each ~150 bytes), they go even while claims are in flight. */
const PROMOTED_PREFIX_LIMIT = 32;

/**
 * Removes the promoted entries at the head of the queue as written by the promotion of `index`, when
 * that promotion is what extended the promoted head (so one promoter of a burst does it, not each).
 * While no claim is pending it is conditioned on `g` as written, so nothing moves under anyone; past
 * PROMOTED_PREFIX_LIMIT it takes them off the counter instead (`g - j`: claims made meanwhile stand,
 * and their promoters find their entries again, promoteClaim).
 */
async function removePromotedPrefix(table: Table, key: string, item: Record<string, AttributeValue>, index: number): Promise<void> {
  const claims = Number(item.g?.N ?? 0);
  const queue = item.q?.L ?? [];
  let promoted = 0;
  while (promoted < claims && queue[promoted]?.M?.p?.BOOL === true) promoted++;
  if (index >= promoted) return; // a promotion behind one still pending: its promoter comes later
  const pending = Object.values(item.hs?.M ?? {}).some((holding) => holding.M?.o?.BOOL === true);
  const settled = !pending && promoted === claims;
  if (!settled && promoted < PROMOTED_PREFIX_LIMIT) return;
  const names: Record<string, string> = { '#q': 'q', '#g': 'g', '#h': 'h', '#p': 'p', '#rev': 'rev' };
  const values: Record<string, AttributeValue> = { ':j': { N: String(promoted) }, ':rev': { S: randomUUID() } };
  const clauses: string[] = settled ? ['#g = :j'] : [];
  queue.slice(0, promoted).forEach((entry, at) => {
    values[`:h${at}`] = { S: entry.M?.h?.S ?? '' };
    clauses.push(`#q[${at}].#h = :h${at}`, `attribute_exists(#q[${at}].#p)`);
  });
  await updateItemIf(table, key, { update: `SET #g = #g - :j, #rev = :rev REMOVE ${queueHeadRemovals(promoted).join(', ')}`, condition: clauses.join(' AND '), names, values });
}

interface ConditionalUpdate {
  readonly update: string;
  readonly condition: string;
  readonly names: Record<string, string>;
  readonly values: Record<string, AttributeValue>;
}

/**
 * One conditional UpdateItem of the group item that returns the group as written, or undefined
 * when the condition failed (the caller reads again or takes the general path).
 */
async function updateGroupIf(table: Table, key: string, write: ConditionalUpdate): Promise<StoredGroup | undefined> {
  const item = await updateItemIf(table, key, write);
  return item === undefined ? undefined : fromItem(item);
}

/** The same, returning the stored item as written. */
async function updateItemIf(table: Table, key: string, write: ConditionalUpdate): Promise<Record<string, AttributeValue> | undefined> {
  const { pk, sk } = groupItemKey(key);
  try {
    const out = await call(`UpdateItem lock#${key}`, () =>
      table.client.send(
        new UpdateItemCommand({
          TableName: table.name,
          Key: { pk: { S: pk }, sk: { S: sk } },
          UpdateExpression: write.update,
          ConditionExpression: write.condition,
          ExpressionAttributeNames: write.names,
          ExpressionAttributeValues: write.values,
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return out.Attributes;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}
