// The few DynamoDB calls coordination makes, with the error mapping they share: throttling becomes
// `CoordinatorBusy` (an ASL Retry matches it), a failed condition is reported as `false`.

import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { HandlerDeps } from '../deps';
import { CoordinationError, ErrorNames, errorName } from './errors';

export type Item = Record<string, AttributeValue>;
type Key = { readonly pk: string; readonly sk: string };

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);

export interface Table {
  readonly name: string;
  readonly client: DynamoDBClient;
}

export function tableOf(deps: Pick<HandlerDeps, 'env' | 'dynamodb'>): Table {
  const name = deps.env.TABLE_NAME;
  if (!name) throw new Error('TABLE_NAME is not set: the coordinator needs the runtime table');
  return { name, client: deps.dynamodb };
}

export function isConditionFailure(error: unknown): boolean {
  return errorName(error) === 'ConditionalCheckFailedException';
}

/** Runs one DynamoDB call; throttling that outlasted the SDK's own retries becomes CoordinatorBusy. */
export async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const name = errorName(error);
    if (name !== undefined && THROTTLING.has(name)) {
      throw new CoordinationError(ErrorNames.busy, `DynamoDB throttled ${what} (${name}); retry the task`);
    }
    throw error;
  }
}

const keyOf = (key: Key): Item => ({ pk: { S: key.pk }, sk: { S: key.sk } });

export async function getItem(table: Table, key: Key): Promise<Item | undefined> {
  const out = await call(`GetItem ${key.pk}`, () =>
    table.client.send(new GetItemCommand({ TableName: table.name, Key: keyOf(key), ConsistentRead: true })),
  );
  return out.Item;
}

export async function putItem(table: Table, item: Item): Promise<void> {
  await call(`PutItem ${item.pk?.S}`, () => table.client.send(new PutItemCommand({ TableName: table.name, Item: item })));
}

export async function deleteItem(table: Table, key: Key): Promise<void> {
  await call(`DeleteItem ${key.pk}`, () => table.client.send(new DeleteItemCommand({ TableName: table.name, Key: keyOf(key) })));
}

/** Every item of a partition whose sort key starts with `prefix` (consistent, all pages). */
export async function queryPrefix(table: Table, pk: string, prefix: string): Promise<Item[]> {
  return allPages(`Query ${pk}`, (start) =>
    table.client.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': { S: pk }, ':prefix': { S: prefix } },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    ),
  );
}

/** Every item of a Query or Scan, page after page. */
export async function allPages(what: string, page: (start: Item | undefined) => Promise<{ Items?: Item[]; LastEvaluatedKey?: Item }>): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await call(what, () => page(start));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}
