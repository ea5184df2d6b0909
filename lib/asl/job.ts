// A job as states. Every job runs in a scope of its own, so that its cell data (steps, status)
// never leaks into the run's data: a job without a matrix is a Parallel state with one branch, a
// matrix job a Map over its cells. Either way the scope ends at `<job>: end`, whose output is the
// cell's result { result, outcome, outputs, matrix? }, and the job's result lands in $.needs['<job>'].
//
// A failed cell does not fail its scope (the job catches its own failures), so independent jobs go
// on; only `fail-fast` turns a failed cell into a failed iteration, which stops the other cells.

import type { StoreNames } from '../model/store-names';
import { isDynamicMatrix, type Concurrency, type EnvironmentRules, type Job, type Workflow } from '../model/workflow';
import type { PlannedJob } from '../plan/types';
import { hasMatrix } from '../plan/cells';
import { jobEndState, jobLabel, jobStartComment, jobStartState, matrixFailedState } from './names';
import { BRANCH_END } from './branch-end';
import { dataKey } from './paths';
import type { RuntimeRefs } from './refs';
import type { StateSet } from './state-set';
import { acquireTask, coordinatorTask, lockRequest, releaseTask, RUN_EXECUTION, windowSlotTasks } from './coordination';
import { lambdaServiceRetry } from './retries';
import { needsRunner, startRunnerTask, stopRunnerTask } from './runner';
import { RUNNER_ENVIRONMENT_PATH, runnerChoice, startBuildOverrides } from './runner-environment';
import type { RunnerSeams } from './runner-seams';
import { reachableEnvironments, renderEnvironmentGate } from './environment-gate';
import { renderPostSteps } from './post-steps';
import { renderSteps } from './steps';
import { cellOrderTask, ORDERED_ITEM, ORDERED_ITEMS_PATH, ordersCells } from './cell-order';
import { renderCallResult } from './call-result';
import type { WindowMode } from './window-plan';
import { TaskResources, type JsonValue, type State, type TaskState } from './types';


export interface JobRenderOptions {
  readonly refs: RuntimeRefs;
  readonly names: StoreNames;
  /** environments.yml: the rules a job's environment may ask for. */
  readonly environments: Readonly<Record<string, EnvironmentRules>>;
  /** Matrix jobs whose cells run as child executions (Distributed Map), to bound history size. */
  readonly distributed: ReadonlySet<string>;
  /** Workflow-level max-parallel: its size and how each job keeps to it (lib/asl/window-plan.ts). */
  readonly window: { readonly size: number; readonly modes: ReadonlyMap<string, WindowMode> } | undefined;
  /** Some job or step runs on cancel (lib/asl/cancellable.ts): job starts read the cancel marker, run steps catch Cancelled. */
  readonly cancellable?: boolean;
  /** A run step's HeartbeatSeconds. */
  readonly heartbeatSeconds: number;
  /** What issue 9's other parts add to a cell's runner (source, runs-on, variables). */
  readonly runner: RunnerSeams;
  /** What runs-on is resolved against. */
  readonly workflow: Pick<Workflow, 'on' | 'runnerLabels'>;
}

