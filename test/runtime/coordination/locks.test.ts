import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquire, groupKey, release, renew, windowGroup, type AcquireCommand } from '../../../lib/runtime/coordination';
import { loadGroup } from '../../../lib/runtime/coordination/group-store';
import { LIVENESS_EXTENSION_SECONDS } from '../../../lib/runtime/coordination/liveness';
import { tableOf } from '../../../lib/runtime/coordination/table';
import { clientFor, startTable, type TestTable } from './support/dynalite-table';
import { acquireOf, arn, freshToken, harness, itemsUnder, type Harness } from './support/contenders';

let table: TestTable;
beforeAll(async () => {
  table = await startTable();
});
afterAll(async () => {
  await table.close();
});

async function holdersOf(h: Harness, group: string) {
  const stored = await loadGroup(tableOf(h.deps), groupKey(group));
  return { holders: stored?.state.holders.map((x) => x.holder) ?? [], queue: stored?.state.queue.map((x) => x.holder) ?? [] };
}

describe('acquire and release', () => {
  it('a retried acquire whose new token a release grants while it re-parks keeps its slot: one delivery, nothing undone', async () => {
    const h = harness(table);
    const holder = acquireOf('repark-granted', 'holder');
    const waiter = acquireOf('repark-granted', 'waiter', { queue: 'max' });
    await acquire(h.deps, holder);
    await acquire(h.deps, waiter);
    h.sfn.running.add(waiter.executionArn);
    // The waiter's task was retried with a new token; the holder releases right after that token is parked.
    const retried = { ...waiter, taskToken: freshToken('repark-retried') };
    const dynamodb = clientFor(table.endpoint);
    let released = false;
    dynamodb.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const input = args.input as { Item?: Record<string, { S?: string }> };
        if (!released && input.Item?.token?.S === retried.taskToken) {
          released = true;
          await release(h.deps, { group: 'repark-granted', holder: holder.holder });
        }
        return result;
      },
      { step: 'initialize', name: 'releaseAfterRepark' },
    );
    await acquire({ ...h.deps, dynamodb }, retried);
    expect(released).toBe(true);
    expect(await h.sfn.outcome(retried.taskToken)).toMatchObject({ kind: 'success', output: { granted: true, holder: waiter.holder } });
    expect(h.sfn.callsTo('SendTaskSuccess').filter((call) => call.api === 'SendTaskSuccess' && call.token === retried.taskToken)).toHaveLength(1);
    expect(await holdersOf(h, 'repark-granted')).toEqual({ holders: [waiter.holder], queue: [] });
  });

  it('grants a free group at once by completing the task token itself', async () => {
    const h = harness(table);
    const a = acquireOf('free', 'a');
    expect(await acquire(h.deps, a)).toEqual({ outcome: 'granted' });
    expect(await h.sfn.outcome(a.taskToken)).toEqual({
      kind: 'success',
      output: { granted: true, group: 'free', holder: arn('a'), waitedMs: 0 },
    });
  });

  it('parks a second run and wakes it on release, reporting how long it waited', async () => {
    const h = harness(table);
    const a = acquireOf('handoff', 'a');
    const b = acquireOf('handoff', 'b');
    await acquire(h.deps, a);
    expect(await acquire(h.deps, b)).toEqual({ outcome: 'queued', position: 1, ahead: [] });
    expect(h.sfn.completed(b.taskToken)).toBeUndefined();

    h.clock.now += 4_000;
    expect(await release(h.deps, { group: 'handoff', holder: a.holder })).toEqual({ released: true, granted: [b.holder] });
    expect(await h.sfn.outcome(b.taskToken)).toEqual({
      kind: 'success',
      output: { granted: true, group: 'handoff', holder: b.holder, waitedMs: 4_000 },
    });
    expect(await holdersOf(h, 'handoff')).toEqual({ holders: [b.holder], queue: [] });
  });

  it('compares group names case-insensitively and answers each run in its own spelling', async () => {
    const h = harness(table);
    const a = acquireOf('Deploy-Prod', 'a');
    const b = acquireOf('deploy-PROD', 'b');
    await acquire(h.deps, a);
    expect((await acquire(h.deps, b)).outcome).toBe('queued');
    await release(h.deps, { group: 'DEPLOY-prod', holder: a.holder });
    expect(await h.sfn.outcome(b.taskToken)).toMatchObject({ kind: 'success', output: { group: 'deploy-PROD' } });
  });

  it('deletes the group item when the last holder leaves', async () => {
    const h = harness(table);
    const a = acquireOf('tidy', 'a');
    await acquire(h.deps, a);
    await release(h.deps, { group: 'tidy', holder: a.holder });
    expect(await itemsUnder(table, 'lock#group#tidy')).toEqual([]);
  });

  it('release is idempotent: a second release, or one for a stranger, changes nothing', async () => {
    const h = harness(table);
    const a = acquireOf('twice', 'a');
    const b = acquireOf('twice', 'b');
    const c = acquireOf('twice', 'c', { queue: 'max' });
    await acquire(h.deps, a);
    await acquire(h.deps, b);
    await acquire(h.deps, c);
    expect(await release(h.deps, { group: 'twice', holder: a.holder })).toEqual({ released: true, granted: [b.holder] });
    expect(await release(h.deps, { group: 'twice', holder: a.holder })).toEqual({ released: false, granted: [] });
    expect(await release(h.deps, { group: 'twice', holder: arn('stranger') })).toEqual({ released: false, granted: [] });
    expect(await holdersOf(h, 'twice')).toEqual({ holders: [b.holder], queue: [c.holder] });
    expect(h.sfn.completed(c.taskToken)).toBeUndefined();
  });

  it('acquire is idempotent: the same holder twice keeps one slot and both tokens complete', async () => {
    const h = harness(table);
    const first = acquireOf('again', 'a');
    const retry = { ...first, taskToken: 'token-again-retried' };
    const b = acquireOf('again', 'b');
    await acquire(h.deps, first);
    expect(await acquire(h.deps, retry)).toEqual({ outcome: 'held' });
    expect(await h.sfn.outcome(retry.taskToken)).toMatchObject({ kind: 'success' });
    await acquire(h.deps, b);
    expect(await holdersOf(h, 'again')).toEqual({ holders: [first.holder], queue: [b.holder] });
    await release(h.deps, { group: 'again', holder: first.holder });
    expect(await h.sfn.outcome(b.taskToken)).toMatchObject({ kind: 'success' });
  });

  it('a waiter that acquires again (a retried task with a new token) keeps its place and is woken on the new token', async () => {
    const h = harness(table);
    const a = acquireOf('repark', 'a');
    const b = acquireOf('repark', 'b', { queue: 'max' });
    const c = acquireOf('repark', 'c', { queue: 'max' });
    await acquire(h.deps, a);
    await acquire(h.deps, b);
    await acquire(h.deps, c);
    const bRetried = { ...b, taskToken: 'token-repark-b-retried' };
    expect(await acquire(h.deps, bRetried)).toEqual({ outcome: 'waiting', position: 1, ahead: [] });
    await release(h.deps, { group: 'repark', holder: a.holder });
    expect(await h.sfn.outcome(bRetried.taskToken)).toMatchObject({ kind: 'success', output: { holder: b.holder } });
    expect(h.sfn.completed(b.taskToken)).toBeUndefined();
  });

  it('a capacity of N grants N runs at once and queues the next', async () => {
    const h = harness(table);
    const runs = [1, 2, 3, 4].map((n) => acquireOf('pool', n, { capacity: 3, queue: 'max' }));
    const outcomes = [];
    for (const run of runs) outcomes.push((await acquire(h.deps, run)).outcome);
    expect(outcomes).toEqual(['granted', 'granted', 'granted', 'queued']);
    await release(h.deps, { group: 'pool', holder: runs[1]!.holder });
    expect(await holdersOf(h, 'pool')).toEqual({ holders: [runs[0]!.holder, runs[2]!.holder, runs[3]!.holder], queue: [] });
  });
});

