// Remote actions inside composite actions: a local composite wrapping a remote JavaScript action
// (with a post) and a remote composite wrapping another remote action, served by a local stand-in
// for GitHub's API. The lock holds the whole closure (shout is found only in layers' fetched files),
// validate warns at the workflow step while a nested action is not locked, and `stepdeploy run` runs
// them from the actions cache at their locked commits, outputs passing through the composites.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../../lib/cli/actions';
import { run } from '../../lib/cli/run';
import { validate } from '../../lib/cli/validate';
import { remoteActionsOf } from '../../lib/constructs/actions-asset';
import { loadWorkflowFile } from '../../lib/model/load';
import type { RunReport } from '../../lib/report/report';
import { tarballOf, type ActionsServer } from '../fixtures/remote-actions/server';
import { actionsSandbox, type ActionsSandbox, type CapturedIo } from '../fixtures/remote-actions/sandbox';

const HELLO = 'a1'.repeat(20);
const LAYERS = 'b2'.repeat(20);
const SHOUT = 'c3'.repeat(20);

const workflow = `on: workflow_dispatch
jobs:
  hi:
    steps:
      - id: wrapped
        uses: ./wrap
        with: { who: Ada }
      - id: layered
        uses: octo/layers@v2
        with:
          text: \${{ steps.wrapped.outputs.greeting }}
      - run: echo "got \${{ steps.wrapped.outputs.greeting }} and \${{ steps.layered.outputs.loud }}"
`;

// A composite of the repository wrapping a remote JavaScript action that has a post.
const wrap = `name: wrap
description: greets through octo/hello
inputs:
  who:
    description: whom to greet
outputs:
  greeting:
    description: hello's greeting
    value: \${{ steps.hi.outputs.greeting }}
runs:
  using: composite
  steps:
    - id: hi
      uses: octo/hello@v1
      with:
        who: \${{ inputs.who }}
        colour: red
`;

