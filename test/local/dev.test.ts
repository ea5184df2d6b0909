import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { devCommand } from '../../lib/cli/dev';
import { synthesizeLocalTemplate } from '../../lib/constructs/local-synth';
import type { CliIo } from '../../lib/cli/io';
import { LocalEngine, type LocalEngineOptions } from '../../lib/local/engine';
import type { Problem } from '../../lib/model/problem';
import { engineTemplate } from '../fixtures/templates/engine-template';

// The command is tested with the engine fixture template; synthesizing workflows is lib/constructs' part.

let cwd: string;
let out: string;
let err: string;
const io = (): CliIo => ({ stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTTY: false, cwd, env: {} });

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'dev-cli-'));
  await mkdir(join(cwd, 'workflows'));
  await writeFile(join(cwd, 'workflows', 'deploy.yml'), 'jobs: {}\n');
  out = '';
  err = '';
});
afterEach(() => rm(cwd, { recursive: true, force: true }));

test('prints the endpoints and state machines, serves until stopped, then closes the engine', async () => {
  let stop!: (signal: string) => void;
  let started!: LocalEngine;
  const synthesized: string[][] = [];
  const command = devCommand({
    synthesize: async (files) => {
      synthesized.push([...files]);
      return { template: engineTemplate, problems: [] };
    },
    startEngine: async (options: LocalEngineOptions) => (started = await LocalEngine.start({ ...options, handlerModules: (name) => import(`../fixtures/handlers/${name}.ts`) })),
    untilStopped: () => new Promise((resolve) => (stop = resolve)),
  });
  const exit = command(['--port', '0'], io());
  while (!out.includes('Press Ctrl+C')) await new Promise((resolve) => setTimeout(resolve, 10));

  expect(synthesized).toEqual([[join(cwd, 'workflows', 'deploy.yml')]]);
  expect(out).toContain(`  Step Functions API  ${started.endpoints.stepFunctions}\n`);
  expect(out).toContain(`  DynamoDB            ${started.endpoints.dynamodb}\n`);
  expect(out).toMatch(/^ {4}child +arn:aws:states:us-east-1:000000000000:stateMachine:child$/m);

  const sfn = new SFNClient({ endpoint: started.endpoints.stepFunctions, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:child', input: '{"value":1}' }));
  await started.waitForExecution(executionArn!);
  expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).output).toBe('{"doubled":2}');

  stop('SIGINT');
  expect(await exit).toBe(0);
  expect(out).toMatch(/Stopping \(SIGINT\): ending running executions…\nStopped\.\n$/);
  await expect(sfn.send(new DescribeExecutionCommand({ executionArn }))).rejects.toThrow();
  sfn.destroy();
});

test('workflow problems are printed and nothing starts', async () => {
  const problem: Problem = { code: 'unknown-key', location: { file: 'workflows/deploy.yml', line: 1, column: 1 }, path: 'jobs', message: 'bad' };
  const command = devCommand({
    synthesize: async () => ({ problems: [problem] }),
    startEngine: () => Promise.reject(new Error('must not start')),
    untilStopped: () => Promise.resolve('SIGINT'),
  });
  expect(await command([], io())).toBe(1);
  expect(err).toBe('workflows/deploy.yml:1:1 error unknown-key: bad\n');
});

test('a malformed stepdeploy:* entry of cdk.json is a located problem, not an unexpected error of the synthesis', async () => {
  await writeFile(join(cwd, 'workflows', 'deploy.yml'), 'on: workflow_dispatch\njobs:\n  build:\n    steps:\n      - run: echo hi\n');
  await writeFile(join(cwd, 'cdk.json'), '{\n  "app": "x",\n  "context": {\n    "stepdeploy:heartbeatSeconds": "soon"\n  }\n}\n');
  const command = devCommand({
    synthesize: (files, context) => synthesizeLocalTemplate(files, undefined, context),
    startEngine: () => Promise.reject(new Error('must not start')),
    untilStopped: () => Promise.resolve('SIGINT'),
  });
  expect(await command([], io())).toBe(1);
  const cdkJson = join(cwd, 'cdk.json');
  expect(err).toBe(`${cdkJson}:4:5 error invalid-project-config: ${cdkJson}: context.stepdeploy:heartbeatSeconds: "soon" must be a whole number of seconds from 1 to 3600\n`);
});

test('usage mistakes name the option or the directory', async () => {
  const command = devCommand({
    synthesize: () => Promise.reject(new Error('unused')),
    startEngine: () => Promise.reject(new Error('unused')),
    untilStopped: () => Promise.resolve('SIGINT'),
  });
  expect(await command(['--port', 'http'], io())).toBe(2);
  expect(await command(['--workflows', 'missing'], io())).toBe(2);
  expect(err).toBe(
    [
      "stepdeploy dev: option '--port' must be a port number (0-65535) — got 'http'",
      "Run 'stepdeploy dev --help' for usage.",
      "stepdeploy dev: cannot read the workflows directory 'missing'",
      "Run 'stepdeploy dev --help' for usage.",
      '',
    ].join('\n'),
  );
});
