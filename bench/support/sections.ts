// Each bench process writes its part of results.json as `<section>.json` into the directory that
// bench/run.ts names in BENCH_SECTIONS; run.ts merges them. Run on its own, a bench only prints.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeSection(name: string, value: unknown): void {
  const dir = process.env.BENCH_SECTIONS;
  if (dir === undefined) return;
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(value, null, 2)}\n`);
}
