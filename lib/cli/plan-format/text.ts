import { jobLabel } from '../../asl/names';
import { HISTORY_BUDGET } from '../../asl/history-budget';
import { describeCell, describeDynamicMatrix, describeMatrix, describeMinutes, describeStepGroups, describeTree, describeValue } from './describe';
import type { PlanReport } from './report';
import { runnerEnvironmentFor } from '../../model/runner-labels';
import { runsOnCandidates } from '../../model/runs-on';
import type { Job, Workflow } from '../../model/workflow';

/** The human-readable plan: inputs, jobs in start order, the DAG's shape and indicative durations. */
export function renderText(report: PlanReport): string {
  const { plan } = report;
  const lines: string[] = [`Plan: ${plan.workflow.name} (${plan.workflow.file})`, ''];

  if (report.inputs.length > 0) {
    lines.push('Inputs:');
    for (const input of report.inputs) lines.push(`  ${input.id} = ${describeValue(input.value)} (${input.source})`);
    lines.push('');
  }
  if (plan.workflow.maxParallel !== undefined) {
    lines.push(`Workflow max-parallel: ${plan.workflow.maxParallel} steps and cells at once`, '');
  }

  lines.push('Jobs, in start order:');
  plan.jobs.forEach((planned, index) => {
    const { job } = planned;
    // A called job is shown as GitHub shows it (`deploy / build`), its internal id after it.
    const shown = job.label === undefined ? job.id : `${job.label} (${job.id})`;
    lines.push(`  ${index + 1}. ${shown}${job.name === undefined || job.label !== undefined ? '' : ` — ${job.name}`}`);
    lines.push(`     needs: ${job.needs.length === 0 ? '(none)' : job.needs.join(', ')}`);
    if (job.callResult !== undefined) lines.push(`     the result of its call of a reusable workflow (jobs: ${job.callResult.jobs.join(', ')})`);
    if (job.if !== undefined) lines.push(`     if: ${job.if}`);
    const runsOn = describeRunsOn(job, plan.workflow);
    if (runsOn !== undefined) lines.push(`     runs-on: ${runsOn}`);
    const matrix = describeMatrix(planned);
    if (matrix !== undefined) {
      lines.push(`     matrix: ${matrix}, fail-fast: ${planned.strategyExpressions?.failFast ?? planned.failFast}`);
      for (const cell of planned.cells ?? []) lines.push(`       ${describeCell(cell)}`);
      const dynamic = describeDynamicMatrix(planned);
      if (dynamic !== undefined) lines.push(`       from ${dynamic}`);
    }
    lines.push(`     steps: ${describeStepGroups(planned.stepGroups)}`);
  });
  lines.push('');

  lines.push(
    plan.shape.kind === 'series-parallel'
      ? `Shape: series-parallel: ${describeTree(plan.shape.tree)}`
      : `Shape: general (not series-parallel): ${plan.shape.reason}`,
  );
  const perStep = describeMinutes(report.secondsPerStep);
  lines.push(
    `Critical path (indicative, ${perStep} per step): ${report.criticalPath.jobs.join(' -> ')} = ${describeMinutes(report.criticalPath.seconds)}`,
  );
  lines.push(`Lower bound on duration (same assumption, with max-parallel limits): ${describeMinutes(report.makespanLowerBound)}`);
  lines.push(historyLine(report));
  return `${lines.join('\n')}\n`;
}

/** `ubuntu-latest → aws/codebuild/standard:7.0, BUILD_GENERAL1_SMALL, LINUX_CONTAINER`; an expression lists what it can choose. */
function describeRunsOn(job: Job, workflow: Workflow): string | undefined {
  const environment = (labels: readonly string[]): string => {
    const { image, computeType, environmentType } = runnerEnvironmentFor(labels, workflow.runnerLabels);
    return `${labels.join(', ')} → ${image}, ${computeType}, ${environmentType}`;
  };
  if (job.runsOn.expression !== undefined) {
    return `${job.runsOn.expression}, one of: ${(runsOnCandidates(job, workflow) ?? []).map(environment).join('; ')}`;
  }
  return job.runsOn.labels.length === 0 ? undefined : environment(job.runsOn.labels);
}

function historyLine(report: PlanReport): string {
  const top = `History: at most ${report.history.events} events per execution (Step Functions stops at 25,000; budget ${HISTORY_BUDGET})`;
  if (report.distributed.length === 0) return `${top}; runs as one execution`;
  const children = report.distributed.map((job) => `${job} (${report.history.children[jobLabel(job)]} events per cell)`).join(', ');
  return `${top}; cells of ${children} run as child executions (Distributed Map)`;
}
