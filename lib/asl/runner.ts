// A job cell's runner as states (docs/architecture.md, "Job runners"): `<job>: start runner` starts
// the cell's build once the cell may run, every `run` step is handed to it on a task token, and
// `<job>: stop runner` asks it to exit on every path out of the steps.

import type { ActionStep, CheckoutStep, Job, RunStep, Step } from '../model/workflow';
import { actionInputEnv } from './action-inputs';
import { hasExpression } from '../expressions';
import { readsRunnerOnlyField } from '../model/runner-side';
import { liftScriptExpressions, liftWorkingDirectory, WORKING_DIRECTORY_VARIABLE } from './script-expressions';
import { RUN_EXECUTION } from './coordination';
import { jobLabel } from './names';
import { readsRepository } from './reads-repository';
import type { RuntimeRefs } from './refs';
import { lambdaServiceRetry } from './retries';
import { seamParameters, type RunnerSeams } from './runner-seams';
import { TaskResources, type JsonValue, type Retrier, type TaskState } from './types';

/** A step's heartbeat window by default: a runner that died fails its step within this. */
export const DEFAULT_HEARTBEAT_SECONDS = 60;

/** Where the start runner state keeps the build: `$.job.runner.build`. */
export const RUNNER_PATH = '$.job.runner';

/** The runner id: `<run execution>#<job>[#<cell>]`, the same string as the job's lock holder. */
export function cellIdExpression(job: Job, hasMatrix: boolean, prefix = ''): string {
  return hasMatrix ? `States.Format('${prefix}{}#${job.id}#{}', ${RUN_EXECUTION}, $.cell)` : `States.Format('${prefix}{}#${job.id}', ${RUN_EXECUTION})`;
}

/** A step its cell's runner runs: a `run` script, an action of the repository, or the checkout. */
export type RunnerStep = RunStep | ActionStep | CheckoutStep;

export const runsOnRunner = (step: Step): step is RunnerStep => step.kind === 'run' || step.kind === 'action' || step.kind === 'checkout';

/** Whether the cell needs a runner at all: a cell of `uses: aws/lambda` steps only does not. */
export const needsRunner = (job: Job): boolean => job.steps.some(runsOnRunner);

/**
 * Every env template of a step: its `env:`, then (run steps) the script's lifted expressions and an
 * evaluated working-directory. `onRunner`: those reading a field only the runner knows
 * (lib/model/runner-side.ts), which the runner evaluates; `evaluated`: the rest, for the prepare state.
 */
export function stepEnvTemplates(step: Step): { readonly evaluated: Record<string, string>; readonly onRunner: Record<string, string> } {
  const all: Record<string, string> = { ...step.env };
  if (step.kind === 'run') Object.assign(all, liftScriptExpressions(step.run).expressions, liftWorkingDirectory(step).expressions);
  if (step.kind === 'action') Object.assign(all, actionInputEnv(step));
  const evaluated: Record<string, string> = {};
  const onRunner: Record<string, string> = {};
  for (const [name, template] of Object.entries(all)) {
    if ((step.kind === 'run' || step.kind === 'action') && readsRunnerOnlyField(template)) onRunner[name] = template;
    else evaluated[name] = template;
  }
  return { evaluated, onRunner };
}

/**
 * Whether the runner must keep a copy of the source it starts with: the workspace holds it at start,
 * so only a checkout that is not the cell's first step, or that fills a folder of the workspace,
 * needs the copy to write from.
 */
export function keepsSource(job: Job): boolean {
  return job.steps.some((step, index) => step.kind === 'checkout' && (index > 0 || step.path !== '' || job.steps[1]?.parallel === true));
}

/**
 * CodeBuild refuses starts beyond the account's concurrent build (and queued build) quota: builds take
 * minutes to free a slot, so wait long, capped, with full jitter so that the cells of a wide matrix
 * that were refused together do not all come back at once. Worst case ≈ 19 minutes of waiting.
 */
