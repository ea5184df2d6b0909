// Seeded fault races (issue 11): random start / stop / acquire / release / crash through the
// coordination runtime and the local Step Functions API. Counts, not timings: 0 ghosts, 0 stuck runs,
// 0 overlaps, nothing left in the table. A failure prints its seed; RACE_SEED replays it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTable, type TestTable } from './support/dynalite-table';
import { runRaces } from './support/races';

let table: TestTable;
beforeAll(async () => {
  table = await startTable();
});
afterAll(async () => {
  await table.close();
});

const SEED = Number(process.env.RACE_SEED ?? 20261201);
const RUNS = Number(process.env.RACE_RUNS ?? 1000);

describe('seeded fault races', () => {
  it(`${RUNS} runs with stops, crashes and dying coordinators leave no ghost and no stuck run (seed ${SEED})`, { timeout: 1_200_000 }, async () => {
    const report = await runRaces(table, {
      seed: SEED,
      runs: RUNS,
      concurrency: 24,
      groups: [
        { name: 'races-a', capacity: 1 },
        { name: 'races-b', capacity: 1 },
        { name: 'races-c', capacity: 2 },
        { name: 'RACES-A', capacity: 1 }, // the same group as races-a
      ],
    });
    console.log(
      `seed ${SEED}: ${report.runs} runs (${Object.entries(report.faults).map(([k, v]) => `${k} ${v}`).join(', ')}), ` +
        `${report.grants} grants, ${report.sweeps} sweeps, ${report.ghosts.length} ghosts, ${report.stuck.length} stuck, ` +
        `${report.overlaps.length} overlaps, ${report.leftovers.length} leftover items (+${report.crashedIndexItems} index items of crashed runs), ${(report.elapsedMs / 1000).toFixed(1)} s`,
    );
    expect(report.ghosts).toEqual([]);
    expect(report.stuck).toEqual([]);
    expect(report.overlaps).toEqual([]);
    expect(report.leftovers).toEqual([]);
    // The faults really raced: every kind happened, and many runs were granted.
    for (const count of Object.values(report.faults)) expect(count).toBeGreaterThan(RUNS / 20);
    expect(report.grants).toBeGreaterThan(RUNS / 3);
  });
});
