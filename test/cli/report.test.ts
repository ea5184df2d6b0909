// `stepdeploy report` against the local engine's Step Functions API server (real HTTP, the real SDK
// client), with a backend that serves the handcrafted histories.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DescribeExecutionOutput, HistoryEvent } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReport } from '../../lib/cli/report';
import type { CliIo } from '../../lib/cli/io';
import { defaultSfnCommandDeps } from '../../lib/cli/sfn-client';
import { SfnApiError } from '../../lib/local/api-errors';
import { startSfnApiServer, type SfnApiServer, type StepFunctionsBackend } from '../../lib/local/sfn-api-server';
import { buildReport } from '../../lib/report/build-report';
import { loadHistory } from '../report/histories';

const MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:deploy-production';
const arnOf = (name: string): string => `arn:aws:states:us-east-1:000000000000:execution:deploy-production:${name}`;
const ENDED = arnOf('run-1');
const RUNNING = arnOf('run-2');
const MISSING = arnOf('run-404');

const executions: Record<string, { status: DescribeExecutionOutput['status']; history: HistoryEvent[] }> = {
  [ENDED]: { status: 'FAILED', history: loadHistory('fail-fast-cancelled') },
  [RUNNING]: { status: 'RUNNING', history: loadHistory('superseded').slice(0, 10) },
};
let historyCalls = 0;

const unsupported = (): never => {
  throw new SfnApiError('UnknownOperationException', 'not used by stepdeploy report');
};
const find = (executionArn: string) => {
  const execution = executions[executionArn];
  if (!execution) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
  return execution;
};
const backend: StepFunctionsBackend = {
  describeExecution: (executionArn) => ({
    executionArn,
    stateMachineArn: MACHINE,
    status: find(executionArn).status,
    startDate: new Date('2025-03-04T10:00:00.000Z'),
  }),
  getExecutionHistory: (executionArn) => {
    historyCalls += 1;
    return find(executionArn).history;
  },
  startExecution: unsupported,
  listExecutions: unsupported,
  listStateMachines: unsupported,
  describeStateMachine: unsupported,
  stopExecution: unsupported,
  sendTaskSuccess: unsupported,
  sendTaskFailure: unsupported,
  sendTaskHeartbeat: unsupported,
};

let server: SfnApiServer;
let dir: string;
const report = createReport(defaultSfnCommandDeps, { pageSize: 7 });

beforeAll(async () => {
  server = await startSfnApiServer(backend, { host: '127.0.0.1', port: 0 });
  dir = await mkdtemp(join(tmpdir(), 'stepdeploy-report-'));
});
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function capture(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: (text) => (out += text), stderr: (text) => (err += text), isTTY: false, cwd: dir, env: {} },
    out: () => out,
    err: () => err,
  };
}

describe('stepdeploy report', () => {
  it('pages through the history and writes the report and the timeline, named by the state machine', async () => {
    const { io, out, err } = capture();
    historyCalls = 0;
    const code = await report([ENDED, '--endpoint', server.endpoint, '--report', 'out/report.json', '--timeline', 'out/timeline.html'], io);
    const summary = [
      'run failed in 2.3s: 1 succeeded, 1 failed, 1 cancelled',
      'failed: deploy › apply (region=us-east-1) (States.TaskFailed)',
      '    States.TaskFailed: terraform apply: exit code 1',
      '',
    ].join('\n');
    // The same summary `stepdeploy run` ends with.
    expect({ code, out: out(), err: err() }).toStrictEqual({ code: 0, out: `${summary}wrote out/report.json\nwrote out/timeline.html\n`, err: '' });
    // 50 events, 7 a page.
    expect(historyCalls).toBe(8);
    const expected = buildReport({ workflow: 'deploy-production', executionArn: ENDED, history: loadHistory('fail-fast-cancelled') });
    expect(JSON.parse(await readFile(join(dir, 'out/report.json'), 'utf8'))).toStrictEqual(expected);
    const html = await readFile(join(dir, 'out/timeline.html'), 'utf8');
    expect(html).toContain('<h1>deploy-production <span class="run-status">failed</span></h1>');
  });

  it('prints the report when no file is asked for, the summary on stderr', async () => {
    const { io, out, err } = capture();
    expect(await report([ENDED, '--endpoint', server.endpoint], io)).toBe(0);
    expect(JSON.parse(out())).toMatchObject({ workflow: 'deploy-production', execution: ENDED, status: 'failed' });
    expect(JSON.parse(out()).jobs[1].steps[0]).toMatchObject({ status: 'failed', error: 'States.TaskFailed', cause: 'terraform apply: exit code 1' });
    expect(err()).toMatch(/^run failed in 2\.3s: .*\nfailed: deploy › apply \(region=us-east-1\)/);
  });

  it('refuses an execution that is still running', async () => {
    const { io, out, err } = capture();
    expect(await report([RUNNING, '--endpoint', server.endpoint], io)).toBe(1);
    expect(out()).toBe('');
    expect(err()).toBe(
      `stepdeploy report: ${RUNNING} is still running; a report needs an ended execution (follow it with 'stepdeploy watch')\n`,
    );
  });

  it('says so when the execution does not exist', async () => {
    const { io, err } = capture();
    expect(await report([MISSING, '--endpoint', server.endpoint], io)).toBe(1);
    expect(err()).toBe(`stepdeploy report: ExecutionDoesNotExist: Execution Does Not Exist: '${MISSING}'\n`);
  });

  it('says which file it cannot write, and why', async () => {
    await writeFile(join(dir, 'a-file'), '');
    const { io, err } = capture();
    expect(await report([ENDED, '--endpoint', server.endpoint, '--report', 'a-file/report.json'], io)).toBe(1);
    expect(err()).toBe('stepdeploy report: cannot write a-file/report.json: a folder on its path is a file\n');
    const second = capture();
    expect(await report([ENDED, '--endpoint', server.endpoint, '--timeline', '.'], second.io)).toBe(1);
    expect(second.err()).toBe('stepdeploy report: cannot write .: it is a folder\n');
  });

  it.each([
    [[], 'no execution ARN given'],
    [['run-1'], `'run-1' is not an execution ARN (arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME)`],
    [[ENDED, '--timeline'], `option '--timeline' needs a value`],
    [[ENDED, '--endpoint', 'localhost:8083'], `--endpoint 'localhost:8083' is not an http(s) URL`],
    [[ENDED, '--html', 'x'], `unknown option '--html'`],
  ])('rejects %j: %s', async (args, message) => {
    const { io, err } = capture();
    expect(await report(args, io)).toBe(2);
    expect(err()).toBe(`stepdeploy report: ${message}\nRun 'stepdeploy report --help' for usage.\n`);
  });

  it('has a help text', async () => {
    const { io, out } = capture();
    expect(await report(['--help'], io)).toBe(0);
    expect(out()).toMatch(/^Usage: stepdeploy report EXECUTION_ARN \[--endpoint URL\] \[--report FILE\] \[--timeline FILE\]\n/);
  });
});
