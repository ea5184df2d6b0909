// on.workflow_run between this stack's workflows on the local engine: the upstream's RUNNING and
// ended status changes reach its relay rule, the router puts GitHub-shaped workflow_run events on the
// webhook bus, and each downstream's rule and the router start it (types, branches, conclusion),
// through a chain of at most three levels as on GitHub. Real git repository, real runner processes.
import type { ExecutionListItem } from '@aws-sdk/client-sfn';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalWorkflows, type LocalWorkflows } from './local-run';
import { gitIn } from '../fixtures/git';

const fixtures = join(import.meta.dirname, '../fixtures/e2e-workflow-run');
const ids = ['build', 'after-build', 'build-requested', 'chain-1', 'chain-2', 'chain-3'] as const;
type Id = (typeof ids)[number];

let local: LocalWorkflows;
let dir: string;
const git = gitIn(() => dir);

const machineArn = (id: Id): string => local.engine.stateMachines.find((machine) => machine.id === id)!.arn;
const executions = (id: Id): ExecutionListItem[] => local.engine.listExecutions(machineArn(id)).reverse();

/** Waits until `id` has `count` executions and every one has ended; returns their outputs' `seen` values in start order. */
async function ended(id: Id, count: number): Promise<{ status: string; seen?: string }[]> {
  while (executions(id).length < count) await new Promise((resolve) => setTimeout(resolve, 50));
  const results = [];
  for (const execution of executions(id)) {
    const finished = await local.finish(execution.executionArn!);
    const seen = finished.report.jobs[0]?.steps.find((step) => step.name === 'seen')?.outputs?.['seen'];
    results.push({ status: finished.status, ...(typeof seen === 'string' && { seen }) });
  }
  return results;
}

function startBuild(branch: string, fail: boolean): string {
  const sha = git('rev-parse', branch);
  const input = { inputs: { fail }, event: { trigger: 'test' }, source: { sha, ref: `refs/heads/${branch}`, repository: 'acme/app', actor: 'ada' } };
  return local.engine.startExecution(machineArn('build'), JSON.stringify(input)).executionArn!;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepdeploy-e2e-workflow-run-'));
  git('init', '-q', '-b', 'main');
  await writeFile(join(dir, 'app.txt'), 'v1\n');
  git('add', '.');
  git('commit', '-q', '-m', 'one');
  git('branch', 'feature');
  local = await startLocalWorkflows(ids.map((id) => join(fixtures, `${id}.yml`)), { sourceDir: dir });
  // One after the other: each build's followers are counted before the next one starts.
  await local.finish(startBuild('main', false));
  await ended('after-build', 1);
  await local.finish(startBuild('main', true));
  await ended('after-build', 2);
  await local.finish(startBuild('feature', false));
  await ended('build-requested', 3);
  await ended('chain-2', 2);
  await local.engine.eventsDelivered();
}, 240_000);

afterAll(async () => {
  await local?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('workflow_run', () => {
  it('starts on each completed build of main with its conclusion, not on another branch', async () => {
    expect(await ended('after-build', 2)).toEqual([
      { status: 'SUCCEEDED', seen: 'success main workflow_run/completed/build' },
      { status: 'SUCCEEDED', seen: 'failure main workflow_run/completed/build' },
    ]);
  });

  it('starts on each build as it is requested, before it has a conclusion', async () => {
    expect(await ended('build-requested', 3)).toEqual([
      { status: 'SUCCEEDED', seen: 'queued/' },
      { status: 'SUCCEEDED', seen: 'queued/' },
      { status: 'SUCCEEDED', seen: 'queued/' },
    ]);
  });

  it('chains three levels deep, as GitHub does, and no further', async () => {
    expect((await ended('chain-1', 2)).map((run) => run.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect((await ended('chain-2', 2)).map((run) => run.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(executions('chain-3')).toEqual([]);
  });
});
