import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocksCommand, formatDuration } from '../../lib/cli/locks';
import type { CliIo } from '../../lib/cli/io';
import { acquire } from '../../lib/runtime/coordination';
import { startTable, type TestTable } from '../runtime/coordination/support/dynalite-table';
import { T0, acquireOf, arn, harness } from '../runtime/coordination/support/contenders';

let table: TestTable;
beforeAll(async () => {
  table = await startTable('stepdeploy-runtime');
});
afterAll(async () => {
  await table.close();
});

function capture(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, cwd: '/', env };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('stepdeploy locks', () => {
  it('says so when nothing is held', async () => {
    const c = capture();
    expect(await createLocksCommand()(['--endpoint', table.endpoint, '--table', table.tableName], c.io)).toBe(0);
    expect(c.out()).toBe('No concurrency group is held or waited on.\n');
  });

  it('lists each group with its holders (lease) and waiters (position) from a Scan of dynalite', async () => {
    const h = harness(table);
    await acquire(h.deps, acquireOf('Deploy-Prod', 'a', { leaseSeconds: 600 }));
    h.clock.now += 30_000;
    await acquire(h.deps, acquireOf('deploy-prod', 'b', { queue: 'max' }));
    h.clock.now += 15_000;
    await acquire(h.deps, acquireOf('deploy-prod', 'c', { queue: 'max' }));
    await acquire(h.deps, acquireOf('audit', 'd', { leaseSeconds: 30 }));
    const now = T0 + 5 * 60_000;
    const c = capture({ STEPDEPLOY_TABLE: table.tableName });
    expect(await createLocksCommand({ now: () => now })(['--endpoint', table.endpoint], c.io)).toBe(0);
    const iso = (t: number) => new Date(t).toISOString();
    expect(c.out()).toBe(
      [
        'audit  capacity 1, 1 holding, 0 waiting',
        `  holding    ${arn('d')}  since ${iso(T0 + 45_000)} (4m 15s ago)  lease expired 3m 45s ago (reclaimable)`,
        'Deploy-Prod  capacity 1, 1 holding, 2 waiting',
        `  holding    ${arn('a')}  since ${iso(T0)} (5m 0s ago)  lease expires in 5m 0s`,
        `  waiting  1 ${arn('b')}  since ${iso(T0 + 30_000)} (4m 30s ago)`,
        `  waiting  2 ${arn('c')}  since ${iso(T0 + 45_000)} (4m 15s ago)`,
        '',
      ].join('\n'),
    );
  });

  it('names a missing table', async () => {
    const c = capture();
    expect(await createLocksCommand()(['--endpoint', table.endpoint, '--table', 'nope'], c.io)).toBe(1);
    expect(c.err()).toBe(`stepdeploy locks: table 'nope' not found at ${table.endpoint}\n`);
  });

  it('asks for a table when none is given', async () => {
    const c = capture();
    expect(await createLocksCommand()(['--endpoint', table.endpoint], c.io)).toBe(2);
    expect(c.err()).toMatch(/^stepdeploy locks: no table given: pass --table NAME or set STEPDEPLOY_TABLE\nUsage: stepdeploy locks/);
  });

  it('rejects an unknown option', async () => {
    const c = capture();
    expect(await createLocksCommand()(['--tabel', 'x'], c.io)).toBe(2);
    expect(c.err()).toMatch(/^stepdeploy locks: Unknown option '--tabel'/);
  });
});

describe('formatDuration', () => {
  it('reads at a glance', () => {
    expect([12_500, 240_000, 3_720_000].map(formatDuration)).toEqual(['12s', '4m 0s', '1h 2m']);
  });
});
