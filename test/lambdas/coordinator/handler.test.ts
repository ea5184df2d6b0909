import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../lambdas/coordinator/handler';
import { startTable, type TestTable } from '../../runtime/coordination/support/dynalite-table';
import { arn, harness } from '../../runtime/coordination/support/contenders';

let table: TestTable;
beforeAll(async () => {
  table = await startTable();
});
afterAll(async () => {
  await table.close();
});

describe('coordinator handler', () => {
  it('runs acquire and release payloads as the state machine sends them', async () => {
    const h = harness(table);
    const handle = createHandler(h.deps);
    const payload = { op: 'acquire', group: 'prod', holder: arn('a'), executionArn: arn('a'), capacity: 1, queue: 'single', cancelInProgress: false, taskToken: 'token-h-a', leaseSeconds: 900 };
    expect(await handle(payload)).toEqual({ outcome: 'granted' });
    expect(await handle({ ...payload, holder: arn('b'), executionArn: arn('b'), taskToken: 'token-h-b' })).toMatchObject({ outcome: 'queued', position: 1 });
    expect(await handle({ op: 'release', group: 'prod', holder: arn('a') })).toEqual({ released: true, granted: [arn('b')] });
    expect(await handle({ op: 'renew', group: 'prod', holder: arn('b'), leaseSeconds: 900 })).toEqual({ expiresAt: h.clock.now + 900_000 });
    expect(await h.sfn.outcome('token-h-b')).toMatchObject({ kind: 'success' });
  });

  it('runs the needs barrier', async () => {
    const h = harness(table);
    const handle = createHandler(h.deps);
    expect(await handle({ op: 'needs.wait', executionArn: arn('n'), job: 'b', needs: ['a'], taskToken: 'token-h-n' })).toEqual({ ready: false });
    expect(await handle({ op: 'needs.publish', executionArn: arn('n'), job: 'a', result: { ok: true } })).toEqual({ woken: ['b'] });
  });

  it('acquire defaults to capacity 1, queue single and no cancel-in-progress', async () => {
    const h = harness(table);
    const handle = createHandler(h.deps);
    await handle({ op: 'acquire', group: 'defaults', holder: arn('a'), executionArn: arn('a'), taskToken: 'token-d-a', leaseSeconds: 60 });
    await handle({ op: 'acquire', group: 'defaults', holder: arn('b'), executionArn: arn('b'), taskToken: 'token-d-b', leaseSeconds: 60 });
    await handle({ op: 'acquire', group: 'defaults', holder: arn('c'), executionArn: arn('c'), taskToken: 'token-d-c', leaseSeconds: 60 });
    expect(await h.sfn.outcome('token-d-b')).toMatchObject({ kind: 'failure', error: 'Superseded' });
    expect(h.sfn.callsTo('StopExecution')).toEqual([]);
  });

  const invalid: [string, unknown, string][] = [
    ['a payload that is not an object', 'acquire', 'coordinator request: the payload must be an object, got "acquire"'],
    ['an unknown op', { op: 'lock' }, `coordinator request: 'op' must be one of "acquire", "release", "renew", "needs.wait", "needs.publish", "release.job", "runners.stop", "approval.request", "approval.answered", got "lock"`],
    ['a missing group', { op: 'release', holder: 'h' }, "coordinator release: 'group' must be a non-empty string, got nothing"],
    ['a capacity of 0', { op: 'acquire', group: 'g', holder: 'h', executionArn: 'e', capacity: 0, taskToken: 't', leaseSeconds: 1 }, "coordinator acquire: 'capacity' must be a positive integer, got 0"],
    ['an unknown queue mode', { op: 'acquire', group: 'g', holder: 'h', executionArn: 'e', queue: 'fifo', taskToken: 't', leaseSeconds: 1 }, `coordinator acquire: 'queue' must be "single" or "max", got "fifo"`],
    ['cancelInProgress as a string', { op: 'acquire', group: 'g', holder: 'h', executionArn: 'e', cancelInProgress: 'true', taskToken: 't', leaseSeconds: 1 }, `coordinator acquire: 'cancelInProgress' must be true or false, got "true"`],
    ['a missing lease', { op: 'renew', group: 'g', holder: 'h' }, "coordinator renew: 'leaseSeconds' must be a positive integer, got nothing"],
    ['needs that are not a list', { op: 'needs.wait', executionArn: 'e', job: 'j', needs: 'a', taskToken: 't' }, `coordinator needs.wait: 'needs' must be a list of job ids, got "a"`],
    ['a missing result', { op: 'needs.publish', executionArn: 'e', job: 'j' }, "coordinator needs.publish: 'result' is required"],
    ['a group name too long for a key', { op: 'release', group: 'g'.repeat(901), holder: 'h' }, "coordinator release: 'group' is longer than 900 bytes"],
  ];
  for (const [what, payload, message] of invalid) {
    it(`rejects ${what} with InvalidRequest`, async () => {
      const handle = createHandler(harness(table).deps);
      await expect(handle(payload)).rejects.toMatchObject({ name: 'InvalidRequest', message });
    });
  }
});
