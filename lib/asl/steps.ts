// A job cell's steps as states. A cell's data is
//   { run, needs, matrix?, cell?, steps: { <id>: record }, job: { run, status, env, envList, lock } }
// and `$.job.status` ('success' | 'failure') is what `success()` / `failure()` read.
//
// Each step has three ways in, by what is known of the status when we get there:
//   ok      — every earlier step succeeded: a plain step runs at once (no gate on the happy path);
//   fail    — an earlier step failed: a plain step is skipped without evaluating anything;
//   unknown — after a step with its own `if`, or a parallel group: a Choice on the status decides.
// A step with an `if` is entered the same way under all three: its prepare state evaluates the
// condition with the status in hand.

import { hasExpression, runsOnCancel } from '../expressions';
import type { Job, Step, Workflow } from '../model/workflow';
import { CANCELLED_ERROR } from './cancellable';
import { runStepTask, runsOnRunner, stepEnvTemplates } from './runner';
import { jobLabel, stepRunState, stepSkipState } from './names';
import { splitSecretEnv } from './secret-env';
import { stepDisplayName } from './step-display-name';
import { dataKey } from './paths';
import type { RuntimeRefs } from './refs';
import { RUN_EXECUTION, windowSlotTasks } from './coordination';
import { mergeAll } from './merge';
import { lambdaServiceRetry } from './retries';
import type { StateSet } from './state-set';
import { TaskResources, type JsonValue, type Retrier, type TaskState } from './types';

/** Where to go next under each status of the job so far. */
export interface Entries {
  readonly ok: string;
  readonly fail: string;
  readonly unknown: string;
}

export interface StepContext {
  readonly set: StateSet;
  readonly job: Job;
  readonly refs: RuntimeRefs;
  /** Whether the cell's data has `matrix` and `cell` (a matrix job): window holders name the cell. */
  readonly hasMatrix: boolean;
  /** Workflow-level `max-parallel` when this cell's steps take a slot each: at most this many steps of the execution run at once. */
  readonly window: number | undefined;
  /** A run step's HeartbeatSeconds (lib/asl/runner.ts). */
  readonly heartbeatSeconds: number;
  /** What runs-on is resolved against. */
  readonly workflow: Pick<Workflow, 'on' | 'runnerLabels'>;
  /** The workflow runs jobs or steps on cancel: a run step's `Cancelled` makes the job's status `cancelled`. */
  readonly cancellable?: boolean;
}

/** Renders the step groups backwards from `after`, returning the entries of the first group. */
export function renderSteps(ctx: StepContext, groups: readonly (readonly Step[])[], after: Entries): Entries {
  let next = after;
  for (const group of [...groups].reverse()) {
    const only = group[0];
    next = group.length === 1 && only !== undefined ? renderStep(ctx, only, next) : renderGroup(ctx, group, next);
  }
  return next;
}

function renderStep(ctx: StepContext, step: Step, next: Entries): Entries {
  const { set, job } = ctx;
  const guarded = step.if !== undefined;
  const skip = set.add(stepSkipState(job.id, step.id), {
    Type: 'Pass',
    Comment: guarded ? 'The step’s if: was false.' : 'An earlier step failed.',
    Result: { outcome: 'skipped' },
    ResultPath: stepRecordPath(step),
    Next: guarded ? next.unknown : next.fail,
  });
  const prepared = needsPrepare(step);
  const onSuccess = guarded ? next.unknown : next.ok;
  const { afterRun: onFailure, afterPrepare } = failureHandling(ctx, step, onSuccess, next.fail);
  const slot = windowSlot(ctx, step, onSuccess, onFailure);
  // A cancelled run step (its runner got the run's cancel): the job is cancelled, not failed, and continue-on-error does not apply.
  const onCancel =
    ctx.cancellable === true && (step.kind === 'run' || step.kind === 'action')
      ? set.add(`${jobLabel(job.id)}.${step.id}: cancelled`, { Type: 'Pass', Result: 'cancelled', ResultPath: '$.job.status', Next: slot?.releaseAfterCancel(next.fail) ?? next.fail })
      : undefined;
  const run = set.add(stepRunState(job.id, step.id), runTask(ctx, step, prepared, slot?.release ?? onSuccess, slot?.releaseAfterFailure ?? onFailure, onCancel));
  // With a window, a step takes its slot right before it runs, whatever came first.
  const runs = slot === undefined ? run : set.add(slot.name, { ...slot.acquire, Next: run });
  let start = runs;
  if (guarded) {
    const decide = set.add(`${jobLabel(job.id)}.${step.id}: if`, {
      Type: 'Choice',
      Choices: [{ Variable: '$.prepared.run', BooleanEquals: true, Next: runs }],
      Default: skip,
    });
    start = set.add(`${jobLabel(job.id)}.${step.id}: prepare`, prepareTask(ctx, step, decide, afterPrepare));
    return { ok: start, fail: start, unknown: start };
  }
  if (prepared) start = set.add(`${jobLabel(job.id)}.${step.id}: prepare`, prepareTask(ctx, step, runs, afterPrepare));
  return { ok: start, fail: skip, unknown: statusGate(set, `${jobLabel(job.id)}.${step.id}: gate`, start, skip) };
}

