// Execution history → run report. The history is the only source, so a local run and a run in AWS
// give the same report.
import { reportJobId, reportStepName, type StepNames } from './step-names';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { HistoryFold, type LiveCell, type LiveStep } from './history-fold';
import type { JobReport, JobStatus, RunReport, StepReport } from './report';
import { ReportError } from './report-error';
import { stepFailureDetails } from './step-failure';

export { ReportError };

export function buildReport(args: {
  readonly workflow: string;
  readonly executionArn: string;
  readonly history: readonly HistoryEvent[];
  /** Display names of the steps (from the state machine definition); step ids without them. */
  readonly stepNames?: StepNames;
}): RunReport {
  const fold = new HistoryFold();
  for (const event of [...args.history].sort((a, b) => (a.id ?? 0) - (b.id ?? 0))) fold.add(event);
  const startedAt = fold.executionStartedAt;
  const end = fold.executionEnd;
  if (!startedAt) throw new ReportError(`the history of ${args.executionArn} has no ExecutionStarted event`);
  if (!end) {
    throw new ReportError(
      `${args.executionArn} has not ended yet: a report needs an ExecutionSucceeded, ExecutionFailed, ExecutionAborted or ExecutionTimedOut event`,
    );
  }
  const runName = fold.runName;
  return {
    workflow: args.workflow,
    ...(runName !== undefined && runName !== args.workflow && { runName }),
    execution: args.executionArn,
    status: end.status,
    startedAt: startedAt.toISOString(),
    endedAt: end.at.toISOString(),
    jobs: fold.cells.map((cell) => jobReport(cell, args.stepNames)),
  };
}

function jobReport(cell: LiveCell, names: StepNames | undefined): JobReport {
  // Once the execution has ended the fold has settled every cell; a live status cannot remain.
  const status: JobStatus = cell.status === 'running' || cell.status === 'queued' || cell.status === 'waiting' ? 'cancelled' : cell.status;
  return {
    id: reportJobId(names, cell.id),
    ...(cell.matrix ? { matrix: cell.matrix } : {}),
    status,
    ...(status === 'skipped' ? {} : times(cell)),
    steps: cell.steps.map((step) => stepReport(step, reportStepName(names, cell.id, step.name, cell.matrix))),
    ...(cell.error !== undefined ? { error: cell.error } : {}),
    ...(cell.environment !== undefined ? { environment: cell.environment } : {}),
  };
}

function stepReport(step: LiveStep, name: string): StepReport {
  const status: JobStatus = step.status === 'running' || step.status === 'queued' || step.status === 'waiting' ? 'cancelled' : step.status;
  return {
    name,
    status,
    ...(status === 'skipped' ? {} : times(step)),
    ...(step.outputs ? { outputs: step.outputs } : {}),
    ...(step.annotations ? { annotations: step.annotations } : {}),
    ...(status === 'failed' && step.failure ? failureFields(step.failure.error, step.failure.cause) : {}),
  };
}

function failureFields(error: string, cause: string | undefined): Partial<StepReport> {
  const details = stepFailureDetails(error, cause);
  return {
    error,
    ...(cause !== undefined ? { cause } : {}),
    ...(details.exitCode !== undefined ? { exitCode: details.exitCode } : {}),
    ...(details.lastLines.length > 0 ? { lastLines: details.lastLines } : {}),
    ...(details.log !== undefined ? { log: details.log } : {}),
    ...(details.annotations !== undefined ? { annotations: details.annotations } : {}),
  };
}

function times(span: { readonly startedAt?: Date; readonly endedAt?: Date }): {
  startedAt?: string;
  endedAt?: string;
} {
  return {
    ...(span.startedAt ? { startedAt: span.startedAt.toISOString() } : {}),
    ...(span.endedAt ? { endedAt: span.endedAt.toISOString() } : {}),
  };
}
