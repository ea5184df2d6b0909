// The job DAG as states, exact for every DAG: each job starts as soon as its needs have ended.
//
// Series-parallel orders (no "N": a<c, b<c, b<d without a<d) nest exactly into sequences and
// Parallel states, with no runtime help. Any other order runs every job as a branch of one Parallel
// state; a job with needs first parks on the coordinator's needs barrier (a task token, woken when
// its last need publishes its result), so it waits for exactly its own needs and nothing more.
// Branches are in topological order, because a local engine runs at most 40 at once and a parked
// branch keeps its slot: a waiter must never hold a slot its need is waiting for.

import type { Plan, PlannedJob, SpNode } from '../plan/types';
import { coordinatorTask, RUN_EXECUTION, WAIT_TIMEOUT_SECONDS } from './coordination';
import { coordinatorBusyRetry, lambdaServiceRetry } from './retries';
import { renderJob, type JobRenderOptions } from './job';
import { jobLabel } from './names';
import { dataKey } from './paths';
import type { StateSet } from './state-set';
import type { JsonValue, SubMachine } from './types';

/** JsonMerge is nested once per branch; beyond this many branches one evaluate call merges instead. */
const MAX_NESTED_MERGES = 10;

export function renderJobs(set: StateSet, plan: Plan, options: JobRenderOptions, next: string): string {
  const byId = new Map(plan.jobs.map((planned) => [planned.job.id, planned]));
  const counter = { parallels: 0 };
  if (plan.shape.kind === 'series-parallel') return renderNode(set, plan.shape.tree, byId, options, next, counter);
  return renderGeneral(set, plan.jobs, options, next);
}

function renderNode(
  set: StateSet,
  node: SpNode,
  byId: ReadonlyMap<string, PlannedJob>,
  options: JobRenderOptions,
  next: string | undefined,
  counter: { parallels: number },
): string {
  if (node.kind === 'job') return renderJob(set, byId.get(node.id)!, options, next);
  if (node.kind === 'series') {
    let entry = next;
    for (const child of [...node.children].reverse()) entry = renderNode(set, child, byId, options, entry, counter);
    return entry!;
  }
  counter.parallels += 1;
  const name = parallelName(counter.parallels, leaves(node).map(jobLabel));
  const branches = node.children.map((child) => {
    const branch = set.branch();
    const StartAt = renderNode(branch, child, byId, options, undefined, counter);
    return { StartAt, States: branch.states };
  });
  return addMergingParallel(set, name, branches, options, next);
}

function renderGeneral(set: StateSet, jobs: readonly PlannedJob[], options: JobRenderOptions, next: string): string {
  const branches = jobs.map((planned): SubMachine => {
    const { job } = planned;
    const branch = set.branch();
    const publish = branch.add(`${jobLabel(job.id)}: publish`, {
      ...coordinatorTask(options.refs, { op: 'needs.publish', job: job.id, 'result.$': `$.needs${dataKey(job.id)}` }),
      ResultPath: null,
      End: true,
    });
    let entry = renderJob(branch, planned, options, publish);
    if (job.needs.length > 0) {
      const adopt = branch.add(`${jobLabel(job.id)}: needs`, {
        Type: 'Pass',
        Parameters: { 'run.$': '$.run', 'needs.$': '$.waited.needs' },
        Next: entry,
      });
      entry = branch.add(`${jobLabel(job.id)}: wait for needs`, {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: options.refs.coordinatorFunctionArn,
          // All ancestors, not only the needs: they end first anyway, and failure() reads them.
          Payload: { op: 'needs.wait', 'executionArn.$': RUN_EXECUTION, job: job.id, needs: [...(options.ancestors.get(job.id) ?? job.needs)], 'taskToken.$': '$$.Task.Token' },
        },
        TimeoutSeconds: WAIT_TIMEOUT_SECONDS,
        Retry: [lambdaServiceRetry, coordinatorBusyRetry],
        ResultPath: '$.waited',
        Next: adopt,
      });
    }
    return { StartAt: entry, States: branch.states };
  });
  return addMergingParallel(set, 'Jobs', branches, options, next);
}

/** A Parallel state whose branches each return { run, needs }; their needs are merged. */
function addMergingParallel(set: StateSet, name: string, branches: SubMachine[], options: JobRenderOptions, next: string | undefined): string {
  const continuation = next === undefined ? { End: true as const } : { Next: next };
  if (branches.length <= MAX_NESTED_MERGES) {
    const merged = branches
      .slice(1)
      .reduce((acc, _branch, index) => `States.JsonMerge(${acc}, $[${index + 1}].needs, false)`, '$[0].needs');
    return set.add(name, {
      Type: 'Parallel',
      Branches: branches,
      ResultSelector: { 'run.$': '$[0].run', 'needs.$': merged },
      ...continuation,
    });
  }
  const merge = set.add(`${name}: merge`, {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: options.refs.evaluateFunctionArn, Payload: { op: 'needs.merge', 'branches.$': '$' } as Record<string, JsonValue> },
    ResultSelector: { 'run.$': '$.Payload.run', 'needs.$': '$.Payload.needs' },
    ...continuation,
  });
  return set.add(name, { Type: 'Parallel', Branches: branches, Next: merge });
}

function leaves(node: SpNode): string[] {
  return node.kind === 'job' ? [node.id] : node.children.flatMap(leaves);
}

function parallelName(index: number, jobs: readonly string[]): string {
  const name = `Parallel ${index}: ${jobs.join(', ')}`;
  if (name.length <= 80) return name;
  const shown: string[] = [];
  for (const job of jobs) {
    const candidate = `Parallel ${index}: ${[...shown, job].join(', ')} (+${jobs.length - shown.length - 1})`;
    if (candidate.length > 80) break;
    shown.push(job);
  }
  return `Parallel ${index}: ${shown.join(', ')} (+${jobs.length - shown.length})`;
}
