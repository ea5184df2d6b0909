// `validate` must stay linear in the file's size: 1 MB of workflow in well under a second. A
// quadratic check (the duplicate-key search once took 22 s for 629 KB) shows as a ratio far above 2
// between the 1 MB and the 0.5 MB file.
// Run: npx tsx bench/validate.bench.ts
import { loadWorkflowText } from '../lib/model/load';

/** A workflow of about `bytes` bytes: independent jobs, each with a few steps and env entries. */
function workflowOf(bytes: number): string {
  let text = 'on: workflow_dispatch\nenv:\n  STAGE: prod\njobs:\n';
  for (let job = 0; text.length < bytes; job++) {
    text += `  job-${job}:\n    env:\n      REGION: eu-west-${job % 3}\n    steps:\n`;
    for (let step = 0; step < 5; step++) text += `      - name: step ${step}\n        run: echo "\${{ env.STAGE }} ${job} ${step}"\n`;
  }
  return text;
}

function timed(text: string): number {
  const started = performance.now();
  const { problems } = loadWorkflowText(text, 'bench.yml');
  const elapsed = performance.now() - started;
  if (problems.some((problem) => problem.code === 'duplicate-key' || problem.code === 'yaml-syntax')) throw new Error(problems[0]!.message);
  return elapsed;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const half = workflowOf(512 * 1024);
const full = workflowOf(1024 * 1024);
timed(half); // warm up
const halfMs = median([timed(half), timed(half), timed(half)]);
const fullMs = median([timed(full), timed(full), timed(full)]);
console.log(`validate 0.5 MB: ${halfMs.toFixed(0)} ms; 1 MB: ${fullMs.toFixed(0)} ms (target ≤ 1000 ms) → 1 MB / 0.5 MB = ${(fullMs / halfMs).toFixed(2)} (linear: ~2)`);