/** Renders a job into `set`, continuing at `next` (or ending the branch). Returns the entry state. */
export function renderJob(set: StateSet, planned: PlannedJob, options: JobRenderOptions, next: string | undefined): string {
  const { job } = planned;
  if (job.callResult !== undefined) return renderCallResult(set, job, options.refs, options.names, next);
  const key = dataKey(job.id);
  const continuation = next === undefined ? BRANCH_END : { Next: next };
  const processor = set.branch();
  const StartAt = renderCell(processor, planned, options);
  const ItemProcessor = { StartAt, States: processor.states };

  if (!hasMatrix(planned)) {
    return set.add(jobLabel(job.id), {
      Type: 'Parallel',
      Comment: `Job ${job.id}.`,
      Parameters: { 'run.$': '$.run', 'needs.$': '$.needs', steps: {} },
      Branches: [ItemProcessor],
      ResultSelector: { 'result.$': '$[0].result', 'outputs.$': '$[0].outputs', 'upstream.$': '$[0].upstream' },
      ResultPath: `$.needs${key}`,
      ...continuation,
    });
  }

  const results = set.add(`${jobLabel(job.id)}: results`, {
    ...evaluateTask(options.refs, { op: 'job.aggregate', job: job.id, 'cells.$': `$.needs${key}` }),
    ResultSelector: { 'result.$': '$.Payload.result', 'outputs.$': '$.Payload.outputs', 'upstream.$': '$.Payload.upstream' },
    ResultPath: `$.needs${key}`,
    ...continuation,
  });
  const failedFast = set.add(`${jobLabel(job.id)}: failed fast`, {
    Type: 'Pass',
    Comment: 'A cell failed and fail-fast stopped the others.',
    Result: { result: 'failure', outputs: {}, upstream: 'failure' },
    ResultPath: `$.needs${key}`,
    ...continuation,
  });
  // Cells fail-fast stopped never reach their own releases: give back what they held or waited for.
  const window = windowModeOf(options, job.id);
  const holdsSlots = job.concurrency !== undefined || window.kind === 'slots';
  const afterStop = holdsSlots
    ? set.add(`${jobLabel(job.id)}: free stopped cells`, {
        ...coordinatorTask(options.refs, { op: 'release.job', job: job.id }),
        ResultPath: null,
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: failedFast }],
        Next: failedFast,
      })
    : failedFast;
  const distributed = options.distributed.has(job.id);
  const dynamic = planned.dynamicMatrix;
  const expressions = planned.strategyExpressions;
  // Evaluated as the job starts: a dynamic matrix, or fail-fast / max-parallel given as expressions.
  const expanding = dynamic !== undefined || expressions !== undefined;
  const count = dynamic === undefined ? `${planned.cells?.length ?? 0} matrix cells` : `matrix cells expanded when the job starts (at most ${dynamic.bound})`;
  const maxConcurrency = mapConcurrency(planned, options);
  const limit = expressions?.maxParallel !== undefined ? ', at most max-parallel at once' : maxConcurrency === undefined ? '' : `, at most ${maxConcurrency} at once`;
  const ordered = cellsOrdered(planned, options);
  const item = ordered ? ORDERED_ITEM : { 'matrix.$': '$$.Map.Item.Value', 'cell.$': '$$.Map.Item.Index' };
  const selector: Record<string, JsonValue> = { 'run.$': '$.run', 'needs.$': '$.needs', ...item, steps: {} };
  if (expressions?.failFast !== undefined) selector['failFast.$'] = `${EXPANSION_PATH}.failFast`;
  set.add(jobLabel(job.id), {
    Type: 'Map',
    Comment: `Job ${job.id}: ${count}${limit}.`,
    ItemsPath: expanding ? `${EXPANSION_PATH}.cells` : ordered ? ORDERED_ITEMS_PATH : '$.cells',
    ItemSelector: selector,
    ...(expressions?.maxParallel !== undefined ? { MaxConcurrencyPath: `${EXPANSION_PATH}.maxParallel` } : maxConcurrency === undefined ? {} : { MaxConcurrency: maxConcurrency }),
    ItemProcessor: distributed ? { ...ItemProcessor, ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } } : ItemProcessor,
    ResultPath: `$.needs${key}`,
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: afterStop }],
    Next: results,
  });
  if (expanding) return renderExpansion(set, planned, options, continuation);
  const order = ordered ? set.add(`${jobLabel(job.id)}: order`, cellOrderTask(options.refs, job.id, jobLabel(job.id))) : undefined;
  return set.add(`${jobLabel(job.id)}: matrix`, {
    Type: 'Pass',
    Comment: `The expanded matrix of ${job.id}.`,
    Result: (planned.cells ?? []) as JsonValue,
    ResultPath: '$.cells',
    Next: order ?? jobLabel(job.id),
  });
}

/** Where a dynamic matrix's expansion lands: `{ run, upstream, cells }` (lib/runtime/evaluate/job-matrix.ts). */
const EXPANSION_PATH = '$.expansion';

/**
 * A dynamic matrix is evaluated and expanded as the job starts, before its Map: a job that does not
 * run (its if, its needs) is skipped as a whole, and a matrix that cannot be expanded (an expression
 * error, not JSON, the wrong shape, more than 256 cells) fails the job with the error in `$.matrixError`.
 */
