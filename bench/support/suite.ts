// The makespan suite: workflows whose steps only `sleep`, described by their durations, so that each
// has a known lower bound (no schedule can beat it) and a known staged time (stages one after another,
// as act and CodePipeline run them). The YAML is rendered from the same description.
import { prng } from '../../test/fixtures/prng';

/** Step durations (s) of one group of steps that start together (`parallel: true`). */
export type StepGroup = readonly number[];
/** One matrix cell (or the one run of a job without a matrix): its step groups, in order. */
export type Cell = readonly StepGroup[];

export interface SuiteJob {
  readonly id: string;
  readonly needs: readonly string[];
  readonly cells: readonly Cell[];
  /** `strategy.max-parallel` of a matrix job. */
  readonly maxParallel?: number;
}

export interface SuiteWorkflow {
  readonly name: string;
  /** Workflow-level `max-parallel` (the window over every step and cell at once). */
  readonly window?: number;
  readonly jobs: readonly SuiteJob[];
}

const cellSeconds = (cell: Cell): number => cell.reduce((sum, group) => sum + Math.max(...group), 0);
const cellWork = (cell: Cell): number => cell.reduce((sum, group) => sum + group.reduce((a, b) => a + b, 0), 0);
const jobWork = (job: SuiteJob): number => job.cells.reduce((sum, cell) => sum + cellWork(cell), 0);

/** The least time a job alone can take: its longest cell, or its cells spread over max-parallel slots. */
function jobSeconds(job: SuiteJob): number {
  const longest = Math.max(...job.cells.map(cellSeconds));
  const slots = job.maxParallel ?? job.cells.length;
  return Math.max(longest, job.cells.reduce((sum, cell) => sum + cellSeconds(cell), 0) / Math.min(slots, job.cells.length));
}

/** max(critical path over job minimums, total work ÷ window). */
export function lowerBound(workflow: SuiteWorkflow): number {
  const finish = new Map<string, number>();
  for (const job of workflow.jobs) {
    const start = Math.max(0, ...job.needs.map((need) => finish.get(need)!));
    finish.set(job.id, start + jobSeconds(job));
  }
  const criticalPath = Math.max(...finish.values());
  const work = workflow.jobs.reduce((sum, job) => sum + jobWork(job), 0);
  return workflow.window === undefined ? criticalPath : Math.max(criticalPath, work / workflow.window);
}

/** Each job's stage: one more than its deepest need. */
function stagesOf(workflow: SuiteWorkflow): SuiteJob[][] {
  const depth = new Map<string, number>();
  const stages: SuiteJob[][] = [];
  for (const job of workflow.jobs) {
    const level = Math.max(-1, ...job.needs.map((need) => depth.get(need)!)) + 1;
    depth.set(job.id, level);
    (stages[level] ??= []).push(job);
  }
  return stages;
}

/** Stages run one after another; a stage lasts its slowest job (or its work ÷ the window). */
export function stagedSeconds(workflow: SuiteWorkflow): number {
  return stagesOf(workflow).reduce((sum, stage) => {
    const slowest = Math.max(...stage.map(jobSeconds));
    const work = stage.reduce((total, job) => total + jobWork(job), 0);
    return sum + (workflow.window === undefined ? slowest : Math.max(slowest, work / workflow.window));
  }, 0);
}

export const stepCount = (workflow: SuiteWorkflow): number =>
  workflow.jobs.reduce((sum, job) => sum + job.cells.reduce((total, cell) => total + cell.reduce((n, group) => n + group.length, 0), 0), 0);

export const cellCount = (workflow: SuiteWorkflow): number => workflow.jobs.reduce((sum, job) => sum + job.cells.length, 0);

/** The workflow file: a matrix job gets one `include` entry per cell carrying its step durations. */
export function renderYaml(workflow: SuiteWorkflow): string {
  const lines = [`name: ${workflow.name}`, 'on: workflow_dispatch'];
  if (workflow.window !== undefined) lines.push(`max-parallel: ${workflow.window}`);
  lines.push('jobs:');
  for (const job of workflow.jobs) {
    lines.push(`  ${job.id}:`);
    if (job.needs.length > 0) lines.push(`    needs: [${job.needs.join(', ')}]`);
    const matrix = job.cells.length > 1;
    if (matrix) {
      lines.push('    strategy:');
      if (job.maxParallel !== undefined) lines.push(`      max-parallel: ${job.maxParallel}`);
      lines.push('      matrix:', '        include:');
      job.cells.forEach((cell, index) => {
        const seconds = cell.flat().map((value, step) => `s${step}: '${value}'`);
        lines.push(`          - { cell: ${index}, ${seconds.join(', ')} }`);
      });
    }
    lines.push('    steps:');
    let step = 0;
    for (const group of job.cells[0]!) {
      group.forEach((seconds, inGroup) => {
        const duration = matrix ? `\${{ matrix.s${step} }}` : String(seconds);
        lines.push(`      - run: sleep $PAUSE`, `        env: { PAUSE: "${duration}" }`);
        if (inGroup > 0) lines.push('        parallel: true');
        step++;
      });
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `count` single-step jobs; each needs up to two earlier jobs; durations drawn from `durations`. */
export function randomDag(name: string, seed: number, count: number, durations: readonly number[]): SuiteWorkflow {
  const random = prng(seed); // a seed names the same DAG every run
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const jobs: SuiteJob[] = [];
  for (let index = 0; index < count; index++) {
    const needs = new Set<string>();
    const wanted = index === 0 ? 0 : Math.floor(random() * 3);
    for (let n = 0; n < wanted; n++) needs.add(`j${Math.floor(random() * index)}`);
    jobs.push({ id: `j${index}`, needs: [...needs].sort(), cells: [[[pick(durations)]]] });
  }
  return { name, jobs };
}

/** One matrix job of `cells` one-step cells with durations cycling through `durations`. */
export function wideMatrix(name: string, cells: number, maxParallel: number, durations: readonly number[]): SuiteWorkflow {
  const seconds = Array.from({ length: cells }, (_, index) => durations[index % durations.length]!);
  return { name, jobs: [{ id: 'deploy', needs: [], maxParallel, cells: seconds.map((value) => [[value]]) }] };
}
