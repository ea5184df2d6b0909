// Whether a cancel of a run (the first Ctrl-C of `stepdeploy run`) has anything left to run: GitHub
// runs the jobs and steps whose `if:` calls always() or cancelled() after a cancel. Only such
// workflows get the states and payload fields a cancel needs (job starts read the cancel marker, run
// steps catch `Cancelled`); any other is simply stopped, which is the same thing for them.

import { runsOnCancel } from '../expressions';
import type { Workflow } from '../model/workflow';

/** The error a runner fails a cancelled step with (lib/runtime/runners/cancel.ts sends it). */
export const CANCELLED_ERROR = 'Cancelled';

export function isCancellable(workflow: Pick<Workflow, 'jobs'>): boolean {
  return workflow.jobs.some((job) => runsOnCancel(job.if) || job.steps.some((step) => runsOnCancel(step.if)));
}
