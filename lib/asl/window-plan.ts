// How the workflow-level `max-parallel` window is enforced for each job, decided from the plan so that
// the coordinator is asked only where the definition's own shape cannot express the window:
//
//   free  — the job never runs more steps at once than the window allows, whatever overlaps it
//           (what may run together is bounded by the DAG's shape): nothing to render;
//   map   — a matrix job that alone exceeds the window but overlaps no other job (it is a part of a
//           series) and whose cells run one step at a time: its Map's MaxConcurrency, min(window,
//           its own max-parallel), says exactly "at most W steps at once";
//   slots — jobs that may overlap and together exceed the window: each cell takes a slot of the
//           execution's window group (coordinator, .waitForTaskToken). A cell whose steps run one at
//           a time holds one slot from before its runner starts to after its last step (one acquire
//           and one release per cell); a cell with `parallel: true` steps takes one per step, since a
//           cell holding a slot while it waits for more could deadlock with another doing the same.
//
// A series part starts only after the whole previous part has ended (lib/plan/dag-shape.ts), so
// parts of a series never overlap: each gets the whole window. A general DAG (an "N") is bounded by
// the sum over all its jobs.

import type { Plan, PlannedJob, SpNode } from '../plan/types';

export type WindowMode =
  | { readonly kind: 'free' }
  | { readonly kind: 'map'; readonly maxConcurrency: number }
  | { readonly kind: 'slots'; readonly perStep: boolean };

const FREE: WindowMode = { kind: 'free' };

/** The most steps a job may run at once: its cells at once × its widest group of parallel steps. */
export function jobConcurrency(planned: PlannedJob): number {
  const width = Math.max(1, ...planned.stepGroups.map((group) => group.length));
  return cellsAtOnce(planned) * width;
}

function cellsAtOnce(planned: PlannedJob): number {
  const cells = planned.cells?.length ?? planned.dynamicMatrix?.bound ?? 1;
  // A max-parallel given as an expression is unknown here: count every cell.
  return planned.maxParallel === undefined ? cells : Math.min(cells, planned.maxParallel);
}

const isMatrix = (planned: PlannedJob) => planned.cells !== undefined || planned.dynamicMatrix !== undefined;
const stepsOneAtATime = (planned: PlannedJob) => planned.stepGroups.every((group) => group.length <= 1);

/** Each job's mode under a window of `window` steps at once; every job is free without a window. */
export function windowModes(plan: Plan, window: number | undefined): ReadonlyMap<string, WindowMode> {
  const byId = new Map(plan.jobs.map((planned) => [planned.job.id, planned]));
  const modes = new Map<string, WindowMode>(plan.jobs.map((planned) => [planned.job.id, FREE]));
  if (window === undefined) return modes;
  const slots = (ids: readonly string[]) => {
    for (const id of ids) modes.set(id, { kind: 'slots', perStep: !stepsOneAtATime(byId.get(id)!) });
  };

  if (plan.shape.kind === 'general') {
    const total = plan.jobs.reduce((sum, planned) => sum + jobConcurrency(planned), 0);
    if (total > window) slots(plan.jobs.map((planned) => planned.job.id));
    return modes;
  }

  const bound = (node: SpNode): number => {
    if (node.kind === 'job') return jobConcurrency(byId.get(node.id)!);
    const parts = node.children.map(bound);
    return node.kind === 'series' ? Math.max(0, ...parts) : parts.reduce((a, b) => a + b, 0);
  };
  const assign = (node: SpNode): void => {
    if (bound(node) <= window) return; // free
    if (node.kind === 'series') return node.children.forEach(assign);
    if (node.kind === 'parallel') return slots(leaves(node));
    const planned = byId.get(node.id)!;
    // Alone and one step at a time per cell: the Map's MaxConcurrency is the window. A max-parallel
    // given as an expression is read by MaxConcurrencyPath, which cannot also take the window.
    if (isMatrix(planned) && stepsOneAtATime(planned) && planned.strategyExpressions?.maxParallel === undefined) {
      modes.set(node.id, { kind: 'map', maxConcurrency: Math.min(window, planned.maxParallel ?? window) });
      return;
    }
    slots([node.id]);
  };
  assign(plan.shape.tree);
  return modes;
}

function leaves(node: SpNode): string[] {
  return node.kind === 'job' ? [node.id] : node.children.flatMap(leaves);
}