export const startQuotaRetry: Retrier = {
  ErrorEquals: ['CodeBuild.AccountLimitExceededException'],
  IntervalSeconds: 10,
  MaxAttempts: 8,
  BackoffRate: 2,
  MaxDelaySeconds: 300,
  JitterStrategy: 'FULL',
};

/**
 * A throttled StartBuild ("Rate exceeded"). CodeBuild models no throttling error of its own, so the
 * optimized integration reports it as the SDK's base exception of the service: `CodeBuild.AWSCodeBuildException`
 * (the Java SDK v1 class; Step Functions' other integrations name errors so: `Lambda.AWSLambdaException`,
 * `DynamoDB.AmazonDynamoDBException`), `CodeBuild.CodeBuildException` in SDK v2's naming. The same names
 * carry CodeBuild's 5xx errors, which are worth a retry too. Retried quickly, capped, with full jitter.
 */
export const startThrottleRetry: Retrier = {
  ErrorEquals: ['CodeBuild.AWSCodeBuildException', 'CodeBuild.CodeBuildException'],
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
  MaxDelaySeconds: 60,
  JitterStrategy: 'FULL',
};

/** `environment`: the runs-on overrides (lib/asl/runner-environment.ts). */
export function startRunnerTask(
  refs: RuntimeRefs,
  seams: RunnerSeams,
  job: Job,
  hasMatrix: boolean,
  environment: Readonly<Record<string, JsonValue>>,
  next: string,
  onFailure: string,
  /** The workflow runs jobs or steps on cancel: the runner learns whether its job started after the run's cancel. */
  cancellable = false,
): TaskState {
  const variable = (Name: string, value: { Value: string } | { 'Value.$': string }): JsonValue => ({ Name, ...value, Type: 'PLAINTEXT' });
  return {
    Type: 'Task',
    Resource: TaskResources.codeBuildStartBuild,
    Comment: `Starts the runner of ${job.id}: one build for all of the cell's steps.`,
    Parameters: {
      ProjectName: refs.runnerProjectName,
      EnvironmentVariablesOverride: [
        variable('STEPDEPLOY_RUNNER_ID', { 'Value.$': cellIdExpression(job, hasMatrix) }),
        // The execution running the cell (a Distributed Map's child): what the runner watches.
        variable('STEPDEPLOY_RUNNER_EXECUTION_ARN', { 'Value.$': '$$.Execution.Id' }),
        // The job as state names show it: the runner names step logs after their states.
        variable('STEPDEPLOY_RUNNER_JOB', { Value: jobLabel(job.id) }),
        // GITHUB_JOB / github.job: the id itself (the label may be shortened).
        variable('STEPDEPLOY_RUNNER_JOB_ID', { Value: job.githubJob ?? job.id }),
        ...(keepsSource(job) ? [variable('STEPDEPLOY_RUNNER_KEEP_SOURCE', { Value: 'true' })] : []),
        // A job that neither checks out nor runs an action of the repository starts empty, as on GitHub.
        ...(readsRepository(job) ? [] : [variable('STEPDEPLOY_RUNNER_EMPTY_WORKSPACE', { Value: 'true' })]),
        // 'true': the job started in a cancelled run (its if: calls always() or cancelled()), so its steps run as usual.
        ...(cancellable ? [variable('STEPDEPLOY_RUNNER_STARTED_ON_CANCEL', { 'Value.$': "States.Format('{}', $.job.cancelSeen)" })] : []),
        ...(seams.variables(job) as unknown as JsonValue[]),
      ],
      ...environment,
      ...seamParameters(seams, job),
    },
    ResultSelector: { 'build.$': '$.Build.Id' },
    ResultPath: RUNNER_PATH,
    Retry: [startQuotaRetry, startThrottleRetry],
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: `${RUNNER_PATH}Error`, Next: onFailure }],
    Next: next,
  };
}

