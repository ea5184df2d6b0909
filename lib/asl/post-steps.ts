// Actions' post steps at the end of a job cell, as GitHub runs them: after every other step, in
// reverse order, after failures too. Each is a state `<job>.__post_<step>: run` (a step id no user
// can write: `__` ids are reserved), a task of the cell's runner, which runs the post of an action
// whose main step ran, evaluating its `post-if` (default `always()`) against the job's status; a
// post whose main step never ran answers `skipped`. A failed post fails the job.

import type { ActionStep, Job } from '../model/workflow';
import { cellIdExpression, remoteActionFields } from './runner';
import { jobLabel, stepRunState } from './names';
import type { RuntimeRefs } from './refs';
import { lambdaServiceRetry } from './retries';
import type { StateSet } from './state-set';
import { stepDisplayName } from './step-display-name';
import { stepRecordPath } from './steps';
import { TaskResources } from './types';

export const POST_STEP_PREFIX = '__post_';

export const postStepId = (step: Pick<ActionStep, 'id'>): string => `${POST_STEP_PREFIX}${step.id}`;

export interface PostStepsContext {
  readonly set: StateSet;
  readonly job: Job;
  readonly refs: RuntimeRefs;
  readonly hasMatrix: boolean;
  readonly heartbeatSeconds: number;
}

/** Renders the posts before `next`; returns the first state to enter (or `next` when there is none). */
export function renderPostSteps(ctx: PostStepsContext, next: string): string {
  const { set, job } = ctx;
  const actions = job.steps.filter((step): step is ActionStep => step.kind === 'action' && step.hasPost);
  let entry = next;
  // The last action's post runs first: render from the first action's (the last to run) backwards.
  actions.forEach((step, position) => {
    const id = postStepId(step);
    const timeoutSeconds = job.timeoutMinutes * 60;
    const heartbeatSeconds = Math.min(ctx.heartbeatSeconds, timeoutSeconds - 1);
    const failed = set.add(`${jobLabel(job.id)}.${id}: failed`, { Type: 'Pass', Result: 'failure', ResultPath: '$.job.status', Next: entry });
    entry = set.add(stepRunState(job.id, id), {
      Type: 'Task',
      Comment: `Post ${stepDisplayName(step)}`,
      Resource: TaskResources.lambdaInvokeWaitForToken,
      Parameters: {
        FunctionName: ctx.refs.runnerDispatchFunctionArn,
        Payload: {
          op: 'step',
          'runner.$': cellIdExpression(job, ctx.hasMatrix),
          // After every step of the job: its own work item and files.
          seq: job.steps.length + position,
          step: id,
          script: '',
          shell: 'bash',
          action: { stage: 'post', main: step.id, path: step.path, uses: step.uses, with: [], ...remoteActionFields(step) },
          'jobStatus.$': '$.job.status',
          'env.$': '$.job.envList',
          heartbeatSeconds,
          'taskToken.$': '$$.Task.Token',
        },
      },
      HeartbeatSeconds: heartbeatSeconds,
      TimeoutSeconds: timeoutSeconds,
      ResultPath: stepRecordPath({ id }),
      Retry: [lambdaServiceRetry],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: stepRecordPath({ id }), Next: failed }],
      Next: entry,
    });
  });
  if (entry === next) return next;
  // A runner that never started has no posts to run (and would never answer).
  return set.add(`${jobLabel(job.id)}: post steps?`, {
    Type: 'Choice',
    Choices: [{ Variable: `$.job.runnerError`, IsPresent: true, Next: next }],
    Default: entry,
  });
}
