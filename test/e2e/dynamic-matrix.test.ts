// Dynamic matrices on the local engine: the synthesized ASL expands `strategy.matrix` expressions
// when the job starts (lib/runtime/evaluate/job-matrix.ts) and its Map runs over the runtime cells,
// with max-parallel, job concurrency groups per cell, and a clear failure when the matrix cannot be expanded.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../lib/report/report';
import { maxOverlap, startLocalWorkflows, type LocalWorkflows } from './local-run';

const fixtures = join(import.meta.dirname, '../fixtures/e2e-matrix');
type Finished = Awaited<ReturnType<LocalWorkflows['finish']>>;

let local: LocalWorkflows;
let dynamic: Promise<Finished>;
let errors: Promise<Finished>;
beforeAll(async () => {
  local = await startLocalWorkflows([join(fixtures, 'dynamic-matrix.yml'), join(fixtures, 'dynamic-matrix-errors.yml')]);
  dynamic = local.finish(local.start('dynamic-matrix', { stage: 'qa' }));
  errors = local.finish(local.start('dynamic-matrix-errors'));
});
afterAll(() => local?.close());

const cellsOf = (report: RunReport, id: string) => report.jobs.filter((job) => job.id === id);

describe('a matrix from a job output (dynamic-matrix.yml)', () => {
  it('expands as GitHub does, runs each cell at most two at a time, and hands the outputs on', async () => {
    const { status, report } = await dynamic;
    expect(status).toBe('SUCCEEDED');
    const deploy = cellsOf(report, 'deploy');
    expect(deploy.map((cell) => cell.matrix)).toEqual(
      expect.arrayContaining([
        { region: 'us-east-1', size: 's' },
        { region: 'us-east-1', size: 'm' },
        { region: 'eu-west-1', size: 's' },
        { region: 'eu-west-1', size: 'm', canary: true },
        { region: 'ap-south-1', size: 's' },
        { region: 'sa-east-1', size: 'l' },
      ]),
    );
    expect(deploy).toHaveLength(6);
    expect(deploy.every((cell) => cell.status === 'succeeded')).toBe(true);
    expect(maxOverlap(deploy)).toBeLessThanOrEqual(2);
    const outputs = deploy.map((cell) => cell.steps[0]?.outputs?.['done']).sort();
    expect(outputs).toEqual(['ap-south-1-s-', 'eu-west-1-m-true', 'eu-west-1-s-', 'sa-east-1-l-', 'us-east-1-m-', 'us-east-1-s-']);
    const verify = cellsOf(report, 'verify')[0]!;
    expect(outputs).toContain(verify.steps[0]?.outputs?.['last']);
  });

  it('expands a dimension given as an expression next to values holding expressions', async () => {
    const { report } = await dynamic;
    const cells = cellsOf(report, 'per-key').map((cell) => cell.steps[0]?.outputs?.['cell']).sort();
    expect(cells).toEqual(['north/dev/qa-north', 'north/qa/', 'south/dev/', 'south/qa/']);
  });
});

describe('matrices that cannot be expanded (dynamic-matrix-errors.yml)', () => {
  it('fails each such job with the reason, skips its dependents and never evaluates the matrix of a job that does not run', async () => {
    const { status, report } = await errors;
    expect(status).toBe('FAILED');
    // one-at-a-time's cells are checked below.
    const byId = Object.fromEntries(report.jobs.filter((job) => job.id !== 'one-at-a-time').map((job) => [job.id, { status: job.status, error: job.error }]));
    expect(byId).toEqual({
      setup: { status: 'succeeded', error: undefined },
      'not-json': {
        status: 'failed',
        error: `jobs.not-json.strategy.matrix: fromJSON(): the argument is not valid JSON: '{"region": [' in '\${{ fromJSON(needs.setup.outputs.garbled) }}'`,
      },
      'not-mapping': {
        status: 'failed',
        error: 'jobs.not-mapping.strategy.matrix: evaluated to a list ([1,2]), not a mapping of dimension → list of values (with optional include and exclude)',
      },
      'too-many': { status: 'failed', error: 'jobs.too-many.strategy.matrix: the matrix expands to 289 combinations; at most 256 are allowed (as in GitHub Actions)' },
      'after-not-json': { status: 'skipped', error: undefined },
      'not-wanted': { status: 'skipped', error: undefined },
    });
  });

  it('takes fail-fast and max-parallel from expressions: one cell at a time, and a failed cell stops none', async () => {
    const { report } = await errors;
    const cells = cellsOf(report, 'one-at-a-time');
    expect(cells.map((cell) => [cell.matrix?.n, cell.status]).sort()).toEqual([
      [1, 'failed'],
      [2, 'succeeded'],
      [3, 'succeeded'],
    ]);
    expect(maxOverlap(cells)).toBe(1);
  });
});
