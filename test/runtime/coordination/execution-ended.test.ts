import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquire, publishResult, releaseExecution, releaseJob, waitForNeeds, windowGroup } from '../../../lib/runtime/coordination';
import { startTable, type TestTable } from './support/dynalite-table';
import { acquireOf, arn, harness, itemsUnder } from './support/contenders';

let table: TestTable;
beforeAll(async () => {
  table = await startTable();
});
afterAll(async () => {
  await table.close();
});

describe('an ended execution', () => {
  it('releases every group it holds, leaves every queue it waits in, and wakes the successors', async () => {
    const h = harness(table);
    const ended = 'ended';
    const job = (cell: number) => `${arn(ended)}#deploy#${cell}`;
    // It holds 'east' (workflow level) and 'west' with two matrix cells, and waits in 'north'.
    await acquire(h.deps, acquireOf('east', ended));
    await acquire(h.deps, acquireOf('west', ended, { holder: job(0), capacity: 2 }));
    await acquire(h.deps, acquireOf('west', ended, { holder: job(1), capacity: 2 }));
    await acquire(h.deps, acquireOf('north', 'other'));
    await acquire(h.deps, acquireOf('north', ended, { queue: 'max' }));
    const eastNext = acquireOf('east', 'next', { queue: 'max' });
    const westNext = acquireOf('west', 'next', { capacity: 2, queue: 'max' });
    const northAfter = acquireOf('north', 'after', { queue: 'max' });
    await acquire(h.deps, eastNext);
    await acquire(h.deps, westNext);
    await acquire(h.deps, northAfter);

    const cleanup = await releaseExecution(h.deps, arn(ended));
    expect([...cleanup.groups].sort((a, b) => a.group.localeCompare(b.group))).toEqual([
      { group: 'east', released: 1, dropped: 0, granted: [arn('next')] },
      { group: 'north', released: 0, dropped: 1, granted: [] },
      { group: 'west', released: 2, dropped: 0, granted: [arn('next')] },
    ]);
    expect(await h.sfn.outcome(eastNext.taskToken)).toMatchObject({ kind: 'success' });
    expect(await h.sfn.outcome(westNext.taskToken)).toMatchObject({ kind: 'success' });
    expect(h.sfn.completed(northAfter.taskToken)).toBeUndefined(); // still behind 'other'
    // Only the marker that makes a late acquire undo itself stays (DynamoDB's TTL removes it).
    expect((await itemsUnder(table, `exec#${arn(ended)}`)).map((i) => i.sk?.S)).toEqual(['ended']);
    expect((await itemsUnder(table, 'lock#group#north')).map((i) => i.sk?.S).sort()).toEqual(['state', `token#${arn('after')}`]);
  });

  it('releases its max-parallel window without any index item', async () => {
    const h = harness(table);
    const execution = arn('windowed');
    const group = windowGroup(execution);
    const cells = [0, 1, 2].map((i) => acquireOf(group, 'windowed', { window: true, holder: `${execution}#build#${i}`, capacity: 2, queue: 'max' }));
    for (const cell of cells) await acquire(h.deps, cell);
    expect(await itemsUnder(table, `exec#${execution}`)).toEqual([]);
    const cleanup = await releaseExecution(h.deps, execution);
    expect(cleanup.groups).toEqual([{ group, released: 2, dropped: 1, granted: [] }]);
    expect(await itemsUnder(table, `lock#${group}`)).toEqual([]);
  });

  it('deletes its needs barrier items', async () => {
    const h = harness(table);
    const execution = arn('barrier-ended');
    await publishResult(h.deps, { executionArn: execution, job: 'build', result: { status: 'success' } });
    await waitForNeeds(h.deps, { executionArn: execution, job: 'deploy', needs: ['build', 'test'], taskToken: 'token-never' });
    expect((await releaseExecution(h.deps, execution)).needsItems).toBe(2);
    expect(await itemsUnder(table, `needs#${execution}`)).toEqual([]);
  });

  it('is a no-op for an execution that held nothing, and a second cleanup changes nothing', async () => {
    const h = harness(table);
    expect(await releaseExecution(h.deps, arn('nobody'))).toEqual({ groups: [], needsItems: 0 });
    await acquire(h.deps, acquireOf('twice-ended', 'x'));
    expect((await releaseExecution(h.deps, arn('x'))).groups).toHaveLength(1);
    expect(await releaseExecution(h.deps, arn('x'))).toEqual({ groups: [], needsItems: 0 });
  });
});

describe('a job whose cells fail-fast stopped', () => {
  it('gives back what its cells and steps hold or wait for, in the window and its groups, and leaves the rest of the run alone', async () => {
    const h = harness(table);
    const run = arn('ff');
    const cell = (job: string, index: number) => `${run}#${job}#${index}`;
    // deploy's cells 0 and 1 hold the window and region groups; cell 2 waits; build (another job) holds one too.
    const window = windowGroup(run);
    await acquire(h.deps, acquireOf(window, 'ff', { window: true, holder: `${cell('deploy', 0)}#ship`, capacity: 3, queue: 'max' }));
    await acquire(h.deps, acquireOf(window, 'ff', { window: true, holder: `${cell('build', 0)}#make`, capacity: 3, queue: 'max' }));
    await acquire(h.deps, acquireOf('region-east', 'ff', { holder: cell('deploy', 0) }));
    const waiting = acquireOf('region-east', 'ff', { holder: cell('deploy', 1), queue: 'max' });
    await acquire(h.deps, waiting);
    const other = acquireOf('region-east', 'other', { queue: 'max' });
    await acquire(h.deps, other);

    const cleanup = await releaseJob(h.deps, run, 'deploy');
    expect([...cleanup.groups].sort((a, b) => a.group.localeCompare(b.group))).toEqual([
      { group: 'region-east', released: 1, dropped: 1, granted: [other.holder] },
      { group: window, released: 1, dropped: 0, granted: [] },
    ]);
    expect(await h.sfn.outcome(other.taskToken)).toMatchObject({ kind: 'success' });
    expect(h.sfn.completed(waiting.taskToken)).toBeUndefined();
    // build's slot in the window is untouched, and so is the run's index (its other jobs still run).
    expect(await itemsUnder(table, `lock#${window}`)).not.toEqual([]);
    expect(await itemsUnder(table, `exec#${run}`)).not.toEqual([]);
  });
});
