// The order a matrix job's Map starts its cells in, when it runs fewer at once than it has: the cells
// that took longest in earlier runs first (lib/runtime/durations/cell-durations.ts), so that the
// longest cell never starts last and keeps the job running alone. Cells with no recorded time (the
// first run, a new cell) start first, in written order; the rest by recorded seconds, longest first,
// ties in written order. Each item keeps its written index: the cell's identity (`$.cell`: runner id,
// lock holder, log names) and its place in the job's results do not depend on the order.

export interface JobOrderEvent {
  readonly op: 'job.order';
  readonly job: string;
  /** The run's execution ARN: the durations are the state machine's. */
  readonly run: string;
  readonly cells: readonly unknown[];
  /** Seconds by cell index, read before evaluation (with-lookups.ts). */
  readonly durations?: Readonly<Record<string, number>>;
}

export interface OrderedCell {
  readonly cell: number;
  readonly matrix: unknown;
}

export function jobOrder(event: JobOrderEvent): { items: OrderedCell[] } {
  const durations = event.durations ?? {};
  const expected = (index: number): number => durations[String(index)] ?? Number.POSITIVE_INFINITY;
  const items = event.cells.map((matrix, cell) => ({ cell, matrix }));
  // Array.prototype.sort is stable: equal expectations keep their written order.
  items.sort((a, b) => (expected(a.cell) === expected(b.cell) ? 0 : expected(b.cell) > expected(a.cell) ? 1 : -1));
  return { items };
}
