import { callFinish, type CallFinishEvent } from './call-finish';
import { jobAggregate, jobFinish, type JobAggregateEvent, type JobFinishEvent } from './job-finish';
import { jobMatrix, type JobMatrixEvent } from './job-matrix';
import { jobOrder, type JobOrderEvent } from './job-order';
import { jobStart, type JobStartEvent } from './job-start';
import { runFinish, type RunFinishEvent } from './run-finish';
import { runStart, type RunStartEvent } from './run-start';
import { stepPrepare, type StepPrepareEvent } from './step-prepare';

export type EvaluateEvent = RunStartEvent | JobMatrixEvent | JobOrderEvent | JobStartEvent | StepPrepareEvent | JobFinishEvent | JobAggregateEvent | RunFinishEvent | CallFinishEvent;

/** The evaluate function's one entry: every expression of a running workflow is evaluated here. */
export function evaluateOp(event: EvaluateEvent): unknown {
  switch (event.op) {
    case 'run.start':
      return runStart(event);
    case 'job.matrix':
      return jobMatrix(event);
    case 'job.order':
      return jobOrder(event);
    case 'job.start':
      return jobStart(event);
    case 'step.prepare':
      return stepPrepare(event);
    case 'job.finish':
      return jobFinish(event);
    case 'job.aggregate':
      return jobAggregate(event);
    case 'call.finish':
      return callFinish(event);
    case 'run.finish':
      return runFinish(event);
    default:
      throw new Error(`unknown evaluate op '${(event as { op: string }).op}'`);
  }
}