/**
 * Steps that start together. Every branch enters its step through the `unknown` way (the status
 * is in the branch's input) and ends with only its step records and status, so the cell's data
 * (which holds the trigger event) is not copied once per branch; the merged records replace
 * `$.steps`, and a failure in any branch fails the job.
 */
function renderGroup(ctx: StepContext, group: readonly Step[], next: Entries): Entries {
  const { job } = ctx;
  const first = group[0]!;
  const branches = group.map((step) => {
    const set = ctx.set.branch();
    const done = set.add(`${jobLabel(job.id)}.${step.id}: done`, { Type: 'Pass', Parameters: { 'steps.$': '$.steps', 'status.$': '$.job.status' }, End: true });
    const entries = renderStep({ ...ctx, set }, step, { ok: done, fail: done, unknown: done });
    return { StartAt: entries.unknown, States: set.states };
  });
  const markFailed = ctx.set.add(`${jobLabel(job.id)}.${first.id}: group failed`, {
    Type: 'Pass',
    Result: 'failure',
    ResultPath: '$.job.status',
    Next: next.fail,
  });
  const afterGroup = ctx.set.add(`${jobLabel(job.id)}.${first.id}: group ok?`, {
    Type: 'Choice',
    Choices: [{ Variable: '$.group.failed', BooleanEquals: true, Next: markFailed }],
    Default: next.unknown,
  });
  const adopt = ctx.set.add(`${jobLabel(job.id)}.${first.id}: group records`, {
    Type: 'Pass',
    InputPath: '$.group.steps',
    ResultPath: '$.steps',
    Next: afterGroup,
  });
  const groupName = ctx.set.add(`${jobLabel(job.id)}.${first.id}: parallel steps`, {
    Type: 'Parallel',
    Comment: `Steps ${group.map((step) => step.id).join(', ')} start together.`,
    Branches: branches,
    ResultSelector: {
      'steps.$': mergeAll(group.map((_step, index) => `$[${index}].steps`)),
      // States.Array of explicit paths rather than a `$[*]` wildcard inside an intrinsic.
      'failed.$': `States.ArrayContains(States.Array(${group.map((_step, index) => `$[${index}].status`).join(', ')}), 'failure')`,
    },
    ResultPath: '$.group',
    Next: adopt,
  });
  return { ok: groupName, fail: groupName, unknown: groupName };
}

