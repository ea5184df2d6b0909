// A dynamic matrix as its job starts: evaluated over the run, needs and vars, expanded as GitHub
// documents ("Using a matrix for your jobs": cross product, exclude, include), refused clearly otherwise.
import { describe, expect, it } from 'vitest';
import { evaluateOp } from '../../../lib/runtime/evaluate';
import type { CellData, JobResult, RunData } from '../../../lib/runtime/evaluate/data';
import type { JobMatrix } from '../../../lib/runtime/evaluate/job-matrix';

const execution = { Id: 'arn:aws:states:us-east-1:000000000000:execution:stepdeploy-demo:run-1', Name: 'run-1', StartTime: '2026-11-21T10:00:00.000Z' };

function data(needs: Record<string, JobResult> = {}): CellData {
  const { run } = evaluateOp({ op: 'run.start', workflow: { id: 'demo', name: 'demo' }, inputs: [{ id: 'stage', type: 'string', required: false, default: 'prod' }], env: {}, input: {}, execution } as never) as { run: RunData };
  // Between jobs the data is { run, needs }: no steps.
  return { run, needs } as unknown as CellData;
}

const setup = (outputs: Record<string, string>): Record<string, JobResult> => ({ setup: { result: 'success', outputs, upstream: 'success' } });

function expand(matrix: unknown, needs = setup({}), extra: Record<string, unknown> = {}): JobMatrix {
  return evaluateOp({ op: 'job.matrix', job: 'deploy', needs: Object.keys(needs), matrix: JSON.stringify(matrix), failFast: true, context: data(needs), ...extra } as never) as JobMatrix;
}

const fromOutput = (json: unknown): JobMatrix => expand('${{ fromJSON(needs.setup.outputs.matrix) }}', setup({ matrix: typeof json === 'string' ? json : JSON.stringify(json) }));

