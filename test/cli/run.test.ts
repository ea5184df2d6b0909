// `stepdeploy run` as a user calls it: the real engine, real bash steps, files written to disk.
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { callCli } from './call-cli';
import type { RunReport } from '../../lib/report/report';

let dir: string;

const files: Record<string, string> = {
  'release.yml': `name: Release
on:
  workflow_dispatch:
    inputs:
      version:
        type: string
        required: true
jobs:
  build:
    outputs:
      artifact: \${{ steps.pack.outputs.artifact }}
    steps:
      - id: pack
        run: echo "artifact=app-\${{ inputs.version }}.zip" >> "$STEPDEPLOY_OUTPUT"
  notify:
    needs: build
    steps:
      - uses: aws/lambda
        with:
          function: notify
          payload:
            artifact: \${{ needs.build.outputs.artifact }}
`,
  'broken.yml': `on: workflow_dispatch
jobs:
  build:
    steps:
      - id: compile
        run: |
          echo "compiling"
          echo "error: missing semicolon" >&2
          exit 3
`,
  'empty.mjs': 'export const nothing = 1;\n',
  'notify.mjs': `export async function handler(payload) {
  return { received: payload.artifact };
}
`,
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepdeploy-run-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
});

const run = (...argv: string[]) => callCli(dir, ['run', ...argv]);

describe('stepdeploy run', () => {
  it('runs the workflow locally, passes outputs on, runs a Lambda step through --lambda, and writes the report and timeline', async () => {
    const { code, stdout, stderr } = await run('release.yml', '--input', 'version=1.2.3', '--lambda', 'notify=notify.mjs', '--report', 'out/report.json', '--timeline', 'out/timeline.html');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/build succeeded in /);
    expect(stdout).toMatch(/notify succeeded in /);
    expect(stdout).toContain('wrote out/report.json\nwrote out/timeline.html\n');
    const report = JSON.parse(await readFile(join(dir, 'out/report.json'), 'utf8')) as RunReport;
    expect(report.status).toBe('succeeded');
    expect(report.jobs.map((job) => [job.id, job.status])).toEqual([
      ['build', 'succeeded'],
      ['notify', 'succeeded'],
    ]);
    expect(report.jobs[0]!.steps[0]).toMatchObject({ name: 'Run echo "artifact=app-${{ inputs.version }}.zip" >> "$STEPDE...', outputs: { artifact: 'app-1.2.3.zip' } });
    expect(report.jobs[1]!.steps[0]).toMatchObject({ name: 'Invoke notify', outputs: { received: 'app-1.2.3.zip' } });
    expect(await readFile(join(dir, 'out/timeline.html'), 'utf8')).toContain('<svg');
  });

  it('exits 1 on a failed run and shows the failed step’s last log lines', async () => {
    const { code, stdout } = await run('broken.yml');
    expect(code).toBe(1);
    expect(stdout).toMatch(/run failed in .*: 1 failed/);
    // The step's own last lines, its exit code and its log: no wrapper lines around them.
    const failure = stdout.slice(stdout.indexOf('failed: build'));
    expect(failure).toMatch(/^failed: build › Run echo "compiling".* \(exit code 3\)\n {4}compiling\n {4}error: missing semicolon\n {4}full log: (\S+\.log)\n$/);
    const log = /full log: (\S+)/.exec(failure)![1]!;
    expect(await readFile(log, 'utf8')).toContain('error: missing semicolon');
    expect(failure).not.toContain('[Container]');
    // Off a terminal the step's output streamed as it was written.
    expect(stdout).toContain('[build / Run echo "compiling"');
  });

  it('checks inputs before anything starts (exit 2)', async () => {
    expect(await run('release.yml')).toEqual({ code: 2, stdout: '', stderr: "stepdeploy run: input 'version' is required\n" });
  });

  it('refuses an --env-passthrough variable the shell does not have, or one that would steer the runner (exit 2)', async () => {
    const missing = await run('release.yml', '--input', 'version=1', '--env-passthrough', 'AWS_PROFILE');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--env-passthrough AWS_PROFILE: AWS_PROFILE is not set in this shell');
    const steering = await run('release.yml', '--input', 'version=1', '--env-passthrough', 'STEPDEPLOY_RUNNER_TABLE');
    expect(steering.stderr).toContain('--env-passthrough STEPDEPLOY_RUNNER_TABLE: STEPDEPLOY_RUNNER_* variables steer the runner and cannot be passed');
  });

  it('reports an invalid workflow as validate does (exit 1)', async () => {
    await writeFile(join(dir, 'typo.yml'), 'on: workflow_dispatch\njobs:\n  a:\n    steps:\n      - rn: make\n');
    const { code, stderr } = await run('typo.yml');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^typo\.yml:5:9 error unknown-key: /);
  });

  it('fails a Lambda step that has no local stand-in, naming the state and the way out', async () => {
    const { code, stdout } = await run('release.yml', '--input', 'version=1');
    expect(code).toBe(1);
    expect(stdout).toContain('failed: notify › Invoke notify');
    expect(stdout).toContain("Lambda.ResourceNotFoundException: State 'notify.step-1: run': Lambda function 'notify' is not available locally; pass --lambda notify=FILE");
  });

  it('rejects a --lambda that is not NAME=MODULE, or whose module has no handler', async () => {
    const given = ['release.yml', '--input', 'version=1'];
    expect((await run(...given, '--lambda', 'notify')).stderr).toContain("--lambda 'notify': expected NAME=MODULE");
    expect((await run(...given, '--lambda', 'notify=release.yml')).stderr).toContain("--lambda 'notify=release.yml': cannot load");
    const noHandler = await run(...given, '--lambda', 'notify=empty.mjs');
    expect(noHandler.code).toBe(2);
    expect(noHandler.stderr).toContain('empty.mjs exports no handler function');
  });

  it('reports a malformed stepdeploy:* entry of cdk.json at the key (it was an unexpected error of the synthesis)', async () => {
    const project = join(dir, 'configured');
    await mkdir(project, { recursive: true });
    await writeFile(join(project, 'cdk.json'), '{\n  "app": "x",\n  "context": {\n    "stepdeploy:connectionArn": 5\n  }\n}\n');
    await writeFile(join(project, 'w.yml'), 'on: workflow_dispatch\njobs:\n  build:\n    steps:\n      - run: echo hi\n');
    const cdkJson = join(project, 'cdk.json');
    expect(await callCli(project, ['run', 'w.yml'])).toEqual({
      code: 1,
      stdout: '',
      stderr: `${cdkJson}:4:5 error invalid-project-config: ${cdkJson}: context.stepdeploy:connectionArn: expected a CodeConnections connection ARN (arn:aws:codeconnections:<region>:<account>:connection/<id>), got 5\n`,
    });
  });
});
