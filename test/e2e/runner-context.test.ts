// The runner-side workflow keys on the local engine: defaults.run.working-directory with an
// expression (evaluated, never pasted), a working-directory that does not exist failing its step,
// runs-on chosen by a matrix expression, run-name, and the github context from the start's source.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalWorkflows, type LocalWorkflows } from './local-run';

let local: LocalWorkflows;
let dir: string;
let finished: Awaited<ReturnType<LocalWorkflows['finish']>>;
const sha = '0123456789abcdef0123456789abcdef01234567';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepdeploy-e2e-runner-'));
  local = await startLocalWorkflows([join(import.meta.dirname, '../fixtures/e2e-runner/run-context.yml')], { sourceDir: dir, logDir: dir });
  const machine = local.engine.stateMachines.find((candidate) => candidate.id === 'run-context')!;
  const input = { inputs: { target: 'green' }, event: { trigger: 'test' }, source: { sha, ref: 'refs/heads/release', repository: 'acme/site', actor: 'ada' } };
  const arn = local.engine.startExecution(machine.arn, JSON.stringify(input)).executionArn!;
  finished = await local.finish(arn);
});

afterAll(async () => {
  await local?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('runner context on the local engine', () => {
  it('runs every cell: runs-on picked per cell, a missing working-directory fails only its step', () => {
    expect(finished.status).toBe('SUCCEEDED');
    const cells = finished.report.jobs
      .map((job) => [job.matrix?.runner, job.status, job.steps.map((step) => `${step.name}:${step.status}`)])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    const steps = ['step-1:succeeded', 'where:succeeded', 'missing:failed', 'after:succeeded'];
    expect(cells).toEqual([
      ['lambda', 'succeeded', steps],
      ['ubuntu-latest', 'succeeded', steps],
    ]);
  });

  it('names the run by its run-name, evaluated at run start', () => {
    expect(finished.report.runName).toBe('Deploy green from release');
  });

  it('evaluates defaults.run.working-directory, and fills github from the source the start gave', () => {
    const where = finished.report.jobs[0]!.steps.find((step) => step.name === 'where')!;
    expect(where.outputs).toEqual({ dir: 'green', github: `workflow_dispatch/deploy/${sha}/refs/heads/release/acme` });
    const after = finished.report.jobs[0]!.steps.find((step) => step.name === 'after')!;
    expect(after.outputs).toEqual({ outcome: 'failure' });
  });

  it('says why the step failed: cd could not enter the directory', async () => {
    const executionName = finished.report.execution.split(':').pop()!;
    const logs = await readdir(join(dir, executionName));
    const log = logs.find((name) => name.includes('missing'));
    expect(log).toBeDefined();
    const text = await readFile(join(dir, executionName, log!), 'utf8');
    expect(text).toMatch(/cd: no\/such\/dir: No such file or directory/);
    expect(text).not.toContain('this must not run');
  });
});