/** Writes the runner's stop item; a failure here is not the job's (the runner also stops by itself). */
export function stopRunnerTask(refs: RuntimeRefs, job: Job, hasMatrix: boolean, next: string): TaskState {
  return {
    Type: 'Task',
    Resource: TaskResources.dynamodbPutItem,
    Comment: 'Asks the runner to exit (lib/runtime/runners/keys.ts: runner#<id> / stop).',
    Parameters: {
      TableName: refs.tableName,
      Item: { pk: { 'S.$': cellIdExpression(job, hasMatrix, 'runner#') }, sk: { S: 'stop' }, reason: { S: 'the cell ended' } },
    },
    ResultPath: null,
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: next }],
    Next: next,
  };
}

export interface RunStepTaskOptions {
  readonly refs: RuntimeRefs;
  readonly job: Job;
  readonly step: RunnerStep;
  /** The step's place in the job (0-based). */
  readonly seq: number;
  readonly hasMatrix: boolean;
  readonly prepared: boolean;
  readonly heartbeatSeconds: number;
  readonly timeoutSeconds: number;
  /** Its `if:` calls always() or cancelled(): a cancelled runner still runs it. */
  readonly runsOnCancel?: boolean;
}

/** The step as its runner's work: the Task waits on its token until the runner answers it. */
export function runStepTask(options: RunStepTaskOptions): Pick<TaskState, 'Resource' | 'Parameters' | 'HeartbeatSeconds'> & { Retry: Retrier[] } {
  const { step } = options;
  // Step Functions wants the heartbeat shorter than the timeout.
  const heartbeatSeconds = Math.min(options.heartbeatSeconds, options.timeoutSeconds - 1);
  const payload: Record<string, JsonValue> = {
    op: 'step',
    'runner.$': cellIdExpression(options.job, options.hasMatrix),
    seq: options.seq,
    step: step.id,
    script: step.kind === 'run' ? liftScriptExpressions(step.run).script : '',
    shell: 'bash',
  };
  if (step.kind === 'checkout') payload.checkout = { path: step.path };
  else if (step.kind === 'action') {
    // The runner reads the action from the workspace; the inputs given are INPUT_<ID> in the env list.
    payload.action = { stage: 'main', path: step.path, uses: step.uses, with: Object.keys(step.with), ...remoteActionFields(step), ...nestedActionFields(step) };
  } else if (step.workingDirectory !== undefined && hasExpression(step.workingDirectory)) {
    // A working-directory with expressions was evaluated by the prepare state (or, reading runner fields, is by the runner) into a variable.
    payload.workingDirectoryVariable = WORKING_DIRECTORY_VARIABLE;
  } else if (step.workingDirectory !== undefined) payload.workingDirectory = step.workingDirectory;
  payload['env.$'] = options.prepared ? '$.prepared.env' : '$.job.envList';
  const onRunner = stepEnvTemplates(step).onRunner;
  if (Object.keys(onRunner).length > 0) payload.runnerEnv = onRunner;
  payload.heartbeatSeconds = heartbeatSeconds;
  if (options.runsOnCancel === true) payload.runsOnCancel = true;
  payload['taskToken.$'] = '$$.Task.Token';
  return {
    Resource: TaskResources.lambdaInvokeWaitForToken,
    Parameters: { FunctionName: options.refs.runnerDispatchFunctionArn, Payload: payload },
    HeartbeatSeconds: heartbeatSeconds,
    Retry: [lambdaServiceRetry],
  };
}

/**
 * The locked commits of the remote actions a composite's steps use (the runner has no lock to read):
 * a list, so no ref becomes a key of the state's Parameters. An unlocked one is left out.
 */
function nestedActionFields(step: ActionStep): { nested?: { action: string; ref: string; sha: string }[] } {
  const locked = (step.nested ?? []).flatMap(({ action, ref, sha }) => (sha === undefined ? [] : [{ action, ref, sha }]));
  return locked.length === 0 ? {} : { nested: locked };
}

/** A remote action's repository and locked commit (the runner reads it from the bundled actions); absent sha: not locked yet. */
export function remoteActionFields(step: ActionStep): Record<string, string> {
  if (step.remote === undefined) return {};
  return { repository: step.remote.action, ...(step.remote.sha !== undefined && { sha: step.remote.sha }) };
}