function renderExpansion(set: StateSet, planned: PlannedJob, options: JobRenderOptions, continuation: { Next: string } | typeof BRANCH_END): string {
  const { job } = planned;
  const label = jobLabel(job.id);
  const needsPath = `$.needs${dataKey(job.id)}`;
  const failed = set.add(matrixFailedState(job.id), {
    Type: 'Pass',
    Comment: 'The matrix could not be expanded (the error is in $.matrixError): the job failed.',
    Result: { result: 'failure', outputs: {}, upstream: 'failure' },
    ResultPath: needsPath,
    ...continuation,
  });
  const skipped = set.add(`${label}: matrix skipped`, {
    Type: 'Pass',
    Comment: 'The job’s if: was false, or a job it needs did not succeed: the matrix was not expanded.',
    Parameters: { result: 'skipped', outputs: {}, 'upstream.$': `${EXPANSION_PATH}.upstream` },
    ResultPath: needsPath,
    ...continuation,
  });
  const decide = set.add(`${label}: matrix?`, {
    Type: 'Choice',
    Choices: [{ Variable: `${EXPANSION_PATH}.run`, BooleanEquals: true, Next: label }],
    Default: skipped,
  });
  const payload: Record<string, JsonValue> = { op: 'job.matrix', job: job.id, needs: [...job.needs] };
  if (job.if !== undefined) payload.if = job.if;
  if (job.gates !== undefined) payload.gates = job.gates as unknown as JsonValue;
  // As text: a key of the user's ending in `.$` must not become a path.
  payload.matrix = JSON.stringify(planned.dynamicMatrix?.matrix.template ?? writtenMatrix(planned));
  const expressions = planned.strategyExpressions;
  if (expressions?.maxParallel !== undefined) payload.maxParallel = expressions.maxParallel;
  payload.failFast = expressions?.failFast ?? planned.failFast;
  if (job.vars.length > 0) payload.vars = { names: [...job.vars], prefix: options.names.parameters };
  payload['context.$'] = '$';
  return set.add(`${label}: matrix`, {
    Comment: `The matrix of ${job.id}, evaluated and expanded as the job starts.`,
    ...evaluateTask(options.refs, payload),
    ResultSelector: { 'run.$': '$.Payload.run', 'upstream.$': '$.Payload.upstream', 'cells.$': '$.Payload.cells', 'maxParallel.$': '$.Payload.maxParallel', 'failFast.$': '$.Payload.failFast' },
    ResultPath: EXPANSION_PATH,
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.matrixError', Next: failed }],
    Next: decide,
  });
}

/** A written-out matrix as the job start expands it again (its fail-fast or max-parallel is an expression). */
function writtenMatrix(planned: PlannedJob): JsonValue {
  const matrix = planned.job.strategy?.matrix;
  if (matrix === undefined || isDynamicMatrix(matrix)) return {};
  return { ...matrix.dimensions, ...(matrix.include.length > 0 && { include: matrix.include }), ...(matrix.exclude.length > 0 && { exclude: matrix.exclude }) } as JsonValue;
}

