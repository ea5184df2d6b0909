import type { JobResult } from './data';

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