describe('queue: single', () => {
  it('a newer pending run supersedes the older one, which fails with Superseded naming the newer execution', async () => {
    const h = harness(table);
    const a = acquireOf('single', 'a');
    const b = acquireOf('single', 'b');
    const c = acquireOf('single', 'c');
    await acquire(h.deps, a);
    await acquire(h.deps, b);
    expect(await acquire(h.deps, c)).toEqual({ outcome: 'queued', position: 1, ahead: [] });
    expect(await h.sfn.outcome(b.taskToken)).toEqual({
      kind: 'failure',
      error: 'Superseded',
      cause: `superseded by ${arn('c')}: a newer run is pending in concurrency group 'single' (queue: single)`,
    });
    expect(await holdersOf(h, 'single')).toEqual({ holders: [a.holder], queue: [c.holder] });
    expect(await itemsUnder(table, 'lock#group#single')).toHaveLength(2); // the group and c's token: b's is gone
  });
});

describe('queue: max', () => {
  it('queues 100 runs FIFO, refuses the 101st with QueueFull, and grants in arrival order', async () => {
    const h = harness(table);
    const holder = acquireOf('fifo', 'holder', { queue: 'max' });
    await acquire(h.deps, holder);
    const waiters: AcquireCommand[] = [];
    for (let n = 1; n <= 100; n++) {
      const w = acquireOf('fifo', n, { queue: 'max' });
      waiters.push(w);
      expect((await acquire(h.deps, w)).position).toBe(n);
    }
    const late = acquireOf('fifo', 101, { queue: 'max' });
    expect(await acquire(h.deps, late)).toEqual({
      outcome: 'refused',
      reason: "concurrency group 'fifo' already has 100 pending runs (queue: max holds at most 100)",
    });
    expect(await h.sfn.outcome(late.taskToken)).toEqual({
      kind: 'failure',
      error: 'QueueFull',
      cause: "concurrency group 'fifo' already has 100 pending runs (queue: max holds at most 100)",
    });

    let current = holder;
    for (const next of waiters.slice(0, 5)) {
      expect(await release(h.deps, { group: 'fifo', holder: current.holder })).toEqual({ released: true, granted: [next.holder] });
      current = next;
    }
    expect(waiters.slice(5).every((w) => h.sfn.completed(w.taskToken) === undefined)).toBe(true);
  });
});

