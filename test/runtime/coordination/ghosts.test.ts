// Ghost holders: a slot must never go to, or stay with, an execution that has ended. Each case is one
// way a dead run used to end up in a group (issue 11, finding 1).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquire, release, releaseExecution, releaseJob, sweepExpiredLeases, windowGroup } from '../../../lib/runtime/coordination';
import { startTable, type TestTable } from './support/dynalite-table';
import { acquireOf, arn, harness, itemsUnder } from './support/contenders';

let table: TestTable;
beforeAll(async () => {
  table = await startTable();
});
afterAll(async () => {
  await table.close();
});

/** The holder and waiter ids stored in a group's item. */
async function members(group: string): Promise<{ holders: string[]; queue: string[] }> {
  const items = await itemsUnder(table, `lock#group#${group}`);
  const state = items.find((item) => item.sk?.S === 'state');
  return {
    holders: Object.keys(state?.hs?.M ?? {}),
    queue: (state?.q?.L ?? []).map((entry) => entry.M?.h?.S ?? ''),
  };
}

describe('cleanup and acquire commute', () => {
  it('an acquire that lands after its execution was cleaned up leaves no entry, and the next run is granted at once', async () => {
    const h = harness(table);
    await releaseExecution(h.deps, arn('late'));
    const late = acquireOf('late-acquire', 'late');
    const result = await acquire(h.deps, late);
    expect(result).toEqual({ outcome: 'refused', reason: `execution ${arn('late')} has ended` });
    expect(await members('late-acquire')).toEqual({ holders: [], queue: [] });
    expect(h.sfn.completed(late.taskToken)).toBeUndefined();
    expect(await itemsUnder(table, `exec#${arn('late')}`)).toEqual([expect.objectContaining({ sk: { S: 'ended' } })]);
    const next = acquireOf('late-acquire', 'next');
    expect((await acquire(h.deps, next)).outcome).toBe('granted');
  });

  it('a late acquire that would have queued leaves no waiter behind the holder', async () => {
    const h = harness(table);
    await acquire(h.deps, acquireOf('late-queue', 'holder'));
    await releaseExecution(h.deps, arn('late-waiter'));
    await acquire(h.deps, acquireOf('late-queue', 'late-waiter', { queue: 'max' }));
    expect(await members('late-queue')).toEqual({ holders: [arn('holder')], queue: [] });
    expect((await itemsUnder(table, 'lock#group#late-queue')).map((item) => item.sk?.S)).toEqual(['state']);
  });

  it('a cell of a job that fail-fast gave up, acquiring after the job was released, leaves no entry', async () => {
    const h = harness(table);
    const run = arn('ff-late');
    await releaseJob(h.deps, run, 'deploy');
    const cell = acquireOf('ff-late', 'ff-late', { holder: `${run}#deploy#2` });
    expect((await acquire(h.deps, cell)).outcome).toBe('refused');
    expect(await members('ff-late')).toEqual({ holders: [], queue: [] });
    // Another job of the same run still acquires.
    expect((await acquire(h.deps, acquireOf('ff-late', 'ff-late', { holder: `${run}#verify#0`, queue: 'max' }))).outcome).toBe('granted');
  });
});

