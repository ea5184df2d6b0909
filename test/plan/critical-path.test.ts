import { describe, expect, it } from 'vitest';
import type { Job, Step } from '../../lib/model/workflow';
import { criticalPath, planWorkflow } from '../../lib/plan';
import { job, workflow } from './build-workflow';

const oneMinute = (): number => 60;
/** Durations by step id; a step not listed takes 60 s. */
const bySteps =
  (seconds: Record<string, number>) =>
  (_job: Job, step: Step): number =>
    seconds[step.id] ?? 60;

describe('criticalPath', () => {
  it('adds up a chain, one minute per step', () => {
    const plan = planWorkflow(
      workflow([job('build', { steps: ['a'] }), job('test', { needs: ['build'], steps: ['a', 'b'] }), job('deploy', { needs: ['test'], steps: ['a', 'b', 'c'] })]),
    );
    expect(criticalPath(plan, oneMinute)).toEqual({ jobs: ['build', 'test', 'deploy'], seconds: 360 });
  });

  it('follows the longer branch of a diamond', () => {
    const plan = planWorkflow(
      workflow([
        job('build'),
        job('east', { needs: ['build'], steps: ['a'] }),
        job('west', { needs: ['build'], steps: ['a', 'b', 'c'] }),
        job('verify', { needs: ['east', 'west'] }),
      ]),
    );
    expect(criticalPath(plan, oneMinute)).toEqual({ jobs: ['build', 'west', 'verify'], seconds: 300 });
  });

  it('counts a step group as its slowest step', () => {
    const plan = planWorkflow(workflow([job('deploy', { steps: ['x', '+y', '+z', 'w'] })]));
    expect(criticalPath(plan, bySteps({ x: 10, y: 30, z: 20, w: 5 }))).toEqual({ jobs: ['deploy'], seconds: 35 });
  });

  it('counts a matrix job as one cell, since cells run in parallel', () => {
    const plan = planWorkflow(
      workflow([job('deploy', { matrix: { dimensions: { region: ['a', 'b', 'c', 'd', 'e', 'f'] } }, steps: ['up', 'check'] })]),
    );
    expect(criticalPath(plan, oneMinute)).toEqual({ jobs: ['deploy'], seconds: 120 });
  });

  it('breaks ties by start order', () => {
    const plan = planWorkflow(workflow({ left: [], right: [], join: ['right', 'left'] }));
    expect(criticalPath(plan, oneMinute)).toEqual({ jobs: ['left', 'join'], seconds: 120 });
  });

  it('ends at the job that finishes last, not the last job', () => {
    const plan = planWorkflow(workflow([job('slow', { steps: ['a', 'b', 'c'] }), job('quick')]));
    expect(criticalPath(plan, oneMinute)).toEqual({ jobs: ['slow'], seconds: 180 });
  });
});
