// Remote actions: `stepdeploy actions update` resolves refs and locks commits and tarball digests
// (served by a local stand-in for GitHub's API); validate reads the lock and the cache with no
// network; a changed tarball is refused; the locked action runs on the local engine.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockWorkflowActions } from '../../lib/actions/lock-workflows';
import { actions } from '../../lib/cli/actions';
import { validate } from '../../lib/cli/validate';
import { tarballOf, type ActionsServer } from '../fixtures/remote-actions/server';
import { actionsSandbox, type ActionsSandbox, type CapturedIo } from '../fixtures/remote-actions/sandbox';
import { startLocalWorkflows } from '../e2e/local-run';

const SHA = 'a1'.repeat(20);
const workflow = `name: remote
on: workflow_dispatch
jobs:
  hi:
    steps:
      - id: hello
        uses: octo/hello@v1
        with:
          who: Ada
          colour: red
`;

describe('remote actions', () => {
  let sandbox: ActionsSandbox;
  let server: ActionsServer;
  let dir: string;
  let cache: string;
  let tarball: Buffer;
  beforeAll(async () => {
    tarball = tarballOf('test/fixtures/remote-actions/hello', `octo-hello-${SHA.slice(0, 7)}`);
    sandbox = await actionsSandbox('stepdeploy-remote-', { 'octo/hello': { refs: { v1: SHA }, tarballs: { [SHA]: tarball } }, 'octo/private': { refs: { v1: SHA }, tarballs: { [SHA]: tarball }, token: 's3cret' } });
    ({ server, dir, cache } = sandbox);
    await writeFile(join(dir, 'remote.yml'), workflow);
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  const capture = (env?: Record<string, string>): CapturedIo => sandbox.capture(env);
  const digest = (): string => `sha256:${createHash('sha256').update(tarball).digest('hex')}`;
  const lockText = (): string =>
    `${JSON.stringify({ version: 1, actions: { 'octo/hello@v1': { action: 'octo/hello', ref: 'v1', sha: SHA, digest: digest() } } }, null, 2)}\n`;

  it('validate needs no network: an action not locked yet is a warning, its inputs unchecked', async () => {
    const { io, out, err } = capture();
    expect(await validate(['remote.yml'], io)).toBe(0);
    expect(out()).toBe('remote.yml: ok\n');
    expect(err()).toBe(
      "remote.yml:7:15 warning action-not-locked: jobs.hi.steps[0].uses: 'octo/hello@v1' is not in stepdeploy.lock.json yet, so its inputs are not checked; `stepdeploy actions update` (or the next `stepdeploy run` or `cdk synth`) fetches and locks it\n",
    );
    expect(server.requests).toEqual([]);
  });

  it('actions update locks the commit and the tarball digest, deterministically; then validate checks the inputs', async () => {
    const first = capture();
    expect(await actions(['update', 'remote.yml'], first.io)).toBe(0);
    expect(first.out()).toBe(`locked octo/hello@v1 → ${SHA}\nwrote stepdeploy.lock.json\n`);
    expect(await readFile(join(dir, 'stepdeploy.lock.json'), 'utf8')).toBe(lockText());
    const again = capture();
    expect(await actions(['update', 'remote.yml'], again.io)).toBe(0);
    expect(again.out()).toBe(`locked octo/hello@v1 → ${SHA}\n`);
    expect(await readFile(join(dir, 'stepdeploy.lock.json'), 'utf8')).toBe(lockText());

    const before = server.requests.length;
    const checked = capture();
    expect(await validate(['remote.yml'], checked.io)).toBe(0);
    expect(checked.err()).toBe(
      "remote.yml:8:9 warning unexpected-action-input: jobs.hi.steps[0].with: Unexpected input(s) 'colour', valid inputs are ['who'] (as GitHub warns: the action gets them as INPUT_ variables all the same)\n",
    );
    expect(server.requests.length).toBe(before);
  });

  it('runs the locked action on the local engine, its post at the job end', async () => {
    const local = await startLocalWorkflows([join(dir, 'remote.yml')], { logDir: join(dir, 'logs') });
    try {
      const arn = local.start('remote');
      const { report } = await local.finish(arn);
      expect(report.jobs[0]!.steps.map((step) => [step.name, step.status])).toEqual([
        ['hello', 'succeeded'],
        ['__post_hello', 'succeeded'],
      ]);
      expect(report.jobs[0]!.steps[0]).toMatchObject({ outputs: { greeting: 'hello Ada' } });
      const logs = join(dir, 'logs', arn.split(':').at(-1)!);
      expect(await readFile(join(logs, 'hi.hello_run.log'), 'utf8')).toBe('remote hello, Ada\n');
      expect(await readFile(join(logs, 'hi.__post_hello_run.log'), 'utf8')).toBe('remote goodbye, Ada\n');
    } finally {
      await local.close();
    }
  });

  it('refuses a tarball whose digest is not the locked one', async () => {
    await rm(cache, { recursive: true, force: true });
    server.repositories.get('octo/hello')!.tarballs[SHA] = tarballOf('test/fixtures/remote-actions/hello', `octo-hello-${SHA.slice(0, 7)}`, (folder) =>
      void writeFile(join(folder, 'index.js'), 'console.log("changed")\n'),
    );
    const changed = createHash('sha256').update(server.repositories.get('octo/hello')!.tarballs[SHA]!).digest('hex');
    const { io, err } = capture();
    const { run } = await import('../../lib/cli/run');
    expect(await run(['remote.yml'], io)).toBe(1);
    expect(err()).toBe(
      `stepdeploy run: octo/hello@v1: the tarball of commit ${SHA} has digest sha256:${changed}, but ${join(dir, 'stepdeploy.lock.json')} says ${digest()}: refused (the code is not the code that was locked; run \`stepdeploy actions update\` to accept it)\n`,
    );
  });

  it('sends the token for a private action, and says it is needed when it is missing', async () => {
    const files = [join(dir, 'private', 'p.yml')];
    await mkdir(join(dir, 'private'), { recursive: true });
    await writeFile(files[0]!, workflow.replace('octo/hello@v1', 'octo/private@v1'));
    const settings = { baseUrl: server.baseUrl, cacheRoot: cache };
    await expect(lockWorkflowActions(files, settings, { update: true })).rejects.toThrow(
      `octo/private@v1: ${server.baseUrl}/repos/octo/private/commits/v1 answered 404 Not Found (a private action needs STEPDEPLOY_ACTIONS_TOKEN or GITHUB_TOKEN)`,
    );
    await expect(lockWorkflowActions(files, { ...settings, token: 's3cret' }, { update: true })).resolves.toMatchObject({ notes: [`locked octo/private@v1 → ${SHA}`] });
  });
});
