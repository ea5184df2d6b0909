import { DescribeExecutionCommand, type DescribeExecutionCommandOutput, type SFNClient } from '@aws-sdk/client-sfn';
import { commandWithUsage, parseCommandArgs, UsageError } from './args';
import type { CliIo, Command } from './io';
import { checkEndpoint, defaultSfnCommandDeps, EXECUTION_ARN, sfnErrorMessage, type SfnCommandDeps } from './sfn-client';

export const watchHelp = `Usage: stepdeploy watch EXECUTION_ARN [--endpoint URL]

Follows an execution until it ends, printing a line whenever its status changes. Exits with 0 when
it succeeded, 1 otherwise.

Options:
  --endpoint URL  a local Step Functions API (stepdeploy run) instead of AWS
  -h, --help      show this help
`;

export const POLL_INTERVAL_MS = 1000;

export function createWatch(deps: SfnCommandDeps): Command {
  return commandWithUsage(async (args, io) => {
    const { values, positionals } = parseCommandArgs('watch', args, { endpoint: { type: 'string' } });
    if (values.help) {
      io.stdout(watchHelp);
      return 0;
    }
    const executionArn = executionArnArgument(positionals, 'watch');
    const sfn = deps.sfnClient(checkEndpoint(values.endpoint, 'watch'));
    return watchExecution(sfn, executionArn, io, deps.sleep, 'watch');
  });
}

export const watch: Command = createWatch(defaultSfnCommandDeps);

/** The one positional argument of watch and cancel. */
export function executionArnArgument(positionals: readonly string[], command: string): string {
  const [executionArn, ...extra] = positionals;
  if (executionArn === undefined) throw new UsageError('no execution ARN given', command);
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`, command);
  if (!EXECUTION_ARN.test(executionArn)) {
    throw new UsageError(`'${executionArn}' is not an execution ARN (arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME)`, command);
  }
  return executionArn;
}

/**
 * Polls DescribeExecution once a second and prints a line per status change (a final failure also
 * names its error and cause). Returns the exit code: 0 for SUCCEEDED, 1 for any other end.
 */
export async function watchExecution(
  sfn: SFNClient,
  executionArn: string,
  io: CliIo,
  sleep: (ms: number) => Promise<void>,
  command: string,
): Promise<number> {
  let shown: string | undefined;
  for (;;) {
    let execution: DescribeExecutionCommandOutput;
    try {
      execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    } catch (error) {
      io.stderr(`stepdeploy ${command}: ${sfnErrorMessage(error)}\n`);
      return 1;
    }
    const status = execution.status ?? 'UNKNOWN';
    const running = status === 'RUNNING' || status === 'PENDING_REDRIVE';
    if (status !== shown) {
      io.stdout(`${status}${running ? '' : endDetail(execution)}\n`);
      shown = status;
    }
    if (!running) return status === 'SUCCEEDED' ? 0 : 1;
    await sleep(POLL_INTERVAL_MS);
  }
}

function endDetail(execution: DescribeExecutionCommandOutput): string {
  const seconds =
    execution.startDate && execution.stopDate ? ` after ${Math.round((execution.stopDate.getTime() - execution.startDate.getTime()) / 1000)}s` : '';
  const reason = [execution.error, execution.cause].filter((part) => part !== undefined && part !== '').join(': ');
  return `${seconds}${reason === '' ? '' : ` — ${reason}`}`;
}
