// Reads an execution's history one event at a time: the live progress view feeds it as events
// arrive, buildReport feeds it a whole history.
//
// Cells and steps are found by state names and state data, not by previousEventId chains: Parallel
// branches and Map iterations interleave, and a local history links each event to the one before it
// in time (previousEventId only dates a caught failure, below). State
// names carry the roles (lib/asl/names.ts); the data of every state inside a job carries the cell's
// `matrix` and `cell` index and the step records `steps['<id>']` (lib/asl/job.ts, lib/asl/steps.ts),
// so `<job> + matrix` identifies a cell wherever its events land, and the records say how each step
// ended even where a caught failure leaves no exit event of its own.
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { START_RUN_STATE } from '../asl/declared-inputs';
import { parseStateName } from '../asl/names';
import type { Json } from '../model/workflow';
import { stepRecordOutputs, type StepRecord } from '../runtime/evaluate/records';
import type { StepAnnotation } from '../runtime/runners/results';
import type { DeploymentReport, JobStatus, Matrix, RunStatus, StepStatus } from './report';
import { ReportError } from './report-error';

/**
 * A cell is `queued` from its start until it runs a step, `waiting` while it waits for a
 * concurrency group or an approval (`waitingFor` says which), then `running` until it ends. A step
 * that has not ended is `running`.
 */
export type LiveStatus = 'queued' | 'waiting' | 'running' | JobStatus;

/** What a waiting cell waits for. */
export type WaitingFor = { readonly kind: 'group'; readonly group: string } | { readonly kind: 'approval' };

/** A failed step's task error, as its record (`$.steps['<id>']`) carries it. */
export interface StepError {
  readonly error: string;
  readonly cause?: string;
}

export interface LiveStep {
  readonly name: string;
  readonly status: LiveStatus;
  readonly startedAt?: Date;
  readonly endedAt?: Date;
  readonly outputs?: Readonly<Record<string, Json>>;
  readonly failure?: StepError;
  /** A succeeded step's annotations (a failed one's are in its cause). */
  readonly annotations?: readonly StepAnnotation[];
}

export interface LiveCell {
  readonly id: string;
  readonly matrix?: Matrix;
  readonly status: LiveStatus;
  readonly waitingFor?: WaitingFor;
  /** The Map iteration index (`$.cell`) of a matrix cell. */
  readonly index?: number;
  readonly startedAt?: Date;
  readonly endedAt?: Date;
  readonly steps: readonly LiveStep[];
  /** Why the job failed before any step ran (an expression, a missing secret or var, a refused ref). */
  readonly error?: string;
  readonly environment?: DeploymentReport;
}

export interface ExecutionEnd {
  readonly status: RunStatus;
  readonly at: Date;
}

interface StepState {
  readonly name: string;
  status: LiveStatus;
  startedAt?: Date;
  endedAt?: Date;
  outputs?: Readonly<Record<string, Json>>;
  failure?: StepError;
  annotations?: readonly StepAnnotation[];
}

interface CellState {
  readonly id: string;
  readonly matrix?: Matrix;
  status: LiveStatus;
  waitingFor?: WaitingFor;
  startedAt?: Date;
  endedAt?: Date;
  /** The Map iteration index (`$.cell`) of a matrix cell. */
  index?: number;
  readonly steps: StepState[];
  error?: string;
  environment?: DeploymentReport;
}

type JsonObject = Readonly<Record<string, Json>>;

/** GitHub's job result words (`$.job.status`) → report statuses. */
const resultWords: Readonly<Record<string, JobStatus>> = {
  success: 'succeeded',
  failure: 'failed',
  skipped: 'skipped',
  cancelled: 'cancelled',
};

/** A job's plumbing states are named `<job>: …` or `<job>.<step>: …` (lib/asl/job.ts, steps.ts). */
const jobPrefix = /^([A-Za-z_][A-Za-z0-9_-]*)(?:\.[A-Za-z_][A-Za-z0-9_-]*)?: /;

/** `<job>: lock` waits for the job's concurrency group; `<job>: approval…` for a person (lib/asl/job.ts). */
const waitState = /^[A-Za-z_][A-Za-z0-9_-]*: (lock|approval\b.*)$/;

/** A dynamic matrix that was not expanded (lib/asl/job.ts): its job did not run, or failed before any cell. */
const unexpandedMatrix = /^([A-Za-z_][A-Za-z0-9_-]*): matrix (failed|skipped)$/;

const ended = (status: LiveStatus): boolean => status !== 'queued' && status !== 'waiting' && status !== 'running';

