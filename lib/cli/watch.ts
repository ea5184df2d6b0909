import { DescribeExecutionCommand, type DescribeExecutionCommandOutput, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';
import { buildReport } from '../report/build-report';
import type { RunReport } from '../report/report';
import type { StepNames } from '../report/step-names';
import { ReportError } from '../report/report-error';
import { approvalPrompt } from './approval-text';
import { approvalRequested, pendingApprovals } from './pending-approvals';
import { commandWithUsage, parseCommandArgs, UsageError } from './args';
import { definitionStepNames } from './definition-step-names';
import { HistoryPoller, isThrottling, PollBackoff } from './history-poller';
import type { CliIo, Command } from './io';
import { createProgressView, type ProgressView } from './progress';
import { checkEndpoint, defaultSfnCommandDeps, EXECUTION_ARN, executionLocation, sfnErrorMessage, type SfnCommandDeps } from './sfn-client';

export const watchHelp = `Usage: stepdeploy watch EXECUTION_ARN [--endpoint URL]

Follows an execution until it ends with the view 'stepdeploy run' shows: a line per job and matrix
cell as its status changes, then the summary and each failed step's last lines and log link.
Exits with 0 when it succeeded, 1 otherwise.

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
    return watchExecution(sfn, executionArn, io, deps.sleep, 'watch', { ...(values.endpoint ? { endpoint: values.endpoint } : {}), showLocation: true });
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

export interface WatchOptions {
  /** The local engine's API, when not AWS: the console link is printed for AWS only. */
  readonly endpoint?: string;
  /** Print where a person can look at the execution (start prints it itself). */
  readonly showLocation?: boolean;
  /** Events per history page (tests make pages small). */
  readonly pageSize?: number;
}

/** The longest wait between polls once throttled. */
export const MAX_POLL_INTERVAL_MS = 16_000;

/**
 * Follows an execution to its end with the same per-job view as `stepdeploy run`: polls its history
 * (only the new events, backing off while throttled) and, once it has ended, prints the summary
 * and each failed step with its last lines and log link. An execution whose history cannot be
 * read as a stepdeploy run (a state machine stepdeploy did not make) still shows its status
 * changes. Returns 0 for SUCCEEDED, 1 for any other end.
 */
export async function watchExecution(
  sfn: SFNClient,
  executionArn: string,
  io: CliIo,
  sleep: (ms: number) => Promise<void>,
  command: string,
  options: WatchOptions = {},
): Promise<number> {
  if (options.showLocation) io.stdout(`watching ${executionArn}\n  ${executionLocation(executionArn, options.endpoint)}\n`);
  const poller = new HistoryPoller(sfn, executionArn, options.pageSize);
  const backoff = new PollBackoff(POLL_INTERVAL_MS, MAX_POLL_INTERVAL_MS);
  const history: HistoryEvent[] = [];
  let view: ProgressView | undefined;
  let stepNames: StepNames | undefined;
  let shown: string | undefined;
  let rereadForEnd = false;
  const prompted = new Set<string>();
  try {
    for (;;) {
      let execution: DescribeExecutionCommandOutput;
      let fresh: HistoryEvent[];
      try {
        execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        fresh = await poller.next();
        backoff.succeeded();
      } catch (error) {
        if (!isThrottling(error)) {
          io.stderr(`stepdeploy ${command}: ${sfnErrorMessage(error)}\n`);
          return 1;
        }
        backoff.throttled();
        await sleep(backoff.delayMs);
        continue;
      }
      if (view === undefined) {
        stepNames = await definitionStepNames(sfn, execution.stateMachineArn);
        view = createProgressView(io, { executionArn, ...(stepNames ? { stepNames } : {}) });
      }
      history.push(...fresh);
      for (const event of fresh) view.onEvent(event);
      // How to answer what still waits (an ended run waits for nothing: its approvals were dropped).
      if (execution.status === 'RUNNING' && fresh.some((event) => approvalRequested(event) !== undefined)) {
        for (const approval of pendingApprovals(history)) {
          if (prompted.has(approval.taskToken)) continue;
          prompted.add(approval.taskToken);
          io.stdout(approvalPrompt(approval, executionArn, options.endpoint));
        }
      }
      const status = execution.status ?? 'UNKNOWN';
      const running = status === 'RUNNING' || status === 'PENDING_REDRIVE';
      if (!running) {
        // The end event may have been written after the page was read: read once more.
        if (!rereadForEnd && !history.some((event) => /^Execution(Succeeded|Failed|Aborted|TimedOut)$/.test(event.type ?? ''))) {
          rereadForEnd = true;
          continue;
        }
        view.stop();
        const report = reportOf(execution, history, stepNames);
        if (report) view.finish(report);
        else if (status !== shown) io.stdout(`${status}${endDetail(execution)}\n`);
        // An end the jobs do not explain (a stop, a timeout, a failure outside any job) is named too.
        if (report && execution.error !== undefined && execution.error !== 'JobsFailed') io.stdout(`${status}${endDetail(execution)}\n`);
        return status === 'SUCCEEDED' ? 0 : 1;
      }
      if (status !== shown && fresh.length === 0 && history.length === 0) io.stdout(`${status}\n`);
      shown = status;
      await sleep(backoff.delayMs);
    }
  } finally {
    view?.stop();
  }
}

function reportOf(execution: DescribeExecutionCommandOutput, history: readonly HistoryEvent[], stepNames: StepNames | undefined): RunReport | undefined {
  try {
    return buildReport({ workflow: execution.stateMachineArn?.split(':')[6] ?? '', executionArn: execution.executionArn ?? '', history, ...(stepNames ? { stepNames } : {}) });
  } catch (error) {
    if (error instanceof ReportError) return undefined;
    throw error;
  }
}
function endDetail(execution: DescribeExecutionCommandOutput): string {
  const seconds =
    execution.startDate && execution.stopDate ? ` after ${Math.round((execution.stopDate.getTime() - execution.startDate.getTime()) / 1000)}s` : '';
  const reason = [execution.error, execution.cause].filter((part) => part !== undefined && part !== '').join(': ');
  return `${seconds}${reason === '' ? '' : ` — ${reason}`}`;
}
