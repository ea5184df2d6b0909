// Reusable workflows of another repository (`owner/repo/.github/workflows/x.yml@ref`): locked and
// fetched like actions (same lock, same fetcher, same digest check; served by a local stand-in for
// GitHub's API), with the remote actions they use; validate and plan never fetch, so one not locked
// yet is an error naming `stepdeploy actions update`; once locked, the called jobs run locally.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../../lib/cli/actions';
import { validate } from '../../lib/cli/validate';
import { loadWorkflowFile } from '../../lib/model/load';
import { startLocalWorkflows } from '../e2e/local-run';
import { tarballOf, type ActionsServer } from '../fixtures/remote-actions/server';
import { actionsSandbox, type ActionsSandbox, type CapturedIo } from '../fixtures/remote-actions/sandbox';

const FLOWS = 'f1'.repeat(20);
const HELLO = 'a1'.repeat(20);
const workflow = `name: caller
on: workflow_dispatch
jobs:
  deploy:
    uses: octo/flows/.github/workflows/deploy.yml@v1
    with:
      who: Lin
  after:
    needs: deploy
    steps:
      - id: got
        run: echo "greeting=\${{ needs.deploy.outputs.greeting }}" >> "$GITHUB_OUTPUT"
`;

describe('reusable workflows of another repository', () => {
  let sandbox: ActionsSandbox;
  let server: ActionsServer;
  let dir: string;
  let cache: string;
  const tarballs: { flows: Buffer; hello: Buffer } = { flows: Buffer.alloc(0), hello: Buffer.alloc(0) };
  beforeAll(async () => {
    tarballs.flows = tarballOf('test/fixtures/remote-actions/flows', `octo-flows-${FLOWS.slice(0, 7)}`);
    tarballs.hello = tarballOf('test/fixtures/remote-actions/hello', `octo-hello-${HELLO.slice(0, 7)}`);
    sandbox = await actionsSandbox('stepdeploy-remote-workflows-', {
      'octo/flows': { refs: { v1: FLOWS }, tarballs: { [FLOWS]: tarballs.flows } },
      'octo/hello': { refs: { v1: HELLO }, tarballs: { [HELLO]: tarballs.hello } },
    });
    ({ server, dir, cache } = sandbox);
    await writeFile(join(dir, 'caller.yml'), workflow);
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  const capture = (env?: Record<string, string>): CapturedIo => sandbox.capture(env);
  const digest = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

  it('validate needs no network: a remote reusable workflow not locked yet is an error naming `stepdeploy actions update`', async () => {
    const { io, err } = capture();
    expect(await validate(['caller.yml'], io)).toBe(1);
    expect(err()).toBe(
      "caller.yml:5:11 error reusable-workflow-not-locked: jobs.deploy.uses: 'octo/flows/.github/workflows/deploy.yml@v1' is not in stepdeploy.lock.json yet: run `stepdeploy actions update` (validate and plan never fetch: they need the called jobs from the lock and the cache)\n",
    );
    expect(server.requests).toEqual([]);
  });

  it('actions update locks the workflow’s repository and the actions the workflow uses, digests checked', async () => {
    const { io, out } = capture();
    expect(await actions(['update', 'caller.yml'], io)).toBe(0);
    expect(out()).toBe(`locked octo/flows@v1 → ${FLOWS}\nlocked octo/hello@v1 → ${HELLO}\nwrote stepdeploy.lock.json\n`);
    expect(JSON.parse(await readFile(join(dir, 'stepdeploy.lock.json'), 'utf8'))).toEqual({
      version: 1,
      actions: {
        'octo/flows@v1': { action: 'octo/flows', ref: 'v1', sha: FLOWS, digest: digest(tarballs.flows) },
        'octo/hello@v1': { action: 'octo/hello', ref: 'v1', sha: HELLO, digest: digest(tarballs.hello) },
      },
    });
    const checked = capture();
    expect(await validate(['caller.yml'], checked.io)).toBe(0);
    const loaded = await loadWorkflowFile(join(dir, 'caller.yml'));
    expect(loaded.workflow?.jobs.map((job) => [job.id, job.label])).toEqual([['__deploy__greet', 'deploy / greet'], ['deploy', undefined], ['after', undefined]]);
    expect(loaded.workflow?.jobs[0]?.steps[0]).toMatchObject({ kind: 'action', remote: { action: 'octo/hello', ref: 'v1', sha: HELLO } });
  });

  it('runs the called jobs on the local engine, their output reaching the dependent job', async () => {
    const local = await startLocalWorkflows([join(dir, 'caller.yml')], { logDir: join(dir, 'logs') });
    try {
      const { report } = await local.finish(local.start('caller'));
      expect(report.jobs.map((job) => [job.id, job.status])).toEqual([
        ['deploy / greet', 'succeeded'],
        ['after', 'succeeded'],
      ]);
      expect(report.jobs[1]?.steps[0]?.outputs).toEqual({ greeting: 'hello Lin' });
    } finally {
      await local.close();
    }
  });
});
