// The runner's side of the table: its index item, its partition of work and stop items.

import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { allPages, deleteItem, putItem, type Table } from '../runtime/coordination/table';
import { endedPart } from '../runtime/coordination/ended';
import { cancelRequested, CANCEL_SK, readWorkItem, runnerCancelKey, runnerIdParts, runnerIndexKey, runnerPk, stepItemKey, STEP_PREFIX, STOP_SK, stopItemKey, type StepWork } from '../runtime/runners';
import type { RunnerIdentity } from './identity';

export interface Poll {
  readonly stop: boolean;
  /** The run was cancelled (lib/runtime/runners/cancel.ts): stop the running steps, run only those that run on cancel. */
  readonly cancel: boolean;
  readonly work: readonly StepWork[];
}

export class WorkQueue {
  constructor(
    private readonly table: Table,
    private readonly identity: RunnerIdentity,
  ) {}

  /** Lets the status-change handler find this runner if the execution ends without a stop runner state. */
  async register(): Promise<void> {
    const { pk, sk } = runnerIndexKey(this.identity.executionArn, this.identity.runnerId);
    await putItem(this.table, { pk: { S: pk }, sk: { S: sk }, build: { S: this.identity.buildId } });
  }

  /** One consistent Query of the partition: work items in step order, and whether a stop item is there. */
  async poll(): Promise<Poll> {
    const items = await allPages(`Query ${runnerPk(this.identity.runnerId)}`, (start) =>
      this.table.client.send(
        new QueryCommand({
          TableName: this.table.name,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: runnerPk(this.identity.runnerId) } },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      ),
    );
    return {
      stop: items.some((item) => item.sk?.S === STOP_SK),
      cancel: items.some((item) => item.sk?.S === CANCEL_SK),
      work: items.filter((item) => item.sk?.S?.startsWith(STEP_PREFIX)).map(readWorkItem),
    };
  }

  /** Whether the run was cancelled before this runner registered (its cancel item was never written). */
  cancelledBefore(): Promise<boolean> {
    // The runner id starts with the run's execution ARN (lib/runtime/runners/keys.ts), which keys the marker.
    return cancelRequested(this.table, runnerIdParts(this.identity.runnerId).runExecutionArn);
  }

  /**
   * Whether the run's cleanup of this runner's job (fail-fast stopped its cells) or of the whole
   * execution has begun: it writes its ended marker before it looks for runners to stop, so a runner
   * that registered too late to be found sees the marker here and exits instead of idling.
   */
  async cellEnded(): Promise<boolean> {
    const { runnerId } = this.identity;
    return (await endedPart(this.table, runnerIdParts(runnerId).runExecutionArn, runnerId)) !== undefined;
  }

  /** Taken before it runs: a retry of the same step may put a new item under the same key at once. */
  async take(work: StepWork): Promise<void> {
    await deleteItem(this.table, stepItemKey(work.runner, work.seq));
  }

  /** Nothing of the runner stays behind: work nobody will take, its stop item, its index item. */
  async leave(): Promise<void> {
    const { work } = await this.poll();
    await Promise.all(work.map((item) => this.take(item)));
    await deleteItem(this.table, stopItemKey(this.identity.runnerId));
    await deleteItem(this.table, runnerCancelKey(this.identity.runnerId));
    await deleteItem(this.table, runnerIndexKey(this.identity.executionArn, this.identity.runnerId));
  }
}
