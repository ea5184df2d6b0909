import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../lambdas/status-change/handler';
import { acquire } from '../../../lib/runtime/coordination';
import { WorkQueue } from '../../../lib/runner/work-queue';
import { runnerIdOf } from '../../../lib/runtime/runners';
import { startTable, type TestTable } from '../../runtime/coordination/support/dynalite-table';
import { acquireOf, arn, harness } from '../../runtime/coordination/support/contenders';

let table: TestTable;
beforeAll(async () => {
  table = await startTable();
});
afterAll(async () => {
  await table.close();
});

const event = (executionArn: string, status: string) => ({
  source: 'aws.states',
  'detail-type': 'Step Functions Execution Status Change',
  detail: { executionArn, stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:deploy', name: 'x', status },
});

describe('status-change handler', () => {
  for (const status of ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']) {
    it(`releases what an execution holds when it ends ${status}`, async () => {
      const h = harness(table);
      const group = `g-${status}`;
      await acquire(h.deps, acquireOf(group, status));
      const next = acquireOf(group, `${status}-next`);
      await acquire(h.deps, next);
      const runner = new WorkQueue(
        { name: table.tableName, client: table.client },
        { runnerId: runnerIdOf(arn(status), 'deploy'), executionArn: arn(status), job: 'deploy', table: table.tableName, buildId: 'runner:1', workspace: '/w' },
      );
      await runner.register();
      expect(await createHandler(h.deps)(event(arn(status), status))).toEqual({
        ignored: false,
        stoppedRunners: [runnerIdOf(arn(status), 'deploy')],
        droppedApprovals: 0,
        groups: [{ group, released: 1, dropped: 0, granted: [next.holder] }],
        needsItems: 0,
      });
      expect(await h.sfn.outcome(next.taskToken)).toMatchObject({ kind: 'success' });
      expect((await runner.poll()).stop).toBe(true);
    });
  }

  it('ignores an execution that is still running', async () => {
    const h = harness(table);
    await acquire(h.deps, acquireOf('running', 'r'));
    expect(await createHandler(h.deps)(event(arn('r'), 'RUNNING'))).toEqual({ ignored: true, status: 'RUNNING' });
  });

  it('rejects an event that is not a status change', async () => {
    await expect(createHandler(harness(table).deps)({ detail: {} })).rejects.toMatchObject({
      name: 'InvalidRequest',
      message: 'status-change: expected an EventBridge "Step Functions Execution Status Change" event with detail.executionArn and detail.status, got {"detail":{}}',
    });
  });
});
