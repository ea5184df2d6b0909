import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquire, release, windowGroup } from '../../../lib/runtime/coordination';
import { startTable, type TestTable } from './support/dynalite-table';
import { acquireOf, arn, harness } from './support/contenders';
import { countingClient } from './support/write-counter';

let table: TestTable;
beforeAll(async () => {
  table = await startTable();
});
afterAll(async () => {
  await table.close();
});

/** Writes made by `run` (no contention: every conditional write succeeds first time). */
async function writesOf(run: (deps: ReturnType<typeof harness>['deps']) => Promise<unknown>): Promise<number> {
  const counting = countingClient(table.endpoint);
  const h = harness(table);
  await run({ ...h.deps, dynamodb: counting.client });
  counting.client.destroy();
  return counting.writes();
}

describe('DynamoDB writes per operation', () => {
  it('an acquisition granted at once costs 2 writes (execution index, group); its release 1', async () => {
    expect(await writesOf((deps) => acquire(deps, acquireOf('cost-free', 'a')))).toBe(2);
    expect(await writesOf((deps) => release(deps, { group: 'cost-free', holder: arn('a') }))).toBe(1);
  });

  it('a window acquisition needs no index: 1 write', async () => {
    const group = windowGroup(arn('w'));
    expect(await writesOf((deps) => acquire(deps, acquireOf(group, 'w', { window: true, holder: `${arn('w')}#job#0`, capacity: 2 })))).toBe(1);
  });

  it('an acquisition that waits costs 3 writes to park (index, token, queue append) and 1 more when woken (token delete)', async () => {
    const h = harness(table);
    await acquire(h.deps, acquireOf('cost-wait', 'a'));
    expect(await writesOf((deps) => acquire(deps, acquireOf('cost-wait', 'b')))).toBe(3);
    // The release's one group write grants b; waking b deletes its token.
    expect(await writesOf((deps) => release(deps, { group: 'cost-wait', holder: arn('a') }))).toBe(2);
  });
});
