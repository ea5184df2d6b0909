// Every example in examples/ runs to success on the local engine, and its report shows what the
// example is for. The examples share nothing (separate concurrency groups), so all of them start at
// once. multi-region-deploy's schedule is asserted in multi-region.test.ts; queue-max's and
// cancel-in-progress's concurrency semantics belong to the coordination tests — here each runs once.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobReport, RunReport } from '../../lib/report/report';
import { maxOverlap, startLocalWorkflows, type LocalWorkflows } from './local-run';

const examplesDir = join(import.meta.dirname, '../../examples');
const inputs: Record<string, Record<string, unknown>> = {
  'cancel-in-progress': { environment: 'production' },
  'multi-region-deploy': { version: '2.0.0' },
  'parallel-environments': {},
  'parallel-steps': {},
  'queue-max': { change: 'add-index' },
};
const examples = Object.keys(inputs);
type Finished = Awaited<ReturnType<LocalWorkflows['finish']>>;

let local: LocalWorkflows;
let logDir: string;
const runs = new Map<string, Promise<Finished>>();

beforeAll(async () => {
  logDir = await mkdtemp(join(tmpdir(), 'stepdeploy-e2e-examples-'));
  local = await startLocalWorkflows(
    examples.map((id) => join(examplesDir, `${id}.yml`)),
    { logDir },
  );
  for (const id of examples) runs.set(id, local.finish(local.start(id, inputs[id], `example-${id}`)));
});
afterAll(async () => {
  await local?.close();
  await rm(logDir, { recursive: true, force: true });
});

const run = (id: string): Promise<Finished> => runs.get(id)!;
const at = (time: string | undefined): number => Date.parse(time!);

function job(report: RunReport, id: string): JobReport {
  const found = report.jobs.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no job ${id} in the report`);
  return found;
}

/** The lines a step printed, without the runner's own `[Container]` lines. */
async function printed(example: string, job: string, step: string): Promise<string[]> {
  const dir = join(logDir, `example-${example}`);
  const file = (await readdir(dir)).find((name) => name === `${job}.${step}_run.log`);
  if (file === undefined) throw new Error(`no log of ${job}.${step} in ${dir}`);
  return (await readFile(join(dir, file), 'utf8')).split('\n').filter((line) => line.length > 0 && !line.startsWith('[Container]'));
}

describe('examples/ on the local engine', () => {
  it('holds exactly the examples run here', async () => {
    expect((await readdir(examplesDir)).filter((name) => name.endsWith('.yml')).sort()).toEqual(examples.map((id) => `${id}.yml`));
  });

  it.each(examples)('%s runs to success: every job, cell and step succeeded', async (id) => {
    const { status, report } = await run(id);
    expect(status).toBe('SUCCEEDED');
    expect(report.status).toBe('succeeded');
    expect(report.jobs.length).toBeGreaterThan(0);
    for (const cell of report.jobs) {
      expect({ job: cell.id, status: cell.status }).toEqual({ job: cell.id, status: 'succeeded' });
      expect(cell.steps.filter((step) => step.status !== 'succeeded')).toEqual([]);
    }
  });

  it('parallel-environments: staging and qa deploy at the same time, after the build; production after both', async () => {
    const { report } = await run('parallel-environments');
    const [build, staging, qa, production] = ['build', 'staging', 'qa', 'production'].map((id) => job(report, id));
    expect(maxOverlap([staging!, qa!])).toBe(2);
    expect(Math.min(at(staging!.startedAt), at(qa!.startedAt))).toBeGreaterThanOrEqual(at(build!.endedAt));
    expect(at(production!.startedAt)).toBeGreaterThanOrEqual(Math.max(at(staging!.endedAt), at(qa!.endedAt)));
    expect(await printed('parallel-environments', 'production', 'step-1')).toEqual(['deploying to production']);
  });

  it('parallel-steps: three steps run at the same time between prepare and the switch, which sees prepare’s output', async () => {
    const { report } = await run('parallel-steps');
    const steps = job(report, 'release').steps;
    expect(steps.map((step) => step.name).sort()).toEqual(['prepare', 'step-2', 'step-3', 'step-4', 'step-5']);
    const [prepare, migrate, warm, upload, switchTraffic] = ['prepare', 'step-2', 'step-3', 'step-4', 'step-5'].map((name) => steps.find((step) => step.name === name));
    expect(prepare!.outputs).toEqual({ release: 'r42' });
    expect(maxOverlap([migrate!, warm!, upload!])).toBe(3);
    for (const step of [migrate!, warm!, upload!]) {
      expect(at(step.startedAt)).toBeGreaterThanOrEqual(at(prepare!.endedAt));
      expect(at(switchTraffic!.startedAt)).toBeGreaterThanOrEqual(at(step.endedAt));
    }
    expect(await printed('parallel-steps', 'release', 'step-2')).toEqual(['migrating for r42']);
    expect(await printed('parallel-steps', 'release', 'step-5')).toEqual(['switching traffic to r42']);
  });

  it('queue-max: one run applies its change', async () => {
    const { report } = await run('queue-max');
    expect(report.jobs.map((cell) => cell.id)).toEqual(['migrate']);
    expect(await printed('queue-max', 'migrate', 'step-1')).toEqual(['applying add-index', 'applied add-index']);
  });

  it('cancel-in-progress: one run deploys to the chosen environment', async () => {
    const { report } = await run('cancel-in-progress');
    expect(report.jobs.map((cell) => cell.id)).toEqual(['deploy']);
    expect(await printed('cancel-in-progress', 'deploy', 'step-1')).toEqual(['deploying to production', 'deployed to production']);
  });

  it('multi-region-deploy: five regions, never more than two at once', async () => {
    const { report } = await run('multi-region-deploy');
    const cells = report.jobs.filter((cell) => cell.id === 'deploy');
    expect(cells).toHaveLength(5);
    expect(maxOverlap(cells)).toBe(2);
  });
});
