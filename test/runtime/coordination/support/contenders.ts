// Shared test plumbing: deps against the test table with an injectable clock, execution ARNs, and
// acquire commands with fresh task tokens.

import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { HandlerDeps } from '../../../../lib/runtime/deps';
import type { AcquireCommand } from '../../../../lib/runtime/coordination';
import { FakeStepFunctions } from './fake-step-functions';
import type { TestTable } from './dynalite-table';

export const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);

export interface Harness {
  readonly deps: HandlerDeps;
  readonly sfn: FakeStepFunctions;
  readonly clock: { now: number };
}

export function harness(table: TestTable, start: number | 'real' = T0): Harness {
  const sfn = new FakeStepFunctions();
  const clock = { now: start === 'real' ? Date.now() : start };
  const now = start === 'real' ? Date.now : () => clock.now;
  return { sfn, clock, deps: { env: { TABLE_NAME: table.tableName }, dynamodb: table.client, sfn: sfn.client, now } };
}

export const arn = (run: string | number) => `arn:aws:states:us-east-1:000000000000:execution:deploy:run-${run}`;

let tokens = 0;
export const freshToken = (label: string) => `token-${label}-${++tokens}`;

export function acquireOf(group: string, run: string | number, overrides: Partial<AcquireCommand> = {}): AcquireCommand {
  return {
    group,
    holder: arn(run),
    executionArn: arn(run),
    capacity: 1,
    queue: 'single',
    cancelInProgress: false,
    taskToken: freshToken(`${group}-${run}`),
    leaseSeconds: 300,
    ...overrides,
  };
}

/** Every item in the table whose pk starts with `prefix` (a test may look, users never Scan). */
export async function itemsUnder(table: TestTable, prefix: string): Promise<Record<string, AttributeValue>[]> {
  const out = await table.client.send(
    new ScanCommand({
      TableName: table.tableName,
      FilterExpression: 'begins_with(pk, :p)',
      ExpressionAttributeValues: { ':p': { S: prefix } },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

/** Runs an operation again while it fails with CoordinatorBusy, as the state machine's Retry would (they are idempotent). */
export async function retryBusy<T>(run: () => Promise<T>, onRetry: () => void = () => {}): Promise<T> {
  for (;;) {
    try {
      return await run();
    } catch (error) {
      if ((error as Error).name !== 'CoordinatorBusy') throw error;
      onRetry();
    }
  }
}
