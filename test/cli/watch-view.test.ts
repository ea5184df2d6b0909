// `watch` (and `start --wait`) of a remote execution show the per-job view `run` shows: first
// against the local engine's Step Functions API server (real HTTP, the real SDK client) with a
// history that grows as it is polled, then with aws-sdk-client-mock for what AWS does to a busy
// caller (throttling).
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, type DescribeExecutionOutput, type HistoryEvent } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../lib/cli/io';
import { createSfnClient } from '../../lib/cli/sfn-client';
import { createReport } from '../../lib/cli/report';
import { createWatch, watchExecution } from '../../lib/cli/watch';
import { SfnApiError } from '../../lib/local/api-errors';
import { startSfnApiServer, type SfnApiServer, type StepFunctionsBackend } from '../../lib/local/sfn-api-server';
import { loadHistory } from '../report/histories';
import { failFastCancelledLines } from './expected-views';

const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:deploy-production:run-1';
const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:deploy-production';

/** The fixture run whose failed step ran on CodeBuild: its cause is the build, with its log link. */
const LOG_URL = 'https://console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws$252Fcodebuild$252Frunner/log-events/abc';
const buildCause = JSON.stringify({ Build: { BuildStatus: 'FAILED', Logs: { DeepLink: LOG_URL } } });
const history: HistoryEvent[] = loadHistory('fail-fast-cancelled').map((event) => {
  const fix = (text: string | undefined) => text?.replaceAll(JSON.stringify('terraform apply: exit code 1'), JSON.stringify(buildCause));
  return {
    ...event,
    ...(event.stateEnteredEventDetails ? { stateEnteredEventDetails: { ...event.stateEnteredEventDetails, input: fix(event.stateEnteredEventDetails.input) } } : {}),
    ...(event.stateExitedEventDetails ? { stateExitedEventDetails: { ...event.stateExitedEventDetails, output: fix(event.stateExitedEventDetails.output) } } : {}),
  };
});

const expectedView = [...failFastCancelledLines, `    full log: ${LOG_URL}`, ''].join('\n');

function capture(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { stdout: (text) => void (out += text), stderr: (text) => void (err += text), isTTY: false, cwd: '/', env: {} }, out: () => out, err: () => err };
}

