import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { stepKey } from './labels';
import { reportStepName, type StepNames } from './step-names';

/**
 * What to show of every failed step, keyed like `finish({ logTail })` expects: a build's last log
 * lines (its Cause carries `LastLogLines` locally), else the task's error and cause. A failed step's
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
      // A build's last log lines; for any other task (a Lambda step, a timeout) its error and cause.
      tails[stepKey(job, reportStepName(names, job, step, input.matrix), input.matrix)] = lastLogLines(record.Cause) ?? [`${record.Error}: ${String(record.Cause ?? '')}`];
    }
  }
  return tails;
}

function lastLogLines(cause: unknown): string[] | undefined {
  if (typeof cause !== 'string') return undefined;
  try {
    const parsed = JSON.parse(cause) as { LastLogLines?: unknown };
    return Array.isArray(parsed.LastLogLines) ? parsed.LastLogLines.map(String) : undefined;
  } catch {
    return undefined;
  }
}
