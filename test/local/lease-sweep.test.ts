// The lease sweep runs locally as in AWS: the runtime's scheduled rule (`rate(5 minutes)` on the
// status-change function) fires on a timer of the engine. A holder whose execution is gone and whose
// lease ran out while a run waited behind it is taken back, and the slot goes to that run, although
// nothing else touches the group. Before, only a later acquire or release of the same group noticed.
import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dynamodbClient } from '../../lib/local/dynalite-server';
import { rateIntervalMs } from '../../lib/local/schedules';
import { toItem } from '../../lib/runtime/coordination/group-item';
import { executionIndexKey, groupItemKey, groupKey } from '../../lib/runtime/coordination/keys';
import { startLocalWorkflows } from '../e2e/local-run';
import { E2E_FIXTURES, eventually, Gates, RuntimeTable } from '../fixtures/e2e/support';

describe('the local lease sweep', () => {
  it('reads the runtime’s schedule from the template and hands a dead holder’s expired slot to the waiting run', { timeout: 180_000 }, async () => {
    const local = await startLocalWorkflows([join(E2E_FIXTURES, 'held.yml')], { scheduleIntervalMs: 50 });
    try {
      const { engine } = local;
      const machine = engine.stateMachines.find((candidate) => candidate.id === 'held')!;
      const dead = machine.arn.replace(':stateMachine:', ':execution:') + ':vanished-holder';
      const key = groupKey('held-sweep');
      const client = dynamodbClient(engine.endpoints.dynamodb);
      const tableName = engine.tableNames[0]!;
      // A holder whose execution is gone (its status-change event never came), with a live lease for now.
      const now = Date.now();
      const state = { key, name: 'held-sweep', capacity: 1, holders: [{ holder: dead, executionArn: dead, since: now, expiresAt: now + 600_000 }], queue: [] };
      await client.send(new PutItemCommand({ TableName: tableName, Item: toItem(state, 'forged') }));
      const index = executionIndexKey(dead, key);
      await client.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: index.pk }, sk: { S: index.sk }, group: { S: key } } }));

      const table = await RuntimeTable.of(engine);
      const gates = await Gates.create();
      const run = local.start('held', { gate: gates.path('go'), lane: 'sweep' });
      await eventually('the run queued behind the vanished holder', async () => ((await table.members('held-sweep')).queue.includes(run) ? true : undefined));
      // Its lease runs out now: no acquire or release of this group comes any more, only the sweep.
      const { pk, sk } = groupItemKey(key);
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { pk: { S: pk }, sk: { S: sk } },
          UpdateExpression: 'SET #hs.#h.#x = :past',
          ExpressionAttributeNames: { '#hs': 'hs', '#h': dead, '#x': 'x' },
          ExpressionAttributeValues: { ':past': { N: String(Date.now() - 1) } },
        }),
      );
      client.destroy();

      await eventually('the sweep granted the group to the run', async () => ((await table.members('held-sweep')).holders.includes(run) ? true : undefined), 60_000);
      expect(await table.members('held-sweep')).toEqual({ holders: [run], queue: [] });
      await gates.open('go');
      expect((await local.finish(run)).status).toBe('SUCCEEDED');
      // The vanished execution is cleaned up as its status change would have: no index item is left.
      expect((await table.keys()).filter((entry) => entry.includes('vanished-holder'))).toEqual([]);
      expect([...engine.schedules.ticks.keys()]).toEqual([sweepRuleId(local.template)]);
    } finally {
      await local.close();
    }
  });

  it('reads rate expressions as EventBridge writes them, and refuses others naming the rule', () => {
    expect([rateIntervalMs('rate(5 minutes)', 'R'), rateIntervalMs('rate(1 minute)', 'R'), rateIntervalMs('rate(2 hours)', 'R'), rateIntervalMs('rate(1 day)', 'R')]).toEqual([300_000, 60_000, 7_200_000, 86_400_000]);
    expect(() => rateIntervalMs('cron(0 12 * * ? *)', "Rule 'Sweep' (AWS::Events::Rule)")).toThrowError(
      "Rule 'Sweep' (AWS::Events::Rule) Properties.ScheduleExpression: 'cron(0 12 * * ? *)' is not supported locally (a schedule on a function must be 'rate(N minutes|hours|days)')",
    );
    expect(() => rateIntervalMs('rate(1 minutes)', 'R')).toThrowError(/is not supported locally/);
  });
});

/** The logical id of the template's scheduled rule on the status-change function. */
function sweepRuleId(template: Record<string, unknown>): string | undefined {
  const resources = template['Resources'] as Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  return Object.entries(resources).find(([, resource]) => resource.Type === 'AWS::Events::Rule' && resource.Properties?.['ScheduleExpression'] === 'rate(5 minutes)')?.[0];
}