describe('watch against the local engine API', () => {
  let server: SfnApiServer;
  let revealed = 0;
  let historyCalls = 0;
  const unsupported = (): never => {
    throw new SfnApiError('UnknownOperationException', 'not used by stepdeploy watch');
  };
  const backend: StepFunctionsBackend = {
    // Each look at the execution lets it run on by 12 events.
    describeExecution: (executionArn): DescribeExecutionOutput => {
      revealed = Math.min(history.length, revealed + 12);
      return { executionArn, stateMachineArn: MACHINE, status: revealed < history.length ? 'RUNNING' : 'FAILED', startDate: new Date(), error: 'JobsFailed' };
    },
    getExecutionHistory: () => {
      historyCalls += 1;
      return history.slice(0, revealed);
    },
    // The step's display name comes from the definition (its run state's Comment).
    describeStateMachine: () => ({
      stateMachineArn: MACHINE,
      name: 'deploy-production',
      definition: JSON.stringify({ StartAt: 'deploy.apply: run', States: { 'deploy.apply: run': { Type: 'Pass', Comment: 'Apply the plan', End: true } } }),
      roleArn: 'r',
      type: 'STANDARD',
      creationDate: new Date(),
    }),
    startExecution: unsupported,
    listExecutions: unsupported,
    listStateMachines: unsupported,
    stopExecution: unsupported,
    sendTaskSuccess: unsupported,
    sendTaskFailure: unsupported,
    sendTaskHeartbeat: unsupported,
  };
  beforeAll(async () => {
    server = await startSfnApiServer(backend, { host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('shows each job and cell as its status changes, then the summary and the failed step with its log link', async () => {
    const sleeps: number[] = [];
    const watch = createWatch({ sfnClient: createSfnClient, sleep: async (ms) => void sleeps.push(ms) });
    const { io, out, err } = capture();
    const code = await watch([EXECUTION, '--endpoint', server.endpoint], io);
    expect({ code, err: err() }).toEqual({ code: 1, err: '' });
    expect(out()).toBe(`watching ${EXECUTION}\n  endpoint ${server.endpoint}\n${expectedView.replace('deploy › apply (', 'deploy › Apply the plan (')}`);
    // Polled once a second while it ran; each poll read the new events with one history call.
    expect(sleeps.every((ms) => ms === 1000)).toBe(true);
    expect(sleeps.length).toBe(Math.ceil(history.length / 12) - 1);
    expect(historyCalls).toBe(sleeps.length + 1);
  });
});

describe('watch in AWS (aws-sdk-client-mock)', () => {
  // Made here, not at collection: a mocked SFNClient would stand in for the real one above too.
  let sfn: ReturnType<typeof mockClient>;
  beforeAll(() => {
    sfn = mockClient(SFNClient);
  });
  afterAll(() => {
    sfn.restore();
  });

  it('waits longer while throttled instead of failing, and links the console', async () => {
    sfn.reset();
    sfn.on(DescribeExecutionCommand).resolves({ executionArn: EXECUTION, stateMachineArn: MACHINE, status: 'FAILED', error: 'JobsFailed' } as never);
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    sfn
      .on(GetExecutionHistoryCommand)
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .callsFake((input: { reverseOrder?: boolean; maxResults?: number; nextToken?: string }) => {
        const events = input.reverseOrder ? [...history].reverse() : history;
        const start = Number(input.nextToken ?? 0);
        const end = start + (input.maxResults ?? 1000);
        return { events: events.slice(start, end), ...(end < events.length ? { nextToken: String(end) } : {}) };
      });
    const sleeps: number[] = [];
    const { io, out, err } = capture();
    const code = await watchExecution(new SFNClient({ region: 'eu-west-1' }), EXECUTION, io, async (ms) => void sleeps.push(ms), 'watch', { showLocation: true, pageSize: 20 });
    expect({ code, err: err() }).toEqual({ code: 1, err: '' });
    expect(sleeps).toEqual([2000, 4000, 8000]);
    expect(out()).toBe(
      `watching ${EXECUTION}\n  https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${EXECUTION}\n${expectedView}`,
    );
    // Three pages of 20, newest first, for the 50 events.
    expect(sfn.commandCalls(GetExecutionHistoryCommand).slice(3).map((call) => call.args[0].input.nextToken)).toEqual([undefined, '20', '40']);
  });

  it('names an end the jobs do not explain, and exits 0 only for SUCCEEDED', async () => {
    sfn.reset();
    sfn.on(DescribeExecutionCommand).resolves({ executionArn: EXECUTION, status: 'ABORTED', error: 'Cancelled', cause: 'cancelled by mona' } as never);
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });
    const { io, out } = capture();
    expect(await watchExecution(new SFNClient({ region: 'eu-west-1' }), EXECUTION, io, async () => undefined, 'watch')).toBe(1);
    expect(out()).toBe('ABORTED — Cancelled: cancelled by mona\n');
  });
});

describe('report in AWS (aws-sdk-client-mock)', () => {
  let sfn: ReturnType<typeof mockClient>;
  beforeAll(() => {
    sfn = mockClient(SFNClient);
  });
  afterAll(() => {
    sfn.restore();
  });

  it('asks for a throttled history page again, later, and prints the same summary as watch', async () => {
    sfn.reset();
    sfn.on(DescribeExecutionCommand).resolves({ executionArn: EXECUTION, stateMachineArn: MACHINE, status: 'FAILED' } as never);
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    let served = 0;
    sfn.on(GetExecutionHistoryCommand).callsFake((input: { maxResults?: number; nextToken?: string }) => {
      served += 1;
      if (served === 2) throw throttled; // the second page, once
      const start = Number(input.nextToken ?? 0);
      const end = start + (input.maxResults ?? 1000);
      return { events: history.slice(start, end), ...(end < history.length ? { nextToken: String(end) } : {}) };
    });
    const sleeps: number[] = [];
    const report = createReport({ sfnClient: () => new SFNClient({ region: 'eu-west-1' }), sleep: async (ms) => void sleeps.push(ms) }, { pageSize: 20 });
    const { io, out, err } = capture();
    expect(await report([EXECUTION, '--report', '/dev/null'], io)).toBe(0);
    expect(sleeps).toEqual([1000]);
    expect(err()).toBe('');
    expect(out()).toBe(`${expectedView.split('\n').filter((line) => !line.startsWith('[')).join('\n')}wrote /dev/null\n`);
  });
});