export class HistoryFold {
  private readonly cellList: CellState[] = [];
  private readonly cellByKey = new Map<string, CellState>();
  /** The written cell index of each iteration of an ordered Map, by job (Map state) name. */
  private readonly orders = new Map<string, unknown[]>();
  /** Times of TaskFailed/TaskTimedOut events, by id. */
  private readonly failures = new Map<number, Date>();
  private started?: Date;
  private ended?: ExecutionEnd;
  private name?: string;
  private latest?: Date;

  get cells(): readonly LiveCell[] {
    return this.cellList;
  }

  /** The run's `run-name` as the run's first state evaluated it (absent before it ran). */
  get runName(): string | undefined {
    return this.name;
  }

  get executionStartedAt(): Date | undefined {
    return this.started;
  }

  get executionEnd(): ExecutionEnd | undefined {
    return this.ended;
  }

  /** The timestamp of the newest event seen: "now" as far as the history knows. */
  get latestAt(): Date | undefined {
    return this.latest;
  }

  /** Events in id order, as GetExecutionHistory returns them. */
  add(event: HistoryEvent): void {
    const at = eventTime(event);
    const type = event.type ?? '';
    this.latest = at;
    if (this.ended) return;
    if (type === 'ExecutionStarted') this.started = at;
    else if (type.endsWith('StateEntered')) this.entered(at, event);
    else if (type.endsWith('StateExited')) this.exited(at, event);
    else if (type === 'TaskFailed' || type === 'TaskTimedOut') this.failures.set(event.id ?? 0, at);
    else if (type === 'MapIterationFailed' || type === 'MapIterationAborted') this.iterationStopped(at, event);
    else if (type.startsWith('Execution')) this.executionEnded(type, at, event);
  }

  private entered(at: Date, event: HistoryEvent): void {
    const name = event.stateEnteredEventDetails?.name ?? '';
    const data = asObject(parseJson(event.stateEnteredEventDetails?.input));
    const role = parseStateName(name);
    const unexpanded = unexpandedMatrix.exec(name);
    if (unexpanded?.[1] !== undefined) {
      // A dynamic matrix that was not expanded: the job ends as one cell, skipped or failed with the error.
      const cell = this.cell(unexpanded[1], undefined, true);
      cell.startedAt ??= at;
      cell.endedAt = at;
      cell.status = unexpanded[2] === 'failed' ? 'failed' : 'skipped';
      const cause = asObject(data?.['matrixError'])?.['Cause'];
      if (unexpanded[2] === 'failed' && typeof cause === 'string') cell.error = errorMessage(cause);
      return;
    }
    if (role?.role === 'job-start') {
      const cell = this.cell(role.job, matrixOf(data), true);
      cell.startedAt ??= at;
      const index = data?.['cell'];
      if (typeof index === 'number') cell.index = index;
      return;
    }
    // An ordered Map (lib/asl/cell-order.ts) reads `{ cell, matrix }` items: iteration i runs cell items[i].cell.
    const items = asObject(data?.['cells'])?.['items'];
    if (role === undefined && Array.isArray(items)) this.orders.set(name, items.map((item) => asObject(item)?.['cell']));
    const cell = this.cell(role?.job ?? jobPrefix.exec(name)?.[1], matrixOf(data), role !== undefined);
    if (!cell) return;
    // In AWS a caught failure has no exit of its own: the Catch's next state holds the record, and
    // its previousEventId is the failure (the only link read, and only for the time).
    const failedAt = event.previousEventId === undefined ? undefined : this.failures.get(event.previousEventId);
    this.settleFromRecords(cell, data, failedAt ?? at);
    // The cell's data at its end holds the environment and the reviewer's answer (lib/asl/environment-gate.ts).
    if (role?.role === 'job-end') {
      const job = asObject(data?.['job']);
      const environment = asObject(job?.['environment']);
      const approval = asObject(job?.['approval']);
      if (typeof environment?.['name'] === 'string') {
        const decision = approval?.['decision'];
        const url = asObject(job?.['final'])?.['environmentUrl'];
        cell.environment = {
          name: environment['name'],
          ...(typeof url === 'string' && url !== '' && { url }),
          ...((decision === 'approved' || decision === 'rejected') && {
            approval: { decision, approver: String(approval?.['approver']), at: String(approval?.['at']), ...(typeof approval?.['comment'] === 'string' && { comment: approval['comment'] }) },
          }),
        };
      }
    }
    const jobError = asObject(data?.['jobError']);
    if (name === `${cell.id}: evaluation failed` && typeof jobError?.['Cause'] === 'string') cell.error = errorMessage(jobError['Cause']);
    // The cell's runner could not start (locally: a commit the repository does not have).
    const runnerError = asObject(asObject(data?.['job'])?.['runnerError']);
    if (name === `${cell.id}: runner failed` && typeof runnerError?.['Cause'] === 'string') cell.error = `the runner did not start: ${errorMessage(runnerError['Cause'])}`;
    if (role?.role === 'step-run') {
      const step = stepIn(cell, role.step);
      step.startedAt ??= at;
      step.status = 'running';
      step.endedAt = undefined;
      this.runs(cell);
    } else if (role?.role === 'step-skip') {
      stepIn(cell, role.step).status = 'skipped';
      this.runs(cell);
    } else if (!ended(cell.status)) {
      const wait = waitState.exec(name);
      if (wait?.[1] === 'lock') {
        const group = asObject(asObject(data?.['job'])?.['lock'])?.['group'];
        cell.status = 'waiting';
        cell.waitingFor = { kind: 'group', group: typeof group === 'string' ? group : '?' };
      } else if (wait) {
        cell.status = 'waiting';
        cell.waitingFor = { kind: 'approval' };
      } else if (cell.status === 'waiting') {
        // Past its lock or approval: the runner starts next.
        cell.status = 'running';
        cell.waitingFor = undefined;
      }
    }
  }

