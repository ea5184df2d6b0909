import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../lib/cli/io';
import { main } from '../../lib/cli/main';
import { validateHelp } from '../../lib/cli/validate';

let dir: string;

const fixtures: Record<string, string> = {
  'deploy.yml': `name: Deploy
on:
  workflow_dispatch:
jobs:
  build:
    steps:
      - run: make
  deploy:
    needs: build
    steps:
      - run: ./deploy.sh
`,
  'typos.yml': `on: workflow_dispatch
jobs:
  build:
    steps:
      - rn: make
  deploy:
    needs: biuld
    steps:
      - run: ./deploy.sh
`,
  'always-true.yml': 'on: workflow_dispatch\njobs:\n  build:\n    steps:\n      - run: make\n        if: "${{ false }} "\n',
  'wide.yml': `on: workflow_dispatch\njobs:\n${Array.from({ length: 11 }, (_, index) => `  job${index}:\n    steps:\n      - run: 'true'\n`).join('')}`,
  'retries.yml': `on: workflow_dispatch\njobs:\n  retrying:\n    steps:\n${Array.from({ length: 70 }, () => `      - run: ./flaky\n        retry:\n          max-attempts: 100\n`).join('')}`,
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepdeploy-validate-'));
  for (const [name, text] of Object.entries(fixtures)) await writeFile(join(dir, name), text);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), isTTY: false, cwd: dir, env: {} };
  const code = await main(['validate', ...argv], io);
  return { code, stdout, stderr };
}

// The loader's own wording; what validate adds is the FILE:LINE:COL error CODE: prefix and the order.
const typoProblems = [
  "typos.yml:5:9 error unknown-key: jobs.build.steps[0].rn: unknown key 'rn' — did you mean 'run'?",
  'typos.yml:5:9 error invalid-step: jobs.build.steps[0]: a step needs run (a bash script) or uses: ./path (an action of the repository), aws/lambda or actions/checkout@<ref>',
  "typos.yml:7:12 error unknown-need: jobs.deploy.needs: unknown job 'biuld' — did you mean 'build'?",
];

