// Nearest-rank statistics over measured samples.

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/** Rounded for the JSON: figures carry no false precision. */
export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/**
 * `count` hold times in whole seconds (a Wait state takes whole seconds) spread over 2 … `most`, none
 * on one of the sample's attempt offsets, so that each lands inside a backoff interval.
 */
export function seededHolds(count: number, most: number, offsets: readonly number[]): number[] {
  const candidates = Array.from({ length: Math.max(0, most - 1) }, (_, index) => index + 2).filter((hold) => !offsets.includes(hold));
  if (candidates.length === 0) return [];
  return Array.from({ length: count }, (_, index) => candidates[Math.round(count === 1 ? candidates.length - 1 : (index * (candidates.length - 1)) / (count - 1))]!);
}
