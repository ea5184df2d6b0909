// `stepdeploy dev --data` after a crash or `kill -9` (issue 11, finding 1): the holders and waiters
// the dead process left in the persisted table used to block their group for a whole lease (a next
// run waited 18+ minutes). On restart they are ended as ABORTED and what they held is released.

import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dynamodbClient } from '../../lib/local/dynalite-server';
import { toItem } from '../../lib/runtime/coordination/group-item';
import { executionIndexKey, groupKey } from '../../lib/runtime/coordination/keys';
import { E2E_FIXTURES, Gates, RuntimeTable } from '../fixtures/e2e/support';
import { startLocalWorkflows } from '../e2e/local-run';

describe('a restart on persisted data', () => {
  it('ends the executions the table still names and releases their groups; a new run takes the group at once', { timeout: 600_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'stepdeploy-data-'));
    const files = [join(E2E_FIXTURES, 'held.yml')];
    const first = await startLocalWorkflows(files, { dataDir });
    const machine = first.engine.stateMachines.find((candidate) => candidate.id === 'held')!;
    const dead = (name: string) => machine.arn.replace(':stateMachine:', ':execution:') + `:${name}`;
    const [holder, waiter] = [dead('killed-holder'), dead('killed-waiter')];
    // What a killed process leaves behind: a holder, a waiter, and their index items.
    const key = groupKey('held-lost');
    const client = dynamodbClient(first.engine.endpoints.dynamodb);
    const tableName = first.engine.tableNames[0]!;
    const now = Date.now();
    const state = {
      key,
      name: 'held-lost',
      capacity: 1,
      holders: [{ holder, executionArn: holder, since: now, expiresAt: now + 600_000 }],
      queue: [{ holder: waiter, executionArn: waiter, since: now, leaseSeconds: 600 }],
    };
    await client.send(new PutItemCommand({ TableName: tableName, Item: toItem(state, 'rev-1') }));
    for (const arn of [holder, waiter]) {
      const { pk, sk } = executionIndexKey(arn, key);
      await client.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: pk }, sk: { S: sk }, group: { S: key } } }));
    }
    client.destroy();
    await first.close();

    const second = await startLocalWorkflows(files, { dataDir });
    try {
      expect(second.engine.lostExecutions).toEqual([holder, waiter].sort());
      const table = await RuntimeTable.of(second.engine);
      expect(await table.keys()).toEqual([]);
      const gates = await Gates.create();
      const run = second.start('held', { gate: gates.path('go'), lane: 'lost' });
      await gates.open('go');
      expect((await second.finish(run)).status).toBe('SUCCEEDED');
    } finally {
      await second.close();
    }
  });
});
