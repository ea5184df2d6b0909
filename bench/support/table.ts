// The one table a bench run prints (and the README carries): each figure beside its target.
// Targets are issue 16's; they live here, never in tests.

type Results = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the merged JSON of every section

const fixed = (value: number | null | undefined, digits = 2): string => (typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '—');
const verdict = (met: boolean | undefined): string => (met === undefined ? '' : met ? 'met' : 'missed');

export function formatTable(results: Results): string {
  const rows: [string, string, string, string][] = [];
  const add = (what: string, value: string, target = '', met?: boolean) => rows.push([what, value, target, verdict(met)]);

  for (const row of results.makespan ?? []) {
    const cpu = row.cpu_s === undefined ? '' : `; CPU ${fixed(row.cpu_s, 1)} s ÷ ${row.cores} cores → ${fixed(row.cpu_bound_ratio)}× max(bound, CPU ÷ cores)`;
    add(`makespan ${row.workflow}`, `${fixed(row.measured_s)} s; bound ${fixed(row.bound_s)} s → ${fixed(row.ratio)}×; staged ${fixed(row.staged_s)} s → ${fixed(row.staged_ratio)}×${cpu}`, '≤ 1.05× bound', row.ratio <= 1.05);
  }
  const lock = results.lock;
  if (lock) {
    add('lock handoff p50 / p99', `${fixed(lock.handoff_p50_ms, 0)} / ${fixed(lock.handoff_p99_ms, 0)} ms (${lock.handoffs} handoffs)`, 'p99 ≤ 50 ms, < sample p50', lock.handoff_p99_ms <= 50 && lock.handoff_p99_ms < lock.sample_handoff_p50_ms);
    add("AWS sample handoff p50 / p99", `${fixed(lock.sample_handoff_p50_ms, 0)} / ${fixed(lock.sample_handoff_p99_ms, 0)} ms (${lock.sample_handoffs} handoffs)`);
    const waits = (value: Record<string, number>) => ['1m', '10m', '60m'].map((key) => value[key]).join(' / ');
    add('transitions waiting 1 / 10 / 60 min', `ours ${waits(lock.transitions_waiting)}; sample ${waits(lock.sample_transitions_waiting)}`);
  }
  const capacityOne = results.semaphore?.[0]?.acquisitions_per_s;
  for (const row of results.semaphore ?? []) {
    add(`semaphore capacity ${row.capacity}`, `${fixed(row.acquisitions_per_s, 0)} acq/s, handoff p99 ${fixed(row.handoff_p99_ms, 0)} ms`, row.capacity === 1 ? '' : '≥ capacity 1', row.capacity === 1 ? undefined : row.acquisitions_per_s >= capacityOne);
  }
  const alone = results.uncontended;
  if (alone) add('uncontended acquire+release ÷ raw PutItem+DeleteItem', `${fixed(alone.cycles_per_s, 0)} ÷ ${fixed(alone.raw_put_cycles_per_s, 0)} cycles/s = ${fixed(alone.ratio)}`);
  for (const row of results.transitions?.rows ?? []) {
    add(`transitions ${row.window ? 'with' : 'without'} window`, `${row.per_execution} per execution, ${row.per_cell} per cell, ${row.per_step} per step`);
  }
  if (results.transitions) add('window: extra transitions per step', fixed(results.transitions.window_extra_per_step), '≤ 1', results.transitions.window_extra_per_step <= 1);
  const startup = results.startup ?? {};
  for (const kind of ['package', 'checkout']) {
    if (startup[`${kind}_validate_ms`] === undefined) continue;
    const timed = ['validate', 'plan', 'run'].filter((command) => startup[`${kind}_${command}_ms`] !== undefined);
    const runOk = startup[`${kind}_run_ms`] === undefined || startup[`${kind}_run_ms`] <= 1200;
    add(`start-up (${kind} bin): ${timed.join(' / ')}`, `${timed.map((command) => startup[`${kind}_${command}_ms`]).join(' / ')} ms (node -e 0: ${startup.node_ms} ms)`, 'validate ≤ 4× node, run ≤ 1200 ms', startup[`${kind}_validate_ms`] <= 4 * startup.node_ms && runOk);
  }
  const validate = results.validate;
  if (validate) {
    const oneMb = validate.kb === 1024;
    add(`validate (load, CPU) ${validate.kb / 2} KB / ${validate.kb} KB`, `${fixed(validate.half_ms, 0)} / ${fixed(validate.full_ms, 0)} ms (ratio ${fixed(validate.ratio)}, linear ~2)`, oneMb ? '1 MB ≤ 1000 ms' : '', oneMb ? validate.full_ms <= 1000 : undefined);
    // What `stepdeploy validate` does: load, plan and the Step Functions limits.
    const whole = validate.compile;
    if (whole) add(`validate (load + limits, CPU) ${validate.kb / 2} KB / ${validate.kb} KB`, `${fixed(whole.half_ms, 0)} / ${fixed(whole.full_ms, 0)} ms (ratio ${fixed(whole.ratio)}, linear ~2)`, oneMb ? '1 MB ≤ 1000 ms' : '', oneMb ? whole.full_ms <= 1000 : undefined);
  }
  for (const row of results.definition ?? []) add(`definition ${row.workflow}`, `${row.bytes} bytes, ${row.bytes_per_job} per job`);
  for (const [name, plan] of Object.entries<Record<string, any>>(results.plan ?? {})) { // eslint-disable-line @typescript-eslint/no-explicit-any
    const size = plan.jobs !== undefined ? `${plan.jobs} jobs` : `${plan.cells} cells`;
    add(`plan ${name} (${size})`, plan.rejected ? `rejected: ${plan.rejected}` : `${fixed(plan.ms, 0)} ms, ${fixed(plan.rss_mb, 0)} MB RSS, ${plan.definition_bytes} definition bytes${plan.problems?.length ? ` (${plan.problems.length} limit problems)` : ''}`);
  }
  const local = results.local_run;
  if (local) {
    add('local run: start → first step', `${local.first_step_ms} ms`);
    add(`local run: ${local.fanout.cells} cells × ${local.fanout.steps} × ${local.fanout.step_s} s, mp ${local.fanout.max_parallel}`, `${local.fanout.wall_ms} ms vs ideal ${local.fanout.ideal_ms} ms → ${fixed(local.fanout.ratio)}×; peak RSS ${fixed(local.peak_rss_mb, 0)} MB`);
    if (local.noop) add(`local run: ${local.noop.cells}-cell no-op matrix, mp ${local.noop.max_parallel}`, `${local.noop.wall_s} s, ${local.noop.overhead_ms_per_cell} ms engine overhead per cell, peak RSS ${local.noop.peak_rss_mb} MB`);
  }
  if (results.runner) add('runner: step → step gap (median)', `${results.runner.step_gap_median_ms} ms`);

  const header: [string, string, string, string] = ['figure', 'measured', 'target', ''];
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  return [header, ['---', '---', '---', '---'], ...rows].map((row) => `| ${row.map(escape).join(' | ')} |`).join('\n');
}
