import type { JobResult, RunData } from './data';

export interface RunFinishEvent {
  readonly op: 'run.finish';
  readonly jobs: readonly string[];
  readonly needs: Readonly<Record<string, JobResult>>;
}

/** GitHub's rule: the run fails when a job failed or was cancelled; skipped jobs do not fail it. */
export function runFinish(event: RunFinishEvent): { conclusion: 'success' | 'failure'; cause: string } {
  const failed = event.jobs.filter((id) => {
    const result = event.needs[id]?.result;
    return result === 'failure' || result === 'cancelled';
  });
  if (failed.length === 0) return { conclusion: 'success', cause: '' };
  return { conclusion: 'failure', cause: `jobs that did not succeed: ${failed.map((id) => `${id} (${event.needs[id]!.result})`).join(', ')}` };
}

export interface NeedsMergeEvent {
  readonly op: 'needs.merge';
  readonly branches: readonly { readonly run: RunData; readonly needs: Readonly<Record<string, JobResult>> }[];
}

/** The merge of a wide Parallel's branches (beyond what nested States.JsonMerge calls should carry). */
export function needsMerge(event: NeedsMergeEvent): { run: RunData | undefined; needs: Record<string, JobResult> } {
  const needs: Record<string, JobResult> = {};
  for (const branch of event.branches) Object.assign(needs, branch.needs);
  return { run: event.branches[0]?.run, needs };
}
