import { DescribeExecutionCommand, ExecutionDoesNotExist, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { cancelHelp, createCancel } from '../../lib/cli/cancel';
import type { CliIo, Command } from '../../lib/cli/io';
import { createSfnClient } from '../../lib/cli/sfn-client';
import { createWatch } from '../../lib/cli/watch';

const EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:release-app:push-guid-1';

const sfn = mockClient(SFNClient);
let sleeps: number[];
beforeEach(() => {
  sleeps = [];
  sfn.reset();
});
const deps = { sfnClient: createSfnClient, sleep: async (ms: number) => void sleeps.push(ms) };

async function run(command: Command, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), isTTY: false, cwd: '/', env: { USER: 'mona' } };
  const code = await command(args, io);
  return { code, stdout, stderr };
}

describe('stepdeploy watch', () => {
  const watch = createWatch(deps);

  it('prints a line per status change until the execution ends', async () => {
    sfn
      .on(DescribeExecutionCommand, { executionArn: EXECUTION })
      .resolvesOnce({ status: 'RUNNING' } as never)
      .resolvesOnce({ status: 'RUNNING' } as never)
      .resolvesOnce({ status: 'RUNNING' } as never)
      .resolves({ status: 'SUCCEEDED' } as never);
    // A state machine whose history says nothing of jobs (not made by stepdeploy): its status alone.
    expect(await run(watch, EXECUTION, '--endpoint', 'http://localhost:8083')).toEqual({
      code: 0,
      stdout: `watching ${EXECUTION}\n  endpoint http://localhost:8083\nRUNNING\nSUCCEEDED\n`,
      stderr: '',
    });
    expect(sleeps).toEqual([1000, 1000, 1000]);
  });

  it.each([
    ['ABORTED', { status: 'ABORTED', error: 'Cancelled', cause: 'cancelled by mona with stepdeploy cancel' }, 'ABORTED — Cancelled: cancelled by mona with stepdeploy cancel\n'],
    ['TIMED_OUT', { status: 'TIMED_OUT' }, 'TIMED_OUT\n'],
  ])('exits 1 when it ends %s', async (_case, execution, stdout) => {
    sfn.on(DescribeExecutionCommand).resolves(execution as never);
    const console = `https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/executions/details/${EXECUTION}`;
    expect(await run(watch, EXECUTION)).toEqual({ code: 1, stdout: `watching ${EXECUTION}\n  ${console}\n${stdout}`, stderr: '' });
  });

  it('reports an execution that does not exist (exit 1)', async () => {
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: `Execution Does Not Exist: '${EXECUTION}'`, $metadata: {} }));
    expect(await run(watch, EXECUTION)).toEqual({
      code: 1,
      stdout: `watching ${EXECUTION}\n  https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/executions/details/${EXECUTION}\n`,
      stderr: `stepdeploy watch: ExecutionDoesNotExist: Execution Does Not Exist: '${EXECUTION}'\n`,
    });
  });

  it.each([
    [[], 'no execution ARN given'],
    [['arn:aws:states:us-east-1:000000000000:stateMachine:release-app'],
      "'arn:aws:states:us-east-1:000000000000:stateMachine:release-app' is not an execution ARN (arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME)"],
    [[EXECUTION, 'extra'], "unexpected argument 'extra'"],
  ])('refuses %j (exit 2)', async (args, message) => {
    expect(await run(watch, ...args)).toEqual({ code: 2, stdout: '', stderr: `stepdeploy watch: ${message}\nRun 'stepdeploy watch --help' for usage.\n` });
    expect(sfn.calls()).toHaveLength(0);
  });
});

describe('stepdeploy cancel', () => {
  const cancel = createCancel(deps);

  it('stops a running execution with the error Cancelled and a cause naming the user', async () => {
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' } as never);
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date(0) });
    expect(await run(cancel, EXECUTION)).toEqual({ code: 0, stdout: `cancelled ${EXECUTION}\n`, stderr: '' });
    expect(sfn.commandCalls(StopExecutionCommand).map((call) => call.args[0].input)).toEqual([
      { executionArn: EXECUTION, error: 'Cancelled', cause: 'cancelled by mona with stepdeploy cancel' },
    ]);
  });

  it('leaves an execution that has already ended alone (exit 1)', async () => {
    sfn.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED' } as never);
    expect(await run(cancel, EXECUTION)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'stepdeploy cancel: the execution has already ended (SUCCEEDED); nothing to cancel\n',
    });
    expect(sfn.commandCalls(StopExecutionCommand)).toHaveLength(0);
  });

  it('refuses a bad endpoint before calling anything (exit 2)', async () => {
    expect(await run(cancel, EXECUTION, '--endpoint', 'ftp://x')).toEqual({
      code: 2,
      stdout: '',
      stderr: "stepdeploy cancel: --endpoint 'ftp://x' is not an http(s) URL\nRun 'stepdeploy cancel --help' for usage.\n",
    });
  });

  it('prints its help', async () => {
    expect(await run(cancel, '-h')).toEqual({ code: 0, stdout: cancelHelp, stderr: '' });
  });
});
