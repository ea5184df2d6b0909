// StopExecution of a run whose step backgrounds its own children: the execution ends ABORTED, the
// report says cancelled, and no process of the step survives.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPids, survivors, waitForFile } from '../fixtures/e2e-behaviour/processes';
import { startLocalWorkflows, type LocalWorkflows } from './local-run';

describe('stopping an execution whose step runs `sleep 30 & sleep 30 & wait` (abort.yml)', () => {
  let local: LocalWorkflows;
  let sourceDir: string;
  beforeAll(async () => {
    sourceDir = await mkdtemp(join(tmpdir(), 'stepdeploy-e2e-abort-'));
    local = await startLocalWorkflows([join(import.meta.dirname, '../fixtures/e2e-behaviour/abort.yml')], { sourceDir });
  });
  afterAll(async () => {
    await local?.close();
    await rm(sourceDir, { recursive: true, force: true });
  });

  it('ends ABORTED and cancelled, leaving no process of the step behind', async () => {
    const arn = local.start('abort');
    const pidFile = join(sourceDir, 'pids');
    await waitForFile(pidFile);
    // The step's process group: the driver shell, the script's shell, both sleeps (and the ps that listed them).
    const pids = await readPids(pidFile);
    expect(survivors(pids).length).toBeGreaterThanOrEqual(4);

    await local.engine.stopExecution(arn, { error: 'UserCancelled', cause: 'stopped by the test' });

    expect(survivors(pids)).toEqual([]);
    const { status, error, cause, report } = await local.finish(arn);
    expect({ status, error, cause }).toEqual({ status: 'ABORTED', error: 'UserCancelled', cause: 'stopped by the test' });
    expect(report.status).toBe('cancelled');
    expect(report.jobs).toMatchObject([{ id: 'long', status: 'cancelled', steps: [{ name: 'wait', status: 'cancelled' }] }]);
  });
});
