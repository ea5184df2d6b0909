// A parked waiter's task token, stored beside its group item (pk `lock#<key>`, sk `token#<holder>`).
// It is written before the waiter enters the queue, so whoever later grants or supersedes the waiter
// finds it; whoever notifies the waiter deletes it.

import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import type { Table } from './table';
import { call, deleteItem, getItem, isConditionFailure, putItem, queryPrefix } from './table';
import { TOKEN_PREFIX, groupItemKey, holderOfExecution, tokenItemKey } from './keys';

export interface ParkedToken {
  readonly holder: string;
  readonly token: string;
  /** The group name as this waiter wrote it (its grant output repeats it). */
  readonly group: string;
  /** When it started waiting: its grant reports waitedMs from here. */
  readonly since: number;
}

export async function putToken(table: Table, key: string, parked: ParkedToken): Promise<void> {
  const { pk, sk } = tokenItemKey(key, parked.holder);
  await putItem(table, {
    pk: { S: pk },
    sk: { S: sk },
    holder: { S: parked.holder },
    token: { S: parked.token },
    group: { S: parked.group },
    since: { N: String(parked.since) },
  });
}

export async function getToken(table: Table, key: string, holder: string): Promise<ParkedToken | undefined> {
  const item = await getItem(table, tokenItemKey(key, holder));
  if (item?.token?.S === undefined) return undefined;
  return { holder, token: item.token.S, group: item.group?.S ?? '', since: Number(item.since?.N ?? 0) };
}

export async function deleteToken(table: Table, key: string, holder: string): Promise<void> {
  await deleteItem(table, tokenItemKey(key, holder));
}

/** Deletes the holder's parked token if it is still `token`: true for the one caller that took it, false when someone else did. */
export async function takeToken(table: Table, key: string, holder: string, token: string): Promise<boolean> {
  const { pk, sk } = tokenItemKey(key, holder);
  try {
    await call(`DeleteItem ${pk}`, () =>
      table.client.send(
        new DeleteItemCommand({
          TableName: table.name,
          Key: { pk: { S: pk }, sk: { S: sk } },
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':token': { S: token } },
        }),
      ),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Deletes every token an execution left in a group (a crashed acquire, a dropped waiter). */
export async function deleteExecutionTokens(table: Table, key: string, executionArn: string): Promise<number> {
  const { pk } = groupItemKey(key);
  const items = await queryPrefix(table, pk, `${TOKEN_PREFIX}${executionArn}`);
  const mine = items.filter((item) => holderOfExecution(item.holder?.S ?? '', executionArn));
  await Promise.all(mine.map((item) => deleteToken(table, key, item.holder?.S ?? '')));
  return mine.length;
}