describe('remote actions inside composite actions', () => {
  let sandbox: ActionsSandbox;
  let server: ActionsServer;
  let dir: string;
  let cache: string;
  const tarballs: Record<string, Buffer> = {};
  beforeAll(async () => {
    tarballs[HELLO] = tarballOf('test/fixtures/remote-actions/hello', `octo-hello-${HELLO.slice(0, 7)}`);
    tarballs[LAYERS] = tarballOf('test/fixtures/remote-actions/layers', `octo-layers-${LAYERS.slice(0, 7)}`);
    tarballs[SHOUT] = tarballOf('test/fixtures/remote-actions/shout', `octo-shout-${SHOUT.slice(0, 7)}`);
    sandbox = await actionsSandbox('stepdeploy-composite-remote-', {
      'octo/hello': { refs: { v1: HELLO }, tarballs: { [HELLO]: tarballs[HELLO] } },
      'octo/layers': { refs: { v2: LAYERS }, tarballs: { [LAYERS]: tarballs[LAYERS] } },
      'octo/shout': { refs: { v1: SHOUT }, tarballs: { [SHOUT]: tarballs[SHOUT] } },
    }, '.cache');
    ({ server, dir, cache } = sandbox);
    await writeFile(join(dir, 'nested.yml'), workflow);
    await mkdir(join(dir, 'wrap'));
    await writeFile(join(dir, 'wrap', 'action.yml'), wrap);
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  const capture = (env?: Record<string, string>): CapturedIo => sandbox.capture(env);
  const digest = (sha: string): string => `sha256:${createHash('sha256').update(tarballs[sha]!).digest('hex')}`;
  const entry = (action: string, ref: string, sha: string): [string, unknown] => [`${action}@${ref}`, { action, ref, sha, digest: digest(sha) }];

  it('validate warns, at the workflow step, about a nested action not locked yet (no network)', async () => {
    const { io, err } = capture();
    expect(await validate(['nested.yml'], io)).toBe(0);
    expect(err().split('\n')).toEqual([
      "nested.yml:6:15 warning action-not-locked: jobs.hi.steps[0].uses: './wrap': ./wrap/action.yml: runs.steps[0].uses: 'octo/hello@v1' is not in stepdeploy.lock.json yet, so its inputs are not checked; `stepdeploy actions update` (or the next `stepdeploy run` or `cdk synth`) fetches and locks it",
      "nested.yml:9:15 warning action-not-locked: jobs.hi.steps[1].uses: 'octo/layers@v2' is not in stepdeploy.lock.json yet, so its inputs are not checked; `stepdeploy actions update` (or the next `stepdeploy run` or `cdk synth`) fetches and locks it",
      '',
    ]);
    expect(server.requests).toEqual([]);
  });

  it('actions update locks the whole closure, byte-stable; validate then checks the nested inputs', async () => {
    const expected = `${JSON.stringify({ version: 1, actions: Object.fromEntries([entry('octo/hello', 'v1', HELLO), entry('octo/layers', 'v2', LAYERS), entry('octo/shout', 'v1', SHOUT)]) }, null, 2)}\n`;
    const first = capture();
    expect(await actions(['update', 'nested.yml'], first.io)).toBe(0);
    // In key order as they are found: shout only once layers is fetched.
    expect(first.out()).toBe(`locked octo/hello@v1 → ${HELLO}\nlocked octo/layers@v2 → ${LAYERS}\nlocked octo/shout@v1 → ${SHOUT}\nwrote stepdeploy.lock.json\n`);
    expect(await readFile(join(dir, 'stepdeploy.lock.json'), 'utf8')).toBe(expected);
    const again = capture();
    expect(await actions(['update', 'nested.yml'], again.io)).toBe(0);
    expect(again.out()).not.toContain('wrote');
    expect(await readFile(join(dir, 'stepdeploy.lock.json'), 'utf8')).toBe(expected);

    const checked = capture();
    expect(await validate(['nested.yml'], checked.io)).toBe(0);
    expect(checked.err()).toBe(
      "nested.yml:6:15 warning unexpected-action-input: jobs.hi.steps[0].uses: './wrap': ./wrap/action.yml: runs.steps[0].with: Unexpected input(s) 'colour', valid inputs are ['who'] (as GitHub warns: the action gets them as INPUT_ variables all the same)\n",
    );
    const { workflow: loaded } = await loadWorkflowFile(join(dir, 'nested.yml'));
    expect(loaded!.jobs[0]!.steps.map((step) => (step.kind === 'action' ? [step.hasPost, step.nested] : undefined))).toEqual([
      [true, [{ action: 'octo/hello', ref: 'v1', sha: HELLO }]],
      [false, [{ action: 'octo/shout', ref: 'v1', sha: SHOUT }]],
      undefined,
    ]);
    // What synth bundles into the actions asset: every commit, nested ones included.
    expect(remoteActionsOf([loaded!])).toEqual([
      { action: 'octo/hello', sha: HELLO },
      { action: 'octo/layers', sha: LAYERS },
      { action: 'octo/shout', sha: SHOUT },
    ]);
  });

  it('stepdeploy run runs the nested actions at their locked commits, outputs through the composites, the post at the end', async () => {
    const { io, err } = capture();
    const logs = join(dir, 'logs');
    expect(await run(['nested.yml', '--report', join(dir, 'report.json'), '--logs', logs], io), err()).toBe(0);
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
    const steps = report.jobs[0]!.steps;
    expect(steps.map((step) => [step.name, step.status])).toEqual([
      ['Run ./wrap', 'succeeded'],
      ['Run octo/layers@v2', 'succeeded'],
      ['Run echo "got ${{ steps.wrapped.outputs.greeting }} and ${{ s...', 'succeeded'],
      ['Post Run ./wrap', 'succeeded'],
    ]);
    expect(steps[0]).toMatchObject({ outputs: { greeting: 'hello Ada' } });
    expect(steps[1]).toMatchObject({ outputs: { loud: 'HELLO ADA' } });
    const [execution] = await readdir(logs);
    expect(await readFile(join(logs, execution!, 'hi.wrapped_run.log'), 'utf8')).toBe('remote hello, Ada\n');
    expect(await readFile(join(logs, execution!, 'hi.step-3_run.log'), 'utf8')).toBe('got hello Ada and HELLO ADA\n');
    expect(await readFile(join(logs, execution!, 'hi.__post_wrapped_run.log'), 'utf8')).toBe('remote goodbye, Ada\n');
  });
});
