// Nearest-rank statistics over measured samples.

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/** Rounded for the JSON: figures carry no false precision. */
export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/** `count` hold times (s) spread evenly over 1.5 … `most` so every run holds the same. */
export function seededHolds(count: number, most: number): number[] {
  const holds = Array.from({ length: count }, (_, index) => (count === 1 ? most : 1.5 + ((most - 1.5) * index) / (count - 1)));
  return holds.map((hold) => Number(hold.toFixed(1)));
}
