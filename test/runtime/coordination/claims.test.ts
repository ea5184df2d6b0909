// Claimed hand-overs (lib/runtime/coordination/group-item.ts): holders of a semaphore that release
// together each claim a waiter of their own, in queue order, without a failed write; a release that
// dies between its claim and its promotion leaves nothing a later decision misses.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquire, release, sweepExpiredLeases } from '../../../lib/runtime/coordination';
import { fromItem } from '../../../lib/runtime/coordination/group-item';
import { claimHandOver, commitGroup, loadGroup } from '../../../lib/runtime/coordination/group-store';
import { groupItemKey, groupKey } from '../../../lib/runtime/coordination/keys';
import { getItem, tableOf } from '../../../lib/runtime/coordination/table';
import { startTable, type TestTable } from './support/dynalite-table';
import { acquireOf, arn, freshToken, harness, T0 } from './support/contenders';
import { putToken } from '../../../lib/runtime/coordination/tokens';
import { clientFor } from './support/dynalite-table';

let table: TestTable;
beforeAll(async () => {
  table = await startTable();
});
afterAll(async () => {
  await table.close();
});

/** A client that counts failed conditional writes, beside the table's own. */
function conflictCounting() {
  const client = clientFor(table.endpoint);
  let conflicts = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') conflicts++;
        throw error;
      }
    },
    { step: 'initialize', name: 'countConflicts' },
  );
  return { client, conflicts: () => conflicts };
}

/** `holders` hold a group of `capacity`, `waiters` wait in this order. */
async function fill(group: string, capacity: number, holders: readonly string[], waiters: readonly string[]) {
  const h = harness(table);
  for (const run of [...holders, ...waiters]) await acquire(h.deps, acquireOf(group, run, { capacity, queue: 'max' }));
  return h;
}

const grantedHolders = (h: ReturnType<typeof harness>) => h.sfn.callsTo('SendTaskSuccess').map((call) => ('output' in call ? call.output.holder : undefined));

