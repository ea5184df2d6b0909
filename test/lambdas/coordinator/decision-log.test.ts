// A lock's history in CloudWatch Logs: the coordinator and the status-change handler write one JSON
// line per decision through Powertools Logger, keyed by op, group, holder, execution ARN and decision.
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHandler as coordinator } from '../../../lambdas/coordinator/handler';
import { createHandler as statusChange } from '../../../lambdas/status-change/handler';
import { arn, harness } from '../../runtime/coordination/support/contenders';
import { startTable, type TestTable } from '../../runtime/coordination/support/dynalite-table';

let table: TestTable;
beforeAll(async () => {
  table = await startTable();
});
afterAll(async () => {
  await table.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** The JSON lines Powertools writes to stdout while `work` runs. */
async function logLines(work: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = String(chunk);
    if (text.startsWith('{')) {
      lines.push(...text.trim().split('\n'));
      return true;
    }
    return write(chunk, ...(rest as []));
  });
  await work();
  vi.restoreAllMocks();
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('decision logs', () => {
  it('records acquire, queue, release and the handoff with the group, the holders and the decision', async () => {
    const h = harness(table);
    const handle = coordinator({ ...h.deps, log: new Logger({ serviceName: 'stepdeploy-coordinator' }) });
    const acquire = { op: 'acquire', group: 'Prod', holder: arn('a'), executionArn: arn('a'), capacity: 1, queue: 'max', cancelInProgress: false, taskToken: 'token-l-a', leaseSeconds: 900 };
    const lines = await logLines(async () => {
      await handle(acquire);
      await handle({ ...acquire, holder: arn('b'), executionArn: arn('b'), taskToken: 'token-l-b' });
      await handle({ op: 'release', group: 'Prod', holder: arn('a') });
    });
    expect(lines.map((line) => [line['message'], line['decision']])).toEqual([
      ['coordinator acquire', 'granted'],
      ['coordinator acquire', 'queued'],
      ['coordinator release', 'released'],
    ]);
    expect(lines[1]).toMatchObject({
      level: 'INFO',
      service: 'stepdeploy-coordinator',
      op: 'acquire',
      group: 'Prod',
      holder: arn('b'),
      executionArn: arn('b'),
      capacity: 1,
      queue: 'max',
      cancelInProgress: false,
      decision: 'queued',
      position: 1,
      ahead: [],
    });
    expect(lines[2]).toMatchObject({ op: 'release', group: 'Prod', holder: arn('a'), executionArn: arn('a'), decision: 'released', granted: [arn('b')] });
    // Task tokens are capabilities: they stay out of the logs.
    expect(JSON.stringify(lines)).not.toContain('token-l-');
  });

  it('records what an ended execution released', async () => {
    const h = harness(table);
    const handle = coordinator(h.deps);
    await handle({ op: 'acquire', group: 'ended', holder: arn('x'), executionArn: arn('x'), taskToken: 'token-e-x', leaseSeconds: 900 });
    const ended = statusChange({ ...h.deps, log: new Logger({ serviceName: 'stepdeploy-status-change' }) });
    const event = {
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      detail: { executionArn: arn('x'), stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:StepDeploy_demo', status: 'ABORTED' },
    };
    const [line] = await logLines(() => ended(event));
    expect(line).toMatchObject({
      service: 'stepdeploy-status-change',
      message: 'execution ended',
      op: 'execution.ended',
      executionArn: arn('x'),
      status: 'ABORTED',
      decision: 'released',
      groups: [{ group: 'ended', released: 1, dropped: 0, granted: [] }],
    });
  });

  it('writes nothing without a logger (the local engine passes none)', async () => {
    const h = harness(table);
    const handle = coordinator(h.deps);
    const lines = await logLines(() => handle({ op: 'acquire', group: 'quiet', holder: arn('q'), executionArn: arn('q'), taskToken: 'token-q', leaseSeconds: 60 }));
    expect(lines).toEqual([]);
  });
});
