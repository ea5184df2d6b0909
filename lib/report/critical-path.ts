// The chain of jobs that determined when the run ended, or, for a run that failed, the chain that led
// to the failure. The report holds no `needs`, so without the plan the chain is read from
// timestamps: the last-ending job (for a failed run: the failed unit that ended first, not a cell
// cancelled with it), then the job that ended latest before it started, and so on.
import type { JobReport, RunReport } from './report';

/** Indexes into `report.jobs`, first job of the chain first. */
export function criticalPathFromTimes(report: RunReport): number[] {
  const timed = report.jobs
    .map((job, index) => ({ index, start: time(job.startedAt), end: time(job.endedAt) }))
    .filter((job): job is { index: number; start: number; end: number } => job.start !== undefined && job.end !== undefined);
  const chain: number[] = [];
  const failed = timed.filter((job) => report.jobs[job.index]!.status === 'failed').sort((a, b) => a.end - b.end || a.index - b.index)[0];
  if (failed) {
    chain.push(failed.index);
    timed.splice(timed.indexOf(failed), 1);
  }
  let limit = failed ? failed.start : Number.POSITIVE_INFINITY;
  for (;;) {
    // Latest end not after the limit; ties go to the job that appeared first (deterministic).
    let best: { index: number; start: number; end: number } | undefined;
    for (const job of timed) {
      if (job.end <= limit && (!best || job.end > best.end)) best = job;
    }
    if (!best) break;
    chain.unshift(best.index);
    limit = best.start;
    const chosen = best.index;
    // A job that starts exactly when it ends would find itself again.
    timed.splice(timed.findIndex((job) => job.index === chosen), 1);
  }
  return chain;
}

/**
 * Indexes of every job or cell whose id is in `ids` (all cells of a matrix job; of a job with a
 * failed cell, the failed cells only: the path runs through the failure, not the cells stopped with it).
 */
export function criticalPathFromIds(report: RunReport, ids: readonly string[]): number[] {
  const wanted = new Set(ids);
  const withFailure = new Set(report.jobs.filter((job) => job.status === 'failed').map((job) => job.id));
  return report.jobs.flatMap((job: JobReport, index) =>
    wanted.has(job.id) && (!withFailure.has(job.id) || job.status === 'failed') ? [index] : [],
  );
}

function time(iso: string | undefined): number | undefined {
  return iso === undefined ? undefined : Date.parse(iso);
}
