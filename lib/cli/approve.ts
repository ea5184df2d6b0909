// `stepdeploy approve EXECUTION` and `stepdeploy reject EXECUTION`: answer a job's pending deployment
// approval (its environment has required reviewers). The answer — decision, approver, time, comment —
// becomes the approval task's output, so the execution history and the report keep it.

import { DescribeExecutionCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { ApprovalDecision } from '../runtime/approvals/approvals';
import { commandWithUsage, parseCommandArgs, UsageError } from './args';
import type { CliIo, Command } from './io';
import { describe } from './approval-text';
import { pendingApprovals, type PendingApproval } from './pending-approvals';
import { fetchHistory } from './report';
import { checkEndpoint, defaultSfnCommandDeps, sfnErrorMessage, type SfnCommandDeps } from './sfn-client';
import { executionArnArgument } from './watch';

const help = (command: 'approve' | 'reject'): string => `Usage: stepdeploy ${command} EXECUTION_ARN [--job JOB] [--comment TEXT] [--as NAME] [--endpoint URL]

${command === 'approve' ? 'Approves' : 'Rejects'} a job's pending deployment to an environment whose rules in environments.yml
require reviewers. ${command === 'approve' ? 'The job goes on to its steps.' : 'The job fails without running its steps.'} Your name, the time and the comment
are recorded in the execution history and the run report.

Options:
  --job JOB       which job, when several wait (a matrix job: every cell that waits)
  --comment TEXT  recorded with the decision
  --as NAME       the reviewer you are (default: $USER); must be one of the environment's reviewers
  --endpoint URL  a local Step Functions API (stepdeploy run, stepdeploy dev) instead of AWS
  -h, --help      show this help
`;

export const approveHelp = help('approve');
export const rejectHelp = help('reject');

export function createDecide(decision: ApprovalDecision['decision'], deps: Pick<SfnCommandDeps, 'sfnClient'>, now: () => Date = () => new Date()): Command {
  const command = decision === 'approved' ? 'approve' : 'reject';
  return commandWithUsage(async (args, io) => {
    const { values, positionals } = parseCommandArgs(command, args, {
      job: { type: 'string' },
      comment: { type: 'string' },
      as: { type: 'string' },
      endpoint: { type: 'string' },
    });
    if (values.help) {
      io.stdout(help(command));
      return 0;
    }
    const executionArn = executionArnArgument(positionals, command);
    const approver = values.as ?? io.env.USER ?? io.env.USERNAME;
    if (approver === undefined || approver === '') throw new UsageError('who approves? give --as NAME (USER is not set)', command);
    const sfn = deps.sfnClient(checkEndpoint(values.endpoint, command));
    try {
      const chosen = await choose(sfn, executionArn, values.job, command, io);
      if (typeof chosen === 'number') return chosen;
      for (const approval of chosen) {
        if (approval.reviewers.length > 0 && !approval.reviewers.includes(approver)) {
          io.stderr(`stepdeploy ${command}: ${approver} is not a required reviewer of environment '${approval.environment}' (reviewers: ${approval.reviewers.join(', ')})\n`);
          return 1;
        }
      }
      const answer: ApprovalDecision = { decision, approver, ...(values.comment !== undefined ? { comment: values.comment } : {}), at: now().toISOString() };
      for (const approval of chosen) {
        await sfn.send(new SendTaskSuccessCommand({ taskToken: approval.taskToken, output: JSON.stringify(answer) }));
        io.stdout(`${decision} ${describe(approval)} as ${approver}\n`);
      }
      return 0;
    } catch (error) {
      io.stderr(`stepdeploy ${command}: ${sfnErrorMessage(error)}\n`);
      return 1;
    }
  });
}

/** The approvals to answer, or an exit code after saying why there are none. */
async function choose(sfn: SFNClient, executionArn: string, job: string | undefined, command: string, io: CliIo): Promise<PendingApproval[] | number> {
  const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  if (execution.status !== 'RUNNING') {
    const why = [execution.error, execution.cause].filter((part) => part !== undefined && part !== '').join(': ');
    io.stderr(`stepdeploy ${command}: the execution has ended (${execution.status ?? 'UNKNOWN'}${why === '' ? '' : `: ${why}`}); its pending approvals were dropped, nothing to ${command}\n`);
    return 1;
  }
  const pending = pendingApprovals(await fetchHistory(sfn, executionArn));
  const chosen = job === undefined ? pending : pending.filter((approval) => approval.job === job);
  if (chosen.length === 0) {
    const waiting = pending.map(describe).join(', ');
    io.stderr(`stepdeploy ${command}: ${job === undefined ? 'no job' : `job '${job}'`} waits for an approval${waiting === '' ? '' : ` (waiting: ${waiting})`}\n`);
    return 1;
  }
  const jobs = new Set(chosen.map((approval) => approval.job));
  if (job === undefined && jobs.size > 1) {
    io.stderr(`stepdeploy ${command}: several jobs wait for an approval (${[...jobs].join(', ')}): choose one with --job\n`);
    return 2;
  }
  return chosen;
}

export const approve: Command = createDecide('approved', defaultSfnCommandDeps);
export const reject: Command = createDecide('rejected', defaultSfnCommandDeps);
