import { describe, expect, it } from 'vitest';
import { evaluateOp } from '../../../lib/runtime/evaluate';
import { withLookups } from '../../../lib/runtime/evaluate/with-lookups';
import type { ValueStores } from '../../../lib/runtime/stores/value-stores';

const run = 'arn:aws:states:us-east-1:000000000000:execution:Stack_deploy:run-1';
const cells = [{ region: 'a' }, { region: 'b' }, { region: 'c' }, { region: 'd' }, { region: 'e' }];
const order = (durations: Record<string, number>) => evaluateOp({ op: 'job.order', job: 'deploy', run, cells, durations }) as { items: { cell: number; matrix: unknown }[] };

describe('job.order: the order a matrix job’s Map starts its cells in', () => {
  it('keeps the written order when nothing was recorded, and gives each item its written index', () => {
    expect(order({}).items).toEqual(cells.map((matrix, cell) => ({ cell, matrix })));
  });

  it('starts the longest recorded cells first, cells never recorded before them, ties in written order', () => {
    expect(order({ '0': 1, '1': 5, '2': 1, '4': 3 }).items.map((item) => item.cell)).toEqual([3, 1, 4, 0, 2]);
  });

  it('reads the durations before evaluating, and falls back to the written order when they cannot be read', async () => {
    const stores = {} as ValueStores;
    const event = { op: 'job.order' as const, job: 'deploy', run, cells };
    const read = await withLookups(event, stores, undefined, async () => new Map([[0, 1], [1, 1], [2, 9], [3, 1], [4, 1]]));
    expect((evaluateOp(read) as { items: { cell: number }[] }).items[0]!.cell).toBe(2);
    const unreadable = await withLookups(event, stores, undefined, () => Promise.reject(new Error('AccessDenied')));
    expect((evaluateOp(unreadable) as { items: { cell: number }[] }).items.map((item) => item.cell)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('job.aggregate of an ordered Map', () => {
  it('merges outputs in written order whatever order the results came in', () => {
    const result = (cell: number, value: string) => ({ result: 'success' as const, outputs: { last: value }, upstream: 'success' as const, cell });
    expect(evaluateOp({ op: 'job.aggregate', job: 'deploy', cells: [result(2, 'c'), result(0, 'a'), result(3, 'd'), result(1, 'b')] })).toEqual({ result: 'success', outputs: { last: 'd' }, upstream: 'success' });
  });
});
