import { describe, expect, it } from 'vitest';
import { orderedJobs } from '../../lib/asl/cell-order';
import { compileWorkflow } from '../../lib/asl/compile';
import { matrixDataBytes } from '../../lib/asl/limits';
import { placeholderRefs } from '../../lib/asl/refs';
import { loadWorkflowText } from '../../lib/model/load';
import { planWorkflow } from '../../lib/plan';

function definitionOf(strategy: string, cells: number) {
  const values = Array.from({ length: cells }, (_, index) => `c${index}`).join(', ');
  const { workflow, problems } = loadWorkflowText(`on: workflow_dispatch\njobs:\n  deploy:\n    strategy:\n${strategy}      matrix:\n        site: [${values}]\n    steps:\n      - run: echo deploy\n`, 'w.yml');
  if (workflow === undefined) throw new Error(JSON.stringify(problems));
  return compileWorkflow(planWorkflow(workflow), placeholderRefs).definition;
}

describe('longest cells first: which matrices get an order state', () => {
  it('a written-out matrix with more cells than max-parallel, or than the 40 an inline Map runs at once', () => {
    expect(orderedJobs(definitionOf('      max-parallel: 4\n', 12))).toEqual(new Set(['deploy']));
    expect(orderedJobs(definitionOf('', 41))).toEqual(new Set(['deploy']));
  });

  it('not when every cell starts at once, nor past 256 cells, nor for a matrix evaluated at the job start', () => {
    expect(orderedJobs(definitionOf('      max-parallel: 12\n', 12))).toEqual(new Set());
    expect(orderedJobs(definitionOf('', 40))).toEqual(new Set());
    expect(orderedJobs(definitionOf('      max-cells: 300\n      max-parallel: 10\n', 300))).toEqual(new Set());
    expect(orderedJobs(definitionOf("      max-parallel: ${{ github.event_name == 'push' && 2 || 4 }}\n", 12))).toEqual(new Set());
  });

  it('counts each cell’s index in the execution’s data, in its item and in its result', () => {
    const cells = Array.from({ length: 12 }, (_, index) => ({ site: `c${index}` }));
    // `{"cell":11,"matrix":…}` around the item, `,"cell":11` in the result.
    expect(matrixDataBytes(cells, true) - matrixDataBytes(cells)).toBe(12 * (21 + 10));
  });
});
