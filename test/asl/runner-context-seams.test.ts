import { describe, expect, it } from 'vitest';
import { runnerContextSeams } from '../../lib/asl/runner-context-seams';
import { seamParameters } from '../../lib/asl/runner-seams';
import { loadWorkflowText } from '../../lib/model/load';

const job = loadWorkflowText('on: push\njobs:\n  plain:\n    steps: [{ run: a }]\n', 'w.yml').workflow!.jobs[0]!;

describe('runnerContextSeams', () => {
  it('hands the runner the run’s github context and checkout as JSON variables, and adds no StartBuild parameter', () => {
    expect(runnerContextSeams.variables(job)).toEqual([
      { Name: 'STEPDEPLOY_GITHUB', 'Value.$': 'States.JsonToString($.run.github)', Type: 'PLAINTEXT' },
      { Name: 'STEPDEPLOY_CHECKOUT', 'Value.$': 'States.JsonToString($.run.checkout)', Type: 'PLAINTEXT' },
    ]);
    expect(seamParameters(runnerContextSeams, job)).toEqual({});
  });
});
