import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../lib/cli/io';
import { createSfnClient } from '../../lib/cli/sfn-client';
import { createStart, startHelp } from '../../lib/cli/start';
import { loadWorkflowText } from '../../lib/model/load';
import { formatProblem } from '../../lib/model/problem';
import { compileWorkflow } from '../../lib/asl/compile';
import { placeholderRefs } from '../../lib/asl/refs';
import { planWorkflow } from '../../lib/plan';

/** The definition the workflow deploys as: it carries the input declarations start checks against. */
function deployedDefinition(text: string): string {
  const { workflow } = loadWorkflowText(text, 'release-app.yml');
  if (workflow === undefined) throw new Error('fixture workflow does not load');
  return JSON.stringify(compileWorkflow(planWorkflow(workflow), placeholderRefs).definition);
}

const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:StepDeploy_release-app';
const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:StepDeploy_release-app:run-1';
const CONSOLE = `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${EXECUTION}`;

const workflowText = `name: Release
on:
  workflow_dispatch:
    inputs:
      region:
        type: choice
        required: true
        options: [us-east-1, eu-west-1]
      dry-run:
        type: boolean
        default: false
      count:
        type: number
        default: 2
jobs:
  build:
    steps:
      - run: make
`;

// `deploy` needs a job that does not exist.
const brokenText = 'on: workflow_dispatch\njobs:\n  build:\n    steps:\n      - run: make\n  deploy:\n    needs: biuld\n    steps:\n      - run: ./deploy.sh\n';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepdeploy-start-'));
  await writeFile(join(dir, 'release-app.yml'), workflowText);
  await writeFile(join(dir, 'broken.yml'), brokenText);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sfn = mockClient(SFNClient);
let sleeps: number[];
beforeEach(() => {
  sleeps = [];
  sfn.reset();
  sfn.on(ListStateMachinesCommand).resolves({ stateMachines: [] });
  sfn.on(ListStateMachinesCommand, { nextToken: undefined }).resolves({
    stateMachines: [{ name: 'other', stateMachineArn: 'arn:other', type: 'STANDARD', creationDate: new Date(0) }],
    nextToken: 'page-2',
  });
  sfn.on(ListStateMachinesCommand, { nextToken: 'page-2' }).resolves({
    stateMachines: [{ name: 'StepDeploy_release-app', stateMachineArn: MACHINE, type: 'STANDARD', creationDate: new Date(0) }],
  });
  sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: new Date(0) });
  sfn.on(DescribeStateMachineCommand).resolves({ definition: deployedDefinition(workflowText) } as never);
});

// Without --endpoint the real client takes its region from the environment; the tests pin one.
const sfnClient = (endpoint: string | undefined) => (endpoint === undefined ? new SFNClient({ region: 'eu-west-1' }) : createSfnClient(endpoint));
const start = createStart({ sfnClient, sleep: async (ms) => void sleeps.push(ms) });

async function run(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), isTTY: false, cwd: dir, env: {} };
  const code = await start(args, io);
  return { code, stdout, stderr };
}

const startInput = () => JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input ?? 'null') as unknown;

