// How big a bench run is: `full` (npm run bench), `quick` (--quick, ≤ 3 minutes on 2 cores) or `tiny`
// (--tiny: every section at its smallest, for the harness's own test). bench/run.ts passes it on.
export type BenchMode = 'full' | 'quick' | 'tiny';

export const benchMode: BenchMode = ((): BenchMode => {
  const value = process.env.BENCH_MODE ?? 'full';
  if (value !== 'full' && value !== 'quick' && value !== 'tiny') throw new Error(`BENCH_MODE '${value}': expected full, quick or tiny`);
  return value;
})();

/** The size of something for the current mode. */
export const sized = <T>(sizes: Readonly<Record<BenchMode, T>>): T => sizes[benchMode];
