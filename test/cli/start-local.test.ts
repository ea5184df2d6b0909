// `stepdeploy start NAME|ARN` against a real (local) Step Functions API: the inputs are checked
// against the declarations the synthesized state machine carries, before anything starts.
import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../lib/cli/io';
import { createSfnClient } from '../../lib/cli/sfn-client';
import { createStart } from '../../lib/cli/start';
import { startLocalWorkflows, type LocalWorkflows } from '../e2e/local-run';

const workflowText = `name: release
on:
  workflow_dispatch:
    inputs:
      target:
        type: choice
        required: true
        options: [staging, production]
      replicas:
        type: number
        default: 2
jobs:
  deploy:
    steps:
      - run: echo "deploying \${{ inputs.replicas }} to \${{ inputs.target }}"
`;

let dir: string;
let local: LocalWorkflows;
let endpoint: string;
let machineArn: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepdeploy-start-local-'));
  await writeFile(join(dir, 'release.yml'), workflowText);
  local = await startLocalWorkflows([join(dir, 'release.yml')]);
  endpoint = local.engine.endpoints.stepFunctions;
  machineArn = local.engine.stateMachines[0]!.arn;
});
afterAll(async () => {
  await local?.close();
  await rm(dir, { recursive: true, force: true });
});

const start = createStart({ sfnClient: createSfnClient, sleep: () => new Promise((resolve) => setTimeout(resolve, 20)) });

async function run(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), isTTY: false, cwd: dir, env: {} };
  const code = await start([...args, '--endpoint', endpoint], io);
  return { code, stdout, stderr };
}

const executions = async () => (await createSfnClient(endpoint).send(new ListExecutionsCommand({ stateMachineArn: machineArn }))).executions ?? [];

describe('stepdeploy start STATE_MACHINE on the local engine', () => {
  it('refuses a missing required input and a wrong choice before starting anything (exit 2)', async () => {
    expect(await run(machineArn)).toEqual({ code: 2, stdout: '', stderr: `stepdeploy start: input 'target' is required (as declared by ${machineArn.split(':').at(-1)})\n` });
    expect((await run(machineArn, '--input', 'target=prod')).stderr).toBe(
      `stepdeploy start: input 'target': 'prod' is not one of staging, production (as declared by ${machineArn.split(':').at(-1)})\n`,
    );
    expect(await executions()).toEqual([]);
  });

  it('starts with valid inputs, their defaults applied, and the run succeeds', async () => {
    const result = await run(machineArn, '--input', 'target=staging', '--wait');
    expect(result.code).toBe(0);
    const [execution] = await executions();
    const described = await createSfnClient(endpoint).send(new DescribeExecutionCommand({ executionArn: execution!.executionArn }));
    expect(JSON.parse(described.input!).inputs).toEqual({ target: 'staging', replicas: 2 });
    expect(described.status).toBe('SUCCEEDED');
  });
});
