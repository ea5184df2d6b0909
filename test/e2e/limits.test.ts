// Shapes that used to break Step Functions limits, run end to end on the local engine (which checks
// the 256 KiB payload limit as AWS does): 11 independent jobs, 13 parallel steps, and a ~200 KiB push
// event carried through parallel jobs and parallel steps.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalWorkflows, type LocalWorkflows } from './local-run';

const noop = "      - run: 'true'\n";
const files: Record<string, string> = {
  wide: `on: workflow_dispatch\njobs:\n${Array.from({ length: 11 }, (_, index) => `  job${index}:\n    steps:\n${noop}`).join('')}`,
  group: `on: workflow_dispatch\njobs:\n  wide:\n    steps:\n${Array.from({ length: 13 }, (_, index) => `      - ${index > 0 ? 'parallel: true\n        ' : ''}run: echo ${index}\n`).join('')}      - run: test -n "$GITHUB_SHA$STEPDEPLOY_JOB"\n`,
  pushed: `on: push\njobs:\n  a:\n    steps:\n${noop}      - parallel: true\n        run: echo "\${{ event.head_commit.id }}"\n  b:\n    steps:\n${noop}  c:\n    needs: [a, b]\n    steps:\n      - run: test "\${{ event.head_commit.id }}" = abc123\n`,
};

let local: LocalWorkflows;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepdeploy-limits-'));
  for (const [id, text] of Object.entries(files)) await writeFile(join(dir, `${id}.yml`), text);
  local = await startLocalWorkflows(Object.keys(files).map((id) => join(dir, `${id}.yml`)), { sourceDir: dir });
});
afterAll(async () => {
  await local?.close();
  await rm(dir, { recursive: true, force: true });
});

function startWithEvent(workflowId: string, event: unknown): string {
  const machine = local.engine.stateMachines.find((candidate) => candidate.id === workflowId)!;
  return local.engine.startExecution(machine.arn, JSON.stringify({ inputs: {}, event })).executionArn!;
}

/** A push event of about `kib` KiB: GitHub's shape, with a long list of changed files. */
function pushEvent(kib: number) {
  const files = Array.from({ length: Math.ceil((kib * 1024) / 60) }, (_, index) => `src/module-${index}/${'n'.repeat(40)}.ts`);
  return { ref: 'refs/heads/main', head_commit: { id: 'abc123', modified: files }, commits: [] };
}

describe('limits, end to end', () => {
  it('11 independent jobs run (regression: the merge state name was longer than 80 characters)', async () => {
    const { status, report } = await local.finish(local.start('wide'));
    expect(status).toBe('SUCCEEDED');
    expect(report.jobs.map((job) => job.status)).toEqual(Array(11).fill('succeeded'));
  });

  it('13 parallel steps run and their records merge', async () => {
    const { status, report } = await local.finish(local.start('group'));
    expect(status).toBe('SUCCEEDED');
    expect(report.jobs[0]!.steps.map((step) => step.status)).toEqual(Array(14).fill('succeeded'));
  });

  it('a ~200 KiB push event goes through parallel jobs and parallel steps within 256 KiB', async () => {
    const event = pushEvent(200);
    expect(JSON.stringify(event).length).toBeGreaterThan(200 * 1024);
    const { status, report } = await local.finish(startWithEvent('pushed', event));
    expect(status).toBe('SUCCEEDED');
    expect(report.jobs.map((job) => [job.id, job.status])).toEqual([['a', 'succeeded'], ['b', 'succeeded'], ['c', 'succeeded']]);
  });

  it('an event over 256 KiB is refused at StartExecution with ValidationException, as in AWS (its input is over the limit)', () => {
    expect(() => startWithEvent('pushed', pushEvent(260))).toThrow(
      /^1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to 262144 \(it has [0-9]{6} bytes\)$/,
    );
  });
});
