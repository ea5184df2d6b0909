// Who a runner is and where it talks to, from its environment: the start runner state's overrides
// (STEPDEPLOY_RUNNER_ID, _EXECUTION_ARN, _JOB), the project's (STEPDEPLOY_RUNNER_TABLE) and, locally,
// the engine's endpoints. Every variable that steers the runner starts with STEPDEPLOY_RUNNER_ and is
// kept from the steps.

import { CHECKOUT_VARIABLE, GITHUB_VARIABLE } from '../asl/runner-context-seams';
import { cellOfRunnerId } from '../runtime/runners/keys';

export const RUNNER_VARIABLE_PREFIX = 'STEPDEPLOY_RUNNER_';

export const RunnerVariables = {
  id: 'STEPDEPLOY_RUNNER_ID',
  executionArn: 'STEPDEPLOY_RUNNER_EXECUTION_ARN',
  job: 'STEPDEPLOY_RUNNER_JOB',
  /** The job's id as written (STEPDEPLOY_RUNNER_JOB is its label, which may be shortened). */
  jobId: 'STEPDEPLOY_RUNNER_JOB_ID',
  /** The runner project's connected GitHub repository (https://github.com/<owner>/<name>), when there is one. */
  repository: 'STEPDEPLOY_RUNNER_REPOSITORY',
  /** Set when a checkout step needs a copy of the source the workspace starts with (lib/asl/runner.ts keepsSource). */
  keepSource: 'STEPDEPLOY_RUNNER_KEEP_SOURCE',
  /** Set for a job that does not read the repository (lib/asl/reads-repository.ts): its workspace starts empty. */
  emptyWorkspace: 'STEPDEPLOY_RUNNER_EMPTY_WORKSPACE',
  table: 'STEPDEPLOY_RUNNER_TABLE',
  /** Local only: the engine's DynamoDB, Step Functions and Secrets Manager endpoints and its credentials. */
  dynamodbEndpoint: 'STEPDEPLOY_RUNNER_DYNAMODB_ENDPOINT',
  stepFunctionsEndpoint: 'STEPDEPLOY_RUNNER_SFN_ENDPOINT',
  secretsManagerEndpoint: 'STEPDEPLOY_RUNNER_SECRETS_MANAGER_ENDPOINT',
  accessKeyId: 'STEPDEPLOY_RUNNER_ACCESS_KEY_ID',
  secretAccessKey: 'STEPDEPLOY_RUNNER_SECRET_ACCESS_KEY',
  /** Where step logs go (locally the engine's log folder of the execution); default under the runner's temp. */
  logDir: 'STEPDEPLOY_RUNNER_LOG_DIR',
  /** Local only: the runner appends each step's process group id here, so the engine can stop them if the runner died. */
  stepPidsFile: 'STEPDEPLOY_RUNNER_STEP_PIDS',
  /** Local only: the runner appends each AWS call it makes here (the engine's IAM record of a run). */
  callsFile: 'STEPDEPLOY_RUNNER_CALLS_FILE',
  /** 'true': the cell's job started after its run was cancelled (it runs on cancel); absent outside cancellable workflows. */
  startedOnCancel: 'STEPDEPLOY_RUNNER_STARTED_ON_CANCEL',
  /** Remote actions, `<owner>/<repo>/<sha>/…`: locally the actions cache; in AWS where the buildspec unpacked the actions asset. */
  actionsDir: 'STEPDEPLOY_RUNNER_ACTIONS_DIR',
  /** Exit after this long with no step (default 3600 s). */
  idleSeconds: 'STEPDEPLOY_RUNNER_IDLE_SECONDS',
  /** `min,max` (ms): the poll interval right after a step started or ended, and the back-off's ceiling while idle (default 50,1000). */
  pollMs: 'STEPDEPLOY_RUNNER_POLL_MS',
} as const;

/**
 * Locally the engine sends this over the runner's IPC channel when it wrote one of its work items, so
 * the runner polls at once instead of at the end of its wait. CodeBuild opens no such channel; the
 * work item and the poll that finds it are the same either way.
 */
export const RUNNER_WAKE_MESSAGE = 'stepdeploy:wake';

/**
 * Locally the runner sends this over its IPC channel once it has loaded and is about to poll: the
 * engine starts its warm runners only after its first runner is up, so that they never load beside it
 * (lib/local/warm-runners.ts). CodeBuild opens no channel, and nothing is sent.
 */
export const RUNNER_UP_MESSAGE = 'stepdeploy:up';

export interface RunnerIdentity {
  readonly runnerId: string;
  readonly executionArn: string;
  readonly job: string;
  /** The matrix cell index (`$.cell`, read from the runner id); absent for a job without a matrix. */
  readonly cell?: number;
  readonly table: string;
  /** CODEBUILD_BUILD_ID: what the status-change handler would stop. */
  readonly buildId: string;
  /** CODEBUILD_SRC_DIR: the cell's workspace. */
  readonly workspace: string;
  /** The cell's job started after its run was cancelled: a cancel marker found at start does not cancel it. */
  readonly startedOnCancel?: boolean;
}

export class RunnerConfigError extends Error {
  override readonly name = 'RunnerConfigError';
}

export function readIdentity(env: Readonly<Record<string, string | undefined>>): RunnerIdentity {
  const required = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') throw new RunnerConfigError(`stepdeploy runner: ${name} is not set (the start runner state and the runner project set it)`);
    return value;
  };
  const runnerId = required(RunnerVariables.id);
  const cell = cellOfRunnerId(runnerId);
  return {
    runnerId,
    executionArn: required(RunnerVariables.executionArn),
    job: required(RunnerVariables.job),
    ...(cell === undefined ? {} : { cell }),
    table: required(RunnerVariables.table),
    buildId: required('CODEBUILD_BUILD_ID'),
    workspace: required('CODEBUILD_SRC_DIR'),
    startedOnCancel: env[RunnerVariables.startedOnCancel] === 'true',
  };
}

/** What the start runner passes for the runner itself (the run's github context and checkout as JSON), not for steps. */
const RUNNER_INPUTS: ReadonlySet<string> = new Set([GITHUB_VARIABLE, CHECKOUT_VARIABLE]);

/** The environment a step starts from: the runner's own, without what steers the runner. */
export function stepBaseEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith(RUNNER_VARIABLE_PREFIX) && !RUNNER_INPUTS.has(entry[0]),
    ),
  );
}

/** The runner's poll intervals (RunnerVariables.pollMs). */
export function pollIntervals(value: string | undefined): { min: number; max: number } {
  if (value === undefined) return { min: 50, max: 1000 };
  const match = /^(\d+),(\d+)$/.exec(value);
  const [min, max] = match === null ? [0, 0] : [Number(match[1]), Number(match[2])];
  if (min < 1 || max < min) throw new RunnerConfigError(`stepdeploy runner: ${RunnerVariables.pollMs} must be 'min,max' in milliseconds with 1 ≤ min ≤ max, got '${value}'`);
  return { min, max };
}
