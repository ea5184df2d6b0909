import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidExecutionInput,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LocalEngine } from '../../lib/local/engine';
import { parkedTokens } from '../fixtures/handlers/park';
import { engineTemplate } from '../fixtures/templates/engine-template';

let engine: LocalEngine;
let sfn: SFNClient;
const arnOf = (id: string): string => engine.stateMachines.find((machine) => machine.id === id)!.arn;

/** What a call rejects with: the SDK exception class and the server's message. */
const failureOf = async (call: Promise<unknown>): Promise<{ type: string; message: string }> =>
  call.then(
    () => ({ type: 'none', message: '' }),
    (error: Error) => ({ type: error.constructor.name, message: error.message }),
  );

/** The token the `park` handler received for the next parked task. */
async function nextToken(seen: number): Promise<string> {
  while (parkedTokens.length <= seen) await new Promise((resolve) => setTimeout(resolve, 10));
  return parkedTokens[seen]!;
}

beforeAll(async () => {
  engine = await LocalEngine.start({ templates: [engineTemplate], handlerModules: (name) => import(`../fixtures/handlers/${name}.ts`) });
  sfn = new SFNClient({ endpoint: engine.endpoints.stepFunctions, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
});

afterAll(async () => {
  sfn?.destroy();
  await engine?.close();
});

describe('the Step Functions API (real @aws-sdk/client-sfn)', () => {
  test('ListStateMachines and DescribeStateMachine', async () => {
    const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
    expect(stateMachines?.map((machine) => machine.name)).toContain('child');
    expect(stateMachines?.find((machine) => machine.name === 'child')).toMatchObject({ stateMachineArn: arnOf('child'), type: 'STANDARD', creationDate: expect.any(Date) });
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arnOf('child') }));
    expect(described).toMatchObject({ name: 'child', status: 'ACTIVE', type: 'STANDARD' });
    expect(JSON.parse(described.definition!).StartAt).toBe('double');
  });

  test('StartExecution, DescribeExecution, ListExecutions, GetExecutionHistory', async () => {
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('child'), input: '{"value":5}', name: 'api-1' }));
    expect(started.executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:child:api-1');
    expect(started.startDate).toBeInstanceOf(Date);
    await engine.waitForExecution(started.executionArn!);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(described).toMatchObject({ status: 'SUCCEEDED', name: 'api-1', input: '{"value":5}', output: '{"doubled":10}', stateMachineArn: arnOf('child') });
    expect(described.stopDate!.getTime()).toBeGreaterThanOrEqual(described.startDate!.getTime());
    const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arnOf('child'), statusFilter: 'SUCCEEDED' }));
    expect(executions?.map((execution) => execution.name)).toContain('api-1');
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }));
    expect(events?.map((event) => event.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    expect(events?.[1]).toMatchObject({ id: 2, previousEventId: 1, timestamp: expect.any(Date), stateEnteredEventDetails: { name: 'double', input: '{"value":5}' } });
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn, reverseOrder: true, maxResults: 1 }));
    expect(page.events?.map((event) => event.type)).toEqual(['ExecutionSucceeded']);
    expect(page.nextToken).toBeDefined();
  });

  test('StartExecution with the name of a running execution: same input → same execution, other input → ExecutionAlreadyExists', async () => {
    const input = JSON.stringify({ group: 'prod' });
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('callback'), input, name: 'dedup' }));
    const again = await sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('callback'), input, name: 'dedup' }));
    expect(again).toMatchObject({ executionArn: first.executionArn, startDate: first.startDate });
    expect(await failureOf(sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('callback'), input: '{"group":"dev"}', name: 'dedup' })))).toEqual({
      type: ExecutionAlreadyExists.name,
      message: `Execution Already Exists: '${first.executionArn}'`,
    });
    await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn }));
  });

  test('SendTaskSuccess completes a waitForTaskToken task with the given output', async () => {
    const seen = parkedTokens.length;
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('callback'), input: '{"group":"prod"}' }));
    const token = await nextToken(seen);
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"holder":true}' }));
    const result = await engine.waitForExecution(executionArn!);
    expect(JSON.parse(result.output!)).toEqual({ group: 'prod', lock: { holder: true } });
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toThrow(TaskTimedOut);
  });

  test('each task gets its own token', async () => {
    const seen = parkedTokens.length;
    const one = await sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('callback'), input: '{"group":"a"}' }));
    const two = await sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('callback'), input: '{"group":"b"}' }));
    const tokens = [await nextToken(seen), await nextToken(seen + 1)];
    expect(new Set(tokens).size).toBe(2);
    for (const token of tokens) await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    expect((await engine.waitForExecution(one.executionArn!)).status).toBe('SUCCEEDED');
    expect((await engine.waitForExecution(two.executionArn!)).status).toBe('SUCCEEDED');
  });

  test('SendTaskFailure fails the task with the given error and cause', async () => {
    const seen = parkedTokens.length;
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('callback'), input: '{"group":"prod"}' }));
    await sfn.send(new SendTaskFailureCommand({ taskToken: await nextToken(seen), error: 'QueueFull', cause: '100 runs are waiting' }));
    expect(await engine.waitForExecution(executionArn!)).toMatchObject({ status: 'FAILED', error: 'QueueFull', cause: '100 runs are waiting' });
  });

  test('StopExecution drops the parked token', async () => {
    const seen = parkedTokens.length;
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('callback'), input: '{"group":"prod"}' }));
    const token = await nextToken(seen);
    const stopped = await sfn.send(new StopExecutionCommand({ executionArn, error: 'Superseded', cause: 'newer run' }));
    expect(stopped.stopDate).toBeInstanceOf(Date);
    expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'ABORTED', error: 'Superseded', cause: 'newer run' });
    expect(await failureOf(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })))).toEqual({ type: TaskTimedOut.name, message: 'Task Timed Out' });
  });

  test('errors arrive as the SDK exception classes with their messages', async () => {
    const missing = 'arn:aws:states:us-east-1:000000000000:execution:child:nope';
    expect(await failureOf(sfn.send(new DescribeExecutionCommand({ executionArn: missing })))).toEqual({
      type: ExecutionDoesNotExist.name,
      message: `Execution Does Not Exist: '${missing}'`,
    });
    const noMachine = 'arn:aws:states:us-east-1:000000000000:stateMachine:nope';
    expect(await failureOf(sfn.send(new StartExecutionCommand({ stateMachineArn: noMachine })))).toEqual({
      type: StateMachineDoesNotExist.name,
      message: `State Machine Does Not Exist: '${noMachine}'`,
    });
    expect(await failureOf(sfn.send(new SendTaskSuccessCommand({ taskToken: 'unknown', output: '{}' })))).toEqual({
      type: TaskDoesNotExist.name,
      message: 'Task does not exist anymore',
    });
    expect(await failureOf(sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('child'), input: '{not json' })))).toEqual({
      type: InvalidExecutionInput.name,
      message: "Invalid State Machine Execution Input: '{not json'",
    });
  });

  test("AWS's 256 KiB limits: an execution input or a task output over them is refused with AWS's ValidationException", async () => {
    const big = JSON.stringify({ value: 'x'.repeat(262_144) });
    expect(await failureOf(sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('child'), input: big })))).toEqual({
      type: 'ValidationException',
      message: `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to 262144 (it has ${big.length} bytes)`,
    });
    const seen = parkedTokens.length;
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('callback'), input: '{"group":"big"}' }));
    const token = await nextToken(seen);
    expect((await failureOf(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: big })))).type).toBe('ValidationException');
    await sfn.send(new StopExecutionCommand({ executionArn }));
  });

  test('a request body of 20 MB is refused without being held, and the server goes on', async () => {
    const response = await fetch(engine.endpoints.stepFunctions, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSStepFunctions.StartExecution', 'content-type': 'application/x-amz-json-1.0' },
      body: JSON.stringify({ stateMachineArn: arnOf('child'), input: JSON.stringify({ v: 'x'.repeat(20 * 1024 * 1024) }) }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { __type: string }).__type).toBe('ValidationException');
    expect((await sfn.send(new ListStateMachinesCommand({}))).stateMachines?.length).toBeGreaterThan(0);
  });
});
