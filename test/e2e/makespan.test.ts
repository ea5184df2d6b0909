// Issue 3's makespan property end to end, by order, not by the clock: in a DAG that is not
// series-parallel (an "N": c needs a and b, d needs b only), every job starts as soon as its own
// needs have ended. a holds until d has started, so the run can only finish if d starts while a
// still runs. How long runs take is measured in bench/makespan.bench.ts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../lib/report/report';
import { Gates, eventually } from '../fixtures/e2e/support';
import { startLocalWorkflows, type LocalWorkflows } from './local-run';

describe('the N-shaped DAG (c needs a and b, d needs b) on the local engine', () => {
  let local: LocalWorkflows;
  let report: RunReport;
  let status: string;
  beforeAll(async () => {
    local = await startLocalWorkflows([join(import.meta.dirname, '../fixtures/e2e-behaviour/n-shape-gated.yml')]);
    const gates = await Gates.create();
    const run = local.start('n-shape-gated', { gates: gates.dir });
    await eventually('d to start while a still runs', () => (existsSync(gates.path('d-started')) ? true : undefined), 600_000);
    await gates.open('a');
    ({ status, report } = await local.finish(run));
  }, 600_000);
  afterAll(() => local?.close());

  const times = (id: string): { start: number; end: number } => {
    const job = report.jobs.find((candidate) => candidate.id === id)!;
    return { start: Date.parse(job.startedAt!), end: Date.parse(job.endedAt!) };
  };

  it('runs every job to success', () => {
    expect(status).toBe('SUCCEEDED');
    expect(report.jobs.map((job) => [job.id, job.status]).sort()).toEqual([
      ['a', 'succeeded'],
      ['b', 'succeeded'],
      ['c', 'succeeded'],
      ['d', 'succeeded'],
    ]);
  });

  it('starts d after b ends and before a ends (they overlap)', () => {
    const [a, b, d] = [times('a'), times('b'), times('d')];
    expect(d.start).toBeGreaterThanOrEqual(b.end);
    expect(d.start).toBeLessThan(a.end);
  });

  it('starts c only when both a and b have ended', () => {
    const [a, b, c] = [times('a'), times('b'), times('c')];
    expect(c.start).toBeGreaterThanOrEqual(Math.max(a.end, b.end));
  });
});
