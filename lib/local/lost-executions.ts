// After a restart on persisted data (`stepdeploy dev --data` after a crash or `kill -9`), no execution
// of the earlier process survived, yet the runtime table may still name some as holders, waiters or
// runners: they would block their groups until their leases ran out. The engine ends each of them
// as ABORTED, delivering its status-change event as for any other end, so the same handler that
// cleans up after an abort in AWS releases what it held.

import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { fromItem } from '../runtime/coordination/group-item';
import { ENDED_PREFIX } from '../runtime/coordination/keys';

type Item = Record<string, AttributeValue>;

async function scanAll(client: DynamoDBClient, tableName: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

/** The executions the tables still name (in groups, in per-execution index items), whose cleanup never ran. */
export async function executionsNamedIn(client: DynamoDBClient, tableNames: readonly string[]): Promise<string[]> {
  const named = new Set<string>();
  for (const tableName of tableNames) {
    for (const item of await scanAll(client, tableName)) {
      const pk = item.pk?.S ?? '';
      const sk = item.sk?.S ?? '';
      // An ended marker alone means its cleanup ran; any other item of the partition says it did not.
      if (pk.startsWith('exec#') && sk !== ENDED_PREFIX) named.add(pk.slice('exec#'.length));
      else if (pk.startsWith('lock#') && sk === 'state') {
        const { state } = fromItem(item);
        for (const entry of [...state.holders, ...state.queue]) named.add(entry.executionArn);
      }
    }
  }
  return [...named].sort();
}

/** `arn:aws:states:<region>:<account>:execution:<machine>:<name>` → its state machine's ARN and its name. */
export function executionParts(executionArn: string): { stateMachineArn: string; name: string } {
  const parts = executionArn.split(':');
  const name = parts.at(-1) ?? executionArn;
  const machine = parts.at(-2) ?? '';
  return { stateMachineArn: [...parts.slice(0, 5), 'stateMachine', machine].join(':'), name };
}
