import type { ValueStores } from '../stores/value-stores';
import type { EvaluateEvent } from './index';
import { jobLookups, runLookups } from './lookups';

/** The event with what its evaluation needs from the stores; events that name none pass unchanged. */
export async function withLookups(event: EvaluateEvent, stores: ValueStores): Promise<EvaluateEvent> {
  // A matrix is evaluated before the job's environment is known: workflow-level vars only, as on GitHub.
  if ((event.op === 'run.start' || event.op === 'job.matrix') && event.vars !== undefined) return { ...event, lookups: await runLookups(event.vars, stores) };
  if (event.op === 'job.start' && (event.vars !== undefined || event.secrets !== undefined || event.environment !== undefined)) {
    return { ...event, lookups: await jobLookups(event, stores) };
  }
  return event;
}
