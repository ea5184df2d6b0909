import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimateHistory, HISTORY_BUDGET, mapItemCounts } from '../../lib/asl/history-budget';
import { placeholderRefs } from '../../lib/asl/refs';
import { renderDefinition } from '../../lib/asl/render';
import { planWorkflow } from '../../lib/plan';
import type { MapState } from '../../lib/asl/types';
import { loadFixture, renderFile, stateNamed } from './render-helpers';

/** A workflow with one matrix job of `regions × targets` cells and `steps` steps per cell. */
async function matrixWorkflow(regions: number, targets: number, steps: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'stepdeploy-history-'));
  const file = join(dir, 'big.yml');
  const list = (prefix: string, count: number) => `[${Array.from({ length: count }, (_, index) => `${prefix}${index}`).join(', ')}]`;
  const stepLines = Array.from({ length: steps }, (_, index) => `      - run: echo step ${index}`).join('\n');
  await writeFile(
    file,
    `on: workflow_dispatch\njobs:\n  deploy:\n    strategy:\n      max-parallel: 40\n      matrix:\n        region: ${list('r', regions)}\n        target: ${list('t', targets)}\n    steps:\n${stepLines}\n`,
  );
  return file;
}

describe('history budget', () => {
  it('keeps a small matrix inline, with an estimate that grows per cell by the cell’s states', async () => {
    const small = await renderFile(await matrixWorkflow(2, 1, 5));
    const bigger = await renderFile(await matrixWorkflow(4, 1, 5));
    expect(small.distributed).toEqual([]);
    // The costliest way through a cell: start (5 + 9 for its retries), run? (2), start runner (5 + 3 ×
    // (8 quota + 6 throttling retries)), 5 run steps (6 each + 9 for the dispatch's Lambda retries), the
    // last one failing (2), stop runner (5), end (2), fail fast? (2), stop other runners (5 + 3 × (3
    // Lambda + 6 coordinator-busy retries)), stop other cells (2), and 2 iteration events.
    const perCell = 5 + 9 + 2 + (5 + 3 * (8 + 6)) + 5 * (6 + 9) + 2 + 5 + 2 + 2 + (5 + 3 * (3 + 6)) + 2 + 2;
    expect(bigger.history.events - small.history.events).toBe(2 * perCell);
  });

  it('moves a 256-cell matrix of 12 steps (~27,000 events inline) to child executions, each far under the limit', async () => {
    const file = await matrixWorkflow(16, 16, 12);
    const plan = planWorkflow(await loadFixture(file));
    const inline = estimateHistory(renderDefinition(plan, { refs: placeholderRefs }), mapItemCounts(plan));
    expect(inline.events).toBeGreaterThan(HISTORY_BUDGET);
    const compiled = await renderFile(file);
    expect(compiled.distributed).toEqual(['deploy']);
    expect(compiled.history.events).toBeLessThanOrEqual(HISTORY_BUDGET);
    expect(compiled.history.children.deploy).toBeLessThan(300);
    const map = stateNamed(compiled.definition, 'deploy') as MapState;
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(map.MaxConcurrency).toBe(40);
  });
});

describe('retries', () => {
  const retrier = (error: string, attempts: number) => ({ ErrorEquals: [error], MaxAttempts: attempts });
  it('adds up the attempts of every retrier: each counts its own, so all of them can be spent', () => {
    const task = (Retry: object[]) => ({ StartAt: 't', States: { t: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Retry, End: true } } });
    expect(estimateHistory(task([]) as never, {}).events).toBe(2 + 5);
    expect(estimateHistory(task([retrier('A', 3), retrier('B', 6)]) as never, {}).events).toBe(2 + 5 + 3 * (3 + 6));
    // MaxAttempts defaults to 3; 0 never retries.
    expect(estimateHistory(task([{ ErrorEquals: ['A'] }, retrier('B', 0)]) as never, {}).events).toBe(2 + 5 + 3 * 3);
  });

  it('counts a retried Parallel as a whole new run of its branches per attempt', () => {
    const pass = { StartAt: 'p', States: { p: { Type: 'Pass', End: true } } };
    const parallel = { StartAt: 'x', States: { x: { Type: 'Parallel', Branches: [pass, pass], Retry: [retrier('A', 2)], End: true } } };
    expect(estimateHistory(parallel as never, {}).events).toBe(2 + 3 * (4 + 2 + 2));
  });
});

describe('scale', () => {
  it('estimates a chain of 20,000 states without recursion (no stack overflow)', () => {
    const n = 20_000;
    const States = Object.fromEntries(
      Array.from({ length: n }, (_, i) => [`s${i}`, i === n - 1 ? { Type: 'Pass', End: true } : { Type: 'Pass', Next: `s${i + 1}` }]),
    );
    expect(estimateHistory({ StartAt: 's0', States } as never, {}).events).toBe(2 + 2 * n);
  });
});