describe('stepdeploy start WORKFLOW_FILE', () => {
  it('checks the inputs, finds the state machine by the workflow id and starts it', async () => {
    expect(await run('release-app.yml', '--input', 'region=eu-west-1', '--input=dry-run=true')).toEqual({
      code: 0,
      stdout: `started ${EXECUTION}\n  ${CONSOLE}\n`,
      stderr: '',
    });
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.stateMachineArn).toBe(MACHINE);
    expect(startInput()).toEqual({ inputs: { region: 'eu-west-1', 'dry-run': true, count: 2 }, event: { trigger: 'api' } });
  });

  it('reports every input mistake and starts nothing (exit 2)', async () => {
    expect(await run('release-app.yml', '--input', 'region=mars', '--input', 'cuont=3', '--input', 'count=lots')).toEqual({
      code: 2,
      stdout: '',
      stderr: [
        "stepdeploy start: input 'region': 'mars' is not one of us-east-1, eu-west-1",
        "stepdeploy start: input 'count': 'lots' is not a number",
        "stepdeploy start: unknown input 'cuont' — did you mean 'count'?",
        '',
      ].join('\n'),
    });
    expect(sfn.calls()).toHaveLength(0);
  });

  it('names a missing required input', async () => {
    expect((await run('release-app.yml')).stderr).toBe("stepdeploy start: input 'region' is required\n");
  });

  it('prints the problems of a workflow file that does not load, as validate does (exit 2)', async () => {
    // The wording of each problem belongs to the model; start must relay all of them and stop.
    const { problems } = loadWorkflowText(brokenText, 'broken.yml');
    expect(problems.map((problem) => problem.code)).toEqual(['unknown-need']);
    expect(await run('broken.yml')).toEqual({ code: 2, stdout: '', stderr: problems.map((problem) => `${formatProblem(problem)}\n`).join('') });
    expect(sfn.calls()).toHaveLength(0);
  });

  it('says so when the workflow has not been deployed (exit 1)', async () => {
    sfn.on(ListStateMachinesCommand, { nextToken: 'page-2' }).resolves({ stateMachines: [] });
    expect(await run('release-app.yml', '--input', 'region=us-east-1')).toEqual({
      code: 1,
      stdout: '',
      stderr: "stepdeploy start: no state machine for 'release-app' at region eu-west-1; deploy the workflow first (cdk deploy)\n",
    });
  });
});

describe('stepdeploy start STATE_MACHINE', () => {
  it('finds a state machine by its full name', async () => {
    expect((await run('StepDeploy_release-app', '--input', 'region=us-east-1')).code).toBe(0);
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.stateMachineArn).toBe(MACHINE);
  });

  it('asks for the full name when two stacks deploy the same workflow (exit 1)', async () => {
    sfn.on(ListStateMachinesCommand, { nextToken: 'page-2' }).resolves({
      stateMachines: [
        { name: 'StepDeploy_release-app', stateMachineArn: MACHINE, type: 'STANDARD', creationDate: new Date(0) },
        { name: 'StepDeploy-prod_release-app', stateMachineArn: `${MACHINE}-prod`, type: 'STANDARD', creationDate: new Date(0) },
        { name: 'StepDeploy_release-app-2', stateMachineArn: `${MACHINE}-2`, type: 'STANDARD', creationDate: new Date(0) },
      ],
    });
    expect(await run('release-app.yml', '--input', 'region=us-east-1')).toEqual({
      code: 1,
      stdout: '',
      stderr: "stepdeploy start: 'release-app' is deployed by several stacks at region eu-west-1 (StepDeploy_release-app, StepDeploy-prod_release-app); give the state machine name or ARN\n",
    });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('checks the inputs against the declarations the deployed state machine carries, and applies their defaults', async () => {
    expect((await run('release-app', '--input', 'region=eu-west-1', '--input', 'count=5')).code).toBe(0);
    expect(sfn.commandCalls(DescribeStateMachineCommand)[0]?.args[0].input).toEqual({ stateMachineArn: MACHINE });
    expect(startInput()).toEqual({ inputs: { region: 'eu-west-1', 'dry-run': false, count: 5 }, event: { trigger: 'api' } });
  });

  it('refuses inputs the state machine would refuse, and starts nothing (exit 2), as GitHub refuses such a dispatch', async () => {
    expect(await run(MACHINE, '--input', 'region=mars', '--input', 'count=lots')).toEqual({
      code: 2,
      stdout: '',
      stderr: [
        "stepdeploy start: input 'region': 'mars' is not one of us-east-1, eu-west-1 (as declared by StepDeploy_release-app)",
        "stepdeploy start: input 'count': 'lots' is not a number (as declared by StepDeploy_release-app)",
        '',
      ].join('\n'),
    });
    expect((await run('release-app')).stderr).toBe("stepdeploy start: input 'region' is required (as declared by StepDeploy_release-app)\n");
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('refuses a state machine that is not a stepdeploy workflow (exit 1)', async () => {
    sfn.on(DescribeStateMachineCommand).resolves({ definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }) } as never);
    expect(await run(MACHINE)).toEqual({
      code: 1,
      stdout: '',
      stderr: "stepdeploy start: state machine StepDeploy_release-app is not a stepdeploy workflow (its definition has no 'Start run' state declaring inputs)\n",
    });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('starts a state machine ARN directly, with the execution name asked for', async () => {
    expect((await run(MACHINE, '--name', 'hotfix-42', '--input', 'region=us-east-1')).code).toBe(0);
    expect(sfn.commandCalls(ListStateMachinesCommand)).toHaveLength(0);
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: MACHINE,
      name: 'hotfix-42',
      input: JSON.stringify({ inputs: { region: 'us-east-1', 'dry-run': false, count: 2 }, event: { trigger: 'api' } }),
    });
  });

  it('reports a name that was already used (exit 1)', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists: hotfix-42', $metadata: {} }));
    expect(await run(MACHINE, '--name', 'hotfix-42', '--input', 'region=us-east-1')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'stepdeploy start: ExecutionAlreadyExists: Execution Already Exists: hotfix-42\n',
    });
  });

  it('prints the local endpoint instead of a console link', async () => {
    expect((await run(MACHINE, '--endpoint', 'http://localhost:8083', '--input', 'region=us-east-1')).stdout).toBe(`started ${EXECUTION}\n  endpoint http://localhost:8083\n`);
  });
});

