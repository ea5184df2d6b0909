import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishResult, waitForNeeds } from '../../../lib/runtime/coordination';
import { startTable, type TestTable } from './support/dynalite-table';
import { arn, harness, itemsUnder } from './support/contenders';

let table: TestTable;
beforeAll(async () => {
  table = await startTable();
});
afterAll(async () => {
  await table.close();
});

describe('needs barrier', () => {
  it('completes at once when every need published before the wait', async () => {
    const h = harness(table);
    const execution = arn('before');
    await publishResult(h.deps, { executionArn: execution, job: 'a', result: { status: 'success', outputs: { url: 'https://a' } } });
    await publishResult(h.deps, { executionArn: execution, job: 'b', result: { status: 'failure', outputs: {} } });
    expect(await waitForNeeds(h.deps, { executionArn: execution, job: 'c', needs: ['a', 'b'], taskToken: 'token-before-c' })).toEqual({ ready: true });
    expect(await h.sfn.outcome('token-before-c')).toEqual({
      kind: 'success',
      output: { needs: { a: { status: 'success', outputs: { url: 'https://a' } }, b: { status: 'failure', outputs: {} } } },
    });
    expect((await itemsUnder(table, `needs#${execution}`)).map((i) => i.sk?.S).sort()).toEqual(['result#a', 'result#b']);
  });

  it('parks the wait until the last need publishes, and only then', async () => {
    const h = harness(table);
    const execution = arn('after');
    expect(await waitForNeeds(h.deps, { executionArn: execution, job: 'c', needs: ['a', 'b'], taskToken: 'token-after-c' })).toEqual({ ready: false });
    expect(await publishResult(h.deps, { executionArn: execution, job: 'a', result: 1 })).toEqual({ woken: [] });
    expect(h.sfn.completed('token-after-c')).toBeUndefined();
    expect(await publishResult(h.deps, { executionArn: execution, job: 'b', result: [2] })).toEqual({ woken: ['c'] });
    expect(await h.sfn.outcome('token-after-c')).toEqual({ kind: 'success', output: { needs: { a: 1, b: [2] } } });
  });

  it('a wait with no needs completes at once', async () => {
    const h = harness(table);
    expect(await waitForNeeds(h.deps, { executionArn: arn('none'), job: 'solo', needs: [], taskToken: 'token-solo' })).toEqual({ ready: true });
    expect(await h.sfn.outcome('token-solo')).toEqual({ kind: 'success', output: { needs: {} } });
  });

  it('one publish wakes every waiter it completes, and leaves the others', async () => {
    const h = harness(table);
    const execution = arn('fan');
    await publishResult(h.deps, { executionArn: execution, job: 'base', result: 'ok' });
    for (const job of ['x', 'y']) await waitForNeeds(h.deps, { executionArn: execution, job, needs: ['base', 'build'], taskToken: `token-fan-${job}` });
    await waitForNeeds(h.deps, { executionArn: execution, job: 'z', needs: ['build', 'other'], taskToken: 'token-fan-z' });
    expect(await publishResult(h.deps, { executionArn: execution, job: 'build', result: 'done' })).toEqual({ woken: ['x', 'y'] });
    expect(h.sfn.completed('token-fan-z')).toBeUndefined();
  });

  it('never loses a wake-up when publishes and waits race (100 runs)', async () => {
    const h = harness(table);
    for (let run = 0; run < 100; run++) {
      const execution = arn(`race-${run}`);
      const token = `token-race-${run}`;
      const jobs = ['a', 'b', 'c'];
      const order = [...jobs.map((job) => () => publishResult(h.deps, { executionArn: execution, job, result: job })), () =>
        waitForNeeds(h.deps, { executionArn: execution, job: 'd', needs: jobs, taskToken: token })];
      // Rotate who goes first so that every interleaving start is exercised.
      await Promise.all(order.map((_, i) => order[(i + run) % order.length]!()));
      expect(await h.sfn.outcome(token)).toEqual({ kind: 'success', output: { needs: { a: 'a', b: 'b', c: 'c' } } });
    }
    // Both sides may complete the same token: the second SendTaskSuccess fails with InvalidToken and is ignored.
    expect(new Set(h.sfn.callsTo('SendTaskSuccess').map((c) => (c.api === 'SendTaskSuccess' ? c.token : ''))).size).toBe(100);
  });
});
