// The job that calls a reusable workflow, once the called jobs are inlined (lib/model/reusable/inline.ts):
// one evaluate task after them that writes the call's `{ result, outputs, upstream }` where a job's
// result goes, so that dependents read `needs.<caller>` as on GitHub. No start or end state: progress
// and reports show the called jobs (`<caller> / <job>`), as GitHub does.

import type { StoreNames } from '../model/store-names';
import type { Job } from '../model/workflow';
import { BRANCH_END } from './branch-end';
import { jobLabel } from './names';
import { dataKey } from './paths';
import type { RuntimeRefs } from './refs';
import type { StateSet } from './state-set';
import type { JsonValue } from './types';
import { TaskResources } from './types';
import { lambdaServiceRetry } from './retries';

export const callResultState = (job: string): string => `${jobLabel(job)}: call result`;

export function renderCallResult(set: StateSet, job: Job, refs: RuntimeRefs, names: StoreNames, next: string | undefined): string {
  const call = job.callResult!;
  const payload: Record<string, JsonValue> = {
    op: 'call.finish',
    job: job.id,
    needs: [...job.needs],
    jobs: [...call.jobs],
    cells: call.gates as unknown as JsonValue,
    ...(job.gates !== undefined && { gates: job.gates as unknown as JsonValue }),
    // As text: an output name of the user's ending in `.$` must not become a path.
    outputs: JSON.stringify(call.outputs),
    // The vars the calling job's if: and with: read, fetched before evaluation as a job start fetches them.
    ...(job.vars.length > 0 && { vars: { names: [...job.vars], prefix: names.parameters } }),
    'context.$': '$',
  };
  return set.add(callResultState(job.id), {
    Type: 'Task',
    Comment: `The result of job ${job.id}'s call of a reusable workflow.`,
    Resource: TaskResources.lambdaInvoke,
    Parameters: { FunctionName: refs.evaluateFunctionArn, Payload: payload },
    Retry: [lambdaServiceRetry],
    ResultSelector: { 'result.$': '$.Payload.result', 'outputs.$': '$.Payload.outputs', 'upstream.$': '$.Payload.upstream' },
    ResultPath: `$.needs${dataKey(job.id)}`,
    ...(next === undefined ? BRANCH_END : { Next: next }),
  });
}
