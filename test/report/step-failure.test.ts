import { describe, expect, it } from 'vitest';
import { failureHeadline, stepFailureDetails } from '../../lib/report/step-failure';

describe('stepFailureDetails', () => {
  it("reads a runner's StepFailed cause: exit code, the step's own last lines, its log", () => {
    const cause = JSON.stringify({ exitCode: 2, lastLines: ['npm ERR! test failed'], log: '/tmp/logs/x/test.unit_run.log', summary: 's' });
    const details = stepFailureDetails('StepFailed', cause);
    expect(details).toEqual({ source: 'runner', error: 'StepFailed', cause, exitCode: 2, lastLines: ['npm ERR! test failed'], log: '/tmp/logs/x/test.unit_run.log' });
    expect(failureHeadline(details)).toBe('StepFailed: exit code 2');
    expect(stepFailureDetails('StepFailed', JSON.stringify({ exitCode: null, lastLines: [] })).exitCode).toBeNull();
  });

  it("reads a CodeBuild build's cause: wrapper lines dropped, the exit status from CodeBuild's own line, the local path before the link", () => {
    const cause = JSON.stringify({
      Build: { BuildStatus: 'FAILED', Logs: { DeepLink: 'file:///tmp/l.log', LocalPath: '/tmp/l.log' } },
      LastLogLines: [
        '[Container] 2026-01-01T00:00:00Z Entering phase BUILD',
        '[Container] Running command export STEPDEPLOY_OUTPUT="$(mktemp)"',
        'compiling',
        'error: missing semicolon',
        '[Container] Command did not exit successfully export STEPDEPLOY_OUTPUT="$(mktemp)" exit status 3',
      ],
    });
    expect(stepFailureDetails('States.TaskFailed', cause)).toMatchObject({ source: 'build', exitCode: 3, lastLines: ['compiling', 'error: missing semicolon'], log: '/tmp/l.log' });
    // In AWS the build's cause has no lines: the log link is what there is.
    const aws = JSON.stringify({ Build: { Logs: { DeepLink: 'https://console.aws.amazon.com/cloudwatch/x' } } });
    expect(stepFailureDetails('States.TaskFailed', aws)).toMatchObject({ source: 'build', lastLines: [], log: 'https://console.aws.amazon.com/cloudwatch/x' });
  });

  it('keeps any other cause as text', () => {
    const details = stepFailureDetails('States.Timeout', 'Task timed out after 60 seconds');
    expect(details).toEqual({ source: 'other', error: 'States.Timeout', cause: 'Task timed out after 60 seconds', lastLines: [] });
    expect(failureHeadline(details)).toBe('States.Timeout: Task timed out after 60 seconds');
    expect(failureHeadline(stepFailureDetails('Lambda.Unknown', '{not json'))).toBe('Lambda.Unknown: {not json');
  });
});
