// Semaphore throughput and handoff latency on a real dynalite: 50 contenders on one group at
// capacities 1, 5 and 20 (capacity N should never be slower than capacity 1), then one contender's
// uncontended acquire + release cycles beside raw conditional PutItem + DeleteItem cycles on the same
// dynalite: what the protocol costs over the least a lock can cost.
// Run: npx tsx bench/locks.bench.ts (BENCH_MODE=quick|tiny for fewer rounds; STRESS_ROUNDS=n overrides)

import '../lib/local/polyfills';
import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { acquire, release } from '../lib/runtime/coordination';
import { acquireOf, harness } from '../test/runtime/coordination/support/contenders';
import { startTable, type TestTable } from '../test/runtime/coordination/support/dynalite-table';
import { runStress, type StressReport } from '../test/runtime/coordination/support/stress';
import { sized } from './support/mode';
import { writeSection } from './support/sections';
import { percentile, round } from './support/stats';

// More contenders than the largest capacity, so that every capacity has handoffs.
const CONTENDERS = sized({ tiny: 40, quick: 50, full: 50 });
const ROUNDS = Number(process.env.STRESS_ROUNDS ?? sized({ tiny: 2, quick: 5, full: 100 }));
const CYCLES = sized({ tiny: 20, quick: 300, full: 2000 });

async function withTable<T>(run: (table: TestTable) => Promise<T>): Promise<T> {
  const table = await startTable();
  try {
    return await run(table);
  } finally {
    await table.close();
  }
}

/** Acquire + release by one holder, again and again, nobody else around (cycles/s). */
async function uncontendedCycles(table: TestTable): Promise<number> {
  const { deps } = harness(table, 'real');
  const started = performance.now();
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const command = acquireOf('alone', cycle, { leaseSeconds: 3600 });
    const { outcome } = await acquire(deps, command);
    if (outcome !== 'granted') throw new Error(`uncontended acquire ${cycle}: ${outcome}`);
    await release(deps, { group: 'alone', holder: command.holder });
  }
  return (CYCLES / (performance.now() - started)) * 1000;
}

/** The least a lock can cost: a conditional PutItem that takes it, a conditional DeleteItem that frees it. */
async function rawPutCycles(table: TestTable): Promise<number> {
  const key = { pk: { S: 'raw' }, sk: { S: 'lock' } };
  const started = performance.now();
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    await table.client.send(new PutItemCommand({ TableName: table.tableName, Item: { ...key, holder: { S: `h${cycle}` } }, ConditionExpression: 'attribute_not_exists(pk)' }));
    await table.client.send(new DeleteItemCommand({ TableName: table.tableName, Key: key, ConditionExpression: 'attribute_exists(pk)' }));
  }
  return (CYCLES / (performance.now() - started)) * 1000;
}

const reports: { capacity: number; report: StressReport }[] = [];
for (const capacity of [1, 5, 20]) {
  const report = await withTable((table) => runStress(table, { group: `bench-${capacity}`, contenders: CONTENDERS, rounds: ROUNDS, capacity }));
  reports.push({ capacity, report });
  console.log(
    [
      `locks capacity ${capacity}: ${report.acquisitions} acquisitions by ${CONTENDERS} contenders in ${(report.elapsedMs / 1000).toFixed(1)} s`,
      `  ${report.acquisitionsPerSecond.toFixed(0)} acquisitions/s`,
      `  handoff (release → next holder's SendTaskSuccess): p50 ${percentile(report.handoffMs, 50).toFixed(1)} ms, p99 ${percentile(report.handoffMs, 99).toFixed(1)} ms (${report.handoffMs.length} handoffs)`,
      `  ${report.writesPerAcquisition.toFixed(2)} DynamoDB writes per acquisition under contention, of which ${report.conflictsPerAcquisition.toFixed(2)} failed conditions; ${report.busyRetries} CoordinatorBusy retries`,
      `  invariant violations: ${report.violations.length}${report.violations.length ? ` (first: ${report.violations[0]})` : ''}`,
    ].join('\n'),
  );
}
const cycles = await withTable(uncontendedCycles);
const raw = await withTable(rawPutCycles);
console.log(`uncontended acquire + release: ${cycles.toFixed(0)} cycles/s; raw conditional PutItem + DeleteItem: ${raw.toFixed(0)} cycles/s → ${(cycles / raw).toFixed(2)}`);

writeSection(
  'semaphore',
  reports.map(({ capacity, report }) => ({
    capacity,
    acquisitions_per_s: round(report.acquisitionsPerSecond, 1),
    handoffs: report.handoffMs.length,
    handoff_p50_ms: round(percentile(report.handoffMs, 50), 1),
    handoff_p99_ms: round(percentile(report.handoffMs, 99), 1),
    writes_per_acquisition: round(report.writesPerAcquisition),
    conflicts_per_acquisition: round(report.conflictsPerAcquisition),
    violations: report.violations.length,
  })),
);
writeSection('uncontended', { cycles_per_s: round(cycles, 1), raw_put_cycles_per_s: round(raw, 1), ratio: round(cycles / raw, 3) });
if (reports.some(({ report }) => report.violations.length > 0)) process.exitCode = 1;
