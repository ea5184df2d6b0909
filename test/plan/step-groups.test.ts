import { describe, expect, it } from 'vitest';
import { groupSteps } from '../../lib/plan/step-groups';
import { job } from './build-workflow';

const groups = (steps: string[]): string[][] => groupSteps(job('j', { steps }).steps).map((group) => group.map((step) => step.id));

describe('groupSteps', () => {
  it('gives each ordinary step its own group, in order', () => {
    expect(groups(['checkout', 'build', 'test'])).toEqual([['checkout'], ['build'], ['test']]);
  });

  it('joins consecutive parallel steps to the step before them', () => {
    expect(groups(['a', '+b', 'c', '+d', '+e'])).toEqual([['a', 'b'], ['c', 'd', 'e']]);
  });

  it('starts a group with a parallel first step, as there is nothing before it', () => {
    expect(groups(['+a', '+b', 'c'])).toEqual([['a', 'b'], ['c']]);
  });

  it('has no groups for a job without steps', () => {
    expect(groups([])).toEqual([]);
  });
});