/** One cell of a job (the only cell when there is no matrix). Returns the start state. */
function renderCell(set: StateSet, planned: PlannedJob, options: JobRenderOptions): string {
  const { job } = planned;
  const { refs } = options;
  const inMatrix = hasMatrix(planned);

  // The end of the cell, built first since everything before leads there.
  const endParameters: Record<string, JsonValue> = hasFinish(job)
    ? { 'result.$': '$.job.final.result', 'outcome.$': '$.job.status', 'outputs.$': '$.job.final.outputs' }
    : { 'result.$': '$.job.status', 'outcome.$': '$.job.status', outputs: {} };
  // What failure() in a dependent's if: reads of this job's ancestors (lib/runtime/evaluate/job-start.ts).
  endParameters['upstream.$'] = '$.job.upstream';
  if (inMatrix) endParameters['matrix.$'] = '$.matrix';
  // An ordered Map's results come in start order: each carries its written index for job.aggregate.
  if (cellsOrdered(planned, options)) endParameters['cell.$'] = '$.cell';
  // fail-fast as an expression: its value comes with the cell (`$.failFast`, from the expansion).
  const failFastExpression = inMatrix && planned.strategyExpressions?.failFast !== undefined;
  if (failFastExpression) endParameters['failFast.$'] = '$.failFast';
  const failFast = inMatrix && (failFastExpression || planned.failFast);
  const end = set.add(jobEndState(job.id), {
    Type: 'Pass',
    Parameters: endParameters,
    ...(failFast ? { Next: `${jobLabel(job.id)}: fail fast?` } : { End: true as const }),
  });
  if (failFast) {
    const stopCells = `${jobLabel(job.id)}: stop other cells`;
    // The cells about to be stopped never reach their stop runner states: the failed cell asks their
    // runners to exit first (they would idle until the run ends), while the Map still holds its slots.
    const stopCall = coordinatorTask(refs, { op: 'runners.stop', job: job.id });
    const stopRunners = needsRunner(job)
      ? set.add(`${jobLabel(job.id)}: stop other runners`, {
          ...stopCall,
          // The cell's end holds only its result (no $.run): the runners are indexed under the execution running the cell.
          Parameters: { ...stopCall.Parameters, Payload: { op: 'runners.stop', job: job.id, 'executionArn.$': '$$.Execution.Id' } },
          ResultPath: null,
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: stopCells }],
          Next: stopCells,
        })
      : stopCells;
    set.add(`${jobLabel(job.id)}: fail fast?`, {
      Type: 'Choice',
      Choices: [
        failFastExpression
          ? { And: [{ Variable: '$.result', StringEquals: 'failure' }, { Variable: '$.failFast', BooleanEquals: true }], Next: stopRunners }
          : { Variable: '$.result', StringEquals: 'failure', Next: stopRunners },
      ],
      Default: `${jobLabel(job.id)}: cell done`,
    });
    set.add(`${jobLabel(job.id)}: stop other cells`, {
      Type: 'Fail',
      Error: 'FailFast',
      Cause: `A cell of job ${job.id} failed; fail-fast stops the other cells.`,
    });
    set.add(`${jobLabel(job.id)}: cell done`, { Type: 'Succeed' });
  }

  let finish = end;
  if (hasFinish(job)) {
    finish = set.add(`${jobLabel(job.id)}: outputs`, {
      ...evaluateTask(refs, {
        op: 'job.finish',
        job: job.id,
        outputs: job.outputs,
        continueOnError: job.continueOnError,
        ...(job.environment?.url !== undefined ? { environmentUrl: job.environment.url } : {}),
        'context.$': '$',
      }),
      ResultSelector: {
        'result.$': '$.Payload.result',
        'outputs.$': '$.Payload.outputs',
        // The deployment's URL, read by the report at `<job>: end` (lib/report/history-fold.ts).
        ...(job.environment?.url !== undefined ? { 'environmentUrl.$': '$.Payload.environmentUrl' } : {}),
      },
      ResultPath: '$.job.final',
      Next: end,
    });
  }

  const lock = job.concurrency;
  const holder = inMatrix ? `States.Format('{}#${job.id}#{}', ${RUN_EXECUTION}, $.cell)` : `States.Format('{}#${job.id}', ${RUN_EXECUTION})`;
  let afterSteps = finish;
  if (lock !== undefined) {
    afterSteps = set.add(`${jobLabel(job.id)}: unlock`, {
      ...releaseTask(refs, { 'group.$': '$.job.lock.group', 'holder.$': holder }, lock.capacity, finish),
    });
  }

  // A cell with run steps has a runner, asked to stop on every way out of the steps.
  const runner = needsRunner(job);
  const stop = runner ? set.add(`${jobLabel(job.id)}: stop runner`, stopRunnerTask(refs, job, inMatrix, afterSteps)) : afterSteps;
  // Actions' post steps run after all others, whatever the outcome, before the runner stops.
  const window = windowModeOf(options, job.id);
  // A cell whose steps run one at a time holds one window slot for all of them (lib/asl/window-plan.ts).
  const cellSlot = window.kind === 'slots' && !window.perStep ? windowSlotTasks(refs, options.window!.size, holder) : undefined;
  const freeSlot = cellSlot === undefined ? stop : set.add(`${jobLabel(job.id)}: free slot`, cellSlot.release(stop));
  const posts = runner ? renderPostSteps({ set, job, refs, hasMatrix: inMatrix, heartbeatSeconds: options.heartbeatSeconds }, freeSlot) : freeSlot;
  const steps = renderSteps(
    { set, job, refs, hasMatrix: inMatrix, window: window.kind === 'slots' && window.perStep ? options.window!.size : undefined, workflow: options.workflow, heartbeatSeconds: options.heartbeatSeconds, cancellable: options.cancellable === true },
    planned.stepGroups,
    { ok: posts, fail: posts, unknown: posts },
  );
  let body = steps.ok;
  if (runner) {
    const runnerFailed = set.add(`${jobLabel(job.id)}: runner failed`, {
      Type: 'Pass',
      Comment: 'The runner could not be started (the error is in $.job.runnerError): the steps are skipped.',
      Result: 'failure',
      ResultPath: '$.job.status',
      Next: steps.fail,
    });
    const start = startRunnerTask(refs, options.runner, job, inMatrix, startBuildOverrides(job, options.workflow.runnerLabels), steps.ok, runnerFailed, options.cancellable === true);
    body = set.add(`${jobLabel(job.id)}: start runner`, start);
    // StartBuild has no conditional parameters: one start runner per source the run's checkout may name.
    const variants = options.runner.sources(job);
    if (variants.length > 0) {
      const choices = variants.map((variant) => ({
        Variable: '$.run.checkout.kind',
        StringEquals: variant.kind,
        Next: set.add(`${jobLabel(job.id)}: start runner (${variant.kind})`, { ...start, Parameters: { ...start.Parameters, ...variant.parameters } }),
      }));
      body = set.add(`${jobLabel(job.id)}: source?`, { Type: 'Choice', Comment: "Where the runner's source comes from: $.run.checkout.", Choices: choices, Default: body });
    }
    // A runs-on expression is evaluated once, for the whole cell, before its runner starts.
    const choice = runnerChoice(job, options.workflow);
    if (choice !== undefined) {
      body = set.add(`${jobLabel(job.id)}: runs-on`, {
        ...evaluateTask(refs, { op: 'step.prepare', job: job.id, step: 'runs-on', kind: 'run', env: {}, runner: choice as unknown as JsonValue, 'context.$': '$' }),
        ResultSelector: { 'image.$': '$.Payload.runner.image', 'computeType.$': '$.Payload.runner.computeType', 'environmentType.$': '$.Payload.runner.environmentType' },
        ResultPath: RUNNER_ENVIRONMENT_PATH,
        Catch: [{ ErrorEquals: ['ExpressionFailed'], ResultPath: '$.job.runnerError', Next: runnerFailed }],
        Next: body,
      });
    }
  }
  // The cell's window slot is taken before its runner starts: waiting for it costs no build minutes.
  if (cellSlot !== undefined) body = set.add(`${jobLabel(job.id)}: slot`, cellSlot.acquire(body));
  // Approvals and wait timers hold the cell after its lock, before its runner starts (no build minutes).
  body = renderEnvironmentGate(set, job, { refs, environments: options.environments, hasMatrix: inMatrix }, body, afterSteps);
  if (lock !== undefined) {
    const lockLost = set.add(`${jobLabel(job.id)}: lock refused`, {
      Type: 'Pass',
      Comment: 'Superseded while queued, or the queue was full: the job did not run.',
      Result: 'cancelled',
      ResultPath: '$.job.status',
      Next: finish,
    });
    body = set.add(`${jobLabel(job.id)}: lock`, {
      ...acquireTask(refs, lockRequest(lock, '$.job.lock', holder), body),
      Catch: [{ ErrorEquals: ['Superseded', 'QueueFull'], ResultPath: null, Next: lockLost }],
    });
  }

  const skipped = set.add(`${jobLabel(job.id)}: skipped`, {
    Type: 'Pass',
    Comment: 'The job’s if: was false, or a job it needs did not succeed.',
    Result: 'skipped',
    ResultPath: '$.job.status',
    Next: finish,
  });
  const decide = set.add(`${jobLabel(job.id)}: run?`, {
    Type: 'Choice',
    Choices: [{ Variable: '$.job.run', BooleanEquals: true, Next: body }],
    Default: skipped,
  });
  const broken = set.add(`${jobLabel(job.id)}: evaluation failed`, {
    Type: 'Pass',
    Comment: 'An expression of the job could not be evaluated (the error is in $.job.error).',
    // The job's own failure outweighs anything upstream.
    Parameters: { run: false, status: 'failure', upstream: 'failure', 'error.$': '$.jobError' },
    ResultPath: '$.job',
    Next: finish,
  });
  const startPayload: Record<string, JsonValue> = { op: 'job.start', job: job.id, needs: [...job.needs] };
  if (job.if !== undefined) startPayload.if = job.if;
  if (job.gates !== undefined) startPayload.gates = job.gates as unknown as JsonValue;
  if (job.githubJob !== undefined) startPayload.githubJob = job.githubJob;
  if (job.name !== undefined) startPayload.name = job.name;
  startPayload.env = job.env;
  if (lock !== undefined) startPayload.concurrency = { group: lock.group, cancelInProgress: lock.cancelInProgress };
  if (options.cancellable === true) startPayload.cancellable = true;
  const selector: Record<string, JsonValue> = {
    'run.$': '$.Payload.run',
    'status.$': '$.Payload.status',
    'env.$': '$.Payload.env',
    'envList.$': '$.Payload.envList',
    'lock.$': '$.Payload.lock',
    'upstream.$': '$.Payload.upstream',
  };
  Object.assign(startPayload, storePayload(job, options));
  for (const key of ['vars', 'secrets', 'environment'] as const) if (startPayload[key] !== undefined) selector[`${key}.$`] = `$.Payload.${key}`;
  if (options.cancellable === true) selector['cancelSeen.$'] = '$.Payload.cancelSeen';
  startPayload['context.$'] = '$';
  const comment = jobStartComment(job.id, job.label);
  return set.add(jobStartState(job.id), {
    ...(comment !== undefined && { Comment: comment }),
    ...evaluateTask(refs, startPayload),
    ResultSelector: selector,
    ResultPath: '$.job',
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.jobError', Next: broken }],
    Next: decide,
  });
}

