// `stepdeploy report EXECUTION_ARN`: rebuilds the run report of an ended execution from its history
// (in AWS, or on a local engine with --endpoint) and writes it as JSON and/or as the HTML timeline.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';
import type { StepNames } from '../report/step-names';
import { definitionStepNames } from './definition-step-names';
import { buildReport } from '../report/build-report';
import { ReportError } from '../report/report-error';
import { renderTimeline } from '../report/timeline';
import { commandWithUsage, parseCommandArgs } from './args';
import type { CliIo, Command } from './io';
import { checkEndpoint, defaultSfnCommandDeps, sfnErrorMessage, type SfnCommandDeps } from './sfn-client';
import { runSummary } from './progress';
import { executionArnArgument, MAX_POLL_INTERVAL_MS } from './watch';

export const reportHelp = `Usage: stepdeploy report EXECUTION_ARN [--endpoint URL] [--report FILE] [--timeline FILE]

Rebuilds the run report of an ended execution from its history: every job and matrix cell with
its steps, statuses, times and step outputs, and each failed step's error, exit code, last lines
and log. Prints the summary 'stepdeploy run' ends with; without --report or --timeline the report
(JSON) goes to stdout and the summary to stderr.

Options:
  --endpoint URL     a local Step Functions API (stepdeploy run) instead of AWS
  --report FILE      write the report as JSON
  --timeline FILE    write the timeline as one self-contained HTML file
  -h, --help         show this help
`;

export { HISTORY_PAGE_SIZE } from './history-poller';
import { HISTORY_PAGE_SIZE, isThrottling, PollBackoff } from './history-poller';

export interface ReportOptions {
  /** Events per GetExecutionHistory page (tests make pages small to exercise paging). */
  readonly pageSize?: number;
}

export function createReport(deps: SfnCommandDeps, options: ReportOptions = {}): Command {
  return commandWithUsage(async (args, io) => {
    const { values, positionals } = parseCommandArgs('report', args, {
      endpoint: { type: 'string' },
      report: { type: 'string' },
      timeline: { type: 'string' },
    });
    if (values.help) {
      io.stdout(reportHelp);
      return 0;
    }
    const executionArn = executionArnArgument(positionals, 'report');
    const sfn = deps.sfnClient(checkEndpoint(values.endpoint, 'report'));
    const fail = (message: string): number => {
      io.stderr(`stepdeploy report: ${message}\n`);
      return 1;
    };

    let workflow: string;
    let history: HistoryEvent[];
    let stepNames: StepNames | undefined;
    try {
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (execution.status === 'RUNNING' || execution.status === 'PENDING_REDRIVE') {
        return fail(`${executionArn} is still running; a report needs an ended execution (follow it with 'stepdeploy watch')`);
      }
      workflow = stateMachineName(execution.stateMachineArn) ?? executionArn;
      history = await fetchHistory(sfn, executionArn, options.pageSize ?? HISTORY_PAGE_SIZE, deps.sleep);
      stepNames = await definitionStepNames(sfn, execution.stateMachineArn);
    } catch (error) {
      return fail(sfnErrorMessage(error));
    }

    let report;
    try {
      report = buildReport({ workflow, executionArn, history, ...(stepNames ? { stepNames } : {}) });
    } catch (error) {
      if (error instanceof ReportError) return fail(error.message);
      throw error;
    }

    const outputs: { file: string; text: string }[] = [];
    if (values.report !== undefined) outputs.push({ file: values.report, text: `${JSON.stringify(report, null, 2)}\n` });
    if (values.timeline !== undefined) outputs.push({ file: values.timeline, text: renderTimeline(report) });
    if (outputs.length === 0) {
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      io.stderr(runSummary(report));
      return 0;
    }
    io.stdout(runSummary(report));
    for (const output of outputs) {
      const written = await writeOutput(io, output.file, output.text);
      if (written !== undefined) return fail(written);
      io.stdout(`wrote ${output.file}\n`);
    }
    return 0;
  });
}

export const report: Command = createReport(defaultSfnCommandDeps);

/** Every event of the execution, oldest first, page by page; a throttled page is asked for again, later. */
export async function fetchHistory(
  sfn: SFNClient,
  executionArn: string,
  pageSize = HISTORY_PAGE_SIZE,
  sleep: (ms: number) => Promise<void> = defaultSfnCommandDeps.sleep,
): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  const backoff = new PollBackoff(500, MAX_POLL_INTERVAL_MS);
  let nextToken: string | undefined;
  for (;;) {
    let page;
    try {
      page = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn, maxResults: pageSize, includeExecutionData: true, ...(nextToken ? { nextToken } : {}) }),
      );
    } catch (error) {
      if (!isThrottling(error)) throw error;
      backoff.throttled();
      await sleep(backoff.delayMs);
      continue;
    }
    backoff.succeeded();
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
    if (!nextToken) return events;
  }
}

/** arn:aws:states:REGION:ACCOUNT:stateMachine:NAME → NAME. */
function stateMachineName(arn: string | undefined): string | undefined {
  const parts = arn?.split(':') ?? [];
  return parts[5] === 'stateMachine' ? parts[6] : undefined;
}

/** Writes a file under the working directory; returns a message when it cannot. */
async function writeOutput(io: CliIo, file: string, text: string): Promise<string | undefined> {
  const path = resolve(io.cwd, file);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    return undefined;
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    return `cannot write ${file}: ${writeReasons[code] ?? (error instanceof Error ? error.message : String(error))}`;
  }
}

const writeReasons: Readonly<Record<string, string>> = {
  EEXIST: 'a folder on its path is a file',
  ENOTDIR: 'a folder on its path is a file',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};
