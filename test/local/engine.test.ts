import { GetItemCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dynamodbClient } from '../../lib/local/dynalite-server';
import { LocalEngine } from '../../lib/local/engine';
import { received } from '../fixtures/handlers/status-change';
import { engineTemplate } from '../fixtures/templates/engine-template';

const handlerModules = (name: string) => import(`../fixtures/handlers/${name}.ts`);

/** Running per `ps`; a zombie (ended, not yet reaped by a non-reaping PID 1) has ended. */
function running(pid: number): boolean {
  let state: string;
  try {
    state = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    return false; // ps exits 1 when there is no such process
  }
  return state !== '' && !state.startsWith('Z');
}

/** The pids a step wrote; fails (rather than hang) when the step never wrote them. */
async function pidsIn(file: string, count: number, timeoutMs = 120_000): Promise<number[]> {
  for (let waited = 0; ; waited += 20) {
    const pids = (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean).map(Number);
    if (pids.length >= count) return pids;
    if (waited > timeoutMs) throw new Error(`${file}: ${pids.length} of ${count} pids written (did the step start?)`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The most intervals that overlap at one moment. */
function maxOverlap(intervals: { start: number; end: number }[]): number {
  const edges = intervals.flatMap(({ start, end }) => [
    { at: start, delta: 1 },
    { at: end, delta: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let open = 0;
  let most = 0;
  for (const edge of edges) most = Math.max(most, (open += edge.delta));
  return most;
}

let engine: LocalEngine;
let dir: string;
const notified: unknown[] = [];
const cellsStarted: unknown[] = [];
const arnOf = (id: string): string => engine.stateMachines.find((machine) => machine.id === id)!.arn;
const runToEnd = async (id: string, input: object = {}, name?: string) => {
  const { executionArn } = engine.startExecution(arnOf(id), JSON.stringify(input), name);
  return engine.waitForExecution(executionArn!);
};
const typesOf = (events: readonly HistoryEvent[]): string[] => events.map((event) => event.type!);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'engine-test-'));
  engine = await LocalEngine.start({
    templates: [engineTemplate],
    handlerModules,
    logDir: join(dir, 'logs'),
    stopGraceMs: 1000,
    userLambdas: {
      'team-notifier': async (payload) => {
        notified.push(payload);
        return { ok: true };
      },
      'cell-worker': async (payload) => {
        cellsStarted.push(payload);
        if (payload === 1) throw new Error('cell 1 broke');
        return { ok: true };
      },
    },
  });
});

afterAll(async () => {
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('LocalEngine', () => {
  test('runs Parallel, Map (MaxConcurrency 2 honoured), Choice and Catch', async () => {
    const result = await runToEnd('flow', { who: 'ops', cells: [1, 2, 3, 4, 5], block: true });
    expect(result.status).toBe('SUCCEEDED');
    const output = JSON.parse(result.output!);
    expect(output.results[0]).toEqual({ got: { from: 'ops' } });
    const cells = output.results[1] as { item: number; start: number; end: number }[];
    expect(cells.map((cell) => cell.item)).toEqual([1, 2, 3, 4, 5]);
    expect(maxOverlap(cells)).toBe(2);
    expect(output.blocked).toEqual({ Error: 'DeployBlocked', Cause: JSON.stringify({ errorMessage: 'blocked: frozen', errorType: 'DeployBlocked' }) });
  });

  test('the Choice default skips the guarded task', async () => {
    const result = await runToEnd('flow', { who: 'ops', cells: [], block: false });
    expect(JSON.parse(result.output!)).toEqual({ who: 'ops', cells: [], block: false, results: [{ got: { from: 'ops' } }, []] });
    expect(typesOf(engine.getExecutionHistory(result.executionArn!))).not.toContain('TaskFailed');
  });

  test('history has Step Functions event types with details, in order, and streams live', async () => {
    const streamed: HistoryEvent[] = [];
    const listener = (arn: string, event: HistoryEvent) => streamed.push(event);
    engine.on('history', listener);
    const result = await runToEnd('flow', { who: 'ops', cells: [1], block: true });
    engine.off('history', listener);
    const history = engine.getExecutionHistory(result.executionArn!);
    expect(streamed.filter((event) => history.includes(event))).toEqual(history);
    expect(history.map((event) => event.id)).toEqual(history.map((_, index) => index + 1));
    expect(history.map((event) => event.previousEventId)).toEqual(history.map((_, index) => index));
    const types = typesOf(history);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    for (const type of ['ParallelStateEntered', 'MapStateEntered', 'MapIterationStarted', 'MapIterationSucceeded', 'ChoiceStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskFailed', 'PassStateExited']) {
      expect(types).toContain(type);
    }
    const guard = history.findIndex((event) => event.stateEnteredEventDetails?.name === 'c.guard: run');
    expect(typesOf(history.slice(guard, guard + 5))).toEqual(['TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskFailed', 'TaskStateExited']);
    expect(history[guard + 3]?.taskFailedEventDetails).toEqual({
      resourceType: 'lambda',
      resource: 'invoke',
      error: 'DeployBlocked',
      cause: JSON.stringify({ errorMessage: 'blocked: frozen', errorType: 'DeployBlocked' }),
    });
  });

  test("a run step runs on its cell's runner with CodeBuild's variables, not the caller's, and returns its outputs", async () => {
    process.env.ENGINE_TEST_CALLER_VARIABLE = 'from the caller';
    try {
      const result = await runToEnd('build', {}, 'build-vars');
      expect(result.status).toBe('SUCCEEDED');
      const { steps } = JSON.parse(result.output!);
      expect(Buffer.from(steps.script.outputFileBase64, 'base64').toString()).toBe('url=https://eu-west-1.example\n');
      const log = await readFile(join(dir, 'logs', 'build-vars', 'deploy.script_run.log'), 'utf8');
      expect(log).toMatch(/^hello from eu-west-1 in \/.+\/src, caller variable: not set$/m);
      expect(log).toMatch(/^build \d+ of Runner:[0-9a-f-]{36}$/m);
    } finally {
      delete process.env.ENGINE_TEST_CALLER_VARIABLE;
    }
  });

  test('a failing script fails the task with StepFailed: exit status, its own last lines, the log', async () => {
    const result = await runToEnd('failing-build', {}, 'failing');
    expect(result).toMatchObject({ status: 'FAILED', error: 'StepFailed' });
    const cause = JSON.parse(result.cause!);
    expect(cause).toEqual({ exitCode: 3, lastLines: expect.any(Array), log: join(dir, 'logs', 'failing', 'deploy.broken_run.log') });
    expect(cause.lastLines).toHaveLength(50);
    expect(cause.lastLines.slice(-2)).toEqual(['line 60', 'about to fail']);
    expect(cause.lastLines).not.toContain('line 10');
    expect(cause.lastLines).not.toContain('never runs');
  });

  /**
   * A killed step's process is gone once its runner learns the task is gone (a refused heartbeat).
   * The bound only decides when to give up: a loaded machine may take seconds, never a minute.
   */
  async function gone(pid: number): Promise<boolean> {
    for (let waited = 0; running(pid) && waited < 60_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    return !running(pid);
  }

  test('a Task timeout fails with States.Timeout and kills the step', async () => {
    const pidFile = join(dir, 'timeout.pid');
    const result = await runToEnd('task-timeout', { pidFile });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(typesOf(engine.getExecutionHistory(result.executionArn!))).toContain('TaskTimedOut');
    const [pid] = await pidsIn(pidFile, 1, 1000);
    expect(await gone(pid!)).toBe(true);
  });

  test("the state machine's TimeoutSeconds ends the execution TIMED_OUT and kills the step", async () => {
    const pidFile = join(dir, 'execution-timeout.pid');
    const result = await runToEnd('execution-timeout', { pidFile });
    expect(result).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(typesOf(engine.getExecutionHistory(result.executionArn!)).at(-1)).toBe('ExecutionTimedOut');
    const [pid] = await pidsIn(pidFile, 1, 1000);
    expect(running(pid!)).toBe(false);
  });

  test("a failed Parallel branch stops its siblings' run steps, even when the failure is caught", async () => {
    const pidFile = join(dir, 'fail-fast.pid');
    const releaseFile = join(dir, 'fail-fast.release');
    const { executionArn } = engine.startExecution(arnOf('fail-fast'), JSON.stringify({ pidFile, releaseFile }));
    const [pid] = await pidsIn(pidFile, 1);
    expect(await gone(pid!)).toBe(true);
    expect(engine.describeExecution(executionArn!).status).toBe('RUNNING');
    await writeFile(releaseFile, '');
    const result = await engine.waitForExecution(executionArn!);
    expect(JSON.parse(result.output!).failure).toEqual({ Error: 'CellFailed', Cause: 'cell a failed' });
  });

  test('StopExecution ends the execution ABORTED and leaves no process of the step behind', async () => {
    const pidFile = join(dir, 'stop.pids');
    const { executionArn } = engine.startExecution(arnOf('long-build'), JSON.stringify({ pidFile }), 'stop-me');
    const pids = await pidsIn(pidFile, 2);
    expect(pids.every(running)).toBe(true);
    await engine.stopExecution(executionArn!, { error: 'Superseded', cause: 'a newer run took the group' });
    expect(engine.describeExecution(executionArn!)).toMatchObject({ status: 'ABORTED', error: 'Superseded', cause: 'a newer run took the group' });
    expect(pids.filter(running)).toEqual([]);
    expect(engine.getExecutionHistory(executionArn!).at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'Superseded', cause: 'a newer run took the group' },
    });
  });

  test('the status-change event reaches the rule target when an execution ends', async () => {
    const result = await runToEnd('child', { value: 2 }, 'status-change-check');
    const event = received.find((e) => (e as { detail: { executionArn: string } }).detail.executionArn === result.executionArn);
    expect(event).toEqual({
      version: '0',
      id: expect.any(String),
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: '000000000000',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region: 'us-east-1',
      resources: [result.executionArn],
      detail: {
        executionArn: result.executionArn,
        stateMachineArn: arnOf('child'),
        name: 'status-change-check',
        status: 'SUCCEEDED',
        startDate: result.startDate!.getTime(),
        stopDate: result.stopDate!.getTime(),
        input: '{"value":2}',
        inputDetails: { included: true },
        output: '{"doubled":4}',
        outputDetails: { included: true },
        error: null,
        cause: null,
      },
    });
  });

  test('startExecution.sync:2 runs a child execution and returns its output as JSON', async () => {
    const result = await runToEnd('parent', { value: 21 }, 'parent-1');
    expect(JSON.parse(result.output!)).toEqual({ output: { doubled: 42 }, status: 'SUCCEEDED' });
    expect(engine.describeExecution(`${arnOf('child').replace(':stateMachine:', ':execution:')}:parent-1-child`).status).toBe('SUCCEEDED');
  });

  test('a waitForTaskToken task may be completed by its own handler before it returns', async () => {
    const result = await runToEnd('self-release');
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: '{"acquired":true}' });
  });

  test("a user's Lambda function runs from the userLambdas map", async () => {
    const result = await runToEnd('user-lambda', { message: 'deployed' });
    expect(JSON.parse(result.output!)).toEqual({ ExecutedVersion: '$LATEST', Payload: { ok: true }, StatusCode: 200 });
    expect(notified).toContainEqual({ message: 'deployed' });
  });

  test('a failed Map starts none of its queued iterations, as AWS stops the Map at its first failure', async () => {
    const result = await runToEnd('map-fail-stop', { items: [1, 2, 3, 4] });
    expect(result.status).toBe('FAILED');
    // The library started the next queued item as soon as the first failed, before the execution ended.
    expect(cellsStarted).toEqual([1]);
    expect(typesOf(engine.getExecutionHistory(result.executionArn!)).filter((type) => type === 'MapIterationStarted')).toHaveLength(1);
  });

  test('a resource the engine does not run fails the task naming the state and the resource', async () => {
    const result = await runToEnd('other-resource');
    expect(result).toMatchObject({
      status: 'FAILED',
      error: 'States.TaskFailed',
      cause:
        "State 'put': resource 'arn:aws:states:::sqs:sendMessage' is not supported by the local engine (supported: arn:aws:states:::lambda:invoke, arn:aws:states:::lambda:invoke.waitForTaskToken, arn:aws:states:::codebuild:startBuild, arn:aws:states:::dynamodb:putItem, arn:aws:states:::dynamodb:updateItem, arn:aws:states:::dynamodb:getItem, arn:aws:states:::states:startExecution.sync:2)",
    });
  });

  test('creates the template tables in dynalite, and handlers reach them', async () => {
    const client = dynamodbClient(engine.endpoints.dynamodb);
    const table = await client.send(new DescribeTableCommand({ TableName: 'Table' }));
    expect(table.Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    const result = await runToEnd('write-item', { key: 'run#1' });
    expect(result.output).toBe('{"written":"run#1"}');
    const item = await client.send(new GetItemCommand({ TableName: 'Table', Key: { pk: { S: 'run#1' }, sk: { S: 'item' } } }));
    expect(item.Item).toEqual({ pk: { S: 'run#1' }, sk: { S: 'item' } });
  });
});

test('a Lambda function that is not available locally fails the task with a hint', async () => {
  const bare = await LocalEngine.start({ templates: [engineTemplate], handlerModules });
  try {
    const { executionArn } = bare.startExecution(bare.stateMachines.find((m) => m.id === 'user-lambda')!.arn, '{}');
    expect(await bare.waitForExecution(executionArn!)).toMatchObject({
      status: 'FAILED',
      error: 'Lambda.ResourceNotFoundException',
      cause: "State 'notify.call: run': Lambda function 'team-notifier' is not available locally; pass --lambda team-notifier=FILE",
    });
  } finally {
    await bare.close();
  }
});

test('tables persist under dataDir across engine restarts', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'engine-data-'));
  try {
    const first = await LocalEngine.start({ templates: [engineTemplate], handlerModules, dataDir });
    await first.waitForExecution(first.startExecution(first.stateMachines.find((m) => m.id === 'write-item')!.arn, '{"key":"kept"}').executionArn!);
    await first.close();
    const second = await LocalEngine.start({ templates: [engineTemplate], handlerModules, dataDir });
    try {
      const item = await dynamodbClient(second.endpoints.dynamodb).send(new GetItemCommand({ TableName: 'Table', Key: { pk: { S: 'kept' }, sk: { S: 'item' } } }));
      expect(item.Item?.['pk']).toEqual({ S: 'kept' });
    } finally {
      await second.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

describe('the 256 KiB payload limit', () => {
  test("a Task whose effective input passes 256 KiB fails the execution with States.DataLimitExceeded, which States.ALL does not catch", async () => {
    const ended = await runToEnd('doubled-task-input', { big: 'x'.repeat(150 * 1024) });
    expect({ status: ended.status, error: ended.error }).toEqual({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(ended.cause).toMatch(/^The state\/task 'a\.doubled: run' returned a result with a size exceeding the maximum number of bytes service limit: its task input is 3[0-9]{5} bytes \(the limit is 262144\)\.$/);
  });
});
