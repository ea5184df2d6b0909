import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTable, type TestTable } from './support/dynalite-table';
import { percentile, runStress } from './support/stress';

let table: TestTable;
beforeAll(async () => {
  table = await startTable();
});
afterAll(async () => {
  await table.close();
});

const CONTENDERS = 50;
const ROUNDS = Number(process.env.STRESS_ROUNDS ?? 10);

describe('50 concurrent contenders on one group', () => {
  for (const capacity of [1, 3]) {
    // Counts only: no time is asserted, and the timeout is generous so that a loaded machine cannot fail it.
    it(`never has more than ${capacity} holder(s) and grants waiters FIFO`, { timeout: 600_000 }, async () => {
      const report = await runStress(table, { group: `stress-${capacity}`, contenders: CONTENDERS, rounds: ROUNDS, capacity });
      console.log(
        `capacity ${capacity}: ${report.acquisitions} acquisitions in ${report.elapsedMs.toFixed(0)} ms ` +
          `(${report.acquisitionsPerSecond.toFixed(0)}/s), handoff p50 ${percentile(report.handoffMs, 50).toFixed(1)} ms ` +
          `p99 ${percentile(report.handoffMs, 99).toFixed(1)} ms, ${report.writesPerAcquisition.toFixed(2)} writes/acquisition ` +
          `(${report.conflictsPerAcquisition.toFixed(2)} conflicts, ${report.busyRetries} CoordinatorBusy retries)`,
      );
      expect(report.violations).toEqual([]);
      expect(report.maxHoldersSeen).toBeLessThanOrEqual(capacity);
      expect(report.transitionsChecked).toBeGreaterThanOrEqual(report.acquisitions);
    });
  }
});
