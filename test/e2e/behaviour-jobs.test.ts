// Job-level behaviour of synthesized state machines on the local engine: needs, a failed job and
// its dependents, job if:, fail-fast, outputs between jobs. Every workflow starts at once in
// beforeAll (they are independent), so the file takes as long as the slowest one.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobReport, RunReport } from '../../lib/report/report';
import { readPids, survivors } from '../fixtures/e2e-behaviour/processes';
import { startLocalWorkflows, type LocalWorkflows } from './local-run';

const fixtures = join(import.meta.dirname, '../fixtures/e2e-behaviour');
const workflows = ['needs-and-failure', 'fail-fast', 'outputs', 'long-ids'] as const;
type Finished = Awaited<ReturnType<LocalWorkflows['finish']>>;

let local: LocalWorkflows;
let sourceDir: string;
const runs = new Map<string, Promise<Finished>>();

beforeAll(async () => {
  sourceDir = await mkdtemp(join(tmpdir(), 'stepdeploy-e2e-jobs-'));
  local = await startLocalWorkflows(
    workflows.map((id) => join(fixtures, `${id}.yml`)),
    { sourceDir },
  );
  for (const id of workflows) runs.set(id, local.finish(local.start(id)));
});
afterAll(async () => {
  await local?.close();
  await rm(sourceDir, { recursive: true, force: true });
});

const run = (id: (typeof workflows)[number]): Promise<Finished> => runs.get(id)!;
const at = (time: string | undefined): number => Date.parse(time!);

function job(report: RunReport, id: string, matrix?: Record<string, unknown>): JobReport {
  const found = report.jobs.find((candidate) => candidate.id === id && (matrix === undefined || JSON.stringify(candidate.matrix) === JSON.stringify(matrix)));
  if (found === undefined) throw new Error(`no job ${id} ${JSON.stringify(matrix ?? {})} in the report`);
  return found;
}

const statuses = (report: RunReport): Record<string, string> =>
  Object.fromEntries(report.jobs.map((cell) => [cell.matrix ? `${cell.id} ${JSON.stringify(cell.matrix)}` : cell.id, cell.status]));

describe('needs and a failed job (needs-and-failure.yml)', () => {
  it('fails the run with the failed job named, and gives every job the status GitHub would', async () => {
    const { status, error, cause, report } = await run('needs-and-failure');
    expect({ status, error, cause }).toEqual({ status: 'FAILED', error: 'JobsFailed', cause: 'jobs that did not succeed: broken (failure)' });
    expect(report.status).toBe('failed');
    expect(statuses(report)).toEqual({
      first: 'succeeded',
      second: 'succeeded',
      broken: 'failed',
      'after-broken': 'skipped',
      independent: 'succeeded',
      always: 'succeeded',
      'on-failure': 'succeeded',
      'failure-of-healthy': 'skipped',
    });
  });

  it('starts a dependent only after its need has ended', async () => {
    const { report } = await run('needs-and-failure');
    expect(at(job(report, 'second').startedAt)).toBeGreaterThanOrEqual(at(job(report, 'first').endedAt));
    expect(at(job(report, 'always').startedAt)).toBeGreaterThanOrEqual(at(job(report, 'broken').endedAt));
    expect(at(job(report, 'on-failure').startedAt)).toBeGreaterThanOrEqual(at(job(report, 'broken').endedAt));
  });

  it('runs a job that does not need the failed one to its end, alongside it', async () => {
    const { report } = await run('needs-and-failure');
    const independent = job(report, 'independent');
    const broken = job(report, 'broken');
    expect(independent.steps.map((step) => step.status)).toEqual(['succeeded']);
    expect(at(independent.startedAt)).toBeLessThan(at(broken.endedAt));
    expect(at(independent.endedAt)).toBeGreaterThan(at(broken.endedAt));
  });

  it('never starts a skipped job: no times, no steps', async () => {
    const { report } = await run('needs-and-failure');
    expect(job(report, 'after-broken')).toEqual({ id: 'after-broken', status: 'skipped', steps: [] });
    expect(job(report, 'failure-of-healthy')).toEqual({ id: 'failure-of-healthy', status: 'skipped', steps: [] });
  });
});

