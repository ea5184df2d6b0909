// How much the embedded engine adds to a run: time to the first step, and a workflow's wall time
// next to the work it contains, measured side by side in one process.
// Run: npx tsx bench/local-run.bench.ts
import '../lib/local/polyfills';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalWorkflows } from '../test/e2e/local-run';
import { sized } from './support/mode';
import { writeSection } from './support/sections';
import { round as rounded } from './support/stats';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** A fan-out whose ideal makespan is known: `cells` cells of `steps` steps of `sleep` seconds, `parallel` at once. */
async function fanOut(cells: number, steps: number, sleep: number, parallel: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'stepdeploy-bench-'));
  const file = join(dir, 'fanout.yml');
  const regions = Array.from({ length: cells }, (_, index) => `r${index}`).join(', ');
  const stepLines = Array.from({ length: steps }, (_, index) => `      - run: sleep ${sleep} # ${index}`).join('\n');
  await writeFile(file, `on: workflow_dispatch\njobs:\n  deploy:\n    strategy:\n      max-parallel: ${parallel}\n      matrix:\n        region: [${regions}]\n    steps:\n${stepLines}\n`);
  return file;
}

/** A no-op matrix past GitHub's 256 (`strategy.max-cells`): each cell one Lambda step, no runner, so the figure is the engine's own. */
async function noopMatrix(cells: number, parallel: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'stepdeploy-bench-noop-'));
  const file = join(dir, 'noop.yml');
  const values = Array.from({ length: cells }, (_, index) => `c${index}`).join(', ');
  await writeFile(file, `on: workflow_dispatch\njobs:\n  fleet:\n    strategy:\n      max-cells: ${Math.max(cells, 1)}\n      max-parallel: ${parallel}\n      matrix:\n        site: [${values}]\n    steps:\n      - uses: aws/lambda\n        with:\n          function: noop\n`);
  return file;
}

const started = Date.now();
const CELLS = sized({ tiny: 4, quick: 20, full: 20 });
const PARALLEL = sized({ tiny: 2, quick: 10, full: 10 });
const file = await fanOut(CELLS, 3, 0.2, PARALLEL);
const local = await startLocalWorkflows([file]);
const ready = Date.now();
const cases = [];
const ROUNDS = sized({ tiny: 1, quick: 2, full: 3 });
for (let round = 0; round < ROUNDS; round++) {
  const begin = Date.now();
  const arn = local.start('fanout');
  const { report, status } = await local.finish(arn);
  if (status !== 'SUCCEEDED') throw new Error(`run ${round} ended ${status}`);
  const firstStep = Math.min(...report.jobs.flatMap((job) => job.steps.map((step) => Date.parse(step.startedAt!))));
  cases.push({ wall: Date.now() - begin, toFirstStep: firstStep - begin });
}
await local.close();

const NOOP_CELLS = sized({ tiny: 20, quick: 200, full: 1000 });
const NOOP_PARALLEL = 40;
const noopLocal = await startLocalWorkflows([await noopMatrix(NOOP_CELLS, NOOP_PARALLEL)], { userLambdas: { noop: async () => ({}) } });
const noopBegin = Date.now();
const noopRun = await noopLocal.finish(noopLocal.start('noop'));
const noopWall = Date.now() - noopBegin;
await noopLocal.close();
if (noopRun.status !== 'SUCCEEDED') throw new Error(`the no-op matrix ended ${noopRun.status}: ${noopRun.cause}`);
const noopCells = noopRun.report.jobs.filter((job) => job.status === 'succeeded').length;
if (noopCells !== NOOP_CELLS) throw new Error(`the no-op matrix ran ${noopCells} of ${NOOP_CELLS} cells`);

const ideal = Math.ceil(CELLS / PARALLEL) * 3 * 200;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const wall = median(cases.map((c) => c.wall));
writeSection('local_run', {
  synth_and_start_ms: ready - started,
  first_step_ms: median(cases.map((c) => c.toFirstStep)),
  fanout: { cells: CELLS, steps: 3, step_s: 0.2, max_parallel: PARALLEL, wall_ms: wall, ideal_ms: ideal, ratio: rounded(wall / ideal) },
  peak_rss_mb: rounded(process.resourceUsage().maxRSS / 1024, 1),
  // Engine overhead per cell: the wall time spread over the slots, as if each slot ran its cells back to back.
  noop: {
    cells: NOOP_CELLS, max_parallel: NOOP_PARALLEL, wall_s: rounded(noopWall / 1000), overhead_ms_per_cell: rounded((noopWall * Math.min(NOOP_PARALLEL, NOOP_CELLS)) / NOOP_CELLS, 1), peak_rss_mb: rounded(process.resourceUsage().maxRSS / 1024, 1) },
});
console.log(`synthesize + start engine: ${ready - started} ms`);
console.log(`start → first step running: median ${median(cases.map((c) => c.toFirstStep))} ms over ${cases.length} runs`);
console.log(`${CELLS} cells × 3 steps × 0.2 s, max-parallel ${PARALLEL}: wall ${median(cases.map((c) => c.wall))} ms vs ideal ${ideal} ms → ${(median(cases.map((c) => c.wall)) / ideal).toFixed(2)}× (engine, Lambda handlers and bash start-up per step)`);
console.log(`${NOOP_CELLS}-cell no-op matrix (strategy.max-cells), max-parallel ${NOOP_PARALLEL}: wall ${(noopWall / 1000).toFixed(1)} s, ${((noopWall * Math.min(NOOP_PARALLEL, NOOP_CELLS)) / NOOP_CELLS).toFixed(0)} ms of engine per cell per slot, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
