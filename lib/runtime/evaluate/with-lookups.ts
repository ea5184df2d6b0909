import type { ValueStores } from '../stores/value-stores';
import type { EvaluateEvent } from './index';
import { jobLookups, runLookups } from './lookups';

/** Whether a run was asked to cancel (lib/runtime/runners/cancel.ts), for job starts of cancellable workflows. */
export type CancelProbe = (runExecutionArn: string) => Promise<boolean>;

/** The recorded seconds of a job's cells by index (lib/runtime/durations/cell-durations.ts), for its order. */
export type DurationsProbe = (runExecutionArn: string, job: string) => Promise<ReadonlyMap<number, number>>;

/** The event with what its evaluation needs from the stores; events that name none pass unchanged. */
export async function withLookups(event: EvaluateEvent, stores: ValueStores, cancelProbe?: CancelProbe, durationsProbe?: DurationsProbe): Promise<EvaluateEvent> {
  if (event.op === 'job.order') {
    // The order only shortens the run: durations that cannot be read leave the written order.
    const durations = durationsProbe === undefined ? new Map<number, number>() : await durationsProbe(event.run, event.job).catch(() => new Map<number, number>());
    return { ...event, durations: Object.fromEntries([...durations].map(([cell, seconds]) => [String(cell), seconds])) };
  }
  if (event.op === 'job.start' && event.cancellable === true) {
    if (cancelProbe === undefined) throw new Error('job.start: the workflow can be cancelled, but the evaluate function has no TABLE_NAME to read the cancel marker from');
    const cancelRequested = await cancelProbe(event.context.run.execution.id);
    return withLookups({ ...event, cancellable: false, cancelRequested }, stores);
  }
  // A matrix is evaluated before the job's environment is known: workflow-level vars only, as on GitHub.
  if ((event.op === 'run.start' || event.op === 'job.matrix' || event.op === 'call.finish') && event.vars !== undefined) return { ...event, lookups: await runLookups(event.vars, stores) };
  if (event.op === 'job.start' && (event.vars !== undefined || event.secrets !== undefined || event.environment !== undefined)) {
    return { ...event, lookups: await jobLookups(event, stores) };
  }
  return event;
}
