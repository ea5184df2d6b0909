import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../lib/cli/io';
import { main } from '../../lib/cli/main';
import { planHelp } from '../../lib/cli/plan';

let dir: string;

const valid = `on: workflow_dispatch
jobs:
  build:
    steps:
      - run: make
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepdeploy-main-'));
  await writeFile(join(dir, 'ok.yml'), valid);
  await writeFile(join(dir, 'bad.yml'), 'on: workflow_dispatch\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[], env: Record<string, string> = {}, overrides: Partial<CliIo> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    isTTY: false,
    cwd: dir,
    env,
    ...overrides,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const usage = `Usage: stepdeploy COMMAND [ARGS...]

Commands:
  validate    check workflow files and report every problem
  plan        show the jobs, matrix cells, DAG shape and critical path of a workflow
  run         run a workflow locally on the embedded engine (no AWS account), with live progress
  dev         serve the local engine (Step Functions API and DynamoDB) for every workflow in a folder
  start       start an execution of a deployed workflow (AWS, or a local engine with --endpoint)
  watch       follow an execution until it ends
  approve     approve a job’s pending deployment to an environment with required reviewers
  reject      reject a job’s pending deployment (the job fails without running its steps)
  cancel      stop an execution (its locks are released through the status-change path)
  locks       list concurrency groups, their holders, waiters and lease ages
  report      write the run report (JSON) and timeline (HTML) of an ended execution
  actions     lock the remote actions the workflows use (stepdeploy.lock.json): actions update
  init        set up a CDK app (new or existing) to deploy workflows with stepdeploy
  completion  print a bash or zsh completion script

Run 'stepdeploy COMMAND --help' (or 'stepdeploy help COMMAND') for a command's options.
'stepdeploy --version' prints the version.
`;

describe('stepdeploy', () => {
  it('prints the usage for --help and help, exit 0', async () => {
    expect(await run(['--help'])).toEqual({ code: 0, stdout: usage, stderr: '' });
    expect(await run(['help'])).toEqual({ code: 0, stdout: usage, stderr: '' });
  });

  it('prints the usage on stderr when no command is given, exit 2', async () => {
    expect(await run([])).toEqual({ code: 2, stdout: '', stderr: usage });
  });

  it("shows a command's help for 'help COMMAND' and 'COMMAND --help'", async () => {
    expect(await run(['help', 'plan'])).toEqual({ code: 0, stdout: planHelp, stderr: '' });
    expect(await run(['plan', '--help'])).toEqual({ code: 0, stdout: planHelp, stderr: '' });
    expect(await run(['plan', '-h'])).toEqual({ code: 0, stdout: planHelp, stderr: '' });
  });

  it("prints the package's version", async () => {
    const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `stepdeploy ${manifest.version}\n`, stderr: '' });
  });

  it('suggests the closest command for an unknown one, exit 2', async () => {
    expect(await run(['plna', 'ok.yml'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "stepdeploy: unknown command 'plna' — did you mean 'plan'?\nRun 'stepdeploy --help' for usage.\n",
    });
    expect(await run(['help', 'valdate'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "stepdeploy: unknown command 'valdate' — did you mean 'validate'?\nRun 'stepdeploy --help' for usage.\n",
    });
  });

  it('names an unknown command without a guess when nothing is close', async () => {
    expect((await run(['frobnicate'])).stderr).toBe("stepdeploy: unknown command 'frobnicate'\nRun 'stepdeploy --help' for usage.\n");
  });

  it('refuses an option before the command', async () => {
    expect(await run(['--verbose', 'validate', 'ok.yml'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "stepdeploy: unknown option '--verbose' — options go after the command\nRun 'stepdeploy --help' for usage.\n",
    });
  });

  it('refuses an unknown option of a command with a suggestion, exit 2', async () => {
    expect(await run(['validate', '--fromat', 'json', 'ok.yml'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "stepdeploy validate: unknown option '--fromat' — did you mean '--format'?\nRun 'stepdeploy validate --help' for usage.\n",
    });
  });

  it('refuses a missing option value, a value outside the choices, and a value for a flag', async () => {
    expect((await run(['plan', 'ok.yml', '--format'])).stderr).toBe(
      "stepdeploy plan: option '--format' needs a value\nRun 'stepdeploy plan --help' for usage.\n",
    );
    expect((await run(['plan', '--format', '--input', 'a=b', 'ok.yml'])).stderr).toBe(
      "stepdeploy plan: option '--format' needs a value\nRun 'stepdeploy plan --help' for usage.\n",
    );
    expect(await run(['plan', 'ok.yml', '--format=xml'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "stepdeploy plan: option '--format' must be one of text, mermaid, dot, json — got 'xml'\nRun 'stepdeploy plan --help' for usage.\n",
    });
    expect((await run(['plan', 'ok.yml', '--help=yes'])).stderr).toBe(
      "stepdeploy plan: option '--help' takes no value\nRun 'stepdeploy plan --help' for usage.\n",
    );
  });

  it('reports an unexpected error by its message, exit 1, without a stack', async () => {
    const failing = { stdout: () => { throw new Error('write EPIPE'); } };
    const result = await run(['validate', 'ok.yml'], {}, failing);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'stepdeploy: unexpected error: write EPIPE\nSet STEPDEPLOY_DEBUG=1 to see where it happened.\n',
    });
  });

  it('adds the stack of an unexpected error when STEPDEPLOY_DEBUG=1', async () => {
    const failing = { stdout: () => { throw new Error('write EPIPE'); } };
    const result = await run(['validate', 'ok.yml'], { STEPDEPLOY_DEBUG: '1' }, failing);
    expect(result.code).toBe(1);
    const [first, second, third] = result.stderr.split('\n');
    expect(first).toBe('stepdeploy: unexpected error: write EPIPE');
    expect(second).toBe('Error: write EPIPE');
    expect(third).toMatch(/^ {4}at /);
  });
});

describe('bin/stepdeploy.js', () => {
  const bin = fileURLToPath(new URL('../../bin/stepdeploy.js', import.meta.url));
  const exec = promisify(execFile);

  it('runs the CLI as a real process, from any directory', async () => {
    const { stdout, stderr } = await exec(process.execPath, [bin, 'validate', 'ok.yml'], { cwd: dir });
    expect({ stdout, stderr }).toEqual({ stdout: 'ok.yml: ok\n', stderr: '' });
  });

  it('exits with the command’s exit code', async () => {
    const failure = await exec(process.execPath, [bin, 'validate', 'bad.yml'], { cwd: dir }).catch((error: unknown) => error);
    expect(failure).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'bad.yml:1:1 error no-jobs: jobs is required: a mapping with at least one job\n',
    });
  });
});
