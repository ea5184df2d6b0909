// One entry for the coordinator Lambda (and the local engine): runs a parsed request and logs the
// decision (lib/runtime/coordination/decision-log.ts).

import { approvalAnswered, requestApproval } from '../approvals/approvals';
import type { HandlerDeps } from '../deps';
import { silentLog } from '../log';
import { publishResult, waitForNeeds } from './barrier';
import { logCoordination } from './decision-log';
import { releaseJob } from './execution-ended';
import { stopJobRunners } from '../runners/stop';
import { acquire, release, renew } from './locks';
import type { CoordinatorRequest } from './requests';

export async function coordinate(deps: HandlerDeps, request: CoordinatorRequest): Promise<unknown> {
  const result = await run(deps, request);
  logCoordination(deps.log ?? silentLog, request, result);
  return result;
}

function run(deps: HandlerDeps, request: CoordinatorRequest): Promise<unknown> {
  switch (request.op) {
    case 'acquire':
      return acquire(deps, request);
    case 'release':
      return release(deps, request);
    case 'renew':
      return renew(deps, request);
    case 'needs.wait':
      return waitForNeeds(deps, request);
    case 'needs.publish':
      return publishResult(deps, request);
    case 'release.job':
      return releaseJob(deps, request.executionArn, request.job);
    case 'runners.stop':
      return stopJobRunners(deps, request.executionArn, request.job).then((runners) => ({ runners }));
    case 'approval.request':
      return requestApproval(deps, request);
    case 'approval.answered':
      return approvalAnswered(deps, request.executionArn, request.job, request.cell);
  }
}

