// compileWorkflow chooses which matrices run as child executions by bisection. Counted in renders, not
// timed: moving one matrix at a time rendered the definition once per matrix job, so a workflow of
// many big matrices took quadratic time to validate (100 matrix jobs of 256 cells: 101 renders).
import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../lib/asl/compile';
import { estimateHistory, HISTORY_BUDGET, mapItemCounts } from '../../lib/asl/history-budget';
import { placeholderRefs } from '../../lib/asl/refs';
import { renderDefinition } from '../../lib/asl/render';
import { loadWorkflowText } from '../../lib/model/load';
import { planWorkflow } from '../../lib/plan';
import type { Plan } from '../../lib/plan/types';

/** `count` matrix jobs; job j has (4 + j mod 13)² cells, so the matrices differ in size. */
function matricesPlan(count: number): Plan {
  let text = 'on: workflow_dispatch\njobs:\n';
  for (let job = 0; job < count; job++) {
    const values = `[${Array.from({ length: 4 + (job % 13) }, (_, index) => index).join(', ')}]`;
    text += `  job-${job}:\n    strategy:\n      matrix:\n        a: ${values}\n        b: ${values}\n    steps:\n      - run: echo a\n      - run: echo b\n`;
  }
  const { workflow, problems } = loadWorkflowText(text, 'matrices.yml');
  if (workflow === undefined) throw new Error(JSON.stringify(problems));
  return planWorkflow(workflow);
}

/** What moving the biggest matrix out one at a time chooses (the former way), for comparison. */
function oneAtATime(plan: Plan, order: readonly string[]): string[] {
  const items = mapItemCounts(plan);
  for (let count = 0; ; count++) {
    const distributed = order.slice(0, count);
    const definition = renderDefinition(plan, { refs: placeholderRefs, distributed: new Set(distributed) });
    if (estimateHistory(definition, items).events <= HISTORY_BUDGET || count === order.length) return distributed;
  }
}

describe('compileWorkflow', () => {
  it('renders once when the history fits inline', () => {
    const compiled = compileWorkflow(matricesPlan(2), placeholderRefs);
    expect([compiled.renders, compiled.distributed]).toEqual([1, []]);
  });

  it('moves the same matrices to child executions as one at a time did, in 2 + ⌈log₂ m⌉ renders', () => {
    const plan = matricesPlan(14);
    const compiled = compileWorkflow(plan, placeholderRefs);
    expect(compiled.distributed.length).toBeGreaterThan(1);
    expect(compiled.distributed.length).toBeLessThan(14);
    // The order compileWorkflow moves them in: most cells first.
    const cells = mapItemCounts(plan);
    const order = plan.jobs.map((planned) => planned.job.id).sort((a, b) => cells[b]! - cells[a]! || a.localeCompare(b));
    expect(compiled.distributed).toEqual(oneAtATime(plan, order));
    expect(compiled.renders).toBeLessThanOrEqual(2 + Math.ceil(Math.log2(14)));
    expect(compiled.history.events).toBeLessThanOrEqual(HISTORY_BUDGET);
  });

  it('renders logarithmically often in the number of matrix jobs', () => {
    const compiled = compileWorkflow(matricesPlan(100), placeholderRefs);
    expect(compiled.distributed.length).toBeGreaterThan(10);
    expect(compiled.renders).toBeLessThanOrEqual(2 + Math.ceil(Math.log2(100)));
  });
});
