import { describe, expect, it } from 'vitest';
import { jobIdOfStartComment, jobLabel, jobStartComment, jobStartState, MAX_ID_LENGTH, parseStateName, stepRunState } from '../../lib/asl/names';

describe('job labels in state names', () => {
  const long = 'deploy-the-application-to-the-production-environment-in-every-region-we-serve-customers-from-today';

  it('keeps an id of up to 32 characters as it is', () => {
    expect(jobLabel('build')).toBe('build');
    expect(jobLabel('x'.repeat(MAX_ID_LENGTH))).toBe('x'.repeat(MAX_ID_LENGTH));
    expect(jobStartComment('build')).toBeUndefined();
  });

  it('shortens a longer id to a prefix and a hash of the whole id, still a valid name', () => {
    const label = jobLabel(long);
    expect(label).toMatch(/^deploy-the-application-_[0-9a-f]{8}$/);
    expect(label).toHaveLength(MAX_ID_LENGTH);
    expect(jobLabel(`${long}s`)).not.toBe(label);
    expect(stepRunState(long, 's'.repeat(MAX_ID_LENGTH)).length).toBeLessThanOrEqual(80);
    expect(parseStateName(jobStartState(long))).toEqual({ role: 'job-start', job: label });
  });

  it("names the full id in the start state's Comment", () => {
    expect(jobIdOfStartComment(jobStartComment(long))).toBe(long);
    expect(jobIdOfStartComment('Job build: 2 matrix cells.')).toBeUndefined();
  });
});
