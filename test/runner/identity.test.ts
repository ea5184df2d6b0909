import { describe, expect, it } from 'vitest';
import { pollIntervals, readIdentity, stepBaseEnvironment } from '../../lib/runner/identity';

const arn = 'arn:aws:states:us-east-1:000000000000:execution:StepDeploy_w:run-1';
const env = {
  STEPDEPLOY_RUNNER_ID: `${arn}#deploy#2`,
  STEPDEPLOY_RUNNER_EXECUTION_ARN: arn,
  STEPDEPLOY_RUNNER_JOB: 'deploy',
  STEPDEPLOY_RUNNER_TABLE: 'table',
  CODEBUILD_BUILD_ID: 'runner:1',
  CODEBUILD_SRC_DIR: '/src',
  STEPDEPLOY_GITHUB: '{"sha":"abc"}',
  STEPDEPLOY_CHECKOUT: '{"kind":"working-tree"}',
  STEPDEPLOY_JOB: 'deploy',
  PATH: '/usr/bin',
};

describe('the runner’s identity', () => {
  it('names its cell, from the runner id', () => {
    expect(readIdentity(env)).toMatchObject({ runnerId: `${arn}#deploy#2`, job: 'deploy', cell: 2, workspace: '/src' });
    expect(readIdentity({ ...env, STEPDEPLOY_RUNNER_ID: `${arn}#deploy` })).not.toHaveProperty('cell');
  });

  it('keeps what steers the runner from its steps: STEPDEPLOY_RUNNER_*, and the github context and checkout it was given', () => {
    expect(stepBaseEnvironment(env)).toEqual({ CODEBUILD_BUILD_ID: 'runner:1', CODEBUILD_SRC_DIR: '/src', STEPDEPLOY_JOB: 'deploy', PATH: '/usr/bin' });
  });

  it('polls at 50 ms after a step, backing off to 1 s, unless STEPDEPLOY_RUNNER_POLL_MS says otherwise', () => {
    expect(pollIntervals(undefined)).toEqual({ min: 50, max: 1000 });
    expect(pollIntervals('200,60000')).toEqual({ min: 200, max: 60000 });
    expect(() => pollIntervals('500,100')).toThrow("stepdeploy runner: STEPDEPLOY_RUNNER_POLL_MS must be 'min,max' in milliseconds with 1 ≤ min ≤ max, got '500,100'");
    expect(() => pollIntervals('fast')).toThrow("got 'fast'");
  });
});