  /** The cell got past its waits: a step started (or was skipped by its `if:`). */
  private runs(cell: CellState): void {
    if (ended(cell.status)) return;
    cell.status = 'running';
    cell.waitingFor = undefined;
  }

  private exited(at: Date, event: HistoryEvent): void {
    const name = event.stateExitedEventDetails?.name ?? '';
    const data = asObject(parseJson(event.stateExitedEventDetails?.output));
    const runName = asObject(data?.['run'])?.['runName'];
    if (name === START_RUN_STATE && typeof runName === 'string') this.name = runName;
    const role = parseStateName(name);
    if (role?.role === 'job-end') {
      const cell = this.cell(role.job, matrixOf(data), false);
      if (!cell) return;
      const result = data?.['result'];
      // An unknown word is a contract break; calling it a failure keeps it visible.
      cell.status = (typeof result === 'string' ? resultWords[result] : undefined) ?? 'failed';
      cell.waitingFor = undefined;
      cell.endedAt = at;
      stopRunningSteps(cell, 'cancelled', at);
      return;
    }
    if (role?.role === 'step-run') {
      const cell = this.cell(role.job, matrixOf(data), false);
      const step = cell?.steps.find((candidate) => candidate.name === role.step);
      const record = asObject(asObject(data?.['steps'])?.[role.step]);
      if (step && record) settle(step, record, at);
      return;
    }
    // The job's own scope (its Map or Parallel state, named by the job id) ended: cells of that
    // job still running were stopped with it (fail-fast, or a stop from outside).
    if (role === undefined) this.stopCells((cell) => cell.id === name, at);
  }

  /** Fail-fast: a cell whose iteration failed or was aborted before it reached `end` was cancelled. */
  private iterationStopped(at: Date, event: HistoryEvent): void {
    const details = event.mapIterationFailedEventDetails ?? event.mapIterationAbortedEventDetails;
    const ordered = details?.name === undefined || details.index === undefined ? undefined : this.orders.get(details.name)?.[details.index];
    const index = typeof ordered === 'number' ? ordered : details?.index;
    this.stopCells((cell) => cell.id === details?.name && cell.index === index, at);
  }

  private executionEnded(type: string, at: Date, event: HistoryEvent): void {
    let status: RunStatus;
    if (type === 'ExecutionSucceeded') status = 'succeeded';
    else if (type === 'ExecutionFailed') status = supersededOr(event.executionFailedEventDetails?.error, 'failed');
    else if (type === 'ExecutionAborted') status = supersededOr(event.executionAbortedEventDetails?.error, 'cancelled');
    else if (type === 'ExecutionTimedOut') status = 'failed';
    else return;
    this.ended = { status, at };
    // Still running when the execution stopped: cancelled. A succeeded execution stops nothing, so
    // a job it left without an end never ran.
    this.stopCells(() => true, at, status === 'succeeded' ? 'skipped' : 'cancelled');
  }

  private stopCells(which: (cell: CellState) => boolean, at: Date, status: JobStatus = 'cancelled'): void {
    for (const cell of this.cellList) {
      if (ended(cell.status) || !which(cell)) continue;
      cell.status = status;
      cell.waitingFor = undefined;
      cell.endedAt = at;
      stopRunningSteps(cell, 'cancelled', at);
    }
  }

  private settleFromRecords(cell: CellState, data: JsonObject | undefined, at: Date): void {
    const records = asObject(data?.['steps']);
    if (!records) return;
    for (const step of cell.steps) {
      const record = asObject(records[step.name]);
      if (step.status === 'running' && record) settle(step, record, at);
    }
    // A step that failed before it ran (its expressions could not be evaluated) has a record only.
    for (const [name, value] of Object.entries(records)) {
      const record = asObject(value);
      if (record && recordStatus(record) === 'failed' && !cell.steps.some((step) => step.name === name)) {
        const cause = record['Cause'];
        const failure = typeof record['Error'] === 'string' ? { error: record['Error'], ...(typeof cause === 'string' ? { cause } : {}) } : undefined;
        cell.steps.push({ name, status: 'failed', startedAt: at, endedAt: at, ...(failure ? { failure } : {}) });
      }
    }
  }