describe('stepdeploy start --wait', () => {
  it('polls once a second, prints each status change and exits 0 on success', async () => {
    sfn
      .on(DescribeExecutionCommand)
      .resolvesOnce({ status: 'RUNNING' } as never)
      .resolvesOnce({ status: 'RUNNING' } as never)
      .resolves({ status: 'SUCCEEDED', startDate: new Date(0), stopDate: new Date(42_000) } as never);
    expect(await run(MACHINE, '--wait', '--input', 'region=us-east-1')).toEqual({
      code: 0,
      stdout: `started ${EXECUTION}\n  ${CONSOLE}\nRUNNING\nSUCCEEDED after 42s\n`,
      stderr: '',
    });
    expect(sleeps).toEqual([1000, 1000]);
  });

  it('exits 1 when the execution fails, with its error and cause', async () => {
    sfn.on(DescribeExecutionCommand).resolves({ status: 'FAILED', error: 'States.TaskFailed', cause: 'deploy.sh exited 3' } as never);
    const result = await run(MACHINE, '--wait', '--input', 'region=us-east-1');
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').at(-2)).toBe('FAILED — States.TaskFailed: deploy.sh exited 3');
  });
});

describe('stepdeploy start: usage mistakes (exit 2, nothing started)', () => {
  const usage = "\nRun 'stepdeploy start --help' for usage.\n";
  it.each([
    [[], 'no workflow file or state machine given'],
    [['a.yml', 'b.yml'], "unexpected argument 'b.yml'"],
    [['release-app.yml', '--input', 'region'], "--input 'region': expected KEY=VALUE"],
    [['release-app.yml', '--input', 'a=1', '--input', 'a=2'], "--input 'a' is given more than once"],
    [['release-app', '--name', 'has space'], "--name 'has space' must be 1-80 letters, digits, '-' or '_'"],
    [['release-app', '--endpoint', 'localhost:8083'], "--endpoint 'localhost:8083' is not an http(s) URL"],
    [['release-app', '--wiat'], "unknown option '--wiat' — did you mean '--wait'?"],
  ])('%j', async (args, message) => {
    expect(await run(...args)).toEqual({ code: 2, stdout: '', stderr: `stepdeploy start: ${message}${usage}` });
    expect(sfn.calls()).toHaveLength(0);
  });

  it('prints its help', async () => {
    expect(await run('--help')).toEqual({ code: 0, stdout: startHelp, stderr: '' });
  });
});

describe('createSfnClient', () => {
  it('points at a local endpoint with dummy credentials in us-east-1', async () => {
    const client = createSfnClient('http://localhost:8083');
    expect(await client.config.region()).toBe('us-east-1');
    expect(await client.config.credentials()).toMatchObject({ accessKeyId: 'local', secretAccessKey: 'local' });
    const endpoint = await client.config.endpoint?.();
    expect(endpoint).toMatchObject({ hostname: 'localhost', port: 8083, protocol: 'http:' });
  });
});
