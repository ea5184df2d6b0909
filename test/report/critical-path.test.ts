import { describe, expect, it } from 'vitest';
import { buildReport } from '../../lib/report/build-report';
import { criticalPathFromIds, criticalPathFromTimes } from '../../lib/report/critical-path';
import type { JobReport, RunReport } from '../../lib/report/report';
import { EXECUTION_ARN, loadHistory } from './histories';

const run = (jobs: JobReport[]): RunReport => ({
  workflow: 'w',
  execution: EXECUTION_ARN,
  status: 'succeeded',
  startedAt: '2025-03-04T10:00:00.000Z',
  endedAt: '2025-03-04T10:01:00.000Z',
  jobs,
});
const job = (id: string, start: number, end: number): JobReport => ({
  id,
  status: 'succeeded',
  startedAt: new Date(Date.parse('2025-03-04T10:00:00.000Z') + start * 1000).toISOString(),
  endedAt: new Date(Date.parse('2025-03-04T10:00:00.000Z') + end * 1000).toISOString(),
  steps: [],
});

describe('criticalPathFromTimes', () => {
  it('walks back from the last-ending job to the job that ended latest before each one started', () => {
    const report = run([job('build', 0, 10), job('lint', 0, 10.5), job('test', 11, 20), job('deploy', 21, 40), job('docs', 11, 15)]);
    expect(criticalPathFromTimes(report)).toStrictEqual([1, 2, 3]);
  });

  it('in the matrix run: build, then the cell whose end freed the slot, then the last cell', () => {
    const report = buildReport({ workflow: 'w', executionArn: EXECUTION_ARN, history: loadHistory('matrix-max-parallel') });
    expect(criticalPathFromTimes(report)).toStrictEqual([0, 1, 3]);
  });

  it('leaves out jobs without times (skipped) and ends on a zero-length job without looping', () => {
    const skipped: JobReport = { id: 'skipped', status: 'skipped', steps: [] };
    expect(criticalPathFromTimes(run([job('a', 0, 4), skipped, job('b', 5, 5)]))).toStrictEqual([0, 2]);
  });

  it('is empty when no job ran', () => {
    expect(criticalPathFromTimes(run([]))).toStrictEqual([]);
  });
});

describe('criticalPathFromIds', () => {
  it('marks every cell of a job named on the path', () => {
    const report = buildReport({ workflow: 'w', executionArn: EXECUTION_ARN, history: loadHistory('matrix-max-parallel') });
    expect(criticalPathFromIds(report, ['deploy'])).toStrictEqual([1, 2, 3]);
  });
});

describe('the critical path of a failed run', () => {
  it('runs through the failed cell, not the cell cancelled with it that ended later', () => {
    const report = buildReport({ workflow: 'w', executionArn: EXECUTION_ARN, history: loadHistory('fail-fast-cancelled') });
    const failed = report.jobs.findIndex((job) => job.status === 'failed');
    expect(report.jobs.map((job) => job.status)).toStrictEqual(['succeeded', 'failed', 'cancelled']);
    expect(criticalPathFromTimes(report)).toStrictEqual([failed]);
    expect(criticalPathFromIds(report, ['deploy'])).toStrictEqual([failed]);
  });

  it('walks back from the failed job, leaving out what ran after it', () => {
    const failed: JobReport = { ...job('test', 11, 20), status: 'failed' };
    const report = { ...run([job('build', 0, 10), failed, job('notify', 21, 40)]), status: 'failed' as const };
    expect(criticalPathFromTimes(report)).toStrictEqual([0, 1]);
  });
});