  private cell(job: string | undefined, matrix: Matrix | undefined, create: true): CellState;
  private cell(job: string | undefined, matrix: Matrix | undefined, create: boolean): CellState | undefined;
  private cell(job: string | undefined, matrix: Matrix | undefined, create: boolean): CellState | undefined {
    if (job === undefined) return undefined;
    const key = cellKey(job, matrix);
    let cell = this.cellByKey.get(key);
    if (!cell && create) {
      cell = { id: job, ...(matrix ? { matrix } : {}), status: 'queued', steps: [] };
      this.cellByKey.set(key, cell);
      this.cellList.push(cell);
    }
    return cell;
  }
}

/** A Lambda task's Cause is the thrown error as JSON ({ errorType, errorMessage }) in AWS and locally. */
function errorMessage(cause: string): string {
  const parsed = asObject(parseJson(cause));
  const message = parsed?.['errorMessage'];
  return typeof message === 'string' ? message : cause;
}

/** A step's record (`$.steps['<id>']`) says how it ended. */
function settle(step: StepState, record: JsonObject, at: Date): void {
  const status = recordStatus(record);
  if (status === undefined) return;
  step.status = status;
  if (status === 'skipped') return;
  step.endedAt = at;
  if (status === 'failed' && typeof record['Error'] === 'string') {
    const cause = record['Cause'];
    step.failure = { error: record['Error'], ...(typeof cause === 'string' ? { cause } : {}) };
  }
  if (status !== 'succeeded') return;
  const annotations = record['annotations'];
  if (Array.isArray(annotations) && annotations.length > 0) step.annotations = annotations as unknown as StepAnnotation[];
  const outputs = recordOutputs(record);
  if (outputs && Object.keys(outputs).length > 0) step.outputs = outputs;
}

/**
 * The renderer's records ({ outcome: 'success', outputFileBase64 | outputs }, { Error, Cause },
 * { outcome: 'skipped' }) and GitHub's view ({ outcome: 'failure', conclusion, outputs }).
 */
function recordStatus(record: JsonObject): StepStatus | undefined {
  if (typeof record['Error'] === 'string') return 'failed';
  const outcome = record['outcome'];
  if (outcome === 'success') return 'succeeded';
  if (outcome === 'failure') return 'failed';
  if (outcome === 'skipped') return 'skipped';
  return undefined;
}

function recordOutputs(record: JsonObject): Readonly<Record<string, Json>> | undefined {
  try {
    return stepRecordOutputs(record as unknown as StepRecord) as Record<string, Json>;
  } catch {
    // A malformed $STEPDEPLOY_OUTPUT file failed the job when it was read; the report just omits it.
    return undefined;
  }
}

function stepIn(cell: CellState, name: string): StepState {
  let step = cell.steps.find((candidate) => candidate.name === name);
  if (!step) {
    step = { name, status: 'running' };
    cell.steps.push(step);
  }
  return step;
}

function stopRunningSteps(cell: CellState, status: JobStatus, at: Date): void {
  for (const step of cell.steps) {
    if (step.status === 'running') {
      step.status = status;
      step.endedAt = at;
    }
  }
}

function supersededOr(error: string | undefined, otherwise: RunStatus): RunStatus {
  return error === 'Superseded' ? 'superseded' : otherwise;
}

/** Key of a cell: job id plus the matrix with sorted keys, so key order in the data does not matter. */
function cellKey(job: string, matrix: Matrix | undefined): string {
  return `${job}\u0000${matrix ? canonicalJson(matrix) : ''}`;
}

function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as JsonObject).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function matrixOf(data: JsonObject | undefined): Matrix | undefined {
  const matrix = asObject(data?.['matrix']);
  return matrix && Object.keys(matrix).length > 0 ? matrix : undefined;
}

function asObject(value: Json | undefined): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

function parseJson(text: string | undefined): Json | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

/** The SDK gives Dates; histories read from JSON files give ISO strings or epoch milliseconds. */
export function eventTime(event: HistoryEvent): Date {
  const raw = event.timestamp as Date | string | number | undefined;
  const at = raw instanceof Date ? raw : raw === undefined ? new Date(Number.NaN) : new Date(raw);
  if (Number.isNaN(at.getTime())) throw new ReportError(`history event ${event.id ?? '?'} has no valid timestamp`);
  return at;
}
