// The chain of jobs that determined when the run ended. The report holds no `needs`, so without the
// plan the chain is read from timestamps: the last-ending job, then the job that ended latest before
// it started, and so on.
import type { JobReport, RunReport } from './report';

/** Indexes into `report.jobs`, first job of the chain first. */
export function criticalPathFromTimes(report: RunReport): number[] {
  const timed = report.jobs
    .map((job, index) => ({ index, start: time(job.startedAt), end: time(job.endedAt) }))
    .filter((job): job is { index: number; start: number; end: number } => job.start !== undefined && job.end !== undefined);
  const chain: number[] = [];
  let limit = Number.POSITIVE_INFINITY;
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

/** Indexes of every job or cell whose id is in `ids` (all cells of a matrix job). */
export function criticalPathFromIds(report: RunReport, ids: readonly string[]): number[] {
  const wanted = new Set(ids);
  return report.jobs.flatMap((job: JobReport, index) => (wanted.has(job.id) ? [index] : []));
}

function time(iso: string | undefined): number | undefined {
  return iso === undefined ? undefined : Date.parse(iso);
}
