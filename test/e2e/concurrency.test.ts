// Concurrency groups end to end: the synthesized state machines on the local engine, the coordinator
// and status-change handlers in-process, the runtime table on dynalite, run steps as child processes.
// Gated fixtures hold their group until the test creates a file, so every ordering below is forced,
// not hoped for; the table is read with the real DynamoDB client at each step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobReport } from '../../lib/report/report';
import { E2E_FIXTURES, Gates, RuntimeTable, eventually, historyEvent, stateEntered } from '../fixtures/e2e/support';
import { maxOverlap, startLocalWorkflows, type LocalWorkflows } from './local-run';

const ms = (at: string | undefined): number => Date.parse(at ?? 'missing');

describe('concurrency groups on the local engine', () => {
  let local: LocalWorkflows;
  let table: RuntimeTable;
  let gates: Gates;

  beforeAll(async () => {
    local = await startLocalWorkflows([
      'examples/cancel-in-progress.yml',
      'examples/queue-max.yml',
      `${E2E_FIXTURES}/queue-single.yml`,
      `${E2E_FIXTURES}/capacity-two.yml`,
      `${E2E_FIXTURES}/region-lock.yml`,
    ]);
    table = await RuntimeTable.of(local.engine);
    gates = await Gates.create();
  });
  afterAll(() => local.close());

  /** Waits until the group's holders and waiters are exactly these (holders in any order). */
  const members = (group: string, holders: readonly string[], queue: readonly string[]) =>
    eventually(`${group} held by ${holders.join(', ') || 'nobody'} with [${queue.join(', ')}] waiting`, async () => {
      const now = await table.members(group);
      return JSON.stringify([now.holders.sort(), now.queue]) === JSON.stringify([[...holders].sort(), queue]) ? now : undefined;
    });

  it('cancel-in-progress: a second run of the example stops the first (ABORTED, superseded) and succeeds', async () => {
    const first = local.start('cancel-in-progress', { environment: 'staging' });
    await historyEvent(local.engine, first, stateEntered('deploy.step-1: run'));
    await members('deploy-staging', [first], []);

    const second = local.start('cancel-in-progress', { environment: 'staging' });
    const [stopped, newer] = await Promise.all([local.finish(first), local.finish(second)]);

    expect(stopped.status).toBe('ABORTED');
    expect(stopped.error).toBe('Superseded');
    expect(stopped.cause).toBe(`cancelled by ${second} (cancel-in-progress) in concurrency group 'deploy-staging'`);
    expect(stopped.report.status).toBe('superseded');
    expect(stopped.report.jobs.map((job) => [job.id, job.status])).toEqual([['deploy', 'cancelled']]);
    expect(newer.status).toBe('SUCCEEDED');
    expect(newer.report.status).toBe('succeeded');
    // The newcomer's deploy starts only once the stopped run has ended (its processes gone): never two at once.
    const stoppedAt = Date.parse(stopped.report.endedAt);
    const newerDeploy = newer.report.jobs.find((job) => job.id === 'deploy')!.steps[0]!;
    expect(Date.parse(newerDeploy.startedAt!)).toBeGreaterThanOrEqual(stoppedAt);
    expect(await table.keys()).toEqual([]);
  });

  it('queue: single — of three runs the middle one, pending when the third arrives, ends superseded', async () => {
    const [first, middle, third] = ['single-1', 'single-2', 'single-3'];
    const one = local.start('queue-single', { gate: gates.path(first) });
    await members('single-lane', [one], []);
    const two = local.start('queue-single', { gate: gates.path(middle) });
    await members('single-lane', [one], [two]);
    const three = local.start('queue-single', { gate: gates.path(third) });

    const superseded = await local.finish(two);
    expect(superseded.status).toBe('FAILED');
    expect(superseded.error).toBe('Superseded');
    expect(superseded.cause).toBe(`superseded by ${three}: a newer run is pending in concurrency group 'single-lane' (queue: single)`);
    expect(superseded.report.status).toBe('superseded');
    expect(superseded.report.jobs).toEqual([]);
    await members('single-lane', [one], [three]);

    await gates.open(first);
    await members('single-lane', [three], []);
    await gates.open(third);
    const [a, c] = await Promise.all([local.finish(one), local.finish(three)]);
    expect([a.status, c.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(ms(c.report.jobs[0]?.startedAt)).toBeGreaterThanOrEqual(ms(a.report.jobs[0]?.endedAt));
    expect(await table.keys()).toEqual([]);
  });

  it('queue: max — three runs of the example all run, one at a time, in arrival order', async () => {
    const runs: string[] = [];
    for (const change of ['change-1', 'change-2', 'change-3']) {
      runs.push(local.start('queue-max', { change }));
      await members('database-migrations', runs.slice(0, 1), runs.slice(1));
    }
    const results = await Promise.all(runs.map((arn) => local.finish(arn)));
    expect(results.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    const holds = results.map((r) => r.report.jobs[0] as JobReport);
    expect(maxOverlap(holds)).toBe(1);
    expect(ms(holds[1]?.startedAt)).toBeGreaterThanOrEqual(ms(holds[0]?.endedAt));
    expect(ms(holds[2]?.startedAt)).toBeGreaterThanOrEqual(ms(holds[1]?.endedAt));
    expect(await table.keys()).toEqual([]);
  });

  it('capacity: 2 — two runs hold at once, the others wait in order and take the freed slots', async () => {
    const names = ['pool-1', 'pool-2', 'pool-3', 'pool-4'];
    const runs: string[] = [];
    for (const name of names) {
      runs.push(local.start('capacity-two', { gate: gates.path(name) }));
      await members('shared-pool', runs.slice(0, 2), runs.slice(2));
    }
    const [one, two, three, four] = runs as [string, string, string, string];

    await gates.open('pool-2');
    await members('shared-pool', [one, three], [four]);
    await gates.open('pool-1');
    await members('shared-pool', [three, four], []);
    await gates.open('pool-3');
    await gates.open('pool-4');

    const results = await Promise.all(runs.map((arn) => local.finish(arn)));
    expect(results.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(maxOverlap(results.map((r) => r.report.jobs[0] as JobReport))).toBe(2);
    expect(await table.keys()).toEqual([]);
  });

  it('a job-level group per matrix region serializes a region across two runs while different regions overlap', async () => {
    const [firstGates, secondGates] = await Promise.all([Gates.create(), Gates.create()]);
    const first = local.start('region-lock', { gates: firstGates.dir });
    const [east, west] = [(arn: string) => `${arn}#deploy#0`, (arn: string) => `${arn}#deploy#1`];
    await members('region-east', [east(first)], []);
    await members('region-west', [west(first)], []);

    const second = local.start('region-lock', { gates: secondGates.dir });
    await members('region-east', [east(first)], [east(second)]);
    await members('region-west', [west(first)], [west(second)]);

    // East frees first: the second run deploys east while the first still deploys west.
    await firstGates.open('east');
    await members('region-east', [east(second)], []);
    expect(await table.members('region-west')).toEqual({ holders: [west(first)], queue: [west(second)] });
    // Holding the group is not yet running the step (the cell's runner starts first): wait for the step.
    await secondGates.running('east');
    await secondGates.open('east');
    await firstGates.open('west');
    await members('region-west', [west(second)], []);
    await secondGates.open('west');

    const [a, b] = await Promise.all([local.finish(first), local.finish(second)]);
    expect([a.status, b.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    // The step is what holds the group (a cell's own interval starts before it queues for the group).
    const cell = (report: typeof a.report, region: string) => (report.jobs.find((job) => job.matrix?.region === region) as JobReport).steps[0]!;
    expect(maxOverlap([cell(a.report, 'east'), cell(b.report, 'east')])).toBe(1);
    expect(maxOverlap([cell(a.report, 'west'), cell(b.report, 'west')])).toBe(1);
    expect(maxOverlap([cell(b.report, 'east'), cell(a.report, 'west')])).toBe(2);
    expect(await table.keys()).toEqual([]);
  });
});
