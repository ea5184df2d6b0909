import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquire, release, sweepExpiredLeases } from '../../../lib/runtime/coordination';
import { LIVENESS_EXTENSION_SECONDS } from '../../../lib/runtime/coordination/liveness';
import { createHandler } from '../../../lambdas/status-change/handler';
import { startTable, type TestTable } from './support/dynalite-table';
import { acquireOf, harness } from './support/contenders';

let table: TestTable;
beforeAll(async () => {
  table = await startTable();
});
afterAll(async () => {
  await table.close();
});

describe('the lease sweeper', () => {
  it('hands the slot of a holder that vanished (ended, its status-change event lost) to the waiter, with no other run touching the group', async () => {
    const h = harness(table);
    const vanished = acquireOf('sweep-vanished', 'gone', { leaseSeconds: 600 });
    const waiter = acquireOf('sweep-vanished', 'waiting', { queue: 'max' });
    await acquire(h.deps, vanished);
    await acquire(h.deps, waiter);

    // Within the lease nothing happens.
    expect(await sweepExpiredLeases(h.deps)).toEqual({ examined: 0, reclaimed: [], granted: [] });
    expect(h.sfn.completed(waiter.taskToken)).toBeUndefined();

    h.clock.now += 600_000;
    expect(await sweepExpiredLeases(h.deps)).toEqual({ examined: 1, reclaimed: [vanished.holder], granted: [waiter.holder] });
    expect(await h.sfn.outcome(waiter.taskToken)).toMatchObject({ kind: 'success', output: { granted: true, holder: waiter.holder } });
  });

  it('leaves a holder whose execution still runs in place and extends its lease', async () => {
    const h = harness(table);
    const alive = acquireOf('sweep-alive', 'alive', { leaseSeconds: 600 });
    const waiter = acquireOf('sweep-alive', 'waiting', { queue: 'max' });
    await acquire(h.deps, alive);
    await acquire(h.deps, waiter);
    h.sfn.running.add(alive.executionArn);
    h.clock.now += 601_000;
    const result = await sweepExpiredLeases(h.deps);
    expect(result.reclaimed).not.toContain(alive.holder);
    expect(h.sfn.completed(waiter.taskToken)).toBeUndefined();
    // Extended: the next sweep within the extension finds nothing expired in this group.
    h.clock.now += (LIVENESS_EXTENSION_SECONDS - 1) * 1000;
    expect((await sweepExpiredLeases(h.deps)).reclaimed).not.toContain(alive.holder);
    expect(h.sfn.completed(waiter.taskToken)).toBeUndefined();
  });

  it('wakes a running holder whose grant never reached it (the release wrote, then its SendTaskSuccess failed), once its lease runs out', async () => {
    const h = harness(table);
    const holder = acquireOf('sweep-unwoken', 'holder');
    const waiter = acquireOf('sweep-unwoken', 'waiter', { queue: 'max', leaseSeconds: 300 });
    await acquire(h.deps, holder);
    await acquire(h.deps, waiter);
    h.sfn.running.add(waiter.executionArn);
    // The release hands the slot on in its write, then cannot tell the waiter; retried, it finds nothing left to release.
    h.sfn.unavailableSends = 1;
    await expect(release(h.deps, { group: 'sweep-unwoken', holder: holder.holder })).rejects.toThrow('Service Unavailable');
    expect((await release(h.deps, { group: 'sweep-unwoken', holder: holder.holder })).granted).toEqual([]);
    expect(h.sfn.completed(waiter.taskToken)).toBeUndefined();

    // Within its lease the waiter is left alone (its granter may still be delivering).
    expect((await sweepExpiredLeases(h.deps)).granted).toEqual([]);
    h.clock.now += 300_000;
    expect((await sweepExpiredLeases(h.deps)).granted).toEqual([waiter.holder]);
    expect(await h.sfn.outcome(waiter.taskToken)).toMatchObject({ kind: 'success', output: { granted: true, holder: waiter.holder } });
    // Woken once: a later sweep sends nothing more, and the holder keeps its slot.
    h.clock.now += (LIVENESS_EXTENSION_SECONDS + 1) * 1000;
    expect((await sweepExpiredLeases(h.deps)).granted).toEqual([]);
    expect(h.sfn.callsTo('SendTaskSuccess').filter((call) => call.api === 'SendTaskSuccess' && call.token === waiter.taskToken)).toHaveLength(1);
  });

  it('runs when the status-change function is invoked by its schedule', async () => {
    const h = harness(table);
    const handler = createHandler(h.deps);
    const scheduled = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };
    expect(await handler(scheduled)).toMatchObject({ swept: true, reclaimed: [] });
  });
});
