// Runners started ahead of their job (lib/local/warm-runners.ts) are the same runners: a step on one
// sees the variables and the folder a step on a runner started for its launch sees, and none of the
// engine's own environment. They start only once the engine's first runner is up, so that they never
// load beside it (issue 16).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { canRunWarm } from '../../lib/local/warm-runners';
import { startLocalWorkflows, type LocalWorkflows } from '../e2e/local-run';

const FIXTURE = 'test/fixtures/e2e-runner/environment.yml';
const HELD = 'test/fixtures/e2e-runner/held.yml';
const WARM_RUNNERS = 2;

async function seen(local: LocalWorkflows) {
  const { status, report } = await local.finish(local.start('environment'));
  expect(status).toBe('SUCCEEDED');
  return report.jobs.map((job) => job.steps[0]!.outputs!);
}

/** Waits (no time asserted: the timeout only ends a hang) until every warm runner has loaded the bundle. */
async function poolFilled(local: LocalWorkflows): Promise<void> {
  await vi.waitFor(() => expect(local.engine.waitingRunners()).toEqual({ waiting: WARM_RUNNERS, ready: WARM_RUNNERS }), { timeout: 120_000, interval: 20 });
}

/** A pool that has started (a first run launched a runner) and filled. */
async function warmedUp(local: LocalWorkflows): Promise<void> {
  if (local.engine.waitingRunners().waiting === 0) await seen(local);
  await poolFilled(local);
}

describe('warm runners', () => {
  let warm: LocalWorkflows;
  let fresh: LocalWorkflows;
  beforeAll(async () => {
    process.env.WARM_RUNNER_TEST_ENGINE_VARIABLE = 'the engine’s';
    [warm, fresh] = await Promise.all([startLocalWorkflows([FIXTURE], { warmRunners: WARM_RUNNERS }), startLocalWorkflows([FIXTURE], { warmRunners: 0 })]);
  });
  afterAll(async () => {
    delete process.env.WARM_RUNNER_TEST_ENGINE_VARIABLE;
    await Promise.all([warm?.close(), fresh?.close()]);
  });

  it('start only after the first launch, then fill the pool for the launches after it', async () => {
    // A started engine has no process waiting: none would compete with the first run's runner.
    expect(warm.engine.waitingRunners()).toEqual({ waiting: 0, ready: 0 });
    const first = await seen(warm);
    // The engine's first launch (build 1) got a process of its own.
    expect(first.find((outputs) => outputs.build === '1')?.runner).toBe('0');
    await poolFilled(warm);
    // Each take refills the pool at once, so all three cells of the next run get a waiting process.
    const later = await seen(warm);
    expect(later.map((outputs) => outputs.runner)).toEqual(['1', '1', '1']);
    await poolFilled(warm);
  });

  it('start once the first runner is up, not when it ends', async () => {
    const gates = await mkdtemp(join(tmpdir(), 'stepdeploy-held-'));
    const held = await startLocalWorkflows([HELD], { warmRunners: WARM_RUNNERS });
    try {
      const arn = held.start('held', { gates });
      await poolFilled(held);
      // The pool filled while the first runner still runs its step.
      expect(held.engine.describeExecution(arn).status).toBe('RUNNING');
      await writeFile(join(gates, 'release'), '');
      expect((await held.finish(arn)).status).toBe('SUCCEEDED');
    } finally {
      await held.close();
      await rm(gates, { recursive: true, force: true });
    }
  });

  it('give a step the same variables and folder as a runner started for its launch', async () => {
    await warmedUp(warm);
    const onWarm = await seen(warm);
    const onFresh = await seen(fresh);
    expect(onWarm.filter((outputs) => outputs.runner === '1').length).toBeGreaterThanOrEqual(WARM_RUNNERS);
    expect(onFresh.map((outputs) => outputs.runner)).toEqual(['0', '0', '0']);
    // No process ever waits on an engine without warm runners.
    expect(fresh.engine.waitingRunners()).toEqual({ waiting: 0, ready: 0 });
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
