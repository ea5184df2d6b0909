// Issue 3's makespan property end to end: in a DAG that is not series-parallel (an "N": c needs a
// and b, d needs b only), every job starts as soon as its own needs have ended, so the run takes
// its critical path, not the length of a layered or series-parallel schedule.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../lib/report/report';
import { startLocalWorkflows, type LocalWorkflows } from './local-run';

/** How late a job may start after its last need has ended (engine and evaluate overhead). */
const START_LAG_MS = 1500;

describe('the N-shaped DAG (a: 3 s, b: 1 s, c needs a and b: 1 s, d needs b: 3 s) on the local engine', () => {
  let local: LocalWorkflows;
  let report: RunReport;
  let status: string;
  beforeAll(async () => {
    local = await startLocalWorkflows([join(import.meta.dirname, '../fixtures/e2e-behaviour/n-shape.yml')]);
    ({ status, report } = await local.finish(local.start('n-shape')));
  });
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

  it('starts d as soon as b ends, long before a ends', () => {
    const [a, b, d] = [times('a'), times('b'), times('d')];
    expect(d.start).toBeGreaterThanOrEqual(b.end);
    expect(d.start - b.end).toBeLessThan(START_LAG_MS);
    expect(a.end - d.start).toBeGreaterThan(1000);
  });

  it('starts c only when both a and b have ended, and at once after the later one', () => {
    const [a, b, c] = [times('a'), times('b'), times('c')];
    expect(c.start).toBeGreaterThanOrEqual(Math.max(a.end, b.end));
    expect(c.start - a.end).toBeLessThan(START_LAG_MS);
  });

  it('takes the critical path (4 s), less than the 5 s any series-parallel schedule needs (6 s layered)', () => {
    // Each job's measured span includes its runner's start-up: compare schedules of the same spans.
    const span = (id: string) => times(id).end - times(id).start;
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(span) as [number, number, number, number];
    const jobs = ['a', 'b', 'c', 'd'].map(times);
    const makespan = Math.max(...jobs.map((job) => job.end)) - Math.min(...jobs.map((job) => job.start));
    expect(makespan).toBeGreaterThanOrEqual(4000);
    // The series-parallel schedules: (a ‖ b→d) → c, b → (d ‖ a→c), and the layered (a ‖ b) → (c ‖ d).
    const seriesParallel = Math.min(Math.max(a, b + d) + c, b + Math.max(d, a + c), Math.max(a, b) + Math.max(c, d));
    expect(makespan).toBeLessThan(seriesParallel - 500);
  });
});
