// Step-level behaviour of synthesized state machines on the local engine: step if:,
// continue-on-error (step and job), retry, expressions that try to inject shell code, and a Lambda
// step. Every workflow starts at once in beforeAll (they are independent).
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobReport, RunReport } from '../../lib/report/report';
import { fileSafeName, parseStepLogFileName } from '../../lib/runtime/runners';
import { startLocalWorkflows, type LocalWorkflows } from './local-run';

const fixtures = join(import.meta.dirname, '../fixtures/e2e-behaviour');
const files = [
  ...['step-conditions', 'continue-on-error', 'continue-on-error-expression', 'retry', 'injection'].map((id) => join(fixtures, `${id}.yml`)),
  // The renderer's fixture: a matrix job with retry, continue-on-error and if: always(), then a Lambda step.
  join(import.meta.dirname, '../asl/fixtures/steps.yml'),
];
type Finished = Awaited<ReturnType<LocalWorkflows['finish']>>;

const marker = `/tmp/pwned-${randomUUID()}`;
// Breaks out of double quotes, comments out the rest, and tries command substitution twice.
const hostileText = `"; touch ${marker}-quote # $(touch ${marker}-subst) \`touch ${marker}-backtick\``;

let local: LocalWorkflows;
let dir: string;
const lambdaPayloads: unknown[] = [];
const runs = new Map<string, Promise<Finished>>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepdeploy-e2e-steps-'));
  local = await startLocalWorkflows(files, {
    sourceDir: dir,
    logDir: dir,
    userLambdas: {
      'notify-team': async (payload) => {
        lambdaPayloads.push(payload);
        return { notified: true };
      },
    },
  });
  const inputs: Record<string, Record<string, unknown>> = { injection: { text: hostileText }, steps: { version: '3.1.4' } };
  for (const file of files) {
    const id = file.slice(file.lastIndexOf('/') + 1, -'.yml'.length);
    runs.set(id, local.finish(local.start(id, inputs[id] ?? {}, `e2e-${id}`)));
  }
});
afterAll(async () => {
  await local?.close();
  await rm(dir, { recursive: true, force: true });
  // Only there if the injection worked (and the test failed).
  await Promise.all(['quote', 'subst', 'backtick'].map((how) => rm(`${marker}-${how}`, { force: true })));
});

const run = (id: string): Promise<Finished> => runs.get(id)!;

