import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkQueue } from '../../lib/runner/work-queue';
import { CANCELLED_ERROR as DEFINITION_CANCELLED_ERROR } from '../../lib/asl/cancellable';
import { CANCELLED_ERROR, cancelRequested, dispatchStep, parseDispatchRequest, requestCancel, runnerIdOf, stopExecutionRunners } from '../../lib/runtime/runners';
import { startTable, type TestTable } from '../runtime/coordination/support/dynalite-table';

let table: TestTable;
beforeAll(async () => {
  table = await startTable();
});
afterAll(async () => {
  await table.close();
});

const execution = 'arn:aws:states:us-east-1:000000000000:execution:stepdeploy-w:run-1';
const deps = () => ({ env: { TABLE_NAME: table.tableName }, dynamodb: table.client });
const request = (seq: number, extra: Record<string, unknown> = {}) => ({
  op: 'step',
  runner: runnerIdOf(execution, 'build', 2),
  seq,
  step: `s${seq}`,
  script: 'echo hi',
  shell: 'bash',
  env: [{ Name: 'A', Value: '1', Type: 'PLAINTEXT' }],
  heartbeatSeconds: 60,
  taskToken: `token-${seq}`,
  ...extra,
});

describe('the runner protocol on the table', () => {
  it('hands dispatched steps to the runner in step order; a taken step is gone', async () => {
    const runnerId = runnerIdOf(execution, 'build', 2);
    expect(runnerId).toBe(`${execution}#build#2`);
    await dispatchStep(deps(), parseDispatchRequest(request(3, { workingDirectory: 'infra' })));
    await dispatchStep(deps(), parseDispatchRequest(request(1)));
    const queue = new WorkQueue({ name: table.tableName, client: table.client }, { runnerId, executionArn: execution, job: 'build', table: table.tableName, buildId: 'p:1', workspace: '/w' });
    const poll = await queue.poll();
    expect(poll.stop).toBe(false);
    expect(poll.work.map((work) => [work.seq, work.step, work.workingDirectory, work.env])).toEqual([
      [1, 's1', undefined, [{ Name: 'A', Value: '1' }]],
      [3, 's3', 'infra', [{ Name: 'A', Value: '1' }]],
    ]);
    await queue.take(poll.work[0]!);
    expect((await queue.poll()).work.map((work) => work.seq)).toEqual([3]);
  });

  it('stops every runner an ended execution registered, and only those', async () => {
    const other = 'arn:aws:states:us-east-1:000000000000:execution:stepdeploy-w:run-2';
    const identity = (exec: string, job: string) => ({ runnerId: runnerIdOf(exec, job), executionArn: exec, job, table: table.tableName, buildId: `p:${job}`, workspace: '/w' });
    const t = { name: table.tableName, client: table.client };
    const mine = [new WorkQueue(t, identity(execution, 'a')), new WorkQueue(t, identity(execution, 'b'))];
    const theirs = new WorkQueue(t, identity(other, 'a'));
    for (const queue of [...mine, theirs]) await queue.register();
    expect((await stopExecutionRunners(deps(), execution, 'ABORTED')).sort()).toEqual([runnerIdOf(execution, 'a'), runnerIdOf(execution, 'b')]);
    expect(await Promise.all(mine.map(async (queue) => (await queue.poll()).stop))).toEqual([true, true]);
    expect((await theirs.poll()).stop).toBe(false);
    expect(await stopExecutionRunners(deps(), execution, 'ABORTED')).toEqual([]);
  });

  it('a cancel marks the run and tells the runners it registered, and only those; a runner registering later finds the marker', async () => {
    const run = 'arn:aws:states:us-east-1:000000000000:execution:stepdeploy-w:run-cancel';
    const other = 'arn:aws:states:us-east-1:000000000000:execution:stepdeploy-w:run-other';
    const identity = (exec: string, job: string) => ({ runnerId: runnerIdOf(exec, job), executionArn: exec, job, table: table.tableName, buildId: `p:${job}`, workspace: '/w' });
    const t = { name: table.tableName, client: table.client };
    const running = new WorkQueue(t, identity(run, 'build'));
    const theirs = new WorkQueue(t, identity(other, 'build'));
    await running.register();
    await theirs.register();
    expect(await running.cancelledBefore()).toBe(false);
    expect(await requestCancel(t, run, Date.now(), 'Ctrl-C')).toEqual([runnerIdOf(run, 'build')]);
    expect((await running.poll()).cancel).toBe(true);
    expect((await theirs.poll()).cancel).toBe(false);
    expect(await cancelRequested(t, run)).toBe(true);
    expect(await cancelRequested(t, other)).toBe(false);
    const late = new WorkQueue(t, identity(run, 'cleanup'));
    await late.register();
    expect([(await late.poll()).cancel, await late.cancelledBefore()]).toEqual([false, true]);
    // A step that runs on cancel says so in its work item; the runner's cancel item leaves with it.
    await dispatchStep(deps(), parseDispatchRequest({ ...request(0, { runsOnCancel: true }), runner: runnerIdOf(run, 'build') }));
    expect((await running.poll()).work.map((work) => work.runsOnCancel)).toEqual([true]);
    await running.leave();
    expect(await running.poll()).toEqual({ stop: false, cancel: false, work: [] });
    // The definition catches the error the runner sends (two stages, one name).
    expect(CANCELLED_ERROR).toBe(DEFINITION_CANCELLED_ERROR);
  });

  it('refuses a malformed dispatch naming the field', () => {
    expect(() => parseDispatchRequest(request(0, { env: [{ Name: 'A' }] }))).toThrow(`runner-dispatch: 'env[0]' must be { Name, Value } strings, got {"Name":"A"}`);
    expect(() => parseDispatchRequest(request(0, { heartbeatSeconds: 0 }))).toThrow(`runner-dispatch: 'heartbeatSeconds' must be an integer ≥ 1, got 0`);
    expect(() => parseDispatchRequest(request(0, { checkout: { path: 1 } }))).toThrow(`runner-dispatch: 'checkout' must be { path }, got {"path":1}`);
    expect(() => parseDispatchRequest(request(0, { runnerEnv: { A: 1 } }))).toThrow(`runner-dispatch: 'runnerEnv' must be an object of strings, got {"A":1}`);
    expect(() => parseDispatchRequest(request(0, { workingDirectoryVariable: 'W' }))).toThrow(`runner-dispatch: 'workingDirectoryVariable' names "W", which is in neither 'env' nor 'runnerEnv'`);
    const composite = { stage: 'main', path: 'wrap', uses: './wrap', with: [] };
    expect(() => parseDispatchRequest(request(0, { action: { ...composite, nested: [{ action: 'octo/hello', ref: 'v1', sha: 'v1' }] } }))).toThrow(
      `runner-dispatch: 'action.nested' must be a list of { action: owner/repo, ref, sha: a commit SHA }, got [{"action":"octo/hello","ref":"v1","sha":"v1"}]`,
    );
    const nested = [{ action: 'octo/hello', ref: 'v1', sha: 'e5'.repeat(20) }];
    expect(parseDispatchRequest(request(0, { action: { ...composite, nested } })).action).toEqual({ ...composite, nested });
  });

  it('carries a checkout, the runner-evaluated templates and a working directory the runner evaluates through the table', async () => {
    const runnerId = runnerIdOf(execution, 'build', 7);
    const runnerEnv = { W: '${{ github.workspace }}/infra' };
    await dispatchStep(deps(), parseDispatchRequest(request(0, { runner: runnerId, script: '', checkout: { path: 'src' } })));
    await dispatchStep(deps(), parseDispatchRequest(request(1, { runner: runnerId, runnerEnv, workingDirectoryVariable: 'W' })));
    const queue = new WorkQueue({ name: table.tableName, client: table.client }, { runnerId, executionArn: execution, job: 'build', table: table.tableName, buildId: 'p:1', workspace: '/w' });
    const poll = await queue.poll();
    expect(poll.work.map((work) => [work.checkout, work.runnerEnv, work.workingDirectoryVariable])).toEqual([
      [{ path: 'src' }, undefined, undefined],
      [undefined, runnerEnv, 'W'],
    ]);
  });
});
