// The coordination runtime: concurrency groups, queues, semaphores, max-parallel windows and the
// needs barrier, on one DynamoDB table with single-item conditional writes.

export { coordinate } from './coordinator';
export { parseCoordinatorRequest, type CoordinatorRequest } from './requests';
export { acquire, release, renew, type AcquireCommand, type AcquireResult, type ReleaseCommand, type ReleaseResult, type RenewCommand } from './locks';
export { waitForNeeds, publishResult, type NeedsWaitCommand, type NeedsPublishCommand, type NeedsOutput } from './barrier';
export { releaseExecution, releaseJob, type ExecutionCleanup, type GroupCleanup } from './execution-ended';
export { sweepExpiredLeases, type SweepResult } from './sweep';
export { parseStatusChange, ENDED_STATUSES, type StatusChange } from './status-change';
export { CoordinationError, ErrorNames } from './errors';
export { groupKey, windowGroup } from './keys';
export { MAX_QUEUE_LENGTH } from './group-state';
export type { GrantOutput } from './notify';
