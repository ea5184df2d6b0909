// Deployment approvals: a job whose environment has required reviewers parks on a task token until
// someone answers `stepdeploy approve` / `reject`. The pending approval is an item of its own
// (`approval#<run execution ARN>` / `<job>[#<cell>]`; ARNs hold no '#' and job ids are checked), so
// the status-change handler drops the approvals of an ended run with one Query, and a listing needs
// no history. The approver's answer is the task's output: it is recorded in the execution history
// and read by the report.

import type { HandlerDeps } from '../deps';
import { deleteItem, putItem, queryPrefix, tableOf, type Item } from '../coordination/table';

export const APPROVAL_PREFIX = 'approval#';

/**
 * The state machine tag holding the approval function's URL (AWS_IAM auth): where `stepdeploy
 * approve` / `reject` send an answer (lambdas/approval, lib/runtime/approvals/answer.ts).
 */
export const APPROVAL_URL_TAG = 'stepdeploy:approval-url';

export const approvalPk = (executionArn: string): string => `${APPROVAL_PREFIX}${executionArn}`;
export const approvalSk = (job: string, cell: number | undefined): string => (cell === undefined ? job : `${job}#${cell}`);

export interface ApprovalRequest {
  readonly executionArn: string;
  readonly job: string;
  readonly cell?: number;
  readonly environment: string;
  readonly reviewers: readonly string[];
  readonly taskToken: string;
}

/** What `stepdeploy approve` / `reject` sends as the approval task's output. */
export interface ApprovalDecision {
  readonly decision: 'approved' | 'rejected';
  readonly approver: string;
  readonly comment?: string;
  /** ISO-8601. */
  readonly at: string;
}

export interface PendingApproval {
  readonly executionArn: string;
  readonly job: string;
  readonly cell?: number;
  readonly environment: string;
  readonly reviewers: readonly string[];
  readonly requestedAt: string;
}

/** Records the pending approval; the task stays parked until someone answers its token. */
export async function requestApproval(deps: HandlerDeps, request: ApprovalRequest): Promise<{ readonly pending: true }> {
  const item: Item = {
    pk: { S: approvalPk(request.executionArn) },
    sk: { S: approvalSk(request.job, request.cell) },
    job: { S: request.job },
    environment: { S: request.environment },
    reviewers: { S: JSON.stringify(request.reviewers) },
    taskToken: { S: request.taskToken },
    requestedAt: { S: new Date(deps.now()).toISOString() },
    ...(request.cell === undefined ? {} : { cell: { N: String(request.cell) } }),
  };
  await putItem(tableOf(deps), item);
  return { pending: true };
}

/** The answer arrived (the state machine's next state): the approval is no longer pending. */
export async function approvalAnswered(deps: HandlerDeps, executionArn: string, job: string, cell: number | undefined): Promise<{ readonly deleted: true }> {
  await deleteItem(tableOf(deps), { pk: approvalPk(executionArn), sk: approvalSk(job, cell) });
  return { deleted: true };
}

/** An ended run waits for nothing: its pending approvals go (their tokens died with it). */
export async function dropApprovals(deps: HandlerDeps, executionArn: string): Promise<number> {
  const table = tableOf(deps);
  const items = await queryPrefix(table, approvalPk(executionArn), '');
  await Promise.all(items.map((item) => deleteItem(table, { pk: item.pk?.S ?? '', sk: item.sk?.S ?? '' })));
  return items.length;
}

export function pendingFromItem(item: Item): PendingApproval {
  return {
    executionArn: (item.pk?.S ?? '').slice(APPROVAL_PREFIX.length),
    job: item.job?.S ?? '',
    ...(item.cell?.N !== undefined ? { cell: Number(item.cell.N) } : {}),
    environment: item.environment?.S ?? '',
    reviewers: JSON.parse(item.reviewers?.S ?? '[]') as string[],
    requestedAt: item.requestedAt?.S ?? '',
  };
}
