import { jobLabel } from '../../asl/names';
import type { SpNode } from '../../plan';
import type { PlanReport } from './report';

/**
 * A stable, machine-readable plan: keys in a fixed order, absent values as null, 2-space indent.
 * Durations are in seconds under the `estimates` key, with the per-step assumption they rest on.
 */
export function renderJson(report: PlanReport): string {
  const { plan } = report;
  const document = {
    workflow: { name: plan.workflow.name, id: plan.workflow.id, file: plan.workflow.file, maxParallel: plan.workflow.maxParallel ?? null },
    inputs: report.inputs.map((input) => ({ id: input.id, value: input.value, source: input.source })),
    jobs: plan.jobs.map((planned) => ({
      id: planned.job.id,
      needs: planned.job.needs,
      dependents: planned.dependents,
      matrix:
        planned.cells === undefined && planned.dynamicMatrix === undefined
          ? null
          : {
              cells: planned.cells ?? null,
              // A dynamic matrix: what the job start evaluates, and the most cells it may give.
              ...(planned.dynamicMatrix !== undefined && { expression: planned.dynamicMatrix.matrix.template, maxCells: planned.dynamicMatrix.bound }),
              // An expression is shown as written: it is evaluated when the job starts.
              maxParallel: planned.maxParallel ?? planned.strategyExpressions?.maxParallel ?? null,
              failFast: planned.strategyExpressions?.failFast ?? planned.failFast,
            },
      stepGroups: planned.stepGroups.map((group) => group.map((step) => step.id)),
    })),
    shape: plan.shape.kind === 'series-parallel' ? { kind: plan.shape.kind, tree: treeJson(plan.shape.tree) } : plan.shape,
    estimates: {
      secondsPerStep: report.secondsPerStep,
      criticalPath: { jobs: report.criticalPath.jobs, seconds: report.criticalPath.seconds },
      makespanLowerBoundSeconds: report.makespanLowerBound,
      historyEvents: report.history.events,
      childExecutions: Object.fromEntries(report.distributed.map((job) => [job, { historyEventsPerCell: report.history.children[jobLabel(job)] }])),
    },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function treeJson(node: SpNode): unknown {
  return node.kind === 'job' ? { kind: 'job', id: node.id } : { kind: node.kind, children: node.children.map(treeJson) };
}
