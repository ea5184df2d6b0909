// close() right as an execution ends: DescribeExecution already says SUCCEEDED while the engine is
// still stopping that execution's runner (SIGTERM, its table items) and delivering its status change.
// Before, close() saw no RUNNING execution and closed DynamoDB under that work: its DeleteItem met a
// closed server (ECONNREFUSED, or dynalite's "Database is closed") as an unhandled rejection, which
// makes vitest exit 1 though every test passed (seen in test/cli/start-local.test.ts).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupAlive } from '../../lib/runner/process-group';
import { startLocalWorkflows, type LocalWorkflows } from '../e2e/local-run';

let dir: string;
let local: LocalWorkflows;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepdeploy-engine-close-'));
  await writeFile(join(dir, 'deploy.yml'), 'on: workflow_dispatch\njobs:\n  deploy:\n    steps:\n      - run: echo deployed\n');
  local = await startLocalWorkflows([join(dir, 'deploy.yml')]);
});
afterAll(async () => {
  await local?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('LocalEngine close() as an execution ends', () => {
  it('waits for the ending execution: its runner exits and its cleanup completes before DynamoDB closes', async () => {
    const { engine } = local;
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown): void => void rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    const warnings: string[] = [];
    engine.on('warning', (message) => warnings.push(message));
    try {
      let runners: number[] = [];
      let closed: Promise<void> | undefined;
      const order: string[] = [];
      // Synchronously inside the end: the status is SUCCEEDED, the runner not stopped yet.
      engine.on('history', (_arn, event) => {
        if (event.type !== 'ExecutionSucceeded') return;
        runners = engine.runnerPids(arn);
        closed = engine.close().then(() => void order.push('closed'));
      });
      const arn = local.start('deploy');
      void engine.waitForExecution(arn).then(() => order.push('settled'));
      while (closed === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
      await closed;
      await new Promise((resolve) => setImmediate(resolve));

      expect(order).toEqual(['settled', 'closed']);
      expect(runners).toHaveLength(1);
      expect(runners.filter(groupAlive)).toEqual([]);
      expect(warnings).toEqual([]);
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
