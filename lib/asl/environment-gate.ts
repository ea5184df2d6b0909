// What a job waits for before its first step when its environment has protection rules
// (environments.yml): the wait timer, a Wait state, then the approval, a task token the coordinator
// parks as a pending-approval item until `stepdeploy approve` or `reject` answers it. The job's lock
// is already held (the cell order: needs, lock, wait timer, approval, steps). Which rules apply is
// known when the job starts (the environment may be an expression), so Choices on `$.job.environment`
// pass through; the states exist only when some environment the job can reach has such a rule.

import type { EnvironmentRules, Job } from '../model/workflow';
import { coordinatorTask, RUN_EXECUTION } from './coordination';
import { jobApprovalState, jobLabel } from './names';
import type { RuntimeRefs } from './refs';
import { coordinatorBusyRetry, lambdaServiceRetry } from './retries';
import type { StateSet } from './state-set';
import { TaskResources, type JsonValue } from './types';

/** GitHub's limit for a pending deployment review: 30 days. */
export const APPROVAL_TIMEOUT_SECONDS = 30 * 24 * 60 * 60;

/** The environments a job's `environment:` can name: the literal one, or all of them for an expression. */
export function reachableEnvironments(job: Job, environments: Readonly<Record<string, EnvironmentRules>>): [string, EnvironmentRules][] {
  if (job.environment === undefined) return [];
  const literal = !job.environment.name.includes('${{');
  return Object.entries(environments).filter(([name]) => !literal || name === job.environment?.name);
}

/** Renders the gate in front of `next`; a rejected (or unanswered) approval goes to `rejected`. Returns the entry. */
export function renderEnvironmentGate(
  set: StateSet,
  job: Job,
  context: { readonly refs: RuntimeRefs; readonly environments: Readonly<Record<string, EnvironmentRules>>; readonly hasMatrix: boolean },
  next: string,
  rejected: string,
): string {
  const rules = reachableEnvironments(job, context.environments).map(([, value]) => value);
  const label = jobLabel(job.id);
  let entry = next;
  if (rules.some((rule) => rule.requiredReviewers.length > 0)) {
    const cell: Record<string, JsonValue> = context.hasMatrix ? { 'cell.$': '$.cell' } : {};
    const refused = set.add(`${label}: rejected`, {
      Type: 'Pass',
      Comment: 'A reviewer rejected the deployment, or nobody answered within 30 days: the job fails without running its steps.',
      Result: 'failure',
      ResultPath: '$.job.status',
      Next: rejected,
    });
    // Two Choices: a timed-out task leaves { Error, Cause } there, and a missing path fails a comparison.
    const approved = set.add(`${label}: approved?`, {
      Type: 'Choice',
      Choices: [{ Variable: '$.job.approval.decision', StringEquals: 'approved', Next: next }],
      Default: refused,
    });
    const decided = set.add(`${label}: answered?`, {
      Type: 'Choice',
      Choices: [{ Variable: '$.job.approval.decision', IsPresent: true, Next: approved }],
      Default: refused,
    });
    const answered = set.add(`${label}: approval answered`, {
      ...coordinatorTask(context.refs, { op: 'approval.answered', job: job.id, ...cell }),
      Comment: 'The approval is no longer pending (the status-change handler would drop it at the end of the run otherwise).',
      ResultPath: null,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: decided }],
      Next: decided,
    });
    const approval = set.add(jobApprovalState(job.id), {
      Type: 'Task',
      Comment: 'Waits for stepdeploy approve / reject; the answer ({ decision, approver, comment, at }) is this task’s output.',
      Resource: TaskResources.lambdaInvokeWaitForToken,
      Parameters: {
        FunctionName: context.refs.coordinatorFunctionArn,
        Payload: {
          op: 'approval.request',
          job: job.id,
          ...cell,
          'environment.$': '$.job.environment.name',
          'reviewers.$': '$.job.environment.reviewers',
          'executionArn.$': RUN_EXECUTION,
          'taskToken.$': '$$.Task.Token',
        },
      },
      TimeoutSeconds: APPROVAL_TIMEOUT_SECONDS,
      ResultPath: '$.job.approval',
      Retry: [lambdaServiceRetry, coordinatorBusyRetry],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.job.approval', Next: answered }],
      Next: answered,
    });
    entry = set.add(`${label}: approval?`, {
      Type: 'Choice',
      Choices: [{ Variable: '$.job.environment.approval', BooleanEquals: true, Next: approval }],
      Default: next,
    });
  }
  if (rules.some((rule) => rule.waitTimerMinutes > 0)) {
    const wait = set.add(`${label}: wait timer`, {
      Type: 'Wait',
      Comment: 'The environment’s wait timer.',
      SecondsPath: '$.job.environment.waitSeconds',
      Next: entry,
    });
    entry = set.add(`${label}: wait timer?`, {
      Type: 'Choice',
      Choices: [{ Variable: '$.job.environment.waitSeconds', NumericGreaterThan: 0, Next: wait }],
      Default: entry,
    });
  }
  return entry;
}
