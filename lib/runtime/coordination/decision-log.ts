// One log line per coordinator decision and per cleanup of an ended execution, with the keys a reader
// filters on in CloudWatch Logs Insights: `op`, `group`, `holder`, `executionArn`, `decision`.
import type { RuntimeLog } from '../log';
import type { ExecutionCleanup } from './execution-ended';
import type { AcquireResult, ReleaseResult } from './locks';
import type { CoordinatorRequest } from './requests';
import type { SweepResult } from './sweep';

/** Who asked for what: every request names its run's execution; lock requests name a group and a holder. */
function requestFields(request: CoordinatorRequest): Record<string, unknown> {
  switch (request.op) {
    case 'acquire':
      return { group: request.group, holder: request.holder, executionArn: request.executionArn, capacity: request.capacity, queue: request.queue, cancelInProgress: request.cancelInProgress };
    case 'release':
    case 'renew':
      return { group: request.group, holder: request.holder, executionArn: request.holder.split('#')[0] };
    case 'needs.wait':
      return { executionArn: request.executionArn, job: request.job, needs: request.needs };
    case 'needs.publish':
    case 'release.job':
    case 'runners.stop':
    case 'approval.answered':
      return { executionArn: request.executionArn, job: request.job };
    case 'approval.request':
      // The task token stays out of the log: anyone holding it could answer the approval.
      return { executionArn: request.executionArn, job: request.job, cell: request.cell, environment: request.environment };
  }
}

/** What was decided, in one word plus its details. */
function decisionFields(request: CoordinatorRequest, result: unknown): Record<string, unknown> {
  switch (request.op) {
    case 'acquire': {
      const { outcome, ...details } = result as AcquireResult;
      return { decision: outcome, ...details };
    }
    case 'release': {
      const { released, granted } = result as ReleaseResult;
      return { decision: released ? 'released' : 'nothing held', granted };
    }
    default:
      return { decision: 'done', result };
  }
}

export function logCoordination(log: RuntimeLog, request: CoordinatorRequest, result: unknown): void {
  log.info(`coordinator ${request.op}`, { op: request.op, ...requestFields(request), ...decisionFields(request, result) });
}

export function logExecutionEnded(log: RuntimeLog, executionArn: string, status: string, cleanup: ExecutionCleanup, stoppedRunners: readonly string[]): void {
  log.info('execution ended', {
    op: 'execution.ended',
    executionArn,
    status,
    decision: cleanup.groups.length === 0 ? 'nothing held' : 'released',
    groups: cleanup.groups,
    stoppedRunners,
  });
}

export function logSweep(log: RuntimeLog, result: SweepResult): void {
  log.info('lease sweep', { op: 'sweep', decision: result.reclaimed.length === 0 ? 'nothing reclaimed' : 'reclaimed', ...result });
}
