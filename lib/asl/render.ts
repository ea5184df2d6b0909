import { isCancellable } from './cancellable';
import { basename } from 'node:path';
import { storeNames, type StoreNames } from '../model/store-names';
import type { Plan } from '../plan/types';
import { renderJobs } from './dag';
import { START_RUN_STATE } from './declared-inputs';
import { acquireTask, lockRequest, releaseTask, RUN_EXECUTION } from './coordination';
import { evaluateTask, type JobRenderOptions } from './job';
import { orderFields } from './key-order';
import { pruneUnreachable } from './prune';
import type { RuntimeRefs } from './refs';
import { DEFAULT_HEARTBEAT_SECONDS } from './runner';
import type { RunnerSeams } from './runner-seams';
import { runnerContextSeams } from './runner-context-seams';
import { StateSet } from './state-set';
import { windowModes } from './window-plan';
import type { JsonValue, StateMachineDefinition } from './types';

export interface RenderOptions {
  readonly refs: RuntimeRefs;
  /** A run step's HeartbeatSeconds (default DEFAULT_HEARTBEAT_SECONDS). */
  readonly heartbeatSeconds?: number;
  /** What a cell's runner is started with besides its identity; default: the run's github context and checkout (runnerContextSeams). */
  readonly runner?: RunnerSeams;
  /** Where the workflow's secrets and vars live (lib/model/store-names.ts); default: the default scheme. */
  readonly names?: StoreNames;
  /** Matrix jobs to run as Distributed Maps (see lib/asl/history-budget.ts). */
  readonly distributed?: ReadonlySet<string>;
}

/** What every job of the plan is rendered with (lib/asl/job.ts). */
export function jobRenderOptions(plan: Plan, options: RenderOptions): JobRenderOptions {
  const { workflow } = plan;
  return {
    refs: options.refs,
    names: options.names ?? storeNames(workflow.id),
    environments: workflow.environments,
    distributed: options.distributed ?? new Set(),
    window: workflow.maxParallel === undefined ? undefined : { size: workflow.maxParallel, modes: windowModes(plan, workflow.maxParallel) },
    cancellable: isCancellable(workflow),
    workflow,
    heartbeatSeconds: options.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS,
    runner: options.runner ?? runnerContextSeams,
  };
}

/**
 * The state machine of a workflow: pure and deterministic (the same plan gives byte-identical
 * JSON). The run's data between jobs is { run, needs }: `run` holds what every expression may read
 * (inputs, event, execution, env), `needs` each finished job's { result, outputs }.
 */
export function renderDefinition(plan: Plan, options: RenderOptions): StateMachineDefinition {
  const { workflow } = plan;
  const { refs } = options;
  const jobOptions = jobRenderOptions(plan, options);
  const { names } = jobOptions;
  const set = new StateSet();

  // Plumbing names hold a space, which job ids cannot: a job called `Failed` gets its own states.
  set.add('Run succeeded', { Type: 'Succeed' });
  set.add('Run failed', { Type: 'Fail', Error: 'JobsFailed', CausePath: '$.finish.cause' });
  set.add('Run succeeded?', {
    Type: 'Choice',
    Choices: [{ Variable: '$.finish.conclusion', StringEquals: 'success', Next: 'Run succeeded' }],
    Default: 'Run failed',
  });
  set.add('Finish run', {
    ...evaluateTask(refs, { op: 'run.finish', jobs: plan.jobs.map((planned) => planned.job.id), 'needs.$': '$.needs' }),
    ResultSelector: { 'conclusion.$': '$.Payload.conclusion', 'cause.$': '$.Payload.cause' },
    ResultPath: '$.finish',
    Next: 'Run succeeded?',
  });

  const lock = workflow.concurrency;
  let afterJobs = 'Finish run';
  if (lock !== undefined) {
    afterJobs = set.add('Release workflow lock', releaseTask(refs, { 'group.$': '$.run.lock.group', 'holder.$': RUN_EXECUTION }, lock.capacity, 'Finish run'));
  }
  let body = renderJobs(set, plan, jobOptions, afterJobs);
  if (lock !== undefined) {
    // No Catch: a run superseded or refused while queued ends failed with that error (Superseded, QueueFull).
    body = set.add('Acquire workflow lock', acquireTask(refs, lockRequest(lock, '$.run.lock', RUN_EXECUTION), body));
  }

  const startPayload: Record<string, JsonValue> = {
    op: 'run.start',
    workflow: { id: workflow.id, name: workflow.name },
    inputs: (workflow.on.workflowDispatch?.inputs ?? []) as unknown as JsonValue,
    env: workflow.env,
  };
  if (workflow.vars.length > 0) startPayload.vars = { names: [...workflow.vars], prefix: names.parameters };
  if (workflow.runName !== undefined) startPayload.runName = workflow.runName;
  if (lock !== undefined) startPayload.concurrency = { group: lock.group, cancelInProgress: lock.cancelInProgress };
  startPayload['input.$'] = '$';
  // Not all of $$.Execution: it holds the input again, and the input may be a large push event.
  startPayload.execution = { 'Id.$': '$$.Execution.Id', 'Name.$': '$$.Execution.Name', 'StartTime.$': '$$.Execution.StartTime' };
  set.add(START_RUN_STATE, {
    ...evaluateTask(refs, startPayload),
    Comment: 'Validates the inputs (the console bypasses the CLI) and evaluates the run-wide values.',
    ResultSelector: { 'run.$': '$.Payload.run', 'needs.$': '$.Payload.needs' },
    Next: body,
  });

  return orderFields(pruneUnreachable({ Comment: `stepdeploy workflow ${workflow.name} (${basename(workflow.file)})`, StartAt: START_RUN_STATE, States: set.states }));
}

