// What a runner reports for a step: the task output of SendTaskSuccess (read by the evaluate function
// for outputs) or the Error and Cause of SendTaskFailure (read by the report and the progress view).

/** The error name of a step whose script failed (exit status, bad output file, missing working directory). */
export const STEP_FAILED = 'StepFailed';

/** At most this many of the step's own last output lines travel in a failure's Cause. */
export const LAST_LINES = 50;

/** A step summary ($GITHUB_STEP_SUMMARY) is cut to this many bytes in the result (history payloads are small). */
export const SUMMARY_LIMIT_BYTES = 16 * 1024;

/** A workflow command's annotation (`::error file=app.js,line=3::message`), masked. */
export interface StepAnnotation {
  readonly level: 'error' | 'warning' | 'notice';
  readonly message: string;
  readonly title?: string;
  readonly file?: string;
  readonly line?: number;
  readonly endLine?: number;
  readonly col?: number;
  readonly endColumn?: number;
}

export interface StepSuccess {
  readonly outcome: 'success';
  /** The step's $GITHUB_OUTPUT (= $STEPDEPLOY_OUTPUT) file, base64: any bytes survive. */
  readonly outputFileBase64: string;
  readonly summary?: string;
  readonly annotations?: readonly StepAnnotation[];
}

/** A post step whose main never ran, or whose post-if was false. */
export interface StepSkipped {
  readonly outcome: 'skipped';
}

/** The Cause (as JSON text) of a `StepFailed` error. */
export interface StepFailedCause {
  /** null when a signal ended the script. */
  readonly exitCode: number | null;
  readonly lastLines: readonly string[];
  /** Where the whole step log is: a file path locally, a CloudWatch Logs URL in AWS. */
  readonly log: string;
  readonly summary?: string;
  readonly annotations?: readonly StepAnnotation[];
}

/** The cause of a failed step, or undefined when `cause` is not a runner's. */
export function parseStepFailedCause(cause: unknown): StepFailedCause | undefined {
  if (typeof cause !== 'string') return undefined;
  try {
    const parsed = JSON.parse(cause) as Partial<StepFailedCause>;
    if (!Array.isArray(parsed.lastLines)) return undefined;
    return {
      exitCode: typeof parsed.exitCode === 'number' ? parsed.exitCode : null,
      lastLines: parsed.lastLines.map(String),
      log: String(parsed.log ?? ''),
      ...(Array.isArray(parsed.annotations) && { annotations: parsed.annotations }),
    };
  } catch {
    return undefined;
  }
}

/** Cuts text to `limit` bytes of UTF-8 without splitting a character. */
export function boundedText(text: string, limit: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= limit) return text;
  return `${bytes.subarray(0, limit).toString('utf8').replace(/\uFFFD$/, '')}\n… (cut at ${limit} bytes)`;
}
