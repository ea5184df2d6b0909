// How pending approvals are named to people: light on purpose (no SDK), since `run` prints it too.
import type { PendingApproval } from './pending-approvals';

export function describe(approval: PendingApproval): string {
  return `job ${approval.job}${approval.cell === undefined ? '' : ` (cell ${approval.cell})`} → environment ${approval.environment}`;
}

/** How to answer a pending approval: printed by `watch`, and by `run` off a terminal. */
export function approvalPrompt(approval: PendingApproval, executionArn: string, endpoint: string | undefined): string {
  const region = executionArn.split(':')[3] ?? 'us-east-1';
  const console = `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
  return (
    `waiting for approval: ${describe(approval)} (reviewers: ${approval.reviewers.join(', ')})\n` +
    `  stepdeploy approve ${executionArn} --job ${approval.job}${endpoint === undefined ? '' : ` --endpoint ${endpoint}`}   (or reject)` +
    `${endpoint === undefined ? `\n  ${console}` : ''}\n`
  );
}
