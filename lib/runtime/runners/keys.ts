// Table keys of the runner protocol (docs/architecture.md, "Job runners"). `runner#` is written by
// this module only: concurrency groups (user strings) live under `lock#`, and a runner id is made of
// an execution ARN (no '#') and job ids ([A-Za-z_][A-Za-z0-9_-]*), so no user string reaches these keys.

import { executionIndexPk } from '../coordination/keys';

export const RUNNER_PREFIX = 'runner#';
export const STEP_PREFIX = 'step#';
export const STOP_SK = 'stop';

export const runnerPk = (runnerId: string): string => `${RUNNER_PREFIX}${runnerId}`;

/** Work items sort by their step's place in the job. */
export const stepItemKey = (runnerId: string, seq: number) => ({ pk: runnerPk(runnerId), sk: `${STEP_PREFIX}${String(seq).padStart(4, '0')}` });

export const stopItemKey = (runnerId: string) => ({ pk: runnerPk(runnerId), sk: STOP_SK });

/** The index item beside an execution's `lock#` index items: the status-change handler finds runners by it. */
export const runnerIndexKey = (executionArn: string, runnerId: string) => ({ pk: executionIndexPk(executionArn), sk: `${RUNNER_PREFIX}${runnerId}` });

/** `<run execution ARN>#<job>` or `<run execution ARN>#<job>#<cell>`: the same string as the job's lock holder. */
export function runnerIdOf(runExecutionArn: string, job: string, cell?: number): string {
  return cell === undefined ? `${runExecutionArn}#${job}` : `${runExecutionArn}#${job}#${cell}`;
}

/** What a runner id (`runnerIdOf`) is made of: the run's execution, the job id and the matrix cell index. */
export function runnerIdParts(runnerId: string): { readonly runExecutionArn: string; readonly job: string; readonly cell?: number } {
  const [runExecutionArn = '', job = '', cell] = runnerId.split('#');
  return { runExecutionArn, job, ...(cell !== undefined && /^\d+$/.test(cell) ? { cell: Number(cell) } : {}) };
}

/** The matrix cell index a runner id names (`…#<job>#<cell>`); undefined for a job without a matrix. */
export const cellOfRunnerId = (runnerId: string): number | undefined => runnerIdParts(runnerId).cell;
