// A job of a called workflow (lib/model/reusable/inline.ts) runs only inside calls that run, and its
// status functions see only its own workflow's jobs; a call's result is what GitHub gives the
// caller's dependents.
import { describe, expect, it } from 'vitest';
import { evaluateOp } from '../../../lib/runtime/evaluate';
import type { CellData, JobResult } from '../../../lib/runtime/evaluate/data';
import { withLookups } from '../../../lib/runtime/evaluate/with-lookups';

const execution = { Id: 'arn:aws:states:us-east-1:000000000000:execution:stepdeploy-demo:run-1', Name: 'run-1', StartTime: '2026-11-21T10:00:00.000Z' };
const { run } = evaluateOp({ op: 'run.start', workflow: { id: 'demo', name: 'demo' }, inputs: [], env: { CALLER: 'x' }, input: { inputs: {} }, execution } as never) as { run: CellData['run'] };

const record = (result: JobResult['result'], outputs: Record<string, unknown> = {}, upstream: JobResult['upstream'] = 'success'): JobResult => ({ result, outputs, upstream });
const cell = (needs: Record<string, JobResult>): CellData => ({ run, needs, steps: {} });

function start(needs: Record<string, JobResult>, extra: Record<string, unknown>) {
  return evaluateOp({ op: 'job.start', job: '__call__second', env: { OWN: 'y' }, context: cell(needs), ...extra } as never) as { run: boolean; upstream: string; env: Record<string, string> };
}

describe('job.start of a called job', () => {
  const gate = { needs: ['setup'], if: "needs.setup.outputs.go == 'yes'" };

  it("skips it when the call does not run: the caller's need failed, or its if: is false, whatever the job's own if", () => {
    const event = { needs: ['setup', '__call__first'], gates: [gate], if: 'always()' };
    expect(start({ setup: record('failure'), __call__first: record('skipped') }, event)).toMatchObject({ run: false, upstream: 'failure' });
    expect(start({ setup: record('success', { go: 'no' }), __call__first: record('skipped') }, event)).toMatchObject({ run: false, upstream: 'success' });
  });

  it("decides its own if: over its own workflow's jobs only", () => {
    const failed = { setup: record('success', { go: 'yes' }), __call__first: record('failure') };
    expect(start(failed, { needs: ['setup', '__call__first'], gates: [gate] })).toMatchObject({ run: false, upstream: 'failure' });
    expect(start(failed, { needs: ['setup', '__call__first'], gates: [gate], if: 'failure()' })).toMatchObject({ run: true });
    // A root job of the call: no needs of its own, so success() holds once the call runs.
    expect(start({ setup: record('success', { go: 'yes' }, 'failure') }, { needs: ['setup'], gates: [{ needs: ['setup'], if: 'always()' }] })).toMatchObject({ run: true, upstream: 'success' });
  });

  it("starts from its own env, not the caller's workflow env", () => {
    expect(start({ setup: record('success', { go: 'yes' }) }, { needs: ['setup'], gates: [gate] }).env).toEqual({ OWN: 'y' });
    expect(start({ setup: record('success') }, { job: 'plain', needs: ['setup'] }).env).toEqual({ CALLER: 'x', OWN: 'y' });
  });
});

describe('call.finish', () => {
  const finish = (needs: Record<string, JobResult>, extra: Record<string, unknown> = {}) =>
    evaluateOp({
      op: 'call.finish',
      job: 'call',
      needs: ['setup', '__call_0__a', '__call_1__a'],
      jobs: ['__call_0__a', '__call_1__a'],
      cells: [{ needs: ['setup'] }, { needs: ['setup'] }],
      outputs: JSON.stringify([{ out: '${{ needs.__call_0__a.outputs.v }}' }, { out: '${{ needs.__call_1__a.outputs.v }}' }]),
      context: { run, needs },
      ...extra,
    } as never) as JobResult;

  it('succeeds when the called jobs did, each output the last cell’s non-empty value', () => {
    expect(finish({ setup: record('success'), __call_0__a: record('success', { v: 'zero' }), __call_1__a: record('success', { v: 'one' }) })).toEqual(record('success', { out: 'one' }));
    expect(finish({ setup: record('success'), __call_0__a: record('success', { v: 'zero' }), __call_1__a: record('skipped') })).toEqual(record('success', { out: 'zero' }));
  });

  it('fails when a called job failed (failure outweighs cancelled), with that upstream', () => {
    expect(finish({ setup: record('success'), __call_0__a: record('cancelled'), __call_1__a: record('failure') })).toMatchObject({ result: 'failure', upstream: 'failure' });
    expect(finish({ setup: record('success'), __call_0__a: record('cancelled'), __call_1__a: record('success') })).toMatchObject({ result: 'cancelled', upstream: 'cancelled' });
  });

  it('is skipped when the call did not run, or a call around it did not', () => {
    expect(finish({ setup: record('failure'), __call_0__a: record('skipped'), __call_1__a: record('skipped') })).toEqual(record('skipped', {}));
    const outer = { gates: [{ needs: ['setup'], if: "needs.setup.outputs.go == 'yes'" }] };
    expect(finish({ setup: record('success', { go: 'no' }), __call_0__a: record('skipped'), __call_1__a: record('skipped') }, outer)).toEqual(record('skipped', {}));
  });
});

describe('call.finish with vars', () => {
  it("fetches the vars the calling job's if: reads, as a job start does", async () => {
    const stores = { parameters: async (names: readonly string[]) => new Map(names.filter((name) => name === 'p/GO').map((name) => [name, 'yes'])), secretExists: async () => false } as never;
    const event = {
      op: 'call.finish',
      job: 'call',
      needs: ['__call__a'],
      jobs: ['__call__a'],
      cells: [{ needs: [], if: "vars.GO == 'yes'" }],
      outputs: JSON.stringify([{ go: '${{ vars.GO }}' }]),
      vars: { names: ['GO'], prefix: 'p' },
      context: { run, needs: { __call__a: record('skipped') } },
    } as never;
    expect(evaluateOp(await withLookups(event, stores))).toEqual(record('success', { go: 'yes' }));
    expect(evaluateOp(event)).toEqual(record('skipped', {}));
  });
});
