// Action steps on the runner: the fixture actions (test/fixtures/actions) copied into a workspace,
// run by runStep as the runner runs them — node, INPUT_ variables, state, posts, workflow commands.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionPosts } from '../../lib/runner/action-step';
import { CellEnvironment } from '../../lib/runner/file-commands';
import { LogMasker } from '../../lib/runner/masker';
import { runStep, type StepOutcome, type StepSettings } from '../../lib/runner/step';
import { CellSource } from '../../lib/runner/checkout';
import { githubRunContext } from '../../lib/runtime/github-context';
import type { ActionWork, EnvVariable, StepWork } from '../../lib/runtime/runners';
import { parseStepOutputs } from '../../lib/runtime/step-outputs';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepdeploy-action-step-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cellSettings(name: string): Promise<StepSettings> {
  const workspace = join(dir, name, 'workspace');
  await mkdir(workspace, { recursive: true });
  await cp('test/fixtures/actions', join(workspace, 'test/fixtures/actions'), { recursive: true });
  return {
    workspace,
    tempDir: join(dir, name, 'temp'),
    logDir: join(dir, name, 'logs'),
    job: 'build',
    logLink: (file) => file,
    baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
    context: {
      github: { ...githubRunContext({ event: {}, source: {}, workflowName: 'w', executionName: 'e' }), sha: 'abc', repository: 'octo/app' },
      job: 'build',
      runner: { name: 'p:1', arch: 'X64', workspace, temp: join(dir, name, 'temp'), toolCache: join(dir, name, 'tools') },
    },
    source: new CellSource(workspace, undefined),
    first: false,
    cell: new CellEnvironment(),
    posts: new ActionPosts(),
    masker: new LogMasker(),
    stores: { secrets: { send: () => Promise.reject(new Error('this test reads no secrets')) } },
    echo: () => undefined,
  };
}

let attempt = 0;
const action = (step: string, work: Partial<ActionWork> & Pick<ActionWork, 'path'>, env: EnvVariable[] = [], extra: Partial<StepWork> = {}): StepWork => ({
  runner: 'arn:aws:states:us-east-1:000000000000:execution:m:e#build',
  seq: attempt,
  step,
  taskToken: `token-${step}`,
  script: '',
  shell: 'bash',
  env,
  heartbeatSeconds: 60,
  action: { stage: 'main', uses: `./${work.path}`, with: [], ...work },
  ...extra,
});
const post = (main: string, path: string, jobStatus = 'success'): StepWork =>
  action(`__post_${main}`, { stage: 'post', path, main }, [], { jobStatus });
const run = (settings: StepSettings, work: StepWork): Promise<StepOutcome> => runStep(settings, work, `${++attempt}`, () => undefined);
const outputsOf = (outcome: StepOutcome): Record<string, string> =>
  outcome.ok && outcome.result.outcome === 'success' ? parseStepOutputs(Buffer.from(outcome.result.outputFileBase64, 'base64').toString('utf8')) : {};
const log = (settings: StepSettings, step: string): Promise<string> => readFile(join(settings.logDir, `build.${step}_run.log`), 'utf8');

