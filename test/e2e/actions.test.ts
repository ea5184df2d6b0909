// Actions end to end: the synthesized state machine on the local engine, each action step a task of
// its cell's runner (node), post steps at the job's end in their own states, outputs to needs.
import { cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalWorkflows, type LocalWorkflows } from './local-run';

describe('local JavaScript and composite actions on the local engine', () => {
  let local: LocalWorkflows;
  let logDir: string;
  beforeAll(async () => {
    logDir = await mkdtemp(join(tmpdir(), 'stepdeploy-e2e-actions-'));
    // Each cell's workspace holds the repository's actions, as a checkout of this repository would.
    const prepareWorkspace = (workspace: string): Promise<void> => cp('test/fixtures/actions', join(workspace, 'test/fixtures/actions'), { recursive: true });
    local = await startLocalWorkflows(['test/fixtures/e2e-actions/actions.yml'], { logDir, prepareWorkspace });
  });
  afterAll(async () => {
    await local?.close();
    await rm(logDir, { recursive: true, force: true });
  });

  it('runs main, post (reverse order, after a failure too) and masks, with outputs reaching the next job', async () => {
    const arn = local.start('actions', { who: 'Grace' });
    const { report } = await local.finish(arn);
    const job = (id: string) => report.jobs.find((candidate) => candidate.id === id)!;

    expect(job('greet')).toMatchObject({ status: 'succeeded' });
    expect(job('greet').steps.map((step) => [step.name, step.status])).toEqual([
      ['hello', 'succeeded'],
      ['mask', 'succeeded'],
      ['after-mask', 'succeeded'],
      ['again', 'succeeded'],
      ['wrapped', 'succeeded'],
      // The last action's post first (the composite's runs its greet's post).
      ['__post_wrapped', 'succeeded'],
      ['__post_again', 'succeeded'],
      ['__post_hello', 'succeeded'],
    ]);
    const [hello, mask] = job('greet').steps;
    expect(hello).toMatchObject({ outputs: { message: 'Hello, Grace!' }, annotations: [{ level: 'notice', title: 'Greeted', message: "said 'Hello, Grace!'" }] });
    // The masked output is skipped, the warning's text masked.
    expect(mask).toMatchObject({ outputs: { plain: 'visible' }, annotations: [{ level: 'warning', message: 'printed *** on purpose' }] });
    expect(job('greet').steps[4]).toMatchObject({ outputs: { message: 'Hey, Grace!', shout: 'HEY, GRACE!!!' } });
    expect(job('read').steps[0]).toMatchObject({ outputs: { message: 'Hello, Grace!', plain: 'visible', shout: 'HEY, GRACE!!!' } });

    // A failed main: the job fails, the next step is skipped, the post still runs.
    expect(job('failing')).toMatchObject({ status: 'failed' });
    expect(job('failing').steps.map((step) => [step.name, step.status])).toEqual([
      ['hello', 'failed'],
      ['never', 'skipped'],
      ['__post_hello', 'succeeded'],
    ]);
    expect(job('failing').steps[0]).toMatchObject({ exitCode: 4, annotations: [{ level: 'notice' }, { level: 'error', message: 'asked to fail' }] });

    const logs = join(logDir, arn.split(':').at(-1)!);
    const files = (await readdir(logs)).sort();
    expect(files).toEqual([
      'failing.__post_hello_run.log',
      'failing.hello_run.log',
      'greet.__post_again_run.log',
      'greet.__post_hello_run.log',
      'greet.__post_wrapped_run.log',
      'greet.after-mask_run.log',
      'greet.again_run.log',
      'greet.hello_run.log',
      'greet.mask_run.log',
      'greet.wrapped_run.log',
      'read.got_run.log',
    ]);
    expect(await readFile(join(logs, 'greet.__post_again_run.log'), 'utf8')).toBe('Goodbye, Lin! (input who=Lin)\n');
    expect(await readFile(join(logs, 'greet.__post_wrapped_run.log'), 'utf8')).toBe('Goodbye, Grace! (input who=Grace)\n');
    expect(await readFile(join(logs, 'greet.__post_hello_run.log'), 'utf8')).toBe('Goodbye, Grace! (input who=Grace)\n');
    expect(await readFile(join(logs, 'failing.__post_hello_run.log'), 'utf8')).toBe('Goodbye, Bob! (input who=Bob)\n');
    expect(await readFile(join(logs, 'greet.after-mask_run.log'), 'utf8')).toBe('later line with ***\n');
  });
});
