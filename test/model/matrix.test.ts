import { describe, expect, it } from 'vitest';
import { crossProductSize, expandMatrix, unmatchedExcludes } from '../../lib/model/matrix';
import type { Json, Matrix } from '../../lib/model/workflow';

const matrix = (
  dimensions: Record<string, Json[]>,
  include: Record<string, Json>[] = [],
  exclude: Record<string, Json>[] = [],
): Matrix => ({ dimensions, include, exclude });

describe('expandMatrix (GitHub: "Using a matrix for your jobs")', () => {
  it('takes the cross product of the dimensions in key order', () => {
    expect(expandMatrix(matrix({ version: [10, 12, 14], os: ['ubuntu-latest', 'windows-latest'] }))).toEqual([
      { version: 10, os: 'ubuntu-latest' },
      { version: 10, os: 'windows-latest' },
      { version: 12, os: 'ubuntu-latest' },
      { version: 12, os: 'windows-latest' },
      { version: 14, os: 'ubuntu-latest' },
      { version: 14, os: 'windows-latest' },
    ]);
  });

  it('expands the documented fruit/animal include example exactly', () => {
    const cells = expandMatrix(
      matrix({ fruit: ['apple', 'pear'], animal: ['cat', 'dog'] }, [
        { color: 'green' },
        { color: 'pink', animal: 'cat' },
        { fruit: 'apple', shape: 'circle' },
        { fruit: 'banana' },
        { fruit: 'banana', animal: 'cat' },
      ]),
    );
    expect(cells).toEqual([
      { fruit: 'apple', animal: 'cat', color: 'pink', shape: 'circle' },
      { fruit: 'apple', animal: 'dog', color: 'green', shape: 'circle' },
      { fruit: 'pear', animal: 'cat', color: 'pink' },
      { fruit: 'pear', animal: 'dog', color: 'green' },
      { fruit: 'banana' },
      { fruit: 'banana', animal: 'cat' },
    ]);
  });

  it('removes the documented excluded combinations (partial matches)', () => {
    const cells = expandMatrix(
      matrix({ os: ['macos-latest', 'windows-latest'], version: [12, 14, 16], environment: ['staging', 'production'] }, [], [
        { os: 'macos-latest', version: 12, environment: 'production' },
        { os: 'windows-latest', version: 16 },
      ]),
    );
    expect(cells).toHaveLength(12 - 1 - 2);
    expect(cells).not.toContainEqual({ os: 'macos-latest', version: 12, environment: 'production' });
    expect(cells.filter((cell) => cell.os === 'windows-latest' && cell.version === 16)).toEqual([]);
  });

  it('adds an include entry that matches no combination as a new combination (documented example)', () => {
    const cells = expandMatrix(
      matrix({ os: ['windows-latest', 'ubuntu-latest'], node: [14, 16] }, [
        { os: 'windows-latest', node: 16, npm: 6 },
        { os: 'macos-latest', node: 18 },
      ]),
    );
    expect(cells).toEqual([
      { os: 'windows-latest', node: 14 },
      { os: 'windows-latest', node: 16, npm: 6 },
      { os: 'ubuntu-latest', node: 14 },
      { os: 'ubuntu-latest', node: 16 },
      { os: 'macos-latest', node: 18 },
    ]);
  });

  it('turns every include entry into a combination when there are no dimensions', () => {
    expect(expandMatrix(matrix({}, [{ site: 'production', datacenter: 'site-a' }, { site: 'staging', datacenter: 'site-b' }]))).toEqual([
      { site: 'production', datacenter: 'site-a' },
      { site: 'staging', datacenter: 'site-b' },
    ]);
  });

  it('lets include add back a combination that exclude removed', () => {
    const cells = expandMatrix(matrix({ os: ['linux', 'windows'] }, [{ os: 'windows' }], [{ os: 'windows' }]));
    expect(cells).toEqual([{ os: 'linux' }, { os: 'windows' }]);
  });

  it('compares object values deeply in exclude and include', () => {
    const small = { cpu: 1, memory: 2 };
    const large = { cpu: 4, memory: 8 };
    const cells = expandMatrix(
      matrix({ size: [small, large] }, [{ size: { memory: 8, cpu: 4 }, tier: 'big' }], [{ size: { memory: 2, cpu: 1 } }]),
    );
    expect(cells).toEqual([{ size: large, tier: 'big' }]);
  });

  it('yields no combinations when a dimension is empty', () => {
    expect(expandMatrix(matrix({ os: ['linux'], node: [] }))).toEqual([]);
  });
});

describe('crossProductSize and unmatchedExcludes', () => {
  it('counts the cross product without expanding it', () => {
    expect(crossProductSize(matrix({ a: [1, 2, 3], b: [1, 2], c: [true] }))).toBe(6);
    expect(crossProductSize(matrix({}))).toBe(0);
  });

  it('names the exclude entries that match nothing', () => {
    const m = matrix({ os: ['linux', 'windows'] }, [], [{ os: 'linux' }, { os: 'macos' }, { os: 'windows' }, { os: 'beos' }]);
    expect(unmatchedExcludes(m)).toEqual([1, 3]);
  });
});