describe('a JavaScript action on the runner', () => {
  it('gets its inputs as INPUT_ variables with the metadata defaults, writes outputs, and its post reads the state it saved', async () => {
    const settings = await cellSettings('greet');
    const main = await run(settings, action('hello', { path: 'test/fixtures/actions/greet', with: ['who'] }, [{ Name: 'INPUT_WHO', Value: 'Ada' }]));
    expect(main.ok).toBe(true);
    expect(outputsOf(main)).toEqual({ message: 'Hello, Ada!' });
    expect(main.ok && main.result).toMatchObject({ annotations: [{ level: 'notice', title: 'Greeted', file: 'greet/main.js', line: 4, message: "said 'Hello, Ada!'" }] });
    expect(await log(settings, 'hello')).toBe(
      [
        '##[group]Greeting',
        'Hello, Ada!',
        '##[endgroup]',
        "speed limit 5, repository 'octo/app', action path ends with greet",
        "##[notice]Notice: greet/main.js:4: Greeted: said 'Hello, Ada!'",
        '',
      ].join('\n'),
    );
    // pre of a local action never runs (as on GitHub).
    expect(existsSync(join(settings.workspace, 'pre-ran'))).toBe(false);
    const ended = await run(settings, post('hello', 'test/fixtures/actions/greet'));
    expect(ended).toMatchObject({ ok: true, result: { outcome: 'success' } });
    expect(await log(settings, '__post_hello')).toBe('Goodbye, Ada! (input who=Ada)\n');
  });

  it('registers its post before the main runs: a failed main still gets its post, with the state saved before the failure', async () => {
    const settings = await cellSettings('failing');
    const main = await run(settings, action('hello', { path: 'test/fixtures/actions/greet', with: ['who', 'fail'] }, [{ Name: 'INPUT_WHO', Value: 'Bob' }, { Name: 'INPUT_FAIL', Value: 'true' }]));
    expect(main).toMatchObject({ ok: false, cause: { exitCode: 4, annotations: [{ level: 'notice' }, { level: 'error', message: 'asked to fail' }] } });
    const ended = await run(settings, post('hello', 'test/fixtures/actions/greet', 'failure'));
    expect(ended.ok).toBe(true);
    expect(await log(settings, '__post_hello')).toBe('Goodbye, Bob! (input who=Bob)\n');
  });

  it('answers skipped for a post whose main never ran', async () => {
    const settings = await cellSettings('never');
    expect(await run(settings, post('hello', 'test/fixtures/actions/greet'))).toEqual({ ok: true, result: { outcome: 'skipped' } });
    expect(await log(settings, '__post_hello')).toBe("stepdeploy: the main step of './test/fixtures/actions/greet' did not run, so its post does not either\n");
  });

  it('masks a value registered with ::add-mask:: in every later line, annotation and output', async () => {
    const settings = await cellSettings('mask');
    const outcome = await run(settings, action('mask', { path: 'test/fixtures/actions/mask' }));
    expect(outcome.ok).toBe(true);
    expect(outputsOf(outcome)).toEqual({ plain: 'visible' });
    expect(outcome.ok && outcome.result).toMatchObject({ annotations: [{ level: 'warning', title: 'Leak', message: 'printed *** on purpose' }] });
    expect(await log(settings, 'mask')).toBe(['the token is ***', '##[warning]Warning: Leak: printed *** on purpose', "stepdeploy: output 'token' is skipped: it may contain a secret", ''].join('\n'));
    // The mask stays for the rest of the cell, run steps included.
    const later = await run(settings, { ...action('later', { path: '' }), action: undefined, script: 'echo "again: token-a1b2c3"' } as StepWork);
    expect(later.ok).toBe(true);
    expect(await log(settings, 'later')).toBe('again: ***\n');
  });

  it('shows ::debug:: lines only when the step has ACTIONS_STEP_DEBUG=true', async () => {
    const settings = await cellSettings('debug');
    await run(settings, action('hello', { path: 'test/fixtures/actions/greet', with: ['who'] }, [{ Name: 'INPUT_WHO', Value: 'Cy' }, { Name: 'ACTIONS_STEP_DEBUG', Value: 'true' }]));
    expect(await log(settings, 'hello')).toContain('\n##[debug]only with ACTIONS_STEP_DEBUG\n');
  });

  it('runs an action for an old Node.js on the runner’s node, with a warning', async () => {
    const settings = await cellSettings('old');
    const outcome = await run(settings, action('old', { path: 'test/fixtures/actions/old-node' }));
    expect(outcome.ok).toBe(true);
    expect(await log(settings, 'old')).toBe(
      `##[warning]Warning: ./test/fixtures/actions/old-node/action.yml: runs.using 'node16' is no longer available; the action runs on Node.js ${process.version}\nold action on ${process.version}\n`,
    );
  });

  it('runs a node24 action on the image\'s Node.js 24 when it has one, else on the runner\'s with a warning', async () => {
    const ownMajor = Number(process.versions.node.split('.')[0]);
    const prefix = join(dir, 'n-prefix');
    const wrapper = join(prefix, 'n/versions/node/24.1.0/bin/node');
    await mkdir(join(wrapper, '..'), { recursive: true });
    await writeFile(wrapper, `#!/bin/sh\nFAKE_NODE=node-24.1.0 exec "${process.execPath}" "$@"\n`, { mode: 0o755 });
    const before = process.env.N_PREFIX;
    process.env.N_PREFIX = prefix;
    try {
      const settings = await cellSettings('node24');
      expect((await run(settings, action('new', { path: 'test/fixtures/actions/node24' }))).ok).toBe(true);
      expect(await log(settings, 'new')).toBe(ownMajor === 24 ? "ran by the runner's node\n" : 'ran by node-24.1.0\n');
      process.env.N_PREFIX = join(dir, 'no-such-prefix');
      const fallback = await cellSettings('node24-fallback');
      expect((await run(fallback, action('new', { path: 'test/fixtures/actions/node24' }))).ok).toBe(true);
      expect(await log(fallback, 'new')).toBe(
        ownMajor === 24
          ? "ran by the runner's node\n"
          : `##[warning]Warning: ./test/fixtures/actions/node24/action.yml: runs.using 'node24' asks for Node.js 24, which this image does not have; the action runs on the runner's Node.js ${process.version}\nran by the runner's node\n`,
      );
    } finally {
      if (before === undefined) delete process.env.N_PREFIX;
      else process.env.N_PREFIX = before;
    }
  });

  it('fails naming the file when the workspace has no such action, or its metadata is wrong', async () => {
    const settings = await cellSettings('missing');
    const missing = await run(settings, action('gone', { path: 'test/fixtures/actions/nowhere' }));
    expect(missing).toMatchObject({
      ok: false,
      cause: { exitCode: 1, lastLines: ["stepdeploy: './test/fixtures/actions/nowhere' has no action.yml or action.yaml in the workspace (a local action is read from the workspace: the repository's files must be there, as after actions/checkout)"] },
    });
    const broken = await run(settings, action('broken', { path: 'test/fixtures/actions/broken' }));
    expect(broken).toMatchObject({ ok: false, cause: { lastLines: ['stepdeploy: ./test/fixtures/actions/broken/action.yaml:2:1 error invalid-action: runs.main: a node20 action needs runs.main (its JavaScript file)'] } });
    const docker = await run(settings, action('docker', { path: 'test/fixtures/actions/docker' }));
    expect(docker).toMatchObject({ ok: false, cause: { lastLines: ["stepdeploy: './test/fixtures/actions/docker' is not supported: it is a docker action; only JavaScript (node20 / node24) and composite actions run here"] } });
  });

  it('runs a composite action: a nested JavaScript action and a run step, inputs, step outputs and outputs.<name>.value; the nested post runs in its post', async () => {
    const settings = await cellSettings('composite');
    const outcome = await run(settings, action('wrapped', { path: 'test/fixtures/actions/wrap', with: ['who'] }, [{ Name: 'INPUT_WHO', Value: 'Kay' }]));
    expect(outcome.ok).toBe(true);
    expect(outputsOf(outcome)).toEqual({ message: 'Hey, Kay!', shout: 'HEY, KAY!!!' });
    const text = await log(settings, 'wrapped');
    expect(text).toContain('Hey, Kay!\n');
    expect(text).toContain("wrapped Hey, Kay! in octo/app\n");
    expect(text).not.toContain('never');
    const ended = await run(settings, post('wrapped', 'test/fixtures/actions/wrap'));
    expect(ended).toMatchObject({ ok: true, result: { outcome: 'success' } });
    expect(await log(settings, '__post_wrapped')).toBe('Goodbye, Kay! (input who=Kay)\n');
  });

  it("runs a composite's remote action from the bundled actions at the commit the payload gives, and fails naming it without one", async () => {
    const settings = await cellSettings('composite-remote');
    const sha = 'd4'.repeat(20);
    const actionsDir = join(dir, 'composite-remote', 'actions');
    await cp('test/fixtures/remote-actions/hello', join(actionsDir, 'octo', 'hello', sha), { recursive: true });
    await mkdir(join(settings.workspace, 'greeter'));
    const composite = 'name: greeter\noutputs:\n  said: { value: "${{ steps.hi.outputs.greeting }}" }\nruns:\n  using: composite\n  steps:\n    - id: hi\n      uses: octo/hello@v1\n      with: { who: Lin }\n';
    await writeFile(join(settings.workspace, 'greeter', 'action.yml'), composite);
    const nested = [{ action: 'octo/hello', ref: 'v1', sha }];
    const outcome = await run({ ...settings, actionsDir }, action('greet', { path: 'greeter', nested }));
    expect(outputsOf(outcome)).toEqual({ said: 'hello Lin' });
    expect(await run({ ...settings, actionsDir }, post('greet', 'greeter'))).toMatchObject({ ok: true, result: { outcome: 'success' } });
    expect(await log(settings, '__post_greet')).toBe('remote goodbye, Lin\n');
    const unlocked = await run({ ...settings, actionsDir }, action('unlocked', { path: 'greeter', nested: [{ ...nested[0]!, ref: 'v2' }] }));
    expect(unlocked).toMatchObject({
      ok: false,
      cause: { lastLines: ["stepdeploy: ./greeter/action.yml: runs.steps[0]: 'octo/hello@v1' is not in stepdeploy.lock.json: run `stepdeploy actions update` and deploy again"] },
    });
  });
});
