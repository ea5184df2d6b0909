import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, SFNClient, SendTaskSuccessCommand, ServiceQuotaExceededException, StopExecutionCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { acquire, release } from '../../../lib/runtime/coordination';
import { toItem } from '../../../lib/runtime/coordination/group-item';
import { MAX_ATTEMPTS } from '../../../lib/runtime/coordination/optimistic';
import type { HandlerDeps } from '../../../lib/runtime/deps';
import { acquireOf, arn, T0 } from './support/contenders';

function mocked() {
  const dynamodb = new DynamoDBClient({ region: 'us-east-1' });
  const sfn = new SFNClient({ region: 'us-east-1' });
  const deps: HandlerDeps = { env: { TABLE_NAME: 'runtime' }, dynamodb, sfn, now: () => T0 };
  const ddb = mockClient(dynamodb);
  ddb.on(QueryCommand).resolves({ Items: [] }); // no ended marker
  return { deps, ddb, states: mockClient(sfn) };
}

const meta = { $metadata: {} };

describe('coordination error paths', () => {
  it('DynamoDB throttling surfaces as CoordinatorBusy, which a Retry can match', async () => {
    const { deps, ddb } = mocked();
    ddb.on(GetItemCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', ...meta }));
    await expect(acquire(deps, acquireOf('hot', 'a'))).rejects.toMatchObject({
      name: 'CoordinatorBusy',
      message: 'DynamoDB throttled GetItem lock#group#hot (ProvisionedThroughputExceededException); retry the task',
    });
  });

  it('a grant to a token that already timed out is taken back: its task is gone', async () => {
    const { deps, ddb, states } = mocked();
    ddb.on(GetItemCommand).resolves({});
    ddb.on(PutItemCommand).resolves({});
    states.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', ...meta }));
    states.on(DescribeExecutionCommand).resolves({ status: 'ABORTED' });
    expect(await acquire(deps, acquireOf('late', 'a'))).toEqual({ outcome: 'refused', reason: `the task of ${arn('a')} is gone` });
    expect(states.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
  });

  it('any other Step Functions error is not swallowed', async () => {
    const { deps, ddb, states } = mocked();
    ddb.on(GetItemCommand).resolves({});
    ddb.on(PutItemCommand).resolves({});
    states.on(SendTaskSuccessCommand).rejects(new ServiceQuotaExceededException({ message: 'quota', ...meta }));
    await expect(acquire(deps, acquireOf('quota', 'a'))).rejects.toMatchObject({ name: 'ServiceQuotaExceededException' });
  });

  it(`endless write conflicts give up after ${MAX_ATTEMPTS} attempts with CoordinatorBusy`, async () => {
    const { deps, ddb } = mocked();
    const held = toItem({ key: 'busy', name: 'busy', capacity: 1, holders: [{ holder: arn('a'), executionArn: arn('a'), since: T0, expiresAt: T0 + 60_000 }], queue: [] }, 'rev-1');
    ddb.on(GetItemCommand).resolves({ Item: held });
    ddb.on(DeleteItemCommand).rejects(new ConditionalCheckFailedException({ message: 'conflict', ...meta }));
    await expect(release(deps, { group: 'busy', holder: arn('a') })).rejects.toMatchObject({
      name: 'CoordinatorBusy',
      message: `release of concurrency group 'busy': still conflicting after ${MAX_ATTEMPTS} attempts; retry the task`,
    });
    expect(ddb.commandCalls(DeleteItemCommand)).toHaveLength(MAX_ATTEMPTS); // the last holder leaves: delete
  });

  it('a failed read of the ended markers waits for the notices under way: their failure is no unhandled rejection', async () => {
    const { deps, ddb, states } = mocked();
    const held = toItem({ key: 'busy', name: 'busy', capacity: 1, holders: [{ holder: arn('b'), executionArn: arn('b'), since: T0, expiresAt: T0 + 60_000 }], queue: [] }, 'rev-1');
    ddb.on(GetItemCommand).resolves({ Item: held });
    ddb.on(PutItemCommand).resolves({});
    ddb.on(QueryCommand).rejects(new Error('the ended markers cannot be read'));
    states.on(StopExecutionCommand).rejects(new ServiceQuotaExceededException({ message: 'quota', ...meta }));
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      await expect(acquire(deps, acquireOf('busy', 'a', { cancelInProgress: true }))).rejects.toThrow('the ended markers cannot be read');
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(states.commandCalls(StopExecutionCommand)).toHaveLength(1);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('a missing TABLE_NAME is named', async () => {
    const { deps } = mocked();
    await expect(acquire({ ...deps, env: {} }, acquireOf('x', 'a'))).rejects.toThrow('TABLE_NAME is not set: the coordinator needs the runtime table');
  });
});
