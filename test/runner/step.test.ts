import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionPosts } from '../../lib/runner/action-step';
import { CellEnvironment } from '../../lib/runner/file-commands';
import { LogMasker } from '../../lib/runner/masker';
import { runStep, type StepSettings } from '../../lib/runner/step';
import { CellSource, missingSource } from '../../lib/runner/checkout';
import type { CellContext } from '../../lib/runner/cell-context';
import { githubRunContext } from '../../lib/runtime/github-context';
import type { StepWork } from '../../lib/runtime/runners';
import { parseStepOutputs } from '../../lib/runtime/step-outputs';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepdeploy-runner-step-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha = '0123456789abcdef0123456789abcdef01234567';
const github = githubRunContext({
  event: { trigger: 'push', after: sha, ref: 'refs/heads/main', repository: 'acme/site', pusher: { name: 'ada' } },
  source: {},
  workflowName: 'deploy',
  executionName: 'run-1',
});

function cellContext(name: string): CellContext {
  const root = join(dir, name);
  return {
    github,
    job: 'build',
    runner: { name: 'runner:1', arch: 'ARM64', workspace: join(root, 'workspace'), temp: join(root, 'temp'), toolCache: join(root, 'tools') },
  };
}

let attempt = 0;
function cellSettings(name: string, masker = new LogMasker()): StepSettings {
  return {
    context: cellContext(name),
    source: new CellSource(join(dir, name, 'workspace'), undefined),
    first: false,
    workspace: join(dir, name, 'workspace'),
    tempDir: join(dir, name, 'temp'),
    logDir: join(dir, name, 'logs'),
    job: 'build',
    logLink: (file) => file,
    baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
    cell: new CellEnvironment(),
    posts: new ActionPosts(),
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

  it('reads a secret its env names and masks the value in the log', async () => {
    const masker = new LogMasker();
    const settings = { ...cellSettings('secret', masker), stores: { secrets: { send: async () => ({ SecretString: 's3cr3t-value' }) } } };
    await mkdir(settings.workspace, { recursive: true });
    const outcome = await run(settings, work('db', 'echo "pw=$DB_PASSWORD"; test "$DB_PASSWORD" = s3cr3t-value', { env: [{ Name: 'DB_PASSWORD', Value: 'stepdeploy/app/DB_PASSWORD', Type: 'SECRETS_MANAGER' }] }));
    expect(outcome).toMatchObject({ ok: true });
    expect(await readFile(join(settings.logDir, 'build.db_run.log'), 'utf8')).toBe('pw=***\n');
  });

  it('skips an output that holds a secret, as GitHub does, and keeps the others', async () => {
    const masker = new LogMasker();
    const settings = { ...cellSettings('secret-output', masker), stores: { secrets: { send: async () => ({ SecretString: 's3cr3t-value' }) } } };
    await mkdir(settings.workspace, { recursive: true });
    const script = 'echo "leak=x-$DB_PASSWORD-y" >> "$GITHUB_OUTPUT"; printf "multi<<EOF\\nline 1\\nline 2\\nEOF\\n" >> "$GITHUB_OUTPUT"';
    const outcome = await run(settings, work('out', script, { env: [{ Name: 'DB_PASSWORD', Value: 'stepdeploy/app/DB_PASSWORD', Type: 'SECRETS_MANAGER' }] }));
    expect(outcome.ok).toBe(true);
    const encoded = outcome.ok && outcome.result.outcome === 'success' ? Buffer.from(outcome.result.outputFileBase64, 'base64').toString('utf8') : '';
    expect(encoded).not.toContain('s3cr3t-value');
    expect(parseStepOutputs(encoded)).toEqual({ multi: 'line 1\nline 2' });
    expect(await readFile(join(settings.logDir, 'build.out_run.log'), 'utf8')).toBe("stepdeploy: output 'leak' is skipped: it may contain a secret\n");
  });

  it('fails naming a secret that cannot be read, never a value', async () => {
    const gone = Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' });
    const settings = { ...cellSettings('no-secret'), stores: { secrets: { send: () => Promise.reject(gone) } } };
    await mkdir(settings.workspace, { recursive: true });
    const outcome = await run(settings, work('db', 'echo ran', { env: [{ Name: 'DB_PASSWORD', Value: 'stepdeploy/app/DB_PASSWORD', Type: 'SECRETS_MANAGER' }] }));
    expect(outcome).toMatchObject({
      ok: false,
      cause: { exitCode: 1, lastLines: ["stepdeploy: the secret 'stepdeploy/app/DB_PASSWORD' (for DB_PASSWORD) could not be read: ResourceNotFoundException"] },
    });
  });
});

