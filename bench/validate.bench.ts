// `validate` must stay linear in the file's size: 1 MB of workflow in well under a second. A
// quadratic check (the duplicate-key search once took 22 s for 629 KB) shows as a ratio far above 2
// between the 1 MB and the 0.5 MB file.
// Run: npx tsx bench/validate.bench.ts
import { loadWorkflowText } from '../lib/model/load';
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

function timed(text: string): number {
  const started = performance.now();
  const { problems } = loadWorkflowText(text, 'bench.yml');
  const elapsed = performance.now() - started;
  if (problems.some((problem) => problem.code === 'duplicate-key' || problem.code === 'yaml-syntax')) throw new Error(problems[0]!.message);
  return elapsed;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
// Tiny runs (the harness's test) check the ratio on smaller files; the 1 MB figure is full and quick only.
const KB = sized({ tiny: 64, quick: 1024, full: 1024 });
const half = workflowOf((KB / 2) * 1024);
const full = workflowOf(KB * 1024);
timed(half); // warm up
const halfMs = median([timed(half), timed(half), timed(half)]);
const fullMs = median([timed(full), timed(full), timed(full)]);
writeSection('validate', { kb: KB, half_ms: round(halfMs, 1), full_ms: round(fullMs, 1), ratio: round(fullMs / halfMs) });
console.log(`validate ${KB / 2} KB: ${halfMs.toFixed(0)} ms; ${KB} KB: ${fullMs.toFixed(0)} ms (target ≤ 1000 ms) → ratio ${(fullMs / halfMs).toFixed(2)} (linear: ~2)`);
