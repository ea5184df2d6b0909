import { describe, expect, it } from 'vitest';
import { criticalPath, makespanLowerBound, planWorkflow } from '../../lib/plan';
import { job, workflow } from './build-workflow';

const oneMinute = (): number => 60;
const regions = (count: number) => ({ dimensions: { region: Array.from({ length: count }, (_, i) => `r${i}`) } });

describe('makespanLowerBound', () => {
  it('is the critical path when nothing limits parallelism', () => {
    const plan = planWorkflow(
      workflow([job('build'), job('deploy', { needs: ['build'], matrix: regions(5), steps: ['up', 'check'] })]),
    );
    expect(criticalPath(plan, oneMinute).seconds).toBe(180);
    expect(makespanLowerBound(plan, oneMinute)).toBe(180);
  });

  it('runs a matrix in ceil(cells / max-parallel) rounds of one cell', () => {
    // 5 cells, 2 at a time: 3 rounds of 2 minutes, longer than the 2-minute critical path.
    const plan = planWorkflow(workflow([job('deploy', { matrix: regions(5), maxParallel: 2, steps: ['up', 'check'] })]));
    expect(criticalPath(plan, oneMinute).seconds).toBe(120);
    expect(makespanLowerBound(plan, oneMinute)).toBe(360);
  });

  it('divides all the step work by the workflow-level window', () => {
    // Three independent jobs of two steps: 6 step-minutes through a window of 2 take at least 3 minutes.
    const plan = planWorkflow(
      workflow([job('a', { steps: ['x', 'y'] }), job('b', { steps: ['x', 'y'] }), job('c', { steps: ['x', 'y'] })], { maxParallel: 2 }),
    );
    expect(makespanLowerBound(plan, oneMinute)).toBe(180);
    expect(makespanLowerBound(plan, oneMinute, { maxParallel: 3 })).toBe(120);
  });

  it('counts every cell and every parallel step in the window', () => {
    // 4 cells × (one group of 2 parallel steps) = 8 step-minutes; window 4 → 2 minutes > 1-minute path.
    const plan = planWorkflow(workflow([job('deploy', { matrix: regions(4), steps: ['up', '+log'] })]));
    expect(makespanLowerBound(plan, oneMinute)).toBe(60);
    expect(makespanLowerBound(plan, oneMinute, { maxParallel: 4 })).toBe(120);
  });

  it('keeps a fraction when the work does not divide evenly', () => {
    const plan = planWorkflow(workflow({ a: [], b: [], c: [] }));
    expect(makespanLowerBound(plan, oneMinute, { maxParallel: 2 })).toBe(90);
  });
});