function runTask(ctx: StepContext, step: Step, prepared: boolean, onSuccess: string, onFailure: string, onCancel?: string): TaskState {
  const { job, refs } = ctx;
  const timeoutSeconds = stepTimeoutSeconds(job, step);
  // A cancelled step is not retried (the first retrier that names an error decides).
  const noRetryOnCancel: Retrier[] = onCancel !== undefined && step.retry !== undefined ? [{ ErrorEquals: [CANCELLED_ERROR], MaxAttempts: 0 }] : [];
  const userRetry = step.retry === undefined ? [] : [...noRetryOnCancel, retrier(step.retry)];
  const common = {
    Type: 'Task' as const,
    Comment: stepDisplayName(step),
    TimeoutSeconds: timeoutSeconds,
    ResultPath: stepRecordPath(step),
    ...(userRetry.length > 0 ? { Retry: userRetry } : {}),
    Catch: [
      ...(onCancel !== undefined ? [{ ErrorEquals: [CANCELLED_ERROR], ResultPath: stepRecordPath(step), Next: onCancel }] : []),
      { ErrorEquals: ['States.ALL'], ResultPath: stepRecordPath(step), Next: onFailure },
    ],
    Next: onSuccess,
  };
  if (runsOnRunner(step)) {
    // The runner's answer ({ outcome, outputFileBase64, summary? }) is the step's record as it is.
    const task = runStepTask({
      refs,
      job,
      step,
      seq: job.steps.indexOf(step),
      hasMatrix: ctx.hasMatrix,
      prepared,
      heartbeatSeconds: ctx.heartbeatSeconds,
      timeoutSeconds,
      ...(onCancel !== undefined && runsOnCancel(step.if) ? { runsOnCancel: true } : {}),
    });
    return { ...common, ...task, Retry: [...task.Retry, ...userRetry] };
  }
  return {
    ...common,
    Resource: TaskResources.lambdaInvoke,
    Parameters: {
      ...(prepared ? { 'FunctionName.$': '$.prepared.function', 'Payload.$': '$.prepared.payload' } : { FunctionName: step.function, Payload: step.payload as JsonValue }),
    },
    ResultSelector: { outcome: 'success', 'outputs.$': '$.Payload' },
  };
}

/**
 * Evaluates a step's `if:`, env and payload. An expression that fails at run time fails the step
 * (recorded like any step failure), not the run.
 */
function prepareTask(ctx: StepContext, step: Step, next: string, onFailure: string): TaskState {
  // Templates reading fields only the runner knows go to the runner instead (runStepTask's runnerEnv).
  const env = stepEnvTemplates(step).evaluated;
  const payload: Record<string, JsonValue> = { op: 'step.prepare', job: ctx.job.id, step: step.id, kind: step.kind };
  if (ctx.job.githubJob !== undefined) payload.githubJob = ctx.job.githubJob;
  if (step.if !== undefined) payload.if = step.if;
  if (typeof step.continueOnError === 'string') payload.continueOnError = step.continueOnError;
  if (step.kind === 'lambda') Object.assign(payload, { function: step.function, payload: step.payload as JsonValue });
  const split = splitSecretEnv(env);
  payload.env = split.env;
  if (Object.keys(split.secrets).length > 0) payload.secrets = split.secrets;
  payload['context.$'] = '$';
  const selector: Record<string, JsonValue> = { 'run.$': '$.Payload.run', 'env.$': '$.Payload.env' };
  if (step.kind === 'lambda') Object.assign(selector, { 'function.$': '$.Payload.function', 'payload.$': '$.Payload.payload' });
  if (typeof step.continueOnError === 'string') selector['continueOnError.$'] = '$.Payload.continueOnError';
  return {
    Type: 'Task',
    Resource: TaskResources.lambdaInvoke,
    Parameters: { FunctionName: ctx.refs.evaluateFunctionArn, Payload: payload },
    ResultSelector: selector,
    ResultPath: '$.prepared',
    Retry: [lambdaServiceRetry],
    Catch: [{ ErrorEquals: ['ExpressionFailed', 'StepOutputError'], ResultPath: stepRecordPath(step), Next: onFailure }],
    Next: next,
  };
}

/**
 * The workflow's max-parallel window, per step (a cell with `parallel: true` steps; a cell whose
 * steps run one at a time holds one slot for all of them, lib/asl/job.ts): a step takes a slot of the
 * execution's window group before it runs and gives it back after, whatever the outcome. Waiting for
 * a slot parks on a task token.
 */
