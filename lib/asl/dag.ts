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
import { MAX_STATE_NAME_LENGTH, type StateSet } from './state-set';
import { mergeAll } from './merge';
import type { SubMachine } from './types';
import { BRANCH_END } from './branch-end';

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
  return addMergingParallel(set, name, branches, next);
}

function renderGeneral(set: StateSet, jobs: readonly PlannedJob[], options: JobRenderOptions, next: string): string {
  const branches = jobs.map((planned): SubMachine => {
    const { job } = planned;
    const branch = set.branch();
    const publish = branch.add(`${jobLabel(job.id)}: publish`, {
      ...coordinatorTask(options.refs, { op: 'needs.publish', job: job.id, 'result.$': `$.needs${dataKey(job.id)}` }),
      ResultPath: null,
      ...BRANCH_END,
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
          // The needs only: each need's record carries what failure() needs to know of its ancestors.
          Payload: { op: 'needs.wait', 'executionArn.$': RUN_EXECUTION, job: job.id, needs: [...job.needs], 'taskToken.$': '$$.Task.Token' },
        },
        TimeoutSeconds: WAIT_TIMEOUT_SECONDS,
        Retry: [lambdaServiceRetry, coordinatorBusyRetry],
        ResultPath: '$.waited',
        Next: adopt,
      });
    }
    return { StartAt: entry, States: branch.states };
  });
  return addMergingParallel(set, 'All jobs', branches, next);
}

/**
 * A Parallel state whose branches each end with their needs map (BRANCH_END), so that the run's data
 * (which holds the trigger event) is never copied once per branch; a Pass after it merges the maps.
 */
function addMergingParallel(set: StateSet, name: string, branches: SubMachine[], next: string | undefined): string {
  const merged = mergeAll(branches.map((_branch, index) => `$.branches[${index}]`));
  const merge = set.add(`${name}: merge`, {
    Type: 'Pass',
    Parameters: { 'run.$': '$.run', 'needs.$': merged },
    ...(next === undefined ? BRANCH_END : { Next: next }),
  });
  return set.add(name, { Type: 'Parallel', Branches: branches, ResultPath: '$.branches', Next: merge });
}

function leaves(node: SpNode): string[] {
  return node.kind === 'job' ? [node.id] : node.children.flatMap(leaves);
}

/** Room for the longest suffix a Parallel's name gets (`: merge`). */
const PARALLEL_NAME_LENGTH = MAX_STATE_NAME_LENGTH - ': merge'.length;

function parallelName(index: number, jobs: readonly string[]): string {
  const name = `Parallel ${index}: ${jobs.join(', ')}`;
  if (name.length <= PARALLEL_NAME_LENGTH) return name;
  const shown: string[] = [];
  for (const job of jobs) {
    const candidate = `Parallel ${index}: ${[...shown, job].join(', ')} (+${jobs.length - shown.length - 1})`;
    if (candidate.length > PARALLEL_NAME_LENGTH) break;
    shown.push(job);
  }
  return `Parallel ${index}: ${shown.join(', ')} (+${jobs.length - shown.length})`;
}