function job(report: RunReport, id: string): JobReport {
  const found = report.jobs.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no job ${id} in the report`);
  return found;
}

const stepStatuses = (cell: JobReport): Record<string, string> => Object.fromEntries(cell.steps.map((step) => [step.name, step.status]));

/** The logs of a step's run state in an execution (every cell), one file per attempt, by cell then attempt. */
async function stepLogs(executionName: string, job: string, step: string): Promise<string[]> {
  const key = fileSafeName(`${job}.${step}: run`);
  const logs = (await readdir(join(dir, executionName)))
    .map((name) => ({ name, parsed: parseStepLogFileName(name) }))
    .filter(({ parsed }) => parsed !== undefined && fileSafeName(parsed.state) === key)
    .sort((a, b) => (a.parsed!.cell ?? -1) - (b.parsed!.cell ?? -1) || a.parsed!.attempt - b.parsed!.attempt);
  return Promise.all(logs.map(({ name }) => readFile(join(dir, executionName, name), 'utf8')));
}

describe('step if: (step-conditions.yml)', () => {
  it('after a failed step runs only the failure() and always() steps, and the job fails', async () => {
    const { report } = await run('step-conditions');
    const failing = job(report, 'failing');
    expect(failing.status).toBe('failed');
    expect(stepStatuses(failing)).toEqual({ breaks: 'failed', plain: 'skipped', 'on-success': 'skipped', 'on-failure': 'succeeded', always: 'succeeded' });
  });

  it('after good steps skips the failure() step and runs the rest', async () => {
    const { report } = await run('step-conditions');
    const passing = job(report, 'passing');
    expect(passing.status).toBe('succeeded');
    expect(stepStatuses(passing)).toEqual({ works: 'succeeded', 'on-failure': 'skipped', always: 'succeeded', plain: 'succeeded' });
  });

  it('fails the run because one job failed', async () => {
    const { status, cause, report } = await run('step-conditions');
    expect({ status, cause, report: report.status }).toEqual({ status: 'FAILED', cause: 'jobs that did not succeed: failing (failure)', report: 'failed' });
  });
});

describe('continue-on-error (continue-on-error.yml)', () => {
  it('at step level: the step reports failed, the next step runs, the job and the run succeed', async () => {
    const { status, report } = await run('continue-on-error');
    expect(status).toBe('SUCCEEDED');
    expect(report.status).toBe('succeeded');
    const cell = job(report, 'tolerant-step');
    expect(cell.status).toBe('succeeded');
    expect(stepStatuses(cell)).toEqual({ flaky: 'failed', next: 'succeeded' });
    expect(cell.steps[1]?.outputs?.outcome).toBe('failure');
  });

  // GitHub: "When a continue-on-error step fails, the outcome is failure, but the final conclusion is
  // success."
  it('at step level: steps.<id>.conclusion is success, its outcome failure', async () => {
    const { report } = await run('continue-on-error');
    expect(job(report, 'tolerant-step').steps[1]?.outputs).toEqual({ outcome: 'failure', conclusion: 'success' });
  });

  it('at job level: the rest of the job is skipped, but the job counts as a success for its dependents and the run', async () => {
    const { report } = await run('continue-on-error');
    const tolerant = job(report, 'tolerant-job');
    expect(tolerant.status).toBe('succeeded');
    expect(stepStatuses(tolerant)).toEqual({ breaks: 'failed', skipped: 'skipped' });
    const after = job(report, 'after-tolerant-job');
    expect(after.status).toBe('succeeded');
    expect(after.steps[0]?.outputs).toEqual({ result: 'success' });
  });

  // An expression-valued continue-on-error is evaluated by the step's prepare state.
  it('at step level, given as an expression that is true: the run succeeds', async () => {
    const { status, report } = await run('continue-on-error-expression');
    expect(stepStatuses(job(report, 'tolerant-step'))).toEqual({ flaky: 'failed', next: 'succeeded' });
    expect(status).toBe('SUCCEEDED');
  });
});

describe('retry (retry.yml)', () => {
  it('with max-attempts 3, a step that fails twice succeeds on its third attempt, each a second apart', async () => {
    const { report } = await run('retry');
    const cell = job(report, 'three-attempts');
    expect(cell.status).toBe('succeeded');
    expect(cell.steps).toMatchObject([{ name: 'flaky', status: 'succeeded', outputs: { attempts: '3' } }]);
    const step = cell.steps[0]!;
    expect(Date.parse(step.endedAt!) - Date.parse(step.startedAt!)).toBeGreaterThanOrEqual(2000);
    expect(await readFile(join(dir, 'three-attempts.count'), 'utf8')).toBe('attempt\nattempt\nattempt\n');
    const logs = await stepLogs('e2e-retry', 'three-attempts', 'flaky');
    expect(logs.map((log) => log.split('\n').find((line) => line.startsWith('attempt ')))).toEqual(['attempt 1 fails', 'attempt 2 fails', undefined]);
  });

  it('with max-attempts 2, the same step fails after two attempts and fails the run', async () => {
    const { status, cause, report } = await run('retry');
    const cell = job(report, 'two-attempts');
    expect(cell.status).toBe('failed');
    expect(stepStatuses(cell)).toEqual({ flaky: 'failed' });
    expect(await readFile(join(dir, 'two-attempts.count'), 'utf8')).toBe('attempt\nattempt\n');
    expect(await stepLogs('e2e-retry', 'two-attempts', 'flaky')).toHaveLength(2);
    expect({ status, cause }).toEqual({ status: 'FAILED', cause: 'jobs that did not succeed: two-attempts (failure)' });
  });
});

describe('an input that tries to inject shell code (injection.yml)', () => {
  it('reaches the script as data: echoed verbatim, quoted or not, and kept verbatim as an output', async () => {
    const { status, report } = await run('injection');
    expect(status).toBe('SUCCEEDED');
    expect(job(report, 'echo').steps[0]?.outputs).toEqual({ said: hostileText });
    const [log] = await stepLogs('e2e-injection', 'echo', 'say');
    expect(log!.split('\n').filter((line) => line === hostileText)).toHaveLength(2);
  });

  it('runs none of the commands it carries', async () => {
    await run('injection');
    expect(['quote', 'subst', 'backtick'].filter((how) => existsSync(`${marker}-${how}`))).toEqual([]);
  });
});

describe('the renderer’s steps fixture (test/asl/fixtures/steps.yml), with a Lambda step', () => {
  it('runs every cell through a tolerated failure and an always() cleanup, then invokes the Lambda with the job’s result', async () => {
    const { status, report } = await run('steps');
    expect(status).toBe('SUCCEEDED');
    const cells = report.jobs.filter((cell) => cell.id === 'deploy');
    expect(cells.map((cell) => cell.matrix?.region).sort()).toEqual(['ap-southeast-2', 'eu-west-1', 'us-east-1']);
    for (const cell of cells) {
      expect(cell.status).toBe('succeeded');
      expect(stepStatuses(cell)).toEqual({ plain: 'succeeded', injected: 'succeeded', flaky: 'failed', cleanup: 'succeeded' });
    }
    expect(lambdaPayloads).toEqual([{ result: 'success' }]);
    expect(job(report, 'notify').steps).toMatchObject([{ name: 'step-1', status: 'succeeded', outputs: { notified: true } }]);
  });

  it('passes the input and the matrix value into the script through the environment', async () => {
    await run('steps');
    const logs = await stepLogs('e2e-steps', 'deploy', 'injected');
    const said = logs.flatMap((log) => log.split('\n').filter((line) => line.startsWith('deploying ')));
    expect(said.sort()).toEqual(['deploying 3.1.4 to ap-southeast-2', 'deploying 3.1.4 to eu-west-1', 'deploying 3.1.4 to us-east-1']);
  });
});
