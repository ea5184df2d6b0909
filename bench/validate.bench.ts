// `validate` must stay linear in the file's size: 1 MB of workflow in well under a second. A
// quadratic check (the duplicate-key search once took 22 s for 629 KB; choosing the matrices to run as
// child executions once rendered the definition again per matrix job) shows as a ratio far above 2
// between a file and one half its size. Figures are CPU time of this process (a loaded machine
// stretches wall time, not the work).
// Run: npx tsx bench/validate.bench.ts
import { compileProblems } from '../lib/asl/compile';
import { placeholderRefs } from '../lib/asl/refs';
import { loadWorkflowText } from '../lib/model/load';
import { planWorkflow } from '../lib/plan';
import { sized } from './support/mode';
import { writeSection } from './support/sections';
import { round } from './support/stats';

/** A workflow of about `bytes` bytes: independent jobs, each with a few steps and env entries. */
function workflowOf(bytes: number): string {
  let text = 'on: workflow_dispatch\nenv:\n  STAGE: prod\njobs:\n';
  for (let job = 0; text.length < bytes; job++) {
    text += `  job-${job}:\n    env:\n      REGION: eu-west-${job % 3}\n    steps:\n`;
    for (let step = 0; step < 5; step++) text += `      - name: step ${step}\n        run: echo "\${{ env.STAGE }} ${job} ${step}"\n`;
  }
  return text;
}

/** `count` jobs with a 16 × 16 matrix each: every one a candidate for child executions. */
function matricesOf(count: number): string {
  const values = `[${Array.from({ length: 16 }, (_, index) => index).join(', ')}]`;
  let text = 'on: workflow_dispatch\njobs:\n';
  for (let job = 0; job < count; job++) text += `  job-${job}:\n    strategy:\n      matrix:\n        a: ${values}\n        b: ${values}\n    steps:\n      - run: echo ${job}\n`;
  return text;
}

const cpuMs = (work: () => void): number => {
  const started = process.cpuUsage();
  work();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
};

/** What `stepdeploy validate` does with a file: load (parse, normalize, validate), plan, compile and check the limits. */
function validateMs(text: string, compile: boolean): number {
  return cpuMs(() => {
    const { workflow, problems } = loadWorkflowText(text, 'bench.yml');
    if (problems.some((problem) => problem.code === 'duplicate-key' || problem.code === 'yaml-syntax')) throw new Error(problems[0]!.message);
    if (compile && workflow !== undefined) compileProblems(planWorkflow(workflow), placeholderRefs);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const report = (label: string, half: string, full: string, compile: boolean, target = '') => {
  validateMs(half, compile); // warm up
  const halfMs = median([validateMs(half, compile), validateMs(half, compile), validateMs(half, compile)]);
  const fullMs = median([validateMs(full, compile), validateMs(full, compile), validateMs(full, compile)]);
  const size = (text: string) => `${(text.length / 1024).toFixed(0)} KB`;
  console.log(`${label} ${size(half)}: ${halfMs.toFixed(0)} ms; ${size(full)}: ${fullMs.toFixed(0)} ms${target} → ratio ${(fullMs / halfMs).toFixed(2)} (linear: ~2)`);
  return { half_ms: round(halfMs, 1), full_ms: round(fullMs, 1), ratio: round(fullMs / halfMs) };
};
// Tiny runs (the harness's test) check the ratios on smaller files; the 1 MB figure is full and quick only.
const KB = sized({ tiny: 64, quick: 1024, full: 1024 });
const MATRIX_JOBS = sized({ tiny: 4, quick: 50, full: 50 });
const load = report('load', workflowOf((KB / 2) * 1024), workflowOf(KB * 1024), false, KB === 1024 ? ' (target ≤ 1000 ms)' : '');
const compiled = report('validate (load + compile)', workflowOf((KB / 2) * 1024), workflowOf(KB * 1024), true, KB === 1024 ? ' (target ≤ 1000 ms)' : '');
const matrices = report(`validate, ${MATRIX_JOBS} vs ${2 * MATRIX_JOBS} matrix jobs`, matricesOf(MATRIX_JOBS), matricesOf(2 * MATRIX_JOBS), true);
writeSection('validate', { kb: KB, ...load, compile: compiled, matrix_jobs: { jobs: MATRIX_JOBS, ...matrices } });
