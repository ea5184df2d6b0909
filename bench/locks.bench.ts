// Lock throughput and handoff latency on a real dynalite: 50 contenders on one group, capacity 1 and
// capacity 5, 10,000 acquisitions in all (STRESS_ROUNDS=n changes the rounds per contender).
// Run: npx tsx bench/locks.bench.ts

import '../lib/local/polyfills';
import { startTable } from '../test/runtime/coordination/support/dynalite-table';
import { percentile, runStress, type StressReport } from '../test/runtime/coordination/support/stress';

const CONTENDERS = 50;
const ROUNDS = Number(process.env.STRESS_ROUNDS ?? 100);

export async function benchLocks(): Promise<Record<string, StressReport>> {
  const reports: Record<string, StressReport> = {};
  for (const capacity of [1, 5]) {
    const table = await startTable();
    try {
      const report = await runStress(table, { group: `bench-${capacity}`, contenders: CONTENDERS, rounds: ROUNDS, capacity });
      reports[`capacity ${capacity}`] = report;
      console.log(
        [
          `locks capacity ${capacity}: ${report.acquisitions} acquisitions by ${CONTENDERS} contenders in ${(report.elapsedMs / 1000).toFixed(1)} s`,
          `  ${report.acquisitionsPerSecond.toFixed(0)} acquisitions/s`,
          `  handoff (release → next holder's SendTaskSuccess): p50 ${percentile(report.handoffMs, 50).toFixed(1)} ms, p99 ${percentile(report.handoffMs, 99).toFixed(1)} ms (${report.handoffMs.length} handoffs)`,
          `  ${report.writesPerAcquisition.toFixed(2)} DynamoDB writes per acquisition under contention, of which ${report.conflictsPerAcquisition.toFixed(2)} failed conditions; ${report.busyRetries} CoordinatorBusy retries`,
          `  invariant violations: ${report.violations.length}${report.violations.length ? ` (first: ${report.violations[0]})` : ''}`,
        ].join('\n'),
      );
    } finally {
      await table.close();
    }
  }
  return reports;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const reports = await benchLocks();
  if (Object.values(reports).some((r) => r.violations.length > 0)) process.exitCode = 1;
}