describe('cancel-in-progress', () => {
  it('stops the holders with Superseded; the newcomer waits at the head until they have ended', async () => {
    const h = harness(table);
    const a = acquireOf('cancel', 'a', { capacity: 2 });
    const b = acquireOf('cancel', 'b', { capacity: 2 });
    const c = acquireOf('cancel', 'c', { capacity: 2, cancelInProgress: true });
    await acquire(h.deps, a);
    await acquire(h.deps, b);
    expect(await acquire(h.deps, c)).toEqual({ outcome: 'queued', position: 1, ahead: [] });
    expect(h.sfn.callsTo('StopExecution').map((call) => ({ ...call, at: 0 }))).toEqual(
      [a, b].map((run) => ({
        api: 'StopExecution',
        executionArn: run.executionArn,
        error: 'Superseded',
        cause: `cancelled by ${arn('c')} (cancel-in-progress) in concurrency group 'cancel'`,
        at: 0,
      })),
    );
    // Stopped runs keep their slots while they wind down: nobody deploys next to them yet.
    expect(h.sfn.completed(c.taskToken)).toBeUndefined();
    expect(await holdersOf(h, 'cancel')).toEqual({ holders: [a.holder, b.holder], queue: [c.holder] });
    // The first stopped run to end (its release, or its status-change event) hands its slot to c.
    expect(await release(h.deps, { group: 'cancel', holder: a.holder })).toEqual({ released: true, granted: [c.holder] });
    expect(await h.sfn.outcome(c.taskToken)).toMatchObject({ kind: 'success' });
    expect(await holdersOf(h, 'cancel')).toEqual({ holders: [b.holder, c.holder], queue: [] });
  });

  it('never stops its own execution: other cells of the same run are waited for', async () => {
    const h = harness(table);
    const cell0 = acquireOf('own', 'x', { holder: `${arn('x')}#deploy#0` });
    const cell1 = acquireOf('own', 'x', { holder: `${arn('x')}#deploy#1`, cancelInProgress: true });
    await acquire(h.deps, cell0);
    expect((await acquire(h.deps, cell1)).outcome).toBe('queued');
    expect(h.sfn.callsTo('StopExecution')).toEqual([]);
  });
});