describe('fail-fast (fail-fast.yml)', () => {
  it('with fail-fast, one failed cell cancels its running siblings at once and kills their processes', async () => {
    const { report } = await run('fail-fast');
    const failed = job(report, 'fast', { n: 1 });
    expect(failed.status).toBe('failed');
    for (const n of [2, 3]) {
      const sibling = job(report, 'fast', { n });
      expect(sibling.status).toBe('cancelled');
      // Each would have slept 8 s: stopped, not finished (its processes are gone, below).
      expect(sibling.steps.map((step) => step.status)).toEqual(['cancelled']);
    }
    const pids = [...(await readPids(join(sourceDir, 'fast-2.pid'))), ...(await readPids(join(sourceDir, 'fast-3.pid')))];
    expect(pids).toHaveLength(2);
    expect(survivors(pids)).toEqual([]);
  });

  it('with fail-fast and one cell at a time, the cells after the failed one never run a step', async () => {
    const { report } = await run('fail-fast');
    const cells = report.jobs.filter((cell) => cell.id === 'one-at-a-time');
    expect(cells[0]).toMatchObject({ matrix: { n: 1 }, status: 'failed' });
    // The Map may have entered the next iteration as the failure landed; it ran nothing.
    for (const cell of cells.slice(1)) {
      expect(cell.status).toBe('cancelled');
      expect(cell.steps).toEqual([]);
    }
    expect(cells.some((cell) => cell.matrix?.n === 3)).toBe(false);
  });

  it('without fail-fast, the other cells finish; the job still fails and its dependent is skipped', async () => {
    const { report } = await run('fail-fast');
    expect(report.jobs.filter((cell) => cell.id === 'tolerant').map((cell) => [cell.matrix?.n, cell.status])).toEqual([
      [1, 'failed'],
      [2, 'succeeded'],
      [3, 'succeeded'],
    ]);
    expect(job(report, 'after-tolerant').status).toBe('skipped');
  });

  it('fails the run naming every failed matrix job, without waiting for the stopped cells', async () => {
    const { status, cause, report } = await run('fail-fast');
    expect(status).toBe('FAILED');
    expect(cause).toBe('jobs that did not succeed: fast (failure), one-at-a-time (failure), tolerant (failure)');
    // The run ends once the stopped cells are cancelled: none of them ran its 8 s step to the end.
    expect(report.jobs.filter((cell) => cell.id === 'fast' && cell.matrix?.n !== 1).map((cell) => cell.status)).toEqual(['cancelled', 'cancelled']);
  });
});

describe('outputs (outputs.yml)', () => {
  it('passes step outputs to later steps, to the job’s outputs, and to dependents through needs', async () => {
    const { status, report } = await run('outputs');
    expect(status).toBe('SUCCEEDED');
    const produce = job(report, 'produce');
    expect(produce.steps.map((step) => [step.name, step.outputs])).toEqual([
      ['make', { version: '1.2.3', notes: 'line one\nline two' }],
      ['use', { tag: 'v1.2.3' }],
    ]);
    // `version` came through env:, `tag` through an expression in the script.
    expect(job(report, 'consume').steps[0]?.outputs).toEqual({ version: '1.2.3', tag: 'v1.2.3' });
  });
});

describe('job ids up to 100 characters (long-ids.yml)', () => {
  const build = 'build-the-application-artifacts-for-every-supported-platform';
  const deploy = 'deploy-the-application-to-the-production-environment-after-build';

  it('runs, and the report names every job by its full id while state names stay within 80 characters', async () => {
    const { status, report, history } = await run('long-ids');
    expect(status).toBe('SUCCEEDED');
    expect(statuses(report)).toEqual({
      [`${build} {"platform":"linux"}`]: 'succeeded',
      [`${build} {"platform":"macos"}`]: 'succeeded',
      [deploy]: 'succeeded',
    });
    const names = history.flatMap((event) => [event.stateEnteredEventDetails?.name ?? '']);
    expect(Math.max(...names.map((name) => name.length))).toBeLessThanOrEqual(80);
    expect(names.some((name) => name.startsWith(build))).toBe(false);
  });

  it("reads needs by the full id, and a job's success('need') names it", async () => {
    const { report } = await run('long-ids');
    expect(job(report, deploy).steps[0]?.outputs).toEqual({ result: 'success' });
  });
});
