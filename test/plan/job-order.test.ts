import { describe, expect, it } from 'vitest';
import { topologicalOrder } from '../../lib/plan/job-order';
import { workflow } from './build-workflow';

const order = (jobs: Record<string, string[]>): string[] => topologicalOrder(workflow(jobs).jobs).map((job) => job.id);

describe('topologicalOrder', () => {
  it('puts every job after its needs, whatever the file order', () => {
    expect(order({ deploy: ['test'], test: ['build'], build: [] })).toEqual(['build', 'test', 'deploy']);
  });

  it('breaks ties by file order, among the jobs whose needs are done', () => {
    expect(order({ deploy: ['build'], build: [], lint: [] })).toEqual(['build', 'deploy', 'lint']);
    expect(order({ c: [], a: [], b: ['c'] })).toEqual(['c', 'a', 'b']);
  });

  it('keeps independent jobs in file order', () => {
    expect(order({ z: [], y: [], x: [] })).toEqual(['z', 'y', 'x']);
  });

  // The validator rejects cycles and unknown needs with a problem naming them; meeting one here is a bug.
  it('refuses a cycle instead of planning it', () => {
    expect(() => order({ a: ['c'], b: ['a'], c: ['b'], d: [] })).toThrow(
      "planWorkflow: the needs of 'a', 'b', 'c' form a cycle (the validator must reject it)",
    );
  });

  it('refuses an unknown need', () => {
    expect(() => order({ deploy: ['biuld'] })).toThrow(
      "planWorkflow: job 'deploy' needs unknown job 'biuld' (the validator must reject it)",
    );
  });
});
