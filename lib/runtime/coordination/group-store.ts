// Reads and conditionally writes the group item (see group-item.ts for the layout and why).

import { randomUUID } from 'node:crypto';
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Holding, GroupState, Waiting } from './group-state';
import { fromItem, queueEntry, toItem, type StoredGroup } from './group-item';
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

export interface AppendGuard {
  /** The holders that were read: each must still hold, unexpired, for the append to go through. */
  readonly holders: readonly Holding[];
  readonly capacity: number;
  /** The queue must be shorter than this (queue: max), or empty (queue: single: 1). */
  readonly queueBelow?: number;
  readonly now: number;
}

/**
 * Parks a waiter behind a full group without a revision check: the condition says only that the
 * same unexpired holders still fill every slot (so no grant is possible) and the queue has room.
 * Waiters arriving together then append without conflicting with each other (no thundering herd of
 * read–decide–write retries); the new revision still makes every other writer read again.
 * Undefined when the guard no longer holds: take the general path.
 */
export async function appendWaiter(table: Table, key: string, waiter: Waiting, guard: AppendGuard): Promise<StoredGroup | undefined> {
  const names: Record<string, string> = { '#q': 'q', '#rev': 'rev', '#hs': 'hs', '#cap': 'cap' };
  const values: Record<string, AttributeValue> = {
    ':entry': { L: [queueEntry(waiter)] },
    ':rev': { S: randomUUID() },
    ':cap': { N: String(guard.capacity) },
  };
  const clauses = ['#cap = :cap', 'size(#hs) >= :cap'];
  if (guard.queueBelow !== undefined) {
    values[':below'] = { N: String(guard.queueBelow) };
    clauses.push('size(#q) < :below');
  }
  if (guard.holders.length > 0) {
    names['#x'] = 'x';
    values[':now'] = { N: String(guard.now) };
    guard.holders.forEach((holding, index) => {
      names[`#h${index}`] = holding.holder;
      clauses.push(`#hs.#h${index}.#x > :now`);
    });
  }
  const { pk, sk } = groupItemKey(key);
  try {
    const out = await call(`UpdateItem lock#${key}`, () =>
      table.client.send(
        new UpdateItemCommand({
          TableName: table.name,
          Key: { pk: { S: pk }, sk: { S: sk } },
          UpdateExpression: 'SET #q = list_append(#q, :entry), #rev = :rev',
          ConditionExpression: clauses.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
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
