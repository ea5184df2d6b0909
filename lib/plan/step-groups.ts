import type { Step } from '../model/workflow';

/** Consecutive steps that start together: a `parallel: true` step joins the previous step's group. */
export function groupSteps(steps: readonly Step[]): Step[][] {
  const groups: Step[][] = [];
  for (const step of steps) {
    const last = groups.at(-1);
    if (step.parallel && last !== undefined) last.push(step);
    else groups.push([step]);
  }
  return groups;
}