function windowSlot(ctx: StepContext, step: Step, onSuccess: string, onFailure: string) {
  if (ctx.window === undefined) return undefined;
  const { set, job, refs } = ctx;
  const holder = ctx.hasMatrix
    ? `States.Format('{}#${job.id}#{}#${step.id}', ${RUN_EXECUTION}, $.cell)`
    : `States.Format('{}#${job.id}#${step.id}', ${RUN_EXECUTION})`;
  const slot = windowSlotTasks(refs, ctx.window, holder);
  const release = (name: string, next: string): string => set.add(name, slot.release(next));
  return {
    name: `${jobLabel(job.id)}.${step.id}: slot`,
    acquire: slot.acquire(''),
    release: release(`${jobLabel(job.id)}.${step.id}: free slot`, onSuccess),
    releaseAfterFailure: release(`${jobLabel(job.id)}.${step.id}: free slot (failed)`, onFailure),
    releaseAfterCancel: (next: string) => release(`${jobLabel(job.id)}.${step.id}: free slot (cancelled)`, next),
  };
}

function stepTimeoutSeconds(job: Job, step: Step): number {
  return Math.min(step.timeoutMinutes ?? job.timeoutMinutes, job.timeoutMinutes) * 60;
}


/** A step needs an evaluation state when anything about it is decided at run time. */
function needsPrepare(step: Step): boolean {
  if (step.if !== undefined || Object.keys(step.env).length > 0 || typeof step.continueOnError === 'string') return true;
  if (step.kind === 'run') {
    return hasExpression(step.run) || hasExpression(step.workingDirectory ?? '');
  }
  if (step.kind === 'checkout') return false;
  // Inputs travel in the evaluated env list (INPUT_<ID>), which only the prepare state builds.
  if (step.kind === 'action') return Object.keys(step.with).length > 0;
  return hasExpression(step.function) || JSON.stringify(step.payload).includes('${{');
}

function retrier(retry: NonNullable<Step['retry']>): Retrier {
  // `max-attempts` counts every attempt, the first included; ASL's MaxAttempts counts retries.
  return {
    ErrorEquals: ['States.ALL'],
    MaxAttempts: retry.maxAttempts - 1,
    IntervalSeconds: retry.intervalSeconds,
    BackoffRate: retry.backoffRate,
  };
}

/**
 * Where a failed step goes. Without continue-on-error the job's status becomes failure; with it the
 * failure is recorded (`continued`, so the step's conclusion is success) and the job goes on as if
 * the step had succeeded; an expression-valued continue-on-error was evaluated by the prepare state.
 */
function failureHandling(ctx: StepContext, step: Step, onSuccess: string, onFail: string): { afterRun: string; afterPrepare: string } {
  const { set, job } = ctx;
  const name = `${jobLabel(job.id)}.${step.id}`;
  const failed = (): string =>
    set.add(`${name}: failed`, { Type: 'Pass', Result: 'failure', ResultPath: '$.job.status', Next: onFail });
  const continued = (): string =>
    set.add(`${name}: continued`, {
      Type: 'Pass',
      Comment: 'continue-on-error: the job goes on as if the step had succeeded.',
      Result: true,
      ResultPath: `${stepRecordPath(step)}.continued`,
      Next: onSuccess,
    });
  if (step.continueOnError === false) {
    const stop = failed();
    return { afterRun: stop, afterPrepare: stop };
  }
  if (step.continueOnError === true) {
    const goOn = continued();
    return { afterRun: goOn, afterPrepare: goOn };
  }
  // An expression: decided by the prepare state; if that state itself failed there is no decision.
  const stop = failed();
  const decide = set.add(`${name}: continue?`, {
    Type: 'Choice',
    Choices: [{ Variable: '$.prepared.continueOnError', BooleanEquals: true, Next: continued() }],
    Default: stop,
  });
  return { afterRun: decide, afterPrepare: stop };
}

/** Built for every step; pruneUnreachable drops the gates no path enters. */
function statusGate(set: StateSet, name: string, ok: string, fail: string): string {
  return set.add(name, {
    Type: 'Choice',
    Choices: [{ Variable: '$.job.status', StringEquals: 'success', Next: ok }],
    Default: fail,
  });
}

export function stepRecordPath(step: Pick<Step, 'id'>): string {
  return `$.steps${dataKey(step.id)}`;
}

