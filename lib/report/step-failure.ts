// What a failed step's task error says, whichever way the step ran. The one place that reads the
// causes of failed steps:
// - a job runner's step (docs/architecture.md, "Job runners"): Error `StepFailed`, Cause
//   `{ "exitCode": n, "lastLines": [...], "log": "<path or URL>" }`;
// - a CodeBuild build per step (`codebuild:startBuild.sync`): Error `States.TaskFailed`, Cause the
//   build (`{ Build: { Logs: { DeepLink, LocalPath? } }, LastLogLines? }`; the local engine adds
//   LastLogLines), whose log lines are wrapped in `[Container]` lines of the buildspec's own;
// - anything else (a Lambda step, a timeout, an expression that could not be evaluated): the error
//   and its cause as text.

import type { StepAnnotation } from '../runtime/runners/results';

export interface StepFailureDetails {
  /** Which shape the cause had: a runner's step, a CodeBuild build, or anything else (text). */
  readonly source: 'runner' | 'build' | 'other';
  readonly error: string;
  readonly cause?: string;
  /** The script's exit status; null when a signal ended it; absent when unknown. */
  readonly exitCode?: number | null;
  /** The step's own last output lines (no wrapper lines), oldest first; none when it wrote none (a Lambda step, a timeout). */
  readonly lastLines: readonly string[];
  /** The full log: a file path locally, a CloudWatch Logs or CodeBuild console URL in AWS. */
  readonly log?: string;
  /** The runner's annotations of the step (`::error::` …). */
  readonly annotations?: readonly StepAnnotation[];
}

/** Lines the CodeBuild wrapper writes around a step's own output (lib/local/build-runner.ts, CodeBuild itself). */
const wrapperLine = /^\[Container\] /;

/** A line of the CodeBuild wrapper's, not of the step's own output. */
export const isWrapperLine = (line: string): boolean => wrapperLine.test(line);
const buildExit = /^\[Container\] .*Command did not exit successfully .* exit status (\d+)\s*$/;

export function stepFailureDetails(error: string, cause: string | undefined): StepFailureDetails {
  const base = { error, ...(cause !== undefined ? { cause } : {}) };
  const parsed = parseObject(cause);
  if (parsed && Array.isArray(parsed['lastLines'])) {
    const exitCode = parsed['exitCode'];
    const log = parsed['log'];
    return {
      ...base,
      source: 'runner',
      ...(typeof exitCode === 'number' || exitCode === null ? { exitCode } : {}),
      lastLines: parsed['lastLines'].map(String),
      ...(typeof log === 'string' && log !== '' ? { log } : {}),
      ...(Array.isArray(parsed['annotations']) && parsed['annotations'].length > 0 ? { annotations: parsed['annotations'] as StepAnnotation[] } : {}),
    };
  }
  const build = asObject(parsed?.['Build']);
  if (parsed && build) {
    const lines = Array.isArray(parsed['LastLogLines']) ? parsed['LastLogLines'].map(String) : [];
    const exit = lines.map((line) => buildExit.exec(line)?.[1]).filter((code) => code !== undefined).pop();
    const logs = asObject(build['Logs']);
    const log = [logs?.['LocalPath'], logs?.['DeepLink']].find((link): link is string => typeof link === 'string' && link !== '');
    return {
      ...base,
      source: 'build',
      ...(exit !== undefined ? { exitCode: Number(exit) } : {}),
      lastLines: lines.filter((line) => !wrapperLine.test(line)),
      ...(log !== undefined ? { log } : {}),
    };
  }
  return { ...base, source: 'other', lastLines: [] };
}

function parseObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined || !text.startsWith('{')) return undefined;
  try {
    return asObject(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** One line for a failure: the exit code, or the error with its cause when the cause is text. */
export function failureHeadline(details: StepFailureDetails): string {
  if (details.exitCode !== undefined) return `${details.error}: exit code ${details.exitCode ?? 'none (a signal ended it)'}`;
  return details.source === 'other' && details.cause ? `${details.error}: ${details.cause}` : details.error;
}