describe('stepdeploy validate', () => {
  it('checks Step Functions limits as cdk synth will: 11 independent jobs are fine, 21,000 possible history events are not', async () => {
    expect(await run('wide.yml')).toEqual({ code: 0, stdout: 'wide.yml: ok\n', stderr: '' });
    const { code, stderr } = await run('retries.yml');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^retries\.yml:3:3 error history-too-large: one execution could record up to 21,[0-9]{3} history events \(Step Functions stops at 25,000; stepdeploy keeps under 20,000\) even with every matrix in child executions; job 'retrying' alone records up to 21,[0-9]{3}: split the workflow, or use fewer jobs, steps and retries\n$/);
    const plan = await main(['plan', 'retries.yml'], { stdout: () => undefined, stderr: () => undefined, isTTY: false, cwd: dir, env: {} });
    expect(plan).toBe(1);
  });

  it("prints 'FILE: ok' for a valid file, exit 0", async () => {
    expect(await run('deploy.yml')).toEqual({ code: 0, stdout: 'deploy.yml: ok\n', stderr: '' });
  });

  it('prints one line per problem on stderr, exit 1', async () => {
    expect(await run('typos.yml')).toEqual({ code: 1, stdout: '', stderr: `${typoProblems.join('\n')}\n` });
  });

  it('checks every file given, in order', async () => {
    expect(await run('typos.yml', 'deploy.yml')).toEqual({
      code: 1,
      stdout: 'deploy.yml: ok\n',
      stderr: `${typoProblems.join('\n')}\n`,
    });
  });

  it('names the file as it was given, relative to the working directory', async () => {
    expect(await run('./deploy.yml')).toEqual({ code: 0, stdout: './deploy.yml: ok\n', stderr: '' });
  });

  it('reports a file it cannot read as a problem of that file', async () => {
    expect(await run('deploy.yml', 'missing.yml')).toEqual({
      code: 1,
      stdout: 'deploy.yml: ok\n',
      stderr: "missing.yml:1:1 error file-unreadable: cannot read workflow file 'missing.yml': no such file\n",
    });
    expect((await run('.')).stderr).toBe(".:1:1 error file-unreadable: cannot read workflow file '.': it is a directory\n");
  });

  it('prints the problems as a JSON array with --format json', async () => {
    const { code, stdout, stderr } = await run('--format', 'json', 'deploy.yml', 'typos.yml');
    expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
    expect(JSON.parse(stdout)).toEqual([
      {
        file: 'typos.yml',
        line: 5,
        column: 9,
        code: 'unknown-key',
        path: 'jobs.build.steps[0].rn',
        message: "jobs.build.steps[0].rn: unknown key 'rn' — did you mean 'run'?",
      },
      {
        file: 'typos.yml',
        line: 5,
        column: 9,
        code: 'invalid-step',
        path: 'jobs.build.steps[0]',
        message: 'jobs.build.steps[0]: a step needs run (a bash script) or uses: ./path (an action of the repository), aws/lambda or actions/checkout@<ref>',
      },
      {
        file: 'typos.yml',
        line: 7,
        column: 12,
        code: 'unknown-need',
        path: 'jobs.deploy.needs',
        message: "jobs.deploy.needs: unknown job 'biuld' — did you mean 'build'?",
      },
    ]);
  });

  it('prints an empty JSON array when every file is valid, exit 0', async () => {
    expect(await run('deploy.yml', '--format=json')).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });

  it('needs at least one file, exit 2', async () => {
    expect(await run()).toEqual({
      code: 2,
      stdout: '',
      stderr: "stepdeploy validate: no workflow file given\nRun 'stepdeploy validate --help' for usage.\n",
    });
  });

  it('explains itself with --help', async () => {
    expect(await run('--help')).toEqual({ code: 0, stdout: validateHelp, stderr: '' });
  });
});

describe('stepdeploy validate: warnings', () => {
  it('prints a warning for an if that text makes always true, and still passes (exit 0)', async () => {
    expect(await run('always-true.yml')).toEqual({
      code: 0,
      stdout: 'always-true.yml: ok\n',
      stderr:
        "always-true.yml:6:14 warning if-always-true: jobs.build.steps[0].if: text around ${{ }} (even a space or a block scalar's newline) makes this condition a string, which is always true (as on GitHub); put the whole condition inside one ${{ }} with nothing around it\n",
    });
  });

  it('reads the runner labels of the cdk.json above the file, as cdk deploy does', async () => {
    const project = join(dir, 'project');
    await mkdir(join(project, 'workflows'), { recursive: true });
    await writeFile(join(project, 'workflows', 'gpu.yml'), 'on: push\njobs:\n  build:\n    runs-on: [ubuntu-latest, gpu]\n    steps:\n      - run: make\n');
    const unknown = await run('project/workflows/gpu.yml');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^project\/workflows\/gpu\.yml:4:30 error unknown-runner-label: jobs\.build\.runs-on: unknown runner label 'gpu' \(known labels: ubuntu-latest, /);
    await writeFile(join(project, 'cdk.json'), JSON.stringify({ context: { 'stepdeploy:runnerLabels': { gpu: { computeType: 'BUILD_GENERAL1_LARGE' } } } }));
    expect(await run('project/workflows/gpu.yml')).toEqual({ code: 0, stdout: 'project/workflows/gpu.yml: ok\n', stderr: '' });
    await writeFile(join(project, 'cdk.json'), JSON.stringify({ context: { 'stepdeploy:runnerLabels': { gpu: {} } } }));
    expect((await run('project/workflows/gpu.yml')).stderr).toBe(
      `${join(project, 'cdk.json')}:1:1 error invalid-project-config: ${join(project, 'cdk.json')}: context.stepdeploy:runnerLabels.gpu: sets nothing (fields: image, computeType, environmentType)\n`,
    );
  });
});
