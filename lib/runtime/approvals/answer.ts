// Answering a pending deployment approval, where the answer is recorded: the approval function
// (lambdas/approval) gets the caller's identity from its AWS_IAM function URL, checks it against
// the environment's required reviewers stored with the pending approval (they come from
// environments.yml through the definition, never from the caller), and only then sends the task
// token, which the caller never sees. A caller who is not a reviewer is refused here, whatever
// client they use; the approver recorded is the reviewer entry their identity matched.

import { DescribeExecutionCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import type { HandlerDeps } from '../deps';
import { errorName } from '../coordination/errors';
import { queryPrefix, tableOf } from '../coordination/table';
import { approvalPk, pendingFromItem, type ApprovalDecision, type PendingApproval } from './approvals';

/** Why an answer was refused; the approval function maps each to an HTTP status. */
export type AnswerRefusal = 'not-a-reviewer' | 'nothing-pending' | 'choose-job' | 'ended' | 'bad-request';

export class AnswerRefused extends Error {
  constructor(
    readonly refusal: AnswerRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'AnswerRefused';
  }
}

export interface AnswerRequest {
  readonly executionArn: string;
  /** Which job, when several wait (a matrix job: every waiting cell). */
  readonly job?: string;
  readonly decision: ApprovalDecision['decision'];
  readonly comment?: string;
  /** The caller's IAM principal ARN, as the function URL's authorizer gives it. */
  readonly principal: string;
}

export interface Answered {
  readonly job: string;
  readonly cell?: number;
  readonly environment: string;
  readonly approver: string;
}

/**
 * The names a principal may be listed under in `required-reviewers`: its ARN always; an IAM user's
 * name; an IAM Identity Center user's name (the session of an `AWSReservedSSO_` role, which
 * Identity Center sets and the user cannot choose). Any other role session only by its ARN
 * (`arn:aws:sts::<account>:assumed-role/<role>/<session>`): whoever may assume a role picks the
 * session name.
 */
export function reviewerNames(principal: string): string[] {
  const names = [principal];
  const user = /^arn:aws[a-z-]*:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(principal);
  if (user) names.push(user[1]!);
  const sso = /^arn:aws[a-z-]*:sts::\d{12}:assumed-role\/AWSReservedSSO_[^/]+\/([^/]+)$/.exec(principal);
  if (sso) names.push(sso[1]!);
  return names;
}

/** Checks the caller against each pending approval chosen, then answers them all (or none). */
export async function answerApproval(deps: HandlerDeps, request: AnswerRequest): Promise<Answered[]> {
  const items = await queryPrefix(tableOf(deps), approvalPk(request.executionArn), '');
  const pending = items.map((item) => ({ approval: pendingFromItem(item), taskToken: item.taskToken?.S ?? '' }));
  const chosen = request.job === undefined ? pending : pending.filter(({ approval }) => approval.job === request.job);
  if (chosen.length === 0) {
    await refuseWhenEnded(deps, request.executionArn);
    const waiting = pending.map(({ approval }) => describe(approval)).join(', ');
    throw new AnswerRefused('nothing-pending', `${request.job === undefined ? 'no job' : `job '${request.job}'`} waits for an approval${waiting === '' ? '' : ` (waiting: ${waiting})`}`);
  }
  const jobs = [...new Set(chosen.map(({ approval }) => approval.job))];
  if (jobs.length > 1) throw new AnswerRefused('choose-job', `several jobs wait for an approval (${jobs.join(', ')}): choose one`);
  const names = reviewerNames(request.principal);
  const approvers = chosen.map(({ approval }) => {
    const approver = approval.reviewers.find((reviewer) => names.includes(reviewer));
    if (approver === undefined) {
      throw new AnswerRefused('not-a-reviewer', `${request.principal} is not a required reviewer of environment '${approval.environment}' (reviewers: ${approval.reviewers.join(', ')})`);
    }
    return approver;
  });
  const at = new Date(deps.now()).toISOString();
  const answered: Answered[] = [];
  for (const [index, { approval, taskToken }] of chosen.entries()) {
    const approver = approvers[index]!;
    const answer: ApprovalDecision = { decision: request.decision, approver, ...(request.comment !== undefined ? { comment: request.comment } : {}), at };
    try {
      await deps.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(answer) }));
    } catch (error) {
      // The run ended (or the task timed out) between the listing and the answer: its approval is gone.
      if (['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken'].includes(errorName(error) ?? '')) {
        throw new AnswerRefused('ended', `the approval of ${describe(approval)} is no longer pending (${errorName(error)}): its run ended or it timed out`);
      }
      throw error;
    }
    answered.push({ job: approval.job, ...(approval.cell !== undefined ? { cell: approval.cell } : {}), environment: approval.environment, approver });
  }
  return answered;
}

/** An ended run's approvals were dropped by the status-change handler: say so rather than "nothing waits". */
async function refuseWhenEnded(deps: HandlerDeps, executionArn: string): Promise<void> {
  let status: string | undefined;
  let why = '';
  try {
    const execution = await deps.sfn.send(new DescribeExecutionCommand({ executionArn }));
    status = execution.status;
    why = [execution.error, execution.cause].filter((part) => part !== undefined && part !== '').join(': ');
  } catch (error) {
    if (errorName(error) === 'ExecutionDoesNotExist') throw new AnswerRefused('nothing-pending', `no execution ${executionArn}`);
    throw error;
  }
  if (status !== 'RUNNING') {
    throw new AnswerRefused('ended', `the execution has ended (${status ?? 'UNKNOWN'}${why === '' ? '' : `: ${why}`}); its pending approvals were dropped`);
  }
}

const describe = (approval: Pick<PendingApproval, 'job' | 'cell' | 'environment'>): string =>
  `job ${approval.job}${approval.cell === undefined ? '' : ` (cell ${approval.cell})`} → environment ${approval.environment}`;
