// Reads and conditionally writes the group item (see group-item.ts for the layout and why).

import { randomUUID } from 'node:crypto';
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Holding, GroupState, Waiting } from './group-state';
import { fromItem, holdingEntry, queueEntry, toItem, type StoredGroup } from './group-item';
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
  const names: Record<string, string> = { '#hs': 'hs', '#q': 'q', '#rev': 'rev', '#cap': 'cap', '#me': handover.holder };
  const values: Record<string, AttributeValue> = {
    ':rev': { S: randomUUID() },
    ':cap': { N: String(handover.capacity) },
    ':read': { N: String(handover.holdersRead) },
  };
  const clauses = ['attribute_exists(#hs.#me)', '#cap = :cap', 'size(#hs) <= :read'];
  const sets = ['#rev = :rev'];
  const removes = ['#hs.#me'];
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
    removes.push(`#q[${index}]`);
  });
  return updateGroupIf(table, key, { update: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`, condition: clauses.join(' AND '), names, values });
}

/**
 * Grants a free slot to a newcomer with one UpdateItem conditioned only on what that decision rests
 * on: the capacity is unchanged, a slot is still free, nobody waits, and the newcomer does not hold
 * yet. Other holders leaving or arriving meanwhile no longer make it start over. `xmin` stays a lower
 * bound (group-item.ts): set when the group has no holders, else checked. Undefined: read again.
 */
export async function grantNewcomer(table: Table, key: string, holding: Holding, capacity: number, read: StoredGroup): Promise<StoredGroup | undefined> {
  const names: Record<string, string> = { '#hs': 'hs', '#q': 'q', '#rev': 'rev', '#cap': 'cap', '#me': holding.holder, '#xmin': 'xmin' };
  const values: Record<string, AttributeValue> = {
    ':rev': { S: randomUUID() },
    ':cap': { N: String(capacity) },
    ':none': { N: '0' },
    ':me': holdingEntry(holding),
    ':x': { N: String(holding.expiresAt) },
  };
  const clauses = ['#cap = :cap', 'size(#hs) < :cap', 'size(#q) = :none', 'attribute_not_exists(#hs.#me)'];
  const sets = ['#hs.#me = :me', '#rev = :rev'];
  if (read.state.holders.length === 0) {
    // Nobody holds: the bound starts over at this lease (whatever a hand-over that emptied the group left).
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

/**
 * One conditional UpdateItem of the group item that returns the group as written, or undefined
 * when the condition failed (the caller reads again or takes the general path).
 */
async function updateGroupIf(
  table: Table,
  key: string,
  write: { readonly update: string; readonly condition: string; readonly names: Record<string, string>; readonly values: Record<string, AttributeValue> },
): Promise<StoredGroup | undefined> {
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
    return out.Attributes === undefined ? undefined : fromItem(out.Attributes);
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}