/**
 * What job start needs to find the job's vars (read from Parameter Store), its secrets (only their
 * names are checked: values never pass through the state machine) and its environment's rules.
 */
function storePayload(job: Job, { names, environments }: JobRenderOptions): Record<string, JsonValue> {
  const payload: Record<string, JsonValue> = {};
  if (job.vars.length > 0) payload.vars = { names: [...job.vars], prefix: names.parameters };
  if (job.secrets.length > 0) payload.secrets = { names: [...job.secrets], prefix: names.secrets };
  if (job.environment !== undefined) {
    const reachable = reachableEnvironments(job, environments);
    payload.environment = {
      name: job.environment.name,
      declared: Object.keys(environments),
      rules: Object.fromEntries(reachable.map(([name, rules]) => [name, rules as unknown as JsonValue])),
    };
  }
  return payload;
}

/** The Map's MaxConcurrency: max-parallel, or the workflow's window where that is enough to keep to it (lib/asl/window-plan.ts). */
function mapConcurrency(planned: PlannedJob, options: JobRenderOptions): number | undefined {
  const window = windowModeOf(options, planned.job.id);
  return window.kind === 'map' ? window.maxConcurrency : planned.maxParallel;
}

/** Whether the Map starts the cells longest first (lib/asl/cell-order.ts). */
function cellsOrdered(planned: PlannedJob, options: JobRenderOptions): boolean {
  return hasMatrix(planned) && ordersCells(planned, mapConcurrency(planned, options));
}

function windowModeOf(options: JobRenderOptions, job: string): WindowMode {
  return options.window?.modes.get(job) ?? { kind: 'free' };
}

/** A cell needs the evaluate function at its end only for outputs or a conditional outcome. */
function hasFinish(job: Job): boolean {
  return Object.keys(job.outputs).length > 0 || job.continueOnError !== false || job.environment?.url !== undefined;
}

export function evaluateTask(refs: RuntimeRefs, payload: Record<string, JsonValue>): TaskState {
  return {
    Type: 'Task',
    Resource: TaskResources.lambdaInvoke,
    Parameters: { FunctionName: refs.evaluateFunctionArn, Payload: payload },
    Retry: [lambdaServiceRetry],
  };
}
