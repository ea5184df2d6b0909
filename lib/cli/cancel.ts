import { DescribeExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { commandWithUsage, parseCommandArgs } from './args';
import type { Command } from './io';
import { checkEndpoint, defaultSfnCommandDeps, sfnErrorMessage, type SfnCommandDeps } from './sfn-client';
import { executionArnArgument } from './watch';

export const cancelHelp = `Usage: stepdeploy cancel EXECUTION_ARN [--endpoint URL]

Stops a running execution with the error 'Cancelled' and a cause naming you. Locks it holds are
released by the status-change handler.

Options:
  --endpoint URL  a local Step Functions API (stepdeploy run) instead of AWS
  -h, --help      show this help
`;

/** The error name a cancelled execution ends with (ASL Catch and the report match on it). */
export const CANCELLED_ERROR = 'Cancelled';

export function createCancel(deps: SfnCommandDeps): Command {
  return commandWithUsage(async (args, io) => {
    const { values, positionals } = parseCommandArgs('cancel', args, { endpoint: { type: 'string' } });
    if (values.help) {
      io.stdout(cancelHelp);
      return 0;
    }
    const executionArn = executionArnArgument(positionals, 'cancel');
    const sfn = deps.sfnClient(checkEndpoint(values.endpoint, 'cancel'));
    const user = io.env.USER ?? io.env.USERNAME ?? 'an unknown user';
    try {
      const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (status !== 'RUNNING') {
        io.stderr(`stepdeploy cancel: the execution has already ended (${status ?? 'UNKNOWN'}); nothing to cancel\n`);
        return 1;
      }
      await sfn.send(new StopExecutionCommand({ executionArn, error: CANCELLED_ERROR, cause: `cancelled by ${user} with stepdeploy cancel` }));
    } catch (error) {
      io.stderr(`stepdeploy cancel: ${sfnErrorMessage(error)}\n`);
      return 1;
    }
    io.stdout(`cancelled ${executionArn}\n`);
    return 0;
  });
}

export const cancel: Command = createCancel(defaultSfnCommandDeps);
