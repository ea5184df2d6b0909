import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxOverlap, startLocalWorkflows, type LocalWorkflows } from './local-run';

describe('examples/multi-region-deploy.yml on the local engine', () => {
  let local: LocalWorkflows;
  beforeAll(async () => {
    local = await startLocalWorkflows(['examples/multi-region-deploy.yml']);
  });
  afterAll(() => local.close());

  it('builds once, deploys five regions at most two at a time, then verifies with the build’s outputs', async () => {
    const { status, report } = await local.finish(local.start('multi-region-deploy', { version: '2.0.0' }));
    expect(status).toBe('SUCCEEDED');
    const cells = report.jobs.filter((job) => job.id === 'deploy');
    expect(cells.map((cell) => cell.matrix?.region).sort()).toEqual(['ap-southeast-2', 'eu-central-1', 'eu-west-1', 'us-east-1', 'us-west-2']);
    expect(cells.every((cell) => cell.status === 'succeeded')).toBe(true);
    expect(maxOverlap(cells)).toBe(2);
    const build = report.jobs.find((job) => job.id === 'build')!;
    expect(build.steps[0]?.outputs).toEqual({ artifact: 'shop-2.0.0.zip' });
    const verify = report.jobs.find((job) => job.id === 'verify')!;
    const lastDeployEnd = Math.max(...cells.map((cell) => Date.parse(cell.endedAt!)));
    expect(Date.parse(verify.startedAt!)).toBeGreaterThanOrEqual(lastDeployEnd);
    expect(Date.parse(cells[0]!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(build.endedAt!));
  });
});