describe('claimed hand-overs', () => {
  it('holders that release together hand their slots to the first waiters, in order; at most each one’s try at the shorter write fails', async () => {
    const holders = ['h1', 'h2', 'h3', 'h4', 'h5'];
    const waiters = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7'];
    const h = await fill('together', 5, holders, waiters);
    const counting = conflictCounting();
    const before = h.sfn.callsTo('SendTaskSuccess').length;
    const results = await Promise.all(holders.map((run) => release({ ...h.deps, dynamodb: counting.client }, { group: 'together', holder: arn(run), capacity: 5 })));
    counting.client.destroy();
    expect(results.every((result) => result.released)).toBe(true);
    expect(results.flatMap((result) => result.granted).sort()).toEqual(waiters.slice(0, 5).map(arn).sort());
    expect(grantedHolders(h).slice(before).sort()).toEqual(waiters.slice(0, 5).map(arn).sort());
    // Only the try of a claim that was alone at its write to remove its entry outright (promoteClaim)
    // can fail, once per release; racing for the head failed again and again, growing with the holders.
    expect(counting.conflicts()).toBeLessThan(holders.length);
    const group = await loadGroup(tableOf(h.deps), groupKey('together'));
    expect(group?.state.holders.map((holding) => holding.holder).sort()).toEqual(waiters.slice(0, 5).map(arn).sort());
    expect(group?.state.queue.map((waiter) => waiter.holder)).toEqual(waiters.slice(5).map(arn));
    expect(group?.pendingClaims).toBe(0);
  });

  it('once the queue drains, no promoted entry and no claim is left in the item', async () => {
    const h = await fill('drain', 3, ['a', 'b', 'c'], ['d', 'e', 'f']);
    await Promise.all(['a', 'b', 'c'].map((run) => release(h.deps, { group: 'drain', holder: arn(run), capacity: 3 })));
    const item = await getItem(tableOf(h.deps), groupItemKey(groupKey('drain')));
    expect(item?.q?.L).toEqual([]);
    expect(item?.g?.N).toBe('0');
    expect(Object.keys(item?.hs?.M ?? {}).sort()).toEqual(['d', 'e', 'f'].map(arn).sort());
    // The last holders leave as nobody waits: the group's item goes.
    await Promise.all(['d', 'e', 'f'].map((run) => release(h.deps, { group: 'drain', holder: arn(run), capacity: 3 })));
    expect(await loadGroup(tableOf(h.deps), groupKey('drain'))).toBeUndefined();
  });

  it('a release that dies after its claim: the claimed waiter still reads as the queue’s head, and the sweep grants it', async () => {
    const h = await fill('died', 2, ['a', 'b'], ['c', 'd']);
    const claim = await claimHandOver(tableOf(h.deps), groupKey('died'), arn('a'));
    expect(claim?.waiter.holder).toBe(arn('c'));
    // The coordinator died here: 'a' gave its slot away, 'c' was never promoted.
    const orphaned = await loadGroup(tableOf(h.deps), groupKey('died'));
    expect(orphaned?.state.holders.map((holding) => holding.holder)).toEqual([arn('b')]);
    expect(orphaned?.state.queue.map((waiter) => waiter.holder)).toEqual([arn('c'), arn('d')]);
    expect(await sweepExpiredLeases(h.deps)).toEqual({ examined: 1, reclaimed: [], granted: [arn('c')] });
    const healed = await loadGroup(tableOf(h.deps), groupKey('died'));
    expect(healed?.state.holders.map((holding) => holding.holder).sort()).toEqual([arn('b'), arn('c')].sort());
    expect(healed?.state.queue.map((waiter) => waiter.holder)).toEqual([arn('d')]);
    expect(healed?.pendingClaims).toBe(0);
  });

  it('a newcomer parks behind a claim in flight instead of taking the slot it gives away', async () => {
    const h = await fill('in-flight', 2, ['a', 'b'], ['c']);
    await claimHandOver(tableOf(h.deps), groupKey('in-flight'), arn('a'));
    // The group reads one holder and a free slot, but the slot is c's: the newcomer waits behind c.
    expect(await acquire(h.deps, acquireOf('in-flight', 'n', { capacity: 2, queue: 'max' }))).toEqual({ outcome: 'queued', position: 2, ahead: [arn('c')] });
  });
});

describe('a hand-over that promotes several heads (dynalite removes list indexes one after another)', () => {
  it('removes exactly the promoted heads and keeps the next waiter', async () => {
    const h = harness(table);
    const key = groupKey('two-heads');
    // One holder and a free slot with three waiters: what a dead claim can leave; a release then promotes two.
    const holding = { holder: arn('a'), executionArn: arn('a'), since: T0, expiresAt: T0 + 600_000 };
    const waiting = ['b', 'c', 'd'].map((run) => ({ holder: arn(run), executionArn: arn(run), since: T0, leaseSeconds: 600 }));
    expect(await commitGroup(tableOf(h.deps), key, { read: undefined, next: { key, name: 'two-heads', capacity: 2, holders: [holding], queue: waiting }, reclaimed: [], now: T0 })).toBe(true);
    for (const waiter of waiting) await putToken(tableOf(h.deps), key, { holder: waiter.holder, token: freshToken(waiter.holder), group: 'two-heads', since: T0 });
    const { granted } = await release(h.deps, { group: 'two-heads', holder: arn('a') });
    expect([...granted].sort()).toEqual([arn('b'), arn('c')].sort());
    const item = await getItem(tableOf(h.deps), groupItemKey(key));
    const group = fromItem(item!);
    expect(group.state.queue.map((waiter) => waiter.holder)).toEqual([arn('d')]);
    expect(group.state.holders.map((holder) => holder.holder).sort()).toEqual([arn('b'), arn('c')].sort());
  });
});
