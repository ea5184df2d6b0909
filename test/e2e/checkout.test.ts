// actions/checkout and the runner's contexts on the local engine, with real runner processes: the
// first checkout finds the source the engine put in the cell's workspace, a later one writes the
// runner's copy into a folder; runner.* and github.workspace are evaluated by the runner, and equal
// the RUNNER_* / GITHUB_* variables every step gets.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runnerArch } from '../../lib/runtime/github-environment';
import { startLocalWorkflows, type LocalWorkflows } from './local-run';

let local: LocalWorkflows;
let dir: string;
let finished: Awaited<ReturnType<LocalWorkflows['finish']>>;
let unconnected: Awaited<ReturnType<LocalWorkflows['finish']>>;
let snapshot: Awaited<ReturnType<LocalWorkflows['finish']>>;
const sha = 'fedcba9876543210fedcba9876543210fedcba98';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepdeploy-e2e-checkout-'));
  // What the engine's source gives every cell (stepdeploy run copies the working tree here).
  const prepareWorkspace = async (workspace: string): Promise<void> => {
    await writeFile(join(workspace, 'deploy.sh'), '#!/bin/sh\necho "deployed to $1"\n');
    await chmod(join(workspace, 'deploy.sh'), 0o755);
  };
  local = await startLocalWorkflows([join(import.meta.dirname, '../fixtures/e2e-runner/checkout.yml')], { prepareWorkspace, logDir: dir });
  const machine = local.engine.stateMachines.find((candidate) => candidate.id === 'checkout')!;
  // As stepdeploy run starts it: the working tree is the source; github.sha is HEAD.
  const input = { event: { trigger: 'test' }, source: { sha, ref: 'refs/heads/main', repository: 'acme/site', actor: 'ada', snapshot: 'working-tree' } };
  const commitRun = { event: { trigger: 'test' }, source: { sha } };
  // As stepdeploy start names an upload: the start runner takes it as the build's S3 source.
  const snapshotRun = { event: { trigger: 'test' }, source: { snapshot: 's3://stepdeploy-snapshots-e2e/snapshots/abc123.zip#v7' } };
  const arns = [input, commitRun, snapshotRun].map((one) => local.engine.startExecution(machine.arn, JSON.stringify(one)).executionArn!);
  [finished, unconnected, snapshot] = (await Promise.all(arns.map((arn) => local.finish(arn)))) as [typeof finished, typeof unconnected, typeof snapshot];
});

afterAll(async () => {
  await local?.close();
  await rm(dir, { recursive: true, force: true });
});

const cells = () => finished.report.jobs.filter((job) => job.id === 'deploy').sort((a, b) => String(a.matrix?.region).localeCompare(String(b.matrix?.region)));
const outputs = (job: ReturnType<typeof cells>[number], step: string) => (job.steps.find((candidate) => candidate.name === step)?.outputs ?? {}) as Record<string, string>;

describe('actions/checkout on the local engine', () => {
  it('runs the checkouts as steps of their own, in order, in every cell', () => {
    expect(finished.status).toBe('SUCCEEDED');
    expect(cells().map((job) => job.steps.map((step) => `${step.name}:${step.status}`))).toEqual([
      ['step-1:succeeded', 'context:succeeded', 'step-3:succeeded', 'step-4:succeeded', 'after:succeeded'],
      ['step-1:succeeded', 'context:succeeded', 'step-3:succeeded', 'step-4:succeeded', 'after:succeeded'],
    ]);
  });

  it('a first checkout leaves the source in place; a later one writes it into its folder and leaves the rest', () => {
    for (const job of cells()) {
      expect(outputs(job, 'context').deployed).toBe(`deployed to ${job.matrix?.region}`);
      expect(outputs(job, 'after')).toEqual({ infra: 'deploy.sh ', root: 'infra junk.txt ' });
    }
  });

  it('fails the checkout of a commit when the runtime has no connected repository to take it from, as the build would', () => {
    expect(unconnected.status).toBe('FAILED');
    for (const job of unconnected.report.jobs.filter((candidate) => candidate.id === 'deploy')) {
      expect(job.steps.map((step) => `${step.name}:${step.status}`)).toEqual(['step-1:failed', 'context:skipped', 'step-3:skipped', 'step-4:skipped', 'after:skipped']);
      expect(job.steps[0]?.lastLines).toEqual([
        `stepdeploy: checkout: nothing to check out: this run is of ${sha}, but the runtime has no connected repository (cdk.json stepdeploy:connectionArn and stepdeploy:repository) to take it from`,
      ]);
    }
  });

  it('starts a snapshot run’s runners with the upload as their S3 source, through the source Choice', () => {
    expect(snapshot.status).toBe('SUCCEEDED');
    const starts = snapshot.history
      .filter((event) => event.type === 'TaskScheduled' && event.taskScheduledEventDetails?.resource === 'startBuild')
      .map((event) => JSON.parse(event.taskScheduledEventDetails!.parameters!) as Record<string, unknown>);
    // deploy's two cells check out: the upload is their S3 source; bare reads no repository and keeps the project's.
    const s3 = starts.filter((parameters) => parameters.SourceTypeOverride === 'S3');
    expect([s3.length, starts.length]).toEqual([2, 3]);
    for (const parameters of s3) {
      expect(parameters).toMatchObject({ SourceLocationOverride: 'stepdeploy-snapshots-e2e/snapshots/abc123.zip', SourceVersion: 'v7' });
    }
    const entered = snapshot.history.flatMap((event) => (event.type === 'TaskStateEntered' ? [event.stateEnteredEventDetails!.name!] : []));
    expect(entered.filter((name) => name.includes('start runner')).sort()).toEqual(['bare: start runner', 'deploy: start runner (snapshot)', 'deploy: start runner (snapshot)']);
  });
});

describe('a job that does not read the repository', () => {
  it('starts in an empty workspace: its runner removes what the source put there, as GitHub starts it empty', () => {
    const bare = finished.report.jobs.find((job) => job.id === 'bare')!;
    expect(bare.status).toBe('succeeded');
    expect(outputs(bare, 'list')).toEqual({ entries: '0' });
  });
});

describe('the runner context and GitHub variables', () => {
  it('evaluates runner.* and github.workspace on the runner, equal to the variables, per cell', () => {
    const [one, two] = cells().map((job) => outputs(job, 'context'));
    for (const values of [one!, two!]) {
      const [workspace, variable, pwd] = values.workspace!.split('|');
      expect(variable).toBe(workspace);
      expect(pwd).toBe(workspace);
      const [temp, tempVariable] = values.temp!.split('|');
      expect(tempVariable).toBe(temp);
      const arch = runnerArch(process.arch);
      expect(values.machine).toBe(`Linux/${arch}/self-hosted|Linux/${arch}/self-hosted`);
      const [name, nameVariable, build] = values.name!.split('|');
      expect([nameVariable, build]).toEqual([name, name]);
      const [tools, toolsVariable] = values.tools!.split('|');
      expect(tools).toBe(toolsVariable);
      expect(values.github).toBe(`true/deploy/context/context/${sha}/main/acme/site`);
      expect(values.hidden).toBe('unset/unset');
    }
    expect(one!.workspace).not.toBe(two!.workspace);
    expect(one!.temp).not.toBe(two!.temp);
    expect(one!.name).not.toBe(two!.name);
  });
});
