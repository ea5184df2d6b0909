import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxOverlap, startLocalWorkflows, type LocalWorkflows } from './local-run';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'e2e-window');

let local: LocalWorkflows;
beforeAll(async () => {
  local = await startLocalWorkflows(['window-prepared', 'window-fail-fast', 'window-map', 'failures', 'fail-fast-queued'].map((name) => join(fixtures, `${name}.yml`)));
});
afterAll(() => local.close());

const job = (report: Awaited<ReturnType<LocalWorkflows['finish']>>['report'], id: string) => report.jobs.filter((candidate) => candidate.id === id);

describe('the workflow max-parallel window', () => {
  it('holds steps that are evaluated first (expressions, env, if:) to the window too', async () => {
    const { status, report } = await local.finish(local.start('window-prepared'));
    expect(status).toBe('SUCCEEDED');
    expect(maxOverlap(report.jobs.flatMap((cell) => cell.steps))).toBe(1);
  });

  it('a matrix that overlaps no other job keeps to it by its Map alone: no slot states run', async () => {
    const { status, report, history } = await local.finish(local.start('window-map'));
    expect(status).toBe('SUCCEEDED');
    expect(job(report, 'deploy')).toHaveLength(4);
    expect(maxOverlap(job(report, 'deploy').flatMap((cell) => [{ startedAt: cell.steps[0]?.startedAt, endedAt: cell.steps.at(-1)?.endedAt }]))).toBeLessThanOrEqual(2);
    const entered = history.flatMap((event) => (event.stateEnteredEventDetails?.name === undefined ? [] : [event.stateEnteredEventDetails.name]));
    expect(entered.filter((name) => name.includes('slot'))).toEqual([]);
    expect(entered.filter((name) => name === 'deploy.step-1: run')).toHaveLength(4);
  });

  it('gets back the slots of cells fail-fast stopped, so the run goes on to its next job', async () => {
    const { status, report } = await local.finish(local.start('window-fail-fast'));
    expect(status).toBe('FAILED');
    expect(job(report, 'verify').map((cell) => cell.status)).toEqual(['succeeded']);
    expect(job(report, 'deploy').map((cell) => cell.status).sort()).toEqual(['cancelled', 'cancelled', 'failed']);
  }, 300_000);
});

describe('failures stay where they happen', () => {
  it('failure() in a job sees a failed ancestor; a broken expression or a bad outputs file fails its step, not the run’s other jobs; stdin cannot eat the script', async () => {
    const { report } = await local.finish(local.start('failures'));
    const status = (id: string) => job(report, id).map((cell) => cell.status);
    expect(status('build')).toEqual(['failed']);
    expect(status('deploy')).toEqual(['skipped']);
    expect(status('notify')).toEqual(['succeeded']);
    expect(job(report, 'broken-expression')[0]!.steps.map((step) => step.status)).toEqual(['succeeded', 'failed', 'succeeded']);
    expect(status('bad-outputs')).toEqual(['failed']);
    expect(job(report, 'stdin')[0]!.steps[0]!.outputs).toEqual({ reached: 'yes' });
    expect(status('independent')).toEqual(['succeeded']);
    // A job whose if: cannot be evaluated fails by itself, like a step.
    expect(status('broken-if')).toEqual(['failed']);
  });

  it('a fail-fast matrix starts none of the cells still queued behind max-parallel once a cell failed', async () => {
    const { status, report, history } = await local.finish(local.start('fail-fast-queued'));
    expect(status).toBe('FAILED');
    // The report lists the cells that started: the one that failed.
    expect(job(report, 'deploy').map((cell) => cell.status)).toEqual(['failed']);
    expect(job(report, 'after').map((cell) => cell.status)).toEqual(['succeeded']);
    const entered = history.flatMap((event) => (event.stateEnteredEventDetails?.name === undefined ? [] : [event.stateEnteredEventDetails.name]));
    expect(entered.filter((name) => name.startsWith('deploy: start runner'))).toHaveLength(1);
  });
});
