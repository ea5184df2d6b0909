// Job runners end to end: the synthesized state machines on the local engine, one runner process per
// job cell taking its steps from dynalite, heartbeats on the engine's task tokens. The heartbeat is 3 s
// here (cdk.json context stepdeploy:heartbeatSeconds, a value AWS accepts too).
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEARTBEAT_CONTEXT } from '../../lib/constructs/deployment-workflow';
import { eventually, Gates, historyEvent, RuntimeTable, stateEntered } from '../fixtures/e2e/support';
import { survivors, waitForFile } from '../fixtures/e2e-behaviour/processes';
import { startLocalWorkflows, type LocalWorkflows } from './local-run';

const FIXTURES = 'test/fixtures/e2e-runner';

describe('job runners on the local engine', () => {
  let local: LocalWorkflows;
  let table: RuntimeTable;
  beforeAll(async () => {
    local = await startLocalWorkflows([`${FIXTURES}/killed.yml`, `${FIXTURES}/parallel.yml`, `${FIXTURES}/fail-fast.yml`], { stopGraceMs: 1000 }, { [HEARTBEAT_CONTEXT]: 3 });
    table = await RuntimeTable.of(local.engine);
  });
  afterAll(() => local?.close());

  const startedOn = async (workflow: string): Promise<{ arn: string; gates: Gates }> => {
    const gates = await Gates.create();
    return { arn: local.start(workflow, { gates: gates.dir }), gates };
  };

  it('a runner killed mid-step (kill -9 of its group) fails the step with States.HeartbeatTimeout and the cell frees its lock', async () => {
    const { arn, gates } = await startedOn('killed');
    await waitForFile(gates.path('started'));
    const [runner] = local.engine.runnerPids(arn);
    process.kill(-runner!, 'SIGKILL');
    const { status, report, history } = await local.finish(arn);
    expect(status).toBe('FAILED');
    expect(report.jobs).toMatchObject([{ id: 'deploy', status: 'failed', steps: [{ name: 'hang', status: 'failed' }] }]);
    const timedOut = history.filter((event) => event.type === 'TaskTimedOut');
    expect(timedOut.map((event) => event.taskTimedOutEventDetails?.error)).toEqual(['States.HeartbeatTimeout']);
    // The unlock ran, the step's orphaned sleep is gone, nothing of the runner is left in the table.
    expect(history.some((event) => event.stateEnteredEventDetails?.name === 'deploy: unlock')).toBe(true);
    expect(survivors([Number(await readFile(gates.path('pid'), 'utf8'))])).toEqual([]);
    expect(await table.keys()).toEqual([]);
  });

  it('stopping the execution ends the runner and leaves no process', async () => {
    const { arn, gates } = await startedOn('killed');
    await waitForFile(gates.path('started'));
    const runners = local.engine.runnerPids(arn);
    expect(runners).toHaveLength(1);
    const step = Number(await readFile(gates.path('pid'), 'utf8'));
    await local.engine.stopExecution(arn, { error: 'UserCancelled', cause: 'stopped by the test' });
    expect(survivors([...runners, step])).toEqual([]);
    expect((await local.finish(arn)).status).toBe('ABORTED');
    expect(await table.keys()).toEqual([]);
  });

  it('runs a parallel step group concurrently on the one runner of its cell', async () => {
    const { arn } = await startedOn('parallel');
    const { status, report, history } = await local.finish(arn);
    expect(status).toBe('SUCCEEDED');
    const steps = report.jobs[0]!.steps;
    expect(steps.map((step) => step.status)).toEqual(['succeeded', 'succeeded']);
    // Each waited for the other to have started; both ran on the same build.
    expect(steps[0]!.outputs?.build).toMatch(/^[^:]+:[0-9a-f-]{36}$/);
    expect(steps[1]!.outputs?.build).toBe(steps[0]!.outputs?.build);
    const starts = history.filter((event) => event.type === 'TaskScheduled' && event.taskScheduledEventDetails?.resource === 'startBuild');
    expect(starts).toHaveLength(1);
    expect(await table.keys()).toEqual([]);
  });

  it('fail-fast stops the runners of the cells it stopped: only the next job’s runner is left while the run goes on', async () => {
    const { arn, gates } = await startedOn('fail-fast');
    await historyEvent(local.engine, arn, stateEntered('after.step-1: run'));
    // The runners of fail, hang and after; the run is held open by after's step.
    const runners = local.engine.runnerPids(arn);
    expect(runners).toHaveLength(3);
    await eventually('the stopped cell’s runner to exit', () => (survivors(runners).length === 1 ? true : undefined));
    const history = local.engine.getExecutionHistory(arn);
    const freed = history.findIndex((event) => event.stateEnteredEventDetails?.name === 'build: stop other runners');
    const stopped = history.slice(freed).find((event) => event.type === 'TaskSucceeded');
    // The hang cell's runner got a stop item (the failed cell's may still have been on its way out).
    expect((JSON.parse(stopped!.taskSucceededEventDetails!.output!) as { Payload: { runners: string[] } }).Payload.runners).toContain(`${arn}#build#1`);
    await gates.open('release');
    const { status, report } = await local.finish(arn);
    expect(status).toBe('FAILED');
    expect(report.jobs.map((job) => `${job.id}${job.matrix ? `/${job.matrix.cell}` : ''}:${job.status}`).sort()).toEqual(['after:succeeded', 'build/fail:failed', 'build/hang:cancelled']);
    expect(survivors(runners)).toEqual([]);
    expect(await table.keys()).toEqual([]);
  });
});