describe('job.matrix', () => {
  it("expands GitHub's documented examples (lib/model/matrix.ts): exclude removes, include extends matching cells and adds the rest", () => {
    const { run, upstream, cells } = fromOutput({ fruit: ['apple', 'pear'], animal: ['cat'], include: [{ color: 'pink', animal: 'cat' }, { fruit: 'banana' }] });
    expect({ run, upstream }).toEqual({ run: true, upstream: 'success' });
    expect(cells).toEqual([{ fruit: 'apple', animal: 'cat', color: 'pink' }, { fruit: 'pear', animal: 'cat', color: 'pink' }, { fruit: 'banana' }]);
    const excluded = fromOutput({ os: ['macos', 'windows'], version: [12, 14, 16], environment: ['staging', 'production'], exclude: [{ os: 'macos', version: 12, environment: 'production' }, { os: 'windows', version: 16 }] });
    expect(excluded.cells).toHaveLength(12 - 1 - 2);
    expect(fromOutput({ include: [{ project: 'a', config: 'Debug' }, { project: 'b', config: 'Release' }] }).cells).toEqual([
      { project: 'a', config: 'Debug' },
      { project: 'b', config: 'Release' },
    ]);
  });

  it('evaluates a dimension, include entries and values given as expressions', () => {
    const { cells } = expand(
      { zone: '${{ fromJSON(needs.setup.outputs.zones) }}', stage: ['${{ inputs.stage }}'], include: ['${{ fromJSON(needs.setup.outputs.extra) }}'] },
      setup({ zones: '["north","south"]', extra: '{"zone":"north","tier":2}' }),
    );
    expect(cells).toEqual([
      { zone: 'north', stage: 'prod', tier: 2 },
      { zone: 'south', stage: 'prod' },
    ]);
  });

  it('does not evaluate the matrix of a job that does not run, and says why through upstream', () => {
    const failed = { setup: { result: 'failure', outputs: {}, upstream: 'success' } } as const;
    const notRun = { cells: [], maxParallel: 0, failFast: false };
    expect(expand('${{ fromJSON(needs.setup.outputs.matrix) }}', failed)).toEqual({ run: false, upstream: 'failure', ...notRun });
    expect(expand('${{ fromJSON(needs.setup.outputs.matrix) }}', setup({}), { if: "github.event_name == 'never'" })).toEqual({ run: false, upstream: 'success', ...notRun });
    // always() runs the job: the missing output is then the matrix's own failure.
    expect(() => expand('${{ fromJSON(needs.setup.outputs.matrix) }}', failed, { if: 'always()' })).toThrowError(
      "jobs.deploy.strategy.matrix: fromJSON(): the argument is not valid JSON: '' in '${{ fromJSON(needs.setup.outputs.matrix) }}'",
    );
  });

  it('fails with what the matrix evaluated to when it is not GitHub’s shape', () => {
    const error = (json: unknown) => {
      try {
        fromOutput(json);
      } catch (caught) {
        expect((caught as Error).name).toBe('ExpressionFailed');
        return (caught as Error).message;
      }
      throw new Error('expanded');
    };
    expect(error('{"region": [')).toBe(`jobs.deploy.strategy.matrix: fromJSON(): the argument is not valid JSON: '{"region": [' in '\${{ fromJSON(needs.setup.outputs.matrix) }}'`);
    expect(error([1, 2])).toBe('jobs.deploy.strategy.matrix: evaluated to a list ([1,2]), not a mapping of dimension → list of values (with optional include and exclude)');
    expect(error('"us-east-1"')).toBe('jobs.deploy.strategy.matrix: evaluated to a string ("us-east-1"), not a mapping of dimension → list of values (with optional include and exclude)');
    expect(error({ region: 'us-east-1' })).toBe('jobs.deploy.strategy.matrix.region: evaluated to a string ("us-east-1"), not a list of values');
    expect(error({ region: [] })).toBe('jobs.deploy.strategy.matrix.region: the dimension has no values (as on GitHub, each dimension needs at least one)');
    expect(error({ region: ['a'], include: { size: 1 } })).toBe('jobs.deploy.strategy.matrix.include: evaluated to a mapping ({"size":1}), not a list of mappings of dimension → value');
    expect(error({})).toBe('jobs.deploy.strategy.matrix: evaluated to a mapping ({}), which has no dimension and no include entry');
    expect(error({ region: ['a'], exclude: [{ region: 'a' }] })).toBe('jobs.deploy.strategy.matrix: the matrix expands to no combinations (exclude removes every combination and include adds none)');
  });

  it('evaluates fail-fast and max-parallel given as expressions (0: no limit of its own)', () => {
    const needs = setup({ parallel: '3', fast: 'false' });
    const options = { maxParallel: '${{ fromJSON(needs.setup.outputs.parallel) }}', failFast: '${{ fromJSON(needs.setup.outputs.fast) }}' };
    expect(expand({ n: [1, 2] }, needs, options)).toMatchObject({ maxParallel: 3, failFast: false });
    expect(expand({ n: [1, 2] }, needs, { failFast: true })).toMatchObject({ maxParallel: 0, failFast: true });
    expect(() => expand({ n: [1] }, needs, { maxParallel: '${{ needs.setup.outputs.fast }}', failFast: true })).toThrowError(
      'jobs.deploy.strategy.max-parallel: evaluated to a string ("false"), not a whole number from 1',
    );
    expect(() => expand({ n: [1] }, needs, { maxParallel: '${{ 0 }}', failFast: true })).toThrowError('jobs.deploy.strategy.max-parallel: evaluated to a number (0), not a whole number from 1');
    expect(() => expand({ n: [1] }, needs, { failFast: '${{ 1 }}' })).toThrowError('jobs.deploy.strategy.fail-fast: evaluated to a number (1), not true or false');
  });

  it('refuses more than 256 cells, as GitHub does, counting after exclude and include', () => {
    const values = Array.from({ length: 16 }, (_, index) => index);
    expect(fromOutput({ a: values, b: values }).cells).toHaveLength(256);
    expect(() => fromOutput({ a: values, b: values, include: [{ a: 'extra' }] })).toThrowError(
      'jobs.deploy.strategy.matrix: the matrix expands to 257 combinations; at most 256 are allowed (as in GitHub Actions)',
    );
    expect(fromOutput({ a: [...values, 16], b: values, exclude: [{ a: 16 }] }).cells).toHaveLength(256);
    const wide = Array.from({ length: 400 }, (_, index) => index);
    expect(() => fromOutput({ a: wide, b: wide, c: wide })).toThrowError(
      'jobs.deploy.strategy.matrix: the matrix expands to 64000000 combinations before exclude; at most 256 are allowed (as in GitHub Actions)',
    );
  });
});
