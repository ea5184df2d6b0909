import { describe, expect, it } from 'vitest';
import { cellLabel, matrixLabel, stepKey } from '../../lib/report/labels';

describe('labels', () => {
  it('names a job without matrix by its id', () => {
    expect(cellLabel('deploy')).toBe('deploy');
    expect(stepKey('deploy', 'migrate')).toBe('deploy › migrate');
  });

  it('names a cell by its matrix values in the matrix order; non-strings as JSON', () => {
    const matrix = { region: 'eu-west-1', shard: 2, target: { os: 'linux' } };
    expect(matrixLabel(matrix)).toBe('region=eu-west-1, shard=2, target={"os":"linux"}');
    expect(cellLabel('deploy', matrix)).toBe('deploy (region=eu-west-1, shard=2, target={"os":"linux"})');
    expect(stepKey('deploy', 'migrate', { region: 'eu-west-1' })).toBe('deploy › migrate (region=eu-west-1)');
  });
});
