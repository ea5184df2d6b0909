// Runners started ahead of their job (lib/local/warm-runners.ts) are the same runners: a step on one
// sees the variables and the folder a step on a runner started for its launch sees, and none of the
// engine's own environment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunWarm } from '../../lib/local/warm-runners';
import { startLocalWorkflows, type LocalWorkflows } from '../e2e/local-run';

const FIXTURE = 'test/fixtures/e2e-runner/environment.yml';

async function seen(local: LocalWorkflows) {
  const { status, report } = await local.finish(local.start('environment'));
  expect(status).toBe('SUCCEEDED');
  return report.jobs.map((job) => job.steps[0]!.outputs!);
}

describe('warm runners', () => {
  let warm: LocalWorkflows;
  let fresh: LocalWorkflows;
  beforeAll(async () => {
    process.env.WARM_RUNNER_TEST_ENGINE_VARIABLE = 'the engine’s';
    [warm, fresh] = await Promise.all([startLocalWorkflows([FIXTURE], { warmRunners: 2 }), startLocalWorkflows([FIXTURE], { warmRunners: 0 })]);
  });
  afterAll(async () => {
    delete process.env.WARM_RUNNER_TEST_ENGINE_VARIABLE;
    await Promise.all([warm?.close(), fresh?.close()]);
  });

  it('give a step the same variables and folder as a runner started for its launch', async () => {
    const onWarm = await seen(warm);
    const onFresh = await seen(fresh);
    // Two of the three cells took a waiting process, or all three (one was refilled in time).
    expect(onWarm.filter((outputs) => outputs.runner === '1').length).toBeGreaterThanOrEqual(2);
    expect(onFresh.map((outputs) => outputs.runner)).toEqual(['0', '0', '0']);
    const names = new Set([...onWarm, ...onFresh].map((outputs) => outputs.names));
    expect(names.size).toBe(1);
    const [list] = [...names];
    expect(list).toContain('CODEBUILD_SRC_DIR');
    expect(list).not.toContain('WARM_RUNNER_TEST_ENGINE_VARIABLE');
    expect(list).not.toContain('NODE_CHANNEL_FD');
    expect([...onWarm, ...onFresh].map((outputs) => outputs.inWorkspace)).toEqual(Array(6).fill('yes'));
  });

  it('leave a launch whose environment node reads at start to a fresh process', () => {
    const env = { PATH: process.env.PATH ?? '', HOME: '/home/build' };
    expect(canRunWarm({ env, cwd: '/src' })).toBe(true);
    expect(canRunWarm({ env: { ...env, NODE_OPTIONS: '--max-old-space-size=100' }, cwd: '/src' })).toBe(false);
    expect(canRunWarm({ env: { ...env, LANG: 'de_DE.UTF-8' }, cwd: '/src' })).toBe(false);
    expect(canRunWarm({ env: { ...env, PATH: '/opt/bin' }, cwd: '/src' })).toBe(false);
  });
});
