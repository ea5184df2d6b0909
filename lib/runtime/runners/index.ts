// The table side of the runner protocol (docs/architecture.md, "Job runners"): what the dispatch
// function writes, what the status-change handler stops, and the result shapes a runner reports.

export { dispatchStep, parseDispatchRequest, type DispatchResult } from './dispatch';
export { stopExecutionRunners, stopJobRunners, writeStopItem } from './stop';
export { cellOfRunnerId, runnerIdOf, runnerIdParts, runnerIndexKey, runnerPk, stepItemKey, stopItemKey, RUNNER_PREFIX, STEP_PREFIX, STOP_SK } from './keys';
export { readWorkItem, workItem, type ActionWork, type NestedActionWork, type EnvVariable, type StepWork } from './work-item';
export { boundedText, parseStepFailedCause, LAST_LINES, STEP_FAILED, SUMMARY_LIMIT_BYTES, type StepAnnotation, type StepFailedCause, type StepSkipped, type StepSuccess } from './results';
export { fileSafeName, parseStepLogFileName, stepLogFileName, stepLogKey, type StepLogName } from './log-names';
export { cancelRequested, requestCancel, runnerCancelKey, CANCEL_SK, CANCELLED_ERROR } from './cancel';