describe('a grant goes only to a live waiter', () => {
  it('a waiter whose task token is gone (its execution stopped) is skipped, and the slot goes to the next in the same release', async () => {
    const h = harness(table);
    const holder = acquireOf('skip-dead', 'holder');
    const dead = acquireOf('skip-dead', 'dead', { queue: 'max' });
    const live = acquireOf('skip-dead', 'live', { queue: 'max' });
    for (const command of [holder, dead, live]) await acquire(h.deps, command);
    h.sfn.deadTokens.add(dead.taskToken);
    h.sfn.running.add(live.executionArn);

    const { granted } = await release(h.deps, { group: 'skip-dead', holder: holder.holder });
    expect(granted).toEqual([live.holder]);
    expect(await h.sfn.outcome(live.taskToken)).toMatchObject({ kind: 'success', output: { holder: live.holder } });
    expect(await members('skip-dead')).toEqual({ holders: [live.holder], queue: [] });
    expect((await itemsUnder(table, 'lock#group#skip-dead')).map((item) => item.sk?.S)).toEqual(['state']);
  });

  it('a waiter whose token item is missing and whose execution no longer runs is skipped too', async () => {
    const h = harness(table);
    const holder = acquireOf('skip-tokenless', 'holder');
    const ghost = acquireOf('skip-tokenless', 'ghost', { queue: 'max' });
    const live = acquireOf('skip-tokenless', 'live', { queue: 'max' });
    for (const command of [holder, ghost, live]) await acquire(h.deps, command);
    await table.client.send(
      new (await import('@aws-sdk/client-dynamodb')).DeleteItemCommand({
        TableName: table.tableName,
        Key: { pk: { S: 'lock#group#skip-tokenless' }, sk: { S: `token#${ghost.holder}` } },
      }),
    );
    h.sfn.running.add(live.executionArn);
    const { granted } = await release(h.deps, { group: 'skip-tokenless', holder: holder.holder });
    expect(granted).toEqual([live.holder]);
    expect(await members('skip-tokenless')).toEqual({ holders: [live.holder], queue: [] });
  });

  it('an immediate grant refused because the execution stopped meanwhile is undone', async () => {
    const h = harness(table);
    const stopped = acquireOf('refused-now', 'stopped');
    h.sfn.deadTokens.add(stopped.taskToken);
    expect((await acquire(h.deps, stopped)).outcome).toBe('refused');
    expect(await members('refused-now')).toEqual({ holders: [], queue: [] });
  });

  it('the sweep hands a reclaimed slot past dead waiters to a live one', async () => {
    const h = harness(table);
    await acquire(h.deps, acquireOf('sweep-dead', 'vanished', { leaseSeconds: 60 }));
    const dead = acquireOf('sweep-dead', 'dead', { queue: 'max' });
    const live = acquireOf('sweep-dead', 'live', { queue: 'max' });
    await acquire(h.deps, dead);
    await acquire(h.deps, live);
    h.sfn.deadTokens.add(dead.taskToken);
    h.sfn.running.add(live.executionArn);
    h.clock.now += 61_000;
    expect((await sweepExpiredLeases(h.deps)).granted).toEqual([live.holder]);
    expect(await members('sweep-dead')).toEqual({ holders: [live.holder], queue: [] });
  });
});

describe('internal keys cannot be named by users', () => {
  it("a group named like another run's window does not touch that window", async () => {
    const h = harness(table);
    const victim = arn('windowed-victim');
    const window = { window: true, capacity: 1, queue: 'max' as const };
    await acquire(h.deps, acquireOf(windowGroup(victim), 'windowed-victim', { ...window, holder: `${victim}#a#s1` }));
    const second = acquireOf(windowGroup(victim), 'windowed-victim', { ...window, holder: `${victim}#a#s2` });
    expect((await acquire(h.deps, second)).outcome).toBe('queued');
    // An attacker's run names a group after the victim's window, in upper case or not.
    for (const name of [windowGroup(victim), windowGroup(victim).toUpperCase()]) {
      const attacker = acquireOf(name, 'attacker', { capacity: 5, queue: 'max' });
      expect((await acquire(h.deps, attacker)).outcome).toBe('granted');
      await release(h.deps, { group: name, holder: attacker.holder });
    }
    expect(h.sfn.completed(second.taskToken)).toBeUndefined();
    const windowItem = (await itemsUnder(table, `lock#window#${victim}`)).find((item) => item.sk?.S === 'state');
    expect(windowItem?.cap?.N).toBe('1');
  });

  it('a group named like an internal item is released on stop', async () => {
    const h = harness(table);
    const run = arn('odd-names');
    const names = [windowGroup(run), windowGroup(arn('someone-else')), `exec#${run}`, 'token#x', 'needs#y', 'state'];
    for (const name of names) await acquire(h.deps, acquireOf(name, 'odd-names', { queue: 'max' }));
    await releaseExecution(h.deps, run);
    const leftovers = (await itemsUnder(table, 'lock#')).filter((item) => JSON.stringify(item).includes(run));
    expect(leftovers).toEqual([]);
  });
});
