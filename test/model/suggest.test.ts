import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from '../../lib/model/suggest';

describe('editDistance', () => {
  it.each([
    ['build', 'build', 0],
    ['biuld', 'build', 1],
    ['need', 'needs', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('%s → %s is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });
});

describe('did you mean', () => {
  it('suggests the closest candidate when it is a plausible typo', () => {
    expect(didYouMean('biuld', ['test', 'build', 'deploy'])).toBe(" — did you mean 'build'?");
    expect(closest('Build', ['build'])).toBe('build');
  });

  it('suggests nothing for unrelated names or exact matches', () => {
    expect(didYouMean('xyz', ['build', 'deploy'])).toBe('');
    expect(closest('build', ['build'])).toBeUndefined();
  });

  it('breaks ties by candidate order', () => {
    expect(closest('ab', ['ac', 'ad'])).toBe('ac');
  });
});
