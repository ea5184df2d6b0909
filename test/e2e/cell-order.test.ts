// A matrix job with more cells than max-parallel starts the cells that took longest in earlier runs
// first (lib/asl/cell-order.ts): the runners record each cell's time, the next run's order task reads
// them. The order comes from the history (which cell each `deploy: start` ran); cell identities and
// the job's outputs do not depend on it.
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeTable } from '../fixtures/e2e/support';
import { startLocalWorkflows, type LocalWorkflows } from './local-run';

/** The cells in the order their `deploy: start` was entered, with the matrix each was given. */
function startOrder(history: readonly HistoryEvent[]): { cell: number; site: string }[] {
  return history
    .filter((event) => event.type === 'TaskStateEntered' && event.stateEnteredEventDetails?.name === 'deploy: start')
    .map((event) => JSON.parse(event.stateEnteredEventDetails!.input!) as { cell: number; matrix: { site: string } })
    .map(({ cell, matrix }) => ({ cell, site: matrix.site }));
}

function jobOutputs(history: readonly HistoryEvent[]): unknown {
  const results = history.find((event) => event.type === 'TaskStateExited' && event.stateExitedEventDetails?.name === 'deploy: results');
  return (JSON.parse(results!.stateExitedEventDetails!.output!) as { needs: { deploy: { outputs: unknown } } }).needs.deploy.outputs;
}

describe('longest cells first', () => {
  let local: LocalWorkflows;
  beforeAll(async () => {
    local = await startLocalWorkflows(['test/fixtures/e2e-order/longest-first.yml']);
  });
  afterAll(() => local?.close());

  it('starts in written order with nothing recorded, then the longest recorded cell first; cells and outputs stay the same', async () => {
    const first = await local.finish(local.start('longest-first'));
    expect(first.status).toBe('SUCCEEDED');
    expect(startOrder(first.history)).toEqual([
      { cell: 0, site: 'a' },
      { cell: 1, site: 'b' },
      { cell: 2, site: 'c' },
      { cell: 3, site: 'd' },
    ]);
    const table = await RuntimeTable.of(local.engine);
    const recorded = (await table.scan()).filter((item) => item.pk?.S?.startsWith('dur#'));
    expect(recorded.map((item) => item.sk?.S).sort()).toEqual(['cell#0', 'cell#1', 'cell#2', 'cell#3']);

    const second = await local.finish(local.start('longest-first'));
    expect(second.status).toBe('SUCCEEDED');
    const order = startOrder(second.history);
    expect(order[0]).toEqual({ cell: 2, site: 'c' });
    // The same cells, each with its own matrix, whatever the order.
    expect([...order].sort((a, b) => a.cell - b.cell)).toEqual(startOrder(first.history));
    // Outputs merge in written order: d's value last, in both runs.
    expect(jobOutputs(first.history)).toEqual({ last: 'd' });
    expect(jobOutputs(second.history)).toEqual({ last: 'd' });
    expect(second.report.jobs.map((job) => job.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
  });
});
