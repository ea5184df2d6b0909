// act's `-j JOB` and `-l` for `stepdeploy run`: which jobs of a workflow run, and the list of its
// jobs and matrix cells.
import type { CallGate, Workflow } from '../model/workflow';
import { didYouMean } from '../model/suggest';
import { planWorkflow } from '../plan';
import { cellLabel } from '../report/labels';
import { UsageError } from './args';

/**
 * The workflow with only `job` (and, with `withNeeds`, every job it needs, transitively). Needs on
 * jobs left out are dropped, as act does: the job runs as if they had succeeded with no outputs.
 */
export function selectJobs(workflow: Workflow, job: string, withNeeds: boolean): Workflow {
  const byId = new Map(workflow.jobs.map((candidate) => [candidate.id, candidate]));
  if (!byId.has(job)) {
    throw new UsageError(`-j '${job}': ${workflow.file} has no job '${job}'${didYouMean(job, byId.keys())} (jobs: ${[...byId.keys()].join(', ')})`, 'run');
  }
  const kept = new Set<string>();
  const visit = (id: string): void => {
    if (kept.has(id)) return;
    kept.add(id);
    // A job that calls a reusable workflow runs as the called jobs (lib/model/reusable/inline.ts).
    for (const called of byId.get(id)?.callResult?.jobs ?? []) visit(called);
    if (withNeeds) for (const need of byId.get(id)?.needs ?? []) visit(need);
  };
  visit(job);
  const keptNeeds = (needs: readonly string[]): string[] => needs.filter((need) => kept.has(need));
  const keptGates = (gates: readonly CallGate[]): CallGate[] => gates.map((gate) => ({ ...gate, needs: keptNeeds(gate.needs) }));
  return {
    ...workflow,
    jobs: workflow.jobs
      .filter((candidate) => kept.has(candidate.id))
      .map((candidate) => ({
        ...candidate,
        needs: keptNeeds(candidate.needs),
        ...(candidate.gates !== undefined && { gates: keptGates(candidate.gates) }),
        ...(candidate.callResult !== undefined && { callResult: { ...candidate.callResult, gates: keptGates(candidate.callResult.gates) } }),
      })),
  };
}

/**
 * `run -l`: a line per job — its stage (the longest chain of needs before it), id, needs and the
 * file — and, under a matrix job, a line per cell.
 */
export function listJobs(workflows: readonly Workflow[]): string {
  const rows: [string, string, string, string][] = [['Stage', 'Job', 'Needs', 'Workflow']];
  for (const workflow of workflows) {
    const stages = new Map<string, number>();
    for (const planned of planWorkflow(workflow).jobs) {
      const stage = Math.max(-1, ...planned.job.needs.map((need) => stages.get(need) ?? 0)) + 1;
      stages.set(planned.job.id, stage);
      rows.push([String(stage), planned.job.label ?? planned.job.id, planned.job.needs.join(', ') || '-', workflow.file]);
      for (const cell of planned.cells ?? []) rows.push(['', `  ${cellLabel(planned.job.id, cell)}`, '', '']);
    }
  }
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((text, column) => (column < 3 ? text.padEnd(widths[column]!) : text)).join('  ').trimEnd()).join('\n') + '\n';
}
