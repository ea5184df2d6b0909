import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CellEnvironment } from '../../lib/runner/file-commands';
import { LogMasker } from '../../lib/runner/masker';
import { runStep, type StepSettings } from '../../lib/runner/step';
import type { StepWork } from '../../lib/runtime/runners';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepdeploy-runner-step-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let attempt = 0;
function cellSettings(name: string, masker = new LogMasker()): StepSettings {
  return {
    workspace: join(dir, name, 'workspace'),
    tempDir: join(dir, name, 'temp'),
    logDir: join(dir, name, 'logs'),
    job: 'build',
    logLink: (file) => file,
    baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
    cell: new CellEnvironment(),
    masker,
    stores: { secrets: { send: () => Promise.reject(new Error('this test reads no secrets')) } },
    echo: () => undefined,
  };
}

const work = (step: string, script: string, extra: Partial<StepWork> = {}): StepWork => ({
  runner: 'arn:aws:states:us-east-1:000000000000:execution:m:e#build',
  seq: 0,
  step,
  taskToken: `token-${step}`,
  script,
  shell: 'bash',
  env: [],
  heartbeatSeconds: 60,
  ...extra,
});

const run = (settings: StepSettings, step: StepWork) => runStep(settings, step, `${++attempt}`, () => undefined);

describe('a step on the runner', () => {
  it('shares the workspace, GITHUB_ENV and GITHUB_PATH with later steps of the cell', async () => {
    const settings = cellSettings('shared');
    await mkdir(settings.workspace, { recursive: true });
    const first = await run(
      settings,
      work('make', 'mkdir -p dist bin && echo zipped > dist/app.zip\necho "STAGE=prod" >> "$GITHUB_ENV"\nprintf "#!/bin/sh\\necho tool ran\\n" > bin/tool && chmod +x bin/tool\necho "$PWD/bin" >> "$GITHUB_PATH"'),
    );
    expect(first.ok).toBe(true);
    const second = await run(settings, work('use', 'cat dist/app.zip; echo "stage=$STAGE" >> "$GITHUB_OUTPUT"; tool'));
    expect(second).toMatchObject({ ok: true });
    const outputs = Buffer.from((second as { result: { outputFileBase64: string } }).result.outputFileBase64, 'base64').toString();
    expect(outputs).toBe('stage=prod\n');
    const log = await readFile(join(settings.logDir, 'build.use_run.log'), 'utf8');
    expect(log).toBe('zipped\ntool ran\n');
  });

  it("lets a step's own env win over $GITHUB_ENV", async () => {
    const settings = cellSettings('precedence');
    await mkdir(settings.workspace, { recursive: true });
    await run(settings, work('set', 'echo "TARGET=from-env-file" >> "$GITHUB_ENV"'));
    const own = await run(settings, work('own', 'echo "target=$TARGET" >> "$STEPDEPLOY_OUTPUT"', { env: [{ Name: 'TARGET', Value: 'from-step' }] }));
    expect(Buffer.from((own as { result: { outputFileBase64: string } }).result.outputFileBase64, 'base64').toString()).toBe('target=from-step\n');
  });

  it('fails with the exit status and the last lines of its own output, masked', async () => {
    const masker = new LogMasker();
    masker.add('hunter2');
    const settings = cellSettings('failing', masker);
    await mkdir(settings.workspace, { recursive: true });
    const outcome = await run(settings, work('boom', 'echo "password is hunter2"\necho to stderr >&2\nexit 3\necho never'));
    expect(outcome).toEqual({
      ok: false,
      cause: { exitCode: 3, lastLines: ['password is ***', 'to stderr'], log: join(settings.logDir, 'build.boom_run.log') },
    });
    expect(await readFile(join(settings.logDir, 'build.boom_run.log'), 'utf8')).toBe('password is ***\nto stderr\n');
  });

  it('fails when the working directory does not exist, instead of running elsewhere', async () => {
    const settings = cellSettings('missing-dir');
    await mkdir(settings.workspace, { recursive: true });
    const outcome = await run(settings, work('wd', 'echo ran', { workingDirectory: 'infra' }));
    expect(outcome).toMatchObject({ ok: false, cause: { exitCode: 1, lastLines: ["stepdeploy: working-directory 'infra' does not exist in the workspace"] } });
  });

  it('fails on a bad output file, naming the line', async () => {
    const settings = cellSettings('bad-output');
    await mkdir(settings.workspace, { recursive: true });
    const outcome = await run(settings, work('out', 'echo "not a pair" >> "$GITHUB_OUTPUT"'));
    expect(outcome).toMatchObject({
      ok: false,
      cause: { exitCode: 1, lastLines: ["stepdeploy: $GITHUB_OUTPUT: invalid output line 1: 'not a pair' (expected name=value or name<<DELIMITER)"] },
    });
  });

  it('reports the step summary with the result', async () => {
    const settings = cellSettings('summary');
    await mkdir(settings.workspace, { recursive: true });
    const outcome = await run(settings, work('sum', 'echo "## Deployed" >> "$GITHUB_STEP_SUMMARY"'));
    expect(outcome).toMatchObject({ ok: true, result: { outcome: 'success', summary: '## Deployed\n' } });
  });

  it('refuses a $GITHUB_ENV name that would steer the runner', async () => {
    const settings = cellSettings('refused');
    await mkdir(settings.workspace, { recursive: true });
    const outcome = await run(settings, work('steer', 'echo "STEPDEPLOY_RUNNER_TABLE=x" >> "$GITHUB_ENV"'));
    expect(outcome).toMatchObject({ ok: false, cause: { lastLines: ["stepdeploy: $GITHUB_ENV: 'STEPDEPLOY_RUNNER_TABLE' cannot be set from a step"] } });
  });
});
