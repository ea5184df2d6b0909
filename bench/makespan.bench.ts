// Makespan next to what is physically possible: each suite workflow's measured wall time (execution
// start → end, engine and runner start-up included) beside its lower bound max(critical path, work ÷
// window) and beside a staged schedule (stages one after another, as act and CodePipeline run them).
// The same engine also counts state transitions per execution, cell and step, with and without the
// workflow window. Each workflow runs once before it is measured (the durations its cells recorded
// order the next run's matrix cells). Run: npx tsx bench/makespan.bench.ts (BENCH_MODE=quick|tiny for smaller suites)
import '../lib/local/polyfills';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalWorkflows } from '../test/e2e/local-run';
import { billedTransitions } from './support/history-counts';
import { processTreeCpuSeconds } from './support/process-cpu';
import { benchMode, sized } from './support/mode';
import { writeSection } from './support/sections';
import { round } from './support/stats';
import { cellCount, lowerBound, randomDag, renderYaml, stagedSeconds, stepCount, wideMatrix, type SuiteWorkflow } from './support/suite';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const nShape: SuiteWorkflow = {
  name: 'n-shape',
  jobs: [
    { id: 'a', needs: [], cells: [[[3]]] },
    { id: 'b', needs: [], cells: [[[1]]] },
    { id: 'c', needs: ['a', 'b'], cells: [[[1]]] },
    { id: 'd', needs: ['b'], cells: [[[3]]] },
  ],
};

/** A workflow window over jobs of several steps of mixed durations. */
const windowed = (name: string, window: number, jobs: number, steps: readonly number[]): SuiteWorkflow => ({
  name,
  window,
  jobs: Array.from({ length: jobs }, (_, index) => ({ id: `w${index}`, needs: [], cells: [steps.map((_, step) => [steps[(step + index) % steps.length]!])] })),
});

/** A job whose steps start in pairs (`parallel: true`), after a first step. */
const parallelSteps: SuiteWorkflow = {
  name: 'parallel-steps',
  jobs: [
    { id: 'build', needs: [], cells: [[[0.5]]] },
    { id: 'deploy', needs: ['build'], cells: [[[0.3], [1, 0.6, 0.3], [0.5, 0.5]]] },
  ],
};

/** The same cells and steps, with and without a workflow window: what the window costs in transitions. */
const windowPair = (cells: number, steps: number): [SuiteWorkflow, SuiteWorkflow] => {
  const job = { id: 'deploy', needs: [], cells: Array.from({ length: cells }, () => Array.from({ length: steps }, () => [0.3])) };
  return [
    { name: 'no-window', jobs: [job] },
    { name: 'window', window: cells, jobs: [job] },
  ];
};

const suite: SuiteWorkflow[] = sized({
  tiny: [randomDag('dag-3', 3, 3, [0.3])],
  quick: [
    nShape,
    randomDag('dag-8', 1, 8, [0.3, 0.6, 1.2]),
    wideMatrix('matrix-12-mp4', 12, 4, [0.3, 1.2, 0.6]),
    windowed('window-3', 3, 4, [0.3, 0.9, 0.5]),
    parallelSteps,
  ],
  full: [
    nShape,
    randomDag('dag-5', 5, 5, [0.3, 1, 2]),
    randomDag('dag-20', 20, 20, [0.3, 0.6, 1.2, 2]),
    randomDag('dag-50', 50, 50, [0.3, 0.6, 1.2, 2]),
    wideMatrix('matrix-40-mp10', 40, 10, [0.3, 2, 0.6, 1.2]),
    wideMatrix('matrix-20-mp5', 20, 5, [0.3, 0.3, 0.3, 3]),
    windowed('window-3', 3, 5, [0.3, 1.2, 0.6, 0.9]),
    parallelSteps,
  ],
});
const pair = windowPair(sized({ tiny: 2, quick: 4, full: 6 }), sized({ tiny: 1, quick: 3, full: 3 }));

