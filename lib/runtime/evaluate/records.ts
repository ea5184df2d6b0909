import { parseStepOutputs } from '../step-outputs';

/**
 * What a step leaves in $.steps['<id>']: the run task's result ({ outcome, outputFileBase64 } for a run
 * step, { outcome, outputs } for a Lambda step), the Catch's error ({ Error, Cause }, with
 * `continued: true` under continue-on-error), or { outcome: 'skipped' }.
 */
export type StepRecord =
  | { readonly outcome: 'success'; readonly outputFileBase64?: string; readonly outputs?: unknown }
  | { readonly outcome: 'skipped' }
  | { readonly Error: string; readonly Cause?: string; readonly continued?: true };

export interface StepContextValue {
  readonly outcome: 'success' | 'failure' | 'skipped';
  readonly conclusion: 'success' | 'failure' | 'skipped';
  readonly outputs: Record<string, unknown>;
}

/** GitHub's `steps.<id>` view of a record. */
export function stepContextValue(record: StepRecord): StepContextValue {
  // A failed step under continue-on-error: its outcome is failure, its conclusion success (as on GitHub).
  if ('Error' in record) return { outcome: 'failure', conclusion: record.continued ? 'success' : 'failure', outputs: {} };
  if (record.outcome === 'skipped') return { outcome: 'skipped', conclusion: 'skipped', outputs: {} };
  return { outcome: 'success', conclusion: 'success', outputs: stepRecordOutputs(record) };
}

export function stepRecordOutputs(record: StepRecord): Record<string, unknown> {
  if (!('outcome' in record) || record.outcome !== 'success') return {};
  if (record.outputFileBase64 !== undefined) return parseStepOutputs(Buffer.from(record.outputFileBase64, 'base64').toString('utf8'));
  const outputs = record.outputs;
  return outputs !== null && typeof outputs === 'object' && !Array.isArray(outputs) ? (outputs as Record<string, unknown>) : {};
}
