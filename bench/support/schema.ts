// The shape of bench/results.json: what every bench run must write. checkResults lists what is
// missing or mistyped (empty: the file is complete); bench/run.ts and test/bench check with it.

type Check = (value: unknown, path: string, problems: string[]) => void;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const number: Check = (value, path, problems) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) problems.push(`${path}: expected a finite number, got ${JSON.stringify(value)}`);
};
const string: Check = (value, path, problems) => {
  if (typeof value !== 'string' || value === '') problems.push(`${path}: expected a non-empty string, got ${JSON.stringify(value)}`);
};
const boolean: Check = (value, path, problems) => {
  if (typeof value !== 'boolean') problems.push(`${path}: expected a boolean, got ${JSON.stringify(value)}`);
};
const object =
  (fields: Record<string, Check>): Check =>
  (value, path, problems) => {
    if (!isRecord(value)) {
      problems.push(`${path}: expected an object, got ${JSON.stringify(value)}`);
      return;
    }
    for (const [field, check] of Object.entries(fields)) check(value[field], `${path}.${field}`, problems);
  };
const list =
  (item: Check, least = 1): Check =>
  (value, path, problems) => {
    if (!Array.isArray(value) || value.length < least) {
      problems.push(`${path}: expected a list of at least ${least}, got ${JSON.stringify(value)}`);
      return;
    }
    value.forEach((entry, index) => item(entry, `${path}[${index}]`, problems));
  };
/** Either a measured plan (time, RSS) or the located reason it was refused. */
const planned: Check = (value, path, problems) => {
  if (isRecord(value) && typeof value.rejected === 'string') return;
  object({ ms: number, rss_mb: number, definition_bytes: number })(value, path, problems);
};
const waits = object({ '1m': number, '10m': number, '60m': number });
/** A capacity's row; its handoff figure exists only when waiters were handed a slot (a tiny run may have none). */
const semaphoreRow: Check = (value, path, problems) => {
  object({ capacity: number, acquisitions_per_s: number, handoffs: number })(value, path, problems);
  if (isRecord(value) && typeof value.handoffs === 'number' && value.handoffs > 0) number(value.handoff_p99_ms, `${path}.handoff_p99_ms`, problems);
};

const results = object({
  mode: string,
  machine: object({ cpus: number, cpu_model: string, memory_gb: number, node: string, platform: string }),
  elapsed_s: number,
  makespan: list(object({ workflow: string, measured_s: number, bound_s: number, staged_s: number, ratio: number })),
  transitions: object({
    rows: list(object({ workflow: string, window: boolean, per_execution: number, per_cell: number, per_step: number }), 2),
    window_extra_per_step: number,
  }),
  lock: object({
    handoff_p50_ms: number,
    handoff_p99_ms: number,
    sample_handoff_p50_ms: number,
    sample_handoff_p99_ms: number,
    transitions_waiting: waits,
    sample_transitions_waiting: waits,
  }),
  semaphore: list(semaphoreRow, 3),
  uncontended: object({ cycles_per_s: number, raw_put_cycles_per_s: number, ratio: number }),
  startup: object({ node_ms: number }),
  validate: object({ kb: number, half_ms: number, full_ms: number, ratio: number }),
  definition: list(object({ workflow: string, jobs: number, bytes: number, bytes_per_job: number })),
  plan: object({ dag_1000: planned, matrix_10000: planned }),
  local_run: object({ first_step_ms: number, peak_rss_mb: number }),
  runner: object({ step_gap_median_ms: number }),
});

export function checkResults(value: unknown): string[] {
  const problems: string[] = [];
  results(value, 'results', problems);
  // Semaphore rows: the capacities the issue names, in order.
  if (isRecord(value) && Array.isArray(value.semaphore)) {
    const capacities = value.semaphore.map((row) => (isRecord(row) ? row.capacity : undefined));
    if (capacities.join() !== '1,5,20') problems.push(`results.semaphore: capacities ${capacities.join(', ')}, expected 1, 5, 20`);
  }
  if (isRecord(value) && isRecord(value.startup) && !Object.keys(value.startup).some((key) => key.endsWith('_validate_ms'))) {
    problems.push('results.startup: no validate time (no stepdeploy bin was timed)');
  }
  return problems;
}
