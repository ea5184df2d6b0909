// The local engine wakes a cell's runner when runner-dispatch wrote its next step, so a step does not
// wait for the runner's poll back-off. The runners here poll every 10 minutes (STEPDEPLOY_RUNNER_POLL_MS):
// each step after the first poll can only have started because the engine woke its runner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalWorkflows, type LocalWorkflows } from './local-run';

const TEN_MINUTES = 600_000;

describe('runner wake-ups on the local engine', () => {
  let local: LocalWorkflows;
  beforeAll(async () => {
    local = await startLocalWorkflows(['test/fixtures/e2e-runner/chain.yml'], { envPassthrough: { STEPDEPLOY_RUNNER_POLL_MS: `${TEN_MINUTES},${TEN_MINUTES}` } });
  });
  afterAll(() => local?.close());

  it('runs a chain of steps and a dependent job on runners that never poll on their own after their first poll', async () => {
    const { status, report } = await local.finish(local.start('chain'));
    expect(status).toBe('SUCCEEDED');
    const builds = report.jobs.map((job) => job.steps.map((step) => step.outputs?.build));
    expect(builds.map((steps) => steps.length)).toEqual([3, 1]);
    // One runner per cell: the first job's three steps on one build, the second job on another.
    expect(new Set(builds[0]).size).toBe(1);
    expect(builds[1]![0]).not.toBe(builds[0]![0]);
  });
});
