import { toDisplayString } from '../../expressions';
import { cellContexts, evaluateField } from './contexts';
import type { CellData, JobResult, JobResultWord, UpstreamWord } from './data';
import { decideJobRun, type CallGateData } from './job-start';
import type { Lookups, NamesRequest } from './lookups';

export interface CallFinishEvent {
  readonly op: 'call.finish';
  /** The calling job. */
  readonly job: string;
  /** The calling job's needs and the called jobs. */
  readonly needs: readonly string[];
  /** The called jobs (inlined ids). */
  readonly jobs: readonly string[];
  /** One gate per cell of the call (the calling job's needs and if:). */
  readonly cells: readonly CallGateData[];
  /** The calls the calling job itself runs inside (when it is in a called workflow too). */
  readonly gates?: readonly CallGateData[];
  /** workflow_call outputs per cell, over `needs.<inlined id>`, as JSON text (output names never become state data paths). */
  readonly outputs: string;
  readonly vars?: NamesRequest;
  /** Fetched by the handler before evaluation (lib/runtime/evaluate/lookups.ts). */
  readonly lookups?: Lookups;
  /** The run's data between jobs: `{ run, needs }`. */
  readonly context: Omit<CellData, 'steps'>;
}

/**
 * A call's result, as GitHub gives it to the caller's dependents: failure when a called job failed,
 * else cancelled when one was, else success when the call ran, else skipped; the upstream is the
 * worst among the called jobs; each output is the last cell's non-empty value (GitHub: the last
 * successful call of a matrix that sets it).
 */
export function callFinish(event: CallFinishEvent): JobResult {
  const context: CellData = { ...event.context, steps: {} };
  const records = event.jobs.map((id) => context.needs[id]);
  const words: JobResultWord[] = records.map((record) => record?.result ?? 'skipped');
  const upstreams: UpstreamWord[] = records.map((record) => record?.upstream ?? 'success');
  const lookups = event.lookups ?? { workflowVars: {}, vars: {}, secrets: {} };
  const passes = (gate: CallGateData): boolean => decideJobRun({ job: event.job, needs: gate.needs, gates: [gate], lookups, context }).run;
  const ran = (event.gates ?? []).every(passes) && event.cells.some(passes);
  const result: JobResultWord = words.includes('failure') ? 'failure' : words.includes('cancelled') ? 'cancelled' : ran ? 'success' : 'skipped';
  const upstream: UpstreamWord = [...words, ...upstreams].includes('failure') ? 'failure' : [...words, ...upstreams].includes('cancelled') ? 'cancelled' : 'success';
  const outputs: Record<string, unknown> = {};
  if (ran) {
    const contexts = { ...cellContexts(context, event.needs, context.run.env, event.job), vars: { ...context.run.vars, ...lookups.workflowVars } };
    for (const cell of JSON.parse(event.outputs) as Record<string, string>[]) {
      for (const [name, template] of Object.entries(cell)) {
        const value = evaluateField(template, { contexts }, `jobs.${event.job}.outputs.${name}`);
        if (toDisplayString(value) !== '' || outputs[name] === undefined) outputs[name] = value;
      }
    }
  }
  return { result, outputs, upstream };
}
