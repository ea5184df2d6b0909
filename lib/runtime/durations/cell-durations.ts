// How long each matrix cell of a job took in earlier runs, so that a Map with more cells than it runs
// at once starts the longest first (lib/runtime/evaluate/job-order.ts). The cell's runner writes one
// item when it exits; the job's order task reads the job's partition before the next run's Map.
// Keys: `dur#<state machine name>#<job id>` / `cell#<index>`. A state machine name is [A-Za-z0-9_-]
// (lib/constructs/names.ts, or the local engine's), a job id [A-Za-z_][A-Za-z0-9_-]*: no user string.

import { putItem, queryPrefix, type Table } from '../coordination/table';
import { runnerIdParts } from '../runners/keys';

export const DURATIONS_PREFIX = 'dur#';
const CELL_PREFIX = 'cell#';
/** Each run writes its cells again; a record no run has refreshed for 30 days is dropped. */
const KEEP_SECONDS = 30 * 24 * 60 * 60;

/** The state machine's name in an execution ARN (`arn:aws:states:<region>:<account>:execution:<machine>:<name>`). */
function machineOf(executionArn: string): string {
  return executionArn.split(':')[6] ?? '';
}

export const durationsPk = (runExecutionArn: string, job: string): string => `${DURATIONS_PREFIX}${machineOf(runExecutionArn)}#${job}`;

/** The runner of a matrix cell (`<run>#<job>#<cell>`) records how long the cell's steps took. Nothing for a job without a matrix. */
export async function recordCellDuration(table: Table, runnerId: string, seconds: number, now: number): Promise<boolean> {
  const { runExecutionArn, job, cell } = runnerIdParts(runnerId);
  if (cell === undefined) return false;
  await putItem(table, {
    pk: { S: durationsPk(runExecutionArn, job) },
    sk: { S: `${CELL_PREFIX}${cell}` },
    seconds: { N: String(Math.round(seconds * 1000) / 1000) },
    at: { N: String(now) },
    // A cell that no run records any more (the matrix changed) leaves with DynamoDB's TTL.
    ttl: { N: String(Math.floor(now / 1000) + KEEP_SECONDS) },
  });
  return true;
}

/** The recorded seconds of the job's cells, by cell index (cells never recorded are absent). */
export async function cellDurations(table: Table, runExecutionArn: string, job: string): Promise<Map<number, number>> {
  const items = await queryPrefix(table, durationsPk(runExecutionArn, job), CELL_PREFIX);
  const durations = new Map<number, number>();
  for (const item of items) {
    const index = /^cell#(\d+)$/.exec(item.sk?.S ?? '')?.[1];
    const seconds = Number(item.seconds?.N);
    if (index !== undefined && Number.isFinite(seconds) && seconds >= 0) durations.set(Number(index), seconds);
  }
  return durations;
}
