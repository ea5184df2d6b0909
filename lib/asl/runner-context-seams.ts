// The seams of a job cell's runner (lib/asl/runner-seams.ts) filled from issue 9's model side:
// `runs-on` → the build's environment, and the run's github context and checkout → the runner's
// variables (the runner computes GitHub's default variables from them: lib/runtime/github-environment.ts).

import { runnerEnvironmentFor } from '../model/runner-labels';
import type { Job, Workflow } from '../model/workflow';
import type { RunnerEnvironment, RunnerSeams, RunnerVariable } from './runner-seams';
import type { JsonValue } from './types';

/** The runner's variables carrying `run.github` and `run.checkout` as JSON. */
export const GITHUB_VARIABLE = 'STEPDEPLOY_GITHUB';
export const CHECKOUT_VARIABLE = 'STEPDEPLOY_CHECKOUT';

const variables: readonly RunnerVariable[] = [
  { Name: GITHUB_VARIABLE, 'Value.$': 'States.JsonToString($.run.github)', Type: 'PLAINTEXT' },
  { Name: CHECKOUT_VARIABLE, 'Value.$': 'States.JsonToString($.run.checkout)', Type: 'PLAINTEXT' },
];

export function runnerContextSeams(workflow: Pick<Workflow, 'runnerLabels'>): RunnerSeams {
  return {
    source: () => ({}),
    environment: (job: Job): RunnerEnvironment | undefined =>
      job.runsOn.expression !== undefined || job.runsOn.labels.length === 0 ? undefined : runnerEnvironmentFor(job.runsOn.labels, workflow.runnerLabels),
    variables: () => variables,
  };
}

/**
 * The start runner's environment parameters when `runs-on` is an expression: the job start state
 * evaluated it for the cell into `$.job.runnerEnvironment` (lib/runtime/evaluate/job-start.ts).
 */
export function evaluatedEnvironmentParameters(job: Job): Record<string, JsonValue> {
  if (job.runsOn.expression === undefined) return {};
  return {
    'ImageOverride.$': '$.job.runnerEnvironment.image',
    'ComputeTypeOverride.$': '$.job.runnerEnvironment.computeType',
    'EnvironmentTypeOverride.$': '$.job.runnerEnvironment.environmentType',
  };
}