// Values reach a step whatever their size up to AWS's own payload limit (256 KiB), not only up to the
// 128 KiB Linux lets one environment variable carry (a bigger one failed the step with `spawn E2BIG`).
describe('values passed to a step on the runner', () => {
  it('an expression value of 200 KiB arrives intact, in the step script and in a nested bash', async () => {
    const settings = cellSettings('big-value');
    await mkdir(settings.workspace, { recursive: true });
    const value = `${'x'.repeat(200 * 1024)}\n\n`; // trailing newlines kept too
    const script = 'printf "%s" "$STEPDEPLOY_EXPR_1" | wc -c; bash -c \'printf "%s" "$STEPDEPLOY_EXPR_1" | wc -c\'; /usr/bin/env true && echo child-ok';
    const outcome = await run(settings, work('big', script, { env: [{ Name: 'STEPDEPLOY_EXPR_1', Value: value }] }));
    expect(outcome).toMatchObject({ ok: true });
    const log = await readFile(join(settings.logDir, 'build.big_run.log'), 'utf8');
    expect(log.match(/^\s*\d+$/gm)?.map((n) => Number(n.trim()))).toEqual([value.length, value.length]);
    expect(log).toContain('child-ok');
  });

  it('a NUL in a value fails the step with the variable named', async () => {
    const settings = cellSettings('nul');
    await mkdir(settings.workspace, { recursive: true });
    const outcome = await run(settings, work('nul', 'true', { env: [{ Name: 'STEPDEPLOY_EXPR_1', Value: 'a\u0000b' }] }));
    expect(outcome).toMatchObject({ ok: false, cause: { lastLines: ['stepdeploy: environment variable STEPDEPLOY_EXPR_1 contains a NUL character (\\0), which no environment variable can carry'] } });
  });

  it('an env: value over what one environment variable can carry fails the step with the limit, not E2BIG', async () => {
    const settings = cellSettings('too-big');
    await mkdir(settings.workspace, { recursive: true });
    const outcome = await run(settings, work('big', 'true', { env: [{ Name: 'BIG', Value: 'y'.repeat(140_000) }] }));
    expect(outcome).toMatchObject({
      ok: false,
      cause: {
        lastLines: [
          'stepdeploy: environment variable BIG is 140,000 bytes; a process gets at most 131,072 bytes per variable (NAME=VALUE, Linux): pass a value this large through a file, or through ${{ }} in the script',
        ],
      },
    });
  });

  it("gives every step GitHub's default variables, CI=true and GITHUB_ACTION, from the run's github context", async () => {
    const settings = cellSettings('github-env');
    await mkdir(settings.workspace, { recursive: true });
    const script = 'for name in CI GITHUB_ACTIONS GITHUB_SHA GITHUB_REF_NAME GITHUB_REPOSITORY GITHUB_JOB GITHUB_ACTION GITHUB_WORKSPACE RUNNER_OS RUNNER_ARCH RUNNER_NAME RUNNER_TEMP RUNNER_TOOL_CACHE RUNNER_ENVIRONMENT; do echo "$name=${!name}" >> "$GITHUB_OUTPUT"; done';
    const outcome = await run(settings, work('vars', script));
    const outputs = parseStepOutputs(Buffer.from((outcome as { result: { outputFileBase64: string } }).result.outputFileBase64, 'base64').toString());
    expect(outputs).toEqual({
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_SHA: sha,
      GITHUB_REF_NAME: 'main',
      GITHUB_REPOSITORY: 'acme/site',
      GITHUB_JOB: 'build',
      GITHUB_ACTION: 'vars',
      GITHUB_WORKSPACE: settings.workspace,
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'ARM64',
      RUNNER_NAME: 'runner:1',
      RUNNER_TEMP: settings.tempDir,
      RUNNER_TOOL_CACHE: join(dir, 'github-env', 'tools'),
      RUNNER_ENVIRONMENT: 'self-hosted',
    });
  });

  it('evaluates the env templates that read runner fields itself; the working directory may be one', async () => {
    const settings = cellSettings('runner-env');
    await mkdir(join(settings.workspace, 'app'), { recursive: true });
    const runnerEnv = { STEPDEPLOY_EXPR_1: "${{ format('{0}|{1}|{2}', runner.temp, github.workspace, runner.arch) }}", STEPDEPLOY_WORKING_DIRECTORY: '${{ github.workspace }}/app' };
    const outcome = await run(settings, work('where', 'echo "value=$STEPDEPLOY_EXPR_1" >> "$GITHUB_OUTPUT"; echo "pwd=$PWD" >> "$GITHUB_OUTPUT"', { runnerEnv, workingDirectoryVariable: 'STEPDEPLOY_WORKING_DIRECTORY' }));
    const outputs = parseStepOutputs(Buffer.from((outcome as { result: { outputFileBase64: string } }).result.outputFileBase64, 'base64').toString());
    expect(outputs).toEqual({ value: `${settings.tempDir}|${settings.workspace}|ARM64`, pwd: join(settings.workspace, 'app') });
    const broken = await run(settings, work('broken', 'true', { runnerEnv: { STEPDEPLOY_EXPR_1: "${{ fromJSON(runner.temp) }}" } }));
    expect(broken).toMatchObject({ ok: false, cause: { exitCode: 1 } });
    expect((broken as { cause: { lastLines: readonly string[] } }).cause.lastLines[0]).toMatch(/^stepdeploy: STEPDEPLOY_EXPR_1: .* in '\$\{\{ fromJSON\(runner\.temp\) \}\}'$/);
  });

  it('checks out: nothing to do as the first step, else the kept copy into the folder (emptied first)', async () => {
    const settings = cellSettings('checkout');
    await mkdir(settings.workspace, { recursive: true });
    await writeFile(join(settings.workspace, 'deploy.sh'), 'echo deploy\n');
    const source = await CellSource.start(settings.workspace, true, join(dir, 'checkout'));
    const withCopy = { ...settings, source };
    expect(await run({ ...withCopy, first: true }, work('checkout', '', { checkout: { path: '' } }))).toMatchObject({ ok: true });
    await run(withCopy, work('dirty', 'rm deploy.sh; echo junk > junk.txt; mkdir -p sub && echo old > sub/stale'));
    expect(await run(withCopy, work('again', '', { checkout: { path: '' } }))).toMatchObject({ ok: true });
    expect((await readdir(settings.workspace)).sort()).toEqual(['deploy.sh']);
    expect(await run(withCopy, work('into', '', { checkout: { path: 'sub/app' } }))).toMatchObject({ ok: true });
    expect(await readFile(join(settings.workspace, 'sub', 'app', 'deploy.sh'), 'utf8')).toBe('echo deploy\n');
    const log = await readFile(join(settings.logDir, 'build.into_run.log'), 'utf8');
    expect(log).toBe('stepdeploy: sub/app holds the source of the run\n');
    const noCopy = await run(settings, work('late', '', { checkout: { path: '' } }));
    expect(noCopy).toMatchObject({
      ok: false,
      cause: { lastLines: ['stepdeploy: checkout: the runner kept no copy of the source (STEPDEPLOY_RUNNER_KEEP_SOURCE is not set): a wiring bug of the start runner state'] },
    });
  });
});

describe('the source a checkout needs', () => {
  it('a commit or the default branch comes only from a connected repository; a snapshot and the working tree always arrive', () => {
    const commit = JSON.stringify({ kind: 'commit', version: sha });
    expect(missingSource(commit, undefined)).toBe(
      `this run is of ${sha}, but the runtime has no connected repository (cdk.json stepdeploy:connectionArn and stepdeploy:repository) to take it from`,
    );
    expect(missingSource(JSON.stringify({ kind: 'default' }), '')).toBe(
      'this run names no commit and no snapshot, and the runtime has no connected repository (cdk.json stepdeploy:connectionArn and stepdeploy:repository) whose default branch it would take',
    );
    expect(missingSource(commit, 'https://github.com/acme/site')).toBeUndefined();
    expect(missingSource(JSON.stringify({ kind: 'snapshot', bucket: 'b', key: 'k', versionId: 'v' }), undefined)).toBeUndefined();
    expect(missingSource(JSON.stringify({ kind: 'working-tree' }), undefined)).toBeUndefined();
  });
});
