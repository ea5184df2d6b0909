import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { parseStepFailedCause } from '../runtime/runners/results';
import { stepKey } from './labels';
import { reportStepName, type StepNames } from './step-names';

/**
 * What to show of every failed step, keyed like `finish({ logTail })` expects: the step's last output
 * lines (a runner's `StepFailed` Cause, docs/architecture.md "Results"), else the task's error and cause. A failed step's
 * record ({ Error, Cause }) reaches the next state's input; the step is found by the record's key
 * and the job by the state name.
 */
export function failedStepLogTails(history: readonly HistoryEvent[], names?: StepNames): Record<string, string[]> {
  const tails: Record<string, string[]> = {};
  for (const event of history) {
    const entered = event.stateEnteredEventDetails;
    if (entered?.input === undefined) continue;
    const job = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(entered.name ?? '')?.[0];
    if (job === undefined) continue;
    let input: { steps?: Record<string, { Error?: unknown; Cause?: unknown }>; matrix?: Record<string, never> };
    try {
      input = JSON.parse(entered.input) as typeof input;
    } catch {
      continue;
    }
    for (const [step, record] of Object.entries(input.steps ?? {})) {
      if (typeof record?.Error !== 'string') continue;
      // A runner's last lines of the step; for any other failure (a Lambda step, a timeout) its error and cause.
      const failed = parseStepFailedCause(record.Cause);
      tails[stepKey(job, reportStepName(names, job, step, input.matrix), input.matrix)] = failed?.lastLines.slice() ?? [`${record.Error}: ${String(record.Cause ?? '')}`];
    }
  }
  return tails;
}
