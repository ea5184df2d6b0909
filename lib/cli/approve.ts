// `stepdeploy approve EXECUTION` and `stepdeploy reject EXECUTION`: answer a job's pending deployment
// approval (its environment has required reviewers) through the approval function, which checks the
// caller's identity against the reviewers (lib/runtime/approvals/answer.ts). The answer — decision,
// approver, time, comment — becomes the approval task's output, so the history and the report keep it.

import { DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { answerSigner, approvalUrl, postAnswer } from './approval-answer';
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
require reviewers, through the stack's approval function, which refuses anyone not among them. ${command === 'approve' ? 'The job goes on to its steps.' : 'The job fails without running its steps.'} Your name, the time and the comment
are recorded in the execution history and the run report.

Options:
  --job JOB       which job, when several wait (a matrix job: every cell that waits)
  --comment TEXT  recorded with the decision
  --as NAME       on a local engine: the user you are (default: $USER); in AWS the approval function
                  knows you from your credentials (an IAM user's or IAM Identity Center user's name,
                  or your principal's ARN, must be in required-reviewers)
  --endpoint URL  a local Step Functions API (stepdeploy run, stepdeploy dev) instead of AWS
  -h, --help      show this help
`;

export const approveHelp = help('approve');
export const rejectHelp = help('reject');

export function createDecide(decision: ApprovalDecision['decision'], deps: Pick<SfnCommandDeps, 'sfnClient'>): Command {
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
    const endpoint = checkEndpoint(values.endpoint, command);
    // In AWS you are who your credentials say (the approval function checks it); a local engine has no IAM.
    if (values.as !== undefined && endpoint === undefined) throw new UsageError('--as is for a local engine (--endpoint): in AWS the approval function reads who you are from your credentials', command);
    const localUser = values.as ?? io.env.USER ?? io.env.USERNAME;
    if (endpoint !== undefined && (localUser === undefined || !LOCAL_USER.test(localUser))) {
      throw new UsageError(localUser === undefined ? 'who approves? give --as NAME (USER is not set)' : `--as '${localUser}': a user name is letters, digits and + = , . @ _ -`, command);
    }
    const sfn = deps.sfnClient(endpoint);
    try {
      const chosen = await choose(sfn, executionArn, values.job, command, io);
      if (typeof chosen === 'number') return chosen;
      const url = await approvalUrl(sfn, executionArn, endpoint);
      const reply = await postAnswer(
        url,
        { executionArn, decision, ...(values.job !== undefined ? { job: values.job } : {}), ...(values.comment !== undefined ? { comment: values.comment } : {}) },
        await answerSigner(sfn, endpoint, localUser ?? ''),
      );
      if (reply.status !== 200 || reply.answered === undefined) {
        io.stderr(`stepdeploy ${command}: ${reply.message ?? `the approval function answered ${reply.status}`}\n`);
        return 1;
      }
      for (const answered of reply.answered) io.stdout(`${decision} ${describe({ ...answered, reviewers: [], taskToken: '' })} as ${answered.approver}\n`);
      return 0;
    } catch (error) {
      io.stderr(`stepdeploy ${command}: ${sfnErrorMessage(error)}\n`);
      return 1;
    }
  });
}

/** What a local user name may be (it becomes the signer's access key id, as an IAM user name would). */
const LOCAL_USER = /^[A-Za-z0-9+=,.@_-]{1,64}$/;

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