const dir = await mkdtemp(join(tmpdir(), 'stepdeploy-bench-makespan-'));
const files: string[] = [];
for (const workflow of [...suite, ...pair]) {
  const file = join(dir, `${workflow.name}.yml`);
  await writeFile(file, renderYaml(workflow));
  files.push(file);
}
const local = await startLocalWorkflows(files);

async function run(workflow: SuiteWorkflow, countCpu = false) {
  const cpuBefore = processTreeCpuSeconds();
  const { status, report, history } = await local.finish(local.start(workflow.name));
  if (status !== 'SUCCEEDED') throw new Error(`${workflow.name} ended ${status}`);
  // The last runners are given 300 ms to exit: a child's CPU counts only once it has been waited for.
  if (countCpu) await new Promise((resolve) => setTimeout(resolve, 300));
  const cpuAfter = processTreeCpuSeconds();
  const cpu = !countCpu || cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
  return { seconds: (Date.parse(report.endedAt) - Date.parse(report.startedAt)) / 1000, transitions: billedTransitions(history), cpu };
}

// Locally every cell's runner process, handlers and steps share this machine's cores (in AWS each cell
// is a CodeBuild build of its own): no schedule ends before the CPU the run used ÷ the cores.
const cores = availableParallelism();

try {
  await run(suite[0]!); // warm-up: handlers loaded, first runner spawned
  const makespan = [];
  for (const workflow of suite) {
    // The run before: it records each matrix cell's time, which the measured run's Map orders its cells by
    // (longest first, lib/asl/cell-order.ts), as a workflow's last run leaves them in the runtime table.
    // Without a matrix there is nothing to order (the engine was warmed up above).
    if (workflow.jobs.some((job) => job.cells.length > 1)) await run(workflow);
    const { seconds, cpu } = await run(workflow, true);
    const bound = lowerBound(workflow);
    const staged = stagedSeconds(workflow);
    const cpuBound = cpu === undefined ? undefined : Math.max(bound, cpu / cores);
    makespan.push({
      workflow: workflow.name,
      measured_s: round(seconds),
      bound_s: round(bound),
      staged_s: round(staged),
      ratio: round(seconds / bound, 3),
      staged_ratio: round(seconds / staged, 3),
      ...(cpu !== undefined && cpuBound !== undefined && { cpu_s: round(cpu), cores, cpu_bound_s: round(cpuBound), cpu_bound_ratio: round(seconds / cpuBound, 3) }),
    });
  }
  const transitions = [];
  for (const workflow of pair) {
    const { transitions: total } = await run(workflow);
    const steps = stepCount(workflow);
    const cells = cellCount(workflow);
    transitions.push({ workflow: workflow.name, window: workflow.window !== undefined, cells, steps, per_execution: total, per_cell: round(total / cells), per_step: round(total / steps) });
  }
  const [without, withWindow] = transitions;
  const windowExtraPerStep = round((withWindow!.per_execution - without!.per_execution) / withWindow!.steps);
  writeSection('makespan', makespan);
  writeSection('transitions', { rows: transitions, window_extra_per_step: windowExtraPerStep });
  console.log(`makespan (${benchMode}): measured vs lower bound max(critical path, work ÷ window) and a staged schedule`);
  for (const row of makespan) {
    const cpuPart = row.cpu_s === undefined ? '' : `   CPU ${row.cpu_s.toFixed(1)} s ÷ ${row.cores} cores → ${row.cpu_bound_ratio!.toFixed(2)}× max(bound, CPU ÷ cores)`;
    console.log(`  ${row.workflow.padEnd(16)} ${row.measured_s.toFixed(2).padStart(6)} s  bound ${row.bound_s.toFixed(2).padStart(6)} s → ${row.ratio.toFixed(2)}×   staged ${row.staged_s.toFixed(2).padStart(6)} s → ${row.staged_ratio.toFixed(2)}×${cpuPart}`);
  }
  for (const row of transitions) console.log(`  transitions ${row.workflow.padEnd(10)} ${row.per_execution} per execution, ${row.per_cell} per cell, ${row.per_step} per step`);
  console.log(`  the window adds ${windowExtraPerStep} transitions per step`);
} finally {
  await local.close();
}
