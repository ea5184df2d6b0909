// The seams of a job cell's runner (lib/asl/runner-seams.ts) filled from issue 9's model side: the
// run's github context and checkout → the runner's variables (the runner computes GitHub's default
// variables from them: lib/runtime/github-environment.ts). `runs-on` goes through
// lib/asl/runner-environment.ts startBuildOverrides.

import type { RunnerSeams, RunnerVariable } from './runner-seams';

/** The runner's variables carrying `run.github` and `run.checkout` as JSON. */
export const GITHUB_VARIABLE = 'STEPDEPLOY_GITHUB';
export const CHECKOUT_VARIABLE = 'STEPDEPLOY_CHECKOUT';

const variables: readonly RunnerVariable[] = [
  { Name: GITHUB_VARIABLE, 'Value.$': 'States.JsonToString($.run.github)', Type: 'PLAINTEXT' },
  { Name: CHECKOUT_VARIABLE, 'Value.$': 'States.JsonToString($.run.checkout)', Type: 'PLAINTEXT' },
];

export const runnerContextSeams: RunnerSeams = {
  sources: () => [],
  environment: () => undefined,
  variables: () => variables,
};
