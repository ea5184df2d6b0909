// What a workflow costs before it runs: definition bytes per job for the examples, and the time and
// peak RSS of loading, planning and rendering a 1,000-job DAG and a 10,000-cell matrix, each in a
// fresh process of its own (so RSS is that workflow's, not the bench's).
// Run: npx tsx bench/plan.bench.ts
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileWorkflow } from '../lib/asl/compile';
import { placeholderRefs } from '../lib/asl/refs';
import { loadWorkflowText } from '../lib/model/load';
import { planWorkflow } from '../lib/plan';
import { sized } from './support/mode';
import { writeSection } from './support/sections';
import { round } from './support/stats';

function dagOf(jobs: number): string {
  let text = 'on: workflow_dispatch\njobs:\n';
  for (let index = 0; index < jobs; index++) {
    const needs = index === 0 ? '' : `    needs: [j${Math.floor(index / 2)}]\n`;
    text += `  j${index}:\n${needs}    steps:\n      - run: echo ${index}\n`;
  }
  return text;
}

/** A two-dimension matrix of exactly `cells` cells (the dimensions: the divisor pair nearest a square). */
function matrixOf(cells: number): string {
  let side = Math.floor(Math.sqrt(cells));
  while (cells % side !== 0) side--;
  const values = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => `${prefix}${index}`).join(', ');
  return `on: workflow_dispatch\njobs:\n  deploy:\n    strategy:\n      max-cells: ${cells}\n      max-parallel: 40\n      matrix:\n        site: [${values('s', side)}]\n        tenant: [${values('t', cells / side)}]\n    steps:\n      - run: echo $SITE\n        env: { SITE: "\${{ matrix.site }}" }\n`;
}

/** In a child: load, plan and render `text`; print ms, peak RSS and the definition's size, or the problem. */
function measureChild(name: string, text: string): unknown {
  const script = `
    import { compileWorkflow } from './lib/asl/compile';
    import { placeholderRefs } from './lib/asl/refs';
    import { formatProblem } from './lib/model/problem';
    import { loadWorkflowText } from './lib/model/load';
    import { planWorkflow } from './lib/plan';
    const text = process.env.BENCH_WORKFLOW;
    const started = performance.now();
    const { workflow, problems } = loadWorkflowText(text, '${name}.yml');
    if (workflow === undefined) { console.log(JSON.stringify({ rejected: formatProblem(problems[0]) })); process.exit(0); }
    const compiled = compileWorkflow(planWorkflow(workflow), placeholderRefs);
    const ms = performance.now() - started;
    console.log(JSON.stringify({ ms, rss_mb: process.resourceUsage().maxRSS / 1024, definition_bytes: JSON.stringify(compiled.definition).length, distributed: compiled.distributed.length, problems: compiled.problems.map(formatProblem) }));
  `;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: join(import.meta.dirname, '..'), env: { ...process.env, BENCH_WORKFLOW: text }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${name}: ${result.stderr}`);
  const measured = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(measured).map(([key, value]) => [key, typeof value === 'number' ? round(value, 1) : value]));
}

/** Bytes of each example's definition, and per job. */
function definitionSizes() {
  const dir = join(import.meta.dirname, '../examples');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yml'))
    .sort()
    .map((file) => {
      const { workflow, problems } = loadWorkflowText(readFileSync(join(dir, file), 'utf8'), file);
      if (workflow === undefined) throw new Error(`${file}: ${problems[0]?.message}`);
      const bytes = JSON.stringify(compileWorkflow(planWorkflow(workflow), placeholderRefs).definition).length;
      return { workflow: file, jobs: workflow.jobs.length, bytes, bytes_per_job: Math.round(bytes / workflow.jobs.length) };
    });
}

const definition = definitionSizes();
// Tiny runs (the harness's test) plan smaller ones under the same keys, each saying its size.
const JOBS = sized({ tiny: 50, quick: 1000, full: 1000 });
const CELLS = sized({ tiny: 300, quick: 10_000, full: 10_000 });
const plan = {
  dag_1000: { jobs: JOBS, ...(measureChild('dag-1000', dagOf(JOBS)) as object) },
  matrix_10000: { cells: CELLS, ...(measureChild('matrix-10000', matrixOf(CELLS)) as object) },
};
writeSection('definition', definition);
writeSection('plan', plan);
for (const row of definition) console.log(`definition ${row.workflow.padEnd(28)} ${row.jobs} jobs, ${row.bytes} bytes → ${row.bytes_per_job} bytes per job`);
console.log(`plan of a 1,000-job DAG: ${JSON.stringify(plan.dag_1000)}`);
console.log(`plan of a 10,000-cell matrix: ${JSON.stringify(plan.matrix_10000)}`);
