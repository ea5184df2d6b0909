import { describe, expect, it } from 'vitest';
import { planWorkflow } from '../../lib/plan';
import { job, workflow } from './build-workflow';

describe('planWorkflow', () => {
  const plan = planWorkflow(
    workflow([
      job('deploy', {
        needs: ['build', 'test'],
        matrix: { dimensions: { region: ['us-east-1', 'eu-west-1'], stage: ['staging', 'prod'] }, exclude: [{ region: 'eu-west-1', stage: 'staging' }] },
        maxParallel: 2,
        failFast: false,
        steps: ['deploy', 'smoke', '+metrics'],
      }),
      job('build', { steps: ['checkout', 'compile'] }),
      job('test', { needs: ['build'] }),
      job('notify', { needs: ['build'] }),
    ]),
  );

  it('lists the jobs in start order', () => {
    expect(plan.jobs.map((planned) => planned.job.id)).toEqual(['build', 'test', 'deploy', 'notify']);
  });

  it('expands the matrix and keeps its max-parallel and fail-fast', () => {
    const deploy = plan.jobs[2];
    expect(deploy?.cells).toEqual([
      { region: 'us-east-1', stage: 'staging' },
      { region: 'us-east-1', stage: 'prod' },
      { region: 'eu-west-1', stage: 'prod' },
    ]);
    expect(deploy?.maxParallel).toBe(2);
    expect(deploy?.failFast).toBe(false);
    expect(deploy?.stepGroups.map((group) => group.map((step) => step.id))).toEqual([['deploy'], ['smoke', 'metrics']]);
  });

  it('leaves cells and max-parallel out for a job without a matrix', () => {
    const build = plan.jobs[0];
    expect(build && 'cells' in build).toBe(false);
    expect(build && 'maxParallel' in build).toBe(false);
    expect(build?.failFast).toBe(true);
  });

  it('names the direct dependents of each job in file order', () => {
    expect(Object.fromEntries(plan.jobs.map((planned) => [planned.job.id, planned.dependents]))).toEqual({
      build: ['deploy', 'test', 'notify'],
      test: ['deploy'],
      deploy: [],
      notify: [],
    });
  });

  it('is deterministic', () => {
    const again = planWorkflow(plan.workflow);
    expect(JSON.stringify(again)).toBe(JSON.stringify(plan));
  });
});