describe('leases', () => {
  it('a holder past its lease is reclaimed by the next acquire, and its late renew and release are refused or no-ops', async () => {
    const h = harness(table);
    const a = acquireOf('lease', 'a', { leaseSeconds: 60 });
    const b = acquireOf('lease', 'b');
    await acquire(h.deps, a);
    h.clock.now += 60_000;
    expect(await acquire(h.deps, b)).toEqual({ outcome: 'granted' });
    await expect(renew(h.deps, { group: 'lease', holder: a.holder, leaseSeconds: 60 })).rejects.toMatchObject({
      name: 'LockNotHeld',
      message: `'${a.holder}' does not hold concurrency group 'lease' (released, superseded, or its lease expired)`,
    });
    expect(await release(h.deps, { group: 'lease', holder: a.holder })).toEqual({ released: false, granted: [] });
    expect(await holdersOf(h, 'lease')).toEqual({ holders: [b.holder], queue: [] });
  });

  it('a holder past its lease whose execution still runs keeps the group: the contender extends its lease', async () => {
    const h = harness(table);
    const a = acquireOf('alive', 'a', { leaseSeconds: 60 });
    const b = acquireOf('alive', 'b', { queue: 'max' });
    await acquire(h.deps, a);
    h.sfn.running.add(a.executionArn);
    h.clock.now += 61_000;
    expect((await acquire(h.deps, b)).outcome).toBe('queued');
    const stored = await loadGroup(tableOf(h.deps), groupKey('alive'));
    expect(stored?.state.holders).toEqual([expect.objectContaining({ holder: a.holder, expiresAt: h.clock.now + LIVENESS_EXTENSION_SECONDS * 1000 })]);
    // Once its execution has ended (and its status-change event was lost), the next look reclaims it.
    h.sfn.running.delete(a.executionArn);
    h.clock.now += LIVENESS_EXTENSION_SECONDS * 1000;
    expect(await release(h.deps, { group: 'alive', holder: arn('nobody') })).toEqual({ released: false, granted: [b.holder] });
    expect(await holdersOf(h, 'alive')).toEqual({ holders: [b.holder], queue: [] });
  });

  it('renew extends the lease, so a renewed holder is not reclaimed', async () => {
    const h = harness(table);
    const a = acquireOf('renewed', 'a', { leaseSeconds: 60 });
    const b = acquireOf('renewed', 'b');
    await acquire(h.deps, a);
    h.clock.now += 50_000;
    expect(await renew(h.deps, { group: 'renewed', holder: a.holder, leaseSeconds: 60 })).toEqual({ expiresAt: h.clock.now + 60_000 });
    h.clock.now += 50_000;
    expect((await acquire(h.deps, b)).outcome).toBe('queued');
  });

  it('a lapsed lease is lost even when nobody took the slot yet', async () => {
    const h = harness(table);
    const a = acquireOf('lapsed', 'a', { leaseSeconds: 10 });
    await acquire(h.deps, a);
    h.clock.now += 10_000;
    await expect(renew(h.deps, { group: 'lapsed', holder: a.holder, leaseSeconds: 10 })).rejects.toMatchObject({ name: 'LockNotHeld' });
  });

  it('renew of a group that does not exist is LockNotHeld', async () => {
    const h = harness(table);
    await expect(renew(h.deps, { group: 'nothing-here', holder: arn('a'), leaseSeconds: 10 })).rejects.toMatchObject({ name: 'LockNotHeld' });
  });

  it('a waiter granted after a reclaim gets a fresh lease from its grant time', async () => {
    const h = harness(table);
    const a = acquireOf('relay', 'a', { leaseSeconds: 60 });
    const b = acquireOf('relay', 'b', { leaseSeconds: 30, queue: 'max' });
    const c = acquireOf('relay', 'c', { queue: 'max' });
    await acquire(h.deps, a);
    await acquire(h.deps, b);
    h.clock.now += 61_000;
    expect((await acquire(h.deps, c)).outcome).toBe('queued'); // reclaims a, grants b, c waits behind b
    expect(await h.sfn.outcome(b.taskToken)).toMatchObject({ kind: 'success', output: { waitedMs: 61_000 } });
    const stored = await loadGroup(tableOf(h.deps), groupKey('relay'));
    expect(stored?.state.holders).toEqual([{ holder: b.holder, executionArn: b.executionArn, since: h.clock.now, expiresAt: h.clock.now + 30_000 }]);
  });
});

describe('max-parallel window', () => {
  it('holds many more than 100 waiters of one execution and grants them FIFO', async () => {
    const h = harness(table);
    const execution = arn('window');
    const group = windowGroup(execution);
    const cells = Array.from({ length: 150 }, (_, i) =>
      acquireOf(group, 'window', { window: true, holder: `${execution}#deploy#${i}`, capacity: 2, queue: 'max' }),
    );
    const outcomes = [];
    for (const cell of cells) outcomes.push((await acquire(h.deps, cell)).outcome);
    expect(outcomes.filter((o) => o === 'granted')).toHaveLength(2);
    expect(outcomes.filter((o) => o === 'queued')).toHaveLength(148);

    const grantOrder: string[] = [];
    for (const cell of cells) {
      const { granted } = await release(h.deps, { group, window: true, executionArn: execution, holder: cell.holder });
      grantOrder.push(...granted);
    }
    expect(grantOrder).toEqual(cells.slice(2).map((c) => c.holder));
    expect(await itemsUnder(table, `lock#${group}`)).toEqual([]);
  });
});
